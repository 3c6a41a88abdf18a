"""CROSS (units): one number counted in two units in one record, with no relation stated.

Part of the CROSS family (see crossfigures.py); kept apart because it compares every count of the
record with every other by its number, not figures that a metric or a programme ties together.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import islice
from typing import Iterator

from ..support.findings import Finding, Severity
from ..record.quantities import format_number
from ..record.typed import QuantityEntry, RecordContext, statement_of
from .arithmetic import Resolved, finding_ids, resolve_entry
from .base import rule
from .limits import FINDINGS_PER_RULE, capped

_HOUSEHOLD, _PERSON = (("[household]", 1.0),), (("[person]", 1.0),)
# Below this, or with fewer significant digits, one number as households and as people is common by
# chance (12 households and 12 people, 2,000 households and 2,000 people trained).
LEAST_NUMBER = 100
LEAST_SIGNIFICANT_DIGITS = 3
# People figures a finding names: the number may be stated many times.
RELATED_LIMIT = 5


def significant_digits(number: Decimal) -> int:
    """How many digits of a whole number are not trailing zeros (2,532: 4; 2,500: 2); 0 for a fraction."""
    if number != number.to_integral_value():
        return 0
    return len(str(int(number)).rstrip("0"))


def _count_of(entry: QuantityEntry) -> tuple[Decimal, Resolved] | None:
    """(the number in households or people, the figure) for a count distinctive enough to compare."""
    figure = resolve_entry(entry)
    if figure is None or figure.dimensionality not in (_HOUSEHOLD, _PERSON) or entry.quantity.derived:
        return None
    number = entry.reading.number * Decimal(repr(entry.reading.unit.to_base))
    if number < LEAST_NUMBER or significant_digits(number) < LEAST_SIGNIFICANT_DIGITS:
        return None
    return number, figure


@rule(
    "CROSS007", "same-number-households-and-people", Severity.WARNING,
    summary="One number stated as households in one place and as people in another of the same record.",
    what=(
        "Compares every count of the record in households with every count in people (observations, targets, "
        "programme outputs, outcomes and beneficiaries), as rules read them: the curated reading where there is one. "
        "Warns, at the households figure, where the two have the same number and that number is at least "
        f"{LEAST_NUMBER} with at least {LEAST_SIGNIFICANT_DIGITS} significant digits (2,532, not 2,500 or 12). "
        "Left alone: a pair stated by one quote (the source states them together, and CROSS004 judges the pair), "
        "a pair whose figures each share their quote with a count in the other unit ('175 households and 749 people' "
        "here, '749 households with 787 people' there: each pairing names its unit), and derived figures (the number is the "
        "curator's, not the source's). A `same` relation between the two does not hide the pair: SUM006 then "
        f"says the units differ, this rule says how they likely came to. A record's first {FINDINGS_PER_RULE} findings "
        "are listed, and one more finding counts the rest."
    ),
    why=(
        "A machine translation turns a count of people from registered poor households into 'registered poor "
        "households': Eryuan's record states 2,532 exported workers as people in one section and as households "
        "in another. A distinctive number in both units is most often one figure with a unit slip; a reader sees "
        "it only by holding both sections in mind."
    ),
    example=(
        "observations:\n"
        "  - {id: exported-registered, metric: workers, value: \"2,532 people\", quote: \"of which 2,532 were registered. people\"}\n"
        "  - {id: exported-registered-2, metric: households, value: \"2,532 households\",\n"
        "     quote: \"including 2,532 registered poor households\"}\n"
    ),
    use_instead=(
        "observations:\n"
        "  - {id: exported-registered, metric: workers, value: \"2,532 people\", quote: \"of which 2,532 were registered. people\"}\n"
        "  - id: exported-registered-2\n    metric: workers\n    value: 2,532 households\n"
        "    quote: \"including 2,532 registered poor households\"\n"
        "    curated:\n      value: 2,532 people\n      note: The same 2,532 is stated as people elsewhere; the translation reads it as households.\n"
    ),
)
def same_number_households_and_people(context: RecordContext) -> Iterator[Finding]:
    yield from capped(_same_numbers(context))


def _same_numbers(context: RecordContext) -> Iterator[Finding]:
    households: dict[Decimal, list[Resolved]] = {}
    people: dict[Decimal, dict[str, list[Resolved]]] = {}  # number -> quote -> figures
    units_by_quote: dict[str, set] = {}
    for entry in context.quantities:
        figure = resolve_entry(entry)
        if figure is not None and figure.dimensionality in (_HOUSEHOLD, _PERSON) and statement_of(entry.quantity) is not None:
            units_by_quote.setdefault(statement_of(entry.quantity), set()).add(figure.dimensionality)
        count = _count_of(entry)
        if count is None:
            continue
        number, figure = count
        if figure.dimensionality == _HOUSEHOLD:
            households.setdefault(number, []).append(figure)
        else:
            people.setdefault(number, {}).setdefault(statement_of(entry.quantity), []).append(figure)
    in_a_pair = {quote for quote, units in units_by_quote.items() if len(units) == 2}
    for number, in_households in households.items():
        by_quote = people.get(number, {})
        alone = {quote: figures for quote, figures in by_quote.items() if quote not in in_a_pair}
        for household_figure in in_households:
            others = _people_to_name(household_figure, alone if statement_of(household_figure.entry.quantity) in in_a_pair else by_quote)
            if not others:
                continue
            yield Finding(
                f"{household_figure.text} and {others[0].text} elsewhere in the record: the same number "
                f"{format_number(float(number))} as households and as people is most often one figure with a unit "
                "slip (people from registered poor households translated as households); record the curated reading "
                "with a note, or check both against their quotes",
                pointer=household_figure.entry.reading_pointer,
                related=(household_figure.place("households"), *(p.place("people") for p in others)),
                ids=finding_ids(household_figure.entry.name_id, *(p.entry.name_id for p in others)),
                data={"number": float(number), "households": household_figure.data(), "people": [p.data() for p in others]},
            )


def _people_to_name(households: Resolved, by_quote: dict[str, list[Resolved]]) -> list[Resolved]:
    """The first few people figures stated by another quote than the households figure's.

    One key at most is skipped, so the work per households figure is bounded by RELATED_LIMIT
    however many figures share the number.
    """
    own_quote = statement_of(households.entry.quantity)
    return list(islice((p for quote, figures in by_quote.items() if quote != own_quote for p in figures), RELATED_LIMIT))


RULES = [same_number_households_and_people]
