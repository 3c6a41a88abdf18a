"""The export's columns, defined once: the data package's Table Schema, the Parquet schema, DuckDB's
types and docs/export.md are all generated from COLUMNS, so a column cannot mean one thing in one
format and another in the next.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass

from ...models import v1
from ...models.types import Level, Qualifier
from ...rules.figure_time import PRECISIONS
from .kinds import QUANTITY_KINDS

SECTIONS = ("observations", "targets", "programmes", "funds", "shares")
# What the quantity is within its item: which field of which kind of item holds it.
FIGURE_KINDS = (
    "observation", "target", "baseline", "achieved", "beneficiary_households", "beneficiary_people",
    "output", "outcome", "fund_amount", "fund_standard", "share",
)
DATE_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
ISO_DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


@dataclass(frozen=True, slots=True)
class ColumnType:
    """One logical type as each format spells it."""

    table_schema: str  # Frictionless Table Schema
    duckdb: str  # what DuckDB's DESCRIBE shows, reading the Parquet file or the CSV with these types
    arrow: str  # a pyarrow type constructor, by name (pyarrow is imported only to write Parquet)


TYPES = {
    "string": ColumnType("string", "VARCHAR", "string"),
    "number": ColumnType("number", "DOUBLE", "float64"),
    "boolean": ColumnType("boolean", "BOOLEAN", "bool_"),
    "list": ColumnType("array", "VARCHAR[]", "list_of_string"),
}


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str  # a key of TYPES
    description: str
    enum: tuple[str, ...] = ()
    required: bool = False  # never empty (lists are never null: an empty list where there is nothing)
    pattern: str | None = None
    unit_field: str | None = None  # the column that names this number's unit, row by row

    @property
    def types(self) -> ColumnType:
        return TYPES[self.type]


def _values(literal) -> tuple[str, ...]:
    return tuple(typing.get_args(literal))


COLUMNS: tuple[Column, ...] = (
    Column("county_code", "string", "The division's six-digit administrative code (GB/T 2260), as text: codes are names, not numbers.",
           required=True, pattern=r"^[1-8][0-9]{5}$"),
    Column("county_name_en", "string", "The division's English name as in the reference list, e.g. Eryuan County.", required=True),
    Column("county_name_zh", "string", "The division's Chinese name as in the reference list, e.g. 洱源县.", required=True),
    Column("province", "string", "The province's English name.", required=True),
    Column("division_level", "string", "county, or province for a record of figures a source gives for a whole province.",
           enum=_values(v1.Division.model_fields["level"].annotation), required=True),
    Column("file", "string", "The record file, as given to the command (e.g. records/yunnan/eryuan.yaml).", required=True),
    Column("section", "string", "The record's list the figure is in.", enum=SECTIONS, required=True),
    Column("item_id", "string", "The id of the item of that list (the observation, target, programme, fund or share).", required=True),
    Column("quantity_id", "string", "The id relations and shares use for this figure (its own id, or for a fund's amount and a "
           "target's value the item's id); empty where it has none."),
    Column("figure_kind", "string", "Which figure of the item this is: the observation, a target's target, baseline or achieved value, "
           "a programme's beneficiaries, output or outcome, a fund's amount or one of its per-unit standards, a share.",
           enum=FIGURE_KINDS, required=True),
    Column("pointer", "string", "Where the figure is in the file, as a JSON pointer (/funds/3/amount). With file, it names the row.",
           required=True),
    Column("path", "string", "The same place named by ids (funds[received-2016].amount), as the validator's findings name it.",
           required=True),
    Column("metric", "string", "What is measured, from the vocabulary of docs/schema.md; empty for funds, beneficiaries and shares."),
    Column("label", "string", "What exactly the figure is, in a few words: the item's (or standard's) label, or a programme's name."),
    Column("value_text", "string", "The figure exactly as the record states it, number, scale word and unit: 1.34 million yuan.",
           required=True),
    Column("value_stated", "number", "The stated number as a decimal, its scale word applied (1.34 million -> 1340000), in unit_stated; "
           "empty where the figure does not parse (UNIT001).", unit_field="unit_stated"),
    Column("unit_stated", "string", "The unit exactly as the record writes it: km^2, households, yuan/person/year, %."),
    Column("value_curated", "number", "The curated reading's number (a translation slip corrected), where the record has one.",
           unit_field="unit_curated"),
    Column("unit_curated", "string", "The curated reading's unit as the record writes it."),
    Column("value_base", "number", "The value in base units (yuan, m, m^2, household, ...), from the curated reading where there is one, "
           "else from the stated value; percentages stay in percent, and a unit of time stays as stated: 8,000 yuan a month "
           "is 8000 yuan/person/month, never 96,000 a year the source did not state, and 5 days is 5 day.", unit_field="base_unit"),
    Column("base_unit", "string", "The unit of value_base and upper_base: yuan, m^2, household, yuan/person/month, job/year, ...; % for "
           "percentages (16.57 % is 16.57 here, not 0.1657)."),
    Column("quantity_kind", "string", "What kind of number the row is, from its unit: count (households, people, villages), amount "
           "(money), rate (anything per something: yuan/person/year, team/village, job/year, day/week), share (a percentage), "
           "points (a change in percentage points) or measure (length, area, mass, power, a duration). Add up only counts or "
           "amounts; a rate is never a count. Empty where the value does not parse (UNIT001).", enum=QUANTITY_KINDS),
    Column("qualifier", "string", "How exact the figure is: exact, approximately ('about'), at_least, more_than ('over'), at_most, "
           "less_than, or range (with an upper bound).", enum=_values(Qualifier), required=True),
    Column("upper_stated", "number", "For a range, the stated upper bound's number as a decimal, in upper_unit_stated.",
           unit_field="upper_unit_stated"),
    Column("upper_unit_stated", "string", "For a range, the upper bound's unit as the record writes it."),
    Column("upper_base", "number", "For a range, the stated upper bound in base_unit.", unit_field="base_unit"),
    Column("date_as_written", "string", "When the figure holds, as text at the source's precision (2019, 2019-05, 2019-05-09): the "
           "item's date, a target's deadline (for its target value), baseline date or achieved date, or for date_basis "
           "as_of_publication its source's publication date. Text, so that 2014 never becomes 2014-01-01: date_start and date_end "
           "give the days. Not named `date`: pandas' read_json turns a column of that name into timestamps (2014 -> 2014-01-01).",
           pattern=DATE_PATTERN),
    Column("period_start", "string", "The first year, month or day of the period a flow covers, as text like date_as_written.",
           pattern=DATE_PATTERN),
    Column("period_end", "string", "The last year, month or day of that period, as text like date_as_written; empty for a "
           "period that had not ended when the source was written (ongoing).", pattern=DATE_PATTERN),
    Column("date_start", "string", "The first day the figure's date or period covers, as an ISO date: 2014 covers 2014-01-01 "
           "to 2014-12-31. Order and compare figures by date_start and date_end, never by the first of January of a year.",
           pattern=ISO_DAY),
    Column("date_end", "string", "The last day the figure's date or period covers (2014 -> 2014-12-31); empty for an ongoing "
           "period.", pattern=ISO_DAY),
    Column("date_precision", "string", "How precise the written date is: year, month or day (of a period, the coarser of its "
           "start and end).", enum=PRECISIONS),
    Column("date_basis", "string", "Where the figure's time comes from: stated (by its source: its own date or period, its "
           "programme's or fund's, a target's deadline or baseline date), or as_of_publication, where the source speaks of the "
           "present (now, currently, 目前): date_as_written is then the source's publication date, the latest the figure can "
           "hold (empty where the source gives none). Empty where the figure has no time at all (DATE008).",
           enum=_values(v1.DateBasis)),
    Column("planned", "boolean", "True where the figure is a plan, not what happened: an observation marked planned, any figure of a "
           "fund at stage planned, a target's target value.", required=True),
    Column("stage", "string", "For a fund's figures, the stage of the money: planned, allocated, received, disbursed, invested or leveraged; "
           "empty for everything else. Do not add one stage to another.", enum=_values(v1.FundStage)),
    Column("level", "string", "For a fund's figures, the level of government (or society) the money comes from, where the source says.",
           enum=_values(Level)),
    Column("money_kind", "string", "For a figure in yuan (or yuan per something), what kind of money it is: fund (money for poverty "
           "alleviation, at a stage where it is a fund's), income, loan, standard (a threshold or per-unit standard, no money moved) "
           "or price; as the record states it, else from where the figure is or its metric. Empty for figures that are not money "
           "and for money whose kind nothing says (MONEY001). Only funds of one stage add up.", enum=_values(v1.MoneyKind)),
    Column("is_part", "boolean", "True where the figure is part of another figure of the record (a fund in another fund's parts, a part "
           "of a total relation, the part of a subset relation, money within other money): leave it out of sums that include its whole.",
           required=True),
    Column("part_of", "list", "The ids of the wholes this figure is part of (fund ids, or the ids a relation names).", required=True),
    Column("repeat_of", "string", "Where the record states the same figure more than once (a same relation), the id of its first "
           "statement on every later one: leave those out of sums."),
    Column("source_id", "string", "The id of the source (in the record's sources) that states the figure."),
    Column("quote", "string", "The verbatim passage of the source that states the figure; empty where the figure cites a table's "
           "cell instead (cell_row, cell_column)."),
    Column("cell_row", "string", "Where the figure cites a cell of a table source instead of a quote (schema 1.2): the row, by its "
           "value in the table's key column (the source's `key`, e.g. a county code); empty for a quoted figure."),
    Column("cell_column", "string", "Where the figure cites a cell of a table source: the column's name in the table's header."),
    Column("curated_note", "string", "Why the curated reading differs from what the source states."),
    Column("derived", "string", "Set where the number is not written in the quote but derived from it: from what."),
    Column("finding_codes", "list", "The codes of the validator's findings that touch the figure (at it, inside it, or naming it as a "
           "related place), acknowledged or not; an empty list where none does. Corrections (CORRECTION001) are not listed: "
           "they are the row's value_curated and curated_note.", required=True),
    Column("acknowledged_codes", "list", "Those of finding_codes the record acknowledges (the source's own inconsistency, kept on purpose).",
           required=True),
)

COLUMN_NAMES = tuple(column.name for column in COLUMNS)
PRIMARY_KEY = ("file", "pointer")

# The data package's other tables: one row per record (the division it is about), one per source a record cites.
DIVISION_COLUMNS: tuple[Column, ...] = (
    Column("file", "string", "The record file; figures.csv's `file` joins here.", required=True),
    Column("county_code", "string", "The division's six-digit administrative code (GB/T 2260), as text.", required=True,
           pattern=r"^[1-8][0-9]{5}$"),
    Column("county_name_en", "string", "The English name as in the reference list.", required=True),
    Column("county_name_zh", "string", "The Chinese name as in the reference list.", required=True),
    Column("province", "string", "The province's English name.", required=True),
    Column("prefecture", "string", "The prefecture's Chinese name as in the reference list; empty for a province."),
    Column("division_level", "string", "county, or province for a record of a whole province.", enum=_values(v1.Division.model_fields["level"].annotation), required=True),
    Column("designations", "list", "The designations the record states (national_poverty_county, contiguous_poverty_area, ...).",
           required=True),
    Column("on_list_of_832", "boolean", "Whether the code is on the list of the 832 national poverty counties "
           "(schema/reference/poverty_counties_832.csv, with its provenance in schema/reference/SOURCES.md).", required=True),
    Column("contiguous_area", "string", "The contiguous poverty area, where the record names one."),
    Column("delisted_year", "string", "The batch year of the exit from the list of the 832 (摘帽), as the record cites it "
           "to the list's table; most batches were announced early in the following year. Empty where the record has none.",
           pattern=r"^[0-9]{4}$"),
    Column("exit_date", "string", "When the division's exit from the poverty list was approved, at the precision its source "
           "gives (a year, a month or a day); empty where the record states none.", pattern=DATE_PATTERN),
    Column("exit_approved_by", "string", "Who approved the exit (provincial_government, state_council, national_assessment, other)."),
    Column("exit_source_id", "string", "The id of the source that states the exit (sources.csv, with `file`)."),
    Column("exit_quote", "string", "The passage of that source that states it."),
    Column("officials", "list", "The public officials the record names, each as `role: name` (with the organisation and "
           "date where the source gives them); an empty list where none.", required=True),
)
SOURCE_COLUMNS: tuple[Column, ...] = (
    Column("file", "string", "The record file that cites the source.", required=True),
    Column("source_id", "string", "The source's id in that record; figures.csv's (`file`, `source_id`) joins here.", required=True),
    Column("title", "string", "The source's title, as the document gives it.", required=True),
    Column("publisher", "string", "The outlet or publisher as the text names it."),
    Column("published", "string", "The publication date, as precisely as the text allows.", pattern=DATE_PATTERN),
    Column("language", "string", "The language of the archived document (en, zh).", required=True),
    Column("translated_from", "string", "The original language, where the document is a translation."),
    Column("machine_translated", "boolean", "Whether the document is a machine translation.", required=True),
    Column("url", "string", "Where the document was published, if online."),
    Column("seed_file", "string", "The archived copy in the repository (seeds/...), against which every quote is checked."),
    Column("sha256", "string", "The archived copy's checksum, from seeds/index.yaml.", pattern=r"^[0-9a-f]{64}$"),
)
DIVISION_KEY = ("file",)
SOURCE_KEY = ("file", "source_id")


def table_schema(columns: tuple[Column, ...] = COLUMNS, primary_key: tuple[str, ...] = PRIMARY_KEY,
                 foreign_keys: tuple[dict, ...] = ()) -> dict:
    """The Frictionless Table Schema of one of the export's tables (the figures by default)."""
    fields = []
    for column in columns:
        field: dict = {"name": column.name, "type": column.types.table_schema, "description": column.description}
        if column.type == "list":
            field["arrayItem"] = {"type": "string"}
        constraints: dict = {}
        if column.required:
            constraints["required"] = True
        if column.enum:
            constraints["enum"] = list(column.enum)
        if column.pattern:
            constraints["pattern"] = column.pattern
        if constraints:
            field["constraints"] = constraints
        if column.unit_field:
            field["unitField"] = column.unit_field  # not a Table Schema property: the unit varies by row
        fields.append(field)
    schema = {"fields": fields, "primaryKey": list(primary_key), "missingValues": [""]}
    if foreign_keys:
        schema["foreignKeys"] = list(foreign_keys)
    return schema


def arrow_schema():
    """The Parquet file's schema, explicit so that no column is typed null when all its values are empty."""
    import pyarrow as pa

    constructors = {"string": pa.string, "float64": pa.float64, "bool_": pa.bool_, "list_of_string": lambda: pa.list_(pa.string())}
    return pa.schema([pa.field(c.name, constructors[c.types.arrow](), nullable=not c.required) for c in COLUMNS])


def duckdb_columns() -> dict[str, str]:
    """Column name -> DuckDB type, as read_csv's `columns` wants them (a CSV cannot carry its types)."""
    return {column.name: column.types.duckdb for column in COLUMNS}
