"""Hostile git input: a revision named like an option, and trees whose entries are not what `diff` expects
(a submodule entry named *.yaml, a file name with a line break). Each builds a scratch repository in tmp_path."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from rule_cases import FIXTURE_SEEDS, TODAY
from test_hostile_reads import HEADER, cli, repo  # noqa: F401
from validator.commands.diff import changed_since, compare_with_revision
from validator.engine import Settings

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

SETTINGS = Settings(today=TODAY, seeds_dir=FIXTURE_SEEDS, jobs=1)
VALID = HEADER + ("sources: [{id: s1, file: seeds/fixture.txt, title: Fixture, language: en}]\n"
                  'observations:\n  - {id: v, metric: poor_villages, value: 54 villages, source: s1, quote: "all 54 poor villages have withdrawn"}\n')
INVENTED = VALID.replace("all 54 poor villages have withdrawn", "all 54 poor villages withdrew in a week")


def git(root: Path, *arguments: str, stdin: str | None = None) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false", *arguments],
                          cwd=root, check=True, capture_output=True, text=True, input=stdin).stdout.strip()


def committed(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")


def test_a_revision_named_like_an_option_is_a_revision_not_an_option(repo: Path) -> None:  # noqa: F811
    committed(repo, {"records/clean.yaml": VALID, "records/edited.yaml": VALID})
    victim = repo.parent / "victim.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    git(repo, "update-ref", f"refs/heads/--output={victim}", "HEAD")
    (repo / "records" / "edited.yaml").write_text(INVENTED, encoding="utf-8")
    completed = cli(repo, "validate", "--format", "json", "--today", TODAY.isoformat(), f"--changed=--output={victim}")
    assert victim.read_text(encoding="utf-8") == "keep me\n"
    assert completed.returncode == 1, completed.stdout + completed.stderr
    findings = json.loads(completed.stdout)["findings"]
    assert ("records/edited.yaml", "QUOTE001") in {(f["file"], f["rule"]) for f in findings}
    assert {f["file"] for f in findings} == {"records/edited.yaml"}
    assert changed_since(f"--output={victim}", repo) == ["records/edited.yaml"]
    assert victim.read_text(encoding="utf-8") == "keep me\n"


def _with_a_submodule_entry(root: Path, name: str, message: str) -> None:
    """Add to the index a gitlink `name` naming a commit of this repository whose message is `message`."""
    tree = git(root, "write-tree")
    linked = git(root, "commit-tree", tree, stdin=message)
    git(root, "update-index", "--add", "--cacheinfo", f"160000,{linked},{name}")


@pytest.mark.parametrize("message", ["plain message\n", "x blob 12\n\nx blob notanumber\n"], ids=["plain", "blob-like-message"])
def test_a_submodule_entry_named_like_a_record_is_skipped(tmp_path: Path, message: str) -> None:
    records = {f"records/{letter}.yaml": VALID for letter in "bcdefgh"}
    committed(tmp_path, records)
    _with_a_submodule_entry(tmp_path, "records/a-submodule.yaml", message)
    git(tmp_path, "commit", "-qm", "a submodule entry sorted before the records")
    changes = compare_with_revision("HEAD", [], SETTINGS, repo_root=tmp_path)
    assert changes.files == []  # the working tree is clean: nothing changed
    assert changes.files_compared == len(records)


def test_a_record_name_with_a_line_break_is_read_whole(tmp_path: Path) -> None:
    committed(tmp_path, {"records/a\nb.yaml": VALID, "records/c.yaml": VALID})
    assert compare_with_revision("HEAD", [], SETTINGS, repo_root=tmp_path).files == []
    (tmp_path / "records" / "a\nb.yaml").write_text(VALID.replace("54 villages", "55 villages"), encoding="utf-8")
    [changed] = compare_with_revision("HEAD", [], SETTINGS, repo_root=tmp_path).files
    assert changed.file == "records/a\nb.yaml"
    assert [(c.old.value, c.new.value) for c in changed.figures_changed] == [("54 villages", "55 villages")]
