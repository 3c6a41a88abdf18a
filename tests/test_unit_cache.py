"""The unit cache returns what pint says, survives a new process, and can be turned off."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from validator.record.quantities import parse_unit, unit_registry
from validator.record.unit_cache import UnitCache, _digest


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


def test_a_file_that_is_not_json_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "units.json"
    path.write_text("{not json", encoding="utf-8")
    assert UnitCache(path).get("yuan") is None


@pytest.mark.parametrize("wrong", ["wrong shape", ["yuan", [], 0.0], ["yuan", [["currency", 1.0]], 1.0],
                                   ["yuan", [["[person]", 1.0], ["[currency]", 1.0]], 1.0]])
def test_a_corrupt_cache_file_is_ignored(tmp_path: Path, wrong: object) -> None:
    # A file the cache wrote, with one entry put out of shape and its checksum made to fit again: only
    # the check of each entry's shape can tell.
    path = tmp_path / "units.json"
    cache = UnitCache(path)
    for text in ("yuan", "mu"):
        cache.put(text, _pint_answer(text))
    cache.flush()
    document = json.loads(path.read_text(encoding="utf-8"))
    document["entries"]["yuan"] = wrong
    document["sha256"] = _digest(document["entries"])
    path.write_text(json.dumps(document), encoding="utf-8")
    reread = UnitCache(path)
    assert (reread.get("yuan"), reread.get("mu"), reread.rebuild) == (None, None, True)  # discarded whole


def _parse_in_a_process(cache_dir: str, home: Path) -> dict:
    program = ("import json, sys; from validator.record.quantities import parse_unit; info = parse_unit('yuan/person/month'); "
               "print(json.dumps({'answer': [info.canonical, info.dimensionality, info.to_base], 'pint': 'pint' in sys.modules}))")
    environment = {**os.environ, "COUNTY_RECORDS_CACHE_DIR": cache_dir, "HOME": str(home), "XDG_CACHE_HOME": str(home)}
    completed = subprocess.run([sys.executable, "-c", program], env=environment, capture_output=True, text=True, check=True)
    return json.loads(completed.stdout)


def test_parse_unit_result_is_the_same_with_and_without_cache(tmp_path: Path) -> None:
    without = _parse_in_a_process("", tmp_path)
    cold = _parse_in_a_process(str(tmp_path / "cache"), tmp_path)
    warm = _parse_in_a_process(str(tmp_path / "cache"), tmp_path)
    assert (without["pint"], cold["pint"], warm["pint"]) == (True, True, False)  # the last answer is the cache's
    expected = json.loads(json.dumps(list(_pint_answer("yuan/person/month"))))
    assert without["answer"] == cold["answer"] == warm["answer"] == expected
