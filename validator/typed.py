"""The typed record: every quantity found, parsed, and given the dimension its field expects.

This is the step between the schema and the rules. It walks a validated record once and builds
the indexes every rule needs: quantities by pointer and by id, items by id, sources by id.
A quantity that does not parse keeps its error here; rule UNIT001 reports it (UNIT005 one out of range).
"""

from __future__ import annotations

from functools import cache
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, NamedTuple

from .loader import LoadedDocument
from .models.vocabulary import metric_definitions
from .quantities import Interval, ParsedQuantity, QuantityError, QuantityOutOfRange, UnitInfo, interval_of, parse_quantity, parse_unit
from .schema_check import positioned
from .slotted import Slotted

if TYPE_CHECKING:  # records are read through views of the published schema; the models describe them
    from .models import v1


class ExpectedDimension(NamedTuple):
    """What a field accepts: a description for messages and a test on a unit's dimensionality."""

    description: str
    accepts: Callable[[UnitInfo], bool]


@cache
def same_dimension_as(unit_text: str) -> ExpectedDimension:
    expected = parse_unit(unit_text)
    return ExpectedDimension(
        f"{expected.describe_dimension()} (like {unit_text})",
        lambda unit: unit.dimensionality == expected.dimensionality,
    )


MONEY_PER_SOMETHING = ExpectedDimension(
    "money per unit (like yuan/household)",
    lambda unit: dict(unit.dimensionality).get("[currency]") == 1.0 and len(unit.dimensionality) > 1,
)


class QuantityEntry(Slotted):
    """One quantity of the record, where it is, what it should be, and what it can mean."""

    __slots__ = ("pointer", "quantity", "expected", "stated", "curated", "upper", "curated_upper", "errors", "metric", "name_id")

    def __init__(self, pointer: str, quantity: v1.Quantity, expected: ExpectedDimension | None,
                 stated: ParsedQuantity | None = None, curated: ParsedQuantity | None = None,
                 upper: ParsedQuantity | None = None, curated_upper: ParsedQuantity | None = None,
                 errors: list[tuple[str, str, str]] | None = None, metric: str | None = None,
                 name_id: str | None = None) -> None:
        self.pointer = pointer
        self.quantity = quantity
        self.expected = expected
        self.stated = stated
        self.curated = curated
        self.upper = upper
        self.curated_upper = curated_upper
        self.errors = [] if errors is None else errors  # (code, pointer, message): UNIT001 or UNIT005
        self.metric = metric
        # The id relations use for it: its own, or (for a fund's amount, a target's target) its owner's.
        self.name_id = name_id

    @property
    def reading(self) -> ParsedQuantity | None:
        """What rules check: the curated reading where there is one, else the stated value."""
        return self.curated or self.stated

    @property
    def reading_qualifier(self) -> str:
        """The qualifier of what rules check: the curated reading's own where it has one (schema 1.1)."""
        curated = self.quantity.curated
        if self.curated is not None and curated.qualifier is not None:
            return curated.qualifier
        return self.quantity.qualifier

    @property
    def reading_upper(self) -> ParsedQuantity | None:
        """The upper end of what rules check: a curated reading has its own, or none."""
        return self.curated_upper if self.curated is not None else self.upper

    @property
    def interval(self) -> Interval | None:
        reading = self.reading
        if reading is None:
            return None
        return interval_of(reading, self.reading_qualifier, self.reading_upper)

    @property
    def reading_pointer(self) -> str:
        return f"{self.pointer}/curated/value" if self.curated else f"{self.pointer}/value"


class RecordContext(Slotted):
    """Everything a per-record rule may look at."""

    __slots__ = ("path", "record", "document", "today", "seeds_dir", "quantities", "by_id", "quantity_by_id", "left_out_ids")

    def __init__(self, path: Path, record: v1.CountyRecord, document: LoadedDocument, today: date, seeds_dir: Path,
                 quantities: list[QuantityEntry] | None = None, by_id: dict[str, list[tuple[str, object]]] | None = None,
                 quantity_by_id: dict[str, QuantityEntry] | None = None, left_out_ids: frozenset[str] = frozenset()) -> None:
        self.path = path
        self.record = record
        self.document = document
        self.today = today
        self.seeds_dir = seeds_dir
        self.quantities = [] if quantities is None else quantities
        self.by_id = {} if by_id is None else by_id  # id -> [(pointer, item)]
        self.quantity_by_id = {} if quantity_by_id is None else quantity_by_id
        # Ids of items left out because they do not fit the schema (SCHEMA findings say why).
        self.left_out_ids = left_out_ids

    def source_for(self, source_id: str | None) -> v1.Source | None:
        if source_id is None:
            return self.record.sources[0] if len(self.record.sources) == 1 else None
        return next((s for s in self.record.sources if s.id == source_id), None)


def _parse_into(entry: QuantityEntry) -> None:
    quantity, curated = entry.quantity, entry.quantity.curated
    texts = (
        ("stated", f"{entry.pointer}/value", quantity.value),
        ("upper", f"{entry.pointer}/upper", quantity.upper),
        ("curated", f"{entry.pointer}/curated/value", curated.value if curated else None),
        ("curated_upper", f"{entry.pointer}/curated/upper", curated.upper if curated else None),
    )
    for attribute, pointer, text in texts:
        if text is None:
            continue
        try:
            setattr(entry, attribute, parse_quantity(text))
        except QuantityError as err:
            code = "UNIT005" if isinstance(err, QuantityOutOfRange) else "UNIT001"
            entry.errors.append((code, pointer, str(err)))


@cache
def _dimension_for_metric(metric: str) -> ExpectedDimension:
    expected = same_dimension_as(metric_definitions()[metric].dimension)
    return ExpectedDimension(f"{expected.description} for metric {metric}", expected.accepts)


@cache
def _dimension_for_count(unit: str, metric: str | None) -> ExpectedDimension:
    """A beneficiary count is of households (or people) and, with a metric (schema 1.1), of that metric too."""
    field = same_dimension_as(unit)
    if metric is None:
        return field
    of_metric = _dimension_for_metric(metric)
    return ExpectedDimension(f"{field.description}, and {of_metric.description}",
                             lambda info: field.accepts(info) and of_metric.accepts(info))


if TYPE_CHECKING:
    QuantitySite = tuple[str, v1.Quantity, ExpectedDimension | None, str | None, str | None]


def iter_quantities(record: v1.CountyRecord) -> Iterator[QuantitySite]:
    """Every quantity with its pointer, expected dimension, metric, and the id that names it."""
    for i, observation in positioned(record.observations):
        yield f"/observations/{i}", observation, _dimension_for_metric(observation.metric), observation.metric, observation.id
    for i, target in positioned(record.targets):
        expected = _dimension_for_metric(target.metric)
        for name in ("target", "baseline", "achieved"):
            quantity = getattr(target, name)
            if quantity is not None:
                owner = target.id if name == "target" else None
                yield f"/targets/{i}/{name}", quantity, expected, target.metric, quantity.id or owner
    for i, programme in positioned(record.programmes):
        if programme.beneficiaries is not None:
            for name, unit in (("households", "household"), ("people", "person")):
                quantity = getattr(programme.beneficiaries, name)
                if quantity is not None:
                    yield (f"/programmes/{i}/beneficiaries/{name}", quantity, _dimension_for_count(unit, quantity.metric),
                           quantity.metric, quantity.id)
        for group in ("outputs", "outcomes"):
            for j, output in enumerate(getattr(programme, group)):
                yield f"/programmes/{i}/{group}/{j}", output, _dimension_for_metric(output.metric), output.metric, output.id
    for i, fund in positioned(record.funds):
        yield f"/funds/{i}/amount", fund.amount, same_dimension_as("yuan"), None, fund.amount.id or fund.id
        for j, standard in enumerate(fund.standards):
            yield f"/funds/{i}/standards/{j}/amount", standard.amount, MONEY_PER_SOMETHING, None, standard.amount.id
    for i, share in positioned(record.shares):
        yield f"/shares/{i}", share, same_dimension_as("percent"), None, share.id


def _index_ids(context: RecordContext) -> None:
    record = context.record
    items: list[tuple[str, str, object]] = []
    for group in ("observations", "targets", "programmes", "funds", "shares", "lists"):
        for i, item in positioned(getattr(record, group)):
            items.append((item.id, f"/{group}/{i}", item))
    for i, source in positioned(record.sources):
        items.append((source.id, f"/sources/{i}", source))
    for i, relation in positioned(record.relations):
        if relation.id is not None:
            items.append((relation.id, f"/relations/{i}", relation))
    item_pointers = {pointer for _, pointer, _ in items}
    for entry in context.quantities:
        quantity_id = entry.quantity.id
        if quantity_id is not None and entry.pointer not in item_pointers:
            items.append((quantity_id, entry.pointer, entry.quantity))
    for item_id, pointer, item in items:
        context.by_id.setdefault(item_id, []).append((pointer, item))
    for entry in context.quantities:
        if entry.name_id is not None:
            context.quantity_by_id.setdefault(entry.name_id, entry)


def iter_quotes(context: RecordContext) -> Iterator[tuple[str, str, str | None]]:
    """(pointer of the quote, quote, source id) for every quoted thing in the record."""
    for entry in context.quantities:
        yield f"{entry.pointer}/quote", entry.quantity.quote, entry.quantity.source
    record = context.record
    for i, official in positioned(record.officials):
        yield f"/officials/{i}/quote", official.quote, official.source
    for i, counted in positioned(record.lists):
        yield f"/lists/{i}/quote", counted.quote, counted.source
    if record.division.poverty_exit is not None:
        yield "/division/poverty_exit/quote", record.division.poverty_exit.quote, record.division.poverty_exit.source


def build_context(path: Path, record: v1.CountyRecord, document: LoadedDocument, today: date, seeds_dir: Path,
                  left_out_ids: frozenset[str] = frozenset()) -> RecordContext:
    context = RecordContext(path=path, record=record, document=document, today=today, seeds_dir=seeds_dir,
                            left_out_ids=left_out_ids)
    for pointer, quantity, expected, metric, name_id in iter_quantities(record):
        entry = QuantityEntry(pointer=pointer, quantity=quantity, expected=expected, metric=metric, name_id=name_id)
        _parse_into(entry)
        context.quantities.append(entry)
    _index_ids(context)
    return context
