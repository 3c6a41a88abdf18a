"""QUOTE001 looks for a record's quotes within a bounded amount of searching, and never lets one pass unsearched.

Each look costs up to the source's length: thousands of distinct quotes against an 8 MiB seed took a
minute. A record may take QUOTE_SEARCH_BUDGET_CHARS in all; the budget is set small here so that the
behaviour is seen on the small fixture seed, and the work is asserted, not timed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rule_cases import FIXTURE_SEEDS, TODAY
from test_hostile_reads import HEADER
from validator.engine import Settings, run
from validator.rules import quotes
from validator.support.seeds import fold_whitespace

SEED = fold_whitespace((FIXTURE_SEEDS / "fixture.txt").read_text(encoding="utf-8"))
SOURCES = "sources: [{id: s1, file: seeds/fixture.txt, title: Fixture, language: en}]\n"
# Four clauses that are all in the fixture seed.
CLAUSES = ["all 54 poor villages have withdrawn", "A total of 4,811 households", "14,238 poor people", "from 8,164 households"]
VALUES = ["54 villages", "4,811 households", "14,238 people", "8,164 households"]
METRICS = ["poor_villages", "households", "people", "households"]


def _findings(tmp_path: Path, quoted: list[int]) -> list:
    lines = [f"  - {{id: o{n}, metric: {METRICS[i]}, value: \"{VALUES[i]}\", quote: \"{CLAUSES[i]}\"}}" for n, i in enumerate(quoted)]
    (tmp_path / "r.yaml").write_text(HEADER + SOURCES + "observations:\n" + "\n".join(lines) + "\n", encoding="utf-8")
    result = run([(tmp_path / "r.yaml", "r.yaml")], Settings(today=TODAY, seeds_dir=FIXTURE_SEEDS, jobs=1))
    return [f for f in result.findings if f.code == "QUOTE001"]


def test_the_real_budget_is_far_above_what_a_real_record_takes() -> None:
    # 100 distinct clauses against a 40 KB source: two thousandths of the budget.
    assert 100 * 40_000 * 500 <= quotes.QUOTE_SEARCH_BUDGET_CHARS


def test_quotes_within_the_budget_are_looked_for_as_usual(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(quotes, "QUOTE_SEARCH_BUDGET_CHARS", 4 * len(SEED))
    assert _findings(tmp_path, [0, 1, 2, 3]) == []


def test_quotes_past_the_budget_fail_as_not_looked_for_rather_than_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(quotes, "QUOTE_SEARCH_BUDGET_CHARS", 2 * len(SEED))
    findings = _findings(tmp_path, [0, 1, 2, 3])
    # The first two clauses are searched and found; the other two are in the seed too, but not looked for.
    assert [f.path for f in findings] == ["observations[o2].quote", "observations[o3].quote"]
    assert all("was not looked for" in f.message and f.severity.value == "error" for f in findings)


def test_a_clause_quoted_for_several_figures_is_looked_for_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A budget of one search: the same clause backing four figures costs that one search.
    monkeypatch.setattr(quotes, "QUOTE_SEARCH_BUDGET_CHARS", len(SEED))
    assert _findings(tmp_path, [1, 1, 1, 1]) == []
    assert [f.path for f in _findings(tmp_path, [1, 1, 2])] == ["observations[o2].quote"]
