"""Record schemas by version. A record is checked against the schema of the version it declares.

The model modules are imported only when asked for (`models_of`): validating a record that fits its
schema needs only the published JSON Schema (validator/schema_check.py), not the models.
"""

from __future__ import annotations

import importlib
from types import ModuleType

# Every schema version this validator knows, oldest first, and the major version whose module defines it.
SCHEMA_VERSIONS: tuple[str, ...] = ("1.0",)
MAJORS: tuple[str, ...] = ("1",)


def major_of(version: str) -> str:
    return version.partition(".")[0]


def models_of(major: str) -> ModuleType:
    """The module of pydantic models of a major version (validator/models/vMAJOR.py)."""
    if major not in MAJORS:
        raise KeyError(major)
    return importlib.import_module(f"{__name__}.v{major}")
