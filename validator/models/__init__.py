"""Record schemas by version. A record is checked against the schema of the version it declares."""

from __future__ import annotations

from types import ModuleType

from . import v1

# Every schema version this validator knows, mapped to the module whose models define it.
MODULE_BY_VERSION: dict[str, ModuleType] = {version: v1 for version in v1.SCHEMA_VERSIONS}
MODULE_BY_MAJOR: dict[str, ModuleType] = {"1": v1}
