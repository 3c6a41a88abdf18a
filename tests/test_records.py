"""The curated records themselves: editor support line, file layout, and a clean validation."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from validator.load.loader import load_document
from validator.support.paths import RECORDS_DIR, SCHEMA_DIR

RECORD_FILES = sorted(RECORDS_DIR.rglob("*.yaml"))
IDS = [str(p.relative_to(RECORDS_DIR)) for p in RECORD_FILES]


def test_there_are_records() -> None:
    assert len(RECORD_FILES) >= 14


@pytest.mark.parametrize("path", RECORD_FILES, ids=IDS)
def test_first_line_points_editors_at_the_schema_of_the_declared_version(path: Path) -> None:
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    declared = load_document(path).data["schema_version"]
    major = declared.split(".")[0]
    expected = os.path.relpath(SCHEMA_DIR / f"v{major}" / "county-record.schema.json", path.parent)
    assert first_line == f"# yaml-language-server: $schema={Path(expected).as_posix()}"
    assert (path.parent / expected).resolve().is_file()


@pytest.mark.parametrize("path", RECORD_FILES, ids=IDS)
def test_record_lives_under_its_province(path: Path) -> None:
    province = load_document(path).data["division"]["province"]
    assert path.parent.name == province.lower().replace(" ", "-")
