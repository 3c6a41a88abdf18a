"""CROSS: figures that no relation ties together but that the record's own figures bound.

A curator relates the figures a sentence relates ('including', 'of which'). These rules relate the
figures a reader relates without being told: a group of the registered poor against the county's
register, whatever sentence states either. As in SUM, a rule fires only when no reading of the
numbers (rounding, qualifiers) satisfies it.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from itertools import accumulate
from typing import Iterator, NamedTuple

from ..support.findings import Finding, Severity
from ..record.typed import QuantityEntry, RecordContext, statement_of
from ..record.quantities import Interval
from .arithmetic import Resolved, base_unit_name, finding_ids, resolve_entry, interval_data, relations_of_kind, resolve, resolve_all, scale_slip_hint, show, slip_factor
from .base import rule
from .dates import date_range
from .limits import FINDINGS_PER_RULE, capped

# The register itself: the county's count of registered poor households or people (建档立卡).
REGISTER_METRICS = ("registered_poor_households", "registered_poor_people")
# Metrics whose every figure counts registered poor (people lifted out are registered poor who exited).
COUNTS_OF_REGISTERED = (*REGISTER_METRICS, "households_lifted_out", "people_lifted_out")


class DatedCount(NamedTuple):
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


def _figures(context: RecordContext) -> Iterator[tuple[object, object]]:
    """(item, owner) for every count with a metric: observations, outputs, outcomes, beneficiaries."""
    record = context.record
    for observation in record.observations:
        yield observation, None
    for programme in record.programmes:
        for group in ("outputs", "outcomes"):
            for output in getattr(programme, group):
                yield output, programme
        if programme.beneficiaries is not None:
            for name in ("households", "people"):
                count = getattr(programme.beneficiaries, name)
                if count is not None:
                    yield count, programme


def _dated(context: RecordContext, entry: QuantityEntry, item, owner) -> DatedCount | None:
    figure = resolve(context, entry.name_id) if entry.name_id else None
    if figure is None or figure.entry is not entry:
        return None  # no id, or an id that names something else (REF rules report it)
    earliest, latest = _when(item, owner)
    return DatedCount(entry.name_id, figure, earliest, latest)


def _registers_and_groups(context: RecordContext) -> tuple[list[DatedCount], list[DatedCount]]:
    registers, groups = [], []
    for item, owner in _figures(context):
        entry = context.entry_of(item)
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


def _largest_first(register: DatedCount, position: int) -> tuple[float, int]:
    return register.figure.interval.high, -position  # ties: the register stated first


class Registers:
    """The register figures by unit, so that the largest one a count may be compared with is found by bisection.

    An undated register figure, or an undated count, is compared at any date: the register stated
    without a date is still the county's register, and a count can never exceed the largest of them.
    """

    def __init__(self, registers: list[DatedCount]) -> None:
        by_unit: dict[tuple, list[tuple[DatedCount, int]]] = {}
        for position, register in enumerate(registers):
            by_unit.setdefault(register.figure.dimensionality, []).append((register, position))
        # unit -> (largest undated, the dated ones' first days in order, the largest dated up to each)
        self._by_unit: dict[tuple, tuple] = {}
        for unit, figures in by_unit.items():
            undated = max(((r, p) for r, p in figures if r.earliest is None), key=lambda rp: _largest_first(*rp), default=None)
            dated = sorted(((r, p) for r, p in figures if r.earliest is not None), key=lambda rp: rp[0].earliest)
            largest_so_far: list[tuple[DatedCount, int]] = []
            for register in dated:
                if not largest_so_far or _largest_first(*register) > _largest_first(*largest_so_far[-1]):
                    largest_so_far.append(register)
                else:
                    largest_so_far.append(largest_so_far[-1])
            self._by_unit[unit] = (undated, [r.earliest for r, _ in dated], largest_so_far)

    def largest_for(self, group: DatedCount) -> DatedCount | None:
        """The largest register figure of the group's unit that may hold at or before the group's date."""
        if group.figure.dimensionality not in self._by_unit:
            return None
        undated, first_days, largest_so_far = self._by_unit[group.figure.dimensionality]
        held = len(first_days) if group.latest is None else bisect_right(first_days, group.latest)
        candidates = [c for c in (undated, largest_so_far[held - 1] if held else None) if c is not None]
        best = max(candidates, key=lambda rp: _largest_first(*rp), default=None)
        return best[0] if best is not None else None


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
        f"figure, is compared at any date. No relation is needed. A record's first {FINDINGS_PER_RULE} findings are "
        "listed, and one more finding counts the rest."
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
    yield from capped(_groups_exceeding_register(context))


def _groups_exceeding_register(context: RecordContext) -> Iterator[Finding]:
    registers, groups = _registers_and_groups(context)
    by_unit = Registers(registers)
    for group in groups:
        register = by_unit.largest_for(group)
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



# Dimensions of measured amounts, not of counted things: a yuan or a metre has no "whole number" of them.
_MEASURED = {"[currency]", "[usd_currency]", "[length]", "[mass]", "[time]", "[power]"}
# Integers of a part tried before a whole is taken to exist: past a few hundred the wholes that fit a
# stated percentage are so many that some integer is always among them.
_PART_BUDGET = 10_000
# How far an implied whole may be from every stated register figure before CROSS003 warns.
_FAR = 0.10
# Register figures a CROSS003 finding names (the nearest): a record may state hundreds.
REGISTERS_NAMED = 5


def _is_count(figure: Resolved) -> bool:
    dims = figure.dimensionality
    return len(dims) == 1 and dims[0][1] == 1.0 and dims[0][0] not in _MEASURED


def _shares_without_whole(context: RecordContext) -> Iterator[tuple[object, Resolved, Resolved]]:
    """(share, its stated percentage, its part) for shares whose part is a count and whose whole is not stated."""
    for share in context.record.shares:
        if share.part is None or share.whole is not None:
            continue
        stated, part = resolve(context, share.id), resolve(context, share.part)
        if stated is None or part is None or stated.dimensionality or not _is_count(part):
            continue  # REF002, UNIT001/UNIT002 report why
        yield share, stated, part


def whole_for(part: Interval, share: Interval) -> tuple[int, int] | None:
    """A (part, whole) pair of whole numbers whose quotient is a reading of `share`, or None if none is.

    Work is bounded: at most _PART_BUDGET part values are tried, and past them a whole is assumed.
    """
    if not (math.isfinite(part.low) and math.isfinite(part.high)) or share.low <= 0 or share.low > 1:
        return (0, 0)  # no bound on the whole: PCT003 and UNIT rules report impossible percentages
    first, last = max(1, math.ceil(part.low)), math.floor(part.high)
    if last - first >= _PART_BUDGET:
        return (first, first)
    for count in range(first, last + 1):
        lowest, highest = math.ceil(count / min(share.high, 1.0) - 1e-9), math.floor(count / share.low + 1e-9)
        if lowest <= highest:
            return count, lowest
    return None


@rule(
    "CROSS002", "no-whole-gives-share", Severity.ERROR,
    summary="A percentage of a counted part that no whole number of the whole gives.",
    what=(
        "For a share with a `part` that counts things (people, households, projects) and no `whole`, "
        "looks for whole numbers n (a reading of the part) and w (the unstated whole, at least n) with n / w "
        "a reading of the stated percentage (48.9 % is 48.85..48.95 %). Reports the share when there are none, "
        "and names the nearest wholes."
    ),
    why=(
        "A share whose whole the source leaves out is still a claim: 21 people are 48.9 % of some number of "
        "people. 21 / 43 is 48.84 % and 21 / 42 is 50 %: no number of people makes the claim true, so the part, "
        "the percentage or the sentence that joins them is wrong."
    ),
    example=(
        "programmes:\n  - id: cadres\n    name: Cadres promoted\n    category: governance\n    outputs:\n"
        "      - {id: promoted, metric: cadres, value: 21 people, quote: \"21 poor people\", derived: 8 and 13}\n"
        "shares:\n  - {id: promoted-share, value: 48.9 %, part: promoted, quote: \"48.9%\"}\n"
    ),
    use_instead=(
        "programmes:\n  - id: cadres\n    name: Cadres promoted\n    category: governance\n    outputs:\n"
        "      - {id: promoted, metric: cadres, value: 21 people, quote: \"21 poor people\", derived: 8 and 13}\n"
        "shares:\n  - {id: promoted-share, value: 48.8 %, part: promoted, quote: \"48.8%\"}\n"
    ),
)
def no_whole_gives_share(context: RecordContext) -> Iterator[Finding]:
    for share, stated, part in _shares_without_whole(context):
        if whole_for(part.interval, stated.interval) is not None:
            continue
        count = max(1, round(part.interval.midpoint))
        near = sorted({max(count, math.floor(count / stated.interval.midpoint)), max(count, math.ceil(count / stated.interval.midpoint))})
        shown = ", ".join(f"{count:,} / {w:,} = {100 * count / w:.2f} %" for w in near)
        yield Finding(
            f"no whole number gives {stated.text} of `{share.part}` ({part.text}): {shown}; check the part, the "
            "percentage and what the source says it is a share of",
            pointer=stated.entry.reading_pointer,
            related=(part.place("part"),),
            ids=(share.id, share.part),
            data={"stated": stated.data(), "part": part.data(), "nearest_wholes": near},
        )


def _parts_of_a_register(context: RecordContext) -> set[str]:
    """Ids the record's subset relations put inside a register figure."""
    parts = set()
    for _, relation in relations_of_kind(context, "subset"):
        whole = context.quantity_by_id.get(relation.whole)
        if whole is not None and whole.metric in REGISTER_METRICS:
            parts.add(relation.part)
    return parts


def _counts_registered(part_id: str, part: Resolved, parts_of_a_register: set[str]) -> bool:
    """Whether a share's part counts registered poor: by metric, by population, or as a subset of the register."""
    return (part.entry.metric in COUNTS_OF_REGISTERED or getattr(part.entry.quantity, "population", None) == "registered_poor"
            or part_id in parts_of_a_register)


class NearRegisters:
    """Register figures of one unit, each widened by _FAR, so that whether a whole is near one is found by bisection."""

    def __init__(self, registers: list[DatedCount]) -> None:
        widened = sorted((r.figure.interval.low * (1 - _FAR), r.figure.interval.high * (1 + _FAR))
                         for r in registers if r.figure.interval.defined)
        self._lows = [low for low, _ in widened]
        self._highest_so_far = list(accumulate((high for _, high in widened), max))
        self._by_size = sorted(registers, key=lambda r: r.figure.interval.midpoint)  # in the record's order where equal
        self._midpoints = [r.figure.interval.midpoint for r in self._by_size]

    def nearest(self, implied: Interval) -> list[DatedCount]:
        """The register figures next to the implied whole in size (at most REGISTERS_NAMED), smallest first."""
        at = bisect_right(self._midpoints, implied.midpoint)
        return self._by_size[max(0, at - REGISTERS_NAMED // 2 - 1):][:REGISTERS_NAMED]

    def near(self, implied: Interval) -> bool:
        """Whether some widened register figure overlaps the implied whole."""
        starting_below = bisect_right(self._lows, implied.high)
        return starting_below > 0 and self._highest_so_far[starting_below - 1] >= implied.low


@rule(
    "CROSS003", "implied-whole-far-from-register", Severity.WARNING,
    summary="A share of the registered poor whose implied whole is far from every register figure the record states.",
    what=(
        f"For a share with a counted `part` of the registered poor (by metric, `population: registered_poor`, or a "
        f"`subset` of a register figure) and no `whole`, divides the part by the percentage and warns when the implied "
        f"whole is more than {_FAR:.0%} away from every registered_poor_* observation of the same unit, at any date. A "
        f"finding names the {REGISTERS_NAMED} register figures next to the implied whole in size; a record's first "
        f"{FINDINGS_PER_RULE} findings are listed, and one more finding counts the rest."
    ),
    why=(
        "'17,267 people, 80.7 % of the poor people of the county' implies a register of about 21,400 people; if "
        "the county's stated register is 26,761, the share is of some other whole (a later register, a township) "
        "or one of the figures is wrong, and a reader cannot tell which."
    ),
    example=(
        "observations:\n  - {id: register, metric: registered_poor_people, value: \"26,761 people\", date: 2014, quote: \"26,761 in 2014\"}\n"
        "  - {id: linked, metric: people, population: registered_poor, value: \"14,238 people\", quote: \"14,238 poor people\"}\n"
        "shares:\n  - {id: linked-share, value: 16.57 %, part: linked, quote: \"from 16.57% in 2014\"}\n"
    ),
    use_instead=(
        "observations:\n  - {id: register, metric: registered_poor_people, value: \"26,761 people\", date: 2014, quote: \"26,761 in 2014\"}\n"
        "  - {id: linked, metric: people, population: registered_poor, value: \"14,238 people\", quote: \"14,238 poor people\"}\n"
        "shares:\n  - {id: linked-share, value: 53.2 %, part: linked, quote: \"14,238 poor people\", derived: \"14,238 of 26,761\"}\n"
    ),
)
def implied_whole_far_from_register(context: RecordContext) -> Iterator[Finding]:
    yield from capped(_implied_wholes_far_from_register(context))


def _implied_wholes_far_from_register(context: RecordContext) -> Iterator[Finding]:
    registers, _ = _registers_and_groups(context)
    parts_of_a_register = _parts_of_a_register(context)
    by_unit: dict[tuple, tuple[list[DatedCount], NearRegisters]] = {}
    for share, stated, part in _shares_without_whole(context):
        if part.dimensionality not in by_unit:
            # Each register figure once, though the source may state it twice (in the lead and the body).
            same_unit = list({r.figure.text: r for r in reversed(registers) if r.figure.dimensionality == part.dimensionality}.values())[::-1]
            by_unit[part.dimensionality] = same_unit, NearRegisters(same_unit)
        same_unit, near = by_unit[part.dimensionality]
        if not same_unit or not _counts_registered(share.part, part, parts_of_a_register):
            continue
        implied = part.interval / stated.interval
        if not implied.defined or near.near(implied):
            continue
        unit = base_unit_name(part.dimensionality)
        named = near.nearest(implied)
        more = f" and {len(same_unit) - len(named):,} more" if len(same_unit) > len(named) else ""
        yield Finding(
            f"{part.text} at {stated.text} implies a whole of {show(implied, unit)}, more than {_FAR:.0%} from every register "
            f"figure of the record ({', '.join(r.figure.text for r in named)}{more}); say what the whole is, or check the figures",
            pointer=stated.entry.reading_pointer,
            related=(part.place("part"), *(r.figure.place("register") for r in named)),
            ids=(share.id, share.part, *(r.id for r in named)),
            data={"stated": stated.data(), "part": part.data(), "implied_whole": interval_data(implied),
                  "registers": [r.figure.data() for r in named]},
        )


# People per household a pair of counts may imply: a household of one is common among the poor
# (the elderly living alone); rural households of more than eight are rare (census household sizes).
PEOPLE_PER_HOUSEHOLD = Interval(1.0, 8.0)
# Metrics that state the same group in households and in people.
_HOUSEHOLD_PEOPLE_METRICS = {
    "registered_poor_households": "registered_poor_people", "households": "people",
    "relocated_households": "relocated_people", "households_lifted_out": "people_lifted_out",
    "monitored_households": "monitored_people",
}
_PEOPLE_METRICS = frozenset(_HOUSEHOLD_PEOPLE_METRICS.values())
_HOUSEHOLD, _PERSON = (("[household]", 1.0),), (("[person]", 1.0),)
# A clause ("8,164 households with 26,761 people") states a pair or two; more people figures of one
# metric sharing a quote and a date are a list, not a pair.
MAX_PEOPLE_PER_STATEMENT = 4


def _household_people_pairs(context: RecordContext) -> Iterator[tuple[Resolved, Resolved]]:
    """(households, people) stated as one group: a programme's beneficiaries, or two observations of
    paired metrics with one date and one quote ('8,164 households with 26,761 people')."""
    for programme in context.record.programmes:
        beneficiaries = programme.beneficiaries
        pair = [resolve_entry(context.entry_of(getattr(beneficiaries, name) if beneficiaries else None)) for name in ("households", "people")]
        if pair[0] is not None and pair[1] is not None:
            yield pair[0], pair[1]
    observations = list(context.record.observations)
    # By statement (metric, quote, date), so that pairing is linear in the observations, not quadratic.
    people_by_statement: dict[tuple, list] = {}
    for people in observations:
        if not people.planned and people.metric in _PEOPLE_METRICS and statement_of(people) is not None:
            people_by_statement.setdefault((people.metric, statement_of(people), people.date), []).append(people)
    for households in observations:
        people_metric = _HOUSEHOLD_PEOPLE_METRICS.get(households.metric)
        if people_metric is None or households.planned:
            continue
        group = people_by_statement.get((people_metric, statement_of(households), households.date), ())
        # One clause states one group; a quote shared by many figures of the metric states no pair.
        for people in group if len(group) <= MAX_PEOPLE_PER_STATEMENT else ():
            pair = resolve_all(context, [households.id, people.id])
            if pair is not None:
                yield pair[0], pair[1]


@rule(
    "CROSS004", "implausible-household-size", Severity.WARNING,
    summary="Households and people stated as one group imply an implausible number of people per household.",
    what=(
        "For a programme's beneficiaries with both households and people, and for two observations of paired "
        "metrics (registered_poor_households and registered_poor_people, households and people, ...) with the same "
        "date and quote, divides people by households and warns when no reading lies within "
        f"{PEOPLE_PER_HOUSEHOLD.low:g} to {PEOPLE_PER_HOUSEHOLD.high:g} people per household."
    ),
    why=(
        "'749 households with 787 people' is 1.05 a household and '8,164 households with 26,761 people' 3.3; fewer "
        "people than households, or twenty a household, means the two counts are not of one group or one is a slip "
        "(people written as households, a lost 万)."
    ),
    example=(
        "programmes:\n  - id: relocation\n    name: Relocation\n    category: relocation\n    beneficiaries:\n"
        "      households: {value: \"8,164 households\", quote: \"from 8,164 households\"}\n"
        "      people: {value: 716 people, quote: \"to 403 households and 716\"}\n"
    ),
    use_instead=(
        "programmes:\n  - id: relocation\n    name: Relocation\n    category: relocation\n    beneficiaries:\n"
        "      households: {value: \"403 households\", quote: \"to 403 households and 716\"}\n"
        "      people: {value: 716 people, quote: \"to 403 households and 716\"}\n"
    ),
)
def implausible_household_size(context: RecordContext) -> Iterator[Finding]:
    for households, people in _household_people_pairs(context):
        if households.dimensionality != _HOUSEHOLD or people.dimensionality != _PERSON:
            continue  # UNIT002 reports a count in the wrong unit
        size = people.interval / households.interval
        if size.defined and not size.overlaps(PEOPLE_PER_HOUSEHOLD):
            yield Finding(
                f"{people.text} in {households.text} is {show(size)} people per household, outside "
                f"{PEOPLE_PER_HOUSEHOLD.low:g} to {PEOPLE_PER_HOUSEHOLD.high:g}; check that both count one group "
                "and that neither lost a scale word (万)",
                pointer=people.entry.reading_pointer,
                related=(households.place("households"), people.place("people")),
                ids=finding_ids(households.entry.name_id, people.entry.name_id),
                data={"households": households.data(), "people": people.data(), "people_per_household": interval_data(size)},
            )


RULES = [group_exceeds_register, no_whole_gives_share, implied_whole_far_from_register, implausible_household_size]
