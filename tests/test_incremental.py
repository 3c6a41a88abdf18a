"""`validate FILE...` sees the whole corpus: the pre-commit hook's verdict on a commit is CI's.

Each test works in a scratch copy of the repository (schema, seeds, records) and runs the command
there, as the hook does, so the repository's own records are never touched.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from validator.corpus.index import CorpusCache
from validator.support.paths import REPO_ROOT

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


def the_index(cache_dir: Path) -> Path:
    [index] = cache_dir.glob("corpus-*")
    return index


def stored_paths(index: Path) -> set[str]:
    """The records the index holds a row for, read with the standard library alone."""
    with closing(sqlite3.connect(index)) as database:
        return {os.fsdecode(path) for (path,) in database.execute("SELECT path FROM records")}


def edit_index(index: Path, *statements: tuple) -> None:
    """Run SQL statements (each a tuple: SQL, then its parameters) on the index in one transaction."""
    with closing(sqlite3.connect(index)) as database, database:
        for sql, *parameters in statements:
            database.execute(sql, parameters)


def test_the_corpus_index_is_an_sqlite_database_whose_entries_a_run_trusts(scratch: Path, cache_dir: Path) -> None:
    original = scratch / "records/guizhou/rongjiang.yaml"
    shutil.copyfile(original, scratch / "records/guizhou/rongjiang2.yaml")
    first = validate(scratch, cache_dir, "records/guizhou/rongjiang2.yaml")
    assert [f["rule"] for f in first[1]] == ["CODE001"]
    index = the_index(cache_dir)
    paths = stored_paths(index)
    assert str(original.resolve()) in paths
    assert str((scratch / "records/guizhou/rongjiang2.yaml").resolve()) not in paths  # checked, not context
    assert validate(scratch, cache_dir, "records/guizhou/rongjiang2.yaml") == first
    # The run takes the other record's code from the index, not from its file: an entry edited while
    # the file is unchanged is believed (which is why entries are only kept for unchanged files).
    edit_index(index, ("UPDATE records SET code = '520101' WHERE path = ?", os.fsencode(original.resolve())))
    assert validate(scratch, cache_dir, "records/guizhou/rongjiang2.yaml") == (0, [])


def _set_user_version_ahead(index: Path) -> None:
    with closing(sqlite3.connect(index)) as database:
        [(version,)] = database.execute("PRAGMA user_version")
        database.execute(f"PRAGMA user_version = {version + 1}")


DAMAGES = {
    "garbage bytes": lambda index: index.write_bytes(bytes(range(256)) * 64),
    "a text file": lambda index: index.write_text("not a database\n", encoding="utf-8"),
    "an empty file": lambda index: index.write_bytes(b""),
    "truncated to half": lambda index: index.write_bytes(index.read_bytes()[:index.stat().st_size // 2]),
    "only its header page": lambda index: index.write_bytes(index.read_bytes()[:4096]),
    "another layout (user_version)": _set_user_version_ahead,
    "another validator's contract": lambda index: edit_index(index, ("UPDATE meta SET value = 'another' WHERE key = 'contract'",)),
    "no meta table": lambda index: edit_index(index, ("DROP TABLE meta",)),
    "no records table": lambda index: edit_index(index, ("DROP TABLE records",)),
    "a records table of another shape": lambda index: edit_index(index, ("ALTER TABLE records RENAME COLUMN code TO division_code",)),
}


@pytest.mark.parametrize("damage", DAMAGES.values(), ids=DAMAGES.keys())
def test_a_damaged_or_foreign_index_is_ignored_and_rebuilt_with_the_same_verdict(damage, scratch: Path, cache_dir: Path) -> None:
    shutil.copyfile(scratch / "records/guizhou/rongjiang.yaml", scratch / "records/guizhou/rongjiang2.yaml")
    first = validate(scratch, cache_dir, "records/guizhou/rongjiang2.yaml")
    index = the_index(cache_dir)
    damage(index)
    assert CorpusCache(index).names() == []  # nothing of it is used
    assert validate(scratch, cache_dir, "records/guizhou/rongjiang2.yaml") == first
    assert str((scratch / "records/guizhou/rongjiang.yaml").resolve()) in CorpusCache(the_index(cache_dir)).names()  # rebuilt


def test_a_row_holding_another_type_in_any_column_is_not_used(scratch: Path, cache_dir: Path, tmp_path: Path) -> None:
    # SQLite keeps any type in any column. A hand-made or damaged row of other types is read again from
    # its file, never handed to a rule (a code that is bytes, a line that is text).
    original = scratch / "records/guizhou/rongjiang.yaml"
    shutil.copyfile(original, scratch / "records/guizhou/rongjiang2.yaml")
    first = validate(scratch, cache_dir, "records/guizhou/rongjiang2.yaml")
    index = the_index(cache_dir)
    kept = tmp_path / "kept.sqlite3"
    shutil.copyfile(index, kept)
    with closing(sqlite3.connect(index)) as database:
        columns = [(name, declared) for _, name, declared, *_ in database.execute("PRAGMA table_info(records)")]
    # Of another type than declared, and not one SQLite's column affinity would turn back into it.
    other_type = {"TEXT": "CAST({} AS BLOB)", "INTEGER": "'x' || {}", "BLOB": "CAST({} AS TEXT)"}
    key = os.fsencode(original.resolve())
    assert len(columns) > 10 and {declared for _, declared in columns} == set(other_type)
    for name, declared in columns:
        shutil.copyfile(kept, index)
        edit_index(index, (f"UPDATE records SET {name} = {other_type[declared].format(name)} WHERE path = ?", key))
        names = CorpusCache(index).names()
        assert str(original.resolve()) not in names and len(names) == len(stored_paths(kept)) - 1, name
        if name in ("code", "code_line", "observations", "path"):  # a run, where a wrong type would change the verdict or crash
            assert validate(scratch, cache_dir, "records/guizhou/rongjiang2.yaml") == first, name


def test_observations_that_are_not_json_are_not_compared_and_crash_nothing(scratch: Path, cache_dir: Path) -> None:
    shutil.copyfile(scratch / "records/guizhou/rongjiang.yaml", scratch / "records/guizhou/rongjiang2.yaml")
    first = validate(scratch, cache_dir, "records/guizhou/rongjiang2.yaml")
    for odd in ("[[[[[[[", "{}", "[1, 2]", "[" * 100_000):
        edit_index(the_index(cache_dir), ("UPDATE records SET observations = ?", odd))
        assert validate(scratch, cache_dir, "records/guizhou/rongjiang2.yaml")[0] == first[0], odd[:10]


def test_an_index_reached_through_a_link_is_not_read(scratch: Path, cache_dir: Path, tmp_path: Path) -> None:
    # The index is read without following a link: a link at its name is no index, and is replaced by one.
    original = scratch / "records/guizhou/rongjiang.yaml"
    shutil.copyfile(original, scratch / "records/guizhou/rongjiang2.yaml")
    first = validate(scratch, cache_dir, "records/guizhou/rongjiang2.yaml")
    index = the_index(cache_dir)
    elsewhere = tmp_path / "elsewhere.sqlite3"
    shutil.copyfile(index, elsewhere)
    # Were the link followed, this entry (the file's key kept, its code changed) would be believed.
    edit_index(elsewhere, ("UPDATE records SET code = '520101' WHERE path = ?", os.fsencode(original.resolve())))
    index.unlink()
    index.symlink_to(elsewhere)
    assert CorpusCache(index).names() == []
    assert validate(scratch, cache_dir, "records/guizhou/rongjiang2.yaml") == first
    assert not index.is_symlink() and index.is_file()


def test_each_repository_keeps_its_own_index_in_a_shared_cache(scratch: Path, cache_dir: Path, tmp_path: Path) -> None:
    # Two checkouts of one user: a one-file run in one must not read the other's entries.
    other = tmp_path / "other"
    for part in ("schema", "seeds", "records"):
        shutil.copytree(scratch / part, other / part)
    (other / "records/hunan/yanling.yaml").unlink()
    for repository in (scratch, other):
        validate(repository, cache_dir, "records/guizhou/rongjiang.yaml")
    indexes = {}
    for index in cache_dir.glob("corpus-*"):
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
    assert len(CorpusCache(the_index(cache_dir)).names()) == len(list((scratch / "records").rglob("*.yaml"))) - 1
    # The index the workers filled holds each record's own facts: a warm run on another copy agrees too.
    _, warm = validate(scratch, cache_dir, "records/guizhou/rongjiang-copy-011.yaml")
    assert about("records/guizhou/rongjiang-copy-011.yaml", warm) == about("records/guizhou/rongjiang-copy-011.yaml", full)
    assert ("CODE001", code_line, ["records/guizhou/rongjiang-copy-001.yaml"]) in about("records/guizhou/rongjiang-copy-011.yaml", full)


def test_a_record_modified_within_the_racy_window_is_not_kept_in_the_index_and_an_older_one_is(scratch: Path, cache_dir: Path) -> None:
    # git's racy-entry rule: a file may be written again within its timestamp's tick with its key unchanged.
    from validator.corpus.index import RACY_NS

    recent, older = scratch / "records/guizhou/rongjiang.yaml", scratch / "records/guizhou/congjiang.yaml"
    now = time.time_ns()
    # Ahead of the clock rather than "now": the run's own start-up time on a loaded machine must not decide.
    os.utime(recent, ns=(now + 10 * RACY_NS, now + 10 * RACY_NS))
    os.utime(older, ns=(now - 2 * RACY_NS, now - 2 * RACY_NS))
    validate(scratch, cache_dir, "records/hunan/yanling.yaml")
    names = CorpusCache(the_index(cache_dir)).names()
    assert str(older.resolve()) in names
    assert str(recent.resolve()) not in names
