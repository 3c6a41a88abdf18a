"""The generalisation check: slips injected, one at a time, into records curated from texts of our own writing.

tests/fixtures/seeds holds three short texts written for this check in the style of county reports (two
in Chinese, one as a machine translation); tests/fixtures/generalisation holds a record curated from
each, and slips.yaml six realistic slips for each record (a lost 万, 万元 read as 亿元, people recorded as
households, 三五 read as 35, a qualifier the quote does not say, ...). A curated record must give no
finding (no false alarm), and each slip must be reported, by an error or a warning it did not have.
Measured when written: 18 of 18 slips caught, no false positive.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from rule_cases import FIXTURE_SEEDS, TODAY
from validator.engine import Settings, run
from validator.support.findings import Severity

RECORDS = Path(__file__).parent / "fixtures" / "generalisation"
SLIPS = yaml.safe_load((RECORDS / "slips.yaml").read_text(encoding="utf-8"))
CASES = [(record, slip) for record, slips in SLIPS.items() for slip in slips]


def _reported(text: str, folder: Path) -> set[tuple[str, str]]:
    path = folder / "record.yaml"
    path.write_text(text, encoding="utf-8")
    result = run([(path, "record")], Settings(today=TODAY, seeds_dir=FIXTURE_SEEDS, jobs=1))
    return {(f.code, f.pointer) for f in result.findings if f.severity in (Severity.ERROR, Severity.WARNING)}


@pytest.mark.parametrize("record", sorted(SLIPS))
def test_a_curated_record_of_the_texts_gives_no_finding(record: str, tmp_path: Path) -> None:
    assert _reported((RECORDS / f"{record}.yaml").read_text(encoding="utf-8"), tmp_path) == set()


@pytest.mark.parametrize(("record", "slip"), CASES, ids=[f"{record}-{slip['kind']}" for record, slip in CASES])
def test_each_injected_slip_is_reported(record: str, slip: dict, tmp_path: Path) -> None:
    text = (RECORDS / f"{record}.yaml").read_text(encoding="utf-8")
    assert text.count(slip["find"]) == 1, "the slip must change exactly one place of the record"
    assert _reported(text.replace(slip["find"], slip["replace"]), tmp_path), f"not caught: {slip['kind']}"


def test_the_check_has_six_slips_for_each_of_three_texts() -> None:
    assert len(SLIPS) == 3 and all(len(slips) == 6 for slips in SLIPS.values())
