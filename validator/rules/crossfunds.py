"""CROSS (funds): a fund for several years smaller than a fund for one year inside them.

Part of the CROSS family (see crossfigures.py); kept apart because it compares funds with funds by
their dates, where crossmoney.py compares a programme's money with the counts it pays for.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Iterator, NamedTuple

from ..support.findings import Finding, Severity
from ..record.typed import RecordContext
from .arithmetic import Resolved, relations_of_kind, resolve, scale_slip_hint, slip_factor
from .base import rule
from .dates import date_range
from .limits import FINDINGS_PER_RULE, capped

# Pairs of a period fund and a larger one-year fund that cannot be the same money a record may make
# the rule compare: thousands of funds of one stage make a few thousand comparisons; only a record
# made to be slow reaches this, and it is told which fund the comparing stopped at.
COMPARISONS_PER_RECORD = 200_000
# A fund's span no longer than this is "for one year" (a year, or a period of twelve months or less).
ONE_YEAR = timedelta(days=366)


class DatedFund(NamedTuple):
    """A fund with its amount as rules read it and the days it covers (last None: ongoing)."""

    fund: object
    amount: Resolved
    first: date
    last: date | None

    def contains(self, other: DatedFund) -> bool:
        """Every day of the other fund is one of this fund's, and this fund covers more days."""
        if other.last is None or other.first < self.first:
            return False
        if self.last is None:
            return True
        return other.last <= self.last and (self.last - self.first) > (other.last - other.first)

    @property
    def for_one_year(self) -> bool:
        return self.last is not None and self.last - self.first < ONE_YEAR


def _span(fund) -> tuple[date, date | None] | None:
    days = date_range(fund.date)
    if days is not None:
        return days
    if fund.period is None:
        return None
    start = date_range(fund.period.start)
    end = None if fund.period.ongoing else date_range(fund.period.end)
    if start is None or (end is None and not fund.period.ongoing):
        return None  # DATE001 reports a date that does not exist
    return start[0], (end[1] if end else None)


def _dated_funds(context: RecordContext) -> list[DatedFund]:
    funds = []
    for fund in context.record.funds:
        amount, span = resolve(context, fund.id), _span(fund)
        if amount is not None and span is not None and amount.dimensionality == (("[currency]", 1.0),):
            funds.append(DatedFund(fund, amount, *span))
    return funds


def _declared_parts(context: RecordContext) -> set[tuple[str, str]]:
    """(part, whole) fund ids the record declares: a fund's parts, and subset and within relations."""
    pairs = {(part, fund.id) for fund in context.record.funds for part in fund.parts}
    pairs.update((relation.part, relation.whole) for _, relation in relations_of_kind(context, "subset", "within"))
    return pairs


def _programmes_by_fund(context: RecordContext) -> dict[str, set[str]]:
    named: dict[str, set[str]] = {}
    for programme in context.record.programmes:
        for fund_id in programme.funds:
            named.setdefault(fund_id, set()).add(programme.id)
    return named


@rule(
    "CROSS008", "fund-period-smaller-than-year-inside", Severity.WARNING,
    summary="A fund for several years smaller than a fund for one year inside them, at the same stage and level.",
    what=(
        "Compares each fund with a `period` (the amount of several years, or since a start: ongoing) with each "
        "fund for one year (a `date` that is a year, a month or a day, or a period of twelve months or less) whose "
        "days lie inside that period, and warns, at the period's amount, where the one-year amount is larger than "
        "every reading of the period's (curated readings, rounding and qualifiers as in SUM). Only funds that can "
        "be the same money are compared: the same `stage` (planned, allocated, received, ...), the same `level` "
        "(both unstated counts as the same), and, where both are named by programmes, a programme naming both. "
        "A period fund the record declares a part of the one-year fund (its `parts`, or a subset relation) is "
        "left alone. A fund's `date` is read as the money of that year, not a total up to it. A period fund is "
        f"reported once, with the largest such one-year fund; a record's first {FINDINGS_PER_RULE} findings are listed, "
        "and one more finding counts the rest."
    ),
    why=(
        "'Since 2016 the county has invested 5.838 million yuan' beside '175 million yuan invested in 2020 alone' "
        "cannot both hold: five years of the money cannot be less than one of them. One figure lost a scale word "
        "(亿 rendered million) or the two are not the same money. Warning, not error: the record cannot say "
        "that two funds of one stage and level are for the same purpose, and a narrower fund over several years "
        "may rightly be smaller than a broader one of a single year."
    ),
    example=(
        "funds:\n  - id: since-2016\n    label: various poverty alleviation funds invested since 2016\n    stage: invested\n"
        "    level: county\n    period: {start: 2016, end: 2020}\n"
        "    amount: {value: 5.838 million yuan, quote: \"26.2 million yuan\", derived: test}\n"
        "  - id: in-2020\n    label: funds invested in 2020\n    stage: invested\n    level: county\n    date: 2020\n"
        "    amount: {value: 175 million yuan, quote: \"26.2 million yuan\", derived: test}\n"
    ),
    use_instead=(
        "funds:\n  - id: since-2016\n    label: various poverty alleviation funds invested since 2016\n    stage: invested\n"
        "    level: county\n    period: {start: 2016, end: 2020}\n"
        "    amount:\n      value: 5.838 million yuan\n      quote: \"26.2 million yuan\"\n      derived: test\n"
        "      curated: {value: 5.838 yi yuan, note: The translation wrote 5.838亿元 as million yuan.}\n"
        "  - id: in-2020\n    label: funds invested in 2020\n    stage: invested\n    level: county\n    date: 2020\n"
        "    amount: {value: 175 million yuan, quote: \"26.2 million yuan\", derived: test}\n"
    ),
)
def fund_period_smaller_than_year_inside(context: RecordContext) -> Iterator[Finding]:
    yield from capped(_periods_smaller_than_a_year_inside(context))


def _periods_smaller_than_a_year_inside(context: RecordContext) -> Iterator[Finding]:
    """For each period fund, the largest one-year fund inside it that is larger than it, if any.

    The one-year funds of each stage and level are sorted largest first, so a period fund is compared
    only with the ones larger than it, and stops at the first that can be the same money: a record of
    thousands of funds costs a sort, not every pair. Funds larger than the period's that cannot be the
    same money (another programme, another span) are compared up to a budget per record.
    """
    funds = _dated_funds(context)
    declared = _declared_parts(context)
    programmes = _programmes_by_fund(context)
    largest_first: dict[tuple, list[DatedFund]] = {}
    for fund in funds:
        if fund.for_one_year:
            largest_first.setdefault((fund.fund.stage, fund.fund.level), []).append(fund)
    for group in largest_first.values():
        group.sort(key=lambda fund: -fund.amount.interval.low if fund.amount.interval.defined else -math.inf)
    comparisons = COMPARISONS_PER_RECORD
    for period in funds:
        if period.fund.period is None:
            continue
        for year in largest_first.get((period.fund.stage, period.fund.level), ()):
            if not year.amount.interval.exceeds(period.amount.interval):
                break  # neither this one-year fund nor any smaller one is larger than the period's
            if comparisons == 0:
                yield _not_compared(period)
                return
            comparisons -= 1
            if _same_money(period, year, programmes) and period.contains(year) and (period.fund.id, year.fund.id) not in declared:
                yield _finding(period, year)
                break


def _same_money(period: DatedFund, year: DatedFund, programmes: dict[str, set[str]]) -> bool:
    if period.fund.stage != year.fund.stage or period.fund.level != year.fund.level:
        return False
    named_period, named_year = programmes.get(period.fund.id), programmes.get(year.fund.id)
    return not (named_period and named_year) or bool(named_period & named_year)


def _not_compared(period: DatedFund) -> Finding:
    return Finding(
        f"`{period.fund.id}` and the period funds after it were not compared with the one-year funds inside them: "
        f"this record's funds took the {COMPARISONS_PER_RECORD:,} comparisons a record may; give the funds their "
        "programmes, or split the record",
        pointer=period.amount.entry.reading_pointer,
    )


def _finding(period: DatedFund, year: DatedFund) -> Finding:
    low, high = period.amount.interval.midpoint, year.amount.interval.midpoint
    return Finding(
        f"`{period.fund.id}` ({period.amount.text}) over its period is less than `{year.fund.id}` ({year.amount.text}) "
        f"in one year inside it, at the same stage ({period.fund.stage}); check both against their quotes, or say how "
        "they differ (a level, a programme)" + scale_slip_hint(high, low),
        pointer=period.amount.entry.reading_pointer,
        related=(period.amount.place("period"), year.amount.place("one year")),
        ids=(period.fund.id, year.fund.id),
        data={"period": period.amount.data(), "one_year": year.amount.data(), "factor": slip_factor(high, low)},
    )


RULES = [fund_period_smaller_than_year_inside]
