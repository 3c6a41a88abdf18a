"""Schema v1 of a county record: the source of truth for `schema/v1/county-record.schema.json`.

The models check shape only. Whether numbers agree with each other, with their units and with
their sources is the rules' business (validator/rules), where a finding gets a code and a line.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from .additions import FUND_STAGES_ADDED, METRICS_ADDED, UNITS_ADDED, added_in
from .base import RecordModel
from .types import (
    AdminCode,
    Id,
    IdPath,
    JsonPointer,
    Level,
    NonEmptyStr,
    PartialDate,
    Qualifier,
    QuantityText,
    Quote,
    RuleCode,
    YearNumber,
)
from .v1_relations import (  # noqa: F401 - part of schema v1, as v1.TotalRelation etc.
    ImpliedDenominatorRelation, PerUnitRelation, RateCountPair, Relation, RelationBase, SameFigureRelation,
    SharesCompleteRelation, SubsetRelation, TotalRelation, WithinRelation,
)
from .vocabulary import FUND_STAGES, MONEY_KINDS, metric_definitions

from . import SCHEMA_VERSIONS as ALL_VERSIONS
from . import UNITS_SINCE

SCHEMA_VERSIONS = tuple(v for v in ALL_VERSIONS if v.startswith("1."))

# A metric field also names, in the published schema, the metrics added after 1.0.
Metric = Annotated[Literal[tuple(metric_definitions())], added_in(values=METRICS_ADDED)]  # type: ignore[valid-type]

Designation = Literal[
    "national_poverty_county",
    "provincial_poverty_county",
    "contiguous_poverty_area",
    "deep_poverty_county",
    "old_revolutionary_base",
    "ethnic_autonomous",
    "last_batch_to_exit",
]

ProgrammeCategory = Literal[
    "industry", "relocation", "education", "health", "housing", "employment",
    "ecological_compensation", "infrastructure", "finance", "social_security", "tourism",
    "e_commerce", "photovoltaic", "consumption", "paired_assistance", "governance",
    "culture", "monitoring", "water", "other",
]

# Whom a count counts, where its metric is generic (schema 1.1).
Population = Literal["registered_poor"]

# Where a figure's time comes from (schema 1.2): the source states it (a date or period), or the source
# speaks of the present (now, currently, 目前, "in the current county") and the figure holds as of its
# publication, the latest it can be.
DateBasis = Literal["stated", "as_of_publication"]
DATE_BASIS_DESCRIPTION = (
    "Where the figure's time comes from: stated (its date or period, given by the source; the default where "
    "it has one), or as_of_publication where the source speaks of the present (now, currently, 目前, at "
    "present) and gives no date: the figure then holds as of the source's publication date, the latest it "
    "can be. Chosen by the curator from the text, never guessed; DATE008 reports a figure with no time at all "
    "(schema 1.2)."
)

FundStage = Literal[tuple(FUND_STAGES)]  # type: ignore[valid-type]
MoneyKind = Literal[tuple(MONEY_KINDS)]  # type: ignore[valid-type]


class CuratedReading(RecordModel):
    """What the source meant where its figure is a slip (acres for 亩, a lost 万): rules check this."""

    value: QuantityText
    """The corrected number and unit."""
    note: Annotated[str, Field(min_length=20)]
    """Why the stated figure is read this way (at least a sentence)."""
    qualifier: Annotated[Qualifier | None, added_in("1.1")] = None
    """The curated qualifier, where the slip is in how exact the figure is too ('more than' rendered
    'about'); rules then read the curated value with it. Left out, the stated qualifier holds (schema 1.1)."""
    upper: Annotated[QuantityText | None, added_in("1.1")] = None
    """The curated upper end, where the curated qualifier is range; the stated `upper` is never read with
    a curated value (schema 1.1)."""


class Cell(RecordModel):
    """A cell of a table source: its row, named by its value in the source's `key` column, and its column (schema 1.2)."""

    row: NonEmptyStr
    """The row's value in the key column, e.g. "430225" where the key is `code`; it must name exactly one row."""
    column: NonEmptyStr
    """The column's name in the table's header, e.g. delisted_year."""


class Quantity(RecordModel):
    """A number with its unit, how exact it is, and the verbatim quote (or, schema 1.2, the table cell) that states it."""

    id: Id | None = None
    """An id, so that shares and relations can refer to this quantity."""
    value: QuantityText
    """The number and unit as the source states them."""
    qualifier: Qualifier = "exact"
    """exact, approximately ('about', 'nearly'), at_least, more_than ('over'), at_most, less_than, or range (with upper)."""
    upper: QuantityText | None = None
    """The upper end where the qualifier is range."""
    source: Id | None = None
    """The id of the source that states it; may be left out when the record has one source."""
    # Not nullable: a figure cited to a table's cell (schema 1.2) leaves `quote` out; exactly one of them (rule CELL004).
    quote: Annotated[Quote, Field(description=(
        "The passage of the source that states the number. Required unless the figure cites a table's `cell` "
        "instead (schema 1.2): exactly one of them (rule CELL004)."))] = None  # type: ignore[assignment]
    cell: Annotated[Cell | None, added_in("1.2")] = None
    """The cell of a table source that states the number, instead of a quote: its row (by the source's `key`)
    and its column; `source` names the table, and CELL001 checks the value against the cell (schema 1.2)."""
    curated: CuratedReading | None = None
    """The curated reading where the stated value is a slip; rules check the curated reading."""
    derived: NonEmptyStr | None = None
    """Set when the number is not written in the quote but derived from it: say from what."""
    money_kind: Annotated[MoneyKind | None, added_in("1.2"), Field(description=(
        "What kind of money a figure in yuan is: " + "; ".join(f"{kind}: {meaning}" for kind, meaning in MONEY_KINDS.items())
        + ". Left out, it is read from where the figure is (a fund's amount is a fund, its standards standards) or "
        "from its metric (loans, revenue, investment, ...); MONEY001 asks for it where neither says (schema 1.2)."))] = None


class Period(RecordModel):
    """A span of time: its start and its end, or its start and `ongoing: true` where the source
    gives no end because the period had not ended ('since 2011', 'registered since 2014').
    Exactly one of `end` and `ongoing: true` (rule DATE007)."""

    start: PartialDate
    """The first day, month or year the figure covers."""
    # Not nullable: an open-ended period leaves `end` out and says `ongoing: true`.
    end: Annotated[PartialDate, Field(description=(
        "The last day, month or year the figure covers. Required unless the period is ongoing; "
        "a date at the precision the source gives: a year (2019), a month ('2019-05') or a day ('2019-05-09')."
    ))] = None  # type: ignore[assignment]
    ongoing: Annotated[bool, added_in("1.1")] = False
    """True where the period had not ended when the source was written ('since 2011', 'registered
    since 2014'); it then has no `end` (schema 1.1)."""


class Dated(RecordModel):
    date: PartialDate | None = None
    """When the figure holds (or happened), at the source's precision."""
    period: Period | None = None
    """The period the figure covers, where it is a flow over time."""
    date_basis: Annotated[DateBasis | None, added_in("1.2"), Field(description=DATE_BASIS_DESCRIPTION)] = None


class Observation(Quantity, Dated):
    """A measured figure about the division: a metric from the vocabulary at a date or over a period."""

    id: Id
    metric: Metric
    """What is measured (controlled vocabulary; see docs/schema.md)."""
    label: NonEmptyStr | None = None
    """What exactly, in a few words, where the metric is generic."""
    planned: bool = False
    """True where the figure is a plan or a forecast rather than what happened."""
    population: Annotated[Population | None, added_in("1.1")] = None
    """Whom the figure counts, where its metric does not say: registered_poor for a count of
    registered poor households or people under a generic metric (households, people); CROSS001 then
    compares it with the county's register (schema 1.1)."""


class DatedFigure(RecordModel):
    """When a programme's output or a share holds, and whether it is a plan (added in schema 1.1)."""

    date: Annotated[PartialDate | None, added_in("1.1")] = None
    """When the figure holds (or happened), at the source's precision, where it is not the programme's date (schema 1.1)."""
    period: Annotated[Period | None, added_in("1.1")] = None
    """The period the figure covers, where it is a flow over time (schema 1.1)."""
    date_basis: Annotated[DateBasis | None, added_in("1.2"), Field(description=DATE_BASIS_DESCRIPTION)] = None
    planned: Annotated[bool, added_in("1.1")] = False
    """True where the figure is what is planned or to be reached rather than what was achieved (schema 1.1)."""


class Output(Quantity, DatedFigure):
    """A figure a programme produced or reached: area planted, km of road, income gained."""

    id: Id
    metric: Metric
    label: NonEmptyStr | None = None
    population: Annotated[Population | None, added_in("1.1")] = None
    """Whom the figure counts, where its metric does not say: registered_poor for a count of
    registered poor households or people under a generic metric (households, people); CROSS001 then
    compares it with the county's register (schema 1.1)."""


class BeneficiaryCount(Quantity):
    """How many households or people a programme reached."""

    metric: Annotated[Metric | None, added_in("1.1")] = None
    """The metric this count is a figure of (relocated_households, trained_people, ...), so that it
    need not be repeated as an output; its dimension must be the count's (schema 1.1)."""


class Beneficiaries(RecordModel):
    households: BeneficiaryCount | None = None
    people: BeneficiaryCount | None = None


class Programme(Dated):
    """A poverty-alleviation programme or measure of the division."""

    id: Id
    name: NonEmptyStr
    """The programme's name, in English (add the Chinese term in brackets where it helps)."""
    category: ProgrammeCategory
    """What kind of measure it is (industry, relocation, education, health, ...)."""
    beneficiaries: Beneficiaries | None = None
    """How many households and people it reached."""
    outputs: list[Output] = []
    """What it produced or reached: area planted, km of road, houses renovated."""
    outcomes: list[Output] = []
    """Results for people, e.g. income increase per person per year."""
    funds: list[Id] = []
    """Ids of the funds the programme uses."""
    description: NonEmptyStr | None = None


class PerUnitStandard(RecordModel):
    """A standard amount per unit, e.g. 200,000 yuan per household."""

    amount: Quantity
    applies_to: Id | None = None
    """Id of the count it applies to; with it, SUM004 checks amount x count against the fund."""
    label: NonEmptyStr | None = None


class Fund(Dated):
    """Money: an amount at a stage, from a level of government or society, made of parts."""

    id: Id
    label: NonEmptyStr
    """What the money is, in a few words."""
    amount: Quantity
    """How much, in yuan."""
    stage: Annotated[FundStage, added_in(values=FUND_STAGES_ADDED), Field(description="The stage the amount is at: " + "; ".join(
        f"{stage}: {meaning}" for stage, meaning in FUND_STAGES.items()) + ".")]
    level: Level | None = None
    """Which level of government (or society) the money comes from, where the source says."""
    standards: list[PerUnitStandard] = []
    """Per-unit standards of the fund, e.g. 200,000 yuan per household."""
    parts: list[Id] = []
    """Ids of the funds this one is made of."""
    parts_complete: bool = False
    """True where the source lists every part, so the parts must add up to the amount."""


class Target(RecordModel):
    """What the division set out to reach, by when, from what baseline, and what it achieved."""

    id: Id
    metric: Metric
    """What the target is about (controlled vocabulary)."""
    label: NonEmptyStr | None = None
    target: Quantity
    """The value to reach."""
    deadline: PartialDate
    """When it is to be reached."""
    set_on: PartialDate | None = None
    """When the target was set."""
    set_by: NonEmptyStr | None = None
    """Who set it (e.g. the county Party committee)."""
    baseline: Quantity | None = None
    """The value it starts from."""
    baseline_date: PartialDate | None = None
    achieved: Quantity | None = None
    """What was reached, where the source says."""
    achieved_date: PartialDate | None = None


class Share(Quantity, DatedFigure):
    """A stated percentage of a part in a whole: both refer to quantity ids."""

    id: Id
    value: QuantityText
    """The stated percentage, e.g. 43.75 %."""
    part: Id | None = None
    """Id of the quantity that is the part."""
    whole: Id | None = None
    """Id of the quantity that is the whole; PCT001 checks part / whole against the percentage."""
    label: NonEmptyStr | None = None


class CountedList(RecordModel):
    """Things the source lists by name with a stated count ('all 45 relocation sites')."""

    id: Id
    count: Id
    """Id of the quantity that states how many."""
    items: Annotated[list[NonEmptyStr], Field(min_length=1)]
    partial: Annotated[bool, added_in("1.2")] = False
    """True where the source names only some of the things it counts (等, 'and others', 'such as'): the
    stated count may then exceed the items listed, and LIST001 checks only that it is not smaller (schema 1.2)."""
    source: Id | None = None
    quote: Quote


class Official(RecordModel):
    """A public official named by a source, in an official role. Never a private individual."""

    name: NonEmptyStr
    """The official's name as the source gives it."""
    role: NonEmptyStr
    """The public office the source names them in, e.g. county head."""
    organisation: NonEmptyStr | None = None
    as_of: PartialDate | None = None
    """When the source places them in the role."""
    source: Id | None = None
    quote: Quote


class Acknowledgement(RecordModel):
    """A finding the record keeps on purpose (the source itself is inconsistent), with the reason.

    Name the place with `at` (an id path, as the validator's output shows it), or in older records
    with `pointer`; exactly one of them (rule ACK002).
    """

    rule: RuleCode
    """The code of the finding, e.g. SUM001."""
    at: Annotated[IdPath | None, added_in("1.1")] = None
    """Where the finding is, as an id path: relations[micro-wish-subset] (schema 1.1). Survives reordering."""
    pointer: JsonPointer | None = None
    """Where the finding is, as a JSON pointer with list positions (/relations/33); prefer `at`."""
    reason: Annotated[str, Field(min_length=20)]
    """Why the record stays as it is (at least a sentence)."""


class CellCitation(RecordModel):
    """A value read from one cell of a table source; CELL001 checks it against the cell (schema 1.2)."""

    source: Id
    """The id of the table source (a source with a `key`)."""
    cell: Cell


class ListedName(CellCitation):
    value: NonEmptyStr
    """The name as the cell writes it, character for character."""


class DelistedYear(CellCitation):
    value: YearNumber
    """The year as the cell writes it."""


class PovertyExit(RecordModel):
    """The approval of the division's exit from the poverty-county list (摘帽)."""

    date: PartialDate
    approved_by: Literal["provincial_government", "state_council", "national_assessment", "other"]
    source: Id | None = None
    quote: Quote


class Division(RecordModel):
    """The county (or, for a province record, the province) the record is about."""

    level: Literal["county", "province"] = "county"
    code: AdminCode
    name_en: NonEmptyStr
    """The English name as in the reference list, e.g. Yanling County."""
    name_zh: NonEmptyStr
    """The Chinese name as in the reference list, e.g. 炎陵县."""
    province: NonEmptyStr
    """The province's English name as in the reference list, e.g. Hunan."""
    prefecture: NonEmptyStr | None = None
    """The prefecture's Chinese name as in the reference list; none for province records."""
    designations: list[Designation] = []
    """Designations the source or the reference lists support (national poverty county, ...)."""
    contiguous_area: NonEmptyStr | None = None
    """The contiguous poverty area, e.g. Luoxiao Mountains, where designated."""
    poverty_exit: PovertyExit | None = None
    delisted_year: Annotated[DelistedYear | None, added_in("1.2")] = None
    """The batch year of the county's exit from the list of poverty counties (摘帽), cited to a table: the
    year whose exit assessment the county passed. Most batches were announced early in the following
    year (the 2018 batch in 2019), so `poverty_exit.date`, the approval, may be a year later; CELL003
    reports an approval outside those two years (schema 1.2)."""
    listed_as: Annotated[ListedName | None, added_in("1.2")] = None
    """The name under which the list of the 832 names the county, where it differs from `name_zh`: the
    county has been renamed, merged or recoded since (平泉县, now 平泉市), or the list abbreviates it (schema 1.2)."""


class Source(RecordModel):
    id: Id
    file: Annotated[str, Field(pattern=r"^seeds/[^/]+$")] | None = None
    """The source document in seeds/, e.g. seeds/000_df674c90a12b3651.txt."""
    url: Annotated[str, Field(pattern=r"^https?://")] | None = None
    """Where the document was published, if online."""
    title: NonEmptyStr
    publisher: NonEmptyStr | None = None
    """The outlet or publisher as the text names it."""
    published: PartialDate | None = None
    """The publication date, as precisely as the text allows."""
    language: Literal["en", "zh"]
    """The language of the file in seeds/."""
    translated_from: Literal["zh"] | None = None
    """The original language where the source is a translation."""
    machine_translated: bool = False
    key: Annotated[NonEmptyStr | None, added_in("1.2")] = None
    """Makes the source a table: a CSV file with a header row, in seeds/ like any source. `key` is the
    column whose value names a row in this record's cells (`code`); figures cite a cell of it with
    `cell` instead of quoting it (schema 1.2)."""


OmissionReason = Literal[
    "private_person", "not_about_this_county", "slogan_or_ranking", "repeat", "not_a_count", "beyond_the_schema",
]


class Omission(RecordModel):
    """A passage of a text source whose quantities the record leaves out on purpose, and why (schema 1.2).

    COVER001 counts every quantity written in the quote as accounted for. Reasons: private_person (a figure
    about a private individual; the note names no one), not_about_this_county (another county, the province,
    the country), slogan_or_ranking ("two no worries, three guarantees", a rank or award), repeat (a figure
    the record holds from another passage), not_a_count (a number that names or times rather than counts:
    "a six-party agreement", "in the past three years"), beyond_the_schema (a figure the schema has no
    place for)."""

    source: Id | None = None
    """The id of the text source; may be left out when the record has one text source."""
    quote: Annotated[Quote, Field(description=(
        "The passage left out, verbatim (a clause, a sentence or a paragraph); every quantity in it is accounted for."))]
    reason: OmissionReason
    """Why it is left out: private_person, not_about_this_county, slogan_or_ranking, repeat, not_a_count or beyond_the_schema."""
    note: NonEmptyStr
    """What the passage is, in a few words (never a private person's name or details)."""


class Notes(RecordModel):
    omitted: NonEmptyStr | None = None
    """What the record deliberately leaves out of its sources, and why."""
    curation: NonEmptyStr | None = None
    """Anything else a reviewer should know about how the record was made."""


class CountyRecord(RecordModel):
    """A county-records record, schema v1: one division's poverty-alleviation figures with their sources."""

    # The units of schema/units.txt added after 1.0, by version: they are not part of the JSON Schema.
    model_config = ConfigDict(json_schema_extra={UNITS_SINCE: dict(UNITS_ADDED)})

    schema_version: Literal[SCHEMA_VERSIONS]  # type: ignore[valid-type]
    """The schema version the record is written against, as MAJOR.MINOR: "1.0", or the newer minor version
    whose additions it uses (marked "schema 1.1", "schema 1.2"; `county-records migrate --to 1.2` moves a
    record forward)."""
    division: Division
    sources: Annotated[list[Source], Field(min_length=1)]
    observations: list[Observation] = []
    targets: list[Target] = []
    programmes: list[Programme] = []
    funds: list[Fund] = []
    shares: list[Share] = []
    relations: list[Relation] = []
    lists: list[CountedList] = []
    officials: list[Official] = []
    acknowledged: list[Acknowledgement] = []
    omissions: Annotated[list[Omission], added_in("1.2")] = []
    """What the record leaves out of its text sources, passage by passage, and why; COVER001 reports a
    quantity of a cited text that no figure records and no omission covers (schema 1.2)."""
    notes: Notes | None = None
