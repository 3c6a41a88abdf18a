"""CROSS: figures that no relation ties together but that the record's own figures bound.

A curator relates the figures a sentence relates ('including', 'of which'). These rules relate the
figures a reader relates without being told: a group of the registered poor against the county's
register, whatever sentence states either. As in SUM, a rule fires only when no reading of the
numbers (rounding, qualifiers) satisfies it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ..findings import Finding, Severity
from ..typed import QuantityEntry, RecordContext
from ..schema_check import positioned
from .arithmetic import Resolved, resolve, scale_slip_hint, slip_factor
from .base import rule
from .dates import date_range

# The register itself: the county's count of registered poor households or people (建档立卡).
REGISTER_METRICS = ("registered_poor_households", "registered_poor_people")
# Metrics whose every figure counts registered poor (people lifted out are registered poor who exited).
COUNTS_OF_REGISTERED = (*REGISTER_METRICS, "households_lifted_out", "people_lifted_out")


@dataclass(frozen=True, slots=True)
class DatedCount:
    """A count of the record with the days it may hold at (None: the source gives no date)."""

    id: str
    figure: Resolved
    earliest: object
    latest: object


def _when(item, owner=None) -> tuple[object, object]:
    """(first day, last day) an item's figure may hold at: its date, else its period, else its owner's."""
    for candidate in (item, owner):
        if candidate is None:
            continue
        days = date_range(getattr(candidate, "date", None))
        if days is not None:
            return days
        period = getattr(candidate, "period", None)
        if period is not None:
            start = date_range(period.start)
            end = None if period.ongoing else date_range(period.end)
            return (start[0] if start else None), (end[1] if end else None)
    return None, None


def _figures(context: RecordContext) -> Iterator[tuple[str, object, object]]:
    """(pointer, item, owner) for every count with a metric: observations, outputs, outcomes, beneficiaries."""
    record = context.record
    for i, observation in positioned(record.observations):
        yield f"/observations/{i}", observation, None
    for i, programme in positioned(record.programmes):
        for group in ("outputs", "outcomes"):
            for j, output in enumerate(getattr(programme, group)):
                yield f"/programmes/{i}/{group}/{j}", output, programme
        if programme.beneficiaries is not None:
            for name in ("households", "people"):
                count = getattr(programme.beneficiaries, name)
                if count is not None:
                    yield f"/programmes/{i}/beneficiaries/{name}", count, programme


def _dated(context: RecordContext, entry: QuantityEntry, item, owner) -> DatedCount | None:
    figure = resolve(context, entry.name_id) if entry.name_id else None
    if figure is None or figure.entry is not entry:
        return None  # no id, or an id that names something else (REF rules report it)
    earliest, latest = _when(item, owner)
    return DatedCount(entry.name_id, figure, earliest, latest)


def _registers_and_groups(context: RecordContext) -> tuple[list[DatedCount], list[DatedCount]]:
    entries = {entry.pointer: entry for entry in context.quantities}
    registers, groups = [], []
    for pointer, item, owner in _figures(context):
        entry = entries.get(pointer)
        if entry is None or getattr(item, "planned", False):
            continue  # a plan is not a count of anyone
        counts_registered = entry.metric in COUNTS_OF_REGISTERED or getattr(item, "population", None) == "registered_poor"
        dated = _dated(context, entry, item, owner) if counts_registered else None
        if dated is None:
            continue
        groups.append(dated)
        if entry.metric in REGISTER_METRICS and owner is None:
            registers.append(dated)
    return registers, groups


def _register_for(group: DatedCount, registers: list[DatedCount]) -> DatedCount | None:
    """The largest register figure of the group's unit that may hold at or before the group's date.

    An undated register figure, or an undated group, is compared at any date: the register stated
    without a date is still the county's register, and a count can never exceed the largest of them.
    """
    candidates = [
        register for register in registers
        if register.figure.dimensionality == group.figure.dimensionality
        and (register.earliest is None or group.latest is None or register.earliest <= group.latest)
    ]
    return max(candidates, key=lambda r: r.figure.interval.high, default=None)


@rule(
    "CROSS001", "group-exceeds-register", Severity.ERROR,
    summary="A count of registered poor households or people larger than the county's own register.",
    what=(
        "The register is the record's observations of registered_poor_households and registered_poor_people "
        "(not planned). A count of registered poor is any figure of those metrics, of households_lifted_out "
        "or people_lifted_out, or any observation or programme output marked `population: registered_poor` "
        "(schema 1.1), with an id. Its date is its own date (or its period's end), else its programme's. "
        "Reports a count whose least reading exceeds the greatest reading of the largest register figure of "
        "the same unit that may hold at or before that date; an undated count, or an undated register "
        "figure, is compared at any date. No relation is needed."
    ),
    why=(
        "A group of the registered poor (those subsidised, paired with cadres, lifted out) cannot outnumber "
        "the register it is drawn from. One that does counts someone else (all households, not only the "
        "registered), counts twice, or is a slip; a reviewer should see it without the curator having to "
        "relate the two sentences."
    ),
    example=(
        "observations:\n  - {id: register, metric: registered_poor_households, value: \"4,811 households\", date: 2014,\n"
        "     quote: \"A total of 4,811 households\"}\n"
        "  - {id: helped, metric: households, population: registered_poor, value: \"8,164 households\", date: 2016,\n"
        "     quote: \"from 8,164 households\"}\n"
    ),
    use_instead=(
        "observations:\n  - {id: register, metric: registered_poor_households, value: \"4,811 households\", date: 2014,\n"
        "     quote: \"A total of 4,811 households\"}\n"
        "  - {id: helped, metric: households, value: \"8,164 households\", date: 2016, quote: \"from 8,164 households\",\n"
        "     label: all households helped, registered poor or not}\n"
    ),
)
def group_exceeds_register(context: RecordContext) -> Iterator[Finding]:
    registers, groups = _registers_and_groups(context)
    for group in groups:
        register = _register_for(group, registers)
        if register is None or register.figure.entry is group.figure.entry:
            continue
        if group.figure.interval.exceeds(register.figure.interval):
            yield Finding(
                f"`{group.id}` counts {group.figure.text} of the registered poor, more than the county's register "
                f"`{register.id}` ({register.figure.text}) at or before its date; say whom it counts (a generic metric "
                "without `population: registered_poor`), or check both figures against their quotes"
                + scale_slip_hint(group.figure.interval.midpoint, register.figure.interval.midpoint),
                pointer=group.figure.entry.reading_pointer,
                related=(group.figure.place("group"), register.figure.place("register")),
                ids=(group.id, register.id),
                data={"group": group.figure.data(), "register": register.figure.data(),
                      "factor": slip_factor(group.figure.interval.midpoint, register.figure.interval.midpoint)},
            )


RULES = [group_exceeds_register]
