"""A page for each source in seeds/: a text with every quoted passage marked and linked to the figures quoting
it, or a table with a row per key that links to its county's page.

Passages are found as QUOTE001 finds them (whitespace and punctuation width folded), so a quote the validator
accepts is a quote the page marks; a quote that is not in its source is simply not marked (QUOTE001 says so).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ...support.seeds import SeedText, fold_whitespace, read_seed
from ...support.tables import Table, read_table


def source_page(file: str) -> str:
    """The page of a source's `file` (seeds/NAME) in the site: sources/<NAME without its suffix>.html."""
    return f"sources/{PurePosixPath(file).stem}.html"


def passage_id(quote: str) -> str:
    """The anchor of a quote's passage on its source's page: the same quote has the same anchor on every page."""
    return "q-" + hashlib.sha256(fold_whitespace(quote).encode("utf-8")).hexdigest()[:12]


def cell_anchor(key: str, value: str) -> str:
    """The anchor of the row whose `key` column holds `value`, as a record cites it: code-430225."""
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in f"{key}-{value}")


@dataclass(frozen=True, slots=True)
class Citation:
    """A figure (or exit, list, official) of a county page that quotes a passage, or a value cited to a row."""

    page: str  # the county page, relative to the site's root
    anchor: str  # "" for the page itself
    text: str  # what the link says: the county and the figure


@dataclass(slots=True)
class Segment:
    """A run of the source's text; a marked one is quoted, with the anchors of the quotes starting in it."""

    text: str
    marked: bool = False
    starts: list[str] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    number: int = 0  # the passage's number on the page (marked segments only)


@dataclass(slots=True)
class SourcePageView:
    page: str
    file: str
    title: str
    details: list[tuple[str, str]]  # provenance from seeds/index.yaml: (term, text)
    kind: str  # "text", "table" or "missing"
    segments: list[Segment] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    rows: list[TableRow] = field(default_factory=list)
    unmarked: int = 0  # quotes not found in the text
    copy: str = ""  # where the site keeps a copy of the file (tables: the CSV to download)
    copy_text: str = ""


def _raw_span(seed: SeedText, offsets: list[int] | None, folded_start: int, folded_length: int) -> tuple[int, int]:
    last = folded_start + folded_length - 1
    if offsets is not None:
        return offsets[folded_start], offsets[last] + 1
    line_starts = [0] + [n + 1 for n, character in enumerate(seed.raw) if character == "\n"]
    line, column = seed.position_of(folded_start)
    start = line_starts[line - 1] + column - 1
    line, column = seed.position_of(last)
    return start, line_starts[line - 1] + column


def _text_segments(seed: SeedText, quotes: dict[str, list[Citation]]) -> tuple[list[Segment], int]:
    """The text cut into runs, each quoted run marked; and how many quotes were not found."""
    spans = []
    unmarked = 0
    offsets = seed.raw_offsets()
    by_passage: dict[str, tuple[str, list[Citation]]] = {}
    for quote, citations in quotes.items():  # quotes that differ only in spacing are one passage, one anchor
        first, cited = by_passage.setdefault(passage_id(quote), (quote, []))
        cited.extend(c for c in citations if c not in cited)
    for anchor, (quote, citations) in by_passage.items():
        folded = fold_whitespace(quote)
        at = seed.folded.find(folded) if folded else -1
        if at < 0:
            unmarked += 1
            continue
        start, end = _raw_span(seed, offsets, at, len(folded))
        spans.append((start, end, anchor, citations))
    spans.sort(key=lambda span: (span[0], -span[1], span[2]))
    segments: list[Segment] = []
    position = 0
    for start, end, anchor, citations in spans:
        current = segments[-1] if segments and segments[-1].marked else None
        if current is not None and start < position:  # overlaps the passage before: one passage
            if end > position:
                current.text += seed.raw[position:end]
                position = end
            current.starts.append(anchor)
            current.citations.extend(c for c in citations if c not in current.citations)
            continue
        if start > position:
            segments.append(Segment(seed.raw[position:start]))
        segments.append(Segment(seed.raw[start:end], True, [anchor], list(citations)))
        position = end
    segments.append(Segment(seed.raw[position:]))
    for number, segment in enumerate((s for s in segments if s.marked), 1):
        segment.number = number
    return segments, unmarked


@dataclass(slots=True)
class TableRow:
    id: str
    cells: list[str]
    anchors: list[str] = field(default_factory=list)  # the cited keys that name this row (the first row of each)
    citations: list[Citation] = field(default_factory=list)


def _table_rows(table: Table, cited: dict[str, dict[str, list[Citation]]]) -> list[TableRow]:
    rows = [TableRow(f"row-{n}", list(cells)) for n, cells in enumerate(table.rows, 1)]
    for key, values in sorted(cited.items()):
        if key not in table.header:
            continue
        position = table.header.index(key)
        for row in rows:
            value = row.cells[position] if position < len(row.cells) else None
            if value in values:  # a key the table repeats names its first row, as CELL001 reads it
                row.anchors.append(cell_anchor(key, value))
                row.citations.extend(c for c in values.pop(value) if c not in row.citations)
    return rows


DETAIL_TERMS = (("publisher", "publisher"), ("published", "published"), ("language", "language"),
                ("translated_from", "translated from"), ("machine_translated", "machine translation"), ("url", "published at"),
                ("sha256", "SHA-256 of the file"))


def source_pages(seeds_dir, index: dict[str, dict], quotes: dict[str, dict[str, list[Citation]]],
                 cells: dict[str, dict[str, dict[str, list[Citation]]]]) -> list[SourcePageView]:
    """A page per source file a record names. `index` is seeds/index.yaml by file name; `quotes` the quotes of
    each text file with what quotes them; `cells` each table file's cited key columns, values and citing counties."""
    pages = []
    for file in sorted(set(quotes) | set(cells)):
        name = file.removeprefix("seeds/")
        entry = index.get(name, {})
        details = [(term, "yes" if entry[key] is True else str(entry[key])) for key, term in DETAIL_TERMS
                   if entry.get(key) not in (None, False, "")]
        view = SourcePageView(source_page(file), file, str(entry.get("title") or name), details, "missing")
        if file in cells:
            table = read_table(seeds_dir, file)
            if isinstance(table, Table):
                view.kind = "table"
                view.header, view.rows = list(table.header), _table_rows(table, cells[file])
                view.copy = f"sources/{name}"
                seed = read_seed(seeds_dir, name)
                view.copy_text = seed.text.raw if seed.text is not None else ""
        else:
            seed = read_seed(seeds_dir, name)
            if seed.text is not None:
                view.kind = "text"
                view.segments, view.unmarked = _text_segments(seed.text, quotes[file])
        pages.append(view)
    return pages


def _figure_name(figure) -> str:
    name = figure.label or (figure.metric or "").replace("_", " ") or figure.role or "figure"
    when = figure.date or (f"{figure.period[0]} on" if figure.period else "")
    return f"{name} ({when})" if when else name


def site_sources(pages, seeds_dir, index: dict[str, dict]) -> list[SourcePageView]:
    """The source pages of these record pages: every quote each county quotes from a text, every row it cites."""
    quotes: dict[str, dict[str, list[Citation]]] = {}
    cells: dict[str, dict[str, dict[str, list[Citation]]]] = {}

    def cite(quote, page, anchor: str, what: str) -> None:
        if quote is not None and quote.source_file:
            citation = Citation(page.page, anchor, f"{page.name_en}: {what}")
            quotes.setdefault(quote.source_file, {}).setdefault(quote.text, []).append(citation)

    def cite_cell(cited, page, anchor: str, what: str) -> None:
        table = next((s for s in page.sources if s.id == cited.source_id), None) if cited is not None else None
        if table is not None and table.file in cells:
            citation = Citation(page.page, anchor, f"{page.name_en}: {what}" if what else page.name_en)
            cells[table.file].setdefault(table.key, {}).setdefault(cited.row, []).append(citation)

    for page in (p for p in pages if p.loaded):
        for source in page.sources:
            if source.file and source.key:
                cells.setdefault(source.file, {})
            elif source.file:
                quotes.setdefault(source.file, {})
        if page.poverty_exit is not None:
            cite(page.poverty_exit.quote, page, "poverty-exit", "exit approved " + page.poverty_exit.date)
        for section in page.sections:
            for item in section.items:
                for figure in item.all_figures():
                    cite(figure.quote, page, figure.anchor, _figure_name(figure))
                    cite_cell(figure.cell, page, figure.anchor, _figure_name(figure))
                cite(item.quote, page, item.anchor, item.title)
        cite_cell(page.delisted_year, page, "", "")
    return source_pages(seeds_dir, index, quotes, cells)
