"""Reporters: SARIF that validates against its published schema, snippets with a caret, colour only
where asked or on a terminal, and --quiet."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sarif_kit.validate import validation_errors

from rule_cases import TODAY
from validator.cli import main, wants_color
from validator.support.paths import REPO_ROOT
from validator.reporters.text import caret_width

ANSI = re.compile(r"\x1b\[[0-9;]*m")
# A number not in its quote (QUOTE002) and a part larger than its whole (SUM003, with related places).
RECORD = """\
schema_version: "1.1"
division: {code: "411521", name_en: Luoshan County, name_zh: 罗山县, province: Henan, prefecture: 信阳市}
sources: [{id: s1, file: seeds/004_e71df4d67ebbcf32.txt, title: Luoshan, language: en}]
observations:
  - id: whole
    metric: households
    value: 841 households
    quote: "relocate 841 households with 3049 people"
  - id: part
    metric: households
    value: "20,816 households"
    quote: "97 poor villages, 20,816 households"
  - id: mistyped
    metric: households
    value: 814 households
    quote: "relocate 841 households with 3049 people"
relations:
  - {id: part-in-whole, kind: subset, part: part, whole: whole}
"""


@pytest.fixture
def record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(REPO_ROOT)
    path = tmp_path / "r.yaml"
    path.write_text(RECORD, encoding="utf-8")
    return path


def run_cli(capsys, *arguments: str) -> tuple[int, str]:
    status = main(["validate", "--today", TODAY.isoformat(), *arguments])
    return status, capsys.readouterr().out


def test_snippet_shows_the_line_with_a_caret_under_the_value(record: Path, capsys) -> None:
    _, out = run_cli(capsys, "--snippets", "always", "--color", "never", str(record))
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if " QUOTE002 " in line)
    _, line_number, column = re.match(r"(.+):(\d+):(\d+):", lines[at]).groups()
    source, marker = lines[at + 1], lines[at + 2]
    assert source.endswith(RECORD.splitlines()[int(line_number) - 1])
    gutter = source.index("| ") + 2
    assert marker.index("^") - gutter == int(column) - 1
    assert marker[marker.index("^"):] == "^" + "~" * (len("814 households") - 1)


def test_caret_width_covers_plain_and_quoted_values() -> None:
    assert caret_width('    value: "41,165,200 yuan"', 12) == len('"41,165,200 yuan"')
    assert caret_width("    value: 9 households  # note", 12) == len("9 households")
    assert caret_width("  - {kind: subset, part: a}", 12) == len("subset")


def test_no_snippet_when_not_asked_and_not_a_terminal(record: Path, capsys) -> None:
    _, out = run_cli(capsys, str(record))
    assert " | " not in out


def test_colour_only_when_asked_or_on_a_terminal(record: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    assert ANSI.search(run_cli(capsys, "--color", "always", str(record))[1])
    assert not ANSI.search(run_cli(capsys, "--color", "never", str(record))[1])
    assert not ANSI.search(run_cli(capsys, str(record))[1])  # captured output is not a terminal
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert wants_color("auto", terminal=True) and not wants_color("auto", terminal=False)
    monkeypatch.setenv("NO_COLOR", "1")
    assert not wants_color("auto", terminal=True) and wants_color("always", terminal=False)


def test_quiet_prints_findings_only(record: Path, capsys) -> None:
    _, loud = run_cli(capsys, str(record))
    _, quiet = run_cli(capsys, "--quiet", str(record))
    assert loud.splitlines()[-1].startswith("1 file checked")
    assert quiet.splitlines() == loud.splitlines()[:-1]
    _, quiet_github = run_cli(capsys, "--quiet", "--format", "github", str(record))
    assert all(line.startswith("::") for line in quiet_github.splitlines())


def test_sarif_validates_against_the_sarif_2_1_0_schema(record: Path, capsys) -> None:
    status, out = run_cli(capsys, "--format", "sarif", str(record), str(REPO_ROOT / "records" / "hunan" / "yanling.yaml"))
    log = json.loads(out)
    assert validation_errors(log) == []
    [sarif_run] = log["runs"]
    rule_ids = [rule["id"] for rule in sarif_run["tool"]["driver"]["rules"]]
    results = sarif_run["results"]
    assert {rule_ids[r["ruleIndex"]] for r in results} == {r["ruleId"] for r in results} == {"QUOTE002", "SUM003", "PCT001", "CORRECTION001"}
    assert {r["level"] for r in results if r["ruleId"] == "CORRECTION001"} == {"note"}
    sum003 = [r for r in results if r["ruleId"] == "SUM003"]
    assert {bool(r.get("suppressions")) for r in sum003} == {True, False}  # Yanling's is acknowledged
    assert status == 1


def test_an_invalid_sarif_log_is_caught_by_the_schema_check() -> None:
    # The check itself can fail: a result without a message is not SARIF.
    assert validation_errors({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"ruleId": "A"}]}]})


def test_sarif_related_locations_name_the_part_and_the_whole(record: Path, capsys) -> None:
    _, out = run_cli(capsys, "--format", "sarif", str(record))
    [sum003] = [r for r in json.loads(out)["runs"][0]["results"] if r["ruleId"] == "SUM003"]
    assert [loc["message"]["text"].split()[0] for loc in sum003["relatedLocations"]] == ["part", "whole"]
    assert all(loc["physicalLocation"]["region"]["startLine"] > 3 for loc in sum003["relatedLocations"])


def test_text_prints_related_places_as_notes(record: Path, capsys) -> None:
    _, out = run_cli(capsys, str(record))
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if " SUM003 at relations[part-in-whole]: " in line)
    assert re.match(r"    .+r\.yaml:\d+:\d+: note: part observations\[part\]", lines[at + 1])
    assert re.match(r"    .+r\.yaml:\d+:\d+: note: whole observations\[whole\]", lines[at + 2])
