"""Check loaded data against the schema of the version the record declares, and type what fits.

A record is checked against its published schema (validator/published.py). One that does not fit is
validated by the pydantic models, whose errors are turned into findings at JSON pointers: a union's
alternatives (a date that is a year or a string) fail together and become one finding that names
every accepted form. Items of the record's lists that do not fit are left out, and the rules check the
rest (SEPARABLE_SECTIONS). What fits becomes the typed record (validator/typed.py), whose items keep
the positions they have in the file.
"""

from __future__ import annotations

import re
from collections import defaultdict


from ..support.findings import Finding
from ..load.loader import LoadedDocument, child_pointer
from ..models import SCHEMA_VERSIONS, major_of, models_of
from ..support.paths import published_schema_path
from .published import published_schema
from ..support.slotted import Slotted
from ..support.text import PASSAGE, SHORT, clip, clip_repr
from ..record.typed import Item, typed_record

_LITERAL_OPTION = re.compile(r"'([^']*)'")


# Top-level lists whose items are independent: an item that does not fit the schema is left out, and
# the rules still check the others. A problem anywhere else (division, sources, the top level) stops
# the record's rules: without it, no figure of the record can be read.
SEPARABLE_SECTIONS = ("observations", "targets", "programmes", "funds", "shares", "relations", "lists", "officials", "acknowledged", "omissions")


class Structured(Slotted):
    """The record as its schema reads it (None where the record's rules cannot run), and why not."""

    __slots__ = ("record", "findings", "left_out_ids")

    def __init__(self, record: Item | None, findings: list[Finding] | None = None,
                 left_out_ids: frozenset[str] = frozenset()) -> None:
        self.record = record
        self.findings = [] if findings is None else findings
        # Items left out because they do not fit the schema: their ids, so that nothing calls them missing.
        self.left_out_ids = left_out_ids


def check_structure(doc: LoadedDocument) -> Structured:
    data = doc.data
    if not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "null"
        return Structured(None, [Finding.of("SCHEMA006", f"a record is a YAML mapping with schema_version, division and sources; this file holds a {kind}")])
    known = ", ".join(f'"{v}"' for v in SCHEMA_VERSIONS)
    if "schema_version" not in data:
        return Structured(None, [Finding.of("SCHEMA005", f"the record does not declare schema_version; add `schema_version: \"{SCHEMA_VERSIONS[-1]}\"` (known: {known})")])
    version = data["schema_version"]
    if not isinstance(version, str) or version not in SCHEMA_VERSIONS:
        hint = " (write it quoted: YAML reads 1.0 as a number)" if isinstance(version, (int, float)) else ""
        return Structured(None, [Finding.of("SCHEMA004", f"unknown schema_version {clip_repr(version)}{hint}; this validator knows {known}", pointer="/schema_version")])
    major = major_of(version)
    schema = published_schema(published_schema_path(major))
    if schema.accepts(data):
        return Structured(typed_record(data, schema.root_shape))
    # Only a record that does not fit meets the models, whose errors say what is wrong.
    from pydantic import ValidationError

    try:
        models_of(major).CountyRecord.model_validate(data)
    except ValidationError as err:
        errors = err.errors(include_url=False)
    else:
        # tests/test_published_schema.py keeps the two in agreement; should they part, the schema decides,
        # with a finding rather than a record the rules would read wrongly.
        return Structured(None, [Finding.of("SCHEMA003", "the record fits the models but not the published schema; "
                                            "report this to the validator's maintainers")])
    findings = findings_from_errors(errors, data)
    return _separable(data, errors, findings, schema)


def _separable(data: dict, errors: list[dict], findings: list[Finding], schema) -> Structured:
    """The record without the list items that do not fit, if everything else does."""
    bad: dict[str, set[int]] = {}
    for error in errors:
        location = error["loc"]
        if len(location) < 2 or location[0] not in SEPARABLE_SECTIONS or not isinstance(location[1], int):
            return Structured(None, findings)
        bad.setdefault(location[0], set()).add(location[1])
    kept = dict(data)
    positions: dict[str, list[int]] = {}
    left_out: set[str] = set()
    for section, indexes in bad.items():
        items = data[section]
        positions[section] = [i for i in range(len(items)) if i not in indexes]
        kept[section] = [items[i] for i in positions[section]]
        left_out.update(items[i]["id"] for i in indexes if isinstance(items[i], dict) and isinstance(items[i].get("id"), str))
    if not schema.accepts(kept):
        return Structured(None, findings)
    return Structured(typed_record(kept, schema.root_shape, positions), findings, frozenset(left_out))


def _pointer_for(loc: tuple, data: object) -> tuple[str, bool]:
    """Walk the data along a pydantic location, skipping union and discriminator tags.

    Returns the pointer and whether every step of the location was found in the data.
    """
    pointer = ""
    node = data
    complete = True
    tag_skipped_at = None
    for step in loc:
        # A discriminated union names the member it tried (`kind`'s value) once, before its fields;
        # `total` is both a kind and a field of that kind, so only the first is the tag.
        if isinstance(node, dict) and node.get("kind") == step and tag_skipped_at is not node:
            tag_skipped_at = node
            continue
        if isinstance(node, dict) and isinstance(step, str) and step in node:
            pointer, node = child_pointer(pointer, step), node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            pointer, node = child_pointer(pointer, step), node[step]
        elif isinstance(node, dict) and isinstance(step, str) and step not in node and not _looks_like_tag(step):
            complete = False
            pointer = child_pointer(pointer, step)
            break
    return pointer, complete


def _looks_like_tag(step: str) -> bool:
    """Pydantic names union members in locations ('int', 'constrained-str'); discriminator values are skipped above."""
    return step in {"int", "str", "float", "bool", "constrained-str", "constrained-int", "none"} or "[" in step


def _describe(error: dict) -> str:
    kind = error["type"]
    given = error.get("input")
    if kind == "literal_error":
        options = _LITERAL_OPTION.findall(str(error.get("ctx", {}).get("expected", "")))
        if len(options) > 8 and isinstance(given, str):
            import difflib  # here and below: only a mistake needs a suggestion

            close = difflib.get_close_matches(given, options, n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(close)}?" if close else "; see docs/schema.md for the list"
            return f"`{clip(given)}` is not an accepted value{hint}"
        return f"{_shown(given)} is not accepted: expected {error['msg'].removeprefix('Input should be ')}"
    if kind == "too_short" and isinstance(given, list):
        return f"needs at least {error['ctx']['min_length']} entr{'y' if error['ctx']['min_length'] == 1 else 'ies'}, has {len(given)}"
    if kind == "string_pattern_mismatch":
        return f"{_shown(given)} does not have the expected form ({error['ctx']['pattern']})"
    if kind.endswith("_type") or kind == "model_type":
        expected = {"int_type": "an integer", "string_type": "a string", "bool_type": "true or false",
                    "float_type": "a number", "list_type": "a list", "model_type": "a mapping",
                    "dict_type": "a mapping"}.get(kind, kind.removesuffix("_type"))
        return f"expected {expected}, got {_shown(given)}"
    if kind == "value_error":  # a model's own check: its message says what to do
        return clip(str(error["msg"]).removeprefix("Value error, "), PASSAGE)
    return f"{clip(error['msg'], PASSAGE)}{'' if given is None or isinstance(given, (dict, list)) else f' (got {_shown(given)})'}"


def _shown(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f'"{value}" (a string)' if len(value) < SHORT else "a long string"
    if value is None:
        return "null"
    return f"{clip_repr(value)} (a {type(value).__name__})"


def _did_you_mean(name: str, parent: str, data: object) -> str:
    """'; did you mean `label`?' with the closest fields the schema allows there, else where to look."""
    version = data.get("schema_version") if isinstance(data, dict) else None
    schema = published_schema(published_schema_path(major_of(version))) if isinstance(version, str) and version in SCHEMA_VERSIONS else None
    tokens = [token.replace("~1", "/").replace("~0", "~") for token in parent.split("/")[1:]]
    known = schema.fields_at(tokens, data) if schema is not None else ()
    import difflib

    close = difflib.get_close_matches(name, known, n=2, cutoff=0.6)
    if close:
        return "; did you mean " + " or ".join(f"`{c}`" for c in close) + "?"
    return f"; this place takes {', '.join(f'`{k}`' for k in known)}" if 0 < len(known) <= 12 else ": check the spelling against docs/schema.md"


def findings_from_errors(errors: list[dict], data: object) -> list[Finding]:
    by_pointer: dict[str, list[dict]] = defaultdict(list)
    findings: list[Finding] = []
    for error in errors:
        pointer, complete = _pointer_for(error["loc"], data)
        if error["type"] == "missing":
            parent, _, name = pointer.rpartition("/")
            findings.append(Finding.of("SCHEMA001", f"missing required field `{clip(name)}`", pointer=parent))
        elif error["type"] == "extra_forbidden":
            parent, _, name = pointer.rpartition("/")
            findings.append(Finding.of("SCHEMA002", f"unknown field `{clip(name)}`{_did_you_mean(name, parent, data)}", pointer=pointer, at_key=True))
        else:
            by_pointer[pointer].append(error)
    for pointer, group in by_pointer.items():
        messages = list(dict.fromkeys(_describe(error) for error in group))
        if len(messages) > 1:
            message = "not any accepted form: " + "; or ".join(messages)
        else:
            message = messages[0]
        findings.append(Finding.of("SCHEMA003", message, pointer=pointer))
    return findings
