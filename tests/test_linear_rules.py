"""Rules whose work grows with a record's size stay linear in it: a hostile record of 13,000
observations took 259 s when CROSS004 compared every observation with every other; it now groups them.

Work is counted, not timed: how many (households, people) pairs the rule resolves.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rule_cases import FIXTURE_SEEDS, TODAY
from test_hostile_reads import HEADER
from validator.engine import Settings, run
from validator.rules import crossfigures


def _record(pairs: int, shared_quote: bool) -> str:
    lines = [HEADER.rstrip("\n"), "sources: [{id: s1, file: seeds/fixture.txt, title: Fixture, language: en}]", "observations:"]
    for n in range(pairs):
        quote = "one clause" if shared_quote else f"clause {n}"
        lines.append(f'  - {{id: h{n}, metric: households, value: "1 households", date: 2019, quote: "{quote}", derived: test}}')
        lines.append(f'  - {{id: p{n}, metric: people, value: "3 people", date: 2019, quote: "{quote}", derived: test}}')
    return "\n".join(lines) + "\n"


@pytest.fixture
def resolved(monkeypatch: pytest.MonkeyPatch) -> list:
    calls: list = []
    original = crossfigures.resolve_all
    monkeypatch.setattr(crossfigures, "resolve_all", lambda context, ids: calls.append(ids) or original(context, ids))
    return calls


def _check(tmp_path: Path, text: str) -> list:
    (tmp_path / "r.yaml").write_text(text, encoding="utf-8")
    findings = run([(tmp_path / "r.yaml", "r.yaml")], Settings(today=TODAY, seeds_dir=FIXTURE_SEEDS, jobs=1)).findings
    assert not [f for f in findings if f.code.startswith(("SCHEMA", "YAML"))]  # the rules ran
    return findings


def test_each_household_count_is_paired_only_with_the_people_of_its_own_clause(tmp_path: Path, resolved: list) -> None:
    _check(tmp_path, _record(300, shared_quote=False))
    assert sorted(resolved) == sorted([f"h{n}", f"p{n}"] for n in range(300))


def test_figures_sharing_one_quote_by_the_hundred_are_a_list_not_pairs(tmp_path: Path, resolved: list) -> None:
    # All-against-all would be 90,000 pairs here.
    _check(tmp_path, _record(300, shared_quote=True))
    assert resolved == []


def test_a_clause_with_two_groups_still_pairs_them(tmp_path: Path, resolved: list) -> None:
    _check(tmp_path, _record(2, shared_quote=True))
    assert len(resolved) == 4 <= crossfigures.MAX_PEOPLE_PER_STATEMENT * 2
