"""Fuzzing as a habit: mutated real records and random quantity strings never crash the validator.

(a) Records from records/ are mutated (hostile strings and numbers in place of values, keys deleted
or duplicated, types swapped, references pointed at other ids, acknowledgements widened) and run
through the engine in-process: it must never raise, and every finding has a known code and a line.
(b) Quantity strings go through parse_quantity and numbers_in_text: only QuantityError may come out,
and every number that comes out is finite and in range.

Runs are derandomized, so CI sees the same examples every time. Every crash this harness (or a
reviewer) ever found is kept as a hostile record with its expected finding in test_hostile_numbers.py.
"""

from __future__ import annotations

import copy
import math
from functools import cache
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rule_cases import TODAY
from test_hostile_input import _at, _containers, mutate_text
from validator.engine import Settings, run
from validator.load.loader import load_document
from validator.support.paths import REPO_ROOT
from validator.record.quantities import MAX_BASE_MAGNITUDE, QuantityError, interval_of, parse_quantity
from validator.rules import RULE_BY_CODE
from validator.rules.quotes import numbers_in_text

RECORDS = sorted((REPO_ROOT / "records").rglob("*.yaml"))
QUALIFIERS = ["exact", "approximately", "at_least", "more_than", "at_most", "less_than", "range"]
# Messages quote excerpts of what they name; a message of this length would be echoing an input.
MESSAGE_LIMIT = 2000

# Plain scalars written into the YAML text as they are: numbers no dumper would write.
RAW_NUMBERS = [
    "1" * 4301, "-" + "9" * 5000, "0x" + "f" * 3600, "0o" + "7" * 4000, "0" + "7" * 200, "1e400", "-1e400",
    ".nan", ".inf", "-.inf", "0." + "0" * 500 + "1", "1" * 99, "1" * 101, "1_000", "0755", "2019", "-0",
]
# Quantities that the schema lets through (a digit, then something): the parser and the rules meet them.
HOSTILE_QUANTITIES = [
    "1" + "0" * 400 + " households", "1" + "0" * 5000 + " yuan", "1" + "0" * 21 + " %", "10,000,000 billion yuan",
    "99,999,999,999,999,999,999 yuan", "1,000,000,000,000,000 yuan", "0.0000000000000000001 %", "0 households",
    "5 bıllion yuan", "3 thouſand households", "7 MİLLİON yuan", "2 \u212a yuan", "5" + " " * 5000 + "x\ny",
    "5" + " " * 3000 + "households", "5 million" + "\n" * 2000 + "x", "1" + ",000" * 2000 + " yuan",
    "5 " + "a" * 3000, "5 m^9", "5 km**9", "-5 %", "-0 yuan", "1e400 yuan", "1 nan", "1 inf", "1,2345 yuan", "5 %%",
    "5 yuan/0", "5 /", "5\u00a0wan\u3000yuan", "5 万 yuan", "1." + "5" * 30 + " mu", "8,164 households",
]
# Quotes the schema lets through (three characters or more).
HOSTILE_QUOTES = [
    "20 thouſand households, 5 bıllion yuan, 7 MİLLİON, 3 \u212a", "1" + "0" * 5000 + " billion yuan",
    "all 54" + " " * 5000 + "poor villages", "1.5 million 2,000 wan " * 200, "8,164" + ",000" * 1000, "𝟝𝟜 villages",
]
HOSTILE_STRINGS = HOSTILE_QUANTITIES + HOSTILE_QUOTES + [
    "", " ", "\u3000", "\ufeff", "\x85", "\u2028", "/", "~", "/relations/0", "SUM001", "ACK002", "s1", "x" * 5000, "🙂" * 100,
]
REFERENCE_FIELDS = {"parts", "total", "part", "whole", "items", "applies_to", "count", "rate", "funds"}


@cache
def record_data(path: Path) -> dict:
    """A record as the validator reads it (YAML 1.2), so that dumping it back keeps what it says."""
    document = load_document(path)
    assert isinstance(document.data, dict), path
    return document.data


def _ids(data: dict) -> list[str]:
    return sorted({item["id"] for section in data.values() if isinstance(section, list)
                   for item in section if isinstance(item, dict) and isinstance(item.get("id"), str)})


def _fields(data: dict, names: set[str]) -> list[tuple[dict, str]]:
    """(mapping, key) for every key of the record with one of these names."""
    return [(mapping, key) for path in _containers(data) for mapping in [_at(data, path)] if isinstance(mapping, dict)
            for key in mapping if key in names]


def mutate_record(data: dict, draw, raw: dict[str, str]) -> None:
    """One mutation of the record; a raw number goes in as a placeholder that `raw` maps to its text.

    Most mutations keep the record's shape (a hostile quantity, quote or reference where one belongs),
    so that they reach the rules; the rest break it anywhere (the loader and the schema's share).
    """
    operation = draw(st.sampled_from(["quantity"] * 4 + ["quote", "reference", "reference", "acknowledge", "raw_number",
                                                          "hostile_string", "delete", "duplicate", "swap_type"]))
    targets = {"quantity": _fields(data, {"value", "upper"}), "quote": _fields(data, {"quote"}),
               "reference": _fields(data, REFERENCE_FIELDS)}.get(operation)
    if targets:
        mapping, key = draw(st.sampled_from(targets))
        if operation == "reference":
            chosen = draw(st.sampled_from(_ids(data) or ["x"]))
            mapping[key] = [chosen, chosen] if isinstance(mapping[key], list) else chosen
        else:
            mapping[key] = draw(st.sampled_from(HOSTILE_QUANTITIES if operation == "quantity" else HOSTILE_QUOTES))
        return
    if operation == "acknowledge":
        data.setdefault("acknowledged", []).append({
            "rule": draw(st.sampled_from(sorted(RULE_BY_CODE))),
            "pointer": draw(st.sampled_from(["", "/", "/observations", "/relations/0", "/funds/0/parts", "/x~1y"])),
            "reason": "Kept as stated in the source, for the fuzzer.",
        })
        return
    container = _at(data, draw(st.sampled_from(_containers(data))))
    keys = list(container) if isinstance(container, dict) else list(range(len(container)))
    key = draw(st.sampled_from(keys))
    if operation == "hostile_string":
        container[key] = draw(st.sampled_from(HOSTILE_STRINGS) | st.text(max_size=30))
    elif operation == "raw_number":
        placeholder = f"RAWNUMBER{len(raw)}"
        raw[placeholder] = draw(st.sampled_from(RAW_NUMBERS))
        container[key] = placeholder
    elif operation == "delete":
        del container[key]
    elif operation == "duplicate":
        if isinstance(container, list):
            container.insert(key, copy.deepcopy(container[key]))
        else:
            container[draw(st.sampled_from(keys))] = copy.deepcopy(container[key])
    else:  # swap a type
        value = container[key]
        container[key] = [value] if not isinstance(value, list) else (value[0] if value else {})


@settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_mutated_real_record_never_raises(tmp_path_factory: pytest.TempPathFactory, data) -> None:
    path = data.draw(st.sampled_from(RECORDS), label="record")
    record = copy.deepcopy(record_data(path))
    raw: dict[str, str] = {}
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        mutate_record(record, data.draw, raw)
    text = yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=10_000)
    for placeholder, number in raw.items():
        text = text.replace(placeholder, number)
    if data.draw(st.integers(0, 4), label="text mutation") == 0:  # one in five: most text mutations stop the loader
        text = mutate_text(text, data.draw)
    folder = tmp_path_factory.mktemp("fuzz")
    mutated = folder / path.name
    mutated.write_text(text, encoding="utf-8")
    result = run([(mutated, path.name)], Settings(today=TODAY, jobs=1))
    for finding in result.findings:
        assert finding.code in RULE_BY_CODE
        assert finding.line >= 1 and finding.column >= 1
        assert len(finding.message) < MESSAGE_LIMIT, (finding.code, finding.message[:200])


def test_the_records_that_are_mutated_load() -> None:
    assert len(RECORDS) > 5 and all(record_data(path).get("schema_version") for path in RECORDS)


# --- quantity strings ---------------------------------------------------------------------------------

QUANTITY_PIECES = st.sampled_from([
    "0", "1", "5", "9", "00", "123", ",", ",000", ",00", ".", ".5", "-", "+", " ", "  ", "\t", "\n", "\u00a0", "\u3000",
    "k", "K", "thousand", "ten thousand", "wan", "万", "million", "yi", "亿", "hundred million", "billion",
    "bıllion", "thouſand", "MİLLİON", "\u212a", "yuan", "households", "mu", "%", "km^2", "m**-1", "/", "*", "^",
    "person", "year", "acre", "e400", "inf", "nan", "x", "𝟝", "５", "0" * 30, "9" * 25, " " * 200, ",000" * 30,
])
QUANTITY_TEXTS = st.lists(QUANTITY_PIECES, max_size=10).map("".join) | st.text(max_size=40)


@settings(max_examples=2000, deadline=None, derandomize=True)
@given(QUANTITY_TEXTS)
def test_quantity_strings_give_a_finite_quantity_or_a_quantity_error(text: str) -> None:
    try:
        parsed = parse_quantity(text)
    except QuantityError:
        return
    assert parsed.number.is_finite() and parsed.half_width.is_finite()
    assert math.isfinite(parsed.base_value) and abs(parsed.base_value) <= MAX_BASE_MAGNITUDE
    for qualifier in QUALIFIERS:
        interval = interval_of(parsed, qualifier, parsed if qualifier == "range" else None)
        assert interval.defined and interval.overlaps(interval)


@settings(max_examples=2000, deadline=None, derandomize=True)
@given(QUANTITY_TEXTS)
def test_numbers_in_any_text_are_finite(text: str) -> None:
    assert all(number.is_finite() for number in numbers_in_text(text))
