"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request's diff."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from ..findings import Severity

if TYPE_CHECKING:
    from ..engine import ValidationRun
    from . import ReportOptions


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def report_github(run: ValidationRun, out: TextIO, options: ReportOptions) -> None:
    """GitHub Actions workflow commands: findings show up on the pull request's diff."""
    from . import summary_line

    for f in run.findings:
        command = "notice" if f.acknowledged or f.severity is Severity.INFO else ("error" if f.severity is Severity.ERROR else "warning")
        title = f"{f.code} {f.name}" + (" (acknowledged)" if f.acknowledged else "")
        message = f.message + (f" (acknowledged: {f.ack_reason})" if f.acknowledged else "")
        message += "".join(f"\n{r.role}: {r.file}:{r.line}" + (f" {r.path}" if r.path else "") for r in f.related)
        out.write(
            f"::{command} file={_escape_property(f.file)},line={f.line},col={f.column},"
            f"title={_escape_property(title)}::{_escape_data(message)}\n"
        )
    if not options.quiet:
        out.write(summary_line(run) + "\n")
