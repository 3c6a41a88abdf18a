"""Corpus rules told a run's focus (the checked files) may skip work, never findings about the focus.

A one-file run among thousands of records asks each corpus rule only for what concerns that file;
what it reports about the file must be exactly what a full run reports about it.
"""

from __future__ import annotations

import itertools

import pytest

from validator.corpus.facts import CorpusFacts, ObservationFact
from validator.rules import CORPUS_RULES

PER_HOUSEHOLD = (("[currency]", 1.0), ("[household]", -1.0))
VILLAGES = (("[village]", 1.0),)


def _observation(n: int, metric: str, value: float, when: str, dimensionality) -> ObservationFact:
    return ObservationFact(f"/observations/{n}/value", metric, None, when, None, f"{value:g}", value, value,
                           dimensionality, 10 + n, 5, f"observations[o{n}].value")


def _record(code: str, *observations: ObservationFact, name_zh: str = "炎陵县") -> CorpusFacts:
    facts = CorpusFacts("county", code, "Yanling County", name_zh, "Hunan", "株洲市")
    facts.division_positions = {"/division/code": (3, 9)}
    facts.observations = list(observations)
    return facts


def _corpus() -> list[tuple[str, CorpusFacts]]:
    records = [
        # Two records of one code: a duplicate (CODE001) whose villages conflict (CONFLICT001).
        ("records/a.yaml", _record("430225", _observation(0, "poor_villages", 54, "2019", VILLAGES))),
        ("records/b.yaml", _record("430225", _observation(0, "poor_villages", 45, "2019", VILLAGES))),
        ("records/c.yaml", _record("439999")),  # not a code (CODE003)
        ("records/d.yaml", _record("430224", name_zh="茶陵县")),  # names of another code (CODE002)
    ]
    # Nine subsidies near 10,000 yuan a household and one of 10 (OUTLIER001).
    for n, value in enumerate([9_000, 9_500, 10_000, 10_500, 11_000, 9_800, 10_200, 9_900, 10_100, 10]):
        records.append((f"records/s{n}.yaml", _record(f"4302{n:02d}", _observation(1, "subsidy_per_household", value, "", PER_HOUSEHOLD))))
    return sorted(records)


def _concerning(findings, focus: frozenset[str]) -> list[tuple]:
    return sorted((display, f.pointer, f.message) for display, f in findings
                  if display in focus or any(place.file in focus for place in f.related))


def test_the_corpus_makes_every_corpus_rule_fire() -> None:
    # Otherwise the comparison below would pass by comparing nothing.
    facts = _corpus()
    assert [rule.code for rule in CORPUS_RULES if not list(rule.check(facts, None))] == []


@pytest.mark.parametrize("rule", CORPUS_RULES, ids=lambda rule: rule.code)
def test_a_focused_rule_reports_about_the_focus_what_a_full_run_does(rule) -> None:
    facts = _corpus()
    full = list(rule.check(facts, None))
    displays = [display for display, _ in facts]
    for focus in [frozenset([d]) for d in displays] + [frozenset(pair) for pair in itertools.combinations(displays[:5], 2)]:
        assert _concerning(rule.check(facts, focus), focus) == _concerning(full, focus), sorted(focus)
