"""SCHEMA: the record's shape against the schema of the version it declares."""

from __future__ import annotations

import re
from typing import Iterator

from ..support.findings import Finding, Severity
from ..models import SCHEMA_VERSIONS, major_of, version_key
from ..support.paths import published_schema_path
from ..structure.published import published_schema
from ..record.typed import RecordContext
from .base import catalogued, rule

E = Severity.ERROR
_UNIT_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CHINESE_NAME = re.compile(r"[^\x00-\x7f\s*/^]+")  # a Chinese unit name as a value writes it: 亩, 人次


@rule(
    "SCHEMA007", "field-needs-newer-version", E,
    summary="A field, vocabulary value or unit added by a later minor version than the one the record declares.",
    what=(
        "Reports a field (at its key), a vocabulary value (a metric, a fund stage) or a unit that the published "
        "schema marks as added by a minor version later than the record's `schema_version`, naming the version "
        "that added it. `county-records migrate --to` that version moves the record forward."
    ),
    why=(
        "The declared version is the contract a reader of the record relies on: a tool that knows schema 1.0 "
        "would refuse, or silently drop, what only 1.1 defines."
    ),
    example=(
        'schema_version: "1.0"\nprogrammes:\n  - id: bridges\n    name: Rural bridges\n    category: infrastructure\n'
        '    period: {start: 2011, ongoing: true}\n'
    ),
    use_instead=(
        'schema_version: "1.1"\nprogrammes:\n  - id: bridges\n    name: Rural bridges\n    category: infrastructure\n'
        '    period: {start: 2011, ongoing: true}\n'
    ),
)
def field_needs_newer_version(context: RecordContext) -> Iterator[Finding]:
    declared = context.record.schema_version
    if declared == SCHEMA_VERSIONS[-1]:
        return  # nothing is newer than the newest version
    schema = published_schema(published_schema_path(major_of(declared)))

    def needs(what: str, version: str, pointer: str, at_key: bool = False) -> Finding:
        return Finding(
            f"{what} was added in schema {version}, but the record declares \"{declared}\": run "
            f"`county-records migrate --to {version}` (or declare \"{version}\" by hand)",
            pointer=pointer, at_key=at_key,
        )

    for addition in schema.additions(context.document.data):
        if version_key(addition.version) > version_key(declared):
            yield needs(addition.what, addition.version, addition.pointer, addition.at_key)
    for entry in context.quantities:
        curated = entry.quantity.curated
        for parsed, owner, field in ((entry.stated, entry.quantity, "value"), (entry.upper, entry.quantity, "upper"),
                                     (entry.curated, curated, "value"), (entry.curated_upper, curated, "upper")):
            if parsed is None:
                continue
            written = {**{name: "unit" for name in (*_UNIT_NAME.findall(parsed.unit.canonical), *_CHINESE_NAME.findall(parsed.unit_text))},
                       parsed.scale_word or "": "scale word", "多" if parsed.few_step is not None else "": "a number written as 'more than' (多, 余)"}
            for name, kind in written.items():
                version = schema.units_since.get(name)
                if version is not None and version_key(version) > version_key(declared):
                    yield needs(kind if name == "多" else f"{kind} `{name}`", version, owner.place.field(field).pointer)



RULES = [
    catalogued(
        "SCHEMA001", "missing-field", E, scope="schema", stops=True,
        summary="A required field is missing.",
        what=("Reports the mapping that lacks a field the schema requires, e.g. a quantity without `value`. (A quantity "
              "without `quote` fits the schema, which lets it cite a table's `cell` instead: CELL004 reports one with neither.)"),
        why="Every figure needs its number, unit and verbatim quote; without them it cannot be traced to its source.",
        example='observations:\n  - id: poor-households-2014\n    metric: registered_poor_households\n    date: 2014\n    quote: "8,164 households"\n',
        use_instead='observations:\n  - id: poor-households-2014\n    metric: registered_poor_households\n    value: 8,164 households\n    date: 2014\n    quote: "8,164 households"\n',
    ),
    catalogued(
        "SCHEMA002", "unknown-field", E, scope="schema", stops=True,
        summary="A field the schema does not define.",
        what="Reports a key that the schema of the record's version does not know, at the key.",
        why="A misspelt field (`qoute`) is otherwise silently ignored, and with it the data it holds.",
        example='notes:\n  omited: national figures\n',
        use_instead='notes:\n  omitted: national figures\n',
    ),
    catalogued(
        "SCHEMA003", "wrong-type", E, scope="schema", stops=True,
        summary="A value of the wrong type or form, or not in the controlled vocabulary.",
        what=(
            "Reports a value the schema does not accept: a number where a string is expected (or a "
            "quoted number where a number is), a metric outside the vocabulary, a date not written "
            "YYYY, YYYY-MM or YYYY-MM-DD. Nothing is coerced: `\"12\"` is not 12 and `yes` is not true."
        ),
        why="Silent coercion is how a code like 0430 becomes 430 and a figure changes meaning.",
        example='observations:\n  - id: poor-villages\n    metric: poor_village_count\n    value: 54 villages\n    quote: "all 54 poor villages have withdrawn"\n',
        use_instead='observations:\n  - id: poor-villages\n    metric: poor_villages\n    value: 54 villages\n    quote: "all 54 poor villages have withdrawn"\n',
    ),
    catalogued(
        "SCHEMA004", "unknown-schema-version", E, scope="schema", stops=True, example_is_file=True,
        summary="The record declares a schema version this validator does not know.",
        what="Reports schema_version when it names no known version (or is a number rather than a quoted string).",
        why="A record is checked against the schema of its declared version; with an unknown version no check would be honest.",
        example='schema_version: "9.0"\n',
        use_instead='schema_version: "1.0"\n',
    ),
    catalogued(
        "SCHEMA005", "missing-schema-version", E, scope="schema", stops=True, example_is_file=True,
        summary="The record does not declare schema_version.",
        what="Reports a record mapping without schema_version.",
        why="Records outlive validator versions; the declared version says which contract the record keeps.",
        example="division: {}\n",
        use_instead='schema_version: "1.0"\ndivision: {}\n',
    ),
    catalogued(
        "SCHEMA006", "not-a-mapping", E, scope="schema", stops=True, example_is_file=True,
        summary="The file's top level is not a mapping.",
        what="Reports a file whose document is a list or a scalar.",
        why="A record is one mapping; anything else is a different kind of file.",
        example="- just\n- a list\n",
        use_instead='schema_version: "1.0"\n',
    ),
    field_needs_newer_version,
]
