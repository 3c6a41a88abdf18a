"""The published JSON Schema is what the models generate, and it agrees with them on real records."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from validator.load.loader import load_document
from validator.support.paths import RECORDS_DIR
from validator.commands.schema_export import schema_path, schema_text

RECORD_FILES = sorted(RECORDS_DIR.rglob("*.yaml"))


def test_committed_schema_is_what_the_models_generate() -> None:
    committed = schema_path("1").read_text(encoding="utf-8")
    assert committed == schema_text("1"), "schema/v1 is stale: run `county-records schema`"


def test_published_schema_is_a_valid_2020_12_schema() -> None:
    document = json.loads(schema_path("1").read_text(encoding="utf-8"))
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(document)


@pytest.mark.parametrize("path", RECORD_FILES, ids=[str(p.relative_to(RECORDS_DIR)) for p in RECORD_FILES])
def test_every_record_is_valid_under_the_published_schema(path: Path) -> None:
    document = json.loads(schema_path("1").read_text(encoding="utf-8"))
    data = load_document(path).data
    errors = [e.message for e in jsonschema.Draft202012Validator(document).iter_errors(data)]
    assert errors == []


def test_published_schema_rejects_what_the_models_reject() -> None:
    document = json.loads(schema_path("1").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(document)
    base = {
        "schema_version": "1.0",
        "division": {"code": "430225", "name_en": "Yanling County", "name_zh": "炎陵县", "province": "Hunan"},
        "sources": [{"id": "s1", "title": "T", "language": "en"}],
    }
    assert list(validator.iter_errors(base)) == []
    for broken in (
        {**base, "schema_version": "9.0"},
        {**base, "extra": 1},
        {**base, "division": {**base["division"], "code": 430225}},
        {**base, "observations": [{"id": "x", "metric": "no_such_metric", "value": "1 households", "quote": "one household"}]},
    ):
        assert list(validator.iter_errors(broken)) != []
