"""panel.csv: one row per county and year for the key indicators, each cell with the figure it comes from.

Built from the export's own rows (so a cell's number is the figure's row's value_base), never
interpolated: a cell is empty where no source states the indicator for that year.
"""

from __future__ import annotations

from .columns import Column

# The panel's indicators: the column prefix and the metric whose figures fill it.
INDICATORS = (
    ("poor_households", "registered_poor_households", "registered poor households (建档立卡贫困户), in households"),
    ("poor_people", "registered_poor_people", "registered poor people (建档立卡贫困人口), in people"),
    ("poverty_incidence", "poverty_incidence", "the poverty incidence (贫困发生率), in percent"),
)
PANEL_KEY = ("file", "year")


def _indicator_columns(prefix: str, meaning: str) -> tuple[Column, ...]:
    return (
        Column(prefix, "number", f"{meaning[0].upper()}{meaning[1:]}, as a source states it for this year (figures.csv's "
               "value_base); empty where no source does. Never interpolated.", unit_field=None),
        Column(f"{prefix}_qualifier", "string", "How exact that figure is (exact, more_than, about, ...), as in figures.csv."),
        Column(f"{prefix}_date", "string", "The figure's date as written (2014, 2019-05): within this year, at its precision."),
        Column(f"{prefix}_figure", "string", "The figure's place by ids (observations[poor-people-2014]); with `file`, "
               "it names its row in figures.csv (`path`)."),
        Column(f"{prefix}_quote", "string", "The passage of the source that states the figure."),
    )


PANEL_COLUMNS: tuple[Column, ...] = (
    Column("file", "string", "The record file; divisions.csv's `file` joins here.", required=True),
    Column("county_code", "string", "The division's six-digit administrative code (GB/T 2260), as text.", required=True,
           pattern=r"^[1-8][0-9]{5}$"),
    Column("county_name_en", "string", "The English name as in the reference list.", required=True),
    Column("province", "string", "The province's English name.", required=True),
    Column("year", "string", "The calendar year of the row, as text (2014).", required=True, pattern=r"^[0-9]{4}$"),
    *(column for prefix, _, meaning in INDICATORS for column in _indicator_columns(prefix, meaning)),
    Column("exit_approved", "boolean", "True in the year the record's source dates the approval of the division's exit "
           "from the poverty list (摘帽); empty in other years.", ),
    Column("exit_date", "string", "That approval's date as written (2019-05-09), in its year's row."),
    Column("exit_quote", "string", "The passage of the source that states the exit."),
    Column("delisted_batch", "boolean", "True in the year of the exit batch the list of the 832 gives for the county "
           "(divisions.csv's delisted_year, cited to the list's cell); most batches were announced early in the next year."),
)


def _year(row: dict) -> str | None:
    """The one calendar year a figure's date or period lies in; None where it spans years or has no day range."""
    start, end = row["date_start"], row["date_end"]
    if start is None or end is None or start[:4] != end[:4]:
        return None
    return start[:4]


def _empty(division: dict, year: str) -> dict:
    row = {column.name: None for column in PANEL_COLUMNS}
    row.update({"file": division["file"], "county_code": division["county_code"],
                "county_name_en": division["county_name_en"], "province": division["province"], "year": year})
    return row


def panel_rows(figures: list[dict], divisions: list[dict]) -> list[dict]:
    """The panel's rows, by file and year. Of several figures for one cell, the latest in the year holds (the state
    at the year's end): the one whose date ends last, then begins last (2015-12 over 2015), then the first the
    record states. Plans and later statements of a figure stated twice (repeat_of) never fill a cell."""
    metrics = {metric: prefix for prefix, metric, _ in INDICATORS}
    by_file = {division["file"]: division for division in divisions}
    panel: dict[tuple[str, str], dict] = {}
    chosen: dict[tuple[str, str, str], tuple[str, str]] = {}  # (file, year, prefix) -> the cell's figure's (date_end, date_start)

    def cell_row(file: str, year: str) -> dict:
        key = (file, year)
        if key not in panel:
            panel[key] = _empty(by_file[file], year)
        return panel[key]

    for figure in figures:
        prefix = metrics.get(figure["metric"])
        year = _year(figure)
        if prefix is None or year is None or figure["planned"] or figure["repeat_of"] or figure["value_base"] is None:
            continue
        if figure["file"] not in by_file:
            continue
        key, when = (figure["file"], year, prefix), (figure["date_end"], figure["date_start"])
        if key in chosen and chosen[key] >= when:
            continue
        chosen[key] = when
        row = cell_row(figure["file"], year)
        row.update({prefix: figure["value_base"], f"{prefix}_qualifier": figure["qualifier"], f"{prefix}_date": figure["date_as_written"],
                    f"{prefix}_figure": figure["path"], f"{prefix}_quote": figure["quote"]})
    for division in divisions:
        if division["exit_date"] is not None:
            row = cell_row(division["file"], division["exit_date"][:4])
            row.update({"exit_approved": True, "exit_date": division["exit_date"], "exit_quote": division["exit_quote"]})
        if division["delisted_year"] is not None:
            cell_row(division["file"], division["delisted_year"])["delisted_batch"] = True
    return [panel[key] for key in sorted(panel)]
