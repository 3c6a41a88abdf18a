"""The typed record: one walk over the validated data, every item with its place, every quantity parsed.

This is the step between the schema and the rules. `typed_record` walks the data once and makes each
object of it an `Item` of its kind (Observation, Fund, ...): its fields as attributes with the schema's
defaults, and its `place` (JSON pointer and id path). Items the schema step left out are absent, and
the others keep the positions they have in the file. `build_context` then parses every quantity and
indexes items by id; a quantity that does not parse keeps its error here, for rule UNIT001 (UNIT005 one
out of range).
"""

from __future__ import annotations

from functools import cache
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, NamedTuple

from ..load.loader import LoadedDocument
from ..models.vocabulary import metric_definitions
from .places import ROOT, Place
from ..structure.published import Shape, published_schema, shape_of_union
from .quantities import Interval, ParsedQuantity, QuantityError, QuantityOutOfRange, UnitInfo, interval_of, parse_quantity, parse_unit
from ..support.slotted import Slotted

if TYPE_CHECKING:  # the typed record reads as the models describe it
    from ..models import v1


class Item:
    """An object of the record as the models read it: its fields as attributes, with the schema's defaults.

    `place` says where it stands. Each kind of object has its own subclass, named after its model.
    """

    place: Place
    _shape: Shape

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value in self.__dict__.items() if name != "place")
        return f"{type(self).__name__}({fields})"

    def __reduce__(self):  # items travel from worker processes: remade from their kind and fields
        shape = self._shape
        return (_restored, (shape.schema_path, shape.name, self.__dict__))


def _item_class(shape: Shape) -> type:
    if shape.item_class is None:
        shape.item_class = type(shape.name, (Item,), {"_shape": shape, "__module__": __name__})
    return shape.item_class


def _restored(schema_path: Path, name: str, fields: dict) -> Item:
    item = object.__new__(_item_class(published_schema(schema_path).shapes.by_name[name]))
    item.__dict__.update(fields)
    return item


def _scalar(value: object) -> object:
    # JSON has one kind of number, and JSON Schema's integer takes 2014.0: the models read it as 2014 too.
    return int(value) if type(value) is float and value.is_integer() else value


def _item(data: dict, shape: Shape, place: Place, kept: dict[str, list[int]] | None = None) -> Item:
    item = object.__new__(_item_class(shape))
    fields = item.__dict__
    fields.update(shape.defaults)
    for name in shape.list_defaults:
        fields[name] = []
    children = shape.children
    for key, value in data.items():
        child = children.get(key)
        if child is None:
            fields[key] = [_scalar(v) for v in value] if type(value) is list else _scalar(value)
        else:
            fields[key] = _typed(value, child, place.field(key), kept.get(key) if kept else None)
    fields["place"] = place
    return item


def _typed(value: object, child: object, place: Place, positions: list[int] | None = None) -> object:
    if value is None:
        return None
    if isinstance(child, Shape):
        return _item(value, child, place)
    if child[0] == "list":
        member = child[1]
        indexes = positions if positions is not None else range(len(value))
        return [_typed(element, member, place.element(index, element)) for index, element in zip(indexes, value)]
    shape = shape_of_union(child, value)
    return _item(value, shape, place)


def typed_record(data: dict, shape: Shape, kept: dict[str, list[int]] | None = None) -> Item:
    """The record as items; `kept` gives, for a list some of whose items were left out, the positions of the rest."""
    return _item(data, shape, ROOT, kept)


class ExpectedDimension(NamedTuple):
    """What a field accepts: a description for messages and a test on a unit's dimensionality.

    The tests are NamedTuples, not lambdas: a run that keeps its records (export, site, diff) gets them
    from worker processes, pickled."""

    description: str
    accepts: Callable[[UnitInfo], bool]


class _SameDimensionality(NamedTuple):
    dimensionality: tuple[tuple[str, float], ...]

    def __call__(self, unit: UnitInfo) -> bool:
        return unit.dimensionality == self.dimensionality


class _MoneyPerSomething(NamedTuple):
    def __call__(self, unit: UnitInfo) -> bool:
        return dict(unit.dimensionality).get("[currency]") == 1.0 and len(unit.dimensionality) > 1


class _AllOf(NamedTuple):
    tests: tuple[Callable[[UnitInfo], bool], ...]

    def __call__(self, unit: UnitInfo) -> bool:
        return all(test(unit) for test in self.tests)


@cache
def same_dimension_as(unit_text: str) -> ExpectedDimension:
    expected = parse_unit(unit_text)
    return ExpectedDimension(f"{expected.describe_dimension()} (like {unit_text})", _SameDimensionality(expected.dimensionality))


MONEY_PER_SOMETHING = ExpectedDimension("money per unit (like yuan/household)", _MoneyPerSomething())


class Holding(NamedTuple):
    """What holds a quantity: its section, the section's item, the object it is a field of, and which figure it is."""

    section: str  # observations, targets, programmes, funds, shares
    item: Item  # the section's item: the observation, target, programme, fund or share
    holder: Item  # the object the quantity belongs to: the item, an output, a fund's standard
    figure_kind: str  # observation, target, baseline, achieved, output, outcome, beneficiary_households, ...


class QuantityEntry(Slotted):
    """One quantity of the record, what it should be, and what it can mean; `place` is the quantity's own."""

    __slots__ = ("quantity", "expected", "holding", "stated", "curated", "upper", "curated_upper", "errors", "metric", "name_id")

    def __init__(self, quantity: v1.Quantity, expected: ExpectedDimension | None, holding: Holding,
                 stated: ParsedQuantity | None = None, curated: ParsedQuantity | None = None,
                 upper: ParsedQuantity | None = None, curated_upper: ParsedQuantity | None = None,
                 errors: list[tuple[str, Place, str]] | None = None, metric: str | None = None,
                 name_id: str | None = None) -> None:
        self.quantity = quantity
        self.expected = expected
        self.holding = holding
        self.stated = stated
        self.curated = curated
        self.upper = upper
        self.curated_upper = curated_upper
        self.errors = [] if errors is None else errors  # (code, place, message): UNIT001 or UNIT005
        self.metric = metric
        # The id relations use for it: its own, or (for a fund's amount, a target's target) its owner's.
        self.name_id = name_id

    @property
    def place(self) -> Place:
        return self.quantity.place

    @property
    def pointer(self) -> str:
        return self.quantity.place.pointer

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
    def reading_place(self) -> Place:
        """Where what rules check is written: the curated value where there is one, else the value."""
        return self.quantity.curated.place.field("value") if self.curated else self.place.field("value")

    @property
    def reading_pointer(self) -> str:
        return self.reading_place.pointer


class RecordContext(Slotted):
    """Everything a per-record rule may look at."""

    __slots__ = ("path", "record", "document", "today", "seeds_dir", "quantities", "by_id", "quantity_by_id", "left_out_ids", "_entry_by_quantity")

    def __init__(self, path: Path, record: v1.CountyRecord, document: LoadedDocument, today: date, seeds_dir: Path,
                 quantities: list[QuantityEntry] | None = None, by_id: dict[str, list[Item]] | None = None,
                 quantity_by_id: dict[str, QuantityEntry] | None = None, left_out_ids: frozenset[str] = frozenset()) -> None:
        self.path = path
        self.record = record
        self.document = document
        self.today = today
        self.seeds_dir = seeds_dir
        self.quantities = [] if quantities is None else quantities
        self.by_id = {} if by_id is None else by_id  # id -> the items that have it (more than one: REF001)
        self.quantity_by_id = {} if quantity_by_id is None else quantity_by_id
        # Ids of items left out because they do not fit the schema (SCHEMA findings say why).
        self.left_out_ids = left_out_ids
        self._entry_by_quantity: dict[int, QuantityEntry] | None = None

    def entry_of(self, quantity: Item | None) -> QuantityEntry | None:
        """The parsed entry of one of the record's quantities (None for None)."""
        if quantity is None:
            return None
        if self._entry_by_quantity is None:
            self._entry_by_quantity = {id(entry.quantity): entry for entry in self.quantities}
        return self._entry_by_quantity.get(id(quantity))

    def source_for(self, source_id: str | None) -> v1.Source | None:
        if source_id is None:
            texts = text_sources(self.record)
            return texts[0] if len(texts) == 1 else None
        return next((s for s in self.record.sources if s.id == source_id), None)


def text_sources(record: v1.CountyRecord) -> list[v1.Source]:
    """The record's sources that are quoted: all but tables (schema 1.2), whose cells are cited by source id."""
    return [source for source in record.sources if source.key is None]


def _parse_into(entry: QuantityEntry) -> None:
    quantity, curated = entry.quantity, entry.quantity.curated
    texts = (
        ("stated", quantity, "value"),
        ("upper", quantity, "upper"),
        ("curated", curated, "value"),
        ("curated_upper", curated, "upper"),
    )
    for attribute, owner, field in texts:
        text = getattr(owner, field) if owner is not None else None
        if text is None:
            continue
        try:
            setattr(entry, attribute, parse_quantity(text))
        except QuantityError as err:
            code = "UNIT005" if isinstance(err, QuantityOutOfRange) else "UNIT001"
            entry.errors.append((code, owner.place.field(field), str(err)))


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
    return ExpectedDimension(f"{field.description}, and {of_metric.description}", _AllOf((field.accepts, of_metric.accepts)))


if TYPE_CHECKING:
    QuantitySite = tuple[v1.Quantity, ExpectedDimension | None, str | None, str | None, Holding]


def iter_quantities(record: v1.CountyRecord) -> Iterator[QuantitySite]:
    """Every quantity with its expected dimension, metric, the id that names it, and what holds it."""
    for observation in record.observations:
        yield (observation, _dimension_for_metric(observation.metric), observation.metric, observation.id,
               Holding("observations", observation, observation, "observation"))
    for target in record.targets:
        expected = _dimension_for_metric(target.metric)
        for name in ("target", "baseline", "achieved"):
            quantity = getattr(target, name)
            if quantity is not None:
                owner = target.id if name == "target" else None
                yield quantity, expected, target.metric, quantity.id or owner, Holding("targets", target, target, name)
    for programme in record.programmes:
        if programme.beneficiaries is not None:
            for name, unit in (("households", "household"), ("people", "person")):
                quantity = getattr(programme.beneficiaries, name)
                if quantity is not None:
                    yield (quantity, _dimension_for_count(unit, quantity.metric), quantity.metric, quantity.id,
                           Holding("programmes", programme, programme, f"beneficiary_{name}"))
        for group in ("outputs", "outcomes"):
            for output in getattr(programme, group):
                yield (output, _dimension_for_metric(output.metric), output.metric, output.id,
                       Holding("programmes", programme, output, group.removesuffix("s")))
    for fund in record.funds:
        yield fund.amount, same_dimension_as("yuan"), None, fund.amount.id or fund.id, Holding("funds", fund, fund, "fund_amount")
        for standard in fund.standards:
            yield standard.amount, MONEY_PER_SOMETHING, None, standard.amount.id, Holding("funds", fund, standard, "fund_standard")
    for share in record.shares:
        yield share, same_dimension_as("percent"), None, share.id, Holding("shares", share, share, "share")


def _index_ids(context: RecordContext) -> None:
    record = context.record
    items: list[Item] = []
    for group in ("observations", "targets", "programmes", "funds", "shares", "lists", "sources"):
        items.extend(getattr(record, group))
    items.extend(relation for relation in record.relations if relation.id is not None)
    listed = {id(item) for item in items}
    items.extend(entry.quantity for entry in context.quantities
                 if entry.quantity.id is not None and id(entry.quantity) not in listed)
    for item in items:
        context.by_id.setdefault(item.id, []).append(item)
    for entry in context.quantities:
        if entry.name_id is not None:
            context.quantity_by_id.setdefault(entry.name_id, entry)


def iter_quotes(context: RecordContext) -> Iterator[tuple[Place, str, str | None]]:
    """(place of the quoted thing, quote, source id) for every quoted thing in the record; a quantity cited to a
    table's cell instead (schema 1.2) has no quote and is not among them (iter_cells lists it)."""
    for entry in context.quantities:
        if entry.quantity.quote is not None:
            yield entry.place, entry.quantity.quote, entry.quantity.source
    record = context.record
    for quoted in (*record.officials, *record.lists, record.division.poverty_exit, *record.omissions):
        if quoted is not None:
            yield quoted.place, quoted.quote, quoted.source


def statement_of(quantity: Item) -> str | tuple[str | None, str] | None:
    """What states a quantity, for rules that group figures stated together: its quote, or for a figure cited
    to a table's cell (schema 1.2) the table's row, (source id, row key), whose cells are stated together as a
    clause's figures are. None where it has neither (CELL004)."""
    if quantity.quote is not None:
        return quantity.quote
    cell = quantity.cell
    return None if cell is None else (quantity.source, cell.row)


def cell_text(quantity: Item) -> str | None:
    """How a figure cited to a table's cell names it, for what shows a citation (diff, export): "source, row
    ROW, column COLUMN"; None for a quoted figure."""
    cell = quantity.cell
    return None if cell is None else f"{quantity.source}, row {cell.row}, column {cell.column}"


def iter_cells(context: RecordContext) -> Iterator[Item]:
    """Every value of the record cited to a cell of a table: it has `value`, `source` and `cell`. The division's
    v1.CellCitation values, then every quantity that gives a `cell` (schema 1.2; `context.entry_of` tells them
    apart: a quantity has its parsed entry, and its `source` may be missing)."""
    division = context.record.division
    for cited in (division.delisted_year, division.listed_as):
        if cited is not None:
            yield cited
    for entry in context.quantities:
        if entry.quantity.cell is not None:
            yield entry.quantity


def build_context(path: Path, record: v1.CountyRecord, document: LoadedDocument, today: date, seeds_dir: Path,
                  left_out_ids: frozenset[str] = frozenset()) -> RecordContext:
    context = RecordContext(path=path, record=record, document=document, today=today, seeds_dir=seeds_dir,
                            left_out_ids=left_out_ids)
    for quantity, expected, metric, name_id, holding in iter_quantities(record):
        entry = QuantityEntry(quantity=quantity, expected=expected, holding=holding, metric=metric, name_id=name_id)
        _parse_into(entry)
        context.quantities.append(entry)
    _index_ids(context)
    return context
