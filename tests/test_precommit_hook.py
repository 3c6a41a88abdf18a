"""The pre-commit hooks, run by pre-commit itself: the published one from a commit of this repository, in a
scratch repository of records, and this repository's own local one, in a fresh clone, on `git commit`.

For the published hook, pre-commit installs the hook's package (not editable, from the pinned commit:
the repository has no release tags) in an environment of its own. The local hook runs the validator
of the clone's .venv (the README's set-up) and needs no network. Both pass only the changed files,
and must still see the whole corpus.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from rule_cases import FIXTURE_SEEDS
from validator.support.paths import REPO_ROOT

PROJECT_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "validator", "schema", "seeds")
GIT = ["git", "-c", "user.name=test", "-c", "user.email=test@example.org", "-c", "init.defaultBranch=main"]


def git(folder: Path, *arguments: str) -> None:
    subprocess.run([*GIT, *arguments], cwd=folder, check=True, capture_output=True)


@pytest.fixture(scope="module")
def data_repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("precommit")
    hook_repo = base / "county-records"
    for name in PROJECT_FILES:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, hook_repo / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            hook_repo.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, hook_repo / name)
    git(hook_repo, "init", "-q")
    git(hook_repo, "add", "-A")
    git(hook_repo, "commit", "-q", "-m", "release")
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=hook_repo, check=True, capture_output=True, text=True).stdout.strip()
    data = base / "data"
    for name in ("schema", "seeds", "records"):
        shutil.copytree(REPO_ROOT / name, data / name)
    (data / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {hook_repo.as_uri()}\n"
        f"    rev: {commit}\n"  # no tag: pinned by commit id, as the documentation says
        "    hooks:\n"
        "      - id: county-records\n",
        encoding="utf-8",
    )
    git(data, "init", "-q")
    git(data, "add", "-A")
    git(data, "commit", "-q", "-m", "records")
    return data


def pre_commit(data: Path) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PRE_COMMIT_HOME": str(data.parent / "pre-commit-home"),
                   "COUNTY_RECORDS_CACHE_DIR": str(data.parent / "cache")}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--color", "never"], cwd=data, env=environment,
        capture_output=True, text=True, timeout=900,
    )


def test_the_hook_fails_a_copied_record_with_code001_and_passes_a_clean_change(data_repository: Path) -> None:
    copy = data_repository / "records" / "guizhou" / "rongjiang2.yaml"
    shutil.copyfile(data_repository / "records" / "guizhou" / "rongjiang.yaml", copy)
    git(data_repository, "add", str(copy))
    failing = pre_commit(data_repository)
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "records/guizhou/rongjiang2.yaml:" in failing.stdout and " CODE001 " in failing.stdout, failing.stdout
    git(data_repository, "rm", "-q", "--cached", str(copy))
    copy.unlink()
    record = data_repository / "records" / "hunan" / "yanling.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "# a curator's note\n", encoding="utf-8")
    git(data_repository, "add", str(record))
    passing = pre_commit(data_repository)
    assert passing.returncode == 0, passing.stdout + passing.stderr


# A record of a county, quoting tests/fixtures/seeds/fixture.txt; QUOTE stands for its quote.
RECORD = (
    'schema_version: "1.1"\n'
    'division: {code: "430225", name_en: Yanling County, name_zh: 炎陵县, province: Hunan, prefecture: 株洲市, '
    'designations: [national_poverty_county]}\n'
    "sources: [{id: s1, file: seeds/fixture.txt, title: Fixture, language: en}]\n"
    "observations:\n  - {id: villages, metric: poor_villages, value: 54 villages, quote: QUOTE}\n"
)
# Where pre-commit or pip would go for a package: nowhere (a closed port), so the hook must not need the network.
OFFLINE = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "http_proxy": "http://127.0.0.1:9",
           "https_proxy": "http://127.0.0.1:9", "PIP_NO_INDEX": "1"}


def _local_hook() -> dict:
    [repository] = yaml.safe_load((REPO_ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"]
    assert repository["repo"] == "local"
    [hook] = repository["hooks"]
    return hook


def test_the_local_hook_checks_what_the_published_hook_checks() -> None:
    [published] = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    local = _local_hook()
    assert local["id"] == published["id"]
    assert local["files"] == published["files"] and local.get("require_serial") == published.get("require_serial") is True
    [local_program, *local_arguments], [program, *arguments] = local["entry"].split(), published["entry"].split()
    assert (Path(local_program).name, local_arguments) == (program, arguments) == ("county-records", ["validate"])


@pytest.fixture
def fresh_clone(tmp_path: Path) -> Path:
    """A clone of a repository holding this one's .pre-commit-config.yaml, schema/ and fixture seeds, set up as the
    README says (a .venv whose county-records is the validator under test), with `pre-commit install` run."""
    origin = tmp_path / "origin"
    shutil.copytree(REPO_ROOT / "schema", origin / "schema")
    (origin / "seeds").mkdir()
    for name in ("fixture.txt", "index.yaml"):
        shutil.copyfile(FIXTURE_SEEDS / name, origin / "seeds" / name)
    (origin / "records").mkdir()
    (origin / "records" / ".keep").touch()
    shutil.copyfile(REPO_ROOT / ".pre-commit-config.yaml", origin / ".pre-commit-config.yaml")
    git(origin, "init", "-q")
    git(origin, "add", "-A")
    git(origin, "commit", "-q", "-m", "origin")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(origin), str(clone)], check=True, capture_output=True)
    validator_bin = clone / _local_hook()["entry"].split()[0]
    validator_bin.parent.mkdir(parents=True)
    validator_bin.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m validator "$@"\n', encoding="utf-8")
    validator_bin.chmod(0o755)
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=clone, env=_hook_environment(tmp_path),
                   check=True, capture_output=True)
    return clone


def _hook_environment(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, **OFFLINE, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
            "COUNTY_RECORDS_CACHE_DIR": str(tmp_path / "cache")}


def _commit(clone: Path, path: Path, text: str) -> subprocess.CompletedProcess:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    git(clone, "add", "-A")
    return subprocess.run([*GIT, "commit", "-m", f"curate {path.name}"], cwd=clone, env=_hook_environment(clone.parent),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)


def _head(clone: Path) -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=clone, check=True, capture_output=True, text=True).stdout


def test_in_a_fresh_clone_the_local_hook_refuses_a_broken_record_and_accepts_the_fixed_one(fresh_clone: Path) -> None:
    record = fresh_clone / "records" / "hunan" / "yanling.yaml"
    before = _head(fresh_clone)
    broken = _commit(fresh_clone, record, RECORD.replace("QUOTE", '"all 54 poor vilages have withdrawn"'))
    assert broken.returncode != 0, broken.stdout
    assert "records/hunan/yanling.yaml:" in broken.stdout and " QUOTE001 " in broken.stdout, broken.stdout
    assert _head(fresh_clone) == before, "the broken record was committed"

    fixed = _commit(fresh_clone, record, RECORD.replace("QUOTE", '"all 54 poor villages have withdrawn"'))
    assert fixed.returncode == 0, fixed.stdout
    assert _head(fresh_clone) != before

    # Only the copy changes, yet it is checked against the committed record: the whole corpus is the context.
    copied = _commit(fresh_clone, fresh_clone / "records" / "hunan" / "yanling2.yaml", record.read_text(encoding="utf-8"))
    assert copied.returncode != 0 and " CODE001 " in copied.stdout, copied.stdout
