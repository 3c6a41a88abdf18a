"""Compiler-style text: `FILE:LINE:COL: SEVERITY CODE at PATH: message`, related places as `note:` lines.

An acknowledged finding's severity word is `acknowledged`; the default report counts those in its summary
and --verbose lists them. Everything from a record or a file name goes through visible(), so no record
can write a terminal's escape sequence, forge a line, or start a line with a CI workflow command (`::`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from ..support.findings import LocatedFinding, Severity
from ..support.text import MESSAGE_LIMIT, PATH, REASON, clip, visible

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
    start = f.column - 1
    # Escapes widen what precedes the value and the value itself: the caret follows the escaped line.
    before, value = visible(line[:start]), visible(line[start:start + caret_width(line, f.column)])
    gutter = f"{f.line:>5} | "
    marker = " " * (len(gutter) - 2) + "| " + " " * len(before) + paint("^" + "~" * (max(1, len(value)) - 1), "caret")
    return [paint(gutter, "dim") + visible(line), paint(marker[: len(gutter)], "dim") + marker[len(gutter):]]


def shown_file(name: str) -> str:
    """A file name as a line may begin with it: escaped, and never read by a CI runner as a command."""
    shown = visible(clip(name, PATH))
    # GitHub's runner reads a line as a workflow command if it starts with `::` after leading white space.
    return "./" + shown if shown.lstrip().startswith("::") else shown


def report_text(run: ValidationRun, out: TextIO, options: ReportOptions) -> None:
    from . import cap_per_file, is_correction, plural, summary_line

    paint = _Painter(options.color)
    listed = [f for f in run.findings if not f.acknowledged or options.verbose]
    if options.quiet:
        listed = [f for f in listed if not f.acknowledged and f.severity is not Severity.INFO]
    listed, left_out = cap_per_file(listed)
    _write_findings([f for f in listed if f.severity is not Severity.INFO], out, options, paint)
    for left in left_out:
        out.write(f"{shown_file(left.file)}: {paint('note', 'note')}: {visible(left.sentence())}\n")
    if options.quiet:
        return
    uncovered = [f for f in listed if f.severity is Severity.INFO and not is_correction(f)]
    if uncovered:  # before the summary, whose coverage share counts them
        out.write("coverage (quantities of the cited texts that no figure records and no omission covers):\n")
        _write_findings(uncovered, out, options, paint)
    out.write(summary_line(run) + "\n")
    acknowledged = sum(1 for f in run.findings if f.acknowledged)
    if acknowledged and not options.verbose:
        out.write(f"({plural(acknowledged, 'acknowledged finding')} not listed; --verbose lists them)\n")
    corrections = [f for f in listed if is_correction(f)]
    if corrections:
        out.write("corrections (figures the records read differently from their sources; the rules check the reading):\n")
        _write_findings(corrections, out, options, paint)



def _write_findings(findings: list[LocatedFinding], out: TextIO, options: ReportOptions, paint: _Painter) -> None:
    for f in findings:
        if f.acknowledged:
            severity = paint("acknowledged", "acknowledged")
            mark = f" (reason: {visible(clip(f.ack_reason or '', REASON))})"
        else:
            style = {Severity.ERROR: "error", Severity.WARNING: "warning"}.get(f.severity, "note")
            severity, mark = paint(f.severity.value, style), ""
        where = f"at {visible(clip(f.path, PATH))}: " if f.path else ""
        message = visible(clip(f.message, MESSAGE_LIMIT))
        out.write(f"{shown_file(f.file)}:{f.line}:{f.column}: {severity} {paint(f.code, 'code')} {where}{message}{mark}\n")
        if options.snippets:
            out.write("".join(f"{line}\n" for line in _snippet(f, paint)))
        for place in f.related:
            named = f" {place.path}" if place.path else (f" {place.pointer}" if place.pointer else "")
            out.write(f"    {shown_file(place.file)}:{place.line}:{place.column}: {paint('note', 'note')}: "
                      f"{visible(clip(place.role + named, PATH))}\n")
        if options.show_acknowledgement and not f.acknowledged and f.severity is not Severity.INFO:
            from ..acknowledgements.acknowledging import snippet

            out.write("    to acknowledge it (a source's own inconsistency, never your own mistake), add to `acknowledged`:\n")
            out.write("".join(f"      {visible(line)}\n" for line in snippet(f).splitlines()))
