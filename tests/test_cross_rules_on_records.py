"""CROSS007, CROSS008 and CODE004 on the real records: no unacknowledged finding, and each fires on a
copy of a real record changed the way the rule is about (a curated reading taken out, a figure changed)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from rule_cases import FIXTURE_SEEDS, build_record
from validator.engine import Settings, run
from validator.support.findings import LocatedFinding
from validator.support.paths import RECORDS_DIR
from validator.rules import RULE_BY_CODE
from validator.rules.crossunits import RELATED_LIMIT

NEW_CODES = ("CROSS007", "CROSS008", "CODE004")
RECORD_FILES = sorted(RECORDS_DIR.rglob("*.yaml"))
TODAY = date(2026, 11, 22)


def validate(paths: list[Path]) -> list[LocatedFinding]:
    return run([(path, str(path)) for path in paths], Settings(today=TODAY, jobs=1)).findings


@pytest.fixture(scope="module")
def real_findings() -> list[LocatedFinding]:
    return validate(RECORD_FILES)


def record_changed(tmp_path: Path, relative: str, old: str, new: str, *, pattern: bool = False) -> Path:
    """A copy of records/<relative> with `old` (text, or a regular expression) replaced once by `new`."""
    text = (RECORDS_DIR / relative).read_text(encoding="utf-8")
    changed, count = re.subn(old if pattern else re.escape(old), new, text, count=1)
    assert count == 1, f"{old!r} is not in {relative}: the test no longer matches the record"
    path = tmp_path / Path(relative).name
    path.write_text(changed, encoding="utf-8")
    return path


@pytest.mark.parametrize("code", NEW_CODES)
def test_real_records_give_no_unacknowledged_finding(code: str, real_findings: list[LocatedFinding]) -> None:
    assert code in RULE_BY_CODE
    open_findings = [f"{f.file}:{f.line} {f.message}" for f in real_findings if f.code == code and not f.acknowledged]
    assert open_findings == []


# Eryuan's third innovative path: "including 2,532 registered poor households", curated as people.
ERYUAN_2532_CURATED = (
    r"(        quote: \"including 2,532 registered poor households\"\n)        curated:\n(?:          .*\n)+"
)


def test_cross007_eryuan_2532_fires_without_its_curated_reading(tmp_path: Path) -> None:
    path = record_changed(tmp_path, "yunnan/eryuan.yaml", ERYUAN_2532_CURATED, r"\1", pattern=True)
    found = [f for f in validate([path]) if f.code == "CROSS007"]
    assert len(found) == 1
    assert found[0].path.endswith("[workers-exported-registered-2].value")
    assert "workers-exported-registered" in found[0].ids


def test_cross007_eryuan_749_twice_is_left_alone(real_findings: list[LocatedFinding]) -> None:
    # 749 is the relocation sites' people and the social-security households, each stated in its own
    # pair ("175 households and 749 people", "749 households with 787"); the record states both.
    eryuan = (RECORDS_DIR / "yunnan" / "eryuan.yaml").read_text(encoding="utf-8")
    assert "value: 749 households" in eryuan and "value: 749 people" in eryuan
    assert not [f for f in real_findings if f.code == "CROSS007"]


def test_cross007_names_a_bounded_number_of_people_figures(tmp_path: Path) -> None:
    many = 300
    lines = ["observations:"]
    for i in range(many):
        lines.append(f'  - {{id: h{i}, metric: households, value: "2,532 households", quote: "household statement {i}"}}')
        lines.append(f'  - {{id: p{i}, metric: people, value: "2,532 people", quote: "people statement {i}"}}')
    path = tmp_path / "many.yaml"
    path.write_text(build_record("\n".join(lines) + "\n").text, encoding="utf-8")
    result = run([(path, "many.yaml")], Settings(today=TODAY, seeds_dir=FIXTURE_SEEDS, jobs=1))
    *listed, summary = [f for f in result.findings if f.code == "CROSS007"]
    assert summary.data["unlisted"] == many - len(listed)  # every households figure is a finding, most counted
    assert listed and all(len(f.related) == 1 + RELATED_LIMIT for f in listed)


LUOSHAN_2020_ALLOCATED = "      quote: \"the county has allocated another 175 million yuan this year\"\n    stage: allocated\n"


def test_cross008_luoshan_fires_if_the_2020_money_were_invested(tmp_path: Path) -> None:
    # Luoshan reads its county-level investment since 2016 as 1.158 yi (115.8 million) yuan; the 175 million
    # yuan of 2020 are allocated, not invested, so the record gives no finding. Invested, they would exceed it.
    path = record_changed(tmp_path, "henan/luoshan.yaml", LUOSHAN_2020_ALLOCATED,
                          LUOSHAN_2020_ALLOCATED.replace("stage: allocated", "stage: invested"))
    found = [f for f in validate([path]) if f.code == "CROSS008"]
    assert [f.ids for f in found] == [("fund-county-level-since-2016", "fund-allocation-2020")]
    assert found[0].path.endswith("[fund-county-level-since-2016].amount.curated.value")


def test_code004_yanling_fires_without_its_designation(tmp_path: Path) -> None:
    path = record_changed(tmp_path, "hunan/yanling.yaml",
                          "designations: [national_poverty_county, contiguous_poverty_area",
                          "designations: [contiguous_poverty_area")
    found = [f for f in validate([path]) if f.code == "CODE004"]
    assert [(f.pointer, f.data["code"]) for f in found] == [("/division/designations", "430225")]


def test_code004_luoshan_fires_with_a_national_designation(tmp_path: Path) -> None:
    # Luoshan (411521) was a provincial poverty county; it is not on the list of the 832.
    path = record_changed(tmp_path, "henan/luoshan.yaml", "designations: [provincial_poverty_county,",
                          "designations: [national_poverty_county, provincial_poverty_county,")
    found = [f for f in validate([path]) if f.code == "CODE004"]
    assert [(f.pointer, f.data["code"]) for f in found] == [("/division/designations/0", "411521")]
