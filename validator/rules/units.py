"""UNIT: every quantity parses, has the dimension its field expects, and says mu where the source meant 亩."""

from __future__ import annotations

from typing import Iterator

from ..support.findings import Finding, Severity
from ..support.text import clip
from ..record.quantities import MAX_BASE_EXPONENT, MAX_DIGITS
from ..record.typed import RecordContext
from .base import rule


@rule(
    "UNIT001", "unparseable-quantity", Severity.ERROR,
    summary="A quantity's number or unit cannot be read.",
    what=(
        "Reports a `value` (or `upper`, or curated `value`) that is not a number followed by a unit of "
        "schema/units.txt. Numbers are read as QUOTE002 reads them: thousands separators, a scale word "
        "(k, thousand, wan, million, yi, billion, 千, 万, 亿), compound phrases: `41,165,200 yuan`, "
        "`1.34 million yuan`, `3 wan yuan`, `16.57 %`, `5 million 700 thousand yuan`, `4.28万亩`. Units may "
        "be written by their Chinese names where units.txt gives one (元, 亩, 户, 人, 个, 公里, 平方米, 千瓦)."
    ),
    why="A figure whose unit is unknown cannot be compared with anything, so every rule about it would pass by default.",
    example="observations:\n  - id: peach-area\n    metric: area_planted\n    value: 8 fields\n    quote: \"8 acres of yellow peaches\"\n",
    use_instead="observations:\n  - id: peach-area\n    metric: area_planted\n    value: 8 mu\n    quote: \"8 acres of yellow peaches\"\n",
)
def unparseable_quantity(context: RecordContext) -> Iterator[Finding]:
    yield from _parse_errors(context, "UNIT001")


def _parse_errors(context: RecordContext, code: str) -> Iterator[Finding]:
    for entry in context.quantities:
        for error_code, place, message in entry.errors:
            if error_code == code:
                yield Finding(message, pointer=place.pointer)


def _dimension_findings(entry, parsed, pointer) -> Iterator[Finding]:
    if parsed is not None and entry.expected is not None and not entry.expected.accepts(parsed.unit):
        where = f" for metric {entry.metric}" if entry.metric and "metric" not in entry.expected.description else ""
        yield Finding(f"`{clip(parsed.text)}` is {parsed.unit.describe_dimension()}, but this field expects "
            f"{entry.expected.description}{where}; use a unit of that dimension, or another metric",
            pointer=pointer,
        )


@rule(
    "UNIT002", "wrong-dimension", Severity.ERROR,
    summary="A quantity's unit has another dimension than its field or metric expects.",
    what=(
        "Every field that holds a quantity declares the dimension it expects: a metric's dimension comes "
        "from the vocabulary (registered_poor_people counts person, area_planted is an area), a fund's amount "
        "is money, a share is a percentage. A stated value or curated reading of another dimension is reported, "
        "naming both."
    ),
    why="People recorded as households, or livestock in acres, are the errors hand-curated statistics actually contain.",
    example="observations:\n  - id: poor-people-2014\n    metric: registered_poor_people\n    value: 26,761 households\n    quote: \"8,164 households and 26,761 in 2014\"\n",
    use_instead="observations:\n  - id: poor-people-2014\n    metric: registered_poor_people\n    value: 26,761 people\n    quote: \"8,164 households and 26,761 in 2014\"\n",
)
def wrong_dimension(context: RecordContext) -> Iterator[Finding]:
    for entry in context.quantities:
        if entry.curated is not None:
            yield from _dimension_findings(entry, entry.curated, entry.quantity.curated.place.field("value").pointer)
        else:
            yield from _dimension_findings(entry, entry.stated, entry.place.field("value").pointer)


@rule(
    "UNIT003", "acre-in-translation", Severity.WARNING,
    summary="An area in acres from a source translated from Chinese, with no curated reading.",
    what=(
        "Reports a stated value in acres whose source is a translation from Chinese and that has no curated "
        "reading. Chinese reports measure land in 亩 (mu, 1/15 ha); translations often render it 'acres', "
        "six times too large."
    ),
    why="An acre is about 6.07 mu: a slip of unit here is a sixfold error in every total and per-capita figure built on it.",
    example=(
        "observations:\n  - id: peach-area\n    metric: area_planted\n    value: 8 acres\n    quote: \"8 acres of yellow peaches\"\n"
    ),
    use_instead=(
        "observations:\n  - id: peach-area\n    metric: area_planted\n    value: 8 acres\n    quote: \"8 acres of yellow peaches\"\n"
        "    curated:\n      value: 8 mu\n      note: The Chinese original measures land in mu; the translation renders it acres.\n"
    ),
)
def acre_in_translation(context: RecordContext) -> Iterator[Finding]:
    for entry in context.quantities:
        if entry.stated is None or entry.curated is not None:
            continue
        if "acre" not in entry.stated.unit.canonical:
            continue
        source = context.source_for(entry.quantity.source)
        if source is not None and source.translated_from == "zh":
            number = entry.stated.number_text
            yield Finding(f"`{clip(entry.stated.text)}` comes from a translation of a Chinese source, where land is measured in mu (亩); "
                f"add a curated reading `{clip(number)} mu` with a note if the original says 亩",
                pointer=entry.place.field("value").pointer,
            )


@rule(
    "UNIT004", "invalid-range", Severity.ERROR,
    summary="A range without its upper end, an upper end without a range, or an upper end below the lower.",
    what=(
        "Reports `qualifier: range` without `upper`, `upper` with another qualifier, or an `upper` that is less "
        "than `value` or of another dimension. A curated reading that gives its own `qualifier` or `upper` "
        "(schema 1.1) is checked the same way, with the stated qualifier where it gives none."
    ),
    why="A range that is not one makes every interval check on it meaningless.",
    example="observations:\n  - id: income\n    metric: wage\n    value: 3,000 yuan/person/month\n    qualifier: range\n    quote: \"3,000 to 2,000 yuan a month\"\n",
    use_instead="observations:\n  - id: income\n    metric: wage\n    value: 2,000 yuan/person/month\n    qualifier: range\n    upper: 3,000 yuan/person/month\n    quote: \"2,000 to 3,000 yuan a month\"\n",
)
def invalid_range(context: RecordContext) -> Iterator[Finding]:
    for entry in context.quantities:
        quantity = entry.quantity
        yield from _range_findings(quantity.qualifier, quantity.upper, entry.stated, entry.upper, entry.pointer)
        curated = quantity.curated
        if curated is not None and (curated.qualifier is not None or curated.upper is not None):
            where = entry.quantity.curated.place.pointer
            qualifier_at = f"{where}/qualifier" if curated.qualifier is not None else f"{where}/value"
            yield from _range_findings(entry.reading_qualifier, curated.upper, entry.curated, entry.curated_upper, where, qualifier_at)


def _range_findings(qualifier: str, upper_text: str | None, value, upper, pointer: str, qualifier_at: str | None = None) -> Iterator[Finding]:
    """The findings of one reading: its qualifier, its upper end as written and both parsed."""
    if qualifier == "range" and upper_text is None:
        yield Finding("qualifier is range but there is no `upper`: add the upper end", pointer=qualifier_at or f"{pointer}/qualifier")
    elif qualifier != "range" and upper_text is not None:
        yield Finding(f"`upper` is given but qualifier is {qualifier}: set `qualifier: range` or remove `upper`", pointer=f"{pointer}/upper")
    elif upper is not None and value is not None:
        if upper.unit.dimensionality != value.unit.dimensionality:
            yield Finding(f"`upper` ({clip(upper.text)}) has another dimension than `value` ({clip(value.text)})", pointer=f"{pointer}/upper")
        elif upper.base_value < value.base_value:
            yield Finding(f"`upper` ({clip(upper.text)}) is less than `value` ({clip(value.text)}): swap them", pointer=f"{pointer}/upper")


@rule(
    "UNIT005", "number-out-of-range", Severity.ERROR,
    summary=f"A number with more than {MAX_DIGITS} digits, or beyond 10^{MAX_BASE_EXPONENT} in base units.",
    what=(
        f"Reports a `value` (or `upper`, or curated `value`) whose number is written with more than {MAX_DIGITS} "
        f"digits, or whose size in base units (yuan, person, household, m, g, W, year) exceeds 10^{MAX_BASE_EXPONENT}. "
        "Such a quantity is read no further: no relation, share or bound is checked with it until it is fixed. "
        "The bounds are far beyond any figure a county or province states: all of China's land is about "
        "9.6e12 m², its yearly output about 1.3e14 yuan, its grain harvest about 7e14 g, its people 1.4e9; "
        "a statistic is never stated to more than a dozen or so significant digits."
    ),
    why=(
        "A number beyond the range of floating-point arithmetic becomes infinity, its rounding margin NaN, and every "
        "comparison with NaN is false: a subset of 10^400 households would pass inside 20,816, and a poverty "
        "incidence of 10^400 % would pass its 0..100 % bound. Within these bounds every sum and product is exact "
        "enough to check (floats hold integers up to 9e15 exactly)."
    ),
    example=(
        "observations:\n  - {id: households, metric: households, value: \"4,811 households\", quote: \"A total of 4,811 households\"}\n"
        "  - {id: poor, metric: registered_poor_households, value: 8164000000000000000000 households, quote: \"from 8,164 households\",\n"
        "     derived: a mistyped figure}\n"
        "relations:\n  - {kind: subset, part: poor, whole: households}\n"
    ),
    use_instead=(
        "observations:\n  - {id: households, metric: households, value: \"8,164 households\", quote: \"from 8,164 households\"}\n"
        "  - {id: poor, metric: registered_poor_households, value: \"4,811 households\", quote: \"A total of 4,811 households\"}\n"
        "relations:\n  - {kind: subset, part: poor, whole: households}\n"
    ),
)
def number_out_of_range(context: RecordContext) -> Iterator[Finding]:
    yield from _parse_errors(context, "UNIT005")


RULES = [unparseable_quantity, wrong_dimension, acre_in_translation, invalid_range, number_out_of_range]
