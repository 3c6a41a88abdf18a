"""Hostile input: every file gives a located finding (or a clear exit-2 message), never a traceback,
in bounded time and memory, and the run writes nothing.

Small hostile records are kept in tests/fixtures/hostile/; byte-level and large ones are built here.
The in-process runs check positions; one subprocess run over all of them checks time (a hang, not
speed: 20 s), memory (an address-space limit) and that nothing reaches standard error as a traceback.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rule_cases import FIXTURE_SEEDS, HEADER, TODAY
from validator.cli import main
from validator.engine import Settings, run
from validator.load.loader import MAX_FILE_BYTES
from validator.support.paths import REPO_ROOT
from validator.rules import RULE_BY_CODE

HOSTILE_DIR = Path(__file__).parent / "fixtures" / "hostile"
HANG_LIMIT_SECONDS = 20
MEMORY_LIMIT_BYTES = 2 * 1024**3
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
LUOSHAN_RECORD = (
    'schema_version: "1.0"\n'
    "division: {code: \"411521\", name_en: Luoshan County, name_zh: 罗山县, province: Henan}\n"
    "sources: [{id: s1, file: seeds/004_e71df4d67ebbcf32.txt, title: Luoshan, language: en}]\n"
)


@dataclass(frozen=True)
class Hostile:
    """A hostile file (or path) and the finding it must give: (code, line, column)."""

    name: str
    build: Callable[[Path], None]  # writes `name` into the folder
    expected: tuple[str, int, int]
    unavailable: str | None = None  # why this platform cannot build it


def _copy(name: str) -> Callable[[Path], None]:
    return lambda folder: shutil.copyfile(HOSTILE_DIR / name, folder / name)


def _bytes(name: str, raw: bytes) -> Callable[[Path], None]:
    return lambda folder: (folder / name).write_bytes(raw)


def _symlink(name: str, target: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).symlink_to(target)


def _loop(folder: Path) -> None:
    (folder / "loop_a.yaml").symlink_to("loop_b.yaml")
    (folder / "loop_b.yaml").symlink_to("loop_a.yaml")


def _fifo(folder: Path) -> None:
    os.mkfifo(folder / "named_pipe.yaml")


HOSTILE = [
    Hostile("billion_laughs.yaml", _copy("billion_laughs.yaml"), ("YAML004", 3, 6)),
    Hostile("python_object.yaml", _copy("python_object.yaml"), ("YAML005", 3, 13)),
    Hostile("unknown_tag.yaml", _copy("unknown_tag.yaml"), ("YAML005", 3, 13)),
    Hostile("merge_key.yaml", _copy("merge_key.yaml"), ("YAML013", 4, 3)),
    Hostile("tab_indentation.yaml", _copy("tab_indentation.yaml"), ("YAML010", 3, 1)),
    Hostile("duplicate_keys.yaml", _copy("duplicate_keys.yaml"), ("YAML002", 7, 3)),
    Hostile("special_floats.yaml", _copy("special_floats.yaml"), ("SCHEMA003", 15, 12)),
    Hostile("multiple_documents.yaml", _copy("multiple_documents.yaml"), ("YAML012", 2, 1)),
    Hostile("complex_key.yaml", _copy("complex_key.yaml"), ("YAML014", 2, 3)),
    Hostile("deep_flow.yaml", _bytes("deep_flow.yaml", b"a: " + b"[" * 100_000 + b"]" * 100_000), ("YAML006", 1, 43)),
    Hostile("deep_flow_unclosed.yaml", _bytes("deep_flow_unclosed.yaml", b"{a: " * 100_000), ("YAML006", 1, 161)),
    Hostile("deep_block.yaml", _bytes("deep_block.yaml", b"- " * 100_000 + b"x\n"), ("YAML006", 1, 81)),
    Hostile("deep_block_mappings.yaml", _bytes(
        "deep_block_mappings.yaml", b"".join(b" " * i + b"k:\n" for i in range(1000))), ("YAML006", 41, 41)),
    Hostile("too_large.yaml", _bytes("too_large.yaml", b"a: " + b"x" * MAX_FILE_BYTES + b"\n"), ("YAML007", 1, 1)),
    Hostile("binary.yaml", _bytes("binary.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))), ("YAML015", 3, 1)),
    Hostile("control_characters.yaml", _bytes("control_characters.yaml", b'schema_version: "1.0"\nnotes: \x1b[31m\n'), ("YAML001", 2, 8)),
    Hostile("gbk.yaml", _bytes("gbk.yaml", 'schema_version: "1.0"\nname_zh: 炎陵县\n'.encode("gbk")), ("YAML008", 2, 10)),
    Hostile("utf16.yaml", _bytes("utf16.yaml", 'schema_version: "1.0"\n'.encode("utf-16")), ("YAML015", 1, 4)),
    Hostile("bom.yaml", _bytes("bom.yaml", b"\xef\xbb\xbf" + LUOSHAN_RECORD.encode("utf-8")), ("YAML009", 1, 1)),
    Hostile("empty.yaml", _bytes("empty.yaml", b""), ("YAML011", 1, 1)),
    Hostile("comments_only.yaml", _bytes("comments_only.yaml", b"# TODO\n\n"), ("YAML011", 1, 1)),
    Hostile("null_document.yaml", _bytes("null_document.yaml", b"~\n"), ("SCHEMA006", 1, 1)),
    Hostile("broken_link.yaml", _symlink("broken_link.yaml", "nowhere.yaml"), ("YAML016", 1, 1)),
    Hostile("loop_a.yaml", _loop, ("YAML016", 1, 1)),
    Hostile("named_pipe.yaml", _fifo, ("YAML016", 1, 1), None if hasattr(os, "mkfifo") else "named pipes are POSIX"),
    Hostile("device.yaml", _symlink("device.yaml", "/dev/zero"), ("YAML016", 1, 1),
            None if Path("/dev/zero").exists() else "needs /dev/zero"),
]
AVAILABLE = [case for case in HOSTILE if case.unavailable is None]


def snapshot(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Every entry under the folder, links not followed: (mode, size, mtime)."""
    entries = {}
    for root, dirs, names in os.walk(folder):
        for name in dirs + names:
            path = Path(root) / name
            info = path.lstat()
            entries[str(path.relative_to(folder))] = (info.st_mode, info.st_size, info.st_mtime_ns)
    return entries


def validate_json(arguments: list[str], capsys) -> tuple[int, dict | None, str]:
    status = main(["validate", "--format", "json", "--today", TODAY.isoformat(), *arguments])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, (json.loads(out) if out.strip() else None), err


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The run's current directory: anything it wrote by a relative path would show in the snapshot."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@pytest.mark.parametrize("case", HOSTILE, ids=[case.name.removesuffix(".yaml") for case in HOSTILE])
def test_hostile_file_gives_a_located_finding(case: Hostile, workdir: Path, capsys) -> None:
    if case.unavailable:
        pytest.skip(case.unavailable)
    case.build(workdir)
    before = snapshot(workdir.parent)
    status, report, _ = validate_json([case.name], capsys)
    assert snapshot(workdir.parent) == before, "the run wrote something"
    assert status == 1
    found = [(f["rule"], f["line"], f["column"]) for f in report["findings"] if f["file"] == case.name]
    assert case.expected in found, found
    assert all(f["line"] >= 1 and f["column"] >= 1 for f in report["findings"])


def test_duplicate_keys_at_every_depth_are_all_reported(workdir: Path, capsys) -> None:
    _copy("duplicate_keys.yaml")(workdir)
    _, report, _ = validate_json(["duplicate_keys.yaml"], capsys)
    duplicates = [(f["line"], f["message"]) for f in report["findings"] if f["rule"] == "YAML002"]
    assert [line for line, _ in duplicates] == [7, 13, 14]
    assert "first at line 3, again at line 7" in duplicates[0][1]
    assert "first at line 12, again at line 13" in duplicates[1][1]
    assert "first at line 1, again at line 14" in duplicates[2][1]


def test_nan_inf_and_overflowing_numbers_are_not_quantities(workdir: Path, capsys) -> None:
    _copy("special_floats.yaml")(workdir)
    _, report, _ = validate_json(["special_floats.yaml"], capsys)
    wrong_type = [(f["pointer"], f["line"], f["column"]) for f in report["findings"] if f["rule"] == "SCHEMA003"]
    assert wrong_type == [("/observations/0/value", 15, 12), ("/observations/1/value", 19, 12), ("/observations/2/value", 23, 12)]


def test_python_object_tag_runs_nothing(workdir: Path, capsys) -> None:
    _copy("python_object.yaml")(workdir)
    validate_json(["python_object.yaml"], capsys)
    assert not (workdir / "pwned").exists()


@pytest.mark.parametrize("layout", ["empty", "nested_record"])
def test_folder_named_like_a_record(layout: str, workdir: Path, capsys) -> None:
    folder = workdir / "x.yaml"
    folder.mkdir()
    if layout == "nested_record":
        (folder / "inner.yaml").write_bytes(b"")
    before = snapshot(workdir.parent)
    status, report, err = validate_json(["x.yaml"], capsys)
    assert snapshot(workdir.parent) == before
    if layout == "empty":
        # A folder is searched for records; one without any must not pass as a clean run.
        assert status == 2 and report is None
        assert "no record files" in err and "x.yaml" in err
    else:
        assert status == 1
        assert [(f["file"], f["rule"]) for f in report["findings"]] == [(os.path.join("x.yaml", "inner.yaml"), "YAML011")]


def test_folder_named_like_a_record_inside_a_searched_folder_is_searched(workdir: Path, capsys) -> None:
    (workdir / "records" / "x.yaml").mkdir(parents=True)
    (workdir / "records" / "ok.yaml").write_text(LUOSHAN_RECORD, encoding="utf-8")
    _, report, _ = validate_json(["records"], capsys)
    assert report["files"] == 1
    assert not any(f["rule"].startswith(("YAML", "SCHEMA")) for f in report["findings"])


@pytest.mark.skipif(IS_ROOT, reason="root reads files whatever their mode; broken links, loops, pipes and folders cover YAML016")
def test_file_without_read_permission(workdir: Path, capsys) -> None:
    path = workdir / "secret.yaml"
    path.write_text(LUOSHAN_RECORD, encoding="utf-8")
    path.chmod(0)
    try:
        status, report, _ = validate_json(["secret.yaml"], capsys)
    finally:
        path.chmod(0o644)
    assert status == 1
    assert [(f["rule"], f["line"], f["column"]) for f in report["findings"]] == [("YAML016", 1, 1)]


@pytest.mark.skipif(IS_ROOT, reason="root lists folders whatever their mode")
def test_folder_without_read_permission_is_a_usage_error(workdir: Path, capsys) -> None:
    folder = workdir / "records" / "locked"
    folder.mkdir(parents=True)
    (workdir / "records" / "ok.yaml").write_text(LUOSHAN_RECORD, encoding="utf-8")
    folder.chmod(0)
    try:
        status, report, err = validate_json(["records"], capsys)
    finally:
        folder.chmod(0o755)
    assert status == 2 and report is None
    assert "cannot read folder" in err and "locked" in err


def test_symlink_loop_among_the_paths_given(workdir: Path, capsys) -> None:
    _loop(workdir)
    (workdir / "dir_loop").symlink_to(".")  # a folder that contains itself
    (workdir / "ok.yaml").write_text(LUOSHAN_RECORD, encoding="utf-8")
    status, report, _ = validate_json(["loop_a.yaml", "loop_b.yaml", "loop_a.yaml", "dir_loop", "."], capsys)
    assert status == 1
    unreadable = sorted((f["file"], f["rule"], f["line"], f["column"]) for f in report["findings"] if f["rule"] == "YAML016")
    assert unreadable == [("loop_a.yaml", "YAML016", 1, 1), ("loop_b.yaml", "YAML016", 1, 1)]
    assert report["files"] == 3  # each file once, however many ways it was named


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))


def run_cli_subprocess(arguments: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """`python -m validator` with a time limit that only a hang reaches, and an address-space limit."""
    return subprocess.run(
        [sys.executable, "-m", "validator", *arguments],
        cwd=cwd, capture_output=True, text=True, timeout=HANG_LIMIT_SECONDS,
        preexec_fn=_limit_memory if sys.platform.startswith("linux") else None,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )


def test_every_hostile_file_in_one_subprocess_run(workdir: Path) -> None:
    folder = workdir / "hostile"
    folder.mkdir()
    for case in AVAILABLE:
        case.build(folder)
    before = snapshot(workdir.parent)
    completed = run_cli_subprocess(["validate", "--format", "json", "--today", TODAY.isoformat(), "hostile"], workdir)
    assert "Traceback" not in completed.stderr, completed.stderr
    assert completed.returncode == 1, completed.stderr
    assert snapshot(workdir.parent) == before, "the run wrote something"
    report = json.loads(completed.stdout)
    found = {(Path(f["file"]).name, f["rule"], f["line"], f["column"]) for f in report["findings"]}
    for case in AVAILABLE:
        assert (case.name, *case.expected) in found


def test_usage_errors_in_a_subprocess_are_messages_not_tracebacks(workdir: Path) -> None:
    (workdir / "x.yaml").mkdir()
    for arguments in (["validate", "x.yaml"], ["validate", "no-such.yaml"], ["validate", "--no-such-option"],
                      ["validate", "--today", "22/11/2026", "."]):
        completed = run_cli_subprocess(arguments, workdir)
        assert completed.returncode == 2, arguments
        assert "Traceback" not in completed.stderr
        assert completed.stderr.strip(), arguments


# --- hostile values that reach code outside the loader ---------------------------------------

def _record_with_quantity(value: str, quote: str = "more than 30,000 poor people") -> str:
    return LUOSHAN_RECORD + f"observations:\n  - id: x\n    metric: area_planted\n    value: {value}\n    quote: \"{quote}\"\n"


def test_overflowing_unit_power_is_a_finding(workdir: Path, capsys) -> None:
    (workdir / "overflow.yaml").write_text(_record_with_quantity("1 km**99999"), encoding="utf-8")
    _, report, _ = validate_json(["overflow.yaml"], capsys)
    assert [f["rule"] for f in report["findings"] if f["pointer"] == "/observations/0/value"] != []


def test_unit_with_an_exponent_tower_finishes(workdir: Path) -> None:
    (workdir / "tower.yaml").write_text(_record_with_quantity("1 m^(9^9^9)"), encoding="utf-8")
    completed = run_cli_subprocess(["validate", "--today", TODAY.isoformat(), "tower.yaml"], workdir)
    assert completed.returncode == 1 and "Traceback" not in completed.stderr


def test_long_quote_not_in_its_source_finishes(workdir: Path) -> None:
    (workdir / "long_quote.yaml").write_text(_record_with_quantity("8 mu", "the county " * 30_000 + "8"), encoding="utf-8")
    completed = run_cli_subprocess(["validate", "--today", TODAY.isoformat(), "long_quote.yaml"], workdir)
    assert completed.returncode == 1 and "Traceback" not in completed.stderr


# --- property: a mutated record gives findings or none, never an exception -------------------

VALID_RECORD = HEADER + """\
observations:
  - id: poor-villages
    metric: poor_villages
    value: 54 villages
    date: 2020
    quote: "all 54 poor villages have withdrawn"
  - id: peach-households
    metric: households
    value: 4,811 households
    quote: "A total of 4,811 households"
  - id: poor-households-2014
    metric: registered_poor_households
    value: 8,164 households
    date: 2014
    quote: "8,164 households and 26,761 in 2014"
  - id: peach-area
    metric: area_planted
    value: 8 acres
    quote: "one household grew 8 acres of yellow peaches"
funds:
  - id: invest
    label: county investment
    stage: invested
    amount: {value: "41,165,200 yuan", quote: "The county invested 41,165,200 yuan"}
    parts: [central]
  - id: central
    label: central government
    stage: invested
    level: central
    amount: {value: 26.2 million yuan, quote: "26.2 million yuan came from the central government"}
shares:
  - {id: incidence-2014, value: 16.57 %, quote: "dropped from 16.57% in 2014"}
relations:
  - {kind: subset, part: peach-households, whole: poor-households-2014}
acknowledged:
  - rule: UNIT003
    pointer: /observations/3/value
    reason: The fixture keeps the translation's acres to exercise acknowledgements.
"""

ANY_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20) | st.sampled_from(["54 villages", "1e400", "yes", "s1", "/observations/0", "SUM001"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=6,
)


def _containers(node: object, path: tuple = ()) -> list[tuple]:
    found = []
    if isinstance(node, (dict, list)) and node:
        found.append(path)
        for key, child in (node.items() if isinstance(node, dict) else enumerate(node)):
            found.extend(_containers(child, (*path, key)))
    return found


def _at(node: object, path: tuple) -> object:
    for step in path:
        node = node[step]
    return node


def mutate_tree(data: dict, draw) -> None:
    """Delete, duplicate, retype or truncate one node of the record."""
    containers = _containers(data)
    if not containers:
        return
    container = _at(data, draw(st.sampled_from(containers)))
    keys = list(container) if isinstance(container, dict) else list(range(len(container)))
    key = draw(st.sampled_from(keys))
    operation = draw(st.sampled_from(["delete", "duplicate", "retype", "truncate"]))
    if operation == "delete":
        del container[key]
    elif operation == "duplicate":
        if isinstance(container, list):
            container.insert(key, copy.deepcopy(container[key]))
        else:  # a duplicated key is a text mutation; here the value is copied under another key
            container[draw(st.sampled_from(keys))] = copy.deepcopy(container[key])
    elif operation == "retype":
        container[key] = draw(ANY_VALUE)
    else:
        value = container[key]
        if isinstance(value, (str, list)):
            container[key] = value[: draw(st.integers(0, max(0, len(value) - 1)))]
        elif isinstance(value, dict):
            container[key] = dict(list(value.items())[: draw(st.integers(0, len(value)))])


def mutate_text(text: str, draw) -> str:
    """Duplicate or delete a line, cut the file short, or insert a character YAML cares about."""
    lines = text.splitlines(keepends=True)
    operation = draw(st.sampled_from(["duplicate_line", "delete_line", "truncate", "insert", "none"]))
    index = draw(st.integers(0, len(lines) - 1))
    if operation == "duplicate_line":
        lines.insert(index, lines[index])
    elif operation == "delete_line":
        del lines[index]
    elif operation == "truncate":
        return text[: draw(st.integers(0, len(text)))]
    elif operation == "insert":
        at = draw(st.integers(0, len(text)))
        return text[:at] + draw(st.sampled_from(["\t", "\x00", "&a ", "*a", "!!str ", "<<: ", "{", "[", "]", ":", "- ", "#", "'", '"', "\ufeff", "\x85", "---\n"])) + text[at:]
    return "".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_record_never_raises(tmp_path_factory: pytest.TempPathFactory, data) -> None:
    record = yaml.safe_load(VALID_RECORD)
    for _ in range(data.draw(st.integers(1, 3), label="tree mutations")):
        mutate_tree(record, data.draw)
    text = yaml.safe_dump(record, allow_unicode=True, sort_keys=False)
    text = mutate_text(text, data.draw)
    path = tmp_path_factory.mktemp("mutated") / "record.yaml"
    path.write_text(text, encoding="utf-8")
    result = run([(path, "record.yaml")], Settings(today=TODAY, seeds_dir=FIXTURE_SEEDS, jobs=1))
    for finding in result.findings:
        assert finding.code in RULE_BY_CODE
        assert finding.line >= 1 and finding.column >= 1


def test_the_record_that_is_mutated_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "record.yaml"
    path.write_text(VALID_RECORD, encoding="utf-8")
    result = run([(path, "record.yaml")], Settings(today=TODAY, seeds_dir=FIXTURE_SEEDS, jobs=1))
    assert [(f.code, f.message) for f in result.findings if not f.acknowledged] == []
    assert [f.code for f in result.findings] == ["UNIT003"]
