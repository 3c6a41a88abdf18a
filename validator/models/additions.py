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
}
# Units by their name in schema/units.txt (pint's canonical name), by the version that added them.
UNITS_ADDED = {
    "bridge": "1.1", "reservoir": "1.1", "institution": "1.1", "department": "1.1",
    "person_time": "1.1", "usd": "1.1",
}


def added_in(version: str | None = None, values: dict[str, str] | None = None):
    """A field's marks: the version that added it, and the versions that added some of its values."""
    extra: dict[str, object] = {}
    if version is not None:
        extra[SINCE] = version
    if values:
        extra[VALUES_SINCE] = dict(values)
    return Field(json_schema_extra=extra)
