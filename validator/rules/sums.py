"""SUM: totals and their parts, subsets and wholes, per-unit standards, figures stated twice.

Every comparison is on intervals of what the stated numbers can mean (rounding, qualifiers), so a
relation fails only when no reading of the numbers satisfies it.
"""

from __future__ import annotations

from typing import Iterator

from ..support.findings import Finding, Severity
from ..models.vocabulary import metric_definitions
from ..record.quantities import Interval, common_values, parse_unit
from ..support.text import clip
from ..record.typed import RecordContext
from .arithmetic import (
    Resolved, base_unit_name, dimensions_differ, finding_ids, interval_data, relations_of_kind, resolve, resolve_all, scale_slip_hint, show,
    slip_factor, total_of,
)
from .base import rule


def _total_details(total_id: str, total: Resolved, part_ids: list[str], parts: list[Resolved], parts_sum: Interval) -> dict:
    return {
        "related": (total.place("total"), *(part.place("part") for part in parts)),
        "ids": finding_ids(total_id, *part_ids),
        "data": {"total": total.data(), "parts": [part.data() for part in parts], "parts_sum": interval_data(parts_sum),
                 "factor": slip_factor(parts_sum.midpoint, total.interval.midpoint)},
    }


def iter_totals(context: RecordContext) -> Iterator[tuple[str, str, list[str], bool]]:
    """(pointer, total id, part ids, complete) for total relations and funds made of parts."""
    for pointer, relation in relations_of_kind(context, "total"):
        yield pointer, relation.total, relation.parts, relation.complete
    for fund in context.record.funds:
        if fund.parts:
            yield fund.place.field("parts").pointer, fund.id, fund.parts, fund.parts_complete


def _resolved_total(context: RecordContext, total_id: str, part_ids: list[str]) -> tuple[Resolved, list[Resolved]] | None:
    total = resolve(context, total_id)
    parts = resolve_all(context, part_ids)
    if total is None or parts is None or dimensions_differ([total, *parts]):
        return None  # REF002, UNIT001 or SUM006 reports why
    return total, parts


@rule(
    "SUM001", "parts-do-not-add-up", Severity.ERROR,
    summary="Parts that claim to be complete do not add up to their stated total.",
    what=(
        "For a `total` relation with `complete: true` (the default), and a fund with `parts_complete: true`, "
        "adds the parts' intervals and reports when no reading of the parts meets any reading of the total. "
        "When the two differ by a factor near 10^2, 10^3, 10^4, 10^6 or 10^8 the message says so: that is "
        "how a lost 万 or 亿 shows."
    ),
    why="A total that its own parts contradict means one of the figures was mistyped, mistranslated or misread.",
    example=(
        "observations:\n  - {id: invest, metric: investment, value: \"41,165,200 yuan\", quote: \"invested 41,165,200 yuan\"}\n"
        "  - {id: central, metric: investment, value: \"2,620 yuan\", quote: \"26.2 million yuan came from the central government\"}\n"
        "  - {id: province, metric: investment, value: 14.9652 million yuan, quote: \"14.9652 million yuan from the province\"}\n"
        "relations:\n  - {kind: total, total: invest, parts: [central, province]}\n"
    ),
    use_instead=(
        "observations:\n  - {id: invest, metric: investment, value: \"41,165,200 yuan\", quote: \"invested 41,165,200 yuan\"}\n"
        "  - {id: central, metric: investment, value: 26.2 million yuan, quote: \"26.2 million yuan came from the central government\"}\n"
        "  - {id: province, metric: investment, value: 14.9652 million yuan, quote: \"14.9652 million yuan from the province\"}\n"
        "relations:\n  - {kind: total, total: invest, parts: [central, province]}\n"
    ),
)
def parts_do_not_add_up(context: RecordContext) -> Iterator[Finding]:
    for pointer, total_id, part_ids, complete in iter_totals(context):
        resolved = _resolved_total(context, total_id, part_ids) if complete else None
        if resolved is None:
            continue
        total, parts = resolved
        parts_sum = total_of(parts)
        if not parts_sum.overlaps(total.interval):
            unit = base_unit_name(total.dimensionality)
            yield Finding(f"the parts of `{total_id}` sum to {show(parts_sum, unit)}, the total is {total.text}"
                f" ({show(total.interval, unit)})"
                + (scale_slip_hint(parts_sum.midpoint, total.interval.midpoint) or "; check each figure against its quote"),
                pointer=pointer,
                **_total_details(total_id, total, part_ids, parts, parts_sum),
            )


@rule(
    "SUM002", "parts-exceed-total", Severity.ERROR,
    summary="Some of a total's parts already add up to more than the total.",
    what="For a `total` relation with `complete: false` (the parts are only some, 'including'), and a fund whose parts are not complete, reports parts whose least possible sum exceeds the greatest possible total.",
    why="Parts can fall short of a total when some are not listed, but they can never exceed it.",
    example=(
        "observations:\n  - {id: invest, metric: investment, value: \"41,165,200 yuan\", quote: \"invested 41,165,200 yuan\"}\n"
        "  - {id: central, metric: investment, value: 262 million yuan, quote: \"26.2 million yuan came from the central government\",\n"
        "     derived: the figure as mistyped}\n"
        "relations:\n  - {kind: total, total: invest, parts: [central], complete: false}\n"
    ),
    use_instead=(
        "observations:\n  - {id: invest, metric: investment, value: \"41,165,200 yuan\", quote: \"invested 41,165,200 yuan\"}\n"
        "  - {id: central, metric: investment, value: 26.2 million yuan, quote: \"26.2 million yuan came from the central government\"}\n"
        "relations:\n  - {kind: total, total: invest, parts: [central], complete: false}\n"
    ),
)
def parts_exceed_total(context: RecordContext) -> Iterator[Finding]:
    for pointer, total_id, part_ids, complete in iter_totals(context):
        resolved = None if complete else _resolved_total(context, total_id, part_ids)
        if resolved is None:
            continue
        total, parts = resolved
        parts_sum = total_of(parts)
        if parts_sum.exceeds(total.interval):
            unit = base_unit_name(total.dimensionality)
            yield Finding(f"the listed parts of `{total_id}` already sum to {show(parts_sum, unit)}, more than the total {total.text}"
                + scale_slip_hint(parts_sum.midpoint, total.interval.midpoint),
                pointer=pointer,
                **_total_details(total_id, total, part_ids, parts, parts_sum),
            )


@rule(
    "SUM003", "subset-exceeds-whole", Severity.ERROR,
    summary="A part stated 'of which' or 'including' is larger than its whole.",
    what="For a `subset` relation, reports a part whose least possible value exceeds the whole's greatest.",
    why="Registered poor households among all subsidised households, say, can never outnumber them: one of the two figures is wrong or they are not what the record says.",
    example=(
        "observations:\n  - {id: households, metric: households, value: \"4,811 households\", quote: \"A total of 4,811 households\"}\n"
        "  - {id: poor, metric: registered_poor_households, value: \"8,164 households\", quote: \"from 8,164 households\"}\n"
        "relations:\n  - {kind: subset, part: poor, whole: households}\n"
    ),
    use_instead=(
        "observations:\n  - {id: households, metric: households, value: \"8,164 households\", quote: \"from 8,164 households\"}\n"
        "  - {id: poor, metric: registered_poor_households, value: \"4,811 households\", quote: \"A total of 4,811 households\"}\n"
        "relations:\n  - {kind: subset, part: poor, whole: households}\n"
    ),
)
def subset_exceeds_whole(context: RecordContext) -> Iterator[Finding]:
    for pointer, relation in relations_of_kind(context, "subset"):
        pair = resolve_all(context, [relation.part, relation.whole])
        if pair is None or dimensions_differ(pair):
            continue
        part, whole = pair
        if part.interval.exceeds(whole.interval):
            yield Finding(f"`{relation.part}` ({part.text}) is larger than the whole it belongs to, `{relation.whole}` ({whole.text})"
                + scale_slip_hint(part.interval.midpoint, whole.interval.midpoint),
                pointer=pointer,
                related=(part.place("part"), whole.place("whole")),
                ids=finding_ids(relation.id, relation.part, relation.whole),
                data={"part": part.data(), "whole": whole.data(),
                      "factor": slip_factor(part.interval.midpoint, whole.interval.midpoint)},
            )


def iter_per_unit(context: RecordContext) -> Iterator[tuple[str, str, str, str]]:
    """(pointer, rate id, count id, total id) from per_unit relations and fund standards with applies_to."""
    for pointer, relation in relations_of_kind(context, "per_unit"):
        yield pointer, relation.rate, relation.count, relation.total
    for fund in context.record.funds:
        for standard in fund.standards:
            if standard.applies_to is not None and standard.amount.id is not None:
                yield standard.place.pointer, standard.amount.id, standard.applies_to, fund.id


def _product_dimensionality(rate: Resolved, count: Resolved) -> tuple[tuple[str, float], ...]:
    combined: dict[str, float] = dict(rate.dimensionality)
    for dimension, exponent in count.dimensionality:
        combined[dimension] = combined.get(dimension, 0.0) + exponent
    return tuple(sorted((d, e) for d, e in combined.items() if e != 0))


@rule(
    "SUM004", "per-unit-mismatch", Severity.ERROR,
    summary="A per-unit amount times its count does not give the stated total.",
    what=(
        "For a `per_unit` relation (and a fund standard whose amount has an id and `applies_to` a count), "
        "multiplies the rate's interval by the count's and reports when no reading meets the total."
    ),
    why="'200,000 yuan per household for 120 households' is a claim about a total of 24 million yuan; a mismatch means one of the three figures is misread.",
    example=(
        "observations:\n  - {id: households, metric: households, value: \"4,811 households\", quote: \"A total of 4,811 households\"}\n"
        "  - {id: subsidy, metric: subsidy_per_household, value: \"8,164 yuan/household\", quote: \"from 8,164 households\"}\n"
        "  - {id: invest, metric: investment, value: \"41,165,200 yuan\", quote: \"invested 41,165,200 yuan\"}\n"
        "relations:\n  - {kind: per_unit, rate: subsidy, count: households, total: invest}\n"
    ),
    use_instead=(
        "observations:\n  - {id: households, metric: households, value: \"4,811 households\", quote: \"A total of 4,811 households\"}\n"
        "  - {id: subsidy, metric: subsidy_per_household, value: \"8,556.47 yuan/household\", quote: \"invested 41,165,200 yuan\",\n"
        "     derived: \"41,165,200 yuan over 4,811 households\"}\n"
        "  - {id: invest, metric: investment, value: \"41,165,200 yuan\", quote: \"invested 41,165,200 yuan\"}\n"
        "relations:\n  - {kind: per_unit, rate: subsidy, count: households, total: invest}\n"
    ),
)
def per_unit_mismatch(context: RecordContext) -> Iterator[Finding]:
    for pointer, rate_id, count_id, total_id in iter_per_unit(context):
        trio = resolve_all(context, [rate_id, count_id, total_id])
        if trio is None:
            continue
        rate, count, total = trio
        if _product_dimensionality(rate, count) != total.dimensionality:
            continue  # SUM006
        product = rate.interval * count.interval
        if not product.overlaps(total.interval):
            unit = base_unit_name(total.dimensionality)
            yield Finding(f"{rate.text} x {count.text} = {show(product, unit)}, but the total `{total_id}` is {total.text}"
                + scale_slip_hint(product.midpoint, total.interval.midpoint),
                pointer=pointer,
                related=(rate.place("rate"), count.place("count"), total.place("total")),
                ids=finding_ids(None, rate_id, count_id, total_id),
                data={"rate": rate.data(), "count": count.data(), "total": total.data(), "product": interval_data(product),
                      "factor": slip_factor(product.midpoint, total.interval.midpoint)},
            )


@rule(
    "SUM005", "implausible-per-unit-value", Severity.WARNING,
    summary="A value outside the plausible range the vocabulary sets for its metric.",
    what=(
        "Metrics in the vocabulary may set a plausible minimum and maximum (e.g. subsidy_per_household from 1 to "
        "2,000,000 yuan/household). Reports a quantity of such a metric whose every reading lies outside the range, "
        "and a per_unit relation whose implied rate (total / count) does."
    ),
    why="A 'total' spread over thousands of projects that leaves a few yuan each, or a per-household subsidy of billions, is a scale slip that nothing else relates to.",
    example="observations:\n  - {id: subsidy, metric: subsidy_per_household, value: 0.44 yuan/household, quote: \"0.44%\"}\n",
    use_instead="observations:\n  - {id: subsidy, metric: subsidy_per_household, value: \"8,164 yuan/household\", quote: \"8,164 households\"}\n",
)
def implausible_per_unit_value(context: RecordContext) -> Iterator[Finding]:
    for entry in context.quantities:
        allowed = _plausible_range(entry.metric)
        if allowed is None or entry.reading is None or entry.reading.unit.dimensionality != allowed[1]:
            continue  # UNIT002 reports other dimensions
        if not entry.interval.overlaps(allowed[0]):
            yield Finding(f"{clip(entry.reading.text)} is outside the plausible range for {entry.metric} ({allowed[2]}); check for a scale slip",
                pointer=entry.reading_pointer,
            )
    for pointer, rate_id, count_id, total_id in iter_per_unit(context):
        trio = resolve_all(context, [rate_id, count_id, total_id])
        allowed = _plausible_range(trio[0].entry.metric) if trio is not None else None
        if allowed is None or _product_dimensionality(trio[0], trio[1]) != trio[2].dimensionality:
            continue
        implied = trio[2].interval / trio[1].interval
        if not implied.overlaps(allowed[0]):
            yield Finding(f"`{total_id}` over `{count_id}` leaves {show(implied, base_unit_name(allowed[1]))} each, outside the plausible "
                f"range for {trio[0].entry.metric} ({allowed[2]}); check the total and the count for a scale slip",
                pointer=pointer,
                related=(trio[1].place("count"), trio[2].place("total")), ids=finding_ids(rate_id, count_id, total_id),
                data={"implied_rate": interval_data(implied), "range": interval_data(allowed[0])},
            )


def _plausible_range(metric: str | None) -> tuple[Interval, tuple, str] | None:
    """The metric's plausible range in base units, its dimensionality and how to show it; None if unbounded.

    Percentages are left to PCT003, which knows which of them may exceed 100 %.
    """
    definition = metric_definitions().get(metric or "")
    if definition is None or (definition.minimum is None and definition.maximum is None):
        return None
    unit = parse_unit(definition.dimension)
    if not unit.dimensionality:
        return None
    low = definition.minimum if definition.minimum is not None else -float("inf")
    high = definition.maximum if definition.maximum is not None else float("inf")
    shown = f"{_bound(definition.minimum)} to {_bound(definition.maximum)} {definition.dimension}"
    return Interval(low * unit.to_base, high * unit.to_base), unit.dimensionality, shown


def _bound(value: float | None) -> str:
    return "any" if value is None else f"{value:,.15g}"


@rule(
    "SUM006", "relation-mixes-dimensions", Severity.ERROR,
    summary="A relation whose figures cannot be compared: people against households, yuan against mu.",
    what="Reports a total, subset, same-figure or per-unit relation, or a share's part and whole, whose quantities do not share a dimension (for per_unit: rate x count must have the total's dimension).",
    why="A relation between incomparable figures checks nothing; usually one of them is recorded in the wrong unit.",
    example=(
        "observations:\n  - {id: households, metric: registered_poor_households, value: \"8,164 households\", quote: \"8,164 households\"}\n"
        "  - {id: people, metric: registered_poor_people, value: \"26,761 people\", quote: \"26,761 in 2014\"}\n"
        "relations:\n  - {kind: subset, part: households, whole: people}\n"
    ),
    use_instead=(
        "observations:\n  - {id: households, metric: registered_poor_households, value: \"8,164 households\", quote: \"8,164 households\"}\n"
        "  - {id: peach, metric: households, value: \"4,811 households\", quote: \"4,811 households\"}\n"
        "relations:\n  - {kind: subset, part: peach, whole: households}\n"
    ),
)
def relation_mixes_dimensions(context: RecordContext) -> Iterator[Finding]:
    groups: list[tuple[str, list[str]]] = [(p, [t, *parts]) for p, t, parts, _ in iter_totals(context)]
    for pointer, relation in relations_of_kind(context, "subset", "same"):
        groups.append((pointer, [relation.part, relation.whole] if relation.kind == "subset" else relation.items))
    for share in context.record.shares:
        if share.part is not None and share.whole is not None:
            groups.append((share.place.pointer, [share.part, share.whole]))
    for pointer, ids in groups:
        resolved = [r for r in (resolve(context, item_id) for item_id in ids) if r is not None]
        if dimensions_differ(resolved):
            shown = ", ".join(f"{r.text}" for r in resolved)
            yield Finding(f"the figures of this relation are not of one dimension ({shown}); check their units", pointer=pointer,
                          related=tuple(r.place("figure") for r in resolved), ids=finding_ids(*ids),
                          data={"figures": [r.data() for r in resolved]})
    for pointer, rate_id, count_id, total_id in iter_per_unit(context):
        trio = resolve_all(context, [rate_id, count_id, total_id])
        if trio is not None and _product_dimensionality(trio[0], trio[1]) != trio[2].dimensionality:
            yield Finding(f"{trio[0].text} x {trio[1].text} is not of the dimension of {trio[2].text}; the rate must be per the count's unit",
                pointer=pointer,
                related=(trio[0].place("rate"), trio[1].place("count"), trio[2].place("total")), ids=finding_ids(rate_id, count_id, total_id),
            )


@rule(
    "SUM007", "same-figure-differs", Severity.ERROR,
    summary="A figure stated more than once with values that cannot all be true.",
    what="For a `same` relation, reports when the statements' intervals have no value in common.",
    why="Documents repeat their key figures (in the lead, in the body); two different values for one figure mean one is a slip.",
    example=(
        "observations:\n  - {id: a, metric: poor_villages, value: 54 villages, quote: \"all 54 poor villages\"}\n"
        "  - {id: b, metric: poor_villages, value: 45 villages, quote: \"all 54 poor villages\", derived: mistyped}\n"
        "relations:\n  - {kind: same, items: [a, b]}\n"
    ),
    use_instead=(
        "observations:\n  - {id: a, metric: poor_villages, value: 54 villages, quote: \"all 54 poor villages\"}\n"
        "  - {id: b, metric: poor_villages, value: 54 villages, quote: \"all 54 poor villages\"}\n"
        "relations:\n  - {kind: same, items: [a, b]}\n"
    ),
)
def same_figure_differs(context: RecordContext) -> Iterator[Finding]:
    for pointer, relation in relations_of_kind(context, "same"):
        items = resolve_all(context, relation.items)
        if items is None or dimensions_differ(items):
            continue
        if common_values([item.interval for item in items]) is None:
            shown = ", ".join(f"`{item_id}` {item.text}" for item_id, item in zip(relation.items, items, strict=True))
            yield Finding(f"these statements of one figure disagree: {shown}"
                + scale_slip_hint(items[0].interval.midpoint, items[-1].interval.midpoint),
                pointer=pointer,
                related=tuple(item.place("first statement" if i == 0 else "other statement") for i, item in enumerate(items)),
                ids=finding_ids(relation.id, *relation.items),
                data={"statements": [item.data() for item in items]},
            )


RULES = [parts_do_not_add_up, parts_exceed_total, subset_exceeds_whole, per_unit_mismatch,
         implausible_per_unit_value, relation_mixes_dimensions, same_figure_differs]
