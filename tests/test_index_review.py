"""A hostile review of the incremental run's speed-ups (scandir listing, the corpus index).

Each test is a case that broke: a listing that must name records as the os.walk listing did, and
a corpus index that must never crash, hang, or be trusted when it should not be. Runs work in a
scratch copy of the repository (test_incremental's fixtures), never in the repository's records.
"""

from __future__ import annotations

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

from validator.load.record_files import collect_record_files
from test_incremental import TODAY, cache_dir, scratch, the_index, validate  # noqa: F401  (fixtures pytest must see here)


def _displays(arguments: list[str]) -> list[tuple[str, str]]:
    return [(os.path.realpath(path), shown) for path, shown in collect_record_files(arguments)]


@pytest.mark.parametrize("spelling", ["records//hunan", "records/./hunan", "records/hunan/.", "records///hunan//",
                                      "{root}//records/hunan", "{root}/./records/hunan"])
def test_a_folder_typed_with_doubled_or_dot_separators_shows_the_names_its_plain_spelling_does(
        spelling: str, scratch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(scratch)
    plain = _displays(["records/hunan"])
    assert plain and all(shown.startswith("records/hunan/") for _, shown in plain)
    assert _displays([spelling.format(root=scratch)]) == plain


def test_a_record_under_the_current_folder_reached_from_above_is_shown_relative_to_it(
        scratch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `validate ..` from inside records/hunan: its own records lie under the current folder.
    monkeypatch.chdir(scratch / "records/hunan")
    shown = dict(_displays([".."]))
    assert shown[str((scratch / "records/hunan/yanling.yaml").resolve())] == "yanling.yaml"


def test_how_a_folder_is_typed_does_not_change_which_record_is_the_second_holder(scratch: Path, cache_dir: Path) -> None:
    # Corpus rules order records by display name: records//hunan/... sorted before records/guizhou/...
    shutil.copyfile(scratch / "records/guizhou/rongjiang.yaml", scratch / "records/hunan/rongjiang-copy.yaml")
    _, full = validate(scratch, cache_dir)
    expected = [(f["file"], [r["file"] for r in f["related"]]) for f in full if f["rule"] == "CODE001"]
    assert expected == [("records/hunan/rongjiang-copy.yaml", ["records/guizhou/rongjiang.yaml"])]
    for spelling in ("records//hunan", "records/./hunan", f"{scratch}//records/hunan"):
        _, findings = validate(scratch, cache_dir, spelling)
        assert [(f["file"], [r["file"] for r in f["related"]]) for f in findings if f["rule"] == "CODE001"] == expected, spelling


def test_a_record_whose_file_name_is_not_utf8_is_kept_in_the_index(scratch: Path, cache_dir: Path) -> None:
    # Linux lists such a name with lone surrogates; writing the index encoded them strictly and crashed
    # every later hook run in the repository.
    folder = os.fsencode(scratch / "records/guizhou")
    try:
        odd = os.path.join(folder, b"copy-\xff.yaml")
        shutil.copy2(scratch / "records/guizhou/rongjiang.yaml", odd)  # its times too: an entry for a file written just now is not kept
    except (OSError, UnicodeError):
        pytest.skip("the file system refuses names that are not UTF-8")
    _, full = _validate_any_name(scratch, cache_dir)
    about_checked = [(f["file"], f["rule"]) for f in full if f["file"] == "records/hunan/yanling.yaml"]
    for _ in range(2):  # the first run writes the index, the second reads it
        _, findings = _validate_any_name(scratch, cache_dir, "records/hunan/yanling.yaml")
        assert [(f["file"], f["rule"]) for f in findings] == about_checked
    from validator.corpus.index import CorpusCache

    assert os.fsdecode(os.path.realpath(odd)) in CorpusCache(the_index(cache_dir)).names()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
@pytest.mark.parametrize("planted", ["a named pipe", "a link to /dev/zero"])
def test_a_pipe_or_device_at_the_index_s_name_does_not_stall_the_run(planted: str, scratch: Path, cache_dir: Path) -> None:
    # The index was read with read_bytes(): a pipe blocked until something wrote to it, /dev/zero never ended.
    first = _validate_any_name(scratch, cache_dir, "records/guizhou/rongjiang.yaml")
    index = the_index(cache_dir)
    index.unlink()
    if planted == "a named pipe":
        os.mkfifo(index)
    else:
        if not os.path.exists("/dev/zero"):
            pytest.skip("no /dev/zero here")
        index.symlink_to("/dev/zero")
    # 20 s: a generous hang guard (a run takes well under a second), as in test_hostile_input.
    assert _validate_any_name(scratch, cache_dir, "records/guizhou/rongjiang.yaml", timeout=20) == first


# Fields by index in an observation's JSON (corpus_cache._FACT_FIELDS): 2 label, 6 low, 7 high, 8 dimensionality, 9 line.
@pytest.mark.parametrize("changes", [{6: "abc"}, {2: ["a", "label"]}, {8: [[["[household]"], 1]]},
                                     {6: -2.0, 7: -1.0, 9: "x"}],  # values that conflict, so a finding points at line "x"
                         ids=["bound-text", "label-list", "dimension-list", "line-text"])
def test_a_hand_made_index_whose_observations_have_other_types_crashes_no_rule_or_reporter(
        changes: dict, scratch: Path, cache_dir: Path) -> None:
    # An entry whose file key matches is trusted; its observations' JSON must still hold the types the
    # index writes, or a rule fails on them: a bound that is text (CONFLICT001: math.isnan), a label
    # that is a list (unhashable in a group key) or a line that is text (SARIF compares it).
    validate(scratch, cache_dir, "records/henan/luoshan.yaml")  # indexes yanling and rongjiang as context
    index = the_index(cache_dir)
    with closing(sqlite3.connect(index)) as database, database:
        columns = [name for _, name, *_ in database.execute("PRAGMA table_info(records)")]
        division = [name for name in columns if name not in ("path", "size", "mtime_ns", "inode", "device", "observations")]

        def row(record: str) -> dict:
            [values] = database.execute(f"SELECT {', '.join(columns)} FROM records WHERE CAST(path AS TEXT) LIKE ?", (f"%/{record}",))
            return dict(zip(columns, values))

        yanling, rongjiang = row("yanling.yaml"), row("rongjiang.yaml")
        observations = json.loads(yanling["observations"])
        assert observations, "yanling's index entry holds dated observations"
        for observation in observations:
            for field, odd in changes.items():
                observation[field] = odd
        # rongjiang's entry (its file key kept, so it is used) made to hold yanling's division and observations, one field odd.
        database.execute(f"UPDATE records SET {', '.join(f'{name} = ?' for name in division)}, observations = ? WHERE path = ?",
                         [yanling[name] for name in division] + [json.dumps(observations), rongjiang["path"]])
    odd_index = index.read_bytes()
    for output in ("json", "sarif"):
        index.write_bytes(odd_index)
        environment = {**os.environ, "COUNTY_RECORDS_CACHE_DIR": str(cache_dir)}
        completed = subprocess.run(
            [sys.executable, "-m", "validator", "validate", "--format", output, "--today", TODAY, "records/hunan/yanling.yaml"],
            cwd=scratch, env=environment, capture_output=True, text=True, timeout=120,
        )
        assert "Traceback" not in completed.stderr, completed.stderr
        assert completed.returncode in (0, 1) and json.loads(completed.stdout), output


def test_sarif_names_a_record_whose_file_name_is_not_utf8_by_its_bytes(scratch: Path, cache_dir: Path) -> None:
    # urllib's quote() encoded the name strictly: the SARIF report of such a repository was a traceback.
    try:
        shutil.copyfile(scratch / "records/guizhou/rongjiang.yaml", os.path.join(os.fsencode(scratch / "records/guizhou"), b"copy-\xff.yaml"))
    except (OSError, UnicodeError):
        pytest.skip("the file system refuses names that are not UTF-8")
    environment = {**os.environ, "COUNTY_RECORDS_CACHE_DIR": str(cache_dir)}
    completed = subprocess.run([sys.executable, "-m", "validator", "validate", "--format", "sarif", "--today", TODAY],
                               cwd=scratch, env=environment, capture_output=True, timeout=120)
    assert b"Traceback" not in completed.stderr, completed.stderr.decode("utf-8", "replace")
    report = json.loads(completed.stdout.decode("utf-8", "surrogateescape"))
    uris = {location["physicalLocation"]["artifactLocation"]["uri"] for result in report["runs"][0]["results"]
            for location in result["locations"] + result.get("relatedLocations", [])}
    assert "records/guizhou/copy-%FF.yaml" in uris  # in the CODE001 of the code it shares with rongjiang.yaml


def _validate_any_name(scratch: Path, cache_dir: Path, *arguments: str, timeout: float = 120) -> tuple[int, list[dict]]:
    """As test_incremental.validate, reading output that names files which are not UTF-8 (as their bytes)."""
    environment = {**os.environ, "COUNTY_RECORDS_CACHE_DIR": str(cache_dir)}
    completed = subprocess.run(
        [sys.executable, "-m", "validator", "validate", "--format", "json", "--today", TODAY, *arguments],
        cwd=scratch, env=environment, capture_output=True, timeout=timeout,
    )
    assert b"Traceback" not in completed.stderr, completed.stderr.decode("utf-8", "replace")
    return completed.returncode, json.loads(completed.stdout.decode("utf-8", "surrogateescape"))["findings"]


def test_a_command_run_earlier_in_the_process_does_not_make_validate_trust_an_outdated_entry(
        scratch: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    # File keys are cached per process (one stat per file and run); a command that listed the records
    # (export) left its stats behind, and the next validate compared the index with them, not the files.
    from validator.load import record_files
    from validator.cli import main

    monkeypatch.chdir(scratch)
    monkeypatch.setenv("COUNTY_RECORDS_CACHE_DIR", str(cache_dir))
    monkeypatch.setattr(record_files, "RECORDS_DIR", scratch / "records")
    shutil.copyfile(scratch / "records/guizhou/rongjiang.yaml", scratch / "records/guizhou/rongjiang2.yaml")

    def duplicates() -> list[str]:
        main(["validate", "--format", "json", "--today", TODAY, "records/guizhou/rongjiang2.yaml"])
        return [f["file"] for f in json.loads(capsys.readouterr().out)["findings"] if f["rule"] == "CODE001"]

    assert duplicates() == ["records/guizhou/rongjiang2.yaml"]  # the index now holds rongjiang.yaml's code
    main(["export", "--format", "jsonl", str(scratch / "records")])
    capsys.readouterr()
    original = scratch / "records/guizhou/rongjiang.yaml"
    text = original.read_text(encoding="utf-8")
    code = text.split('code: "', 1)[1].split('"', 1)[0]
    original.write_text(text.replace(f'code: "{code}"', 'code: "520101"', 1), encoding="utf-8")  # same size
    assert duplicates() == [], "the index's entry for the edited record was trusted"


def test_a_finding_that_lands_on_another_record_is_acknowledged_there_as_in_a_full_run(scratch: Path, cache_dir: Path) -> None:
    # A copy that sorts first makes rongjiang.yaml the second holder of the code; rongjiang.yaml
    # acknowledges CODE001. Context records came from the corpus index without their acknowledgements,
    # so the hook reported an error there that a full run (CI) reports acknowledged. Its other
    # acknowledgement covers nothing: the full run's ACK001 about it is not about the checked file.
    original = scratch / "records/guizhou/rongjiang.yaml"
    copy = scratch / "records/guizhou/a-copy.yaml"
    shutil.copyfile(original, copy)
    assert "\nacknowledged:" not in original.read_text(encoding="utf-8")
    with original.open("a", encoding="utf-8") as stream:
        stream.write("\nacknowledged:\n"
                     "  - rule: CODE001\n    at: division.code\n"
                     "    reason: A draft copy is kept beside this record while it is rewritten; both hold its code.\n"
                     "  - rule: SUM003\n    at: division.code\n    reason: Nothing here; covers no finding.\n")
    _, full = validate(scratch, cache_dir)  # fails, on the ACK001

    def concerning_the_copy(findings: list[dict]) -> list[tuple]:
        return sorted((f["file"], f["rule"], f["line"], f["acknowledged"]) for f in findings
                      if f["file"] == "records/guizhou/a-copy.yaml" or any(r["file"] == "records/guizhou/a-copy.yaml" for r in f["related"]))

    assert ("records/guizhou/rongjiang.yaml", "CODE001", 4, True) in concerning_the_copy(full)
    assert any(f["rule"] == "ACK001" and f["file"] == "records/guizhou/rongjiang.yaml" for f in full)
    for _ in range(2):  # the index cold, then warm
        status, findings = validate(scratch, cache_dir, "records/guizhou/a-copy.yaml")
        assert sorted((f["file"], f["rule"], f["line"], f["acknowledged"]) for f in findings) == concerning_the_copy(full)
        assert status == 0  # every error about the copy is acknowledged


def test_a_record_rewritten_within_the_timestamp_tick_of_the_run_that_indexed_it_is_read_again(
        scratch: Path, cache_dir: Path) -> None:
    shutil.copyfile(scratch / "records/guizhou/rongjiang.yaml", scratch / "records/guizhou/rongjiang2.yaml")
    original = scratch / "records/guizhou/rongjiang.yaml"
    # A tick the runs below fall within whatever the machine's load (a clock ahead of ours, as on a file
    # system with 1 s timestamps written a moment ago): a fixed distance ahead, not a race with the run.
    tick = time.time_ns() + 30 * 10**9
    os.utime(original, ns=(tick, tick))
    validate(scratch, cache_dir, "records/guizhou/rongjiang2.yaml")  # indexes rongjiang.yaml with that mtime
    text = original.read_text(encoding="utf-8")
    code = text.split('code: "', 1)[1].split('"', 1)[0]
    original.write_text(text.replace(f'code: "{code}"', 'code: "520101"', 1), encoding="utf-8")  # same size, same inode
    os.utime(original, ns=(tick, tick))  # what such a file system shows for a second write in the same tick
    _, findings = validate(scratch, cache_dir, "records/guizhou/rongjiang2.yaml")
    assert not [f for f in findings if f["rule"] == "CODE001"], "the index kept the old code"


def test_which_record_is_the_second_holder_does_not_depend_on_the_current_folder(scratch: Path, cache_dir: Path) -> None:
    # Corpus rules see records in an order; ordered by display name, running from records/guizhou put
    # ../hunan/a-copy.yaml first and made the original the second holder, where CI (from the root) makes the copy.
    shutil.copyfile(scratch / "records/guizhou/rongjiang.yaml", scratch / "records/hunan/a-copy.yaml")
    _, from_root = _validate_any_name(scratch, cache_dir)
    assert [f["file"] for f in from_root if f["rule"] == "CODE001"] == ["records/hunan/a-copy.yaml"]
    for folder, arguments, copy in (
        ("records/guizhou", [".."], "../hunan/a-copy.yaml"),
        ("records/guizhou", [str(scratch / "records")], str(scratch / "records/hunan/a-copy.yaml")),
        ("records/guizhou", ["../hunan/a-copy.yaml"], "../hunan/a-copy.yaml"),  # the hook's kind of run
        ("records/guizhou", ["rongjiang.yaml"], str(scratch / "records/hunan/a-copy.yaml")),  # the original checked
    ):
        _, findings = _validate_any_name(scratch / folder, cache_dir, *arguments)
        assert [f["file"] for f in findings if f["rule"] == "CODE001"] == [copy], (folder, arguments)


def test_an_entry_sqlite_cannot_store_is_left_out_and_the_others_are_kept(tmp_path: Path) -> None:
    # Text with a lone surrogate (a file name that is not UTF-8 decodes to one) or a number beyond 64
    # bits cannot be bound; the whole index was lost with them, or the run crashed.
    from validator.corpus.facts import DIVISION_POINTERS, CorpusFacts
    from validator.corpus.index import CorpusCache

    positions = {pointer: (3 + n, 9) for n, pointer in enumerate(DIVISION_POINTERS)}

    def facts(name_en: str) -> CorpusFacts:
        made = CorpusFacts("county", "430225", name_en, "炎陵县", "Hunan", None)
        made.division_positions = dict(positions)
        return made

    an_hour_ago = time.time_ns() - 3600 * 10**9  # not a file modified just now, which is never kept
    index = CorpusCache(tmp_path / "corpus.sqlite3")
    index.put("/records/plain.yaml", (100, an_hour_ago, 1, 2), facts("Yanling County"))
    index.put("/records/surrogate.yaml", (100, an_hour_ago, 3, 2), facts("Yanling \udcff County"))
    index.put("/records/huge-inode.yaml", (100, an_hour_ago, 2**64 - 1, 2), facts("Yanling County"))
    index.put("/records/not-utf8-\udcff.yaml", (100, an_hour_ago, 4, 2), facts("Yanling County"))
    index.flush()
    reread = CorpusCache(tmp_path / "corpus.sqlite3")
    assert sorted(reread.names()) == ["/records/not-utf8-\udcff.yaml", "/records/plain.yaml"]
    kept = reread.get("/records/plain.yaml", (100, an_hour_ago, 1, 2))
    assert (kept.code, kept.name_en, kept.prefecture, kept.division_positions) == ("430225", "Yanling County", None, positions)
