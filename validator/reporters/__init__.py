"""Reporters turn a finished run into text; they decide nothing. Chosen by name: reporter(name), REPORTER_NAMES.

Adding an output format is one module here and one line in the registry. Every format shows at most
FINDINGS_PER_FILE findings of a file (validator/text.py) and says, by code, which it left out; the
summary and the exit status count them all.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Callable, NamedTuple, TextIO

from ..support.findings import Severity
from ..support.text import FINDINGS_PER_FILE, plural, visible

if TYPE_CHECKING:  # the command line reads the registry's names before it runs anything
    from ..engine import ValidationRun
    from ..support.findings import LocatedFinding


class ReportOptions(NamedTuple):
    """What the command line asks of a reporter (not every reporter uses every option)."""

    show_acknowledgement: bool = False  # text: the `acknowledged` entry that would acknowledge each finding
    color: bool = False  # text: ANSI colours (the command line decides: a terminal, no NO_COLOR)
    snippets: bool = False  # text: the record's line under each finding, with a caret under the value
    quiet: bool = False  # text: only what fails or warns; github: no summary line
    verbose: bool = False  # text: acknowledged findings too (the default counts them in the summary only)


class LeftOut(NamedTuple):
    """The findings of one file a report does not show: how many of each code."""

    file: str
    codes: dict[str, int]

    @property
    def count(self) -> int:
        return sum(self.codes.values())

    def sentence(self) -> str:
        codes = ", ".join(f"{code} x{count}" for code, count in self.codes.items())
        return (f"{plural(self.count, 'more finding')} not shown (a report shows at most {FINDINGS_PER_FILE} "
                f"of a file): {codes}")


def _showing_order(f: LocatedFinding) -> int:
    """What a capped report keeps first: what fails, then warnings, then acknowledged findings, then corrections."""
    if f.acknowledged:
        return 2
    return {Severity.ERROR: 0, Severity.WARNING: 1}.get(f.severity, 3)


def cap_per_file(findings: list[LocatedFinding]) -> tuple[list[LocatedFinding], list[LeftOut]]:
    """At most FINDINGS_PER_FILE findings of each file, in their order, and what was left out of each."""
    by_file: dict[str, list[int]] = {}
    for index, f in enumerate(findings):
        by_file.setdefault(f.file, []).append(index)
    dropped: set[int] = set()
    left_out = []
    for file, indices in by_file.items():
        if len(indices) <= FINDINGS_PER_FILE:
            continue
        extra = sorted(indices, key=lambda i: (_showing_order(findings[i]), i))[FINDINGS_PER_FILE:]
        dropped.update(extra)
        codes: dict[str, int] = {}
        for i in extra:
            codes[findings[i].code] = codes.get(findings[i].code, 0) + 1
        left_out.append(LeftOut(file, dict(sorted(codes.items(), key=lambda item: (-item[1], item[0])))))
    return [f for i, f in enumerate(findings) if i not in dropped], left_out


# Information about coverage (COVER001), counted apart from the corrections a record makes.
COVERAGE_CODES = frozenset({"COVER001"})


def is_correction(f: LocatedFinding) -> bool:
    return f.severity is Severity.INFO and f.code not in COVERAGE_CODES


def coverage_total(run: ValidationRun) -> dict[str, int]:
    """The text sources the run's records cite, their quantities, and how many are recorded or omitted."""
    total = {"sources": 0, "quantities": 0, "accounted": 0}
    for result in run.results:
        for key, count in (result.coverage or {}).items():
            total[key] += count
    return total


def summarise(run: ValidationRun) -> dict:
    failing = [f for f in run.findings if not f.acknowledged]
    return {
        "errors": sum(1 for f in failing if f.severity is Severity.ERROR),
        "warnings": sum(1 for f in failing if f.severity is Severity.WARNING),
        "acknowledged": sum(1 for f in run.findings if f.acknowledged),
        "corrections": sum(1 for f in run.findings if is_correction(f)),
        "coverage": coverage_total(run),
    }


def _coverage_phrase(coverage: dict[str, int]) -> str:
    if not coverage["sources"]:
        return ""
    quantities, accounted = coverage["quantities"], coverage["accounted"]
    share = f"{accounted * 100 // quantities}%" if quantities else "all"  # floor: 100% only when every one is
    return (f"; {plural(coverage['sources'], 'text source')}, {share} of their {quantities} {'quantity' if quantities == 1 else 'quantities'} "
            "recorded or omitted")


def summary_line(run: ValidationRun) -> str:
    counts = summarise(run)
    corrections = f", {plural(counts['corrections'], 'correction')}" if counts["corrections"] else ""
    return (
        f"{plural(run.files, 'file')} checked: {plural(counts['errors'], 'error')}, "
        f"{plural(counts['warnings'], 'warning')}, {counts['acknowledged']} acknowledged{corrections}"
        f"{_coverage_phrase(counts['coverage'])}"
    )


# Each output format: its module here and the function that writes it, imported when it is asked for
# (the command line lists the names without paying for every reporter's imports).
_REPORTERS = {
    "text": ("text", "report_text"),
    "json": ("json_report", "report_json"),
    "github": ("github", "report_github"),
    "sarif": ("sarif", "report_sarif"),
}
REPORTER_NAMES = tuple(_REPORTERS)


def reporter(name: str) -> Callable[[ValidationRun, TextIO, ReportOptions], None]:
    module, function = _REPORTERS[name]
    return getattr(importlib.import_module(f"{__name__}.{module}"), function)
