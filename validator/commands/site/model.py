"""The site model: plain data that the templates and charts read, made by `gather` from the pipeline.

Nothing here knows how records are loaded or checked; a change of the pipeline changes `gather` only.
Every text here is what the record says, unescaped: the templates escape it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

INFO = "info"  # the severity of a correction (CORRECTION001): what a reader should see, never a problem


@dataclass(frozen=True, slots=True)
class Place:
    """A line of a record file, by the file's path in the repository (e.g. records/hunan/yanling.yaml)."""

    path: str
    line: int


@dataclass(slots=True)
class FindingView:
    code: str
    name: str
    severity: str  # "error", "warning" or "info" (a correction: the figure's curated reading, not a problem)
    message: str
    pointer: str
    place: Place
    acknowledged: bool = False
    reason: str | None = None
    # The anchor on the page where the finding is shown next to what it is about ("" when at the page top).
    shown_at: str = ""


@dataclass(frozen=True, slots=True)
class QuoteView:
    text: str
    source_id: str | None
    source_date: str | None
    # Where the quote stands on its source's page, relative to the site's root ("" where it has no page).
    passage: str = ""
    source_file: str = ""  # seeds/NAME of a text source, whose page marks the passage


@dataclass(slots=True)
class FigureView:
    """One quantity of the record: the value as stated, its quote, its correction and its findings."""

    anchor: str
    pointer: str
    role: str  # what the figure is to its item ("target", "households", ...); "" where it is the item
    id: str | None
    label: str | None
    metric: str | None
    stated: str
    qualifier: str
    upper: str | None
    date: str | None
    period: tuple[str, str | None] | None  # (start, end); no end where the period is ongoing
    planned: bool
    quote: QuoteView | None  # None where the figure cites a table's cell instead (schema 1.2)
    place: Place
    cell: CellView | None = None  # the table's cell the figure cites, where it has no quote
    curated_value: str | None = None
    curated_note: str | None = None
    derived: str | None = None
    # The reading rules check (the curated one where there is one), as a number in `unit`; None if unreadable.
    value: float | None = None
    unit: str | None = None
    findings: list[FindingView] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Reference:
    """An id the record refers to, and the anchor on the page where it is shown ("" when not found)."""

    id: str
    anchor: str


@dataclass(frozen=True, slots=True)
class Fact:
    """A term and its text or the ids it refers to: 'stage: disbursed', 'parts: a, b'."""

    term: str
    text: str | None = None
    references: tuple[Reference, ...] = ()


@dataclass(slots=True)
class ItemView:
    """An entry of a section: an observation, target, programme, fund, share, relation, list or official."""

    anchor: str
    pointer: str
    title: str
    id: str | None
    place: Place
    facts: list[Fact] = field(default_factory=list)
    figures: list[FigureView] = field(default_factory=list)
    groups: list[tuple[str, list[FigureView]]] = field(default_factory=list)  # a programme's outputs, outcomes
    quote: QuoteView | None = None
    listed: list[str] = field(default_factory=list)  # the names a counted list gives
    findings: list[FindingView] = field(default_factory=list)
    stage: str | None = None  # funds only
    level: str | None = None  # funds only

    def all_figures(self) -> list[FigureView]:
        return self.figures + [figure for _, group in self.groups for figure in group]


@dataclass(slots=True)
class SectionView:
    key: str  # the record's field name: observations, targets, ...
    title: str
    items: list[ItemView]


@dataclass(frozen=True, slots=True)
class SourceView:
    """A source as the record lists it; `page` is its page in the site ("" where the site has none)."""

    id: str
    title: str
    publisher: str | None
    published: str | None
    file: str | None
    url: str | None
    language: str
    translated_from: str | None
    machine_translated: bool
    place: Place
    page: str = ""
    key: str | None = None  # a table's key column


@dataclass(frozen=True, slots=True)
class PovertyExitView:
    date: str
    approved_by: str
    quote: QuoteView
    place: Place


@dataclass(frozen=True, slots=True)
class CellView:
    """A value the record cites to a cell of a table source, and where that row is in the site."""

    value: str
    source_id: str
    row: str
    column: str
    source_title: str
    href: str  # the row on the source's page, relative to the site's root ("" where the source has no page)
    place: Place


@dataclass(slots=True)
class RecordPage:
    """One record's page; `loaded` is False where the file did not load or fit its schema."""

    page: str  # the page's path inside the site, e.g. counties/430225.html
    path: str  # the record file's path in the repository
    loaded: bool
    disk_path: str = ""  # where the builder reads the file, to copy it into the site
    level: str = "county"
    code: str = ""
    name_en: str = ""
    name_zh: str = ""
    province: str = ""
    prefecture: str | None = None
    designations: list[str] = field(default_factory=list)
    contiguous_area: str | None = None
    poverty_exit: PovertyExitView | None = None
    delisted_year: CellView | None = None
    sources: list[SourceView] = field(default_factory=list)
    sections: list[SectionView] = field(default_factory=list)
    findings: list[FindingView] = field(default_factory=list)  # the file's findings, at most FINDINGS_PER_FILE
    notes: list[tuple[str, str]] = field(default_factory=list)  # (what, text)
    left_out: str = ""  # which findings past FINDINGS_PER_FILE the page does not show, by code
    left_out_acknowledged: int = 0
    left_out_open: int = 0
    # The record's coverage of its text sources (COVER001): sources, quantities, recorded or omitted; None if not checked.
    coverage: dict[str, int] | None = None

    @property
    def acknowledged_count(self) -> int:
        return len(self.acknowledged) + self.left_out_acknowledged

    @property
    def open_count(self) -> int:
        return len(self.open_findings) + self.left_out_open

    @property
    def exit_year(self) -> str:
        """The batch year of the exit, else the year of its approval ("" where the record has neither)."""
        if self.delisted_year is not None:
            return self.delisted_year.value
        return self.poverty_exit.date[:4] if self.poverty_exit else ""

    @property
    def figures(self) -> list[FigureView]:
        return [figure for section in self.sections for item in section.items for figure in item.all_figures()]

    @property
    def corrections(self) -> list[FigureView]:
        return [figure for figure in self.figures if figure.curated_value is not None]

    @property
    def acknowledged(self) -> list[FindingView]:
        return [finding for finding in self.findings if finding.acknowledged]

    @property
    def open_findings(self) -> list[FindingView]:
        """Problems no one has resolved: neither acknowledged nor a correction (an info finding)."""
        return [finding for finding in self.findings if not finding.acknowledged and finding.severity != INFO]

    @property
    def problems(self) -> list[FindingView]:
        """The findings to show beside figures: corrections are shown as the figure's curated reading."""
        return [finding for finding in self.findings if finding.severity != INFO]

    @property
    def unplaced_findings(self) -> list[FindingView]:
        """Findings about no figure or item of the page (the division, a source, the whole file)."""
        return [finding for finding in self.findings if not finding.shown_at]


@dataclass(frozen=True, slots=True)
class TableCell:
    text: str
    anchor: str = ""  # where on the page the cell's figure is shown


@dataclass(slots=True)
class ChartView:
    """A chart drawn at build time by the site's templates: SVG panels or HTML bars, what it shows in words,
    and its data as a table."""

    key: str
    title: str
    description: str  # the chart in a sentence, for screen readers
    caption: str
    columns: list[str]
    rows: list[list[TableCell]]
    panels: list = field(default_factory=list)  # charts.Panel: one line a series
    stages: list = field(default_factory=list)  # charts.FundStage: bars by stage


@dataclass(frozen=True, slots=True)
class KeyFigure:
    """One of the figures a reader comes for, the latest dated one, and how many dated figures there are."""

    title: str
    figure: FigureView
    when: str
    dated: int
    undated: int = 0  # figures of the metric that give no date (shown below, not in the key figure)


@dataclass(frozen=True, slots=True)
class DataCitation:
    """How to cite the data (from CITATION.cff), and its licence."""

    title: str
    authors: str
    version: str
    licence: str


@dataclass(slots=True)
class SiteModel:
    pages: list[RecordPage]
    today: str
    built_on: str = ""  # the build's date: given, or the newest commit's, so one commit builds one site
    citation: DataCitation | None = None
