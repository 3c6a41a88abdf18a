"""SARIF 2.1.0 for GitHub code scanning: rule metadata and help from the catalogue, related locations,
and acknowledged findings as suppressions with their reasons."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, TextIO

from .. import __version__
from ..findings import LocatedFinding, LocatedRelated, Severity

if TYPE_CHECKING:
    from ..engine import ValidationRun
    from . import ReportOptions

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/county-records/county-records"


def _level(severity: Severity) -> str:
    return {Severity.ERROR: "error", Severity.WARNING: "warning"}.get(severity, "note")


def _location(file: str, line: int, column: int, message: str | None = None, place_id: int | None = None) -> dict:
    from urllib.parse import quote

    location: dict = {
        "physicalLocation": {
            "artifactLocation": {"uri": quote(file.replace("\\", "/"), errors="surrogateescape"), "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": max(1, line), "startColumn": max(1, column)},
        },
    }
    if place_id is not None:
        location["id"] = place_id
    if message:
        location["message"] = {"text": message}
    return location


def _related(index: int, place: LocatedRelated) -> dict:
    named = f" {place.path}" if place.path else (f" {place.pointer}" if place.pointer else "")
    return _location(place.file, place.line, place.column, f"{place.role}{named}", index)


def _result(f: LocatedFinding, rule_index: dict[str, int]) -> dict:
    where = f"at {f.path}: " if f.path else ""
    result: dict = {
        "ruleId": f.code,
        "ruleIndex": rule_index[f.code],
        "level": _level(f.severity),
        "message": {"text": f"{where}{f.message}"},
        "locations": [_location(f.file, f.line, f.column)],
        # Stable across edits that move lines: the rule and the place by id path.
        "partialFingerprints": {"countyRecordsPlace/v1": f"{f.code}:{f.file}:{f.path or f.pointer or f.line}"},
    }
    if f.related:
        result["relatedLocations"] = [_related(i, place) for i, place in enumerate(f.related, start=1)]
    if f.acknowledged:
        result["suppressions"] = [{"kind": "inSource", "status": "accepted", "justification": f.ack_reason or ""}]
    return result


def report_sarif(run: ValidationRun, out: TextIO, options: ReportOptions) -> None:
    from ..rules import ALL_RULES

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
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "county-records", "version": __version__, "informationUri": INFORMATION_URI, "rules": rules,
            }},
            # Columns count characters, as editors show them, not UTF-16 code units.
            "columnKind": "unicodeCodePoints",
            "results": [_result(f, rule_index) for f in run.findings],
        }],
    }
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")
