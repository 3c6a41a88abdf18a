"""One JSON document: every finding with its place, related places, ids and compared numbers.

Messages and reasons are clipped (validator/text.py); past FINDINGS_PER_FILE findings of a file,
`left_out` counts the rest by code, and `summary` counts them all.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, TextIO

from .. import __version__
from ..support.findings import LocatedFinding
from ..support.paths import REPO_ROOT
from ..support.text import MESSAGE_LIMIT, PATH, REASON, clip

if TYPE_CHECKING:
    from ..engine import ValidationRun
    from . import ReportOptions


def _git_commit() -> str | None:
    import subprocess  # only the JSON report asks git

    try:
        completed = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return completed.stdout.strip() or None if completed.returncode == 0 else None


def _json_safe(value: object) -> object:
    """Numbers a finding compared, as JSON has them: a non-finite float becomes its name."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    return value


def _finding_json(f: LocatedFinding) -> dict:
    entry = {
        "file": f.file, "line": f.line, "column": f.column, "pointer": clip(f.pointer, PATH), "path": clip(f.path, PATH),
        "rule": f.code, "name": f.name, "severity": f.severity.value, "message": clip(f.message, MESSAGE_LIMIT),
        "acknowledged": f.acknowledged,
        "related": [
            {"role": r.role, "file": r.file, "line": r.line, "column": r.column, "pointer": clip(r.pointer, PATH),
             "path": clip(r.path, PATH)}
            for r in f.related
        ],
        "ids": list(f.ids),
        "data": _json_safe(f.data),
    }
    if f.acknowledged:
        entry["reason"] = clip(f.ack_reason or "", REASON)
    return entry


def report_json(run: ValidationRun, out: TextIO, options: ReportOptions) -> None:
    from . import cap_per_file, summarise

    shown, left_out = cap_per_file(run.findings)
    document = {
        "files": run.files,
        "findings": [_finding_json(f) for f in shown],
        "left_out": [{"file": left.file, "count": left.count, "codes": left.codes} for left in left_out],
        "summary": summarise(run),
        # Each record's coverage of its text sources (COVER001): sources read, quantities, recorded or omitted.
        "coverage": [{"file": result.display, **result.coverage} for result in run.results if result.coverage is not None],
        "produced_by": {
            "validator": f"county-records {__version__}",
            "schema_versions": run.schema_versions,
            "records_commit": _git_commit(),
        },
    }
    json.dump(document, out, ensure_ascii=False, indent=2, allow_nan=False)
    out.write("\n")
