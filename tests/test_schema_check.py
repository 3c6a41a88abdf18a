"""The published schema's check agrees with the pydantic models, and views read records as the models do.

The hot path validates records against the published JSON Schema and reads them through views
(validator/schema_check.py); the models stay the source of truth. These tests keep the two in
agreement: on every record, every fixture snippet, and fuzzed variations of real records.
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
from validator.loader import LoadedDocument, load_text
from validator.models import v1
from validator.paths import REPO_ROOT, published_schema_path
from validator.schema_check import RecordView, compiled_schema

SCHEMA = compiled_schema(published_schema_path("1"))
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


def _assert_view_reads_like_model(view: object, model: object, where: str) -> None:
    if isinstance(model, BaseModel):
        assert isinstance(view, RecordView), where
        for name in type(model).model_fields:
            _assert_view_reads_like_model(getattr(view, name), getattr(model, name), f"{where}.{name}")
    elif isinstance(model, list):
        assert isinstance(view, list) and len(view) == len(model), where
        for i, (v, m) in enumerate(zip(view, model, strict=True)):
            _assert_view_reads_like_model(v, m, f"{where}[{i}]")
    else:
        assert view == model and type(view) is type(model), where


@pytest.mark.parametrize("path", RECORD_FILES, ids=[p.stem for p in RECORD_FILES])
def test_a_view_reads_every_field_as_the_models_do(path: Path) -> None:
    doc = load_text(path.read_text(encoding="utf-8"), LoadedDocument(path=path))
    _assert_view_reads_like_model(SCHEMA.view(doc.data), v1.CountyRecord.model_validate(doc.data), path.stem)


def test_a_view_refuses_fields_the_schema_does_not_have() -> None:
    view = SCHEMA.view({"schema_version": "1.0"})
    with pytest.raises(AttributeError):
        view.lable
