"""The pre-commit hook, run by pre-commit itself from a tag of this repository, in a scratch repository of records.

pre-commit installs the hook's package (not editable, from the tagged commit) in an environment of
its own; the hook passes only the changed files, and must still see the whole corpus.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from validator.paths import REPO_ROOT

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
    git(hook_repo, "tag", "v0.1.0")
    data = base / "data"
    for name in ("schema", "seeds", "records"):
        shutil.copytree(REPO_ROOT / name, data / name)
    (data / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {hook_repo.as_uri()}\n"
        "    rev: v0.1.0\n"
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
