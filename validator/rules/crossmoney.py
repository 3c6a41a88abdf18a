"""CROSS (money): amounts that the counts they pay for make implausible, with no relation stated.

Part of the CROSS family (see crossfigures.py); kept apart because it reads funds, not counts.
"""

from __future__ import annotations

from typing import Iterator

from ..support.findings import Finding, Severity
from ..record.quantities import Interval, format_number
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


# Plausible money per person, in yuan. Per-capita income (yuan/person/year): China's rural poverty line
# was 2,300 yuan a year at 2010 prices (about 4,000 yuan in 2020 prices), and rural per-capita disposable
# income in 2020 was 17,131 yuan nationally and below 40,000 in every province (National Bureau of
# Statistics); a county figure below 1,000 or above 60,000 is a scale slip, not a county. Money per
# relocated person: the 13th Five-Year relocation plan (2016) put about 600 billion yuan into moving
# about 10 million people, some 60,000 yuan a person, and its housing subsidies are tens of thousands of
# yuan a person; below 1,000 or above 500,000 yuan a person is a slip.
PER_CAPITA_INCOME_BOUNDS = (1_000.0, 60_000.0)
PER_RELOCATED_PERSON_BOUNDS = (1_000.0, 500_000.0)
_INCOME_METRICS = ("per_capita_disposable_income", "per_capita_net_income")
_PER_PERSON_YEAR = (("[currency]", 1.0), ("[person]", -1.0), ("[time]", -1.0))
_PER_PERSON = (("[currency]", 1.0), ("[person]", -1.0))
_RESCALED = ((10_000, "with 万 restored (x 10^4)"), (1 / 10_000, "without a 万 too many (/ 10^4)"),
             (100, "with 亿 read as million undone (x 100)"))


def _slip_hint(value: float, low: float, high: float, unit: str) -> str:
    fits = [f"{why}: {format_number(value * factor)} {unit}" for factor, why in _RESCALED if low <= value * factor <= high]
    return "; " + "; ".join(fits) + "; did a scale word slip?" if fits else "; did a scale word slip?"


def _relocated_people(context: RecordContext, programme) -> Iterator[Resolved]:
    beneficiaries = programme.beneficiaries
    counts = [context.entry_of(beneficiaries.people if beneficiaries else None)]
    counts += [context.entry_of(o) for o in programme.outputs if o.metric == "relocated_people" and not o.planned]
    for entry in counts:
        resolved = resolve_entry(entry)
        if resolved is not None and resolved.dimensionality == (("[person]", 1.0),):
            yield resolved


@rule(
    "CROSS009", "implausible-money-per-person", Severity.WARNING,
    summary="A per-capita income, or a relocation programme's money per relocated person, outside plausible bounds.",
    what=(
        f"Warns where a per-capita income (metrics {', '.join(_INCOME_METRICS)}, in yuan/person/year) lies wholly "
        f"outside {PER_CAPITA_INCOME_BOUNDS[0]:,.0f} to {PER_CAPITA_INCOME_BOUNDS[1]:,.0f} yuan a person a year, and "
        f"where a relocation programme's funds divided by the people it relocated (its beneficiary people and its "
        f"outputs of metric relocated_people) come to less than {PER_RELOCATED_PERSON_BOUNDS[0]:,.0f} (its largest "
        f"fund) or more than {PER_RELOCATED_PERSON_BOUNDS[1]:,.0f} (its smallest) yuan a person. The message says "
        "what the figure would be with 万 restored or removed. The bounds' sources: the national rural poverty "
        "line, 2,300 yuan a year at 2010 prices (about 4,000 yuan in 2020 prices); rural per-capita disposable "
        "income of 17,131 yuan in 2020 nationally, under 40,000 in every province (National Bureau of "
        "Statistics); and the 13th Five-Year Plan for poverty-alleviation relocation (2016): about 600 billion "
        "yuan for about 10 million people, some 60,000 yuan a person."
    ),
    why=(
        "A per-capita income of 1.2 yuan a year is 1.2万元 with its 万 lost; 2.3亿元 spread over 5,000 relocated "
        "people written as 2.3 million yuan leaves 460 yuan a person, which builds no house. Nothing else relates "
        "these figures, so the slip passes every other rule."
    ),
    example=(
        "observations:\n  - {id: income, metric: per_capita_disposable_income, value: 1.26 yuan/person/year, "
        "quote: \"人均可支配收入1.26万元\", derived: test}\n"
    ),
    use_instead=(
        "observations:\n  - {id: income, metric: per_capita_disposable_income, value: 1.26 wan yuan/person/year, "
        "quote: \"人均可支配收入1.26万元\"}\n"
    ),
)
def implausible_money_per_person(context: RecordContext) -> Iterator[Finding]:
    low, high = PER_CAPITA_INCOME_BOUNDS
    for entry in context.quantities:
        if entry.metric not in _INCOME_METRICS or entry.reading is None or entry.reading.unit.dimensionality != _PER_PERSON_YEAR:
            continue
        interval = entry.interval
        if interval is None or not interval.defined or interval.overlaps(Interval(low, high)):
            continue
        yield Finding(
            f"{clip(entry.reading.text)} is {format_number(interval.midpoint)} yuan a person a year, outside the "
            f"{low:,.0f} to {high:,.0f} a county's per-capita income plausibly is (the poverty line was 2,300 yuan a "
            f"year at 2010 prices){_slip_hint(interval.midpoint, low, high, 'yuan a person a year')} Record the "
            "curated reading with a note, or check the figure against its quote",
            pointer=entry.reading_pointer, ids=tuple(i for i in (entry.name_id,) if i),
            data={"value": interval_data(interval), "bounds": [low, high]})
    low, high = PER_RELOCATED_PERSON_BOUNDS
    for programme in context.record.programmes:
        if programme.category != "relocation":
            continue
        funds = [f for f in (resolve(context, fund_id) for fund_id in programme.funds)
                 if f is not None and f.dimensionality == (("[currency]", 1.0),)]
        if not funds:
            continue
        largest, smallest = max(funds, key=lambda f: f.interval.high), min(funds, key=lambda f: f.interval.low)
        for people in _relocated_people(context, programme):
            for fund, beyond in ((largest, lambda each: each.high < low), (smallest, lambda each: each.low > high)):
                each = fund.interval / people.interval
                if not each.defined or not beyond(each):
                    continue
                yield Finding(
                    f"{fund.text} over {people.text} relocated is {format_number(each.midpoint)} yuan a person, outside "
                    f"the {low:,.0f} to {high:,.0f} yuan a relocated person plausibly costs (about 60,000 in the "
                    f"national relocation plan){_slip_hint(each.midpoint, low, high, 'yuan a person')} Record the "
                    "curated reading with a note",
                    pointer=fund.entry.reading_pointer, related=(fund.place("amount"), people.place("relocated people")),
                    ids=finding_ids(programme.id, fund.entry.name_id, people.entry.name_id),
                    data={"amount": fund.data(), "people": people.data(), "per_person": interval_data(each)})


RULES = [too_little_money_per_unit, lost_scale_word, implausible_money_per_person]
