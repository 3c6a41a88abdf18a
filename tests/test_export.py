"""`county-records export`: the figures as an analyst loads them, in CSV, JSON lines, Parquet and a data package.

Expected values come from the records themselves (read with PyYAML here), not from the exporter.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import duckdb
import frictionless
import pyarrow.parquet as pq
import pytest
import yaml

from validator.cli import main
from validator.engine import Settings, run
from validator.reporters import ReportOptions
from validator.reporters.json_report import report_json
from validator.commands.export import COLUMNS, COLUMN_NAMES
from validator.commands.export.reference import duckdb_read_csv
from validator.support.paths import RECORDS_DIR

ERYUAN = RECORDS_DIR / "yunnan" / "eryuan.yaml"
LUOSHAN = RECORDS_DIR / "henan" / "luoshan.yaml"
YANLING = RECORDS_DIR / "hunan" / "yanling.yaml"
SCALE = {"k": 10**3, "thousand": 10**3, "wan": 10**4, "ten thousand": 10**4, "million": 10**6, "yi": 10**8,
         "hundred million": 10**8, "billion": 10**9, "千": 10**3, "万": 10**4, "十万": 10**5, "百万": 10**6, "千万": 10**7, "亿": 10**8}
# A Chinese value writes its scale word and its "more than" (多, 余: `4700余户`, `1.2万余亩`) between number and unit.
_STATED = re.compile(r"^\s*([-+]?[0-9][0-9,]*(?:\.[0-9]+)?)\s*(ten thousand|hundred million|thousand|million|billion|wan|yi|k(?![a-zA-Z])"
                     r"|十万|百万|千万|千|万|亿)?\s*(?:多|余)?\s*(.*?)\s*$")


def stated(text: str) -> tuple[Decimal, str]:
    """'1.34 million yuan' -> (1340000, 'yuan'): the number with its scale word, and the unit as written."""
    number, scale, unit = _STATED.match(text).groups()
    return Decimal(number.replace(",", "")) * SCALE.get(scale, 1), unit


@cache
def record(path: Path) -> dict:
    """The record as PyYAML reads it (shared by the tests: none changes it)."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def at_pointer(data: object, pointer: str) -> object:
    for token in pointer.split("/")[1:]:
        data = data[int(token)] if isinstance(data, list) else data[token]
    return data


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    """The whole corpus in every format, written by the command as a user runs it."""
    folder = tmp_path_factory.mktemp("export")
    for fmt, out in (("csv", "figures.csv"), ("jsonl", "figures.jsonl"), ("parquet", "figures.parquet"),
                     ("datapackage", "package")):
        assert main(["export", str(RECORDS_DIR), "--format", fmt, "--out", str(folder / out)]) == 0
    return folder


def csv_rows(path: Path) -> list[dict]:
    """CSV rows with the lexical forms the data package declares: JSON arrays, true/false, empty = none."""
    types = {column.name: column.type for column in COLUMNS}
    rows = []
    for raw in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))):
        row = {}
        for name, text in raw.items():
            kind = types[name]
            row[name] = (json.loads(text) if kind == "list" else None if text == "" else
                         text == "true" if kind == "boolean" else Decimal(text) if kind == "number" else text)
        rows.append(row)
    return rows


@pytest.fixture(scope="module")
def formats(exported: Path) -> dict[str, list[dict]]:
    jsonl = [json.loads(line) for line in (exported / "figures.jsonl").read_text(encoding="utf-8").splitlines()]
    return {"csv": csv_rows(exported / "figures.csv"), "jsonl": jsonl,
            "parquet": pq.read_table(exported / "figures.parquet").to_pylist()}


def by_place(rows: list[dict], path: Path) -> dict[str, dict]:
    return {row["pointer"]: row for row in rows if Path(row["file"]).resolve() == path.resolve()}


# --- one table, three encodings -----------------------------------------------------------------

def test_every_format_has_the_same_columns_in_the_same_order(exported: Path, formats) -> None:
    header = next(csv.reader(io.StringIO((exported / "figures.csv").read_text(encoding="utf-8"))))
    assert header == list(COLUMN_NAMES)
    assert pq.read_schema(exported / "figures.parquet").names == header
    assert all(list(row) == header for row in formats["jsonl"])
    assert len(formats["csv"]) == len(formats["jsonl"]) == len(formats["parquet"]) > 300


def test_the_data_package_table_is_the_csv_export(exported: Path) -> None:
    assert (exported / "package" / "figures.csv").read_bytes() == (exported / "figures.csv").read_bytes()


# --- the data package -----------------------------------------------------------------------------

def test_the_data_package_validates_with_frictionless(exported: Path) -> None:
    report = frictionless.validate(str(exported / "package" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    assert report.tasks[0].stats["rows"] == len((exported / "figures.jsonl").read_text(encoding="utf-8").splitlines())


def test_the_data_package_schema_rejects_a_value_outside_its_enum(exported: Path, tmp_path: Path) -> None:
    shutil.copytree(exported / "package", tmp_path / "package")
    table = tmp_path / "package" / "figures.csv"
    table.write_text(table.read_text(encoding="utf-8").replace(",exact,", ",exactly,", 1), encoding="utf-8")
    report = frictionless.validate(str(tmp_path / "package" / "datapackage.json"))
    assert not report.valid
    assert {error[1] for error in report.flatten(["type", "fieldName"])} == {"qualifier"}


def test_the_data_package_describes_every_column(exported: Path) -> None:
    descriptor = json.loads((exported / "package" / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == "figures")
    assert all(len(field["description"]) > 20 for r in descriptor["resources"] for field in r["schema"]["fields"])
    schema = resource["schema"]
    fields = {field["name"]: field for field in schema["fields"]}
    assert list(fields) == list(COLUMN_NAMES)
    assert all(field["type"] and len(field["description"]) > 20 for field in fields.values())
    assert schema["primaryKey"] == ["file", "pointer"]
    assert fields["qualifier"]["constraints"]["enum"] == ["exact", "approximately", "at_least", "more_than", "at_most",
                                                          "less_than", "range"]
    assert fields["stage"]["constraints"]["enum"] == ["planned", "allocated", "received", "disbursed", "invested", "leveraged"]
    assert "county" in fields["level"]["constraints"]["enum"]
    assert set(fields["section"]["constraints"]["enum"]) == {"observations", "targets", "programmes", "funds", "shares"}
    assert fields["value_base"]["unitField"] == "base_unit"
    assert "licen" in descriptor["description"]
    titles = {source["title"] for path in RECORDS_DIR.rglob("*.yaml") for source in record(path)["sources"]}
    assert {source["title"] for source in descriptor["sources"]} == titles


# --- DuckDB reads the declared types -------------------------------------------------------------

DECLARED = {"county_code": "VARCHAR", "period_start": "VARCHAR", "period_end": "VARCHAR", "date_as_written": "VARCHAR",
            "value_base": "DOUBLE", "planned": "BOOLEAN", "is_part": "BOOLEAN", "finding_codes": "VARCHAR[]",
            "acknowledged_codes": "VARCHAR[]", "part_of": "VARCHAR[]"}


def _described(relation: str) -> dict[str, str]:
    return {name: type_ for name, type_, *_ in duckdb.sql(f"DESCRIBE SELECT * FROM {relation}").fetchall()}


def test_duckdb_reads_the_parquet_file_with_every_declared_type(exported: Path) -> None:
    described = _described(f"'{exported / 'figures.parquet'}'")
    assert described == {column.name: column.types.duckdb for column in COLUMNS}
    assert described.items() >= DECLARED.items()


def test_duckdb_reads_the_csv_with_the_documented_call_and_gets_the_parquet_rows(exported: Path) -> None:
    read_csv = duckdb_read_csv(str(exported / "figures.csv"))
    described = _described(read_csv)
    assert described == {column.name: column.types.duckdb for column in COLUMNS}
    assert described.items() >= DECLARED.items()
    parquet = f"'{exported / 'figures.parquet'}'"
    for left, right in ((read_csv, parquet), (parquet, read_csv)):
        assert duckdb.sql(f"SELECT * FROM {left} EXCEPT ALL SELECT * FROM {right}").fetchall() == []


@pytest.mark.parametrize("name", ["qinglong.yaml", "hezhang.yaml"])  # one figure and no finding; no figure at all
def test_an_export_whose_lists_are_all_empty_keeps_them_typed(name: str, tmp_path: Path) -> None:
    path = RECORDS_DIR / "guizhou" / name
    out = tmp_path / "one.parquet"
    assert main(["export", str(path), "--format", "parquet", "--out", str(out)]) == 0
    table = pq.read_table(out)
    figures = sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip().startswith(("value:", "- value:")))
    assert table.num_rows == figures and table.column("finding_codes").to_pylist() == [[]] * figures
    assert str(table.schema.field("finding_codes").type) == "list<element: string>"
    assert str(table.schema.field("upper_base").type) == "double"  # no range in this record: every value empty
    assert _described(f"'{out}'")["finding_codes"] == "VARCHAR[]"


# --- what the columns say ---------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_value_and_unit_are_as_the_record_states_them(formats, fmt: str) -> None:
    rows = formats[fmt]
    for path in RECORDS_DIR.rglob("*.yaml"):
        data = record(path)
        for pointer, row in by_place(rows, path).items():
            text = at_pointer(data, pointer)["value"]
            number, unit = stated(text)
            assert (row["value_text"], row["unit_stated"]) == (text, unit)
            assert Decimal(str(row["value_stated"])) == number
    units = {row["unit_stated"] for row in rows}
    assert {"km^2", "acres", "households", "yuan/person/year"} <= units
    assert not any("**" in unit or "kilometer" in unit for unit in units)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_percentages_are_in_percent(formats, fmt: str) -> None:
    percent = [row for row in formats[fmt] if row["unit_stated"] == "%" and row["value_curated"] is None]
    assert len(percent) > 20
    for row in percent:
        assert row["base_unit"] == "%"
        assert Decimal(str(row["value_base"])) == stated(row["value_text"])[0]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_curated_readings_give_the_base_value(formats, fmt: str) -> None:
    rows = by_place(formats[fmt], YANLING)
    data = record(YANLING)
    acres = [row for pointer, row in rows.items() if at_pointer(data, pointer).get("curated", {}).get("value", "").endswith(" mu")]
    assert acres, "Yanling's acre -> mu readings are exported"
    for row in acres:
        assert (row["unit_stated"], row["unit_curated"], row["base_unit"]) == ("acres", "mu", "m^2")
        assert float(row["value_base"]) == pytest.approx(float(row["value_curated"]) * 10000 / 15, rel=1e-12)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_plans_are_marked(formats, fmt: str) -> None:
    rows = formats[fmt]
    seen = 0
    for path in RECORDS_DIR.rglob("*.yaml"):
        data, exported_rows = record(path), by_place(rows, path)
        for i, observation in enumerate(data.get("observations", [])):
            assert exported_rows[f"/observations/{i}"]["planned"] is bool(observation.get("planned", False))
            seen += bool(observation.get("planned"))
        for i, fund in enumerate(data.get("funds", [])):
            row = exported_rows[f"/funds/{i}/amount"]
            assert (row["planned"], row["stage"], row["level"]) == (fund["stage"] == "planned", fund["stage"], fund.get("level"))
            seen += fund["stage"] == "planned"
        for i, _ in enumerate(data.get("targets", [])):
            assert exported_rows[f"/targets/{i}/target"]["planned"] is True
    assert seen >= 10
    assert all(row["stage"] is None and row["level"] is None for row in rows if row["section"] != "funds")


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_finding_codes_are_lists_empty_where_no_finding_touches_the_figure(formats, fmt: str) -> None:
    rows = formats[fmt]
    assert all(isinstance(row["finding_codes"], list) and isinstance(row["acknowledged_codes"], list) for row in rows)
    # The records' acknowledged findings are at relations: the figures those relations name carry the code.
    touched: dict[tuple[str, str], set[str]] = {}
    for path in (YANLING, ERYUAN):
        data = record(path)
        relations = {relation.get("id"): relation for relation in data["relations"]}
        shares = {share["id"]: share for share in data.get("shares", [])}
        for acknowledgement in data["acknowledged"]:
            at = acknowledgement["at"]
            if at.startswith("shares["):  # a share's finding touches the share and its part and whole
                share = shares[at.removeprefix("shares[").split("]", 1)[0]]
                names = [share["id"], share.get("part"), share.get("whole")]
            elif at.startswith("relations["):
                relation = relations[at.removeprefix("relations[").split("]", 1)[0]]
                names = relation.get("items", []) + [relation.get("part"), relation.get("whole")]
            else:  # a figure's own finding touches it and what the rule compared it with
                names = [at.rsplit("[", 1)[1].rstrip("]"), *COMPARED_WITH[(path.name, acknowledgement["rule"])]]
            for name in names:
                if name:
                    touched.setdefault((path.name, name), set()).add(acknowledgement["rule"])
    assert len(touched) >= 4  # at least the two SUM007 pairs; curation adds more acknowledged relations
    for row in rows:
        codes = touched.get((Path(row["file"]).name, row["quantity_id"]), set())
        assert row["finding_codes"] == row["acknowledged_codes"] == sorted(codes)


# What an acknowledged finding at a figure (not a relation or share) compares it with, read from the record.
COMPARED_WITH = {
    ("eryuan.yaml", "CROSS001"): ["registered-households"],  # the paired 7,322 against the register of 4,290
}


def test_a_finding_inside_a_figure_is_on_its_row(tmp_path: Path) -> None:
    data = record(LUOSHAN)
    copy = tmp_path / "luoshan.yaml"
    original = data["observations"][0]["quote"]
    copy.write_text(LUOSHAN.read_text(encoding="utf-8").replace(original, original + " never said", 1), encoding="utf-8")
    out = tmp_path / "figures.jsonl"
    assert main(["export", str(copy), "--format", "jsonl", "--out", str(out)]) == 0
    rows = {row["pointer"]: row for row in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert "QUOTE001" in rows["/observations/0"]["finding_codes"]
    assert rows["/observations/0"]["acknowledged_codes"] == []
    assert all("QUOTE001" not in row["finding_codes"] for pointer, row in rows.items() if pointer != "/observations/0")


def test_a_figure_cited_to_a_cell_has_its_cell_and_no_quote(tmp_path: Path) -> None:
    from rule_cases import FIXTURE_SEEDS, TODAY, build_record

    from validator.commands.export import export_table

    path = tmp_path / "cells.yaml"
    path.write_text(build_record(
        'schema_version: "1.2"\nsources:\n'
        "  - {id: figures, file: seeds/county-figures.csv, key: code, title: County figures, language: zh}\n"
        "observations:\n"
        '  - {id: poor, metric: registered_poor_people, value: "21,356 people", date: 2014, source: figures,\n'
        '     cell: {row: "520000", column: poor_people}}\n').text, encoding="utf-8")
    [row] = export_table([(path, path.name)], Settings(today=TODAY, seeds_dir=FIXTURE_SEEDS, jobs=1)).rows
    assert (row["quote"], row["source_id"], row["cell_row"], row["cell_column"]) == (None, "figures", "520000", "poor_people")
    assert row["value_base"] == 21356 and row["finding_codes"] == []


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_dates_are_text_at_the_sources_precision(formats, fmt: str) -> None:
    data = record(LUOSHAN)
    rows = by_place(formats[fmt], LUOSHAN)
    for i, fund in enumerate(data["funds"]):
        row = rows[f"/funds/{i}/amount"]
        period = fund.get("period") or {}
        # A fund as of its source's publication (schema 1.2) has the publication date as its date.
        date = data["sources"][0]["published"] if fund.get("date_basis") == "as_of_publication" else fund.get("date")
        assert row["date_as_written"] == (None if date is None else str(date))
        assert (row["period_start"], row["period_end"]) == (
            None if not period else str(period["start"]), None if not period else str(period["end"]))
    assert any(row["period_end"] == "2020" for row in rows.values())


# --- adding money up (issue 13's done-when) ----------------------------------------------------------

def _amount(fund: dict) -> Decimal:
    return stated((fund["amount"].get("curated") or fund["amount"])["value"])[0]


def _parts_in_record(data: dict) -> set[str]:
    parts = {part for fund in data.get("funds", []) for part in fund.get("parts", [])}
    for relation in data.get("relations", []):
        parts |= set(relation.get("parts", [])) if relation["kind"] == "total" else set()
        parts |= {relation["part"]} if relation["kind"] in ("subset", "within") else set()
    return parts


def _duckdb_sum(exported: Path, code: str, stage: str) -> Decimal:
    (total,) = duckdb.sql(
        f"SELECT sum(value_base) FROM '{exported / 'figures.parquet'}' WHERE county_code = ? AND stage = ? "
        "AND base_unit = 'yuan' AND NOT planned AND NOT is_part", params=[code, stage]).fetchall()[0]
    return Decimal(repr(total))


def _stated_totals(data: dict) -> list[dict]:
    """The funds the record states as totals: those made of parts."""
    return [fund for fund in data["funds"] if fund.get("parts")]


def test_luoshan_money_of_one_stage_without_plans_and_parts_is_the_records_own_total(exported: Path) -> None:
    data = record(LUOSHAN)
    (total,) = _stated_totals(data)
    assert total["stage"] == "invested" and _amount(total) == Decimal("583800000")
    assert _duckdb_sum(exported, data["division"]["code"], total["stage"]) == _amount(total)


def test_eryuan_money_of_one_stage_without_plans_and_parts_is_its_total_and_the_money_placed_in_no_total(exported: Path) -> None:
    # The record states 1,060,351,300 yuan received in 2016, made of two parts, and places the relocation
    # project's 241.06 million received within it (issue #22); the donations it places inside no total:
    # the source does not say whether they are part of the 1.06 billion, so both count.
    data = record(ERYUAN)
    (total,) = _stated_totals(data)
    parts = _parts_in_record(data)
    unplaced = [fund for fund in data["funds"] if fund["stage"] == total["stage"] and fund is not total
                and fund["id"] not in parts]
    assert {fund["id"] for fund in unplaced} == {"poverty-day-donations"}
    expected = _amount(total) + sum(_amount(fund) for fund in unplaced)
    assert _duckdb_sum(exported, data["division"]["code"], total["stage"]) == expected
    inside = dict(duckdb.sql(
        f"SELECT quantity_id, value_base FROM '{exported / 'figures.parquet'}' WHERE list_contains(part_of, ?)",
        params=[total["id"]]).fetchall())
    within = {r["part"] for r in data["relations"] if r["kind"] == "within" and r["whole"] == total["id"]}
    assert set(inside) == set(total["parts"]) | within
    assert sum(Decimal(repr(inside[part])) for part in total["parts"]) == _amount(total) == sum(
        _amount(f) for f in data["funds"] if f["id"] in total["parts"])


def test_parts_name_their_wholes(formats) -> None:
    rows = by_place(formats["jsonl"], LUOSHAN)
    data = record(LUOSHAN)
    (total,) = _stated_totals(data)
    for i, fund in enumerate(data["funds"]):
        row = rows[f"/funds/{i}/amount"]
        assert row["part_of"] == ([total["id"]] if fund["id"] in total["parts"] else [])
        assert row["is_part"] is bool(row["part_of"])


# --- the command -------------------------------------------------------------------------------------

def test_a_data_package_or_parquet_needs_an_out(capsys) -> None:
    for fmt in ("datapackage", "parquet"):
        assert main(["export", str(LUOSHAN), "--format", fmt]) == 2
        assert "--out" in capsys.readouterr().err


def test_a_data_package_is_not_written_over_a_file(tmp_path: Path, capsys) -> None:
    target = tmp_path / "package"
    target.write_text("keep me\n", encoding="utf-8")
    assert main(["export", str(LUOSHAN), "--format", "datapackage", "--out", str(target)]) == 2
    assert "not a folder" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "keep me\n"


def test_parquet_without_pyarrow_says_how_to_get_it(tmp_path: Path, capsys, monkeypatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name.startswith("pyarrow"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    assert main(["export", str(LUOSHAN), "--format", "parquet", "--out", str(tmp_path / "x.parquet")]) == 2
    assert "pyarrow" in capsys.readouterr().err
    assert not (tmp_path / "x.parquet").exists()


def test_every_rule_fixture_case_exports_to_a_valid_data_package(tmp_path: Path) -> None:
    """Broken records too (unparsed quantities, items left out of the schema): rows or none, never a traceback."""
    from rule_cases import FIXTURE_SEEDS, TESTS_DIR, TODAY, build_record

    from validator.commands.export import export_table, write_data_package, write_parquet
    from validator.engine import Settings

    files = []
    for spec_path in sorted((TESTS_DIR / "rules").glob("[A-Z]*.yaml")):
        for n, case in enumerate(yaml.safe_load(spec_path.read_text(encoding="utf-8"))["cases"]):
            snippets = case.get("pass", case.get("fail"))
            for m, snippet in enumerate(snippets if isinstance(snippets, list) else [snippets]):
                path = tmp_path / f"{spec_path.stem}-{n}-{m}.yaml"
                path.write_text(build_record(snippet, bool(case.get("whole_file"))).text, encoding="utf-8")
                files.append((path, path.name))
    table = export_table(files, Settings(today=TODAY, seeds_dir=FIXTURE_SEEDS, jobs=1))
    assert len({row["file"] for row in table.rows}) > 100
    assert any(row["value_stated"] is None for row in table.rows), "a quantity that does not parse still has its row"
    assert any(row["finding_codes"] for row in table.rows)
    write_data_package(table, tmp_path / "package")
    report = frictionless.validate(str(tmp_path / "package" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    with open(tmp_path / "figures.parquet", "wb") as stream:
        write_parquet(table, stream)
    assert _described(f"'{tmp_path / 'figures.parquet'}'") == {column.name: column.types.duckdb for column in COLUMNS}
