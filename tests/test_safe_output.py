"""Safe output: messages show a bounded part of any input, the job summary's Markdown cannot be injected,
files are written whole or not at all and never through links, and a poisoned unit cache cannot hide a finding.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from rule_cases import FIXTURE_SEEDS, HEADER, TODAY, build_record
from test_hostile_input import HANG_LIMIT_SECONDS, snapshot, validate_json, workdir  # noqa: F401 - workdir is a fixture
from validator.record import unit_cache as unit_cache_module
from validator.support.atomic import AtomicWriteError, write_atomically
from validator.cli import main
from validator.commands.diff import compare
from validator.commands.diff_report import report_diff_github
from validator.engine import Settings
from validator.support.paths import REPO_ROOT
from validator.support.text import MESSAGE_LIMIT, clip
from validator.record.unit_cache import UnitCache, read_cache_file

LONG = "x" * 100_000
RUN_OF_INPUT = "x" * 200  # no message may hold this much of any input


# --- messages: a bounded part of any input ---------------------------------------------------

def _observation(**fields: str) -> str:
    item = {"id": "v", "metric": "poor_villages", "value": "54 villages", "quote": "all 54 poor villages have withdrawn"} | fields
    return "observations:\n  - " + "\n    ".join(f"{key}: {value}" for key, value in item.items()) + "\n"


LONG_INPUTS = {
    "key": HEADER + f"{LONG}: 1\n",
    "duplicate_key": f"{LONG}: 1\n{LONG}: 2\n",
    "tag": f"a: !{LONG} 1\n",
    "anchor": f"a: &{LONG} 1\nb: *{LONG}\n",
    "id": HEADER + _observation(id=LONG),
    "quote": HEADER + _observation(quote=f'"54 {LONG}"'),
    "value": HEADER + _observation(value=f"54 {LONG}"),
    "number": HEADER + _observation(value=f"{'5' * 100_000} villages", quote=f'"{"5" * 100_000}"'),
    "unit": HEADER + _observation(value=f"54 villages/{'y' * 100_000}"),
    "source_file": HEADER.replace("file: seeds/fixture.txt", f"file: seeds/{LONG}") + _observation(),
    "version": f'schema_version: "{LONG}"\n',
    "metric": HEADER + _observation(metric=LONG),
    "decimal_integer": HEADER + f"population: {'9' * 100_000}\n",
    "hex_integer": HEADER + f"population: 0x{'f' * 100_000}\n",
}


@pytest.mark.parametrize("name", sorted(LONG_INPUTS))
def test_long_inputs_give_short_messages(name: str, workdir: Path, capsys) -> None:
    (workdir / "long.yaml").write_text(LONG_INPUTS[name], encoding="utf-8")
    status, report, _ = validate_json(["long.yaml"], capsys)
    assert status == 1 and report["findings"]
    for finding in report["findings"]:
        assert len(finding["message"]) < MESSAGE_LIMIT, finding["rule"]
        assert RUN_OF_INPUT not in finding["message"] and "5" * 200 not in finding["message"], finding["rule"]
    for output_format in ("text", "github"):
        main(["validate", "--format", output_format, "--today", TODAY.isoformat(), "long.yaml"])
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        assert all(len(line) < MESSAGE_LIMIT + 200 for line in out.splitlines())


def test_clip_keeps_short_text_and_bounds_long_text() -> None:
    assert clip("8,164 households") == "8,164 households"
    assert clip(LONG) == "x" * 57 + "..." and len(clip(LONG, 10)) == 10
    assert clip(10 ** 100_000).startswith("an integer of about 100001 digits")


# --- the job summary: nothing in a record or a file name becomes Markdown or HTML ------------

HOSTILE_TEXT = 'x <img src=x onerror=alert(1)> \\| APPROVED | `code` **bold** [link](https://e.x) ~~s~~ $m$\nnext'
HOSTILE_NAME = "records/a`b|<img src=x>\\|*APPROVED*.yaml"


def _hostile_record(quote: str) -> bytes:
    quote = quote.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    snippet = (
        "observations:\n"
        f'  - {{id: poor-2014, metric: registered_poor_households, value: "8,164 households", quote: "{quote}"}}\n'
        "acknowledged:\n"
        f'  - {{rule: SUM001, pointer: "/x|`<img>`", reason: "{quote}"}}\n'
    )
    return build_record(snippet).text.encode("utf-8")


def _unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


def test_hostile_record_text_and_file_names_do_not_become_markup() -> None:
    settings = Settings(today=TODAY, seeds_dir=FIXTURE_SEEDS, jobs=1)
    old = {HOSTILE_NAME: _hostile_record("from 8,164 households")}
    new = {HOSTILE_NAME: _hostile_record(HOSTILE_TEXT), "records/new`<b>.yaml": _hostile_record(HOSTILE_TEXT)}
    out = io.StringIO()
    report_diff_github(compare(old, new, settings, "main`<i>"), out)
    markdown = out.getvalue()
    assert "<img" not in markdown and "<b>" not in markdown and "<i>" not in markdown
    for marker in ("**bold**", "[link]", "~~s~~", "$m$", "\\|"):
        assert marker not in markdown, marker
    lines = markdown.splitlines()
    columns = None  # of the table being read: every row has as many cells as its header
    for line in lines:
        if not line.startswith("|"):
            columns = None
            continue
        columns = columns or _unescaped_pipes(line)
        assert _unescaped_pipes(line) == columns, line
    # Every code span is closed on its line (a backtick inside one would end it early).
    assert all(line.count("`") % 2 == 0 for line in lines)
    assert "APPROVED" in markdown  # shown as text, not as a cell of its own


# --- one atomic write: export, generated files, new ---------------------------------------

def _export(out: Path, capsys) -> tuple[int, str]:
    status = main(["export", "--out", str(out), str(REPO_ROOT / "records" / "hunan")])
    _, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, err


def test_export_refuses_to_replace_a_symlink(tmp_path: Path, capsys) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    (tmp_path / "out.csv").symlink_to(victim)
    status, err = _export(tmp_path / "out.csv", capsys)
    assert status == 2 and "symbolic link" in err
    assert (tmp_path / "out.csv").is_symlink() and victim.read_text(encoding="utf-8") == "keep"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_export_refuses_to_replace_a_fifo(tmp_path: Path, capsys) -> None:
    os.mkfifo(tmp_path / "out.csv")
    status, err = _export(tmp_path / "out.csv", capsys)
    assert status == 2 and "not a regular file" in err
    assert not (tmp_path / "out.csv").is_file()


def test_export_does_not_follow_a_planted_temporary_name(tmp_path: Path, capsys) -> None:
    (tmp_path / ".out.csv.tmp").symlink_to(tmp_path / "victim.txt")
    status, _ = _export(tmp_path / "out.csv", capsys)
    assert status == 0
    assert not (tmp_path / "victim.txt").exists()
    assert (tmp_path / "out.csv").read_text(encoding="utf-8").startswith("county_code,")
    assert (tmp_path / ".out.csv.tmp").is_symlink()  # left as it was


@pytest.mark.parametrize("target", ["folder", "missing_parent"])
def test_export_to_a_folder_or_a_missing_folder_is_a_usage_error(target: str, tmp_path: Path, capsys) -> None:
    out = tmp_path if target == "folder" else tmp_path / "no" / "such" / "out.csv"
    before = snapshot(tmp_path)
    status, err = _export(out, capsys)
    assert status == 2 and ("is a folder" in err if target == "folder" else "does not exist" in err)
    assert snapshot(tmp_path) == before


def test_a_failure_mid_write_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")

    def fail_halfway(stream) -> None:
        stream.write(b"half a file")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, fail_halfway)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]
    assert target.read_text(encoding="utf-8") == "old"


def test_a_write_error_is_a_message_and_leaves_nothing(tmp_path: Path) -> None:
    def disk_full(stream) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(AtomicWriteError, match="No space left on device"):
        write_atomically(tmp_path / "out.csv", disk_full)
    assert list(tmp_path.iterdir()) == []


def test_sigterm_during_a_write_removes_the_temporary(tmp_path: Path) -> None:
    program = (
        "import os, signal, sys, time\n"
        "from validator.support.atomic import write_atomically\n"
        "def slow(stream):\n"
        "    stream.write(b'partial'); stream.flush(); print('writing', flush=True); time.sleep(30)\n"
        f"write_atomically(__import__('pathlib').Path({str(tmp_path / 'out.csv')!r}), slow)\n"
    )
    process = subprocess.Popen([sys.executable, "-c", program], stdout=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
    assert process.stdout.readline().strip() == "writing"
    process.terminate()
    process.wait(timeout=HANG_LIMIT_SECONDS)
    assert list(tmp_path.iterdir()) == []


def test_racing_writers_leave_one_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    contents = [bytes([65 + i]) * 200_000 for i in range(8)]
    threads = [threading.Thread(target=write_atomically, args=(target, lambda s, c=c: s.write(c))) for c in contents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert target.read_bytes() in contents
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_new_never_overwrites_and_writes_whole(tmp_path: Path, capsys) -> None:
    out = tmp_path / "yanling.yaml"
    assert main(["new", "--code", "430225", "--out", str(out)]) == 0
    first = out.read_bytes()
    out.write_text("curated work", encoding="utf-8")
    assert main(["new", "--code", "430225", "--out", str(out)]) == 1
    assert out.read_text(encoding="utf-8") == "curated work"
    (tmp_path / "link.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    assert main(["new", "--code", "430225", "--out", str(tmp_path / "link.yaml")]) == 1
    assert not (tmp_path / "elsewhere.yaml").exists()
    capsys.readouterr()
    assert first.startswith(b"# yaml-language-server")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.yaml", "yanling.yaml"]


# --- the unit cache: checked on read, written once ------------------------------------------

SUM003_RECORD = HEADER + (
    "observations:\n"
    '  - {id: households, metric: households, value: "4,811 households", quote: "A total of 4,811 households"}\n'
    '  - {id: poor, metric: registered_poor_households, value: "8,164 households", quote: "from 8,164 households"}\n'
    "relations:\n  - {kind: subset, part: poor, whole: households}\n"
)
UNIT002_RECORD = HEADER + (
    "observations:\n"
    '  - {id: poor-people-2014, metric: registered_poor_people, value: "26,761 households", quote: "8,164 households and 26,761 in 2014"}\n'
)


def _validate_with_cache(folder: Path, cache: Path) -> set[str]:
    completed = subprocess.run(
        [sys.executable, "-m", "validator", "validate", "--format", "json", "--today", TODAY.isoformat(), "r.yaml"],
        cwd=folder, capture_output=True, text=True, timeout=HANG_LIMIT_SECONDS,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT), "COUNTY_RECORDS_CACHE_DIR": str(cache)},
    )
    assert "Traceback" not in completed.stderr, completed.stderr
    return {f["rule"] for f in json.loads(completed.stdout)["findings"]}


def _poison_households(document: dict, how: str) -> dict:
    entry = document["entries"]["households"]
    if how == "zero_factor":
        entry[2] = 0.0
    else:
        entry[1] = [["[person]", 1.0]]
    return document


@pytest.mark.parametrize(("how", "record", "code"), [("zero_factor", SUM003_RECORD, "SUM003"), ("wrong_dimension", UNIT002_RECORD, "UNIT002")])
@pytest.mark.parametrize("form", ["edited", "without_hash"])
def test_a_poisoned_cache_does_not_hide_a_finding(how: str, record: str, code: str, form: str, tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text(record, encoding="utf-8")
    cache = tmp_path / "cache"
    assert code in _validate_with_cache(tmp_path, cache)  # and the cache now holds households
    [cache_file] = cache.glob("units-*.json")
    document = _poison_households(json.loads(cache_file.read_text(encoding="utf-8")), how)
    if form == "without_hash":  # the format of a cache written before the hash
        document = document["entries"]
    cache_file.write_text(json.dumps(document), encoding="utf-8")
    assert code in _validate_with_cache(tmp_path, cache)
    entries, odd = read_cache_file(cache_file)
    assert not odd and entries["households"][2] == 1.0 and entries["households"][1] == (("[household]", 1.0),)  # rebuilt


@pytest.mark.parametrize("content", [
    b"[]", b"[" * 200_000 + b"]" * 200_000, b"{not json", b'{"format": 2, "entries": {"households": "x"}, "sha256": ""}',
    b" " * (unit_cache_module.MAX_CACHE_BYTES + 1),
])
def test_an_odd_cache_file_is_discarded_without_a_crash(content: bytes, tmp_path: Path) -> None:
    path = tmp_path / "units.json"
    path.write_bytes(content)
    cache = UnitCache(path)
    assert cache.get("households") is None and cache.rebuild
    cache.put("households", ("household", (("[household]", 1.0),), 1.0))
    cache.flush()
    assert read_cache_file(path) == ({"households": ("household", (("[household]", 1.0),), 1.0)}, False)


def test_a_cache_file_that_is_a_link_is_not_read(tmp_path: Path) -> None:
    genuine = UnitCache(tmp_path / "genuine.json")
    genuine.put("households", ("household", (("[household]", 1.0),), 1.0))
    genuine.flush()
    (tmp_path / "units.json").symlink_to(tmp_path / "genuine.json")
    assert UnitCache(tmp_path / "units.json").get("households") is None


def test_the_cache_is_written_once_however_many_new_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    writes = []
    import validator.support.atomic as atomic_module

    monkeypatch.setattr(atomic_module, "write_atomically", lambda path, write: writes.append(path) or write_atomically(path, write))
    cache = UnitCache(tmp_path / "units.json")
    for n in range(10_000):
        cache.put(f"unit_{n}", ("x", (("[item]", float(n % 7 + 1)),), 1.0 + n))
    assert writes == [] and not (tmp_path / "units.json").exists()
    cache.flush()
    cache.flush()  # nothing new: not written again
    assert len(writes) == 1
    assert len(read_cache_file(tmp_path / "units.json")[0]) == 10_000


def test_the_diff_text_report_escapes_what_records_hold() -> None:
    """`county-records diff` prints figures, quotes and file names from records anyone may write."""
    import io

    from validator.commands.diff import CorpusDiff, FileDiff, Figure, RecordVersion, VersionState
    from validator.commands.diff_report import report_diff_text

    hostile = "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07\n::error file=README.md::forged\r\u202e"
    figure = Figure(identity=f"observations[a{hostile}]", line=3, value=f"5 people{hostile}", qualifier="exact",
                    upper=None, curated=None, quote=f"5 people{hostile}")
    diff = FileDiff(file=f"::warning::{hostile}.yaml", old=RecordVersion(VersionState.ABSENT),
                    new=RecordVersion(VersionState.VALID), figures_added=[figure])
    out = io.StringIO()
    report_diff_text(CorpusDiff(revision="HEAD", files_compared=1, files=[diff]), out)
    text = out.getvalue()
    assert "\x1b" not in text and "\r" not in text and "\u202e" not in text
    assert not [line for line in text.splitlines() if line.lstrip().startswith("::")]
    assert "\\x1b" in text  # shown as an escape, not dropped
