"""The unit cache returns what pint says, survives a new process, and can be turned off."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from validator.record.quantities import parse_unit, unit_registry
from validator.record.unit_cache import UnitCache


def _pint_answer(text: str) -> tuple:
    registry = unit_registry()
    unit = registry.parse_units(text.replace("^", "**"))
    dims = tuple(sorted((str(k), float(v)) for k, v in unit.dimensionality.items()))
    return str(unit), dims, float(registry.Quantity(1, unit).to_base_units().magnitude)


def test_cached_answers_equal_pint_answers(tmp_path: Path) -> None:
    cache = UnitCache(tmp_path / "units.json")
    for text in ("yuan/person/year", "mu", "km^2", "%", "households", "percentage_points"):
        cache.put(text, _pint_answer(text))
    cache.flush()  # the cache is written once, at the end of a run
    reloaded = UnitCache(tmp_path / "units.json")
    for text in ("yuan/person/year", "mu", "km^2", "%", "households", "percentage_points"):
        assert reloaded.get(text) == _pint_answer(text)


def test_a_second_process_answers_from_the_cache_without_importing_pint(tmp_path: Path) -> None:
    environment = {**os.environ, "COUNTY_RECORDS_CACHE_DIR": str(tmp_path)}
    program = "import sys; from validator.record.quantities import parse_unit; parse_unit('yuan/household'); print('pint' in sys.modules)"
    first = subprocess.run([sys.executable, "-c", program], env=environment, capture_output=True, text=True, check=True)
    second = subprocess.run([sys.executable, "-c", program], env=environment, capture_output=True, text=True, check=True)
    assert first.stdout.strip() == "True"
    assert second.stdout.strip() == "False"
    assert len(list(tmp_path.glob("units-*.json"))) == 1


def test_an_empty_cache_dir_setting_turns_the_cache_off(tmp_path: Path) -> None:
    environment = {**os.environ, "COUNTY_RECORDS_CACHE_DIR": "", "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path)}
    program = "from validator.record.quantities import parse_unit; parse_unit('yuan/household')"
    subprocess.run([sys.executable, "-c", program], env=environment, check=True)
    assert list(tmp_path.rglob("units-*.json")) == []


def test_a_corrupt_cache_file_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "units.json"
    path.write_text("{not json", encoding="utf-8")
    assert UnitCache(path).get("yuan") is None
    path.write_text(json.dumps({"yuan": "wrong shape"}), encoding="utf-8")
    assert UnitCache(path).get("yuan") is None


def test_parse_unit_result_is_the_same_with_and_without_cache() -> None:
    info = parse_unit("yuan/person/month")
    assert (info.canonical, info.dimensionality, info.to_base) == _pint_answer("yuan/person/month")
