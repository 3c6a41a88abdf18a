"""No test leans on which records are in records/ (issue 20).

Adding three valid Chinese and English records turned six of the project's tests red once: a
reference parser, a random sampler and a number reader had only ever seen today's corpus. This test
copies the repository, takes most of the records that cite only the list of the 832 out of the copy,
adds the three records curated for the generalisation check (two quoting Chinese texts, one an
English translation, moved to counties that have no record) with their texts in seeds/, and runs
every test that reads records/ (conftest.py marks them `corpus`) and the validator in the copy.
"""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from validator.support.paths import REPO_ROOT

TESTS = Path(__file__).parent
ADDED = ("county-summary-zh", "infrastructure-zh", "relocation-en")
# Of the records that cite only table cells, the copy keeps one in this many: enough for every test
# that reads them, and a corpus that differs from today's in both directions.
KEEP_ONE_TABLE_RECORD_IN = 100
_IGNORED_ANYWHERE = shutil.ignore_patterns(".git", ".venv*", "__pycache__", "*.pyc", ".pytest_cache")
# What a checkout may hold beside the project (built sites, the benchmarks' corpus): not copied.
_IGNORED_AT_TOP = {"_site", "site", "artifacts", "test-artifacts"}


def _ignored(folder: str, names: list[str]) -> set[str]:
    ignored = set(_IGNORED_ANYWHERE(folder, names))
    if Path(folder) == REPO_ROOT:
        ignored |= _IGNORED_AT_TOP & set(names)
    if Path(folder) == REPO_ROOT / "benchmarks":
        ignored |= {"corpus"} & set(names)
    return ignored


def _free_counties(count: int, taken: set[str]) -> list[dict[str, str]]:
    """Counties of the reference list that are neither among the 832 nor in records/ (so no designation)."""
    on_the_list = {row["code"] for row in csv.DictReader((REPO_ROOT / "schema/reference/poverty_counties_832.csv").open(encoding="utf-8"))}
    free = []
    for row in csv.DictReader((REPO_ROOT / "schema/reference/counties.csv").open(encoding="utf-8")):
        if row["code"] not in on_the_list and row["code"] not in taken and row["name_zh"].endswith("县") and row["prefecture_zh"]:
            free.append(row)
    return free[:: len(free) // count][:count]


def _copy_with_other_records(copy: Path) -> list[str]:
    shutil.copytree(REPO_ROOT, copy, ignore=_ignored, symlinks=True)
    records = copy / "records"
    table_only = sorted(p for p in records.rglob("*.yaml") if "quote:" not in p.read_text(encoding="utf-8"))
    for position, path in enumerate(table_only):
        if position % KEEP_ONE_TABLE_RECORD_IN:
            path.unlink()
    taken = {yaml.safe_load(p.read_text(encoding="utf-8"))["division"]["code"] for p in records.rglob("*.yaml")}
    index = (copy / "seeds" / "index.yaml").read_text(encoding="utf-8").rstrip("\n") + "\n"
    added = []
    for name, county in zip(ADDED, _free_counties(len(ADDED), taken)):
        # The record as its curator wrote it, moved to a county without a record: only its division line changes.
        text = (TESTS / "fixtures" / "generalisation" / f"{name}.yaml").read_text(encoding="utf-8")
        record = yaml.safe_load(text)
        division = (f'division: {{code: "{county["code"]}", name_en: {county["name_en"]}, name_zh: {county["name_zh"]}, '
                    f'province: {county["province_en"]}, prefecture: {county["prefecture_zh"]}}}')
        lines = text.splitlines(keepends=True)
        [at] = [i for i, line in enumerate(lines) if line.startswith("division: {")]
        lines[at] = division + "\n"
        seed = (TESTS / "fixtures" / "seeds" / f"{name}.txt").read_bytes()
        (copy / "seeds" / f"{name}.txt").write_bytes(seed)
        index += (f"  - file: {name}.txt\n    sha256: {hashlib.sha256(seed).hexdigest()}\n"
                  f"    title: {name}, a text written for the generalisation check\n    language: {record['sources'][0]['language']}\n")
        target = records / county["province_en"].lower().replace(" ", "-") / f"added-{name}.yaml"
        target.parent.mkdir(exist_ok=True)
        # The first line every record carries, for editors (test_records checks it).
        header = "# yaml-language-server: $schema=../../schema/v1/county-record.schema.json\n"
        target.write_text(header + "".join(lines), encoding="utf-8")
        added.append(str(target.relative_to(copy)))
    (copy / "seeds" / "index.yaml").write_text(index, encoding="utf-8")
    return added


def test_the_tests_that_read_records_pass_with_other_valid_records(tmp_path: Path) -> None:
    copy = tmp_path / "repository"
    added = _copy_with_other_records(copy)
    assert len(added) == len(ADDED)
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env |= {"PYTHONPATH": str(copy), "COUNTY_RECORDS_CACHE_DIR": str(tmp_path / "cache")}
    # The copy's own validator is the one tested, not this checkout's installed one.
    where = subprocess.run([sys.executable, "-c", "import validator; print(validator.__file__)"], cwd=copy, env=env,
                           capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()).is_relative_to(copy)

    validated = subprocess.run([sys.executable, "-m", "validator", "validate", "--format", "json", "records"],
                               cwd=copy, env=env, capture_output=True, text=True)
    assert validated.returncode == 0, validated.stdout[-3000:] + validated.stderr[-3000:]
    report = yaml.safe_load(validated.stdout)
    assert report["files"] == len(list((copy / "records").rglob("*.yaml")))
    assert not [f for f in report["findings"] if f["file"] in added and f["severity"] in ("error", "warning")]

    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "corpus", "-x",
                            "--ignore", "tests/test_corpus_independence.py", "tests"],
                           cwd=copy, env=env, capture_output=True, text=True)
    assert tests.returncode == 0, tests.stdout[-6000:] + tests.stderr[-3000:]
