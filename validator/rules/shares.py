"""PCT: stated percentages against their part and whole, shares that make a whole, bounded rates."""

from __future__ import annotations

import math
from typing import Iterator

from ..support.findings import Finding, Severity
from ..models.vocabulary import metric_definitions
from ..record.quantities import Interval, common_values, parse_unit
from ..support.text import clip
from ..record.typed import RecordContext
from .arithmetic import (
    base_unit_name, dimensions_differ, interval_data, relations_of_kind, resolve, resolve_all, scale_slip_hint, show, slip_factor,
    total_of,
)
from .base import rule

HUNDRED_PERCENT = Interval(1.0, 1.0)


def _percent(interval: Interval) -> str:
    return show(interval.scaled(100.0), "%")


@rule(
    "PCT001", "share-mismatch", Severity.ERROR,
    summary="A stated percentage that its part and whole do not give.",
    what=(
        "For a share with `part` and `whole`, divides the part's interval by the whole's and reports when no "
        "reading of the quotient meets any reading of the stated percentage (98.92 % means 98.915..98.925 %). "
        "A quotient off by a factor near 10^2..10^8 is named as a likely scale slip."
    ),
    why="'43.75 % of 4,290 households' is a claim that 1,877 households are meant; a percentage that its own figures contradict hides a slip in one of the three.",
    example=(
        "observations:\n  - {id: peach, metric: households, value: \"4,811 households\", quote: \"A total of 4,811 households\"}\n"
        "  - {id: poor, metric: registered_poor_households, value: \"8,164 households\", quote: \"from 8,164 households\"}\n"
        "shares:\n  - {id: peach-share, value: 16.57 %, part: peach, whole: poor, quote: \"from 16.57% in 2014\"}\n"
    ),
    use_instead=(
        "observations:\n  - {id: peach, metric: households, value: \"4,811 households\", quote: \"A total of 4,811 households\"}\n"
        "  - {id: poor, metric: registered_poor_households, value: \"8,164 households\", quote: \"from 8,164 households\"}\n"
        "shares:\n  - {id: peach-share, value: 58.93 %, part: peach, whole: poor, quote: \"4,811 households\",\n"
        "     derived: \"4,811 of 8,164 households\"}\n"
    ),
)
def share_mismatch(context: RecordContext) -> Iterator[Finding]:
    for share in context.record.shares:
        if share.part is None or share.whole is None:
            continue
        stated = resolve(context, share.id)
        pair = resolve_all(context, [share.part, share.whole])
        if stated is None or pair is None or dimensions_differ(pair) or stated.dimensionality:
            continue  # REF002, UNIT001/UNIT002 or SUM006 reports why
        part, whole = pair
        quotient = part.interval / whole.interval
        if not quotient.overlaps(stated.interval):
            yield Finding(f"`{share.part}` / `{share.whole}` = {part.text} / {whole.text} = {_percent(quotient)}, "
                f"but the share states {stated.text}"
                + (scale_slip_hint(quotient.midpoint, stated.interval.midpoint) or "; check the three figures against their quotes"),
                pointer=stated.entry.reading_pointer,
                related=(part.place("part"), whole.place("whole")),
                ids=tuple(dict.fromkeys((share.id, share.part, share.whole))),
                data={"stated": stated.data(), "part": part.data(), "whole": whole.data(), "quotient": interval_data(quotient),
                      "factor": slip_factor(quotient.midpoint, stated.interval.midpoint)},
            )


@rule(
    "PCT002", "shares-not-exhaustive", Severity.ERROR,
    summary="Shares said to make up a whole do not add up to 100 %.",
    what="For a `shares_complete` relation, adds the shares' intervals and reports when 100 % is not among the possible sums.",
    why="Shares that claim to be exhaustive but sum to 90 % or 110 % mean a share is missing, doubled, or misread.",
    example=(
        "shares:\n  - {id: a, value: 16.57 %, quote: \"from 16.57% in 2014\"}\n  - {id: b, value: 0.44 %, quote: \"to 0.44%\"}\n"
        "relations:\n  - {kind: shares_complete, parts: [a, b]}\n"
    ),
    use_instead=(
        "shares:\n  - {id: a, value: 99.56 %, quote: \"to 0.44%\", derived: 100 % less 0.44 %}\n  - {id: b, value: 0.44 %, quote: \"to 0.44%\"}\n"
        "relations:\n  - {kind: shares_complete, parts: [a, b]}\n"
    ),
)
def shares_not_exhaustive(context: RecordContext) -> Iterator[Finding]:
    for pointer, relation in relations_of_kind(context, "shares_complete"):
        shares = resolve_all(context, relation.parts)
        if shares is None or any(s.dimensionality for s in shares):
            continue
        total = total_of(shares)
        if not total.overlaps(HUNDRED_PERCENT):
            yield Finding(f"these shares sum to {_percent(total)}, not 100 %", pointer=pointer,
                          related=tuple(share.place("share") for share in shares), ids=tuple(relation.parts),
                          data={"sum": interval_data(total)})


def _bounds_for(metric: str | None) -> tuple[float | None, float | None] | None:
    definition = metric_definitions().get(metric or "")
    if definition is None or parse_unit(definition.dimension).dimensionality:
        return None
    return definition.minimum, definition.maximum


@rule(
    "PCT003", "percentage-out-of-bounds", Severity.ERROR,
    summary="A share above 100 % (or below 0 %), or a rate beyond the bounds its metric sets.",
    what=(
        "Reports a share (a part of a whole) whose every reading is above 100 % or below 0 %, and a percentage of "
        "a metric that the vocabulary bounds (poverty_incidence and rate: 0 to 100 %) outside those bounds. "
        "Growth rates (metric ratio) may exceed 100 % and are not bounded."
    ),
    why="A poverty incidence of 165.7 % is a misplaced decimal point; it would otherwise pass every check.",
    example="observations:\n  - {id: incidence, metric: poverty_incidence, value: 165.7 %, quote: \"from 16.57% in 2014\", derived: mistyped}\n",
    use_instead="observations:\n  - {id: incidence, metric: poverty_incidence, value: 16.57 %, quote: \"from 16.57% in 2014\"}\n",
)
def percentage_out_of_bounds(context: RecordContext) -> Iterator[Finding]:
    for entry in context.quantities:
        if entry.reading is None or entry.reading.unit.dimensionality:
            continue
        if entry.pointer.startswith("/shares/"):
            bounds: tuple[float | None, float | None] | None = (0.0, 100.0)
        else:
            bounds = _bounds_for(entry.metric)
        if bounds is None:
            continue
        low, high = bounds
        allowed = Interval(-math.inf if low is None else low / 100, math.inf if high is None else high / 100)
        if not entry.interval.overlaps(allowed):
            yield Finding(f"{clip(entry.reading.text)} is outside {_bound(low)} %..{_bound(high)} %, the bounds of "
                + ("a share" if entry.pointer.startswith("/shares/") else f"metric {entry.metric}"),
                pointer=entry.reading_pointer,
            )


def _bound(value: float | None) -> str:
    return "any" if value is None else f"{value:g}"


@rule(
    "PCT004", "implied-denominators-disagree", Severity.WARNING,
    summary="A rate stated at several dates with its count implies denominators that disagree.",
    what=(
        "For an `implied_denominator` relation (e.g. poverty incidence with the registered poor people at two "
        "dates), computes count / rate for each pair and warns when no single denominator fits all of them."
    ),
    why=(
        "Poverty incidence is poor people over the rural registered population; that population changes slowly. "
        "Denominators that differ by a large factor mean a rate or a count is misread (people as households, a lost 万)."
    ),
    example=(
        "observations:\n  - {id: people-2014, metric: registered_poor_people, value: \"26,761 people\", quote: \"26,761 in 2014\"}\n"
        "  - {id: rate-2014, metric: poverty_incidence, value: 16.57 %, quote: \"from 16.57% in 2014\"}\n"
        "  - {id: people-now, metric: registered_poor_people, value: 716 people, quote: \"403 households and 716\"}\n"
        "  - {id: rate-now, metric: poverty_incidence, value: 16.57 %, quote: \"from 16.57% in 2014\"}\n"
        "relations:\n  - kind: implied_denominator\n    pairs: [{rate: rate-2014, count: people-2014}, {rate: rate-now, count: people-now}]\n"
    ),
    use_instead=(
        "observations:\n  - {id: people-2014, metric: registered_poor_people, value: \"26,761 people\", quote: \"26,761 in 2014\"}\n"
        "  - {id: rate-2014, metric: poverty_incidence, value: 16.57 %, quote: \"from 16.57% in 2014\"}\n"
        "  - {id: people-now, metric: registered_poor_people, value: 716 people, quote: \"403 households and 716\"}\n"
        "  - {id: rate-now, metric: poverty_incidence, value: 0.44 %, quote: \"to 0.44%\"}\n"
        "relations:\n  - kind: implied_denominator\n    pairs: [{rate: rate-2014, count: people-2014}, {rate: rate-now, count: people-now}]\n"
    ),
)
def implied_denominators_disagree(context: RecordContext) -> Iterator[Finding]:
    for pointer, relation in relations_of_kind(context, "implied_denominator"):
        denominators = []
        for pair in relation.pairs:
            resolved = resolve_all(context, [pair.rate, pair.count])
            if resolved is None or resolved[0].dimensionality:
                break
            denominators.append((pair, resolved[1], resolved[1].interval / resolved[0].interval))
        else:
            if len({count.dimensionality for _, count, _ in denominators}) > 1:
                continue
            if common_values([d for _, _, d in denominators]) is None:
                unit = base_unit_name(denominators[0][1].dimensionality)
                shown = "; ".join(f"{p.count} / {p.rate} = {show(d, unit)}" for p, _, d in denominators)
                yield Finding(f"the implied denominators disagree beyond rounding: {shown}"
                    + scale_slip_hint(denominators[0][2].midpoint, denominators[-1][2].midpoint),
                    pointer=pointer,
                )


RULES = [share_mismatch, shares_not_exhaustive, percentage_out_of_bounds, implied_denominators_disagree]
