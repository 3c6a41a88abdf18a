"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request's diff.

Data is escaped as GitHub's runner reads it (`%`, CR and LF in a message; also `:` and `,` in a property),
after control characters are written visibly, so a record can neither end a command nor start one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from ..support.findings import Severity
from ..support.text import MESSAGE_LIMIT, PATH, REASON, clip, visible

if TYPE_CHECKING:
    from ..engine import ValidationRun
    from . import ReportOptions


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(command: str, file: str, message: str, line: int | None = None, column: int | None = None,
             title: str | None = None) -> str:
    properties = [f"file={escape_property(visible(clip(file, PATH)))}"]
    properties += [f"{name}={value}" for name, value in (("line", line), ("col", column)) if value is not None]
    if title is not None:
        properties.append(f"title={escape_property(visible(title))}")
    return f"::{command} {','.join(properties)}::{escape_data(message)}\n"


def report_github(run: ValidationRun, out: TextIO, options: ReportOptions) -> None:
    """GitHub Actions workflow commands: findings show up on the pull request's diff."""
    from . import cap_per_file, summary_line

    shown, left_out = cap_per_file(run.findings)
    for f in shown:
        command = "notice" if f.acknowledged or f.severity is Severity.INFO else ("error" if f.severity is Severity.ERROR else "warning")
        title = f"{f.code} {f.name}" + (" (acknowledged)" if f.acknowledged else "")
        message = visible(clip(f.message, MESSAGE_LIMIT))
        if f.acknowledged:
            message += f" (acknowledged: {visible(clip(f.ack_reason or '', REASON))})"
        # The related places are the message's own lines (escaped as %0A): each piece is escaped first.
        message += "".join(f"\n{visible(clip(r.role, PATH))}: {visible(clip(r.file, PATH))}:{r.line}"
                           + (f" {visible(clip(r.path, PATH))}" if r.path else "") for r in f.related)
        out.write(_command(command, f.file, message, f.line, f.column, title))
    for left in left_out:
        out.write(_command("notice", left.file, visible(left.sentence()), title="findings not shown"))
    if not options.quiet:
        out.write(summary_line(run) + "\n")
