"""What rule messages say: a scale slip is named by its factor, a conflict names the other place.

The fixture files (tests/rules/CODE.yaml) pin where a finding is; these pin the part of its message
a curator acts on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rule_cases import run_snippets

INVESTMENT_TOTAL_LOST_ITS_WAN = """\
observations:
  - {id: invest, metric: investment, value: "4,116.52 yuan", quote: "invested 41,165,200 yuan", derived: as translated}
  - {id: central, metric: investment, value: 26.2 million yuan, quote: "26.2 million yuan came from the central government"}
  - {id: province, metric: investment, value: 14.9652 million yuan, quote: "14.9652 million yuan from the province"}
relations:
  - {kind: total, total: invest, parts: [central, province]}
"""


def messages(code: str, snippets: list[str], folder: Path) -> list[str]:
    findings, _ = run_snippets(snippets, folder)
    return [f.message for f in findings if f.code == code]


def test_total_that_misses_its_parts_by_ten_thousand_names_the_factor(tmp_path: Path) -> None:
    [message] = messages("SUM001", [INVESTMENT_TOTAL_LOST_ITS_WAN], tmp_path)
    assert "a factor of 10,000" in message
    assert "万" in message
    assert "4,116.52 yuan" in message


def test_total_that_misses_its_parts_otherwise_asks_to_check_the_quotes(tmp_path: Path) -> None:
    snippet = INVESTMENT_TOTAL_LOST_ITS_WAN.replace('"4,116.52 yuan"', '"40,165,200 yuan"')
    [message] = messages("SUM001", [snippet], tmp_path)
    assert "factor" not in message
    assert "check each figure against its quote" in message


@pytest.mark.parametrize(("code", "snippet", "factor"), [
    ("SUM002", """\
observations:
  - {id: invest, metric: investment, value: "41,165,200 yuan", quote: "invested 41,165,200 yuan"}
  - {id: central, metric: investment, value: 4.12 billion yuan, quote: "invested 41,165,200 yuan", derived: mistyped}
relations:
  - {kind: total, total: invest, parts: [central], complete: false}
""", "a factor of 100 "),
    ("SUM003", """\
observations:
  - {id: people, metric: people, value: 2.6761 people, quote: "26,761 in 2014", derived: as translated}
  - {id: peach, metric: people, value: "26,761 people", quote: "26,761 in 2014"}
relations:
  - {kind: subset, part: peach, whole: people}
""", "a factor of 10,000"),
    ("SUM004", """\
observations:
  - {id: households, metric: households, value: "4,811 households", quote: "A total of 4,811 households"}
  - {id: subsidy, metric: subsidy_per_household, value: "8,556.47 yuan/household", quote: "invested 41,165,200 yuan", derived: test}
  - {id: invest, metric: investment, value: "41,165.2 yuan", quote: "invested 41,165,200 yuan", derived: as translated}
relations:
  - {kind: per_unit, rate: subsidy, count: households, total: invest}
""", "a factor of 1,000 "),
    ("SUM007", """\
observations:
  - {id: a, metric: investment, value: "41,165,200 yuan", quote: "invested 41,165,200 yuan"}
  - {id: b, metric: investment, value: 0.411652 yuan, quote: "invested 41,165,200 yuan", derived: test}
relations:
  - {kind: same, items: [a, b]}
""", "a factor of 100,000,000 (a hundred million (亿))"),
    ("PCT001", """\
observations:
  - {id: peach, metric: households, value: "4,811 households", quote: "A total of 4,811 households"}
  - {id: poor, metric: registered_poor_households, value: "8,164 households", quote: "from 8,164 households"}
shares:
  - {id: s, value: 0.5893 %, part: peach, whole: poor, quote: "4,811 households", derived: test}
""", "a factor of 100 "),
])
def test_scale_slips_are_named(code: str, snippet: str, factor: str, tmp_path: Path) -> None:
    [message] = messages(code, [snippet], tmp_path)
    assert factor in message


def test_plausible_range_is_shown_with_separators(tmp_path: Path) -> None:
    snippet = "observations:\n  - {id: s, metric: subsidy_per_household, value: 0.44 yuan/household, quote: \"to 0.44%\", derived: test}\n"
    [message] = messages("SUM005", [snippet], tmp_path)
    assert "1 to 2,000,000 yuan/household" in message


def test_share_mismatch_shows_the_quotient(tmp_path: Path) -> None:
    snippet = """\
observations:
  - {id: peach, metric: households, value: "4,811 households", quote: "A total of 4,811 households"}
  - {id: poor, metric: registered_poor_households, value: "8,164 households", quote: "from 8,164 households"}
shares:
  - {id: s, value: 16.57 %, part: peach, whole: poor, quote: "from 16.57% in 2014"}
"""
    [message] = messages("PCT001", [snippet], tmp_path)
    assert "58.9197..58.9392 %" in message
    assert "16.57 %" in message


def test_conflict_names_the_earlier_statement(tmp_path: Path) -> None:
    first = 'observations:\n  - {id: a, metric: poor_villages, value: 54 villages, date: 2019, quote: "all 54 poor villages"}\n'
    second = 'observations:\n  - {id: b, metric: poor_villages, value: 45 villages, date: 2019, quote: "all 54 poor villages", derived: test}\n'
    [message] = messages("CONFLICT001", [first, second], tmp_path)
    assert "45 villages here but 54 villages at 0 observations[a].value" in message


def test_duplicate_code_names_the_first_record(tmp_path: Path) -> None:
    division = 'division: {code: "430225", name_en: Yanling County, name_zh: 炎陵县, province: Hunan, prefecture: 株洲市, designations: [national_poverty_county]}\n'
    [message] = messages("CODE001", [division, division], tmp_path)
    assert "code 430225 already has a record: 0" in message


def test_outlier_says_how_far_and_which_way(tmp_path: Path) -> None:
    values = ["8,000", "9,000", "10,000", "11,000", "12,000", "9,500", "10,500", "10"]
    snippet = "observations:\n" + "".join(
        f'  - {{id: v{i}, metric: subsidy_per_household, value: "{v} yuan/household", quote: "8,164 households", derived: test}}\n'
        for i, v in enumerate(values)
    )
    [message] = messages("OUTLIER001", [snippet], tmp_path)
    assert "10 yuan/household is 974.7 times below the corpus median of subsidy_per_household (8 values)" in message
