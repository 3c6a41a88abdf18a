"""End to end: `county-records validate` on record files, in every output format, with its exit status.

The command reads sources from the repository's seeds/ folder, so these records cite
seeds/004_e71df4d67ebbcf32.txt and quote it verbatim.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from validator.cli import main

TODAY = "2026-11-22"

VALID = """\
schema_version: "1.0"
division:
  code: "411521"
  name_en: Luoshan County
  name_zh: 罗山县
  province: Henan
  prefecture: 信阳市
sources:
  - id: s1
    file: seeds/004_e71df4d67ebbcf32.txt
    title: Luoshan County poverty alleviation
    language: en
    translated_from: zh
    machine_translated: true
observations:
  - id: poor-villages
    metric: poor_villages
    value: 97 villages
    quote: "97 poor villages, 20,816 households, 71,402 poor"
  - id: poor-households
    metric: registered_poor_households
    value: 20,816 households
    quote: "97 poor villages, 20,816 households, 71,402 poor"
"""

# A warning (UNIT003): an area in acres from a source translated from Chinese.
ACRES = """\
  - id: tea-area
    metric: area_planted
    value: 300,000 acres
    quote: "300,000 mu of tea garden"
"""

# Each broken record, and the finding it must give: (code, line, column).
BROKEN = {
    "duplicate_key": (VALID.replace("    language: en\n", "    language: en\n    language: en\n"), ("YAML002", 13, 5)),
    "unknown_schema_version": (VALID.replace('schema_version: "1.0"', 'schema_version: "2.0"'), ("SCHEMA004", 1, 17)),
    "wrong_type": (VALID.replace("value: 97 villages", "value: 97"), ("SCHEMA003", 18, 12)),
    # A figure with neither quote nor cell: since a figure may cite a table cell (schema 1.2), CELL004 says so.
    "missing_quote": (VALID.replace('    quote: "97 poor villages, 20,816 households, 71,402 poor"\n  - id: poor-households',
                                    "  - id: poor-households"), ("CELL004", 16, 5)),
    "broken_yaml": (VALID.replace("  name_en: Luoshan County", " name_en: Luoshan County"), ("YAML001", 4, 2)),
}
TEXT_LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning) (?P<code>[A-Z]+\d{3}) (?P<message>.+)$")
GITHUB_LINE = re.compile(
    r"^::(?P<command>error|warning|notice) file=(?P<file>[^,]+),line=(?P<line>\d+),col=(?P<column>\d+),"
    r"title=(?P<code>[A-Z]+\d{3}) (?P<name>[a-z0-9-]+)(?P<ack> \(acknowledged\))?::(?P<message>.+)$"
)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def validate(capsys, *arguments: str) -> tuple[int, str, str]:
    status = main(["validate", "--today", TODAY, *arguments])
    out, err = capsys.readouterr()
    return status, out, err


def findings_in(output: str, form: str) -> list[tuple[str, str, int, int]]:
    """(file, code, line, column) of every finding, whatever the format."""
    if form == "json":
        return [(f["file"], f["rule"], f["line"], f["column"]) for f in json.loads(output)["findings"]]
    pattern = TEXT_LINE if form == "text" else GITHUB_LINE
    matches = [pattern.match(line) for line in output.splitlines()]
    return [(m["file"], m["code"], int(m["line"]), int(m["column"])) for m in matches if m]


def test_valid_record_passes(folder: Path, capsys) -> None:
    (folder / "luoshan.yaml").write_text(VALID, encoding="utf-8")
    status, out, err = validate(capsys, "luoshan.yaml")
    assert (status, out, err) == (0, "1 file checked: 0 errors, 0 warnings, 0 acknowledged\n", "")


@pytest.mark.parametrize("form", ["text", "json", "github"])
@pytest.mark.parametrize("name", list(BROKEN))
def test_broken_record_gives_its_code_at_its_line(name: str, form: str, folder: Path, capsys) -> None:
    text, (code, line, column) = BROKEN[name]
    (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    status, out, err = validate(capsys, "--format", form, f"{name}.yaml")
    assert status == 1
    assert err == ""
    assert (f"{name}.yaml", code, line, column) in findings_in(out, form)


def test_text_format(folder: Path, capsys) -> None:
    (folder / "r.yaml").write_text(BROKEN["unknown_schema_version"][0], encoding="utf-8")
    _, out, _ = validate(capsys, "r.yaml")
    assert out.splitlines() == [
        """r.yaml:1:17: error SCHEMA004 at schema_version: unknown schema_version '2.0'; this validator knows "1.0", "1.1", "1.2\"""",
        "1 file checked: 1 error, 0 warnings, 0 acknowledged",
    ]


def test_json_format(folder: Path, capsys) -> None:
    (folder / "r.yaml").write_text(BROKEN["wrong_type"][0], encoding="utf-8")
    _, out, _ = validate(capsys, "--format", "json", "r.yaml")
    report = json.loads(out)
    assert {"files", "findings", "summary"} <= set(report)
    assert report["files"] == 1
    assert report["summary"] == {"errors": 1, "warnings": 0, "acknowledged": 0, "corrections": 0,
                                 "coverage": {"sources": 0, "quantities": 0, "accounted": 0}}
    [finding] = report["findings"]
    assert {k: finding[k] for k in ("file", "line", "column", "pointer", "rule", "severity", "acknowledged")} == {
        "file": "r.yaml", "line": 18, "column": 12, "pointer": "/observations/0/value",
        "rule": "SCHEMA003", "severity": "error", "acknowledged": False,
    }
    assert "97" in finding["message"]


def test_github_format_escapes_properties_and_data(folder: Path, capsys) -> None:
    (folder / "a,b:c.yaml").write_text(BROKEN["duplicate_key"][0], encoding="utf-8")
    _, out, _ = validate(capsys, "--format", "github", "a,b:c.yaml")
    first, summary = out.splitlines()
    assert first.startswith("::error file=a%2Cb%3Ac.yaml,line=13,col=5,title=YAML002 duplicate-key::duplicate key `language`")
    assert summary == "1 file checked: 1 error, 0 warnings, 0 acknowledged"


def test_findings_of_several_files_are_sorted_by_file_and_line(folder: Path, capsys) -> None:
    for name in ("wrong_type", "duplicate_key"):
        (folder / f"{name}.yaml").write_text(BROKEN[name][0], encoding="utf-8")
    (folder / "valid.yaml").write_text(VALID, encoding="utf-8")
    status, out, _ = validate(capsys, ".")
    assert status == 1
    # wrong_type.yaml's one bad observation is left out and the rest of it is checked: it is then a
    # second record of valid.yaml's county (CODE001, at its division code on line 3).
    assert [(f, c) for f, c, _, _ in findings_in(out, "text")] == [
        ("duplicate_key.yaml", "YAML002"), ("wrong_type.yaml", "CODE001"), ("wrong_type.yaml", "SCHEMA003"),
    ]
    assert out.splitlines()[-1] == "3 files checked: 3 errors, 0 warnings, 0 acknowledged"


def test_warning_passes_unless_strict(folder: Path, capsys) -> None:
    (folder / "r.yaml").write_text(VALID + ACRES, encoding="utf-8")
    status, out, _ = validate(capsys, "r.yaml")
    assert status == 0
    assert findings_in(out, "text") == [("r.yaml", "UNIT003", 26, 12)]
    assert out.splitlines()[-1] == "1 file checked: 0 errors, 1 warning, 0 acknowledged"
    status, out, _ = validate(capsys, "--strict", "r.yaml")
    assert status == 1
    assert findings_in(out, "text") == [("r.yaml", "UNIT003", 26, 12)]


ACKNOWLEDGED = VALID.replace("value: 20,816 households", "value: 20,861 households") + ACRES + """\
acknowledged:
  - rule: QUOTE002
    pointer: /observations/1/value
    reason: Kept as the county's own table states it; the text has 20,816.
  - rule: UNIT003
    pointer: /observations/2
    reason: The original says mu; kept until the curated reading is checked.
"""


@pytest.mark.parametrize("strict", [False, True])
def test_acknowledged_findings_are_listed_with_verbose_but_do_not_fail(strict: bool, folder: Path, capsys) -> None:
    (folder / "r.yaml").write_text(ACKNOWLEDGED, encoding="utf-8")
    status, out, _ = validate(capsys, "--verbose", *(["--strict"] if strict else []), "r.yaml")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].startswith("r.yaml:22:12: acknowledged QUOTE002 ") and lines[0].endswith(
        "(reason: Kept as the county's own table states it; the text has 20,816.)")
    assert lines[1].startswith("r.yaml:26:12: acknowledged UNIT003 ") and "(reason: " in lines[1]
    assert lines[-1] == "1 file checked: 0 errors, 0 warnings, 2 acknowledged"
    status, out, _ = validate(capsys, *(["--strict"] if strict else []), "r.yaml")
    assert status == 0 and "QUOTE002" not in out and "1 file checked: 0 errors, 0 warnings, 2 acknowledged" in out


def test_acknowledged_findings_in_json_and_github(folder: Path, capsys) -> None:
    (folder / "r.yaml").write_text(ACKNOWLEDGED, encoding="utf-8")
    _, out, _ = validate(capsys, "--format", "json", "r.yaml")
    report = json.loads(out)
    assert [(f["rule"], f["acknowledged"], f["reason"][:4]) for f in report["findings"] if f["severity"] != "info"] == [
        ("QUOTE002", True, "Kept"), ("UNIT003", True, "The "),
    ]
    assert {k: report["summary"][k] for k in ("errors", "warnings", "acknowledged")} == {
        "errors": 0, "warnings": 0, "acknowledged": 2}
    status, out, _ = validate(capsys, "--format", "github", "r.yaml")
    assert status == 0
    commands = [GITHUB_LINE.match(line) for line in out.splitlines()[:2]]
    assert [(m["command"], m["code"], m["ack"]) for m in commands] == [
        ("notice", "QUOTE002", " (acknowledged)"), ("notice", "UNIT003", " (acknowledged)"),
    ]


def test_stale_acknowledgement_fails(folder: Path, capsys) -> None:
    (folder / "r.yaml").write_text(ACKNOWLEDGED.replace("value: 20,861 households", "value: 20,816 households"), encoding="utf-8")
    status, out, _ = validate(capsys, "r.yaml")
    assert status == 1
    assert ("r.yaml", "ACK001", 29, 5) in findings_in(out, "text")


# --- usage errors: exit 2 with a message, never a traceback ----------------------------------

def test_missing_path_exits_2(folder: Path, capsys) -> None:
    status, out, err = validate(capsys, "no-such-record.yaml")
    assert status == 2 and out == ""
    assert err == "county-records: no such file or folder: no-such-record.yaml\n"


def test_folder_without_records_exits_2(folder: Path, capsys) -> None:
    (folder / "empty").mkdir()
    status, out, err = validate(capsys, "empty")
    assert status == 2 and out == ""
    assert "no record files" in err


@pytest.mark.parametrize("arguments", [
    ["validate", "--no-such-option"],
    ["validate", "--format", "xml", "."],
    ["validate", "--today", "22/11/2026", "."],
    ["no-such-command"],
])
def test_unknown_option_exits_2(arguments: list[str], folder: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(arguments)
    assert exit_info.value.code == 2
    assert "usage: county-records" in capsys.readouterr().err


def test_unknown_rule_code_exits_2(capsys) -> None:
    assert main(["explain", "NOPE001"]) == 2
    assert "unknown rule code NOPE001" in capsys.readouterr().err


def test_command_runs_as_a_module(folder: Path) -> None:
    (folder / "r.yaml").write_text(BROKEN["broken_yaml"][0], encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "validator", "validate", "--format", "github", "--today", TODAY, "r.yaml"],
        capture_output=True, text=True, timeout=60,
    )
    assert completed.returncode == 1
    assert "Traceback" not in completed.stderr
    assert completed.stdout.startswith("::error file=r.yaml,line=4,col=2,title=YAML001 syntax-error::`name_en` is indented")
    usage = subprocess.run([sys.executable, "-m", "validator", "validate", "--bogus"], capture_output=True, text=True, timeout=60)
    assert usage.returncode == 2 and "Traceback" not in usage.stderr and "--bogus" in usage.stderr
