"""`county-records new`: a record skeleton for a county from the reference list, or (`--from-reference`) a
record for every county of the list of the 832 that has none; never over an existing file."""

from __future__ import annotations

import json
import os
from collections import Counter
import re
from pathlib import Path
from typing import NamedTuple

from ..support.atomic import AtomicWriteError, write_text_atomically
from ..load.loader import load_document
from ..models import SCHEMA_VERSIONS
from ..support.paths import RECORD_SUFFIXES, RECORDS_DIR, SCHEMA_DIR, SEEDS_DIR
from ..corpus.reference import ReferenceDivision, national_poverty_codes, reference_division
from ..support.tables import Table, read_table

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
    _write_new(path, skeleton_text(division, path))
    return path


def _write_new(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ScaffoldError(f"cannot create the folder {path.parent}: {err.strerror}") from None
    try:  # whole or not at all, and never over a file someone created meanwhile
        write_text_atomically(path, text, overwrite=False)
    except FileExistsError as err:
        raise ScaffoldError(f"{path} already exists; it is not overwritten") from err
    except AtomicWriteError as err:
        raise ScaffoldError(str(err)) from err


# The list of the 832 as a seed: records cite its cells (schema/reference/SOURCES.md describes it).
LIST_832_SEED = "seeds/005_poverty_counties_832.csv"
LIST_832_SOURCE_ID = "poverty-832"
LIST_832_TITLE = ("The 832 national poverty counties (国家级贫困县) with their exit batch years, a compiled index "
                  "(copy of schema/reference/poverty_counties_832.csv)")


class FromReference(NamedTuple):
    """What `new --from-reference` did: the records it wrote, the counties that had one, and rows it could not use."""

    written: list[Path]
    had_record: int
    skipped: list[str]  # why a row of the list got no record


def _recorded_codes(records_dir: Path) -> set[str]:
    """The division codes of the records in records_dir; a record that does not load stops the command, so
    that its county never gets a second record."""
    codes, unread = set(), []
    for path in sorted(records_dir.rglob("*")) if records_dir.is_dir() else []:
        if path.suffix not in RECORD_SUFFIXES or not path.is_file():
            continue
        doc = load_document(path)
        division = doc.data.get("division") if doc.usable and isinstance(doc.data, dict) else None
        code = division.get("code") if isinstance(division, dict) else None
        if isinstance(code, str):
            codes.add(code)
        else:
            unread.append(str(path))
    if unread:
        raise ScaffoldError(f"{len(unread)} record(s) have no readable division code, so their counties are not known "
                            f"(first: {unread[0]}); run `county-records validate` and fix them first")
    return codes


def _flow(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def listed_record_text(division: ReferenceDivision, rows: list[dict[str, str]], key: str, path: Path,
                       cited_file: str = LIST_832_SEED) -> str:
    """A record of a county of the list of the 832: names from the reference list, its exit batch year and (where
    the list names it otherwise) its name on the list cited to the table's cells, and the list's match notes."""
    row = next((r for r in rows if r["name_zh"][:2] == division.name_zh[:2]), rows[0])  # a merged county: its namesake
    cell = f'source: {LIST_832_SOURCE_ID}, cell: {{row: {_flow(row[key])}, column: '
    listed_as = (f"  listed_as: {{value: {_flow(row['name_zh'])}, {cell}name_zh}}}}\n"
                 if row["name_zh"] != division.name_zh else "")
    notes = [f"Written by `county-records new --from-reference` from the list of the 832 national poverty counties "
             f"({cited_file}): code, names, province and prefecture from schema/reference/counties.csv; the exit batch "
             "year, and the county's name on the list where it differs, cited to the list's cells. No figures yet."]
    for other in rows:
        if other.get("match", "exact") != "exact":
            notes.append(f"The list's row {other['name_zh']} ({other['match']}): {other.get('match_note', '')}.")
    if len(rows) > 1:
        notes.append(f"The list has {len(rows)} rows for code {division.code}, all cited by {key}; the cells cited are "
                     f"those of {row['name_zh']}.")
    prefecture = f"  prefecture: {_flow(division.prefecture_zh)}\n" if division.prefecture_zh else ""
    schema = Path(os.path.relpath(SCHEMA_DIR / "v1" / "county-record.schema.json", path.parent)).as_posix()
    return (
        f"# yaml-language-server: $schema={schema}\n"
        f'schema_version: "{CURRENT_VERSION}"\n'
        "division:\n"
        f'  code: "{division.code}"\n'
        f"  name_en: {_flow(division.name_en)}\n"
        f"  name_zh: {_flow(division.name_zh)}\n"
        f"  province: {_flow(division.province_en)}\n"
        f"{prefecture}"
        "  designations: [national_poverty_county]\n"
        f"{listed_as}"
        f"  delisted_year: {{value: {int(row['delisted_year'])}, {cell}delisted_year}}}}\n"
        "sources:\n"
        f"  - id: {LIST_832_SOURCE_ID}\n"
        f"    file: {cited_file}\n"
        f"    key: {key}\n"
        f"    title: {_flow(LIST_832_TITLE)}\n"
        "    language: zh\n"
        "notes:\n"
        f"  curation: {_flow(' '.join(notes))}\n"
    )


def write_from_reference(records_dir: Path = RECORDS_DIR, seeds_dir: Path = SEEDS_DIR,
                         cited_file: str = LIST_832_SEED) -> FromReference:
    """A record for every county of the list of the 832 that has none in records_dir; never over a file."""
    table = read_table(seeds_dir, cited_file)
    needed = {"code", "name_zh", "delisted_year"}
    if not isinstance(table, Table) or not needed <= set(table.header):
        raise ScaffoldError(f"{cited_file} is missing, unreadable or lacks the columns {', '.join(sorted(needed))}; "
                            "add the list of the 832 to seeds/ as CONTRIBUTING.md says")
    rows_by_code: dict[str, list[dict[str, str]]] = {}
    skipped = []
    for line in table.rows:
        row = dict(zip(table.header, line))
        if not row.get("code"):
            skipped.append(f"{row.get('name_zh', '?')}: the list gives it no county-level code")
        elif not row.get("delisted_year", "").isdigit():
            skipped.append(f"{row['name_zh']}: the list gives no exit batch year")
        else:
            rows_by_code.setdefault(row["code"], []).append(row)
    recorded = _recorded_codes(records_dir)
    divisions = {}
    for code, rows in rows_by_code.items():
        division = reference_division(code) if code not in recorded else None
        if division is not None:
            divisions[code] = division
        elif code not in recorded:
            skipped.append(f"{rows[0]['name_zh']}: {code} is not in schema/reference/counties.csv")
    written = []
    for code, path in _record_paths(list(divisions.values()), records_dir).items():
        rows = rows_by_code[code]
        key = "code" if len(rows) == 1 else "name_zh"
        _write_new(path, listed_record_text(divisions[code], rows, key, path, cited_file))
        written.append(path)
    return FromReference(written, sum(code in recorded for code in rows_by_code), skipped)


def _record_paths(divisions: list[ReferenceDivision], records_dir: Path) -> dict[str, Path]:
    """Each division's new file: records/<province>/<place name>.yaml, or, where that name is taken or shared by
    two of them (Ke'erqin Left Wing Middle and Rear Banners), the whole English name (and the code if need be);
    the same whichever order the list has them in."""
    def whole(division: ReferenceDivision, code: bool = False) -> Path:
        slug = re.sub(r"[^a-z0-9]+", "-", division.name_en.lower().replace("'", "")).strip("-")
        first = default_path(division, records_dir)
        return first.with_name(f"{slug}-{division.code}.yaml" if code else f"{slug}.yaml")

    paths = {d.code: default_path(d, records_dir) for d in divisions}
    for rename in (lambda d: whole(d), lambda d: whole(d, code=True)):
        counts = Counter(paths.values())
        for division in divisions:
            path = paths[division.code]
            if counts[path] > 1 or path.exists():
                paths[division.code] = rename(division)
    return paths
