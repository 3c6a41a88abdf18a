"""Check loaded data against the schema of the version the record declares.

Pydantic's errors are turned into findings at JSON pointers. A union's alternatives (a date that
is a year or a string) fail together: they become one finding that names every accepted form.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import defaultdict

from pydantic import BaseModel, ValidationError

from .findings import Finding, excerpt
from .loader import LoadedDocument, LongNumber, child_pointer
from .models import MODULE_BY_VERSION

_LITERAL_OPTION = re.compile(r"'([^']*)'")


def check_structure(doc: LoadedDocument) -> tuple[BaseModel | None, list[Finding]]:
    data = doc.data
    if not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "null"
        return None, [Finding("SCHEMA006", f"a record is a YAML mapping with schema_version, division and sources; this file holds a {kind}")]
    if "schema_version" not in data:
        known = ", ".join(f'"{v}"' for v in MODULE_BY_VERSION)
        return None, [Finding("SCHEMA005", f"the record does not declare schema_version; add `schema_version: \"{list(MODULE_BY_VERSION)[-1]}\"` (known: {known})")]
    version = data["schema_version"]
    module = MODULE_BY_VERSION.get(version) if isinstance(version, str) else None
    if module is None:
        known = ", ".join(f'"{v}"' for v in MODULE_BY_VERSION)
        hint = " (write it quoted: YAML reads 1.0 as a number)" if isinstance(version, (int, float)) else ""
        return None, [Finding("SCHEMA004", f"unknown schema_version {_repr(version)}{hint}; this validator knows {known}", pointer="/schema_version")]
    try:
        return module.CountyRecord.model_validate(data), []
    except ValidationError as err:
        return None, findings_from_errors(err.errors(include_url=False), data)


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
            close = difflib.get_close_matches(given, options, n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(close)}?" if close else "; see docs/schema.md for the list"
            return f"`{excerpt(given)}` is not an accepted value{hint}"
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
    return f"{error['msg']}{'' if given is None or isinstance(given, (dict, list)) else f' (got {_shown(given)})'}"


# Beyond this many bits an integer is named by its length: its repr would be long, and past 4,300 digits it fails.
_SHOWN_INTEGER_BITS = 200


def _repr(value: object) -> str:
    """A scalar as a message may print it: short, and computed without converting a huge number."""
    if isinstance(value, LongNumber):
        return value.describe()
    if isinstance(value, int) and value.bit_length() > _SHOWN_INTEGER_BITS:
        return f"an integer of about {int(value.bit_length() * math.log10(2)) + 1:,} digits"
    return excerpt(repr(value))


def _shown(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f'"{value}" (a string)' if len(value) < 60 else "a long string"
    if value is None:
        return "null"
    if isinstance(value, LongNumber):
        return value.describe()
    return f"{_repr(value)} (a {type(value).__name__})"


def findings_from_errors(errors: list[dict], data: object) -> list[Finding]:
    by_pointer: dict[str, list[dict]] = defaultdict(list)
    findings: list[Finding] = []
    for error in errors:
        pointer, complete = _pointer_for(error["loc"], data)
        if error["type"] == "missing":
            parent, _, name = pointer.rpartition("/")
            findings.append(Finding("SCHEMA001", f"missing required field `{name}`", pointer=parent))
        elif error["type"] == "extra_forbidden":
            name = pointer.rpartition("/")[2]
            findings.append(Finding("SCHEMA002", f"unknown field `{excerpt(name)}`: check the spelling against docs/schema.md", pointer=pointer, at_key=True))
        else:
            by_pointer[pointer].append(error)
    for pointer, group in by_pointer.items():
        messages = list(dict.fromkeys(_describe(error) for error in group))
        if len(messages) > 1:
            message = "not any accepted form: " + "; or ".join(messages)
        else:
            message = messages[0]
        findings.append(Finding("SCHEMA003", message, pointer=pointer))
    return findings
