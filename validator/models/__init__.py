"""Record schemas by version. A record is checked against the schema of the version it declares.

The model modules are imported only when asked for (`models_of`): validating a record that fits its
schema needs only the published JSON Schema (validator/published.py), not the models.
"""

from __future__ import annotations

import importlib
from types import ModuleType

# Every schema version this validator knows, oldest first, and the major version whose module defines it.
SCHEMA_VERSIONS: tuple[str, ...] = ("1.0", "1.1", "1.2")
MAJORS: tuple[str, ...] = ("1",)

# How the published schema marks what a minor version added (validator/models/additions.py writes
# them, validator/published.py reads them): a field's `x-since`, the vocabulary values a field
# takes since a version (`x-since-values`), and at the root, the units of schema/units.txt by version.
SINCE = "x-since"
VALUES_SINCE = "x-since-values"
UNITS_SINCE = "x-units-since"


def major_of(version: str) -> str:
    return version.partition(".")[0]


def version_key(version: str) -> tuple[int, ...]:
    """"1.10" sorts after "1.9"."""
    return tuple(int(part) for part in version.split("."))


def models_of(major: str) -> ModuleType:
    """The module of pydantic models of a major version (validator/models/vMAJOR.py)."""
    if major not in MAJORS:
        raise KeyError(major)
    return importlib.import_module(f"{__name__}.v{major}")
