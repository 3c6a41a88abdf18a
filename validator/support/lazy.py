"""A package's exports, imported from their module when first asked for.

A step package names what it offers (`validator.load.load_document`) without importing its modules
when the package is imported: a one-file run imports only what it uses, and no cycle can form.
"""

from __future__ import annotations

from importlib import import_module
from typing import Callable


def exporting(package: str, exports: dict[str, str]) -> Callable[[str], object]:
    """A module-level __getattr__ for `package`: each exported name from its module (relative to the package)."""

    def __getattr__(name: str) -> object:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(import_module(f"{package}.{module}"), name)

    return __getattr__
