"""What the loader says about the YAML slips curators make: the mistake, and what to type instead.

The fixtures (tests/rules/YAML001.yaml, YAML002.yaml, YAML010.yaml) pin where each finding is; these
pin the part of the message a curator acts on, and that libyaml's own words stay in the data.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from validator.cli import main
from validator.load.loader import LoadedDocument, load_text

SLIPS = {
    "no-space-after-colon": (
        "poverty_exit:\n  date:2018\n  approved_by: provincial_government\n",
        ["`date: 2018`", "space after"],
    ),
    "key-indented-too-far": (
        "division:\n  code: \"430225\"\n   name_en: Yanling County\n",
        ["`name_en` is indented by 3 spaces", "`code` above it (line 2) by 2", "indent `name_en` by 2 spaces"],
    ),
    "list-item-indented-too-little": (
        "sources:\n  - id: s1\n    file: seeds/a.txt\n - id: s2\n",
        ["indented by 1 space", "item above it (line 2) by 2", "indent it by 2 spaces"],
    ),
    "key-of-a-list-item-indented-too-little": (
        "observations:\n  - id: villages\n    metric: poor_villages\n   value: 54 villages\n",
        ["`value` is indented by 3 spaces", "`metric` above it (line 3) by 4", "by 4 spaces"],
    ),
    "key-of-a-list-item-under-its-dash": (
        "observations:\n  - id: villages\n  metric: poor_villages\n",
        ["`metric` is indented by 2 spaces", "`id` above it (line 2) by 4", "by 4 spaces"],
    ),
    "tab": ("notes:\n\tcuration: checked\n", ["tab", "replace the tab with spaces"]),
    "quote-left-open": (
        "observations:\n  - quote: \"all 54 poor villages\n  - quote: \"8,164 households\"\n",
        ['this " is never closed', 'end the value with "'],
    ),
    "quote-inside-a-quoted-value": (
        "observations:\n  - quote: \"the county \"withdrew\" in 2018\"\n",
        ['`withdrew" in 2018"` follows', '\\"', "with '"],
    ),
    "bracket-left-open": (
        "division:\n  designations: [national_poverty_county\n  province: Hunan\n",
        ["`[` is never closed", "end it with `]`"],
    ),
    "comma-missing": (
        "observations:\n  - {id: villages, metric: poor_villages value: 54 villages}\n",
        ["`,` is missing before `value`"],
    ),
    "colon-in-a-value": (
        "sources:\n  - title: Yanling County: poverty exit report\n",
        ['`title: "Yanling County: poverty exit report"`'],
    ),
}


@pytest.mark.parametrize(("text", "says"), SLIPS.values(), ids=SLIPS.keys())
def test_a_slip_is_named_with_what_to_type(text: str, says: list[str]) -> None:
    [finding] = load_text(text, LoadedDocument(path=Path("record.yaml"))).findings
    for part in says:
        assert part in finding.message
    assert "did not find expected" not in finding.message and "while parsing" not in finding.message
    libyaml = finding.data["libyaml"]
    assert libyaml["problem"] and libyaml["line"] >= 1 and libyaml["column"] >= 1


def test_a_repeated_key_names_both_lines_and_what_to_do() -> None:
    [finding] = load_text("notes:\n  curation: a\n  curation: b\n", LoadedDocument(path=Path("record.yaml"))).findings
    assert finding.code == "YAML002"
    assert "first at line 2, again at line 3" in finding.message
    assert "delete one" in finding.message


def test_a_bracket_that_closes_the_wrong_thing_names_the_right_one() -> None:
    [finding] = load_text("notes: {curation: a]}\n", LoadedDocument(path=Path("record.yaml"))).findings
    assert (finding.line, finding.column) == (1, 20)
    assert "does not close the `{` on line 1: close that with `}`" in finding.message


def test_an_error_libyaml_words_best_keeps_them() -> None:
    # A reserved `@` is none of the slips above: libyaml's own description is the clearest there is.
    [finding] = load_text("notes:\n  curation: @home\n", LoadedDocument(path=Path("record.yaml"))).findings
    assert finding.message.startswith("YAML syntax error: ")
    assert finding.data["libyaml"]["problem"] in finding.message


def test_the_json_report_carries_libyaml_s_words_and_place(tmp_path: Path, capsys) -> None:
    record = tmp_path / "record.yaml"
    record.write_text("schema_version: \"1.1\"\ndivision:\n  poverty_exit:\n    date:2018\n    approved_by: x\n",
                      encoding="utf-8")
    main(["validate", "--format", "json", str(record)])
    [finding] = json.loads(capsys.readouterr().out)["findings"]
    assert (finding["rule"], finding["line"], finding["column"]) == ("YAML001", 4, 9)
    assert finding["data"]["libyaml"] == {
        "problem": "mapping values are not allowed in this context", "context": None, "line": 5, "column": 16}


RECORD = """\
schema_version: "1.1"
division:
  code: "430225"
  name_en: Yanling County
  designations: [national_poverty_county]
  poverty_exit: {date: 2018, approved_by: provincial_government}
sources:
  - id: s1
    file: seeds/fixture.txt
    title: 'Yanling: the report'
observations:
  - id: villages
    value: 54 villages
    quote: "all 54 poor villages, \\"withdrawn\\""
    notes: |
      kept
"""


def _slips(text: str):
    """Every one-character slip: each character deleted, and each of these typed before it."""
    for index in range(len(text) + 1):
        yield text[:index] + text[index + 1:]
        for typed in (" ", ":", '"', "\t", "[", "\n"):
            yield text[:index] + typed + text[index:]


def test_every_one_character_slip_of_a_record_gets_a_place_inside_the_file_and_no_traceback() -> None:
    for text in _slips(RECORD):
        doc = load_text(text, LoadedDocument(path=Path("record.yaml")))
        lines = text.split("\n")
        for finding in doc.findings:
            assert finding.line is None or 1 <= finding.line <= len(lines), (text, finding)
            assert finding.column is None or 1 <= finding.column <= len(lines[finding.line - 1]) + 1, (text, finding)
