"""`county-records migrate`: records move from 1.0 to 1.1 changing the version and the documented
edits only, byte for byte, and validate as before.

The real records are copied into tmp_path as 1.0 records (their version line set back to "1.0"),
and, to exercise the acknowledgement part of the migration, as 1.0 records that name their
acknowledgements by list position and whose acknowledged relation has no id, as they were before
`fix-acknowledgements`.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest

from rule_cases import TODAY
from test_hostile_input import snapshot
from validator.cli import main
from validator.commands.migrate import STEPS
from validator.engine import Settings, run
from validator.load.loader import LoadedDocument, load_text
from validator.models import SCHEMA_VERSIONS
from validator.models.additions import METRICS_ADDED
from validator.support.paths import RECORDS_DIR

# The records with quoted figures (the ones the list of the 832 wrote have none to migrate), as 1.1 records:
# without the lines of what 1.2 added (a cited exit year or listed name, a table source, a money kind, a
# within relation, omissions, a date_basis, an item whose metric 1.2 added).
QUOTING = sorted(path for path in RECORDS_DIR.rglob("*.yaml") if "quote:" in path.read_text(encoding="utf-8"))
METRICS_OF_1_2 = re.compile(r"^ *(- )?metric: (%s)$" % "|".join(m for m, version in METRICS_ADDED.items() if version == "1.2"))
VERSION_LINE = re.compile(r'^schema_version: "1\.[012]"$', re.MULTILINE)
ADDED_IN_1_2 = re.compile(r"^  (delisted_year|listed_as): .*\n|^  - id: [a-z0-9-]+\n    file: seeds/[^\n]+\.csv\n    key: .*\n(    .*\n)*"
                          r"|^ +money_kind: [a-z]+\n|^  - id: [a-z0-9-]+\n    kind: within\n(    .*\n)*|^omissions:\n(  .*\n)*", re.MULTILINE)
DATE_BASIS = re.compile(r"^ *date_basis: as_of_publication\n|, date_basis: as_of_publication(?=\})", re.MULTILINE)


def _without_items_of_1_2_metrics(text: str) -> str:
    """The record without the block-style items whose metric schema 1.2 added (the per-unit rates)."""
    lines = text.split("\n")
    while (at := next((i for i, line in enumerate(lines) if METRICS_OF_1_2.match(line)), None)) is not None:
        start = next(i for i in range(at, -1, -1) if lines[i].lstrip().startswith("- "))
        dash = len(lines[start]) - len(lines[start].lstrip())
        end = next((i for i in range(start + 1, len(lines))
                    if lines[i].strip() and len(lines[i]) - len(lines[i].lstrip()) <= dash), len(lines))
        del lines[start:end]
    return "\n".join(lines)


def without_1_2(text: str) -> str:
    return _without_items_of_1_2_metrics(DATE_BASIS.sub("", ADDED_IN_1_2.sub("", text)))


# A comment line, or what follows a ' #' on a line (a superset of trailing comments: enough to compare).
COMMENT = re.compile(r"(?:^\s*|\s)(#.*)$")


def as_1_0(text: str) -> str:
    assert len(VERSION_LINE.findall(text)) == 1
    return VERSION_LINE.sub('schema_version: "1.0"', without_1_2(text))


def _a_1_1_record_once_stripped(path: Path, folder: Path) -> bool:
    """Whether the record, without the lines of 1.2's additions that without_1_2 strips, uses nothing
    else 1.2 added (a value written as 40多人, a unit of 1.2): whether a 1.1 copy of it can exist."""
    text = path.read_text(encoding="utf-8")
    if len(VERSION_LINE.findall(text)) != 1:
        return False
    copy = folder / path.name
    copy.write_text(VERSION_LINE.sub('schema_version: "1.1"', without_1_2(text)), encoding="utf-8")
    findings = run([(copy, path.name)], Settings(today=TODAY, jobs=1)).findings
    return not any(f.code == "SCHEMA007" for f in findings)


@pytest.fixture(scope="module")
def record_files(tmp_path_factory) -> list[Path]:
    """The records with quoted figures (the ones the list of the 832 wrote have none to migrate) that
    have a 1.1 form: which records those are is the corpus's business, so the test picks them."""
    folder = tmp_path_factory.mktemp("stripped")
    files = [path for path in QUOTING if _a_1_1_record_once_stripped(path, folder)]
    assert len(files) >= 5, "too few records with a 1.1 form to test migration on"
    return files


def loaded(text: str) -> dict:
    doc = load_text(text, LoadedDocument(path=Path("r.yaml")))
    assert doc.usable
    return doc.data


def positional(text: str) -> str:
    """The record with each `at: relations[ID]` acknowledgement as `pointer: /relations/N`, and the id removed."""
    data = loaded(text)
    for entry in data.get("acknowledged", []):
        share = re.fullmatch(r"shares\[([^\]]+)\](\.value)?", entry["at"])
        if share:  # shares always have ids (required): only the place becomes positional
            index = next(i for i, item in enumerate(data["shares"]) if item["id"] == share.group(1))
            text = text.replace(f"    at: {entry['at']}\n", f"    pointer: /shares/{index}{'/value' if share.group(2) else ''}\n", 1)
            continue
        output = re.fullmatch(r"programmes\[([^\]]+)\]\.outputs\[([^\]]+)\]", entry["at"])
        if output:  # programmes and their outputs have ids (required): only the place becomes positional
            p = next(i for i, item in enumerate(data["programmes"]) if item["id"] == output.group(1))
            o = next(i for i, item in enumerate(data["programmes"][p]["outputs"]) if item["id"] == output.group(2))
            text = text.replace(f"    at: {entry['at']}\n", f"    pointer: /programmes/{p}/outputs/{o}\n", 1)
            continue
        match = re.fullmatch(r"relations\[([^\]]+)\]", entry["at"])
        index = next(i for i, relation in enumerate(data["relations"]) if relation.get("id") == match.group(1))
        text = text.replace(f"    at: {entry['at']}\n", f"    pointer: /relations/{index}\n", 1)
        block_id = re.compile(rf"^(  - )id: {re.escape(match.group(1))}\n    ", re.MULTILINE)
        assert len(block_id.findall(text)) == 1  # the real acknowledged relations are block mappings
        text = block_id.sub(r"\1", text)
    return text


def comments(text: str) -> list[str]:
    return [match.group(1) for line in text.split("\n") if (match := COMMENT.search(line))]


def findings_of(folder: Path) -> set[tuple]:
    files = [(path, str(path.relative_to(folder))) for path in sorted(folder.rglob("*.yaml"))]
    result = run(files, Settings(today=TODAY, jobs=1))
    return {(f.file, f.code, f.pointer, f.path, f.acknowledged) for f in result.findings}


def without_schema007(findings: set[tuple]) -> set[tuple]:
    # SCHEMA007 (a 1.0 record using what 1.1 added: the real records use relation ids and `at`) is what migrating removes.
    return {finding for finding in findings if finding[1] != "SCHEMA007"}


@pytest.fixture(scope="module", params=["version-only", "with-positional-acknowledgements"])
def corpus(request, tmp_path_factory, record_files) -> dict:
    """The real records as 1.0 copies, migrated by the command; their texts before and after."""
    folder = tmp_path_factory.mktemp(request.param)
    before = {}
    for path in record_files:
        text = as_1_0(path.read_text(encoding="utf-8"))
        if request.param != "version-only":
            text = positional(text)
        copy = folder / path.relative_to(RECORDS_DIR)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(text, encoding="utf-8")
        before[copy] = text
    findings_before = findings_of(folder)
    unchanged = snapshot(folder)
    check_before = main(["migrate", "--to", "1.1", "--check", str(folder)])
    assert snapshot(folder) == unchanged, "--check writes nothing"
    status = main(["migrate", "--to", "1.1", str(folder)])
    after = {path: path.read_text(encoding="utf-8") for path in before}
    migrated = snapshot(folder)
    check_after = main(["migrate", "--to", "1.1", "--check", str(folder)])
    assert snapshot(folder) == migrated
    return {"kind": request.param, "folder": folder, "before": before, "after": after, "status": status, "check": (check_before, check_after),
            "findings": (findings_before, findings_of(folder))}


def test_check_reports_pending_work_before_and_none_after(corpus) -> None:
    assert corpus["check"] == (1, 0)
    assert corpus["status"] == 0


def test_every_comment_stays_as_it_was(corpus) -> None:
    for path, text in corpus["before"].items():
        assert comments(corpus["after"][path]) == comments(text), path.name


DOCUMENTED_EDITS = [
    (re.compile(r'^schema_version: "1\.0"$'), re.compile(r'^schema_version: "1\.1"$')),
    (re.compile(r"^    pointer: /relations/\d+$"), re.compile(r"^    at: relations\[[a-z0-9][a-z0-9_.-]*\]$")),
    (re.compile(r"^    pointer: /shares/\d+(/value)?$"), re.compile(r"^    at: shares\[[a-z0-9][a-z0-9_.-]*\](\.value)?$")),
    (re.compile(r"^    pointer: /programmes/\d+/outputs/\d+$"),
     re.compile(r"^    at: programmes\[[a-z0-9][a-z0-9_.-]*\]\.outputs\[[a-z0-9][a-z0-9_.-]*\]$")),
]
ID_GIVEN = re.compile(r"^  - id: [a-z0-9][a-z0-9_.-]*$")


def _documented(old: list[str], new: list[str]) -> bool:
    """Whether lines `old` became `new` by an edit the migration documents."""
    if len(old) == len(new):
        return all(any(b.match(o) and a.match(n) for b, a in DOCUMENTED_EDITS) for o, n in zip(old, new))
    # A relation given an id: `  - kind: ...` became `  - id: X` and `    kind: ...`.
    return (len(old), len(new)) == (1, 2) and old[0].startswith("  - ") and bool(ID_GIVEN.match(new[0])) \
        and new[1] == "    " + old[0].removeprefix("  - ")


def test_only_the_version_line_and_the_documented_edits_change(corpus) -> None:
    for path, text in corpus["before"].items():
        old, new = text.split("\n"), corpus["after"][path].split("\n")
        edits = [(old[i1:i2], new[j1:j2]) for tag, i1, i2, j1, j2
                 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes() if tag != "equal"]
        assert edits, path.name
        for before_lines, after_lines in edits:
            assert _documented(before_lines, after_lines), (path.name, before_lines, after_lines)
        if corpus["kind"] == "version-only":
            assert len(edits) == 1


def test_only_the_version_changes_where_acknowledgements_already_use_ids(corpus) -> None:
    if corpus["kind"] != "version-only":
        pytest.skip("the other variant has acknowledgements to rewrite")
    for path, text in corpus["before"].items():
        assert corpus["after"][path] == text.replace('schema_version: "1.0"', 'schema_version: "1.1"', 1)


def test_the_data_is_the_same_apart_from_the_version_and_the_documented_changes(corpus) -> None:
    for copy in corpus["before"]:
        original = RECORDS_DIR / copy.relative_to(corpus["folder"])
        data_before, data_after = loaded(corpus["before"][copy]), loaded(corpus["after"][copy])
        assert data_after.pop("schema_version") == "1.1" and data_before.pop("schema_version") == "1.0"
        if corpus["kind"] == "version-only":
            assert data_after == data_before, copy.name
        else:
            # Back to what the curated record says: each relation's id, each acknowledgement by id path.
            expected = loaded(without_1_2(original.read_text(encoding="utf-8")))
            expected.pop("schema_version")
            assert data_after == expected, copy.name


def test_migrating_removes_the_findings_of_additions_used_under_1_0(corpus, record_files) -> None:
    before, after = corpus["findings"]
    used = {pointer.rpartition("/")[2] for _, code, pointer, *_ in before if code == "SCHEMA007"}
    # The real records use relation ids and acknowledgements by id path, which 1.1 adds; without
    # them (as they were before fix-acknowledgements) they are plain 1.0 records.
    # Relations no acknowledgement names keep their ids in the positional copies: those are 1.1 additions too.
    kept_ids = False
    for path in record_files:
        data = loaded(path.read_text(encoding="utf-8"))
        named = {entry["at"] for entry in data.get("acknowledged", [])}
        kept_ids |= any(r.get("id") and f"relations[{r['id']}]" not in named for r in data.get("relations", []))
    # Other 1.1 additions the records use (outputs' `planned`, ...) are in both copies alike.
    if corpus["kind"] == "version-only":
        assert {"id", "at"} <= used
    else:
        assert "at" not in used and ("id" in used) == kept_ids
    assert not any(code == "SCHEMA007" for _, code, *_ in after)


def test_the_migrated_records_give_the_same_findings(corpus) -> None:
    before, after = (without_schema007(findings) for findings in corpus["findings"])
    acknowledged = [finding for finding in after if finding[-1]]
    assert len(acknowledged) == len([f for f in before if f[-1]]) > 0  # what was acknowledged stays acknowledged
    if corpus["kind"] == "version-only":
        assert after == before
    else:
        # The same findings at the same places; a relation that was given an id is now named by it.
        assert {(file, code, pointer, ack) for file, code, pointer, _, ack in after} == \
            {(file, code, pointer, ack) for file, code, pointer, _, ack in before}
        renamed = {(path_before, path_after) for (_, _, pointer, path_before, _) in before
                   for (_, _, other, path_after, _) in after if pointer == other and path_before != path_after}
        # Shares always have ids, so only acknowledged findings at relations are named anew.
        assert len(renamed) == len([finding for finding in acknowledged if finding[2].startswith("/relations/")])
        assert all(re.fullmatch(r"relations\[#\d+\]", old) and not re.search(r"#", new) for old, new in renamed)


def test_every_version_after_the_first_is_reached_by_a_step() -> None:
    reached = {target for target, _ in STEPS.values()}
    assert reached == set(SCHEMA_VERSIONS[1:])
    assert set(STEPS) == set(SCHEMA_VERSIONS[:-1])


SMALL = """\
# yaml-language-server: $schema=../schema/v1/county-record.schema.json
schema_version: {version}   # the contract
division: {{code: "430225", name_en: Yanling County, name_zh: 炎陵县, province: Hunan}}
sources:
  - {{id: s1, title: "Fixture", language: en}}
relations:
  - {{kind: same, items: [a, b]}}
acknowledged:
  - {{rule: SUM007, pointer: /relations/0, reason: The source itself states the figure twice.}}
  - {{rule: SUM003, pointer: /relations/9, reason: This acknowledgement names nothing at all.}}
"""


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_quoting_line_endings_and_a_byte_order_mark_are_kept(tmp_path: Path, capsys, newline: str, bom: bytes) -> None:
    path = tmp_path / "r.yaml"
    text = SMALL.format(version="'1.0'").replace("\n", newline)
    path.write_bytes(bom + text.encode("utf-8"))
    assert main(["migrate", "--to", "1.1", str(path)]) == 0
    out = capsys.readouterr().out
    expected = text.replace("'1.0'", "'1.1'").replace("{kind: same", "{id: a-same, kind: same").replace(
        "pointer: /relations/0", 'at: "relations[a-same]"')
    assert path.read_bytes() == bom + expected.encode("utf-8")
    assert "left /acknowledged/1 as it is: its pointer names nothing" in out
    assert "migrated 1.0 -> 1.1" in out


def test_a_record_already_at_the_version_is_left_alone(tmp_path: Path, capsys) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(SMALL.format(version='"1.1"'), encoding="utf-8")
    unchanged = snapshot(tmp_path)
    assert main(["migrate", "--to", "1.1", str(path)]) == 0
    assert snapshot(tmp_path) == unchanged
    assert "0 migrated to 1.1, 1 left as they are" in capsys.readouterr().out


@pytest.mark.parametrize(("text", "message"), [
    (SMALL.format(version="1.0"), "declares no schema_version this validator knows"),  # YAML reads 1.0 as a number
    (SMALL.format(version='"1.0"') + "  - [unclosed\n", "does not load as a record"),
    ("- a list\n", "does not load as a record"),
    (SMALL.format(version='"1.0"').replace('schema_version: "1.0"   # the contract', 'schema_version: >-\n  1.0'),
     "not written as a quoted string on one line"),
])
def test_a_record_that_cannot_be_migrated_is_reported_and_not_written(tmp_path: Path, capsys, text: str, message: str) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    unchanged = snapshot(tmp_path)
    assert main(["migrate", "--to", "1.1", str(path)]) == 1
    _, err = capsys.readouterr()
    assert message in err and "Traceback" not in err
    assert snapshot(tmp_path) == unchanged


def test_a_link_is_not_replaced(tmp_path: Path, capsys) -> None:
    target = tmp_path / "real.yaml"
    target.write_text(SMALL.format(version='"1.0"'), encoding="utf-8")
    (tmp_path / "link.yaml").symlink_to(target)
    unchanged = snapshot(tmp_path)
    assert main(["migrate", "--to", "1.1", str(tmp_path / "link.yaml")]) == 1
    assert "symbolic link" in capsys.readouterr().err
    assert snapshot(tmp_path) == unchanged


def test_an_unknown_target_is_a_usage_error(tmp_path: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["migrate", "--to", "2.0", str(tmp_path)])
    assert exit_.value.code == 2
