"""CODE: administrative codes are unique across records and agree with the reference lists."""

from __future__ import annotations

from typing import Iterator

from ..corpus.facts import CorpusFacts, in_focus
from ..support.findings import Finding, Related, Severity
from ..load.loader import child_pointer
from ..corpus.reference import is_national_poverty_code, reference_division, reference_province
from ..support.text import PATH, clip, clip_repr
from ..record.typed import RecordContext
from .base import rule

CorpusFindings = Iterator[tuple[str, Finding]]
# Yanling as a record states it: on the list of the 832, so designated (CODE004).
_YANLING = (
    'division: {code: "430225", name_en: Yanling County, name_zh: 炎陵县, province: Hunan, prefecture: 株洲市,\n'
    "           designations: [national_poverty_county]}\n"
)


@rule(
    "CODE001", "duplicate-admin-code", Severity.ERROR, scope="corpus",
    summary="Two records for the same administrative code.",
    what="Reports every record whose division code was already used by a record before it in path order (the "
         "records' paths, wherever the validator is run from), naming that record.",
    why="One county, one record: two records for a county split its figures and hide conflicts between them.",
    example=_YANLING + "# (and a second record with the same code)\n",
    use_instead=_YANLING,
    examples_run=False,
)
def duplicate_admin_code(facts: list[tuple[str, CorpusFacts]], focus: frozenset[str] | None = None) -> CorpusFindings:
    first_by_code: dict[str, str] = {}
    for display, record in facts:
        if record.code in first_by_code:
            first = first_by_code[record.code]
            yield display, Finding(
                f"code {record.code} already has a record: {clip(first, PATH)}; merge the two", pointer="/division/code",
                related=(Related("other record", "/division/code", file=first),), data={"code": record.code},
            )
        else:
            first_by_code[record.code] = display


@rule(
    "CODE002", "admin-code-mismatch", Severity.ERROR, scope="corpus",
    summary="A division whose names, province or prefecture disagree with the reference list for its code.",
    what=(
        "Looks up the division's code in schema/reference/counties.csv (MCA list, GB/T 2260) and reports a Chinese "
        "or English name, province (English) or prefecture (Chinese) that differs from it. Province records are "
        "checked against the province's names."
    ),
    why="A code that belongs to another county attaches every figure to the wrong place; a name check catches a mistyped digit.",
    example='division: {code: "430224", name_en: Yanling County, name_zh: 炎陵县, province: Hunan, prefecture: 株洲市, designations: [national_poverty_county]}\n',
    use_instead=_YANLING,
)
def admin_code_mismatch(facts: list[tuple[str, CorpusFacts]], focus: frozenset[str] | None = None) -> CorpusFindings:
    for display, record in in_focus(facts, focus):  # each record on its own: the others' are not asked for
        if record.level == "province":
            names = reference_province(record.code)
            if names is not None:
                expected = {"name_zh": names[0], "province": names[1]}
                actual = {"name_zh": record.name_zh, "province": record.province}
                yield from _mismatches(display, record.code, expected, actual)
            continue
        reference = reference_division(record.code)
        if reference is None:
            continue  # CODE003
        expected = {"name_zh": reference.name_zh, "name_en": reference.name_en, "province": reference.province_en,
                    "prefecture": reference.prefecture_zh or None}
        actual = {"name_zh": record.name_zh, "name_en": record.name_en, "province": record.province, "prefecture": record.prefecture}
        yield from _mismatches(display, record.code, expected, actual)


def _mismatches(display: str, code: str, expected: dict, actual: dict) -> CorpusFindings:
    for field, value in expected.items():
        if actual[field] != value:
            yield display, Finding(f"the reference list has {field} {value!r} for code {code}, the record says {clip_repr(actual[field])}; check the code and the name",
                pointer=child_pointer("/division", field),
            )


@rule(
    "CODE003", "unknown-admin-code", Severity.ERROR, scope="corpus",
    summary="A division code that is not in the reference list.",
    what="Reports a county record whose code is not a county-level code of schema/reference/counties.csv, and a province record whose code is not a province's.",
    why="Codes change when counties merge or are renamed; a code that is not current, or not a code at all, cannot be joined with other data.",
    example='division: {code: "439999", name_en: Yanling County, name_zh: 炎陵县, province: Hunan, prefecture: 株洲市}\n',
    use_instead=_YANLING,
)
def unknown_admin_code(facts: list[tuple[str, CorpusFacts]], focus: frozenset[str] | None = None) -> CorpusFindings:
    for display, record in in_focus(facts, focus):
        known = reference_province(record.code) is not None if record.level == "province" else reference_division(record.code) is not None
        if not known:
            kind = "province" if record.level == "province" else "county-level division"
            yield display, Finding(f"{record.code} is not the code of a {kind} in schema/reference/counties.csv", pointer="/division/code")


NATIONAL = "national_poverty_county"
_DIVISION = (
    'division:\n  code: "430225"\n  name_en: Yanling County\n  name_zh: 炎陵县\n  province: Hunan\n  prefecture: 株洲市\n'
)


@rule(
    "CODE004", "designation-vs-832-list", Severity.ERROR,
    summary="A county on the list of the 832 national poverty counties without that designation, or the other way round.",
    what=(
        f"Looks up the division's code in schema/reference/poverty_counties_832.csv (the current codes of the 832 "
        f"national poverty counties, 国家级贫困县) and reports a county whose code is on the list but whose "
        f"`designations` lack `{NATIONAL}`, and a record (county or province) with `{NATIONAL}` whose code is not on "
        "the list. The designation is historical: a county keeps it after its exit (摘帽)."
    ),
    why=(
        "Analyses group counties by designation: a national poverty county recorded without it drops out of every "
        "comparison of the 832, and a designation the list does not support puts a county among them that was "
        "never named. The list is the reference; a code that disagrees with it is usually a designation forgotten "
        "or copied from another record."
    ),
    example=_DIVISION + "  designations: [contiguous_poverty_area]\n",
    use_instead=_DIVISION + f"  designations: [{NATIONAL}, contiguous_poverty_area]\n",
)
def designation_vs_832_list(context: RecordContext) -> Iterator[Finding]:
    division = context.record.division
    on_list = is_national_poverty_code(division.code)
    designated = NATIONAL in division.designations
    if on_list and not designated and division.level == "county":
        has_list = "designations" in (context.document.data.get("division") or {})
        yield Finding(
            f"code {division.code} is on the list of the 832 national poverty counties "
            f"(schema/reference/poverty_counties_832.csv), but `designations` lack {NATIONAL}; add it",
            pointer="/division/designations" if has_list else "/division/code",
            data={"code": division.code, "on_list": True},
        )
    elif designated and not on_list:
        yield Finding(
            f"{NATIONAL}, but code {division.code} is not on the list of the 832 national poverty counties "
            "(schema/reference/poverty_counties_832.csv); remove the designation, or check the code",
            pointer=division.place.field("designations").element(division.designations.index(NATIONAL)).pointer,
            data={"code": division.code, "on_list": False},
        )


RULES = [duplicate_admin_code, admin_code_mismatch, unknown_admin_code, designation_vs_832_list]
