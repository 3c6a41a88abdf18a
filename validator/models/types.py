"""Reusable field types of the record schema, as `Annotated` aliases."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, StringConstraints

# Whitespace as both readers of the published schema's patterns see it: Python's and Rust's `\s` take U+0085
# and ECMA-262's does not, ECMA-262's takes U+FEFF and theirs do not. Spelt out, every validator agrees.
SPACE = r"[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]"
NOT_SPACE = r"[^\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]"

NonEmptyStr = Annotated[str, StringConstraints(min_length=1, strip_whitespace=False), Field(pattern=NOT_SPACE)]

Id = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9_.-]*$",
        max_length=80,
        description="An identifier, unique in the record: lower-case letters, digits, '_', '.', '-'.",
    ),
]

AdminCode = Annotated[
    str,
    Field(pattern=r"^[1-8][0-9]{5}$", description="Six-digit administrative division code (GB/T 2260), quoted."),
]

def _whole_number(value: object) -> object:
    # JSON has one kind of number: JSON Schema's integer takes 2014.0, and so do the models (as 2014).
    return int(value) if type(value) is float and value.is_integer() else value


YearNumber = Annotated[int, Field(ge=1949, le=2100), BeforeValidator(_whole_number)]
DateText = Annotated[
    str,
    Field(
        pattern=r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$",
        description="A date at the precision the source gives: YYYY, YYYY-MM or YYYY-MM-DD.",
    ),
]
PartialDate = Annotated[
    YearNumber | DateText,
    Field(description="A date at the precision the source gives: a year (2019), a month ('2019-05') or a day ('2019-05-09')."),
]

QuantityText = Annotated[
    str,
    Field(
        pattern=r"^[-+]?[0-9][0-9,]*(\.[0-9]+)?" + SPACE + "*" + NOT_SPACE,
        description=(
            "A number and its unit as one string: '8,164 households', '1.34 million yuan', "
            "'3 wan yuan', '16.57 %', '360 yuan/person/month'. Scale words: k, thousand, wan, "
            "million, yi, billion."
        ),
        examples=["8,164 households", "240.1225 million yuan", "16.57 %"],
    ),
]

Quote = Annotated[
    str,
    Field(min_length=3, description="A verbatim passage of the source that states the figure (whitespace may differ)."),
]

RuleCode = Annotated[str, Field(pattern=r"^[A-Z]+[0-9]{3}$", description="A rule code, e.g. SUM001.")]
JsonPointer = Annotated[str, Field(pattern=r"^(/[^/]*)*$", description="A JSON pointer into this record, e.g. /funds/0/amount.")]
IdPath = Annotated[
    str,
    Field(
        pattern=r"^[a-z_]+(\[[^\]\s]+\]|\.[a-z_]+)*$",
        description=(
            "A place in this record named by ids, as findings show it: a list item by its id in brackets, "
            "a field after a dot, e.g. relations[micro-wish-subset] or observations[poor-people-2014].value."
        ),
        examples=["relations[micro-wish-subset]", "observations[poor-people-2014].value"],
    ),
]

Qualifier = Literal["exact", "approximately", "at_least", "more_than", "at_most", "less_than", "range"]
Level = Literal["central", "provincial", "prefectural", "county", "township", "village", "social", "mixed"]
