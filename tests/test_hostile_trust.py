"""Whose seeds a quote is checked against: a pull request cannot bring its own copy of the seeds, lead the
seeds folder out of the repository, or cite a source that nothing checks and still pass.

Each attack runs the command in a subprocess inside a scratch repository (the fixture of
test_hostile_reads) and checks the finding, the exit status and that nothing of a planted or linked
file reaches the output.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from rule_cases import TODAY
from test_hostile_reads import HEADER, OUTSIDE_MARKER, _write_index, assert_no_disclosure, cli, files_outside_the_cache, repo  # noqa: F401
from validator.support.paths import find_repository_root, repository_of

FABRICATED = "the county built 999 new bridges in one night"
NEAR_MISS = "all 54 poor villages have withdrawn completely"


def _record(file: str, quote: str) -> str:
    return HEADER + (f'sources:\n  - {{id: s1, file: "{file}", title: Source, language: en}}\n'
                     f'observations:\n  - {{id: v, metric: poor_villages, value: 999 villages, source: s1, quote: "{quote}"}}\n')


def _findings(completed: subprocess.CompletedProcess) -> list[dict]:
    return json.loads(completed.stdout)["findings"]


def _git(root: Path, *arguments: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *arguments], cwd=root, check=True, capture_output=True)


def _plant_a_repository_in_records(root: Path, seeds_as_link: bool) -> None:
    """records/schema/units.txt and records/seeds (a folder, or a link to one) holding the pull request's own seed."""
    records = root / "records"
    (records / "schema").mkdir()
    shutil.copyfile(root / "schema" / "units.txt", records / "schema" / "units.txt")
    own = records / ("own-seeds" if seeds_as_link else "seeds")
    own.mkdir()
    (own / "own.txt").write_text(FABRICATED + "\n", encoding="utf-8")
    _write_index(own, ["own.txt"])
    if seeds_as_link:
        (records / "seeds").symlink_to("own-seeds")


@pytest.mark.parametrize("in_git", [True, False], ids=["git-clone", "no-git"])
@pytest.mark.parametrize("seeds_as_link", [False, True], ids=["seeds-folder", "seeds-link"])
def test_seeds_planted_in_records_are_not_the_repository_s(repo: Path, in_git: bool, seeds_as_link: bool) -> None:
    if in_git:
        _git(repo, "init", "-q")
    _plant_a_repository_in_records(repo, seeds_as_link)
    (repo / "records" / "fabricated.yaml").write_text(_record("seeds/own.txt", FABRICATED), encoding="utf-8")
    for arguments in (["records"], ["records/fabricated.yaml"]):
        completed = cli(repo, "validate", "--today", TODAY.isoformat(), "--format", "json", *arguments)
        assert completed.returncode == 1, completed.stdout
        # Checked against the repository's seeds, which do not hold the pull request's copy.
        assert ("records/fabricated.yaml", "QUOTE003") in {(f["file"], f["rule"]) for f in _findings(completed)}
    assert repository_of(repo / "records" / "fabricated.yaml") == repo


def test_the_current_folder_inside_records_does_not_make_records_the_repository(repo: Path, monkeypatch) -> None:
    _git(repo, "init", "-q")
    _plant_a_repository_in_records(repo, seeds_as_link=False)
    monkeypatch.chdir(repo / "records")
    assert find_repository_root() == repo


def test_a_nested_repository_inside_a_clone_is_found_at_its_git_top_level(repo: Path) -> None:
    # A clone inside another folder that looks like a repository (a clone kept in a clone) is its own.
    _git(repo, "init", "-q")
    inner = repo / "vendor" / "clone"
    shutil.copytree(repo, inner, ignore=shutil.ignore_patterns("vendor", ".git"))
    _git(inner, "init", "-q")
    assert repository_of(inner / "records" / "x.yaml") == inner


def _leak_through_seeds_link(root: Path, target: Path, name: str) -> subprocess.CompletedProcess:
    shutil.rmtree(root / "seeds")
    (root / "seeds").symlink_to(target)
    (root / "records" / "leak.yaml").write_text(_record(f"seeds/{name}", NEAR_MISS), encoding="utf-8")
    before = files_outside_the_cache(root)
    outputs = [cli(root, "validate", "--today", TODAY.isoformat(), "--format", fmt, "records") for fmt in ("text", "json", "github")]
    assert files_outside_the_cache(root) == before, "the run wrote something"
    assert all(completed.returncode == 1 for completed in outputs)
    assert_no_disclosure(*(completed.stdout + completed.stderr for completed in outputs))
    return outputs[1]


def _assert_the_source_is_refused(completed: subprocess.CompletedProcess) -> None:
    findings = _findings(completed)
    [refused] = [f for f in findings if f["rule"] == "QUOTE006"]
    assert refused["pointer"] == "/sources/0/file" and "seeds folder" in refused["message"]
    assert not [f for f in findings if f["rule"] in ("QUOTE001", "QUOTE003", "QUOTE004")]


def test_a_seeds_folder_that_links_out_of_the_repository_is_refused_unread(repo: Path) -> None:
    outside = repo.parent / "outside"
    (outside / "secret.txt").write_text(f"all 54 poor villages {OUTSIDE_MARKER} have withdrawn\n", encoding="utf-8")
    _write_index(outside, ["secret.txt"])  # so that the outside folder looks like a seeds folder in every way
    _assert_the_source_is_refused(_leak_through_seeds_link(repo, outside, "secret.txt"))


def test_a_seeds_folder_that_links_to_git_s_folder_does_not_print_its_config(repo: Path) -> None:
    _git(repo, "init", "-q")
    _git(repo, "config", "--local", "remote.origin.token", f"all 54 poor villages {OUTSIDE_MARKER} have withdrawn")
    _assert_the_source_is_refused(_leak_through_seeds_link(repo, Path(".git"), "config"))


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")
def test_a_seeds_folder_that_links_to_proc_does_not_print_the_environment(repo: Path) -> None:
    _assert_the_source_is_refused(_leak_through_seeds_link(repo, Path("/proc/self"), "environ"))


def test_a_source_that_is_only_a_url_fails_the_run_without_strict(repo: Path) -> None:
    record = HEADER + ('sources:\n  - {id: s1, url: "https://example.org/report", title: Online only, language: en}\n'
                       f'observations:\n  - {{id: v, metric: poor_villages, value: 999 villages, source: s1, quote: "{FABRICATED} 999"}}\n')
    (repo / "records" / "online.yaml").write_text(record, encoding="utf-8")
    completed = cli(repo, "validate", "--today", TODAY.isoformat(), "--format", "json", "records")
    assert completed.returncode == 1, completed.stdout
    [unchecked] = [f for f in _findings(completed) if f["rule"] == "QUOTE005"]
    assert unchecked["severity"] == "error" and unchecked["pointer"] == "/sources/0"
