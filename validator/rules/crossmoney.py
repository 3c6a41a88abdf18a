"""CROSS (money): amounts that the counts they pay for make implausible, with no relation stated.

Part of the CROSS family (see crossfigures.py); kept apart because it reads funds, not counts.
"""

from __future__ import annotations

from typing import Iterator

from ..support.findings import Finding, Severity
from ..record.quantities import format_number
from ..support.text import clip
from ..record.typed import RecordContext
from .arithmetic import Resolved, finding_ids, interval_data, resolve, resolve_entry
from .base import rule

# The least a programme's money can plausibly come to per thing it paid for, in yuan. A project of a
# county programme costs tens of thousands of yuan at least; a programme that reaches a household or a
# person gives it more than a few yuan.
MINIMUM_PER_UNIT = {"[project]": 10_000.0, "[household]": 10.0, "[person]": 10.0}
_UNIT_NAMES = {"[project]": "project", "[household]": "household", "[person]": "person"}
# Scale words a translation loses or misreads: 万 dropped (x 10^4), 亿 written as million (x 10^2).
_SLIPS = ((10_000, "a lost 万 restored, x 10^4"), (100, "million read as 亿, x 100"))


def _programme_money_and_counts(context: RecordContext) -> Iterator[tuple[object, Resolved, Resolved]]:
    """(programme, its largest fund, a count it paid for): outputs of metric projects and beneficiaries."""
    for programme in context.record.programmes:
        funds = [resolve(context, fund_id) for fund_id in programme.funds]
        funds = [f for f in funds if f is not None and f.dimensionality == (("[currency]", 1.0),)]
        if not funds:
            continue
        largest = max(funds, key=lambda f: f.interval.high)
        beneficiaries = programme.beneficiaries
        counts = [resolve_entry(context.entry_of(getattr(beneficiaries, name) if beneficiaries else None)) for name in ("households", "people")]
        counts += [resolve_entry(context.entry_of(output))
                   for output in programme.outputs if output.metric == "projects" and not output.planned]
        for count in counts:
            if count is not None and len(count.dimensionality) == 1 and count.dimensionality[0][0] in MINIMUM_PER_UNIT:
                yield programme, largest, count


@rule(
    "CROSS005", "too-little-money-per-unit", Severity.WARNING,
    summary="A programme's money spread over its projects or beneficiaries leaves implausibly little for each.",
    what=(
        "For a programme that names funds, divides the largest of them by each count the programme states (its "
        "beneficiary households and people, its outputs of metric projects) and warns when even the greatest "
        "reading leaves less than "
        + ", ".join(f"{v:,.0f} yuan a {_UNIT_NAMES[k]}" for k, v in MINIMUM_PER_UNIT.items())
        + ". The message says what the amount would give with 万 restored (x 10^4) or 亿 read as million (x 10^2)."
    ),
    why=(
        "'5.838 million yuan over 2,056 projects' is 2,839 yuan a project: no county project costs that. The "
        "translation wrote 5.838亿元 as 'million'; nothing else relates the two figures."
    ),
    example=(
        "funds:\n  - id: poverty-funds\n    label: poverty alleviation funds since 2016\n    stage: invested\n"
        "    amount: {value: 5.838 million yuan, quote: \"26.2 million yuan\", derived: test}\n"
        "programmes:\n  - id: projects\n    name: Project library\n    category: other\n    funds: [poverty-funds]\n"
        "    outputs:\n      - {id: poverty-projects, metric: projects, value: \"2,056 projects\", quote: \"8,164\", derived: test}\n"
    ),
    use_instead=(
        "funds:\n  - id: poverty-funds\n    label: poverty alleviation funds since 2016\n    stage: invested\n"
        "    amount:\n      value: 5.838 million yuan\n      quote: \"26.2 million yuan\"\n      derived: test\n"
        "      curated: {value: 583.8 million yuan, note: The translation wrote 5.838亿元 as million yuan.}\n"
        "programmes:\n  - id: projects\n    name: Project library\n    category: other\n    funds: [poverty-funds]\n"
        "    outputs:\n      - {id: poverty-projects, metric: projects, value: \"2,056 projects\", quote: \"8,164\", derived: test}\n"
    ),
)
def too_little_money_per_unit(context: RecordContext) -> Iterator[Finding]:
    for programme, fund, count in _programme_money_and_counts(context):
        dimension = count.dimensionality[0][0]
        minimum, unit = MINIMUM_PER_UNIT[dimension], _UNIT_NAMES[dimension]
        each = fund.interval / count.interval
        if not each.defined or each.high >= minimum:
            continue
        restored = "; ".join(f"with {slip}: {format_number(each.midpoint * factor)} yuan a {unit}" for factor, slip in _SLIPS)
        yield Finding(
            f"{fund.text} over {count.text} is {format_number(each.midpoint)} yuan a {unit}, less than the "
            f"{minimum:,.0f} yuan a {unit} a programme plausibly spends ({restored}); did a scale word slip? "
            "Record the curated reading with a note",
            pointer=fund.entry.reading_pointer,
            related=(fund.place("amount"), count.place("count")),
            ids=finding_ids(programme.id, fund.entry.name_id, count.entry.name_id),
            data={"amount": fund.data(), "count": count.data(), "per_unit": interval_data(each), "minimum": minimum},
        )


# A translation renders 万元 figures as millions by moving the decimal point: 1,073.3846万元 became
# "10.733846 million" or lost the word. Five decimals of a million are tens of yuan, finer than any total.
_MILLION_DECIMALS = 5
_LEAST_TOTAL = 100.0  # yuan: less is no county's money total
_YUAN = (("[currency]", 1.0),)


def _decimals(number_text: str) -> int:
    return len(number_text.partition(".")[2])


@rule(
    "CROSS006", "lost-scale-word", Severity.WARNING,
    summary="A money total written as millions with five or more decimals, or under 100 yuan: a likely lost 万.",
    what=(
        f"Looks at the stated value (not a curated reading) of every amount in yuan (funds' amounts and money "
        f"observations and outputs; not per-unit amounts) and warns where it is written in millions with "
        f"{_MILLION_DECIMALS} or more decimals (10.733846 million), or comes to less than {_LEAST_TOTAL:,.0f} yuan. "
        "An amount with a curated reading is left alone: its note says how it is read."
    ),
    why=(
        "Translations of 万元 figures move the decimal point and keep every digit: 1,073.3846万元 written "
        "'10.733846 yuan' is a county's donation total of ten yuan. Nothing else in the record relates the figure, "
        "so without this rule the slip passes."
    ),
    example=(
        "funds:\n  - id: donations\n    label: poverty alleviation day donations\n    stage: received\n"
        "    amount: {value: 10.733846 yuan, quote: \"26.2 million yuan\", derived: test}\n"
    ),
    use_instead=(
        "funds:\n  - id: donations\n    label: poverty alleviation day donations\n    stage: received\n"
        "    amount:\n      value: 10.733846 yuan\n      quote: \"26.2 million yuan\"\n      derived: test\n"
        "      curated: {value: 10.733846 million yuan, note: The translation lost the scale word of 1073.3846万元.}\n"
    ),
)
def lost_scale_word(context: RecordContext) -> Iterator[Finding]:
    for entry in context.quantities:
        stated = entry.stated
        if stated is None or entry.curated is not None or entry.quantity.curated is not None or stated.unit.dimensionality != _YUAN:
            continue
        many_decimals = stated.scale_word == "million" and _decimals(stated.number_text) >= _MILLION_DECIMALS
        too_small = 0 < stated.base_value < _LEAST_TOTAL
        if not (many_decimals or too_small):
            continue
        why = (f"{_decimals(stated.number_text)} decimals of a million are how 万元 digits look when only the scale word "
               "was changed" if many_decimals else f"less than {_LEAST_TOTAL:,.0f} yuan is no county's money total")
        yield Finding(
            f"{clip(stated.text)}: {why}; was 万 (10^4) lost or a decimal point moved? Record the curated reading "
            "with a note, or check the figure against its quote",
            pointer=entry.place.field("value").pointer,
            ids=tuple(i for i in (entry.name_id,) if i),
            data={"stated": stated.text, "decimals": _decimals(stated.number_text), "yuan": stated.base_value},
        )


RULES = [too_little_money_per_unit, lost_scale_word]
