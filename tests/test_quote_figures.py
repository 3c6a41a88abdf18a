"""QUOTE002 compares quantities: the figures a quote writes (number, scale word, unit word, qualifiers) and what
the message says of a value that is none of them."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from rule_cases import run_snippets
from validator.record.quote_figures import figures_in_quote


def _figures(quote: str) -> list[tuple[str, set[Decimal], str | None]]:
    return [(f.written, set(f.matches), f.unit_word) for f in figures_in_quote(quote)]


@pytest.mark.parametrize(("quote", "written", "matches", "unit_word"), [
    ("全县种植茶叶5.5万亩", "5.5万亩", {55_000}, "亩"),
    ("减少贫困人口2456户5401人", "5401人", {5401}, "人"),
    ("helped 80,000 farmers find work", "80,000 farmers", {80_000}, "farmers"),
    ("lifted 1,200 registered poor households out of poverty", "1,200 registered poor households", {1200}, "households"),
    ("the county invested 150 million yuan", "150 million yuan", {150_000_000}, "yuan"),
    ("incidence fell to 16.57%", "16.57%", {Decimal("16.57")}, "%"),
    ("全年培训４０多人次", "40多人次", {40, 41, 49, 50}, "人次"),
    ("新发展合作社4700多家", "4700多家", {4700, 4701, 4799, 4800}, "家"),
    ("转移就业1.2万余人", "1.2万余人", {12_000, 12_001, 12_999, 13_000}, "人"),
    ("每村有三五个致富带头人", "三五个", {3, 5}, "个"),
    ("村里七八十人外出务工", "七八十人", {70, 80}, "人"),
    ("建成十几个村", "十几个村", {10, 11, 19, 20}, "个村"),
    ("带动十多万人增收", "十多万人", {100_000, 100_001, 199_999, 200_000}, "人"),
    ("吸纳上万人就业", "上万人", {10_000}, "人"),
    # 成 counts tenths: nine tenths is 90 %, not the numeral 9.
    ("县域内就诊率达九成", "九成", {90}, "成"),
    ("八成以上的贫困户参加合作社", "八成", {80}, "成"),
])
def test_a_figure_is_read_with_its_scale_word_idiom_and_unit(quote, written, matches, unit_word) -> None:
    figures = _figures(quote)
    assert (written, {Decimal(m) for m in matches}, unit_word) in figures, figures


@pytest.mark.parametrize("quote", [
    "一是压实责任，二是强化一线指挥，第三批驻村干部到位",
    "坚持一村一品，落实两不愁三保障，一把手负总责，推进一体化",
    "“十三五”期间一批项目落地",
    "帮扶政策一成不变",
])
def test_words_that_hold_numerals_but_count_nothing_are_no_figure(quote) -> None:
    assert figures_in_quote(quote) == ()


@pytest.mark.parametrize(("quote", "modifier"), [
    ("10 township cultural stations were built", "township"),
    ("develop 630 farmers' professional cooperatives", "farmers'"),
    ("121 family doctor teams", "family"),
])
def test_a_noun_that_modifies_another_is_no_unit(quote, modifier) -> None:
    [figure] = figures_in_quote(quote)
    assert figure.unit_word is None, modifier


def _messages(snippet: str, folder: Path) -> list[str]:
    findings, _ = run_snippets([snippet], folder)
    return [f.message for f in findings if f.code == "QUOTE002"]


@pytest.mark.parametrize(("value", "quote", "said"), [
    ("5.5亩", "发展特色产业5.5万亩", ["the quote writes 5.5万亩", "the value says 5.5亩", "was 万 lost?"]),
    ("10人", "累计转移农村劳动力10万人", ["the quote writes 10万人", "was 万 lost?"]),
    ("1945.52亿元", "统筹整合资金1945.52万元", ["the quote writes 1945.52万元", "亿"]),
    ("150 billion yuan", "invested 150 million yuan", ["the quote writes 150 million yuan", "billion"]),
    ("5401户", "减少贫困人口2456户5401人", ["the quote writes 5401人", "the value says 5401户"]),
    ("16.57 billion yuan", "fell from 16.57% to 0.43%", ["the quote writes 16.57%"]),
])
def test_the_message_names_what_the_quote_writes(tmp_path: Path, value: str, quote: str, said: list[str]) -> None:
    snippet = f'observations:\n  - {{id: a, metric: money, value: "{value}", quote: "{quote}"}}\n'
    [message] = _messages(snippet, tmp_path)
    for words in said:
        assert words in message


def test_reading_a_long_quote_is_linear(tmp_path: Path) -> None:
    import time

    pieces = ["一是", "40多户", "三五个", "上万人", "1,200 registered poor households", "more than a dozen ", "第三", "不超过25平方米"]
    text = "，".join(pieces) * 2_000
    started = time.perf_counter()
    figures = figures_in_quote.__wrapped__(text)
    elapsed = time.perf_counter() - started
    assert len(figures) >= 6 * 2_000
    assert elapsed < 5.0


@pytest.mark.parametrize("quote", ["多多多", "上", "数", "十几几", "40多万余", "1.2万余", "三四十五", "上十", "两两", "万万亿", ""])
def test_odd_runs_read_without_an_exception(quote: str) -> None:
    for figure in figures_in_quote(quote):
        assert all(number.is_finite() for number in figure.matches)


def test_a_value_written_as_more_than_matches_its_figure_and_reads_as_its_range() -> None:
    from validator.record.quantities import interval_of, parse_quantity

    parsed = parse_quantity("40多人")
    interval = interval_of(parsed, "exact")
    assert (interval.low, interval.high) == (40.0, 50.0)
    [figure] = figures_in_quote("村里40多人就业")
    assert parsed.number in figure.matches
