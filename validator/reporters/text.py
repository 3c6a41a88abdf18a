"""Compiler-style text: `FILE:LINE:COL: SEVERITY CODE at PATH: message`, related places as `note:` lines."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from ..findings import LocatedFinding, Severity

if TYPE_CHECKING:
    from ..engine import ValidationRun
    from . import ReportOptions

_RESET = "\033[0m"
_STYLE = {"error": "\033[1;31m", "warning": "\033[1;33m", "note": "\033[36m", "code": "\033[1m", "dim": "\033[2m",
          "acknowledged": "\033[32m", "caret": "\033[1;32m"}
_FLOW_ENDS = ",]}"


class _Painter:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, style: str) -> str:
        return f"{_STYLE[style]}{text}{_RESET}" if self.enabled and text else text


def caret_width(line: str, column: int) -> int:
    """How many characters the value at `column` takes on its line (at least one).

    A quoted value ends at its closing quote; a plain one at a comment, the end of the line, or, inside
    a flow collection, at the next flow indicator.
    """
    start = column - 1
    if start >= len(line):
        return 1
    if line[start] in "\"'":
        end = line.find(line[start], start + 1)
        return (end - start + 1) if end != -1 else len(line) - start
    in_flow = any(opener in line[:start] for opener in "[{")
    end = len(line)
    comment = line.find(" #", start)
    if comment != -1:
        end = comment
    if in_flow:
        end = min([end] + [i for i in (line.find(c, start) for c in _FLOW_ENDS) if i != -1])
    return max(1, len(line[start:end].rstrip()))


def _snippet(f: LocatedFinding, paint: _Painter) -> list[str]:
    if f.source_line is None:
        return []
    line = f.source_line.expandtabs(1)
    gutter = f"{f.line:>5} | "
    marker = " " * (len(gutter) - 2) + "| " + " " * (f.column - 1) + paint("^" + "~" * (caret_width(line, f.column) - 1), "caret")
    return [paint(gutter, "dim") + line, paint(marker[: len(gutter)], "dim") + marker[len(gutter):]]


def report_text(run: ValidationRun, out: TextIO, options: ReportOptions) -> None:
    from . import summary_line

    paint = _Painter(options.color)
    findings = [f for f in run.findings if f.severity is not Severity.INFO]
    corrections = [f for f in run.findings if f.severity is Severity.INFO]
    _write_findings(findings, out, options, paint)
    if not options.quiet:
        out.write(summary_line(run) + "\n")
        if corrections:
            out.write("corrections (figures the records read differently from their sources; the rules check the reading):\n")
            _write_findings(corrections, out, options, paint)


def _write_findings(findings: list[LocatedFinding], out: TextIO, options: ReportOptions, paint: _Painter) -> None:
    for f in findings:
        style = {Severity.ERROR: "error", Severity.WARNING: "warning"}.get(f.severity, "note")
        severity = paint(f.severity.value, style)
        mark = " " + paint(f"(acknowledged: {f.ack_reason or ''})", "acknowledged") if f.acknowledged else ""
        where = f"at {f.path}: " if f.path else ""
        out.write(f"{f.file}:{f.line}:{f.column}: {severity} {paint(f.code, 'code')} {where}{f.message}{mark}\n")
        if options.snippets:
            out.write("".join(f"{line}\n" for line in _snippet(f, paint)))
        for place in f.related:
            named = f" {place.path}" if place.path else (f" {place.pointer}" if place.pointer else "")
            out.write(f"    {place.file}:{place.line}:{place.column}: {paint('note', 'note')}: {place.role}{named}\n")
        if options.show_acknowledgement and not f.acknowledged and f.severity is not Severity.INFO:
            from ..acknowledging import snippet

            out.write("    to acknowledge it (a source's own inconsistency, never your own mistake), add to `acknowledged`:\n")
            out.write("".join(f"      {line}\n" for line in snippet(f).splitlines()))
