"""The analyst queries docs/export.md documents, on the export's Parquet file (tests run them from the doc on DuckDB)."""

from __future__ import annotations

# A figure's time: date_start and date_end are the days its written date covers (2014 -> 2014-01-01 ..
# 2014-12-31), so ordering by them orders dates of mixed precision; rows without a day are left out.
POOR_PEOPLE_EARLIEST_AND_LATEST = """WITH people AS (
    SELECT county_code, county_name_en, value_base AS people, date_as_written AS date, date_start, date_end
    FROM 'figures.parquet'
    WHERE metric = 'registered_poor_people' AND NOT planned AND repeat_of IS NULL AND date_start IS NOT NULL
)
SELECT county_code, county_name_en,
       arg_min(people, date_start) AS earliest_people, arg_min(date, date_start) AS earliest_date,
       arg_max(people, date_end) AS latest_people, arg_max(date, date_end) AS latest_date
FROM people
GROUP BY county_code, county_name_en
ORDER BY county_code;"""

POVERTY_INCIDENCE_CHANGE = """WITH incidence AS (
    SELECT county_code, county_name_en, value_base AS percent, date_as_written AS date, date_start, date_end
    FROM 'figures.parquet'
    WHERE metric = 'poverty_incidence' AND NOT planned AND repeat_of IS NULL AND date_start IS NOT NULL
), ends AS (
    SELECT county_code, county_name_en,
           arg_min(percent, date_start) AS first_percent, arg_min(date, date_start) AS first_date,
           arg_max(percent, date_end) AS last_percent, arg_max(date, date_end) AS last_date,
           count(*) AS figures
    FROM incidence
    GROUP BY county_code, county_name_en
)
SELECT county_code, county_name_en, first_date, first_percent, last_date, last_percent,
       last_percent - first_percent AS change_points
FROM ends
WHERE figures > 1
ORDER BY county_code;"""


def analyst_sections() -> list[str]:
    """docs/export.md's sections on time, kinds and the two queries of registered poverty."""
    return [
        "## Time: every figure has one",
        "",
        "`date_as_written` is the date as the record writes it (`2014`, `2019-05`, `2019-05-09`), text, so that no reader turns",
        "`2014` into 2014-01-01. `date_start` and `date_end` are the ISO days the written date (or `period_start` ..",
        "`period_end`) covers, and `date_precision` says whether it was a year, a month or a day: compare and order",
        "figures by those. `date_basis` says where the time comes from: `stated` by the source (for an output or a",
        "fund's standard, perhaps its programme's or fund's date), or `as_of_publication` where the source speaks of",
        "the present (now, currently, 目前): `date_as_written` is then the source's publication date, the latest the figure can",
        "hold, or empty where the source gives none. DATE008 reports a figure with no time at all.",
        "",
        "The column is not named `date`, which pandas' `read_json` turns into timestamps (`2014` -> 2014-01-01).",
        "pandas still reads a column of years only as integers unless told not to guess:",
        "`pd.read_json('figures.jsonl', lines=True, dtype=False)` keeps every text as written.",
        "",
        "## Kinds of quantity: a rate is never a count",
        "",
        "`quantity_kind` says what each row's number is, from its unit: `count`, `amount` (money), `rate` (anything",
        "per something: 1 to 2 villages per leader, 1,500 jobs a year, 5 days a week), `share` (percent), `points`",
        "(percentage points) or `measure` (length, area, mass, power, a duration). Sum counts or amounts only.",
        "A unit of time stays as the source gives it: a first month's income of 8,000 yuan is 8000",
        "`yuan/person/month`, never 96,000 yuan a year that no source stated.",
        "",
        "## Registered poor people, earliest and latest, per county",
        "",
        "The register at the first and the last date a source states it, with those dates (plans and repeated",
        "statements left out):",
        "",
        "```sql",
        POOR_PEOPLE_EARLIEST_AND_LATEST,
        "```",
        "",
        "## Change in poverty incidence per county",
        "",
        "The poverty incidence at its first and last stated date, and the change in percentage points (counties",
        "with one figure only are left out):",
        "",
        "```sql",
        POVERTY_INCIDENCE_CHANGE,
        "```",
        "",
        "The data package's `panel.csv` has the same figures by county and year, each cell with its figure's",
        "place and quote.",
        "",
    ]
