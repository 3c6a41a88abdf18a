"""What each minor version of the schema added, marked so that the published schema says so.

A field added in a minor version carries `x-since` in the published schema; a value added to a
controlled vocabulary is listed under `x-since-values` of the fields that take it; units, which
schema/units.txt defines rather than the JSON Schema, are listed at the schema's root
(`x-units-since`). Rule SCHEMA007 reads these marks from the published schema (without the models)
and reports a record that uses an addition but declares an older version.
"""

from __future__ import annotations

from pydantic import Field

from . import SINCE, VALUES_SINCE

# Values added to the vocabularies, by the version that added them.
FUND_STAGES_ADDED = {"leveraged": "1.1"}
METRICS_ADDED = {
    "bridges": "1.1", "reservoirs": "1.1", "institutions": "1.1", "departments": "1.1",
    "person_times": "1.1", "money_usd": "1.1", "teams_per_village": "1.1", "pv_capacity_per_station": "1.1",
    **{name: "1.2" for name in (
        "villages_per_cadre", "members_per_team", "people_per_household", "items_per_person", "items_per_month",
        "meetings_per_month", "jobs_per_year", "occasions_per_year", "days_per_week")},
}
# Units by their name in schema/units.txt (pint's canonical name, or a Chinese alias as a value writes
# it), by the version that added them; also the Chinese scale words a value may write (万, 亿) and the
# words of a number given as 'more than N' (40多人, 4700余户).
UNITS_ADDED = {
    "bridge": "1.1", "reservoir": "1.1", "institution": "1.1", "department": "1.1",
    "person_time": "1.1", "usd": "1.1",
    # Chinese names and scale words, added while 1.1 was in progress (2026-12-02) and not marked until 1.2.
    **{name: "1.1" for name in ("元", "亩", "户", "人", "个", "公里", "平方米", "千瓦", "千", "万", "亿", "百万", "千万")},
    **{name: "1.2" for name in (
        "名", "人次", "村", "乡镇", "家", "所", "项", "头", "只", "次", "间", "条", "期", "座", "口",
        "千米", "平方公里", "公顷", "吨", "公斤", "千克", "斤", "room", "road", "session", "structure", "well",
        "多", "余", "week")},
}


def added_in(version: str | None = None, values: dict[str, str] | None = None):
    """A field's marks: the version that added it, and the versions that added some of its values."""
    extra: dict[str, object] = {}
    if version is not None:
        extra[SINCE] = version
    if values:
        extra[VALUES_SINCE] = dict(values)
    return Field(json_schema_extra=extra)
