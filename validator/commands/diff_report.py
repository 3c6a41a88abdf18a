"""Reporters for `county-records diff`: text for a terminal, Markdown for a GitHub job summary.

They turn a finished `CorpusDiff` into text and decide nothing. Chosen by name from DIFF_REPORTER_BY_NAME.
"""

from __future__ import annotations

import re
from typing import Callable, TextIO

from .diff import AcknowledgementEntry, CorpusDiff, FileDiff, Figure, FigureChange, FindingEntry, VersionState
from ..reporters.text import shown_file
from ..support.text import MESSAGE_LIMIT, PATH, SHORT, clip, plural, visible

QUOTE_SHOWN = 500  # characters of a quote in a report; real quotes are a clause, under 250
_QUALIFIER_WORDS = {
    "exact": "", "approximately": "about ", "at_least": "at least ", "more_than": "more than ",
    "at_most": "at most ", "less_than": "less than ", "range": "",
}


def _shown(text: object, limit: int = SHORT) -> str:
    """A piece of a record as the text report shows it: clipped, its control characters escaped (a
    record's quote must not write to the terminal or forge a line of the log)."""
    return visible(clip(text, limit))


def amount(figure: Figure) -> str:
    """The figure as a reader says it: `more than 1,500 jobs`, `2,000 yuan to 3,000 yuan (read as ...)`."""
    text = _QUALIFIER_WORDS.get(figure.qualifier, f"{figure.qualifier} ") + _shown(figure.value, PATH)
    if figure.upper is not None:
        text += f" to {_shown(figure.upper, PATH)}"
    if figure.curated is not None:
        text += f" (read as {_shown(figure.curated, PATH)})"
    return text


def _problem(entry: FindingEntry | None) -> str:
    return f": {entry.code} at line {entry.line}: {visible(entry.message)}" if entry else ""


def state_notes(diff: FileDiff) -> list[str]:
    """What a reader needs to know about the file as a whole before its figures."""
    old, new = diff.old, diff.new
    notes = []
    if old.state is VersionState.ABSENT:
        notes.append("new file")
    if new.state is VersionState.ABSENT:
        notes.append("file removed")
    if new.state in (VersionState.NOT_LOADED, VersionState.NOT_VALID):
        notes.append(f"the new version {new.state.value}{_problem(new.problem)}")
    if old.state in (VersionState.NOT_LOADED, VersionState.NOT_VALID):
        past = "did not load" if old.state is VersionState.NOT_LOADED else "did not validate"
        notes.append(f"the old version {past}{_problem(old.problem)}")
    if not diff.figures_compared:
        notes.append("figures are not compared")
    return notes


def summary_line(corpus: CorpusDiff) -> str:
    t = corpus.totals()
    return (
        f"against {corpus.revision}: {len(corpus.files)} of {plural(corpus.files_compared, 'record file')} changed; "
        f"figures {t['figures_added']} added, {t['figures_removed']} removed, {t['figures_changed']} changed; "
        f"findings {t['findings_appeared']} appeared, {t['findings_gone']} gone; "
        f"corrections {t['corrections_added']} added, {t['corrections_removed']} removed; "
        f"acknowledgements {t['acknowledgements_added']} added, {t['acknowledgements_removed']} removed"
    )


def _finding_text(f: FindingEntry) -> str:
    where = f" at {_shown(f.identity, PATH)}" if f.identity else ""
    mark = " (acknowledged)" if f.acknowledged else ""
    return f"line {f.line}: {f.severity.value} {f.code} {f.name}{where}: {visible(f.message)}{mark}"


def _acknowledgement_text(a: AcknowledgementEntry) -> str:
    return f"line {a.line}: {_shown(a.rule)} at {_shown(a.pointer or '/', PATH)} ({_shown(a.identity or 'the whole record', PATH)}): {_shown(a.reason, MESSAGE_LIMIT)}"


def _citation(figure: Figure) -> str:
    """What states the figure, as the text report shows it: its quote, or (schema 1.2) the table's cell it cites."""
    if figure.quote is None:
        return f"cell {_shown(figure.cell or '', QUOTE_SHOWN)}"
    return f'"{_shown(figure.quote, QUOTE_SHOWN)}"'


def _figure_change_text(change: FigureChange) -> str:
    old, new = amount(change.old), amount(change.new)
    cited = f"{_citation(change.old)} -> {_citation(change.new)}" if {"quote", "cell"} & set(change.fields) else _citation(change.new)
    return f"{_shown(change.new.identity, PATH)} (line {change.new.line}): {old if old == new else f'{old} -> {new}'}\n      quote: {cited}"


def _figure_text(figure: Figure) -> str:
    return f'{_shown(figure.identity, PATH)} (line {figure.line}): {amount(figure)}\n      quote: {_citation(figure)}'


def report_diff_text(corpus: CorpusDiff, out: TextIO) -> None:
    for diff in corpus.files:
        # Records come from anyone: what they hold is escaped, and no line can start a CI workflow command.
        out.write(f"{shown_file(diff.file)}\n")
        for note in state_notes(diff):
            out.write(f"  {visible(note)}\n")
        sections = (
            ("figures changed", [_figure_change_text(c) for c in diff.figures_changed]),
            ("figures added", [_figure_text(f) for f in diff.figures_added]),
            ("figures removed", [_figure_text(f) for f in diff.figures_removed]),
            ("findings appeared", [_finding_text(f) for f in diff.findings_appeared]),
            ("findings gone", [_finding_text(f) for f in diff.findings_gone]),
            ("corrections added", [_finding_text(f) for f in diff.corrections_added]),
            ("corrections removed", [_finding_text(f) for f in diff.corrections_removed]),
            ("acknowledgements added", [_acknowledgement_text(a) for a in diff.acknowledgements_added]),
            ("acknowledgements removed", [_acknowledgement_text(a) for a in diff.acknowledgements_removed]),
        )
        for heading, entries in sections:
            if entries:
                out.write(f"  {heading}:\n" + "".join(f"    {entry}\n" for entry in entries))
    out.write(("no data changes " if not corpus.files else "") + summary_line(corpus) + "\n")


# Every character that Markdown or HTML could read as markup, written as a character reference, which
# renders as the character itself: record text and file names cannot open a tag, a link, emphasis, a
# code span or a table cell, however they are written. Line breaks become spaces (one row, one line).
# (`(`, `!`, `#` and quotes need none: without `[`, `<` and a line start they make no link, tag or heading.)
_MARKUP = {ord(c): f"&#{ord(c)};" for c in "&<>`*_[]\\|~$"} | {ord("\r"): " ", ord("\n"): " "}
# Text that a code span shows as it is (no backtick, pipe, bracket of a tag or line break).
_PLAIN_CODE = re.compile(r"^[A-Za-z0-9 _.,:;/#()\[\]+=@%~^-]*$")


def _cell(text: str) -> str:
    return text.translate(_MARKUP)


# Longer tables (a new county's every figure) are folded, so the rest of the summary stays in view.
FOLD_ROWS = 20


def _table(out: TextIO, heading: str, columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    if not rows:
        return
    folded = len(rows) > FOLD_ROWS
    title = f"{heading} ({len(rows)})"
    out.write(f"<details><summary><b>{title}</b></summary>\n\n" if folded else f"**{title}**\n\n")
    out.write(f"| {' | '.join(columns)} |\n|{'---|' * len(columns)}\n")
    for row in rows:
        out.write(f"| {' | '.join(row)} |\n")
    out.write("\n</details>\n\n" if folded else "\n")


def _code(text: str) -> str:
    """Text shown as code: a code span where that is safe, else an HTML <code> element with every markup character escaped."""
    if not text:
        return "(whole record)"
    text = clip(text, PATH)
    return f"`{text}`" if _PLAIN_CODE.match(text) else f"<code>{_cell(text)}</code>"


def _quote(text: str) -> str:
    return f"“{_cell(clip(text, QUOTE_SHOWN))}”"


def _cited(figure: Figure) -> str:
    """The figure's quote, or (schema 1.2) the table's cell it cites."""
    return _quote(figure.quote) if figure.quote is not None else "cell " + _cell(clip(figure.cell or "", QUOTE_SHOWN))


def _figure_change_row(change: FigureChange) -> tuple[str, ...]:
    if {"quote", "cell"} & set(change.fields):
        quote = f"was {_cited(change.old)}<br>now {_cited(change.new)}"
    else:
        quote = _cited(change.new)
    return _code(change.new.identity), _cell(amount(change.old)), _cell(amount(change.new)), quote, str(change.new.line)


def _figure_row(f: Figure) -> tuple[str, ...]:
    return _code(f.identity), _cell(amount(f)), _cited(f), str(f.line)


def _finding_row(f: FindingEntry) -> tuple[str, ...]:
    severity = f.severity.value + (" (acknowledged)" if f.acknowledged else "")
    return severity, f"`{f.code}` {f.name}", _code(f.identity), _cell(f.message), str(f.line)


def _acknowledgement_row(a: AcknowledgementEntry) -> tuple[str, ...]:
    return _code(a.rule), f"{_code(a.pointer or '/')} ({_code(a.identity)})", _cell(clip(a.reason, MESSAGE_LIMIT)), str(a.line)


_FIGURE_COLUMNS = ("figure", "value", "quote", "line")
_FINDING_COLUMNS = ("severity", "rule", "at", "message", "line")
_ACKNOWLEDGEMENT_COLUMNS = ("rule", "at", "reason", "line")


def _github_file(diff: FileDiff, out: TextIO) -> None:
    out.write(f"### {_code(diff.file)}\n\n")
    notes = state_notes(diff)
    if notes:
        out.write(">\n".join(f"> {_cell(note)}\n" for note in notes) + "\n")
    _table(out, "Figures changed", ("figure", "old", "new", "quote", "line"), [_figure_change_row(c) for c in diff.figures_changed])
    _table(out, "Figures added", _FIGURE_COLUMNS, [_figure_row(f) for f in diff.figures_added])
    _table(out, "Figures removed", _FIGURE_COLUMNS, [_figure_row(f) for f in diff.figures_removed])
    _table(out, "Findings that appeared", _FINDING_COLUMNS, [_finding_row(f) for f in diff.findings_appeared])
    _table(out, "Findings that went away", _FINDING_COLUMNS, [_finding_row(f) for f in diff.findings_gone])
    _table(out, "Corrections added", _FINDING_COLUMNS, [_finding_row(f) for f in diff.corrections_added])
    _table(out, "Corrections removed", _FINDING_COLUMNS, [_finding_row(f) for f in diff.corrections_removed])
    _table(out, "Acknowledgements added", _ACKNOWLEDGEMENT_COLUMNS, [_acknowledgement_row(a) for a in diff.acknowledgements_added])
    _table(out, "Acknowledgements removed", _ACKNOWLEDGEMENT_COLUMNS, [_acknowledgement_row(a) for a in diff.acknowledgements_removed])


def report_diff_github(corpus: CorpusDiff, out: TextIO) -> None:
    """Markdown for $GITHUB_STEP_SUMMARY: a heading per file, tables of figures and findings."""
    summary = _cell(summary_line(corpus))
    out.write(f"## Data changes against {_code(corpus.revision)}\n\n{summary[0].upper()}{summary[1:]}\n\n")
    for diff in corpus.files:
        _github_file(diff, out)


DIFF_REPORTER_BY_NAME: dict[str, Callable[[CorpusDiff, TextIO], None]] = {
    "text": report_diff_text,
    "github": report_diff_github,
}
