"""validator/ shows the pipeline's steps as packages, each exporting its step, and nothing else lies at its top."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

import validator

PACKAGE = Path(validator.__file__).parent
STEPS = ("load", "structure", "record", "rules", "corpus", "acknowledgements", "reporters", "commands", "support")


def test_the_top_level_holds_the_steps_and_the_entry_points_only() -> None:
    modules = {path.stem for path in PACKAGE.glob("*.py")}
    assert modules == {"__init__", "__main__", "cli", "engine"}
    packages = {path.parent.name for path in PACKAGE.glob("*/__init__.py")}
    assert packages == {*STEPS, "models"}


@pytest.mark.parametrize("step", ["load", "structure", "record", "corpus", "acknowledgements", "support"])
def test_a_step_exports_what_its_modules_define(step: str) -> None:
    package = importlib.import_module(f"validator.{step}")
    source = (PACKAGE / step / "__init__.py").read_text(encoding="utf-8")
    # The exports as the package lists them: `    "name": "module",` lines.
    exports = [(line.split('"')[1], line.split('"')[3]) for line in source.splitlines() if line.startswith('    "')]
    assert exports, f"validator.{step} exports nothing"
    for name, module in exports:
        assert getattr(package, name) is getattr(importlib.import_module(f"validator.{step}.{module}"), name)
    with pytest.raises(AttributeError):
        package.no_such_export
