"""Reporters turn a finished run into text; they decide nothing. Chosen by name: reporter(name), REPORTER_NAMES.

Adding an output format is one module here and one line in the registry.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Callable, NamedTuple, TextIO

from ..findings import Severity
from ..text import plural

if TYPE_CHECKING:  # the command line reads the registry's names before it runs anything
    from ..engine import ValidationRun


class ReportOptions(NamedTuple):
    """What the command line asks of a reporter (not every reporter uses every option)."""

    show_acknowledgement: bool = False  # text: the `acknowledged` entry that would acknowledge each finding
    color: bool = False  # text: ANSI colours (the command line decides: a terminal, no NO_COLOR)
    snippets: bool = False  # text: the record's line under each finding, with a caret under the value
    quiet: bool = False  # text, github: findings only, no summary line


def summarise(run: ValidationRun) -> dict:
    failing = [f for f in run.findings if not f.acknowledged]
    return {
        "errors": sum(1 for f in failing if f.severity is Severity.ERROR),
        "warnings": sum(1 for f in failing if f.severity is Severity.WARNING),
        "acknowledged": sum(1 for f in run.findings if f.acknowledged),
        "corrections": sum(1 for f in run.findings if f.severity is Severity.INFO),
    }


def summary_line(run: ValidationRun) -> str:
    counts = summarise(run)
    corrections = f", {plural(counts['corrections'], 'correction')}" if counts["corrections"] else ""
    return (
        f"{plural(run.files, 'file')} checked: {plural(counts['errors'], 'error')}, "
        f"{plural(counts['warnings'], 'warning')}, {counts['acknowledged']} acknowledged{corrections}"
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
