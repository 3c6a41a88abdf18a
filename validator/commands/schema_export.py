"""Write the published JSON Schema of every major version from its pydantic models."""

from __future__ import annotations

import json
from pathlib import Path

from ..models import MAJORS, models_of
from .generated import write_generated
from ..support.paths import published_schema_path

SCHEMA_FILE_NAME = "county-record.schema.json"
# The schema is published in this repository, not at a web address of its own: a URN names it.
SCHEMA_ID_PREFIX = "urn:county-records:schema"


def schema_document(major: str) -> dict:
    module = models_of(major)
    generated = module.CountyRecord.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{SCHEMA_ID_PREFIX}:v{major}:county-record",
        **generated,
    }


def schema_text(major: str) -> str:
    return json.dumps(schema_document(major), indent=2, ensure_ascii=False) + "\n"


def schema_path(major: str) -> Path:
    return published_schema_path(major)


def write_schemas(check_only: bool = False) -> list[Path]:
    """Write (or with check_only, only compare) each schema; return the files that differed."""
    return write_generated({schema_path(major): schema_text(major) for major in MAJORS}, check_only)
