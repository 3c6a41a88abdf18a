"""The export's time and kinds, its county panel, and the analyst queries docs/export.md documents.

Records are built here in tmp_path; expected answers are worked out from the records' own data, and the
queries are read from the doc, as an analyst copies them.
"""

from __future__ import annotations

import calendar
import csv
import io
import json
import re
from datetime import date
from pathlib import Path

import duckdb
import frictionless
import pytest
import yaml

from rule_cases import FIXTURE_SEEDS, TODAY
from validator.cli import main
from validator.commands.export import COLUMN_NAMES, export_table
from validator.engine import Settings
from validator.support.paths import RECORDS_DIR

DOCS = Path(__file__).resolve().parent.parent / "docs" / "export.md"
PUBLISHED = "2020-06-01"


def division(code: str, name_en: str, name_zh: str, province: str, prefecture: str) -> str:
    return (f'schema_version: "1.2"\ndivision:\n  code: "{code}"\n  name_en: {name_en}\n  name_zh: {name_zh}\n'
            f"  province: {province}\n  prefecture: {prefecture}\n")


SOURCE = (f"sources:\n  - {{id: s1, file: seeds/fixture.txt, title: Fixture source, published: \"{PUBLISHED}\", "
          "language: en}\n")

COUNTY_A = division("430225", "Yanling County", "炎陵县", "Hunan", "株洲市") + """\
  poverty_exit: {date: "2018-08", approved_by: provincial_government, quote: "the county was lifted out of poverty"}
""" + SOURCE + """\
observations:
  - {id: people-2014, metric: registered_poor_people, value: 26761 people, date: 2014, quote: "26,761 poor people in 2014"}
  - {id: people-2016, metric: registered_poor_people, value: 10000 people, date: "2016-06", quote: "10,000 poor people"}
  - {id: people-2018, metric: registered_poor_people, value: 716 people, date: "2018-12-31", quote: "716 poor people"}
  - {id: people-plan, metric: registered_poor_people, value: 0 people, date: 2020, planned: true, quote: "no poor people by 2020"}
  - {id: people-again, metric: registered_poor_people, value: 10000 people, date: "2016-06", quote: "10,000 poor people again"}
  - {id: incidence-2014, metric: poverty_incidence, value: 16.57 %, date: 2014, quote: "16.57% in 2014"}
  - {id: incidence-2018, metric: poverty_incidence, value: 0.44 %, date: "2018-09", quote: "to 0.44%"}
  - {id: households-now, metric: registered_poor_households, value: 403 households, date_basis: as_of_publication,
     quote: "403 households in the current county"}
programmes:
  - id: roads
    name: Rural roads
    category: infrastructure
    period: {start: 2016, end: "2019-06"}
    outputs:
      - {id: road-km, metric: road_length, value: 12 km, quote: "12 km of road"}
      - {id: jobs-a-year, metric: jobs_per_year, value: 1500 jobs/year, qualifier: more_than, date: 2017,
         quote: "more than 1,500 new jobs each year"}
    outcomes:
      - {id: rider-wage, metric: wage, value: 8000 yuan/person/month, qualifier: more_than, date: "2019-05-09",
         quote: "more than 8,000 yuan in the first month"}
relations:
  - {kind: same, items: [people-2016, people-again]}
"""

COUNTY_B = division("532930", "Eryuan County", "洱源县", "Yunnan", "大理白族自治州") + SOURCE + """\
observations:
  - {id: people-2015, metric: registered_poor_people, value: 5000 people, date: 2015, quote: "5,000 poor people"}
  - {id: incidence-2015, metric: poverty_incidence, value: 8.2 %, date: 2015, quote: "8.2% in 2015"}
"""


def days(written: str) -> tuple[date, date]:
    """The first and last day a date written at year, month or day precision covers (worked out here, not by the export)."""
    parts = [int(p) for p in written.split("-")]
    if len(parts) == 1:
        return date(parts[0], 1, 1), date(parts[0], 12, 31)
    if len(parts) == 2:
        return date(parts[0], parts[1], 1), date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return date(*parts), date(*parts)


@pytest.fixture
def records(tmp_path: Path) -> dict[str, Path]:
    paths = {}
    for name, text in (("a.yaml", COUNTY_A), ("b.yaml", COUNTY_B)):
        paths[name] = tmp_path / name
        paths[name].write_text(text, encoding="utf-8")
    return paths


def export(records: dict[str, Path]):
    return export_table([(path, name) for name, path in records.items()], Settings(today=TODAY, seeds_dir=FIXTURE_SEEDS, jobs=1))


def observations(text: str) -> dict[str, dict]:
    data = yaml.safe_load(text)
    return {o["id"]: o for o in data["observations"]}


def number(value: str) -> float:
    return float(value.split()[0])


# --- every figure has a time, at its precision ------------------------------------------------------

def _formats(tmp_path: Path, records: dict[str, Path]) -> dict[str, list[dict]]:
    files = [str(path) for path in records.values()]
    rows = {}
    for fmt, out in (("jsonl", "f.jsonl"), ("csv", "f.csv"), ("parquet", "f.parquet")):
        assert main(["export", *files, "--format", fmt, "--out", str(tmp_path / out)]) == 0
    rows["jsonl"] = [json.loads(line) for line in (tmp_path / "f.jsonl").read_text(encoding="utf-8").splitlines()]
    rows["csv"] = [{k: (v or None) for k, v in row.items()}
                   for row in csv.DictReader(io.StringIO((tmp_path / "f.csv").read_text(encoding="utf-8")))]
    rows["parquet"] = duckdb.sql(f"SELECT * FROM '{tmp_path / 'f.parquet'}'").fetchall()
    names = [d[0] for d in duckdb.sql(f"SELECT * FROM '{tmp_path / 'f.parquet'}'").description]
    rows["parquet"] = [dict(zip(names, row)) for row in rows["parquet"]]
    return rows


def test_dates_keep_their_precision_and_their_days_in_every_format(tmp_path: Path, records) -> None:
    stated = observations(COUNTY_A)
    for fmt, rows in _formats(tmp_path, records).items():
        by_id = {row["quantity_id"]: row for row in rows if row["county_code"] == "430225"}
        for name, observation in stated.items():
            row = by_id[name]
            if "date" in observation:
                written = str(observation["date"])
                assert row["date_as_written"] == written, fmt
                assert (row["date_start"], row["date_end"]) == tuple(d.isoformat() for d in days(written)), fmt
                assert row["date_precision"] == ("year", "month", "day")[written.count("-")], fmt
                assert row["date_basis"] == "stated", fmt
        now = by_id["households-now"]
        assert (now["date_basis"], now["date_as_written"]) == ("as_of_publication", PUBLISHED), fmt
        assert (now["date_start"], now["date_end"]) == (PUBLISHED, PUBLISHED), fmt
        # An output without a date of its own holds over its programme's period, 2016 to 2019-06.
        road = by_id["road-km"]
        assert (road["period_start"], road["period_end"], road["date_as_written"]) == ("2016", "2019-06", None), fmt
        assert (road["date_start"], road["date_end"], road["date_precision"]) == ("2016-01-01", "2019-06-30", "year"), fmt


def test_no_figure_column_has_a_name_pandas_reads_as_a_date() -> None:
    # pandas' read_json (keep_default_dates) converts a column named date, datetime or modified, or ending in
    # _at or _time, or starting with timestamp: "2014" would become 2014-01-01 00:00.
    for name in COLUMN_NAMES:
        assert name not in ("date", "datetime", "modified"), name
        assert not name.endswith(("_at", "_time")) and not name.startswith("timestamp"), name


def rows_without_time(rows: list[dict]) -> list[dict]:
    """Rows the export places at no time: no basis, or a stated basis without the days it covers."""
    return [row for row in rows if row["date_basis"] is None or (row["date_basis"] == "stated" and row["date_start"] is None)]


def test_an_undated_figure_is_a_row_without_time_and_a_finding(tmp_path: Path) -> None:
    path = tmp_path / "undated.yaml"
    path.write_text(COUNTY_B.replace("date: 2015, quote: \"5,000", "quote: \"5,000"), encoding="utf-8")
    table = export_table([(path, "undated.yaml")], Settings(today=TODAY, seeds_dir=FIXTURE_SEEDS, jobs=1))
    assert [row["quantity_id"] for row in rows_without_time(table.rows)] == ["people-2015"]
    assert "DATE008" in next(row for row in table.rows if row["quantity_id"] == "people-2015")["finding_codes"]


def test_every_figure_of_the_records_has_a_time(tmp_path: Path) -> None:
    """Over whatever records there are: the property, not today's list of records."""
    assert main(["export", str(RECORDS_DIR), "--format", "jsonl", "--out", str(tmp_path / "all.jsonl")]) == 0
    rows = [json.loads(line) for line in (tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(row["file"], row["path"]) for row in rows_without_time(rows)] == []
    # ... and no per-unit figure is exported as a count.
    assert [(row["file"], row["path"]) for row in rows if row["quantity_kind"] == "count" and "/" in (row["base_unit"] or "")] == []
    for row in rows:
        if row["metric"] and "/" in METRIC_DIMENSIONS[row["metric"]]:
            assert row["quantity_kind"] == "rate", (row["file"], row["path"])


# --- rates as rates --------------------------------------------------------------------------------

METRIC_DIMENSIONS = {line.split("\t")[0]: line.split("\t")[1] for line in
                     (RECORDS_DIR.parent / "validator" / "models" / "metrics.tsv").read_text(encoding="utf-8").splitlines()
                     if line and not line.startswith("#")}


def test_every_per_unit_metric_of_the_vocabulary_exports_as_a_rate(tmp_path: Path) -> None:
    per_unit = {metric: dimension for metric, dimension in METRIC_DIMENSIONS.items() if "/" in dimension}
    assert {metric for metric in METRIC_DIMENSIONS if "_per_" in metric} <= set(per_unit)
    lines = [f"  - {{id: m{i}, metric: {metric}, value: 1 {dimension}, date: 2019, quote: \"one each\"}}"
             for i, (metric, dimension) in enumerate(sorted(per_unit.items()))]
    path = tmp_path / "rates.yaml"
    path.write_text(division("532930", "Eryuan County", "洱源县", "Yunnan", "大理白族自治州") + SOURCE + "observations:\n"
                    + "\n".join(lines) + "\n", encoding="utf-8")
    table = export_table([(path, "rates.yaml")], Settings(today=TODAY, seeds_dir=FIXTURE_SEEDS, jobs=1))
    assert len(table.rows) == len(per_unit)
    assert {row["metric"]: row["quantity_kind"] for row in table.rows} == {metric: "rate" for metric in per_unit}


def test_an_amount_a_month_stays_a_month_and_a_rate_is_not_a_count(records) -> None:
    rows = {row["quantity_id"]: row for row in export(records).rows}
    wage = rows["rider-wage"]
    assert (wage["value_base"], wage["base_unit"], wage["quantity_kind"]) == (8000, "yuan/person/month", "rate")
    jobs = rows["jobs-a-year"]
    assert (jobs["value_base"], jobs["base_unit"], jobs["quantity_kind"]) == (1500, "job/year", "rate")
    assert rows["people-2014"]["quantity_kind"] == "count"
    assert rows["incidence-2014"]["quantity_kind"] == "share"


# --- the county panel --------------------------------------------------------------------------------

def test_the_panel_has_a_row_per_county_and_year_with_each_cells_figure(tmp_path: Path, records) -> None:
    table = export(records)
    from validator.commands.export import write_data_package

    write_data_package(table, tmp_path / "package")
    report = frictionless.validate(str(tmp_path / "package" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    panel = {(row["file"], row["year"]): row
             for row in csv.DictReader(io.StringIO((tmp_path / "package" / "panel.csv").read_text(encoding="utf-8")))}
    expected: dict[tuple[str, str], dict] = {}
    for file, text in (("a.yaml", COUNTY_A), ("b.yaml", COUNTY_B)):
        data = yaml.safe_load(text)
        repeats = {later for relation in data.get("relations", []) for later in relation["items"][1:]}
        for observation in data["observations"]:
            column = {"registered_poor_people": "poor_people", "poverty_incidence": "poverty_incidence",
                      "registered_poor_households": "poor_households"}[observation["metric"]]
            # A figure as of its source's publication holds at the publication date.
            when = PUBLISHED if observation.get("date_basis") == "as_of_publication" else observation.get("date")
            if when is None or observation.get("planned") or observation["id"] in repeats:
                continue
            cells = expected.setdefault((file, str(when)[:4]), {})
            cells[column] = (number(observation["value"]), str(when), f"observations[{observation['id']}]", observation["quote"])
        if "poverty_exit" in data["division"]:
            exit_ = data["division"]["poverty_exit"]
            expected.setdefault((file, str(exit_["date"])[:4]), {})["exit"] = (str(exit_["date"]), exit_["quote"])
    assert set(panel) == set(expected)
    for key, cells in expected.items():
        row = panel[key]
        for column in ("poor_people", "poverty_incidence", "poor_households"):
            got = (float(row[column]), row[f"{column}_date"], row[f"{column}_figure"], row[f"{column}_quote"]) if row[column] else None
            assert got == cells.get(column), (key, column)
        assert (row["exit_date"], row["exit_quote"]) == cells.get("exit", ("", "")), key
        assert row["exit_approved"] == ("true" if "exit" in cells else "")


def test_the_panel_takes_the_latest_figure_of_a_year(tmp_path: Path) -> None:
    # 2015 and 2015-12 both end on the year's last day: the one that begins later, December, is the latest.
    path = tmp_path / "twice.yaml"
    path.write_text(COUNTY_B + '  - {id: people-late-2015, metric: registered_poor_people, value: 4000 people, date: "2015-12", '
                    'quote: "4,000 poor people"}\n  - {id: people-mid-2015, metric: registered_poor_people, value: 4500 people, '
                    'date: "2015-06", quote: "4,500 poor people"}\n', encoding="utf-8")
    from validator.commands.export.panel import panel_rows

    table = export_table([(path, "twice.yaml")], Settings(today=TODAY, seeds_dir=FIXTURE_SEEDS, jobs=1))
    (row,) = panel_rows(table.rows, table.divisions)
    assert (row["year"], row["poor_people"], row["poor_people_figure"]) == ("2015", 4000, "observations[people-late-2015]")


# --- the analyst queries of docs/export.md --------------------------------------------------------

def documented_query(heading: str) -> str:
    """The SQL block under a heading of docs/export.md, as an analyst copies it."""
    text = DOCS.read_text(encoding="utf-8")
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```sql\n(.*?)```", section, re.S).group(1)


def _ends(text: str, metric: str) -> tuple[tuple[float, str], tuple[float, str]] | None:
    """The figure of the metric at the earliest start and at the latest end, worked out from the record."""
    data = yaml.safe_load(text)
    repeats = {later for relation in data.get("relations", []) for later in relation["items"][1:]}
    dated = [(days(str(o["date"])), number(o["value"]), str(o["date"])) for o in data["observations"]
             if o["metric"] == metric and "date" in o and not o.get("planned") and o["id"] not in repeats]
    if not dated:
        return None
    first = min(dated, key=lambda d: d[0][0])
    last = max(dated, key=lambda d: d[0][1])
    return (first[1], first[2]), (last[1], last[2])


@pytest.fixture
def parquet_folder(tmp_path: Path, records, monkeypatch) -> Path:
    assert main(["export", *map(str, records.values()), "--format", "parquet", "--out", str(tmp_path / "figures.parquet")]) == 0
    monkeypatch.chdir(tmp_path)  # the documented queries read 'figures.parquet' from the working folder
    return tmp_path


def test_the_documented_query_of_registered_poor_people_answers_from_the_records(parquet_folder: Path) -> None:
    result = duckdb.sql(documented_query("Registered poor people, earliest and latest, per county"))
    names = [d[0] for d in result.description]
    got = {row["county_code"]: row for row in (dict(zip(names, r)) for r in result.fetchall())}
    for code, text in (("430225", COUNTY_A), ("532930", COUNTY_B)):
        (first, first_date), (last, last_date) = _ends(text, "registered_poor_people")
        row = got[code]
        assert (row["earliest_people"], row["earliest_date"], row["latest_people"], row["latest_date"]) == (
            first, first_date, last, last_date)
    assert set(got) == {"430225", "532930"}


def test_the_documented_query_of_the_change_in_poverty_incidence_answers_from_the_records(parquet_folder: Path) -> None:
    result = duckdb.sql(documented_query("Change in poverty incidence per county"))
    names = [d[0] for d in result.description]
    got = {row["county_code"]: row for row in (dict(zip(names, r)) for r in result.fetchall())}
    (first, first_date), (last, last_date) = _ends(COUNTY_A, "poverty_incidence")
    row = got["430225"]
    assert (row["first_date"], row["last_date"]) == (first_date, last_date)
    assert row["change_points"] == pytest.approx(last - first)
    # One figure is no change: the county with a single incidence has no row.
    assert set(got) == {"430225"}
