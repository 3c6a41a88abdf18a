"""Numbers as sources write them (issue 11): compound scale phrases, number words, Chinese numerals and units.

The acceptance tests run the command on records in a scratch repository whose seeds are the fixture
seeds tests/fixtures/seeds/translated-numbers.txt (a machine translation) and chinese.txt (a source in
Chinese, hard-wrapped inside a word). The unit tests below them pin each form the reader reads, the
rounding it gives, and that the reading stays linear, bounded and free of any exception but QuantityError.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from rule_cases import FIXTURE_SEEDS, TODAY
from test_hostile_input import HANG_LIMIT_SECONDS
from validator.record import number_words, numbers, quantities
from validator.record.numbers import QUOTE, number_at, numbers_in_text
from validator.support.passages import closest_passage, reset_process_budget
from validator.support.paths import REPO_ROOT
from validator.record.quantities import Interval, QuantityError, interval_of, parse_quantity, parse_unit
from validator.support.seeds import SeedText, fold_whitespace, fold_width
from work_budget import CountingPattern

DIVISION = (
    'schema_version: "1.0"\n'
    "division: {code: \"430225\", name_en: Yanling County, name_zh: 炎陵县, province: Hunan, prefecture: 株洲市, "
    "designations: [national_poverty_county]}\n"
)
TRANSLATED_SOURCE = (
    "sources:\n"
    "  - {id: s1, file: seeds/translated-numbers.txt, title: Poverty alleviation in 2019, published: \"2020-06-01\",\n"
    "     language: en, translated_from: zh, machine_translated: true}\n"
)
CHINESE_SOURCE = (
    "sources:\n"
    "  - {id: s1, file: seeds/chinese.txt, title: 2019年脱贫攻坚工作总结, published: \"2020-06-01\", language: zh}\n"
)


def translated_record(road_value: str) -> str:
    """What a curator writes from the translation: the figure as the source writes it, and no `derived:`."""
    return DIVISION + TRANSLATED_SOURCE + (
        "observations:\n"
        "  - id: road-investment\n"
        "    metric: investment\n"
        f"    value: {road_value}\n"
        "    date: 2019\n"
        "    quote: \"the county invested 5 million 700 thousand yuan in hardening the roads of poor villages\"\n"
        "  - id: funds-received-2019\n"
        "    metric: money\n"
        "    label: poverty alleviation funds received\n"
        "    value: 36,402,800 yuan\n"
        "    date: 2019\n"
        "    quote: \"the poverty alleviation funds it received that year reached 36 million 402 thousand and 800 yuan\"\n"
    )


def chinese_record(peach_value: str) -> str:
    return DIVISION + CHINESE_SOURCE + (
        "observations:\n"
        "  - id: peach-area\n"
        "    metric: area_planted\n"
        f"    value: {peach_value}\n"
        "    date: 2019\n"
        "    quote: \"全县种植黄桃4.28万亩\"\n"
    )


def words_record(value: str, quote: str) -> str:
    return DIVISION + TRANSLATED_SOURCE + (
        "observations:\n"
        "  - id: counted\n"
        "    metric: households\n"
        f"    value: {value}\n"
        f"    quote: \"{quote}\"\n"
    )


@pytest.fixture(scope="module")
def scratch_repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """schema/ of this repository, and seeds/ holding the two fixture seeds with their index entries."""
    root = tmp_path_factory.mktemp("numbers") / "repo"
    shutil.copytree(REPO_ROOT / "schema", root / "schema")
    (root / "seeds").mkdir()
    fixture_index = yaml.safe_load((FIXTURE_SEEDS / "index.yaml").read_text(encoding="utf-8"))["sources"]
    entries = [entry for entry in fixture_index if entry["file"] in ("translated-numbers.txt", "chinese.txt")]
    assert len(entries) == 2
    for entry in entries:
        shutil.copyfile(FIXTURE_SEEDS / entry["file"], root / "seeds" / entry["file"])
    (root / "seeds" / "index.yaml").write_text(yaml.safe_dump({"sources": entries}, allow_unicode=True), encoding="utf-8")
    (root / "records").mkdir()
    return root


def validate(root: Path, record: str) -> tuple[int, list[tuple[str, int, int]]]:
    """Run `county-records validate` on the record in the scratch repository: (exit status, [(rule, line, column)])."""
    path = root / "records" / "record.yaml"
    path.write_text(record, encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "validator", "validate", "--format", "json", "--today", TODAY.isoformat(), "records/record.yaml"],
        cwd=root, capture_output=True, text=True, timeout=HANG_LIMIT_SECONDS,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT), "COUNTY_RECORDS_CACHE_DIR": ""},
    )
    assert "Traceback" not in completed.stderr, completed.stderr
    report = json.loads(completed.stdout)
    return completed.returncode, [(f["rule"], f["line"], f["column"]) for f in report["findings"]]


def _line_of(record: str, text: str) -> int:
    return record[: record.index(text)].count("\n") + 1


# --- done when: the acceptance tests of issue 11, end to end -------------------------------------------

def test_a_figure_as_the_translation_writes_it_validates_without_derived(scratch_repository: Path) -> None:
    record = translated_record("5 million 700 thousand yuan")
    assert "derived:" not in record
    assert validate(scratch_repository, record) == (0, [])


def test_the_same_figure_changed_to_57_million_fails_quote002(scratch_repository: Path) -> None:
    record = translated_record("57 million yuan")
    status, findings = validate(scratch_repository, record)
    assert status == 1
    assert findings == [("QUOTE002", _line_of(record, "57 million yuan"), 12)]


def test_a_figure_of_a_chinese_source_validates(scratch_repository: Path) -> None:
    # The quote crosses the source's line break: "4.28万" ends one line, "亩" starts the next.
    assert "4.28万\n亩" in (FIXTURE_SEEDS / "chinese.txt").read_text(encoding="utf-8")
    assert validate(scratch_repository, chinese_record("4.28 wan mu")) == (0, [])


def test_a_figure_of_a_chinese_source_with_the_wrong_scale_fails_quote002(scratch_repository: Path) -> None:
    record = chinese_record("42.8 wan mu")
    status, findings = validate(scratch_repository, record)
    assert status == 1
    assert findings == [("QUOTE002", _line_of(record, "42.8 wan mu"), 12)]


@pytest.mark.parametrize(("value", "quote", "matches"), [
    ("25 cooperatives", "twenty-five cooperatives were set up", True),
    ("54 villages", "All fifty-four poor villages have withdrawn", True),
    ("50 households", "more than half of the poor households", False),
])
def test_number_words_in_a_quote(scratch_repository: Path, value: str, quote: str, matches: bool) -> None:
    metric = {"cooperatives": "cooperatives", "villages": "poor_villages", "households": "households"}[value.split()[1]]
    record = words_record(value, quote).replace("metric: households", f"metric: {metric}")
    status, findings = validate(scratch_repository, record)
    assert (status, findings) == ((0, []) if matches else (1, [("QUOTE002", _line_of(record, value), 12)]))


# --- every form read, in a quote and in a value, the same way ----------------------------------------------

@pytest.mark.parametrize(("text", "number"), [
    ("41,165,200 yuan", "41165200"),
    ("1.34 million yuan", "1340000"),
    ("4116.52 ten thousand yuan", "41165200"),
    ("4.28 wan mu", "42800"),
    ("5 million 700 thousand yuan", "5700000"),
    ("36 million 402 thousand and 800 yuan", "36402800"),
    ("1 yi 2,000 wan yuan", "120000000"),
    ("fifty-four villages", "54"),
    ("twenty-five cooperatives", "25"),
    ("twenty five cooperatives", "25"),
    ("one hundred and twenty people", "120"),
    ("two thousand and ten households", "2010"),
    ("ten thousand yuan", "10000"),
    ("a dozen households", "12"),
    ("4.28万亩", "42800"),
    ("10.603513亿元", "1060351300"),
    ("3万6千元", "36000"),
    ("1亿2000万元", "120000000"),
    ("五十四个", "54"),
    ("两千户", "2000"),
    ("三万六千四百零二人", "36402"),
])
def test_a_value_and_a_quote_read_the_same_number(text: str, number: str) -> None:
    assert parse_quantity(text).number == Decimal(number)
    assert Decimal(number) in numbers_in_text(f"it says {text} here")


@pytest.mark.parametrize("quote", [
    "more than half of the poor households",
    "the income doubled, and double the output",
    "twice as many households",
])
def test_half_double_and_twice_state_no_figure(quote: str) -> None:
    assert numbers_in_text(quote) == set()


@pytest.mark.parametrize(("quote", "numbers_read"), [
    # A scale must fall and the next part must fit under it; else the parts are numbers of their own.
    ("5 million 2,000 thousand yuan", {5, 5_000_000, 2_000, 2_000_000}),
    ("5 thousand 7 million yuan", {5, 5_000, 7, 7_000_000}),
    # A part without a scale word joins only after 'thousand and', as English writes it.
    ("5 million and 700 households", {5, 5_000_000, 700}),
    ("5 thousand 300 households", {5, 5_000, 300}),
    # Each part of a compound is an integer: a decimal has its scale word and stands alone.
    ("1.5 million 300 thousand yuan", {Decimal("1.5"), 1_500_000, 300, 300_000}),
    # Words follow English grammar: scales fall, 'hundred' once in a group.
    ("one million two million", {1_000_000, 2_000_000}),
    ("one thousand two hundred three thousand", {1_000, 203_000}),
    ("one hundred two hundred", {100, 200}),
    ("fifty sixty", {50, 60}),
    ("fifty-four, sixty", {54, 60}),
    # 千 before 瓦 (kilowatt), 克, 米 is the unit's kilo-, not a thousand.
    ("装机容量100千瓦", {100}),
    ("装机容量三千瓦", {3}),
    ("10万千瓦", {10, 100_000}),
])
def test_what_is_not_one_number(quote: str, numbers_read: set) -> None:
    assert numbers_in_text(quote) == {Decimal(number) for number in numbers_read}


@pytest.mark.parametrize(("text", "half_width"), [
    ("5,700,000 yuan", "0.5"),  # a round number is exact to its last written digit
    ("5.7 million yuan", "50000"),  # a scale word applies to the decimal before it
    ("700 thousand yuan", "500"),
    ("5 million 700 thousand yuan", "500"),  # a compound is exact to its last part's scale
    ("36 million 402 thousand and 800 yuan", "0.5"),
    ("1 yi 2,000 wan yuan", "5000"),
    ("4.28万亩", "50"),
    ("10.603513亿元", "50"),
    ("twenty households", "5"),  # words name their places: rounded at the last one
    ("fifty-four villages", "0.5"),
    ("one hundred and twenty people", "5"),
    ("two thousand households", "500"),
    ("两千户", "500"),
    ("三万六千四百零二人", "0.5"),
])
def test_rounding_is_half_the_last_written_place(text: str, half_width: str) -> None:
    assert parse_quantity(text).half_width == Decimal(half_width)


def test_the_interval_of_a_compound_is_that_of_its_last_part() -> None:
    interval = interval_of(parse_quantity("5 million 700 thousand yuan"), "exact")
    assert (interval.low, interval.high) == (5_699_500.0, 5_700_500.0)
    assert interval.overlaps(interval_of(parse_quantity("5,700,499 yuan"), "exact"))
    assert not interval.overlaps(interval_of(parse_quantity("5,700,501 yuan"), "exact"))


def test_chinese_unit_names_are_the_english_units() -> None:
    for chinese, english in [("元", "yuan"), ("亩", "mu"), ("户", "household"), ("人", "person"), ("个", "item"),
                             ("公里", "km"), ("平方米", "m2"), ("千瓦", "kW"), ("元/户", "yuan/household"), ("元/人", "yuan/person")]:
        assert parse_unit(chinese) == parse_unit(english), chinese
    assert parse_quantity("4.28万亩").unit == parse_quantity("4.28 wan mu").unit
    assert parse_quantity("10万千瓦").base_value == parse_quantity("100,000 kW").base_value


def test_an_unknown_chinese_unit_is_a_quantity_error() -> None:
    with pytest.raises(QuantityError, match="unknown unit `英亩`"):
        parse_quantity("3英亩")


def test_values_keep_the_case_they_are_written_in_and_quotes_fold_ascii_case() -> None:
    with pytest.raises(QuantityError):
        parse_quantity("Fifty-four villages")
    assert numbers_in_text("Fifty-Four villages") == {Decimal(54)}
    assert numbers_in_text("FİFTY villages") == set()  # dotted capital I: ASCII case only


def test_a_quantity_in_words_or_chinese_keeps_its_number_as_written() -> None:
    parsed = parse_quantity("5 million 700 thousand yuan")
    assert (parsed.number_text, parsed.scale_word, parsed.unscaled) == ("5 million 700 thousand", None, Decimal(5_700_000))
    parsed = parse_quantity("4.28万亩")
    assert (parsed.number_text, parsed.scale_word, parsed.unscaled, parsed.written) == ("4.28", "万", Decimal("4.28"), "4.28万")


# --- Chinese quotes are found as written ------------------------------------------------------------

@pytest.mark.parametrize(("source", "quote"), [
    ("全县种植黄桃4.28万\n亩，带动", "种植黄桃4.28万亩"),  # a line break inside a word
    ("全县共有 54 个贫困村", "共有54个贫困村"),  # spaces a typesetter put round a number
    ("全县共有54个贫困村", "共有 54 个贫困村"),
    ("all 54 poor\n  villages", "all 54 poor villages"),  # English folds as before
])
def test_whitespace_beside_chinese_characters_folds_away(source: str, quote: str) -> None:
    assert fold_whitespace(quote) in fold_whitespace(source)


def test_english_words_stay_apart_after_folding() -> None:
    assert fold_whitespace("all 54 poorvillages") not in fold_whitespace("all 54 poor villages")
    assert fold_whitespace("炎陵县 county") == "炎陵县county"


WHITESPACE_TEXT = st.lists(st.sampled_from(["字", "亩", "，", "a", "b", "5", " ", "  ", "\n", "\t", "\u3000", "\n\n "]), max_size=30).map("".join)


@settings(max_examples=500, deadline=None, derandomize=True)
@given(WHITESPACE_TEXT)
def test_every_folded_character_is_placed_on_its_line_and_column(raw: str) -> None:
    folded = fold_whitespace(raw)
    seed = SeedText(folded, "", raw)
    lines = raw.split("\n")
    for offset, character in enumerate(folded):
        line, column = seed.position_of(offset)
        placed = lines[line - 1][column - 1:column] or "\n"
        assert placed == character or fold_width(placed) == character or (character == " " and placed.isspace()), (offset, character, placed)


def test_a_mistyped_chinese_quote_names_its_closest_passage() -> None:
    raw = (FIXTURE_SEEDS / "chinese.txt").read_text(encoding="utf-8")
    seed = SeedText(fold_whitespace(raw), "sha-of-chinese-fixture", raw)
    found = closest_passage(seed, "带动贫困户两千户、贫困人口三万六千四百零三人增收", reset_process_budget())
    assert found.passage is not None and found.passage.startswith("带动贫困户两千户")


# --- bounded and linear ---------------------------------------------------------------------------

PATHOLOGICAL_TEXTS = {
    "number_words": "fifty " * 20_000,
    "hyphenated_words": "fifty-four-" * 10_000,
    "words_and_and": "one hundred and " * 10_000,
    "falling_scales_again_and_again": "one million two million " * 5_000,
    "articles": "a " * 50_000,
    "compound_parts": "5 million 700 thousand and " * 5_000,
    "scale_then_spaces": "5 million" + " " * 200_000 + "700 thousand yuan",
    "chinese_numerals": "五" * 200_000,
    "chinese_numerals_and_kilowatts": "三千瓦" * 30_000,
    "digits_and_wan": "1万" * 50_000,
}
COUNTED = ((numbers, "_SPACES"), (numbers, "_DIGITS"), (numbers, "_NUMBER_START"), (number_words, "_SPACES"),
           (number_words, "_LETTERS"), (quantities, "_SPACES"))


@pytest.mark.parametrize("text", PATHOLOGICAL_TEXTS.values(), ids=PATHOLOGICAL_TEXTS.keys())
def test_reading_numbers_is_linear_in_the_text(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    budget, evaluations = [0], [0]
    for module, name in COUNTED:
        monkeypatch.setattr(module, name, CountingPattern(getattr(module, name), budget))
    text2num = number_words._text2num()

    def counting_text2num(phrase: str, language: str) -> int:
        evaluations[0] += 1
        return text2num(phrase, language)

    monkeypatch.setattr(number_words, "_text2num", lambda: counting_text2num)
    numbers_in_text(text)
    try:
        parse_quantity(text)
    except QuantityError:
        pass
    assert budget[0] <= 8 * len(text) + 10
    assert evaluations[0] <= len(text) // 4  # at most one evaluation per number in words


def test_chinese_numerals_are_evaluated_once_per_run_and_long_runs_not_at_all(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    evaluate = number_words._cn2an()
    number_words.chinese_numeral_value.cache_clear()  # values read by earlier tests would not reach cn2an
    monkeypatch.setattr(number_words, "_cn2an", lambda: lambda numeral, mode: calls.append(numeral) or evaluate(numeral, mode))
    assert numbers_in_text("五" * 10_000 + "，两千户，三万六千四百零二人") == {Decimal(2000), Decimal(36402)}
    assert calls == ["两千", "三万六千四百零二"]


def test_digits_only_never_import_the_number_word_libraries() -> None:
    program = (
        "import sys\n"
        "from validator.record.numbers import numbers_in_text\n"
        "from validator.record.quantities import scan_quantity\n"
        "numbers_in_text('decreased from 8,164 households and 26,761 in 2014 to 403, one household and 4.28万亩')\n"
        "scan_quantity('5 million 700 thousand yuan')\n"
        "print('text_to_num' in sys.modules, 'cn2an' in sys.modules)\n"
    )
    completed = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, cwd=REPO_ROOT,
                               timeout=HANG_LIMIT_SECONDS, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
    assert completed.stdout.split() == ["False", "False"], completed.stderr


# Pieces of every new form, and pieces that break them, to be put together at random.
NUMBER_PIECES = st.sampled_from([
    "0", "5", "57", "700", "402", "1,000", "4.28", "10.603513", ".", ",", "-", "+", " ", "  ", "\n", " and ",
    "k", "thousand", "million", "billion", "wan", "yi", "ten thousand", "hundred million",
    "a", "one", "twenty", "five", "fifty", "-four", "hundred", "dozen", "half", "Twenty", "zero",
    "万", "亿", "千", "百", "两", "三", "零", "〇", "十", "瓦", "亩", "元", "户",
    " yuan", " mu", " households", " %", "/", "km", "kW", "x",
])
NUMBER_TEXT = st.lists(NUMBER_PIECES, max_size=14).map("".join)


@settings(max_examples=2000, deadline=None, derandomize=True)
@given(NUMBER_TEXT)
def test_any_mix_of_number_forms_parses_or_is_a_quantity_error(text: str) -> None:
    try:
        parsed = parse_quantity(text)
    except QuantityError as err:
        assert len(str(err)) < 400
        return
    assert parsed.number.is_finite() and parsed.half_width.is_finite() and parsed.half_width > 0
    assert math.isfinite(parsed.base_value) and abs(parsed.base_value) <= quantities.MAX_BASE_MAGNITUDE
    assert interval_of(parsed, "exact").overlaps(Interval(parsed.base_value, parsed.base_value))


@settings(max_examples=1500, deadline=None, derandomize=True)
@given(NUMBER_TEXT)
def test_any_mix_of_number_forms_in_a_quote_gives_finite_numbers(text: str) -> None:
    assert all(number.is_finite() for number in numbers_in_text(text))
    position = 0
    while position < len(text):  # each reader ends past where it starts, and within the text
        number = number_at(text, position, QUOTE)
        assert number is None or position < number.end <= len(text)
        position += 1
