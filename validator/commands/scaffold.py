"""`county-records new`: a record skeleton for a county from the reference list, never over an existing file."""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..support.atomic import AtomicWriteError, write_text_atomically
from ..models import SCHEMA_VERSIONS
from ..support.paths import RECORDS_DIR, SCHEMA_DIR
from ..corpus.reference import ReferenceDivision, national_poverty_codes, reference_division

CURRENT_VERSION = SCHEMA_VERSIONS[-1]  # a new record is written against the newest version


class ScaffoldError(Exception):
    """The skeleton cannot be written; the message says why and what to do."""


def default_path(division: ReferenceDivision, records_dir: Path = RECORDS_DIR) -> Path:
    """records/<province>/<place name>.yaml, e.g. records/hunan/yanling.yaml."""
    province = re.sub(r"[^a-z0-9]+", "-", division.province_en.lower()).strip("-")
    stem = re.sub(r"[^a-z0-9]", "", division.name_en.split()[0].lower())
    return records_dir / province / f"{stem}.yaml"


def skeleton_text(division: ReferenceDivision, path: Path) -> str:
    schema = Path(os.path.relpath(SCHEMA_DIR / "v1" / "county-record.schema.json", path.parent)).as_posix()
    designations = '["national_poverty_county"]' if division.code in national_poverty_codes() else "[]"
    prefecture = f"  prefecture: {division.prefecture_zh}\n" if division.prefecture_zh else ""
    return (
        f"# yaml-language-server: $schema={schema}\n"
        f'schema_version: "{CURRENT_VERSION}"\n'
        "division:\n"
        f'  code: "{division.code}"\n'
        f'  name_en: "{division.name_en}"\n'
        f"  name_zh: {division.name_zh}\n"
        f"  province: {division.province_en}\n"
        f"{prefecture}"
        f"  designations: {designations}\n"
        "# Add the source document to seeds/ (and seeds/index.yaml), then describe it here;\n"
        "# see CONTRIBUTING.md, 'Adding a county'.\n"
        "sources: []\n"
        "observations: []\n"
        "notes:\n"
        "  omitted: Nothing yet; say here what the sources state that this record leaves out, and why.\n"
    )


def write_new_record(code: str, out: Path | None = None) -> Path:
    division = reference_division(code)
    if division is None:
        raise ScaffoldError(f"{code} is not a county-level code in schema/reference/counties.csv")
    path = out or default_path(division)
    if path.exists():
        raise ScaffoldError(f"{path} already exists; it is not overwritten (use --out for another file name)")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ScaffoldError(f"cannot create the folder {path.parent}: {err.strerror}") from None
    try:  # whole or not at all, and never over a file someone created meanwhile
        write_text_atomically(path, skeleton_text(division, path), overwrite=False)
    except FileExistsError as err:
        raise ScaffoldError(f"{path} already exists; it is not overwritten") from err
    except AtomicWriteError as err:
        raise ScaffoldError(str(err)) from err
    return path
