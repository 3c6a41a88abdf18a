"""SARIF 2.1.0 for GitHub code scanning: rule metadata and help from the catalogue, related locations,
and acknowledged findings as suppressions with their reasons.

Artifact URIs are relative to the repository the record belongs to (the folder with schema/ and seeds/),
whatever the current folder; each result's fingerprint is its own (code scanning merges results that share
one). Messages and reasons are clipped, and past FINDINGS_PER_FILE findings of a file a notification
counts the rest by code.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .. import __version__
from ..support.findings import LocatedFinding, LocatedRelated, Severity
from ..support.paths import repository_of
from ..support.text import MESSAGE_LIMIT, PATH, REASON, clip

if TYPE_CHECKING:
    from ..engine import ValidationRun
    from . import ReportOptions

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/county-records/county-records"


def _level(severity: Severity) -> str:
    return {Severity.ERROR: "error", Severity.WARNING: "warning"}.get(severity, "note")


def artifact_location(file: str) -> dict:
    """A file as SARIF names it: relative to its repository's root (%SRCROOT%), or a file: URI outside any."""
    from urllib.parse import quote

    absolute = os.path.abspath(file)
    root = repository_of(Path(absolute))
    if root is not None:
        relative = Path(absolute).relative_to(root).as_posix()
        return {"uri": quote(relative, errors="surrogateescape"), "uriBaseId": "%SRCROOT%"}
    return {"uri": "file://" + quote(Path(absolute).as_posix(), errors="surrogateescape")}


def _location(file: str, line: int, column: int, message: str | None = None, place_id: int | None = None) -> dict:
    location: dict = {
        "physicalLocation": {
            "artifactLocation": artifact_location(file),
            "region": {"startLine": max(1, line), "startColumn": max(1, column)},
        },
    }
    if place_id is not None:
        location["id"] = place_id
    if message:
        location["message"] = {"text": message}
    return location


_LINE_NUMBER = re.compile(r"\bline \d+")


def fingerprint(f: LocatedFinding, uri: str) -> str:
    """What tells this result from every other: its rule, file, place (id path, else pointer, else line) and what
    it says. Line numbers in the message are left out, so that a line inserted above leaves it as it was, and
    another file it names is named as SARIF names it, so that the current folder changes nothing."""
    place = f.path or f.pointer or f"line {f.line}"
    message = f.message
    for other in {r.file for r in f.related if r.file != f.file}:
        message = message.replace(other, artifact_location(other)["uri"])
    said = json.dumps([_LINE_NUMBER.sub("line", message), f.data], sort_keys=True, default=str, ensure_ascii=False)
    material = "\x1f".join((f.code, uri, place, said))
    return hashlib.sha256(material.encode("utf-8", "surrogateescape")).hexdigest()


def _related(index: int, place: LocatedRelated) -> dict:
    named = f" {place.path}" if place.path else (f" {place.pointer}" if place.pointer else "")
    return _location(place.file, place.line, place.column, clip(f"{place.role}{named}", PATH), index)


def _result(f: LocatedFinding, rule_index: dict[str, int], seen: dict[str, int]) -> dict:
    where = f"at {clip(f.path, PATH)}: " if f.path else ""
    location = _location(f.file, f.line, f.column)
    print_ = fingerprint(f, location["physicalLocation"]["artifactLocation"]["uri"])
    seen[print_] = seen.get(print_, 0) + 1
    if seen[print_] > 1:  # the same finding twice over (as a run orders them): each keeps a print of its own
        print_ = f"{print_}:{seen[print_]}"
    result: dict = {
        "ruleId": f.code,
        "ruleIndex": rule_index[f.code],
        "level": _level(f.severity),
        "message": {"text": f"{where}{clip(f.message, MESSAGE_LIMIT)}"},
        "locations": [location],
        "partialFingerprints": {"countyRecordsFinding/v2": print_},
    }
    if f.related:
        result["relatedLocations"] = [_related(i, place) for i, place in enumerate(f.related, start=1)]
    if f.acknowledged:
        result["suppressions"] = [{"kind": "inSource", "status": "accepted", "justification": clip(f.ack_reason or "", REASON)}]
    return result


def report_sarif(run: ValidationRun, out: TextIO, options: ReportOptions) -> None:
    from ..rules import ALL_RULES
    from . import cap_per_file

    rules = [
        {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": rule.what.strip()},
            "help": {"text": rule.explain(), "markdown": rule.explain()},
            "defaultConfiguration": {"level": _level(rule.severity)},
        }
        for rule in ALL_RULES
    ]
    rule_index = {rule.code: i for i, rule in enumerate(ALL_RULES)}
    shown, left_out = cap_per_file(run.findings)
    seen: dict[str, int] = {}
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "county-records", "version": __version__, "informationUri": INFORMATION_URI, "rules": rules,
            }},
            # Columns count characters, as editors show them, not UTF-16 code units.
            "columnKind": "unicodeCodePoints",
            "results": [_result(f, rule_index, seen) for f in shown],
            "invocations": [{
                "executionSuccessful": True,
                "toolExecutionNotifications": [
                    {"level": "note", "message": {"text": left.sentence()}, "locations": [_location(left.file, 1, 1)]}
                    for left in left_out
                ],
            }],
        }],
    }
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")
