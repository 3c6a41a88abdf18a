"""The reference list of county-level divisions (schema/reference/counties.csv, GB/T 2260 codes)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .paths import COUNTIES_CSV


@dataclass(frozen=True, slots=True)
class ReferenceDivision:
    code: str
    name_zh: str
    name_en: str
    prefecture_zh: str
    province_code: str
    province_zh: str
    province_en: str


@cache
def reference_divisions(path: Path = COUNTIES_CSV) -> dict[str, ReferenceDivision]:
    with open(path, encoding="utf-8", newline="") as handle:
        return {
            row["code"]: ReferenceDivision(
                row["code"], row["name_zh"], row["name_en"], row["prefecture_zh"],
                row["province_code"], row["province_zh"], row["province_en"],
            )
            for row in csv.DictReader(handle)
        }


@cache
def reference_provinces(path: Path = COUNTIES_CSV) -> dict[str, tuple[str, str]]:
    """Province code -> (Chinese name, English name)."""
    return {d.province_code: (d.province_zh, d.province_en) for d in reference_divisions(path).values()}
