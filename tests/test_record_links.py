"""A record that links out of its repository is refused unread (YAML017): a pull request cannot make
the validator print lines of /etc/passwd or a key into CI logs through records/x.yaml -> elsewhere."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from test_incremental import scratch  # noqa: F401 (a fixture: a scratch copy of the repository)

SECRET = "root-secret-line-that-must-not-appear"


def _validate(cwd: Path, *paths: str) -> tuple[int, str]:
    completed = subprocess.run([sys.executable, "-m", "validator", "validate", "--format", "github", "--today", "2026-11-22", *paths],
                               cwd=cwd, capture_output=True, text=True, timeout=120,
                               env={**os.environ, "COUNTY_RECORDS_CACHE_DIR": ""})
    assert "Traceback" not in completed.stderr, completed.stderr
    return completed.returncode, completed.stdout + completed.stderr


def test_a_record_linking_out_of_the_repository_is_refused_unread(scratch: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.yaml"
    outside.write_text(f"{SECRET}: [\n", encoding="utf-8")  # would be YAML001 with its text if read
    (scratch / "records/hunan/evil.yaml").symlink_to(outside)
    for arguments in (["records/hunan/evil.yaml"], []):  # named, as the hook does, and found in records/
        status, output = _validate(scratch, *arguments)
        assert status == 1
        assert "YAML017" in output and "records/hunan/evil.yaml" in output
        assert SECRET not in output


def test_a_link_to_another_record_inside_the_repository_is_read(scratch: Path) -> None:
    (scratch / "records/hunan/alias.yaml").symlink_to(scratch / "records/hunan/yanling.yaml")
    status, output = _validate(scratch, "records/hunan/alias.yaml")
    assert "YAML017" not in output
    assert status == 0


def test_a_record_outside_any_repository_is_the_users_own_and_is_read(scratch: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "copy.yaml").symlink_to(scratch / "records/hunan/yanling.yaml")
    _, output = _validate(scratch, str(elsewhere / "copy.yaml"))
    assert "YAML017" not in output
