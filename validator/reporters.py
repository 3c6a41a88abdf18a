"""Reporters turn a finished run into text; they decide nothing. Chosen by name from REPORTER_BY_NAME."""

from __future__ import annotations

import json
import math
import subprocess
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, TextIO

from . import __version__
from .findings import LocatedFinding, Severity
from .paths import REPO_ROOT
from .text import plural

if TYPE_CHECKING:  # the command line reads the registry's names before it runs anything
    from .engine import ValidationRun


def summarise(run: ValidationRun) -> dict:
    failing = [f for f in run.findings if not f.acknowledged]
    return {
        "errors": sum(1 for f in failing if f.severity is Severity.ERROR),
        "warnings": sum(1 for f in failing if f.severity is Severity.WARNING),
        "acknowledged": sum(1 for f in run.findings if f.acknowledged),
    }


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """What the command line asks of a reporter (not every reporter uses every option)."""

    show_acknowledgement: bool = False  # text: the `acknowledged` entry that would acknowledge each finding


def report_text(run: ValidationRun, out: TextIO, options: ReportOptions = ReportOptions()) -> None:
    """One line per finding, then its related places as indented `note:` lines, as compilers print them."""
    for f in run.findings:
        mark = " (acknowledged: " + (f.ack_reason or "") + ")" if f.acknowledged else ""
        where = f"at {f.path}: " if f.path else ""
        out.write(f"{f.file}:{f.line}:{f.column}: {f.severity.value} {f.code} {where}{f.message}{mark}\n")
        for place in f.related:
            named = f" {place.path}" if place.path else (f" {place.pointer}" if place.pointer else "")
            out.write(f"    {place.file}:{place.line}:{place.column}: note: {place.role}{named}\n")
        if options.show_acknowledgement and not f.acknowledged:
            from .acknowledging import snippet

            out.write("    to acknowledge it (a source's own inconsistency, never your own mistake), add to `acknowledged`:\n")
            out.write("".join(f"      {line}\n" for line in snippet(f).splitlines()))
    out.write(summary_line(run) + "\n")


def summary_line(run: ValidationRun) -> str:
    counts = summarise(run)
    return (
        f"{plural(run.files, 'file')} checked: {plural(counts['errors'], 'error')}, "
        f"{plural(counts['warnings'], 'warning')}, {counts['acknowledged']} acknowledged"
    )


def _git_commit() -> str | None:
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
        "file": f.file, "line": f.line, "column": f.column, "pointer": f.pointer, "path": f.path, "rule": f.code,
        "name": f.name, "severity": f.severity.value, "message": f.message, "acknowledged": f.acknowledged,
        "related": [
            {"role": r.role, "file": r.file, "line": r.line, "column": r.column, "pointer": r.pointer, "path": r.path}
            for r in f.related
        ],
        "ids": list(f.ids),
        "data": _json_safe(f.data),
    }
    if f.acknowledged:
        entry["reason"] = f.ack_reason
    return entry


def report_json(run: ValidationRun, out: TextIO, options: ReportOptions = ReportOptions()) -> None:
    document = {
        "files": run.files,
        "findings": [_finding_json(f) for f in run.findings],
        "summary": summarise(run),
        "produced_by": {
            "validator": f"county-records {__version__}",
            "schema_versions": run.schema_versions,
            "records_commit": _git_commit(),
        },
    }
    json.dump(document, out, ensure_ascii=False, indent=2, allow_nan=False)
    out.write("\n")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def report_github(run: ValidationRun, out: TextIO, options: ReportOptions = ReportOptions()) -> None:
    """GitHub Actions workflow commands: findings show up on the pull request's diff."""
    for f in run.findings:
        command = "notice" if f.acknowledged else ("error" if f.severity is Severity.ERROR else "warning")
        title = f"{f.code} {f.name}" + (" (acknowledged)" if f.acknowledged else "")
        message = f.message + (f" (acknowledged: {f.ack_reason})" if f.acknowledged else "")
        message += "".join(f"\n{r.role}: {r.file}:{r.line}" + (f" {r.path}" if r.path else "") for r in f.related)
        out.write(
            f"::{command} file={_escape_property(f.file)},line={f.line},col={f.column},"
            f"title={_escape_property(title)}::{_escape_data(message)}\n"
        )
    out.write(summary_line(run) + "\n")


REPORTER_BY_NAME: dict[str, Callable[[ValidationRun, TextIO, ReportOptions], None]] = {
    "text": report_text,
    "json": report_json,
    "github": report_github,
}
