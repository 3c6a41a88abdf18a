"""The published schema, as jsonschema-rs reads it, agrees with the pydantic models; the typed record reads as they do.

The validator checks records against the published JSON Schema with jsonschema-rs and types them by one
walk (validator/published.py, validator/typed.py); the models stay the source of truth and explain what
does not fit. These tests keep the two in agreement: on every fixture snippet, every record, fuzzed
variations of them, and values where regular-expression engines and number models differ (a trailing
newline, a whole-number float, Unicode spaces).
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from rule_cases import build_record
from validator.load.loader import LoadedDocument, load_text
from validator.models import v1
from validator.support.paths import REPO_ROOT, published_schema_path
from validator.structure.published import published_schema
from validator.record.typed import Item, typed_record

SCHEMA = published_schema(published_schema_path("1"))
RECORD_FILES = sorted((REPO_ROOT / "records").rglob("*.yaml"))


def _texts() -> list[tuple[str, str]]:
    texts = [(path.relative_to(REPO_ROOT).as_posix(), path.read_text(encoding="utf-8")) for path in RECORD_FILES]
    for fixture in sorted((REPO_ROOT / "tests" / "rules").glob("*.yaml")):
        spec = yaml.safe_load(fixture.read_text(encoding="utf-8"))
        for case in spec.get("cases", []):
            snippet = case.get("fail", case.get("pass"))
            if isinstance(snippet, str):
                texts.append((f"{fixture.stem}:{case['name']}", build_record(snippet, bool(case.get("whole_file"))).text))
    return texts


LOADED = [(name, doc.data) for name, text in _texts() if (doc := load_text(text, LoadedDocument(path=Path("x")))).usable]


def models_accept(data: object) -> bool:
    try:
        v1.CountyRecord.model_validate(data)
    except ValidationError:
        return False
    return True


def test_the_fixtures_hold_records_that_fit_and_records_that_do_not() -> None:
    verdicts = {models_accept(data) for _, data in LOADED}
    assert verdicts == {True, False}, "the agreement test needs both kinds"


@pytest.mark.parametrize(("name", "data"), LOADED, ids=[name for name, _ in LOADED])
def test_published_schema_and_models_agree(name: str, data: object) -> None:
    assert SCHEMA.accepts(data) == models_accept(data)


# Values a curator (or an attacker) might put anywhere.
HOSTILE_VALUES = st.sampled_from([
    None, True, False, 0, 1, -1, 2019, 1948, 2101, 1.5, float("nan"), float("inf"), "", " ", "x", "2019", "2019-13",
    # Where engines differ: `$` before a final newline, whole-number floats, what `\s` takes in each engine.
    "2019\n", "a\n", "x\n", 2019.0, 2101.0, 1.0, "\u3000", "\u00a0", "\ufeff", "\u0085", "\u2028", "\u200b", "\u180e",
    "12\u3000households", "12\u0085", "12\ufeff", "relations[a]\n", "/relations/1\n", "SUM001\n", "430225\n",
    "2019-05-09", "exact", "subset", "total", ["subset"],
    "8,164 households", "1.0", [], [None], ["a"], {}, {"id": "a"}, "a" * 81, "Z9", "/relations/1", "relations[a]",
])


def _paths(node: object, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, prefix + (index,))
    return found


@st.composite
def mutated_records(draw) -> object:
    name, data = draw(st.sampled_from([(n, d) for n, d in LOADED if n.startswith("records/")]))
    data = copy.deepcopy(data)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(data)[1:]))
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "delete", "add-key"]))
        # Copies: sampled_from hands out the same [] and {} each time, and one mutated in place, or put
        # inside itself, would carry into later examples (a cycle made the lowest hypothesis recurse forever).
        if action == "replace":
            parent[path[-1]] = copy.deepcopy(draw(HOSTILE_VALUES))
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent[path[-1]], dict):
            parent[path[-1]][draw(st.sampled_from(["lable", "id", "note", "kind", "at", "pointer"]))] = copy.deepcopy(draw(HOSTILE_VALUES))
    return data


@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_records())
def test_published_schema_and_models_agree_on_mutated_records(data: object) -> None:
    assert SCHEMA.accepts(data) == models_accept(data)


@pytest.mark.parametrize("value", [
    "2019\n", "2019-05\n", "430225\n", "exact\n", "poor-villages\n", "SUM001\n", "relations[a]\n",
])
def test_a_value_ending_in_a_newline_fits_neither(value: str) -> None:
    # Python's `$` matches before a final newline; ECMA-262's and the models' do not.
    data = _minimal()
    data["division"]["code"] = value if value.startswith("4") else data["division"]["code"]
    data["observations"] = [{"id": value if "-" in value and "\n" in value else "x", "metric": "poor_villages",
                             "value": "54 villages", "quote": "all 54 poor villages",
                             "date": value if value[:4].isdigit() and not value.startswith("4") else 2019}]
    if value.startswith(("SUM", "relations")):
        data["acknowledged"] = [{"rule": value if value.startswith("SUM") else "SUM001",
                                 "at": value if value.startswith("relations") else "observations[x]",
                                 "reason": "The source states it twice with different numbers."}]
    if value == "exact\n":
        data["observations"][0]["qualifier"] = value
    assert SCHEMA.accepts(data) is False
    assert models_accept(data) is False


def test_a_whole_number_float_is_the_integer_for_both() -> None:
    data = _minimal()
    data["observations"] = [{"id": "x", "metric": "poor_villages", "value": "54 villages", "quote": "all 54 poor villages",
                             "date": 2019.0}]
    assert SCHEMA.accepts(data) and models_accept(data)
    assert typed_record(data, SCHEMA.root_shape).observations[0].date == 2019
    assert type(typed_record(data, SCHEMA.root_shape).observations[0].date) is int


def _minimal() -> dict:
    return {
        "schema_version": "1.1",
        "division": {"code": "430225", "name_en": "Yanling County", "name_zh": "炎陵县", "province": "Hunan"},
        "sources": [{"id": "s1", "title": "T", "language": "en"}],
    }


def _assert_typed_reads_like_model(typed: object, model: object, where: str) -> None:
    if isinstance(model, BaseModel):
        assert isinstance(typed, Item) and type(typed).__name__ == type(model).__name__, where
        for name in type(model).model_fields:
            _assert_typed_reads_like_model(getattr(typed, name), getattr(model, name), f"{where}.{name}")
    elif isinstance(model, list):
        assert isinstance(typed, list) and len(typed) == len(model), where
        for i, (t, m) in enumerate(zip(typed, model, strict=True)):
            _assert_typed_reads_like_model(t, m, f"{where}[{i}]")
    else:
        assert typed == model and type(typed) is type(model), where


FITTING = [(name, data) for name, data in LOADED if models_accept(data)]


@pytest.mark.parametrize(("name", "data"), FITTING, ids=[name for name, _ in FITTING])
def test_the_typed_record_reads_every_field_as_the_models_do(name: str, data: object) -> None:
    _assert_typed_reads_like_model(typed_record(data, SCHEMA.root_shape), v1.CountyRecord.model_validate(data), name)


def test_every_item_knows_its_place() -> None:
    data = _minimal()
    data["observations"] = [{"id": "a", "metric": "poor_villages", "value": "54 villages", "quote": "all 54 poor villages"},
                            {"metric": "poor_villages", "value": "5 villages", "quote": "5 villages"}]
    data["funds"] = [{"id": "f", "label": "x", "stage": "received", "amount": {"value": "3 yuan", "quote": "3 yuan"},
                      "standards": [{"amount": {"value": "1 yuan/household", "quote": "1 yuan a household"}}]}]
    record = typed_record(data, SCHEMA.root_shape, {"observations": [0, 2]})
    assert [o.place for o in record.observations] == [("/observations/0", "observations[a]"), ("/observations/2", "observations[#2]")]
    standard = record.funds[0].standards[0]
    assert standard.amount.place == ("/funds/0/standards/0/amount", "funds[f].standards[#0].amount")
    assert record.division.place == ("/division", "division")
