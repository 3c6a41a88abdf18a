"""Rules that compare a record's figures with each other do work that grows with n log n, not with
every pair, and list a bounded number of findings: a hostile record under 1 MiB made CROSS008 run
42 s and print 491,000 lines, and CROSS001 19 to 39 s on a valid record.

Work is counted (lines the rule's module runs, tests/work_budget.py), never timed: a record four
times larger may cost a little more than four times the work (a sort), never sixteen.
"""

from __future__ import annotations

from pathlib import Path

from rule_cases import FIXTURE_SEEDS, TODAY
from test_hostile_reads import HEADER
from validator.engine import Settings, run
from validator.rules import crossfigures, crossfunds, crossunits
from work_budget import LinesRun

SOURCE = "sources: [{id: s1, file: seeds/fixture.txt, title: Fixture, language: en}]"
QUOTE = "A total of 4,811 households"
# n log n over n, from n to 4n, with room for constant costs; every pair would be 16.
MOST_GROWTH = 7


def _check(folder: Path, text: str, module) -> tuple[list, int]:
    folder.mkdir()
    (folder / "r.yaml").write_text(text, encoding="utf-8")
    with LinesRun(module) as work:
        findings = run([(folder / "r.yaml", "r.yaml")], Settings(today=TODAY, seeds_dir=FIXTURE_SEEDS, jobs=1)).findings
    assert not [f for f in findings if f.code.startswith(("SCHEMA", "YAML"))]  # the rules ran
    return findings, work.count


def _registers_and_groups(count: int, group_households: int) -> str:
    """`count` register figures, one a day from 2014, and as many counts of households lifted out."""
    lines = [HEADER.rstrip("\n"), SOURCE, "observations:"]
    for n in range(count):
        day = f"{2014 + n // 300}-{1 + n % 300 // 28:02d}-{1 + n % 28:02d}"
        lines.append(f'  - {{id: r{n}, metric: registered_poor_households, value: "{1000 + n} households", date: "{day}", '
                     f'quote: "{QUOTE}", derived: test}}')
        lines.append(f'  - {{id: g{n}, metric: households_lifted_out, value: "{group_households} households", date: "{day}", '
                     f'quote: "{QUOTE}", derived: test}}')
    return "\n".join(lines) + "\n"


def test_counts_of_the_registered_are_compared_with_the_register_in_n_log_n(tmp_path: Path) -> None:
    # A valid record: every count lies within the register.
    small, small_work = _check(tmp_path / "small", _registers_and_groups(200, 10), crossfigures)
    large, large_work = _check(tmp_path / "large", _registers_and_groups(800, 10), crossfigures)
    assert not [f for f in small + large if f.code == "CROSS001"]
    assert large_work < MOST_GROWTH * small_work


def test_counts_above_the_register_are_listed_up_to_a_bound_and_the_rest_counted(tmp_path: Path) -> None:
    findings, _ = _check(tmp_path / "r", _registers_and_groups(800, 100_000), crossfigures)
    cross001 = [f for f in findings if f.code == "CROSS001"]
    *listed, summary = cross001
    assert len(cross001) < 100
    assert all("more than the county's register" in f.message for f in listed)
    assert summary.data["unlisted"] == 800 - len(listed)  # every count exceeds its register
    assert f"{800 - len(listed):,} more" in summary.message


def _period_and_year_funds(count: int, year_amount: str) -> str:
    """`count` funds over 2016 to 2020 and as many of 2018, all invested by the county."""
    lines = [HEADER.rstrip("\n"), SOURCE, "funds:"]
    for n in range(count):
        lines.append(f'  - {{id: p{n}, label: invested since 2016, stage: invested, level: county, period: {{start: 2016, end: 2020}}, '
                     f'amount: {{value: "{1_000_000 + n} yuan", quote: "{QUOTE}", derived: test}}}}')
        lines.append(f'  - {{id: y{n}, label: invested in 2018, stage: invested, level: county, date: 2018, '
                     f'amount: {{value: "{year_amount} yuan", quote: "{QUOTE}", derived: test}}}}')
    return "\n".join(lines) + "\n"


def test_period_funds_are_compared_with_one_year_funds_in_n_log_n(tmp_path: Path) -> None:
    small, small_work = _check(tmp_path / "small", _period_and_year_funds(150, "1,000"), crossfunds)
    large, large_work = _check(tmp_path / "large", _period_and_year_funds(600, "1,000"), crossfunds)
    assert not [f for f in small + large if f.code == "CROSS008"]
    assert large_work < MOST_GROWTH * small_work


def test_each_period_fund_is_reported_once_and_the_findings_are_bounded(tmp_path: Path) -> None:
    # Every pair is a finding as written: 360,000 of them.
    findings, work = _check(tmp_path / "r", _period_and_year_funds(600, "90,000,000"), crossfunds)
    cross008 = [f for f in findings if f.code == "CROSS008"]
    *listed, summary = cross008
    assert len(cross008) < 100
    assert len({f.pointer for f in listed}) == len(listed)  # one finding a period fund
    assert summary.data["unlisted"] == 600 - len(listed)


def test_one_number_as_households_and_as_people_many_times_is_listed_up_to_a_bound(tmp_path: Path) -> None:
    # Each households figure is a finding: 2,532 households here, 2,532 people in another clause.
    lines = [HEADER.rstrip("\n"), SOURCE, "observations:",
             '  - {id: people, metric: workers, value: "2,532 people", quote: "A total of 4,811 households"}']
    lines += [f'  - {{id: h{n}, metric: households, value: "2,532 households", quote: "and 26,761 in 2014"}}' for n in range(400)]
    findings, _ = _check(tmp_path / "r", "\n".join(lines) + "\n", crossunits)
    cross007 = [f for f in findings if f.code == "CROSS007"]
    *listed, summary = cross007
    assert len(cross007) < 100
    assert summary.data["unlisted"] == 400 - len(listed)


def _shares_and_registers(count: int) -> str:
    """`count` register figures of different sizes, and as many shares of households lifted out whose
    implied whole (500 at 10 %, 5,000) is far from every one of them."""
    lines = [HEADER.rstrip("\n"), SOURCE, "observations:"]
    for n in range(count):
        lines.append(f'  - {{id: r{n}, metric: registered_poor_households, value: "{1000 + n} households", date: 2014, '
                     f'quote: "{QUOTE}", derived: test}}')
        lines.append(f'  - {{id: g{n}, metric: households_lifted_out, value: "500 households", quote: "{QUOTE}", derived: test}}')
    lines.append("shares:")
    lines += [f'  - {{id: s{n}, value: 10 %, part: g{n}, quote: "{QUOTE}", derived: test}}' for n in range(count)]
    return "\n".join(lines) + "\n"


def test_implied_wholes_are_compared_with_the_register_figures_in_n_log_n(tmp_path: Path) -> None:
    small, small_work = _check(tmp_path / "small", _shares_and_registers(150), crossfigures)
    large, large_work = _check(tmp_path / "large", _shares_and_registers(600), crossfigures)
    *listed, summary = [f for f in large if f.code == "CROSS003"]
    assert summary.data["unlisted"] == 600 - len(listed)
    assert large_work < MOST_GROWTH * small_work


def test_larger_funds_that_cannot_be_the_same_money_are_compared_within_a_budget(tmp_path: Path) -> None:
    # Each one-year fund is larger than each period fund but lies outside every period: sorting finds
    # no first match, so the comparisons stop at the record's budget and the finding says where.
    lines = [HEADER.rstrip("\n"), SOURCE, "funds:"]
    for n in range(600):
        lines.append(f'  - {{id: p{n}, label: invested 2016 to 2018, stage: invested, period: {{start: 2016, end: 2018}}, '
                     f'amount: {{value: "{1000 + n} yuan", quote: "{QUOTE}", derived: test}}}}')
        lines.append(f'  - {{id: y{n}, label: invested in 2019, stage: invested, date: 2019, '
                     f'amount: {{value: "90,000,000 yuan", quote: "{QUOTE}", derived: test}}}}')
    findings, _ = _check(tmp_path / "r", "\n".join(lines) + "\n", crossfunds)
    [stopped] = [f for f in findings if f.code == "CROSS008"]
    assert "were not compared" in stopped.message
    assert stopped.pointer.startswith("/funds/") and stopped.pointer != "/funds/0/amount/value"  # some were compared
