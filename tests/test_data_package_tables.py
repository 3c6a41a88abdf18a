"""The data package's divisions, sources and panel tables: what an analyst joins the figures to."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import frictionless
import pytest
import yaml

from rule_cases import FIXTURE_SEEDS, TODAY, build_record
from validator.commands.export import export_table
from validator.commands.export.writers import write_data_package
from validator.engine import Settings

RECORD = """\
division:
  code: "430225"
  name_en: Yanling County
  name_zh: 炎陵县
  province: Hunan
  prefecture: 株洲市
  designations: [national_poverty_county, contiguous_poverty_area]
  contiguous_area: Luoxiao Mountains
  poverty_exit: {date: "2017-10", approved_by: provincial_government, quote: "all 54 poor villages have withdrawn"}
observations:
  - {id: poor-villages, metric: poor_villages, value: 54 villages, quote: "all 54 poor villages have withdrawn"}
officials:
  - {name: Zhang San, role: county head, as_of: 2018, quote: "all 54 poor villages have withdrawn"}
"""


@pytest.fixture()
def package(tmp_path: Path) -> Path:
    record = tmp_path / "yanling.yaml"
    record.write_text(build_record(RECORD).text, encoding="utf-8")
    table = export_table([(record, "records/hunan/yanling.yaml")], Settings(today=TODAY, seeds_dir=FIXTURE_SEEDS, jobs=1))
    write_data_package(table, tmp_path / "package")
    return tmp_path / "package"


def test_the_package_validates_with_its_four_tables_a_licence_and_a_citation(package: Path) -> None:
    report = frictionless.validate(str(package / "datapackage.json"))
    assert report.valid, [error.message for task in report.tasks for error in task.errors]
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    assert [resource["name"] for resource in descriptor["resources"]] == ["figures", "divisions", "sources", "panel"]
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert "CITATION.cff" in descriptor["citation"]


def test_the_divisions_table_has_the_exit_designations_and_officials(package: Path) -> None:
    [row] = duckdb.sql(f"SELECT * FROM read_csv('{package / 'divisions.csv'}', all_varchar=true)").fetchall()
    columns = [c[0] for c in duckdb.sql(f"DESCRIBE SELECT * FROM read_csv('{package / 'divisions.csv'}', all_varchar=true)").fetchall()]
    division = dict(zip(columns, row))
    assert division["county_code"] == "430225" and division["on_list_of_832"] == "true"
    assert division["exit_date"] == "2017-10"  # the month the record states, not a day it does not
    assert division["delisted_year"] is None  # the record cites no batch year to the list's table
    assert division["exit_approved_by"] == "provincial_government" and division["exit_source_id"] == "s1"
    assert json.loads(division["designations"]) == ["national_poverty_county", "contiguous_poverty_area"]
    assert json.loads(division["officials"]) == ["county head: Zhang San, 2018"]


def test_every_figure_joins_its_source_and_the_source_its_archived_copy(package: Path) -> None:
    joined = duckdb.sql(
        f"SELECT f.pointer, s.title, s.sha256 FROM read_csv('{package / 'figures.csv'}', all_varchar=true) f "
        f"JOIN read_csv('{package / 'sources.csv'}', all_varchar=true) s ON f.file = s.file AND f.source_id = s.source_id"
    ).fetchall()
    index = yaml.safe_load((FIXTURE_SEEDS / "index.yaml").read_text(encoding="utf-8"))
    [fixture] = [entry for entry in index["sources"] if entry["file"] == "fixture.txt"]
    assert joined == [("/observations/0", "Fixture source", fixture["sha256"])]
