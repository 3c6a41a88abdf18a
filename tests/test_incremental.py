"""`validate FILE...` sees the whole corpus: the pre-commit hook's verdict on a commit is CI's.

Each test works in a scratch copy of the repository (schema, seeds, records) and runs the command
there, as the hook does, so the repository's own records are never touched.
"""

from __future__ import annotations

import hashlib
from array import array
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from validator.corpus_cache import CorpusCache
from validator.paths import REPO_ROOT

TODAY = "2026-11-22"


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    for part in ("schema", "seeds", "records"):
        shutil.copytree(REPO_ROOT / part, root / part)
    return root


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def validate(scratch: Path, cache_dir: Path, *arguments: str) -> tuple[int, list[dict]]:
    environment = {**os.environ, "COUNTY_RECORDS_CACHE_DIR": str(cache_dir)}
    completed = subprocess.run(
        [sys.executable, "-m", "validator", "validate", "--format", "json", "--today", TODAY, *arguments],
        cwd=scratch, env=environment, capture_output=True, text=True, timeout=120,
    )
    assert "Traceback" not in completed.stderr, completed.stderr
    return completed.returncode, json.loads(completed.stdout)["findings"]


def test_a_copied_record_fails_with_code001_when_only_the_copy_is_checked(scratch: Path, cache_dir: Path) -> None:
    shutil.copyfile(scratch / "records/guizhou/rongjiang.yaml", scratch / "records/guizhou/rongjiang2.yaml")
    status, findings = validate(scratch, cache_dir, "records/guizhou/rongjiang2.yaml")
    assert status == 1
    [duplicate] = [f for f in findings if f["rule"] == "CODE001"]
    assert duplicate["file"] == "records/guizhou/rongjiang2.yaml"
    assert [(r["role"], r["file"]) for r in duplicate["related"]] == [("other record", "records/guizhou/rongjiang.yaml")]
    # Only what concerns the checked file is reported: nothing else of the other records.
    assert {f["file"] for f in findings} == {"records/guizhou/rongjiang2.yaml"}


def test_a_copy_that_sorts_first_makes_the_original_the_second_holder(scratch: Path, cache_dir: Path) -> None:
    shutil.copyfile(scratch / "records/guizhou/rongjiang.yaml", scratch / "records/guizhou/a-copy.yaml")
    status, findings = validate(scratch, cache_dir, "records/guizhou/a-copy.yaml")
    full_status, full = validate(scratch, cache_dir)
    assert status == full_status == 1
    duplicates = [(f["file"], f["line"]) for f in findings if f["rule"] == "CODE001"]
    assert duplicates == [(f["file"], f["line"]) for f in full if f["rule"] == "CODE001"]
    assert duplicates == [("records/guizhou/rongjiang.yaml", duplicates[0][1])]


def test_a_clean_change_passes_and_agrees_with_a_full_run(scratch: Path, cache_dir: Path) -> None:
    record = scratch / "records/hunan/yanling.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "# a curator's comment\n", encoding="utf-8")
    status, findings = validate(scratch, cache_dir, "records/hunan/yanling.yaml")
    assert status == 0
    assert [f["rule"] for f in findings if not f["acknowledged"] and f["severity"] != "info"] == []


def test_the_corpus_index_is_used_and_a_corrupt_one_is_rebuilt(scratch: Path, cache_dir: Path) -> None:
    shutil.copyfile(scratch / "records/guizhou/rongjiang.yaml", scratch / "records/guizhou/rongjiang2.yaml")
    first = validate(scratch, cache_dir, "records/guizhou/rongjiang2.yaml")
    [index] = cache_dir.glob("corpus-*.json")
    header, body = index.read_bytes().split(b"\n", 1)
    layout = json.loads(header)
    assert layout["sha256"] == hashlib.sha256(body).hexdigest()
    names = CorpusCache(index).names()
    assert str((scratch / "records/guizhou/rongjiang.yaml").resolve()) in names
    assert str((scratch / "records/guizhou/rongjiang2.yaml").resolve()) not in names  # checked, not context
    assert validate(scratch, cache_dir, "records/guizhou/rongjiang2.yaml") == first
    # A damaged index is dropped and rebuilt, whatever is wrong with it: the verdict stays the same.
    for corrupt in ("[]", "{\"format\": 2, \"sha256\": \"0\"}\n{\"x\": 5}", "not json", "[" * 100_000):
        index.write_text(corrupt, encoding="utf-8")
        assert validate(scratch, cache_dir, "records/guizhou/rongjiang2.yaml") == first
    # Facts edited without their checksum: read again.
    index.write_bytes(header + b"\n" + body.replace(b"\x00520", b"\x00999"))
    assert validate(scratch, cache_dir, "records/guizhou/rongjiang2.yaml") == first

    def under_its_checksum(odd: bytes, **changed: object) -> bytes:
        return json.dumps({**layout, **changed, "sha256": hashlib.sha256(odd).hexdigest()}).encode() + b"\n" + odd

    # Indexes of the wrong shape under a matching checksum: dropped and rebuilt, never trusted.
    names_end = layout["names"]
    numbers_start = names_end + layout["divisions"]
    numbers = array("Q", body[numbers_start:numbers_start + 8 * 16 * layout["records"]])
    past_the_end = array("Q", numbers)
    past_the_end[15] = 10**9  # the first record's observations end beyond the file
    backwards = array("Q", numbers)
    backwards[14], backwards[15] = 5, 1
    first_division_end = body.index(b"\x00", body.index(b"\x00", names_end) + 1)  # after level and code
    codes_shifted = body[:first_division_end] + b"\x00" + body[first_division_end:]  # a stray separator: fields move
    for odd, changed in (
        (body, {"records": layout["records"] + 1}),
        (body, {"records": -1}),
        (body, {"names": layout["names"] + 3}),
        (body, {"divisions": True}),
        (body, {"byteorder": "big" if sys.byteorder == "little" else "little"}),
        (codes_shifted, {"divisions": layout["divisions"] + 1}),
        (body[:numbers_start] + past_the_end.tobytes() + body[numbers_start + len(numbers) * 8:], {}),
        (body[:numbers_start] + backwards.tobytes() + body[numbers_start + len(numbers) * 8:], {}),
        (b"\xff\xfe" + body, {"names": layout["names"] + 2}),  # names that are not UTF-8
        (body[:numbers_start + 40], {}),  # cut short
    ):
        index.write_bytes(under_its_checksum(odd, **changed))
        assert CorpusCache(index).names() == [], changed  # dropped whole
        assert validate(scratch, cache_dir, "records/guizhou/rongjiang2.yaml") == first, changed
    # Observations that are not JSON, under a matching checksum: not compared, and nothing crashes.
    spans = array("Q", numbers)
    for row in range(layout["records"]):
        spans[16 * row + 14], spans[16 * row + 15] = 0, 7
    odd = body[:numbers_start] + spans.tobytes() + b"[[[[[[["
    index.write_bytes(under_its_checksum(odd))
    assert validate(scratch, cache_dir, "records/guizhou/rongjiang2.yaml")[0] == first[0]


def test_each_repository_keeps_its_own_index_in_a_shared_cache(scratch: Path, cache_dir: Path, tmp_path: Path) -> None:
    # Two checkouts of one user: a one-file run in one must not read the other's entries.
    other = tmp_path / "other"
    for part in ("schema", "seeds", "records"):
        shutil.copytree(scratch / part, other / part)
    (other / "records/hunan/yanling.yaml").unlink()
    for repository in (scratch, other):
        validate(repository, cache_dir, "records/guizhou/rongjiang.yaml")
    indexes = {}
    for index in cache_dir.glob("corpus-*.json"):
        names = CorpusCache(index).names()
        indexes[index.name] = {Path(name).parent.parent.parent for name in names}
    assert sorted(map(sorted, indexes.values())) == sorted([[scratch.resolve()], [other.resolve()]])


def test_an_edited_context_record_is_read_again(scratch: Path, cache_dir: Path) -> None:
    shutil.copyfile(scratch / "records/guizhou/rongjiang.yaml", scratch / "records/guizhou/rongjiang2.yaml")
    validate(scratch, cache_dir, "records/guizhou/rongjiang2.yaml")  # fills the index
    original = scratch / "records/guizhou/rongjiang.yaml"
    text = original.read_text(encoding="utf-8")
    code = text.split('code: "', 1)[1].split('"', 1)[0]
    original.write_text(text.replace(f'code: "{code}"', 'code: "520101"', 1), encoding="utf-8")
    status, findings = validate(scratch, cache_dir, "records/guizhou/rongjiang2.yaml")
    assert not [f for f in findings if f["rule"] == "CODE001"], "the index kept the old code"


def test_changed_since_a_revision_checks_what_changed_with_the_corpus(scratch: Path, cache_dir: Path) -> None:
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=scratch, check=True)
    subprocess.run([*git, "add", "-A"], cwd=scratch, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "records"], cwd=scratch, check=True)
    assert validate(scratch, cache_dir, "--changed", "HEAD") == (0, [])
    shutil.copyfile(scratch / "records/guizhou/rongjiang.yaml", scratch / "records/guizhou/rongjiang2.yaml")
    status, findings = validate(scratch, cache_dir, "--changed", "HEAD")
    assert status == 1 and [f["rule"] for f in findings] == ["CODE001"]


def test_a_file_outside_the_records_folder_is_checked_on_its_own(scratch: Path, cache_dir: Path, tmp_path: Path) -> None:
    outside = tmp_path / "rongjiang-draft.yaml"
    shutil.copyfile(scratch / "records/guizhou/rongjiang.yaml", outside)
    status, findings = validate(scratch, cache_dir, str(outside))
    assert status == 0 and not [f for f in findings if f["rule"] == "CODE001"]


def test_a_record_of_another_checkout_is_checked_against_that_checkout_s_seeds(scratch: Path, cache_dir: Path, tmp_path: Path) -> None:
    # A seed that only the scratch checkout has, cited by a record of it, validated from a folder that is no repository.
    seed = scratch / "seeds" / "only-here.txt"
    seed.write_bytes(b"The county relocated 841 households with 3049 people.\n")
    index = scratch / "seeds" / "index.yaml"
    index.write_text(index.read_text(encoding="utf-8").replace(
        "sources:\n", f"sources:\n  - file: only-here.txt\n    sha256: {hashlib.sha256(seed.read_bytes()).hexdigest()}\n", 1), encoding="utf-8")
    record = scratch / "records" / "test" / "only.yaml"
    record.parent.mkdir()
    record.write_text(
        'schema_version: "1.1"\n'
        'division: {code: "411521", name_en: Luoshan County, name_zh: 罗山县, province: Henan, prefecture: 信阳市}\n'
        "sources: [{id: s1, file: seeds/only-here.txt, title: Only here, language: en}]\n"
        "observations:\n"
        '  - {id: relocated, metric: households, value: 841 households, quote: "relocated 841 households"}\n',
        encoding="utf-8",
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    _, findings = validate(elsewhere, cache_dir, str(record))
    assert not [f for f in findings if f["rule"].startswith("QUOTE")], findings


def test_a_cold_index_among_many_records_is_filled_on_every_core_with_the_same_verdict(scratch: Path, cache_dir: Path) -> None:
    # More context records than engine.PARALLEL_THRESHOLD, none in the index (as after an upgrade): they
    # are read by worker processes, and the run's findings about the checked file are a full run's.
    from validator.engine import PARALLEL_THRESHOLD

    text = (scratch / "records/guizhou/rongjiang.yaml").read_text(encoding="utf-8")
    code = text.split('code: "', 1)[1].split('"', 1)[0]
    code_line = text[:text.index('code: "')].count("\n") + 1
    for number in range(PARALLEL_THRESHOLD + 6):  # odd copies hold another code: which record is which matters
        copy = text if number % 2 == 0 else text.replace(f'code: "{code}"', 'code: "520101"', 1)
        written = scratch / f"records/guizhou/rongjiang-copy-{number:03d}.yaml"
        written.write_text(copy, encoding="utf-8")
        os.utime(written, (time.time() - 3600, time.time() - 3600))  # as checked out earlier: files written just now are not kept
    _, full = validate(scratch, cache_dir)

    def about(file: str, findings: list[dict]) -> list[tuple]:
        return [(f["rule"], f["line"], [r["file"] for r in f["related"]]) for f in findings if f["file"] == file]

    cold_status, cold = validate(scratch, cache_dir, "records/guizhou/rongjiang-copy-010.yaml")
    assert cold_status == 1 and about("records/guizhou/rongjiang-copy-010.yaml", cold) == about("records/guizhou/rongjiang-copy-010.yaml", full)
    assert ("CODE001", code_line, ["records/guizhou/rongjiang-copy-000.yaml"]) in about("records/guizhou/rongjiang-copy-010.yaml", full)
    [index] = cache_dir.glob("corpus-*.json")
    assert len(CorpusCache(index).names()) == len(list((scratch / "records").rglob("*.yaml"))) - 1
    # The index the workers filled holds each record's own facts: a warm run on another copy agrees too.
    _, warm = validate(scratch, cache_dir, "records/guizhou/rongjiang-copy-011.yaml")
    assert about("records/guizhou/rongjiang-copy-011.yaml", warm) == about("records/guizhou/rongjiang-copy-011.yaml", full)
    assert ("CODE001", code_line, ["records/guizhou/rongjiang-copy-001.yaml"]) in about("records/guizhou/rongjiang-copy-011.yaml", full)


def test_a_record_modified_within_the_racy_window_is_not_kept_in_the_index_and_an_older_one_is(scratch: Path, cache_dir: Path) -> None:
    # git's racy-entry rule: a file may be written again within its timestamp's tick with its key unchanged.
    from validator.corpus_cache import RACY_NS

    recent, older = scratch / "records/guizhou/rongjiang.yaml", scratch / "records/guizhou/congjiang.yaml"
    now = time.time_ns()
    # Ahead of the clock rather than "now": the run's own start-up time on a loaded machine must not decide.
    os.utime(recent, ns=(now + 10 * RACY_NS, now + 10 * RACY_NS))
    os.utime(older, ns=(now - 2 * RACY_NS, now - 2 * RACY_NS))
    validate(scratch, cache_dir, "records/hunan/yanling.yaml")
    [index] = cache_dir.glob("corpus-*.json")
    names = CorpusCache(index).names()
    assert str(older.resolve()) in names
    assert str(recent.resolve()) not in names
