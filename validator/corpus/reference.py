"""The reference lists: county-level divisions (schema/reference/counties.csv, GB/T 2260 codes) and the
832 national poverty counties (schema/reference/poverty_counties_832.csv)."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path
from typing import Iterator, NamedTuple

from ..support.paths import COUNTIES_CSV, POVERTY_COUNTIES_CSV


class ReferenceDivision(NamedTuple):
    code: str
    name_zh: str
    name_en: str
    prefecture_zh: str
    province_code: str
    province_zh: str
    province_en: str


def _division(row: dict) -> ReferenceDivision:
    return ReferenceDivision(row["code"], row["name_zh"], row["name_en"], row["prefecture_zh"],
                             row["province_code"], row["province_zh"], row["province_en"])


@cache
def reference_divisions(path: Path = COUNTIES_CSV) -> dict[str, ReferenceDivision]:
    with open(path, encoding="utf-8", newline="") as handle:
        return {row["code"]: _division(row) for row in csv.DictReader(handle)}


@cache
def _reference_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# After this many codes looked up a run is checking a corpus, and building the whole table is cheaper.
_LOOKUPS_BEFORE_TABLE = 32
_lookups = 0


def reference_division(code: str, path: Path = COUNTIES_CSV) -> ReferenceDivision | None:
    """One division by code: found in the text for a few records (a pre-commit run), from the table for many."""
    global _lookups
    if (code, path) in _found:
        return _found[code, path]
    _lookups += 1
    if _lookups > _LOOKUPS_BEFORE_TABLE:
        return reference_divisions(path).get(code)
    _found[code, path] = _division_in_text(code, path)
    return _found[code, path]


_found: dict[tuple[str, Path], ReferenceDivision | None] = {}


def _division_in_text(code: str, path: Path) -> ReferenceDivision | None:
    if not code.isdigit():
        return None
    return next((_division(row) for row in _rows_in_text(path, f"\n{code},")), None)


def _rows_in_text(path: Path, needle: str) -> Iterator[dict[str, str]]:
    """The rows of a reference list whose line holds `needle` (which may begin with the line's own
    newline), read with the list's header: a run that looks up one code reads no table."""
    text = _reference_text(path)
    header = text[: text.index("\n")]
    start = text.find(needle)
    while start >= 0:
        line_start = text.rfind("\n", 0, start + 1) + 1
        line_end = text.find("\n", start + 1)
        line_end = len(text) if line_end < 0 else line_end
        yield next(csv.DictReader([header, text[line_start:line_end]]))
        start = text.find(needle, line_end)


@cache
def reference_provinces(path: Path = COUNTIES_CSV) -> dict[str, tuple[str, str]]:
    """Province code -> (Chinese name, English name)."""
    return {d.province_code: (d.province_zh, d.province_en) for d in reference_divisions(path).values()}


@cache
def reference_province(code: str, path: Path = COUNTIES_CSV) -> tuple[str, str] | None:
    """One province's (Chinese name, English name), found in the text: a run with a province record
    among a few needs no table of all 2,800 divisions."""
    if not code.isdigit():
        return None
    return next(((row["province_zh"], row["province_en"]) for row in _rows_in_text(path, f",{code},")
                 if row["province_code"] == code), None)


@cache
def national_poverty_codes(path: Path = POVERTY_COUNTIES_CSV) -> frozenset[str]:
    """The current codes of the 832 national poverty counties (830 distinct: two Qinghai committees share
    one code, and one has no county-level code; see schema/reference/SOURCES.md)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return frozenset(row["code"] for row in csv.DictReader(handle) if row["in_counties_csv"] == "yes")


@cache
def is_national_poverty_code(code: str, path: Path = POVERTY_COUNTIES_CSV) -> bool:
    """Whether a code is among national_poverty_codes(), found in the text (a one-file run reads no table)."""
    return code.isdigit() and any(row["in_counties_csv"] == "yes" for row in _rows_in_text(path, f"\n{code},"))


@cache
def poverty_batch_years(code: str, path: Path = POVERTY_COUNTIES_CSV) -> frozenset[int]:
    """The exit batch years (delisted_year) the list of the 832 gives a current code: one, or none where the
    code is not on the list (632803, two merged committees, has two rows of one year)."""
    return frozenset(int(row["delisted_year"]) for row in _rows_in_text(path, f"\n{code},")
                     if code.isdigit() and row["delisted_year"].isdigit())


class ListedCounty(NamedTuple):
    """A row of the list of the 832 (schema/reference/SOURCES.md gives the columns' meaning)."""

    code: str  # current code; blank where there is no county-level equivalent
    name_zh: str  # as the list names it
    current_name_zh: str
    match: str
    match_note: str
    delisted_year: str


def listed_counties(path: Path = POVERTY_COUNTIES_CSV) -> list[ListedCounty]:
    """Every row of the list of the 832, in its order."""
    with open(path, encoding="utf-8", newline="") as handle:
        return [ListedCounty(row["code"], row["name_zh"], row["current_name_zh"], row["match"], row["match_note"],
                             row["delisted_year"]) for row in csv.DictReader(handle)]
