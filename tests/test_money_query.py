"""The documented query "money invested per county" (docs/export.md), run on DuckDB over an export.

The SQL is read from the documentation, never copied here. Expected sums come from the records: written
by hand for the fixture records, and read with PyYAML for the curated records that state money.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import duckdb
import pytest
import yaml

from rule_cases import FIXTURE_SEEDS, TODAY, build_record
from validator.cli import main
from validator.commands.export import export_table, write_parquet
from validator.engine import Settings
from validator.support.paths import RECORDS_DIR

DOC = Path(__file__).resolve().parents[1] / "docs" / "export.md"
# The curated records that state funds received or invested (tests/test_curation.py style: named files).
MONEY_RECORDS = [RECORDS_DIR / "yunnan" / "eryuan.yaml", RECORDS_DIR / "henan" / "luoshan.yaml",
                 RECORDS_DIR / "hunan" / "yanling.yaml", RECORDS_DIR / "shanxi" / "shenchi.yaml"]
SCALE = {"million": 10**6, "billion": 10**9, "yi": 10**8, "wan": 10**4}


def documented_query(heading: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index(f"\n{heading}\n"):]
    return re.search(r"```sql\n(.*?)```", section, re.DOTALL).group(1)


def invested_and_received(folder: Path, monkeypatch) -> dict[str, tuple[float | None, float | None]]:
    """county code -> (invested, received), by the documented query, run where the export is as the doc says."""
    monkeypatch.chdir(folder)
    rows = duckdb.sql(documented_query("### Money invested per county")).fetchall()
    return {code: (invested, received) for code, _name, invested, received in rows}


# --- fixture records ---------------------------------------------------------------------------

COUNTY = """schema_version: "1.2"
funds:
  - {id: received-all, label: all money received, stage: received, amount: {value: 583.8 million yuan, quote: "583.8 million yuan was invested in all"}}
  - {id: county-invest, label: county money received, stage: received, amount: {value: "41,165,200 yuan", quote: "The county invested 41,165,200 yuan"},
     parts: [central, province], parts_complete: true}
  - {id: central, label: from the centre, stage: received, amount: {value: 26.2 million yuan, quote: "26.2 million yuan came from the central government"}}
  - {id: province, label: from the province, stage: received, amount: {value: 14.9652 million yuan, quote: "14.9652 million yuan from the province"}}
  - {id: invested-all, label: all money invested, stage: invested, amount: {value: 387 million yuan, quote: "累计投入资金3.87亿元"}}
  - {id: invested-all-again, label: all money invested stated again, stage: invested, amount: {value: 387 million yuan, quote: "累计投入资金3.87亿元"}}
  - {id: relocation, label: relocation sites, stage: invested, amount: {value: 215.66 million yuan, quote: "an investment of 215.66 million yuan completed"}}
  - {id: greening, label: campus greening, stage: invested, amount: {value: 7.5 million yuan, quote: "7.5 million yuan was invested in campus greening"}}
  - {id: roads, label: rural roads, stage: invested, amount: {value: 150 million yuan, quote: "the county invested 150 million yuan in rural roads"}}
  - {id: microcredit, label: microcredit lent, stage: invested, amount: {value: 113 million yuan, money_kind: loan, quote: "issued a total of 113 million yuan in microcredits"}}
  - {id: plan, label: a plan, stage: planned, amount: {value: 583.8 million yuan, quote: "583.8 million yuan was invested in all"}}
observations:
  - {id: raised, metric: revenue, value: 30 million yuan, qualifier: more_than, quote: "more than 30 million yuan was raised"}
  - {id: road-money, metric: money, value: 150 million yuan, money_kind: price, quote: "the county invested 150 million yuan in rural roads"}
relations:
  - {kind: within, part: relocation, whole: invested-all, note: the relocation sites are among the projects of all the investment}
  - {kind: within, part: greening, whole: relocation, note: read for the test as lying inside the relocation sites}
  - {kind: within, part: roads, whole: received-all, note: the road money was paid out of the money received}
  - {kind: same, items: [invested-all, invested-all-again]}
"""
OTHER_COUNTY = """schema_version: "1.2"
division: {code: "532930", name_en: Eryuan County, name_zh: 洱源县, province: Yunnan, prefecture: 大理白族自治州}
funds:
  - {id: roads, label: rural roads, stage: invested, amount: {value: 150 million yuan, quote: "the county invested 150 million yuan in rural roads"}}
"""


@pytest.fixture
def fixture_export(tmp_path: Path) -> Path:
    files = []
    for name, snippet in (("county.yaml", COUNTY), ("other.yaml", OTHER_COUNTY)):
        path = tmp_path / name
        path.write_text(build_record(snippet).text, encoding="utf-8")
        files.append((path, name))
    table = export_table(files, Settings(today=TODAY, seeds_dir=FIXTURE_SEEDS, jobs=1))
    assert {row["file"] for row in table.rows} == {"county.yaml", "other.yaml"}, "both fixture records export"
    with open(tmp_path / "figures.parquet", "wb") as stream:
        write_parquet(table, stream)
    return tmp_path


def test_each_yuan_of_a_stage_counts_once(fixture_export: Path, monkeypatch) -> None:
    # Invested: 387 million (with the relocation sites and, inside them, the greening), stated twice, plus the
    # 150 million of roads, which lie inside money received, not inside money invested. Not the loan, the price,
    # the income or the plan. Received: 583.8 million and the 41,165,200 yuan made of two parts.
    sums = invested_and_received(fixture_export, monkeypatch)
    invested, received = sums["430225"]
    assert invested == pytest.approx(387e6 + 150e6, rel=1e-12)
    assert received == pytest.approx(583.8e6 + 41_165_200, rel=1e-12)
    assert sums["532930"] == (pytest.approx(150e6, rel=1e-12), None)


def test_the_query_is_what_it_says_against_the_simple_is_part_sum(fixture_export: Path, monkeypatch) -> None:
    # Leaving out every is_part row would lose the roads, whose whole is at another stage: the query must not.
    monkeypatch.chdir(fixture_export)
    (is_part_sum,) = duckdb.sql(
        "SELECT sum(value_base) FROM 'figures.parquet' WHERE county_code = '430225' AND money_kind = 'fund' "
        "AND stage = 'invested' AND NOT is_part AND repeat_of IS NULL").fetchall()[0]
    assert is_part_sum == pytest.approx(387e6, rel=1e-12)
    assert invested_and_received(fixture_export, monkeypatch)["430225"][0] > is_part_sum



def test_the_documented_sum_by_stage_keeps_funds_only(fixture_export: Path, monkeypatch) -> None:
    # Income, a price and a loan are in yuan too, and the first two have no stage: none is a county's funds.
    monkeypatch.chdir(fixture_export)
    rows = duckdb.sql(documented_query("## Adding figures up")).fetchall()
    assert [(name, stage) for name, stage, _ in rows] == [("Eryuan County", "invested"), ("Yanling County", "invested"),
                                                          ("Yanling County", "received")]
    sums = {(name, stage): yuan for name, stage, yuan in rows}
    assert sums[("Yanling County", "invested")] == pytest.approx(387e6, rel=1e-12)
    assert sums[("Yanling County", "received")] == pytest.approx(583.8e6 + 41_165_200, rel=1e-12)

# --- the curated records that state money --------------------------------------------------------

def _yuan(quantity: dict) -> float:
    text = (quantity.get("curated") or quantity)["value"]
    number, *words = text.replace(",", "").split()
    return float(number) * math.prod(SCALE.get(word, 1) for word in words)


def _expected(record: dict) -> dict[str, float]:
    """stage -> the yuan of that stage, each once: funds (not loans), not inside a fund of their stage."""
    funds = {fund["id"]: fund for fund in record.get("funds", [])
             if fund["stage"] in ("invested", "received") and fund["amount"].get("money_kind", "fund") == "fund"}
    wholes: dict[str, set[str]] = {}
    for fund in record.get("funds", []):
        for part in fund.get("parts", []):
            wholes.setdefault(part, set()).add(fund["id"])
    for relation in record.get("relations", []):
        if relation["kind"] == "total":
            for part in relation["parts"]:
                wholes.setdefault(part, set()).add(relation["total"])
        elif relation["kind"] in ("subset", "within"):
            wholes.setdefault(relation["part"], set()).add(relation["whole"])

    def inside_own_stage(fund_id: str, stage: str, seen: frozenset = frozenset()) -> bool:
        for whole in wholes.get(fund_id, ()):
            if whole in seen:
                continue
            if whole in funds and funds[whole]["stage"] == stage or inside_own_stage(whole, stage, seen | {whole}):
                return True
        return False

    sums: dict[str, float] = {}
    for fund_id, fund in funds.items():
        if not inside_own_stage(fund_id, fund["stage"]):
            sums[fund["stage"]] = sums.get(fund["stage"], 0.0) + _yuan(fund["amount"])
    return sums


@pytest.fixture(scope="module")
def curated_export(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("money")
    assert main(["export", *map(str, MONEY_RECORDS), "--format", "parquet", "--out", str(folder / "figures.parquet")]) == 0
    return folder


@pytest.mark.parametrize("path", MONEY_RECORDS, ids=lambda path: path.stem)
def test_curated_records_money_per_county_is_their_own_and_invested_is_not_more_than_received(
        curated_export: Path, path: Path, monkeypatch) -> None:
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    expected = _expected(record)
    invested, received = invested_and_received(curated_export, monkeypatch).get(record["division"]["code"], (None, None))
    assert invested == (pytest.approx(expected["invested"], rel=1e-12) if "invested" in expected else None)
    assert received == (pytest.approx(expected["received"], rel=1e-12) if "received" in expected else None)
    if invested is not None and received is not None:
        assert invested <= received, f"{path.name}: {invested:,.0f} yuan invested, {received:,.0f} received"


# Microcredit, wherever a record states it, is lent money (issue #22): a fund of loan money or a loans output.
MICROCREDIT = [("henan/luoshan.yaml", "microcredit-issued"), ("hunan/yanling.yaml", "fund-entrusted-microcredit"),
               ("shanxi/shenchi.yaml", "microloans-issued")]


@pytest.mark.parametrize(("relative", "quantity_id"), MICROCREDIT, ids=[q for _, q in MICROCREDIT])
def test_microcredit_is_a_loan_in_every_record(curated_export: Path, relative: str, quantity_id: str, monkeypatch) -> None:
    monkeypatch.chdir(curated_export)
    kinds = duckdb.sql("SELECT money_kind FROM 'figures.parquet' WHERE file LIKE ? AND quantity_id = ?",
                       params=[f"%{relative}", quantity_id]).fetchall()
    assert kinds == [("loan",)]


# --- what the export carries ---------------------------------------------------------------------

def test_the_export_carries_the_kind_and_the_within_relations(tmp_path: Path) -> None:
    from validator.commands.export import write_data_package

    path = tmp_path / "county.yaml"
    path.write_text(build_record(COUNTY).text, encoding="utf-8")
    table = export_table([(path, "county.yaml")], Settings(today=TODAY, seeds_dir=FIXTURE_SEEDS, jobs=1))
    rows = {row["quantity_id"]: row for row in table.rows}
    assert (rows["roads"]["money_kind"], rows["roads"]["is_part"], rows["roads"]["part_of"]) == ("fund", True, ["received-all"])
    assert rows["greening"]["part_of"] == ["relocation"]
    assert [rows[q]["money_kind"] for q in ("microcredit", "raised", "road-money")] == ["loan", "income", "price"]
    written = write_data_package(table, tmp_path / "package")
    descriptor = yaml.safe_load(next(p for p in written if p.suffix == ".json").read_text(encoding="utf-8"))
    fields = {field["name"]: field for field in descriptor["resources"][0]["schema"]["fields"]}
    assert set(fields["money_kind"]["constraints"]["enum"]) == {"fund", "income", "loan", "standard", "price"}
    assert "money_kind" in descriptor["description"] and "within" in fields["is_part"]["description"]
