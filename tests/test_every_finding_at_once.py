"""A schema error in one item does not hide the rules' findings in the others (docs/yaml.md, "What stops what")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rule_cases import TODAY
from validator.cli import main
from validator.support.paths import REPO_ROOT

HEADER = """\
schema_version: "1.0"
division: {code: "411521", name_en: Luoshan County, name_zh: 罗山县, province: Henan, prefecture: 信阳市}
sources: [{id: s1, file: seeds/004_e71df4d67ebbcf32.txt, title: Luoshan, language: en}]
"""
THREE_MISTAKES = HEADER + """\
observations:
  - id: villages
    metric: poor_villages
    lable: the typo                     # line 7: SCHEMA002
    value: 97 villages
    quote: "97 poor villages"
  - id: relocated
    metric: households
    value: 814 households               # line 12: QUOTE002, 841 in the quote
    quote: "relocate 841 households with 3049 people"
  - id: people
    metric: registered_poor_people
    value: 3049 households              # line 16: UNIT002, people counted as households
    quote: "relocate 841 households with 3049 people"
relations:
  - {id: villages-same, kind: same, items: [villages, villages]}
"""


@pytest.fixture
def record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(REPO_ROOT)
    return tmp_path / "r.yaml"


def findings(record: Path, capsys) -> list[tuple[str, int]]:
    main(["validate", "--format", "json", "--today", TODAY.isoformat(), str(record)])
    return [(f["rule"], f["line"]) for f in json.loads(capsys.readouterr().out)["findings"]]


def test_three_independent_mistakes_in_three_items_are_all_reported(record: Path, capsys) -> None:
    record.write_text(THREE_MISTAKES, encoding="utf-8")
    found = findings(record, capsys)
    assert ("SCHEMA002", 7) in found
    assert ("QUOTE002", 12) in found
    assert ("UNIT002", 16) in found
    # The left-out observation is not reported missing by the relation that names it.
    assert not any(code == "REF002" for code, _ in found)


def test_a_schema_error_outside_the_lists_still_stops_the_record(record: Path, capsys) -> None:
    record.write_text(THREE_MISTAKES.replace("name_en: Luoshan County", "name_en: Luoshan County, lable: x"), encoding="utf-8")
    assert {code for code, _ in findings(record, capsys)} == {"SCHEMA002"}
