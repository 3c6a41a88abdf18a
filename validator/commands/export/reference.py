"""docs/export.md, generated from COLUMNS: what each column means, and how to read and add up the export."""

from __future__ import annotations

from .columns import COLUMNS, DIVISION_COLUMNS, PRIMARY_KEY, SOURCE_COLUMNS, Column, duckdb_columns
from .panel import PANEL_COLUMNS, PANEL_KEY
from .queries import analyst_sections
from .writers import DATA_PACKAGE_TABLE, FORMULA_GUARD, FORMULA_STARTS


def duckdb_read_csv(path: str) -> str:
    """The DuckDB expression that reads the export's CSV with every column's declared type."""
    columns = ",\n    ".join(f"'{name}': '{type_}'" for name, type_ in duckdb_columns().items())
    return f"read_csv('{path}', header = true, columns = {{\n    {columns}\n}})"


MONEY_BY_STAGE = """SELECT county_name_en, stage, sum(value_base) AS yuan
FROM 'figures.parquet'
WHERE money_kind = 'fund' AND stage IS NOT NULL AND base_unit = 'yuan'
  AND NOT planned AND NOT is_part AND repeat_of IS NULL
GROUP BY county_name_en, stage
ORDER BY county_name_en, stage;"""

# Money invested and received per county, each yuan once: a fund inside another fund of its stage (through
# parts, total, subset and within relations, at any depth) is in that fund's amount already.
MONEY_INVESTED_PER_COUNTY = """WITH RECURSIVE
figures AS (SELECT * FROM 'figures.parquet'),
funds AS (
    SELECT * FROM figures
    WHERE money_kind = 'fund' AND stage IN ('invested', 'received') AND base_unit = 'yuan' AND NOT planned
),
wholes(file, part, whole) AS (
    SELECT file, quantity_id, unnest(part_of) FROM figures WHERE quantity_id IS NOT NULL
    UNION
    SELECT wholes.file, wholes.part, unnest(figure.part_of)
    FROM wholes JOIN figures AS figure ON figure.file = wholes.file AND figure.quantity_id = wholes.whole
)
SELECT county_code, county_name_en,
       sum(value_base) FILTER (WHERE stage = 'invested') AS invested_yuan,
       sum(value_base) FILTER (WHERE stage = 'received') AS received_yuan
FROM funds AS fund
WHERE fund.repeat_of IS NULL AND NOT EXISTS (
    SELECT 1 FROM wholes JOIN funds AS outer_fund ON outer_fund.file = wholes.file AND outer_fund.quantity_id = wholes.whole
    WHERE wholes.file = fund.file AND wholes.part = fund.quantity_id AND outer_fund.stage = fund.stage
)
GROUP BY county_code, county_name_en
ORDER BY county_code;"""


_CHARACTER_NAMES = {"\t": "a tab", "\r": "a carriage return"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def export_markdown() -> str:
    list_columns = ", ".join(f"`{column.name}`" for column in COLUMNS if column.type == "list")
    lines = [
        "# Export: one row per figure",
        "",
        "`county-records export` writes every quantity of the records as one row: the figure exactly as the",
        "record states it, its curated reading, its value in base units, whether it is a plan, a part of another",
        "figure or a repeat of one, its quote and source, and the codes of the findings that touch it.",
        "",
        "```",
        "county-records export [PATH ...]                          # CSV on standard output",
        "county-records export --format jsonl --out figures.jsonl  # JSON lines: real lists, booleans and nulls",
        "county-records export --format parquet --out figures.parquet",
        "county-records export --format datapackage --out DIR      # DIR/figures.csv + DIR/datapackage.json",
        "```",
        "",
        "All formats have the same columns, in the same order, with the same types. A row is named by",
        f"{' + '.join(f'`{name}`' for name in PRIMARY_KEY)}.",
        "",
        "- **Parquet** carries the types itself (an explicit schema: a list column is `list<string>` even where",
        "  every list is empty).",
        "- **CSV**: rows end with CRLF (RFC 4180), and a cell that holds a line break is quoted; an empty cell is no value; booleans are `true` / `false`; numbers are plain decimals",
        f"  (`1340000`, `10.733846`, never `1.34e6`); lists ({list_columns}) are JSON",
        "  arrays (`[]`, `[\"SUM003\"]`), as Table Schema's `array` type reads them. A CSV cannot carry its types: a",
        "  reader that guesses them reads `county_code` 532930 and `period_end` 2020 as integers. Read it with the",
        "  types declared here or in `datapackage.json`.",
        "- **CSV and the data package's CSV**: a text cell that starts with "
        f"{', '.join(_CHARACTER_NAMES.get(c, f'`{c}`') for c in FORMULA_STARTS)} starts with `{FORMULA_GUARD}`,",
        "  as OWASP advises against CSV injection: a spreadsheet would run `=HYPERLINK(...)` in a label as a formula.",
        "  Take the first character off such a cell to get the text as the record has it (JSON lines and Parquet",
        "  carry it unchanged). Number columns are never changed: `-5` is a number.",
        f"- **datapackage** writes `{DATA_PACKAGE_TABLE}` and `datapackage.json`, a Frictionless data package whose Table",
        "  Schema declares every column below (type, description, allowed values, the primary key) and whose",
        "  `sources` lists the source documents the exported records cite (`file`: the copy in the repository's",
        "  `seeds/`; `path`: where it was published, where the record has a URL). `unitField` (not a Table Schema",
        "  property) names the column that holds a number's unit, which varies from row to row.",
        "",
        "## Reading it in DuckDB",
        "",
        "The CSV call needs DuckDB 1.3 or later, which reads a JSON array of text into a `VARCHAR[]` without its",
        "quotes (earlier versions keep them: `\"SUM003\"`).",
        "",
        "```sql",
        "SELECT * FROM 'figures.parquet';",
        f"SELECT * FROM {duckdb_read_csv(DATA_PACKAGE_TABLE)};",
        "```",
        "",
        "## Adding figures up",
        "",
        "Rows are statements, not a ledger. Before summing money, keep funds (`money_kind = 'fund'`: not income, loans,",
        "thresholds or prices, which are in yuan too) in base-unit yuan (`base_unit = 'yuan'`; fund standards are yuan",
        "per household or person), one `stage` (money planned, allocated, received, disbursed and invested is the same",
        "money at different stages), and leave out plans (`planned`), parts of another row (`is_part`: a fund in",
        "another fund's parts, a part of a total or subset relation, money within other money) and later statements",
        "of a figure stated twice (`repeat_of`):",
        "",
        "```sql",
        MONEY_BY_STAGE,
        "```",
        "",
        "Microcredit and other loans are `money_kind = 'loan'` wherever a record states them (an output of metric",
        "`loans`, or a fund of loan money): lent money is repaid, so it is not a county's funds.",
        "",
        "### Money invested per county",
        "",
        "`is_part` leaves out every part, also one whose whole is at another stage (housing subsidies disbursed out",
        "of the money received): the sum of one stage then lacks it. This query leaves out only a fund that lies,",
        "through any chain of parts, subset, total and within relations, inside a fund of its own stage, so each",
        "yuan of a stage counts once and none is lost. Where a record states both, what was invested should not",
        "exceed what was received.",
        "",
        "```sql",
        MONEY_INVESTED_PER_COUNTY,
        "```",
        "",
        "What these sums cannot know: money a record does not place inside another. Where a source states a total",
        "and, elsewhere, an amount that may lie inside it, but the record encodes no part, subset or within relation",
        "between them, both rows count; funds of overlapping periods (since 2016, and 2020) count both (CROSS008",
        "warns where the longer is the smaller).",
        "",
        *analyst_sections(),
        "## Columns",
        "",
        "*required*: every row has a value (a list column holds `[]` where there is nothing, never no value).",
        "",
        *_column_table(COLUMNS),
        "",
        "## The data package's other tables",
        "",
        "`export --format datapackage` writes `figures.csv` (the columns above), and beside it `divisions.csv`, one row per",
        "record, `sources.csv`, one row per source a record cites, and `panel.csv`, one row per county and year. `figures.file` joins `divisions.file`;",
        "(`figures.file`, `figures.source_id`) joins (`sources.file`, `sources.source_id`). The package carries the data's",
        "licence (CC BY 4.0; the quoted documents stay their publishers') and how to cite it (CITATION.cff).",
        "",
        "### divisions.csv",
        "",
        *_column_table(DIVISION_COLUMNS),
        "",
        "### sources.csv",
        "",
        *_column_table(SOURCE_COLUMNS),
        "",
        "### panel.csv",
        "",
        f"One row per county and year ({', '.join(f'`{name}`' for name in PANEL_KEY)}) where a source states one of the key",
        "indicators or the exit: the registered poor households and people and the poverty incidence, each with the",
        "figure's qualifier, date, place (`path` in figures.csv) and quote. A cell is empty where no source states the",
        "indicator for that year; nothing is interpolated. A figure fills the row of the one calendar year its date or",
        "period lies in (one over several years fills none), a figure as of its source's publication the row of the",
        "publication year; of several in a year, the latest holds (the one that ends last, then begins last: 2015-12",
        "over 2015). Plans and",
        "repeated statements never fill a cell.",
        "",
        *_column_table(PANEL_COLUMNS),
    ]
    return "\n".join(lines) + "\n"


def _column_table(columns: tuple[Column, ...]) -> list[str]:
    lines = ["| column | type | DuckDB | values | meaning |", "|---|---|---|---|---|"]
    for column in columns:
        values = ", ".join(f"`{value}`" for value in column.enum)
        if column.pattern:
            values = values or f"pattern `{column.pattern}`"
        if column.unit_field:
            values = values or f"unit in `{column.unit_field}`"
        required = ", required" if column.required else ""
        lines.append(f"| `{column.name}` | {column.types.table_schema}{required} | `{column.types.duckdb}` | "
                     f"{_cell(values)} | {_cell(column.description)} |")
    return lines
