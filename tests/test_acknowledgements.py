"""Acknowledgements by id path: they keep their finding when the record's lists change around it,
the validator prints the entry that acknowledges a finding, and positional ones can be rewritten."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from rule_cases import TODAY
from validator.cli import main
from validator.support.paths import REPO_ROOT

YANLING = REPO_ROOT / "records" / "hunan" / "yanling.yaml"
ACKNOWLEDGED_AT = "    at: relations[micro-wish-households-subset]\n"
INSERTED_RELATION = (
    "relations:\n"
    "  - kind: same\n"
    "    items: [poor-households-2014-lead, poor-households-2014-body]\n"
)


def validate(capsys, *arguments: str) -> tuple[int, dict]:
    status = main(["validate", "--format", "json", "--today", TODAY.isoformat(), *arguments])
    return status, json.loads(capsys.readouterr().out)


def with_relation_inserted_at_the_top(text: str) -> str:
    assert text.count("\nrelations:\n") == 1
    return text.replace("\nrelations:\n", "\n" + INSERTED_RELATION, 1)


@pytest.fixture
def record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(REPO_ROOT)  # the record's seeds are the repository's
    return tmp_path / "yanling.yaml"


def test_an_id_path_keeps_its_finding_when_a_relation_is_inserted_above(record: Path, capsys) -> None:
    text = YANLING.read_text(encoding="utf-8")
    assert ACKNOWLEDGED_AT in text
    record.write_text(with_relation_inserted_at_the_top(text), encoding="utf-8")
    status, report = validate(capsys, str(record))
    codes = [(f["rule"], f["acknowledged"]) for f in report["findings"] if f["severity"] != "info"]
    assert ("SUM003", True) in codes
    assert not any(code == "ACK001" for code, _ in codes)
    assert status == 0


def test_a_positional_pointer_slides_onto_another_relation_when_one_is_inserted_above(record: Path, capsys) -> None:
    # The old behaviour, kept for records that name their acknowledgements by pointer.
    text = YANLING.read_text(encoding="utf-8").replace(ACKNOWLEDGED_AT, "    pointer: /relations/33\n")
    record.write_text(text, encoding="utf-8")
    assert validate(capsys, str(record))[0] == 0  # in place, the pointer works
    record.write_text(with_relation_inserted_at_the_top(text), encoding="utf-8")
    status, report = validate(capsys, str(record))
    codes = [(f["rule"], f["acknowledged"]) for f in report["findings"] if f["severity"] != "info"]
    assert ("SUM003", False) in codes and ("ACK001", False) in codes
    assert status == 1


def test_the_printed_snippet_pasted_into_the_record_acknowledges_the_finding(record: Path, capsys) -> None:
    text = YANLING.read_text(encoding="utf-8")
    without = re.sub(r"\nacknowledged:\n(?:  .*\n|\s*\n)*", "\n", text)
    assert "acknowledged:" not in without
    record.write_text(without, encoding="utf-8")
    status = main(["validate", "--show-acknowledgement", "--today", TODAY.isoformat(), str(record)])
    out = capsys.readouterr().out
    assert status == 1
    assert "error SUM003 at relations[micro-wish-households-subset]:" in out
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "- rule: SUM003")
    entry = [line[6:] for line in lines[start:start + 3]]
    assert entry[1] == "  at: relations[micro-wish-households-subset]"
    # The record's other acknowledgements (other findings of the source's own) go back as they were.
    others = [a for a in yaml.safe_load(text)["acknowledged"] if a["at"] != "relations[micro-wish-households-subset]"]
    kept = "".join(f"  - rule: {a['rule']}\n    at: {a['at']}\n    reason: {json.dumps(a['reason'])}\n" for a in others)
    kept_codes = {(a["rule"], True) for a in others}
    pasted = without + "acknowledged:\n" + "".join(f"  {line}\n" for line in entry) + kept
    record.write_text(pasted, encoding="utf-8")
    status, report = validate(capsys, str(record))
    # Pasted as printed, the entry acknowledges the finding, and ACK003 asks for the reason.
    assert {(f["rule"], f["acknowledged"]) for f in report["findings"] if f["severity"] != "info"} == {("SUM003", True), ("ACK003", False)} | kept_codes
    record.write_text(pasted.replace(entry[2].split(": ", 1)[1], "The source itself says 15,200, more than 8,164."), encoding="utf-8")
    status, report = validate(capsys, str(record))
    assert sorted((f["rule"], f["acknowledged"]) for f in report["findings"] if f["severity"] != "info") == sorted({("SUM003", True)} | kept_codes)
    assert status == 0


BLOCK_RECORD = """\
# a comment that must stay
schema_version: "1.1"
relations:
  # and one inside the list
  - kind: same   # trailing comment
    items: [a, b]
  - {kind: subset, part: c, whole: d}
acknowledged:
  - rule: SUM007
    pointer: /relations/0
    reason: >-
      Folded text
      that must stay folded.
  - {rule: SUM003, pointer: "/relations/1", reason: The source's own inconsistency, stated twice.}
"""


def test_fix_acknowledgements_rewrites_pointers_and_keeps_everything_else(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(REPO_ROOT)
    path = tmp_path / "r.yaml"
    path.write_text(BLOCK_RECORD, encoding="utf-8")
    assert main(["fix-acknowledgements", "--check", str(path)]) == 1
    assert path.read_text(encoding="utf-8") == BLOCK_RECORD  # --check writes nothing
    assert main(["fix-acknowledgements", str(path)]) == 0
    capsys.readouterr()
    assert path.read_text(encoding="utf-8") == """\
# a comment that must stay
schema_version: "1.1"
relations:
  # and one inside the list
  - id: a-same
    kind: same   # trailing comment
    items: [a, b]
  - {id: c-subset, kind: subset, part: c, whole: d}
acknowledged:
  - rule: SUM007
    at: relations[a-same]
    reason: >-
      Folded text
      that must stay folded.
  - {rule: SUM003, at: "relations[c-subset]", reason: The source's own inconsistency, stated twice.}
"""
    # A second run finds nothing to do.
    assert main(["fix-acknowledgements", "--check", str(path)]) == 0


def test_fix_acknowledgements_keeps_ids_unique(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(REPO_ROOT)
    path = tmp_path / "r.yaml"
    path.write_text(
        'schema_version: "1.1"\n' "observations:\n  - {id: a-same, metric: households, value: 1 household, quote: one household}\n"
        "relations:\n  - kind: same\n    items: [a, b]\n"
        "acknowledged:\n  - rule: SUM007\n    pointer: /relations/0\n    reason: The source's own inconsistency, stated twice.\n",
        encoding="utf-8",
    )
    assert main(["fix-acknowledgements", str(path)]) == 0
    assert "  - id: a-same-2\n" in path.read_text(encoding="utf-8")
    assert "at: relations[a-same-2]" in path.read_text(encoding="utf-8")


def test_the_real_records_name_their_acknowledgements_by_id(capsys, monkeypatch) -> None:
    monkeypatch.chdir(REPO_ROOT)
    assert main(["fix-acknowledgements", "--check"]) == 0, capsys.readouterr().out


POSITIONAL = """\
# a comment
schema_version: {version}
relations:{first_ending}
  - kind: same{split_ending}
    items: [a, b]
acknowledged:
  - rule: SUM007
    pointer: /relations/0
    reason: The source's own inconsistency, stated twice.
"""


def test_fix_acknowledgements_refuses_a_1_0_record_and_names_migrate(tmp_path: Path, monkeypatch, capsys) -> None:
    # `at:` and a relation's `id` are schema 1.1: written into a 1.0 record they would fail SCHEMA007.
    monkeypatch.chdir(REPO_ROOT)
    path = tmp_path / "r.yaml"
    original = POSITIONAL.format(version='"1.0"', first_ending="", split_ending="").encode("utf-8")
    path.write_bytes(original)
    for check in ([], ["--check"]):
        assert main(["fix-acknowledgements", *check, str(path)]) == 1
        err = capsys.readouterr().err
        assert "county-records migrate --to 1.1" in err and "1.0" in err
        assert path.read_bytes() == original


@pytest.mark.parametrize("first_ending, split_ending", [("\r", ""), ("", "\r")], ids=["crlf-elsewhere", "crlf-on-the-split-line"])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["no-bom", "bom"])
def test_fix_acknowledgements_keeps_the_bom_and_every_line_ending(tmp_path: Path, monkeypatch, capsys, bom: bytes,
                                                                   first_ending: str, split_ending: str) -> None:
    monkeypatch.chdir(REPO_ROOT)
    path = tmp_path / "r.yaml"
    original = bom + POSITIONAL.format(version='"1.1"', first_ending=first_ending, split_ending=split_ending).encode("utf-8")
    path.write_bytes(original)
    assert main(["fix-acknowledgements", str(path)]) == 0
    written = path.read_bytes()
    assert written.startswith(bom) and not written[len(bom):].startswith(b"\xef\xbb\xbf")
    old_lines, new_lines = original[len(bom):].splitlines(keepends=True), written[len(bom):].splitlines(keepends=True)
    # One line was split in two (the relation's new id above its first key) and one rewritten (pointer -> at).
    split = old_lines.index(f"  - kind: same{split_ending}\n".encode())
    assert new_lines[split:split + 2] == [f"  - id: a-same{split_ending}\n".encode(), f"    kind: same{split_ending}\n".encode()]
    pointer = old_lines.index(b"    pointer: /relations/0\n")
    assert new_lines[pointer + 1] == b"    at: relations[a-same]\n"
    untouched = [line for i, line in enumerate(old_lines) if i not in (split, pointer)]
    assert [line for i, line in enumerate(new_lines) if i not in (split, split + 1, pointer + 1)] == untouched
