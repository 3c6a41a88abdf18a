"""The loader: YAML 1.2 values, positions of every pointer, and every problem as a located finding.

Codes that no text snippet can produce (YAML007 size, YAML008 bytes that are not UTF-8, YAML016 a
path that cannot be read) are tested here with real files; tests/rules/ has their pass cases.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest
import yaml

from rule_cases import TESTS_DIR, FileForm, run_snippets
from validator.load import loader
from validator.load.loader import MAX_DEPTH, MAX_FILE_BYTES, LoadedDocument, load_document, load_text
from validator.rules import RULE_BY_CODE


def load(text: str) -> LoadedDocument:
    return load_text(text, LoadedDocument(path=Path("record.yaml")))


def load_bytes(tmp_path: Path, raw: bytes) -> LoadedDocument:
    path = tmp_path / "record.yaml"
    path.write_bytes(raw)
    return load_document(path)


def located(doc: LoadedDocument) -> list[tuple[str, int, int]]:
    return [(f.code, f.line, f.column) for f in doc.findings]


# --- positions -------------------------------------------------------------------------------

RECORD = """\
schema_version: "1.0"
division:
  code: "430225"
  name_zh: 炎陵县
sources:
  - id: s1
    file: seeds/fixture.txt
  - {id: s2, title: "a/b ~c"}
notes: {"a/b": 1, "~x": [10, 20]}
"""


@pytest.mark.parametrize(("pointer", "position"), [
    ("", (1, 1)),
    ("/schema_version", (1, 17)),
    ("/division", (3, 3)),  # a block mapping starts at its first key
    ("/division/code", (3, 9)),
    ("/division/name_zh", (4, 12)),
    ("/sources", (6, 3)),
    ("/sources/0", (6, 5)),
    ("/sources/0/file", (7, 11)),
    ("/sources/1", (8, 5)),  # a flow mapping starts at its brace
    ("/sources/1/title", (8, 21)),
    ("/notes/a~1b", (9, 16)),  # JSON pointer escapes: / is ~1, ~ is ~0
    ("/notes/~0x", (9, 25)),
    ("/notes/~0x/1", (9, 30)),
])
def test_every_value_has_its_one_based_position(pointer: str, position: tuple[int, int]) -> None:
    doc = load(RECORD)
    assert doc.findings == []
    assert doc.positions[pointer] == position


@pytest.mark.parametrize(("pointer", "position"), [
    ("/schema_version", (1, 1)),
    ("/division/code", (3, 3)),
    ("/sources/1/title", (8, 14)),
    ("/notes/a~1b", (9, 9)),
])
def test_keys_have_their_own_positions(pointer: str, position: tuple[int, int]) -> None:
    assert load(RECORD).key_positions[pointer] == position


def test_columns_count_characters_not_bytes() -> None:
    doc = load("name_zh: 炎陵县\nx: {炎陵县: 株洲市}\n")
    assert doc.positions["/x/炎陵县"] == (2, 10)


def test_positions_do_not_depend_on_line_endings() -> None:
    assert load(RECORD.replace("\n", "\r\n")).positions == load(RECORD).positions


def test_pure_python_parser_gives_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = load(RECORD)
    monkeypatch.setattr(loader, "_Loader", yaml.SafeLoader)
    slow = load(RECORD)
    assert (slow.data, slow.positions, slow.key_positions) == (fast.data, fast.positions, fast.key_positions)


# --- YAML 1.2 core schema, and what YAML 1.1 would read differently (YAML003) ----------------

@pytest.mark.parametrize(("written", "value", "ambiguous"), [
    ("yes", "yes", True),
    ("no", "no", True),
    ("on", "on", True),
    ("off", "off", True),
    ("y", "y", True),  # YAML 1.1 booleans include y and n, though PyYAML does not read them so
    ("N", "N", True),
    ("true", True, False),
    ("False", False, False),
    ("0755", 755, True),
    ("0o17", 15, True),
    ("0x1F", 31, False),
    ("1_000", "1_000", True),
    ("1:20", "1:20", True),
    ("1e3", 1000.0, True),
    ("1.0e+3", 1000.0, False),
    ("1.5", 1.5, False),
    ("-12", -12, False),
    ("12", 12, False),
    ("~", None, False),
    ("null", None, False),
    ("", None, False),
    ("2019-05-09", "2019-05-09", False),  # dates stay strings, by design
    ("2019-05-09 10:00:00", "2019-05-09 10:00:00", False),
    ("8,164 households", "8,164 households", False),
])
def test_plain_scalars_resolve_by_yaml_1_2(written: str, value: object, ambiguous: bool) -> None:
    doc = load(f"a: {written}\n")
    assert doc.data == {"a": value}
    assert type(doc.data["a"]) is type(value)
    assert [f.code for f in doc.findings] == (["YAML003"] if ambiguous else [])
    if ambiguous:
        finding = doc.findings[0]
        assert (finding.line, finding.column, finding.pointer) == (1, 4, "/a")
        assert f"`{written}`" in finding.message


def test_ambiguity_message_names_both_readings() -> None:
    [finding] = load("a: 0755\n").findings
    assert "an integer in YAML 1.2" in finding.message and "an octal integer in YAML 1.1" in finding.message


@pytest.mark.parametrize(("written", "check"), [
    (".nan", math.isnan),
    (".inf", lambda v: v == math.inf),
    ("-.inf", lambda v: v == -math.inf),
    ("1.0e+400", lambda v: v == math.inf),
])
def test_special_floats_load_as_floats(written: str, check) -> None:
    doc = load(f"a: {written}\n")
    assert doc.findings == []
    assert check(doc.data["a"])


def test_exponent_too_large_is_infinite_and_ambiguous() -> None:
    doc = load("a: 1e400\n")
    assert doc.data["a"] == math.inf
    assert [f.code for f in doc.findings] == ["YAML003"]


@pytest.mark.parametrize("written", ['"12"', "'12'", '"yes"', "'0755'", "|\n  12\n", ">\n  12\n", '"2019-05-09"'])
def test_quoted_and_block_scalars_are_strings(written: str) -> None:
    doc = load(f"a: {written}\n")
    assert isinstance(doc.data["a"], str)
    assert doc.findings == []


def test_keys_are_strings_as_written() -> None:
    doc = load("1: a\ntrue: b\n0755: c\n")
    assert list(doc.data) == ["1", "true", "0755"]


# --- duplicate keys (YAML002) ----------------------------------------------------------------

def test_duplicate_keys_at_several_depths_name_both_lines() -> None:
    doc = load(
        "a: 1\n"             # 1
        "b:\n"               # 2
        "  c: 1\n"           # 3
        "  d:\n"             # 4
        "    - e: 1\n"       # 5
        "      e: 2\n"       # 6
        "  c: 2\n"           # 7
        "a: 3\n"             # 8
    )
    assert located(doc) == [("YAML002", 6, 7), ("YAML002", 7, 3), ("YAML002", 8, 1)]
    messages = [f.message for f in doc.findings]
    assert "`e`: first at line 5, again at line 6" in messages[0]
    assert "`c`: first at line 3, again at line 7" in messages[1]
    assert "`a`: first at line 1, again at line 8" in messages[2]
    assert not doc.usable


def test_duplicate_key_in_flow_mapping_and_quoted_spelling() -> None:
    assert located(load('{a: 1, "a": 2}\n')) == [("YAML002", 1, 8)]


def test_same_key_in_different_mappings_is_not_a_duplicate() -> None:
    doc = load("p:\n  - a: 1\n  - a: 2\nq: {a: 3}\n")
    assert doc.findings == []


# --- what is refused -------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("a: &x 1\nb: *x\n", ("YAML004", 1, 4)),
    ("a: *x\n", ("YAML004", 1, 4)),
    ("a: !!python/object:os.system {}\n", ("YAML005", 1, 4)),
    ("a: !!python/object/apply:os.system [ls]\n", ("YAML005", 1, 4)),
    ("a: !!str 12\n", ("YAML005", 1, 4)),
    ("a: !custom x\n", ("YAML005", 1, 4)),
    ("- ! 12\n", ("YAML005", 1, 3)),  # yaml-test-suite S4JQ: the string "12" in YAML 1.2, 12 in PyYAML
    ("a: !<!> 12\n", ("YAML005", 1, 4)),
    ("a: 1\n---\nb: 2\n", ("YAML012", 2, 1)),
    ("b:\n  <<: {a: 1}\n", ("YAML013", 2, 3)),
    ("? [a]\n: 1\n", ("YAML014", 1, 3)),
    ("a: {b: 1\n", ("YAML001", 1, 4)),  # at the `{` left open, not at the end of the file
    ("a: b: c\n", ("YAML001", 1, 5)),
])
def test_refused_constructs_stop_loading_with_a_position(text: str, expected: tuple[str, int, int]) -> None:
    doc = load(text)
    assert located(doc) == [expected]
    assert doc.data is None
    assert not doc.usable


def test_non_specific_tag_says_to_quote_the_value() -> None:
    [finding] = load("- ! 12\n").findings
    assert '"12"' in finding.message and "quote" in finding.message


@pytest.mark.parametrize("text", ["{ ?x: 1}\n", "[?x]\n", "a: {b: 1, ?x: 2}\n"])
def test_question_mark_glued_to_a_flow_key_is_refused(text: str) -> None:
    # YAML 1.2 reads `?x` as the text "?x"; libyaml takes the `?` for an explicit key and drops it.
    [finding] = load(text).findings
    assert finding.code == "YAML001" and '"?x"' in finding.message
    assert text[finding.column - 2:finding.column] == "?x"


@pytest.mark.parametrize(("text", "value"), [
    ("{? x: 1}\n", {"x": 1}),  # an explicit key, as the spec has it
    ("a: what?x\n", {"a": "what?x"}),
    ("?x: 1\n", {"?x": 1}),
])
def test_question_marks_libyaml_reads_right_are_loaded(text: str, value: object) -> None:
    doc = load(text)
    assert doc.findings == [] and doc.data == value


@pytest.mark.parametrize(("text", "value"), [
    ("- |+\n   ", ["\n"]),  # yaml-test-suite JEF9
    ("a: |\n  x\n   ", {"a": "x\n \n"}),  # yaml-test-suite L24T
    ("a: x\n  ", {"a": "x"}),
])
def test_last_line_of_spaces_without_a_line_break_reads_as_the_spec_says(text: str, value: object) -> None:
    doc = load(text)
    assert doc.findings == [] and doc.data == value


def test_quoted_merge_key_is_an_ordinary_key() -> None:
    doc = load('"<<": 1\n')
    assert doc.data == {"<<": 1} and doc.usable


def test_control_character_is_located() -> None:
    assert located(load("a: ok\nb: 炎陵县 \x01\n")) == [("YAML001", 2, 8)]


# --- tabs (YAML010): the parser decides what is indentation ---------------------------------

@pytest.mark.parametrize(("text", "position"), [
    ("a:\n\tb: 1\n", (2, 1)),
    ("a:\n  b: 1\n  \tc: 2\n", (3, 3)),
    ("a:\n  - x\n  -\ty\n", (3, 4)),
    ("a: 1\n\t\nb: 2\n", (2, 1)),
])
def test_tab_indentation_is_reported_where_it_is(text: str, position: tuple[int, int]) -> None:
    assert located(load(text)) == [("YAML010", *position)]


@pytest.mark.parametrize(("text", "value"), [
    ("a: |\n  x\n  \ty\n", "x\n\ty\n"),
    ('a: "x\n\ty"\n', "x y"),
    ("a: [1,\n\t2]\n", [1, 2]),
    ("a: x\ty\n", "x\ty"),
])
def test_tabs_that_are_not_indentation_are_fine(text: str, value: object) -> None:
    doc = load(text)
    assert doc.findings == []
    assert doc.data == {"a": value}


# --- depth (YAML006) -------------------------------------------------------------------------

def test_nesting_up_to_the_limit_loads() -> None:
    text = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert load(text).findings == []


@pytest.mark.parametrize("text", [
    "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
    "[" * 100_000,
    "{a: " * 100_000,
    "".join("  " * i + "a:\n" for i in range(MAX_DEPTH + 1)) + "  " * (MAX_DEPTH + 1) + "b: 1\n",
])
def test_nesting_past_the_limit_stops_at_the_limit(text: str) -> None:
    [finding] = load(text).findings
    assert finding.code == "YAML006"
    assert finding.line >= 1 and finding.column >= 1


DEEP_FLOW_TEXTS = {
    "brackets": "a: " + "[" * 100_000 + "]" * 100_000,
    "braces": "{a: " * 100_000,
    "after-chinese": "a: 炎陵县\nb: " + "[" * 5_000,
    "after-quoted-brackets": "a: ['it''s', \"x]\", 'y]', it's, " + "[" * 3_000,
    "after-a-comment": "x: [a, # c [[[\n " + "[" * 3_000,
    "in-block-sequence": "".join("  " * i + "- \n" for i in range(10)) + "  " * 10 + "- " + "[" * 3_000,
}


@pytest.mark.parametrize("text", DEEP_FLOW_TEXTS.values(), ids=DEEP_FLOW_TEXTS.keys())
def test_deep_flow_nesting_is_found_where_it_passes_the_limit(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # libyaml 0.2.6 (PyYAML 6.0.4) refuses flow nesting past 1,000 before it emits the events that reach
    # our limit; the pure-Python parser emits them one by one. Both must report YAML006 at the same place.
    found_with_libyaml = located(load(text))
    monkeypatch.setattr(loader, "_Loader", yaml.SafeLoader)
    found_with_python_parser = located(load(text))
    assert found_with_libyaml == found_with_python_parser
    [(code, _, _)] = found_with_libyaml
    assert code == "YAML006"


def test_flow_limit_scan_counts_brackets_but_not_quoted_or_commented_ones() -> None:
    # A bracket inside a quoted scalar or a comment opens nothing.
    doc = LoadedDocument(path=Path("record.yaml"))
    text = "[" * 2_000
    assert loader._flow_limit_index(text, 0, 0) == MAX_DEPTH
    assert loader._flow_limit_index("'[[[[' " * 20 + "# [[[[", 0, 0) is None
    assert located(load_text(text, doc)) == [("YAML006", 1, MAX_DEPTH + 1)]


# --- empty and null documents ----------------------------------------------------------------

@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_empty_file(text: str) -> None:
    doc = load(text)
    assert located(doc) == [("YAML011", 1, 1)]
    assert not doc.usable


@pytest.mark.parametrize("text", ["~\n", "null\n", "---\n"])
def test_null_document_is_usable_so_that_the_schema_reports_it(text: str) -> None:
    doc = load(text)
    assert doc.findings == [] and doc.data is None
    assert doc.usable


# --- bytes: size, encoding, binary, unreadable paths -----------------------------------------

def test_file_of_exactly_the_size_limit_is_read(tmp_path: Path) -> None:
    raw = b"a: " + b"x" * (MAX_FILE_BYTES - 4) + b"\n"
    assert len(raw) == MAX_FILE_BYTES
    doc = load_bytes(tmp_path, raw)
    assert doc.findings == [] and doc.usable


def test_file_over_the_size_limit_is_not_parsed(tmp_path: Path) -> None:
    doc = load_bytes(tmp_path, b"a: [" + b"[" * MAX_FILE_BYTES)
    assert located(doc) == [("YAML007", 1, 1)]
    assert doc.data is None and not doc.usable


@pytest.mark.parametrize(("raw", "position", "byte"), [
    ('name_zh: 炎陵县\n'.encode("gbk"), (1, 10), "0xd1"),
    ("schema_version: \"1.0\"\nname: café\n".encode("latin-1"), (2, 10), "0xe9"),
    # The column counts the characters before the bad byte, not their bytes.
    ("名称: 炎陵 café\n".encode("utf-8").replace("é".encode("utf-8"), b"\xe9"), (1, 11), "0xe9"),
    (b"a: \xff\xfe\n", (1, 4), "0xff"),
])
def test_invalid_utf8_is_located(tmp_path: Path, raw: bytes, position: tuple[int, int], byte: str) -> None:
    doc = load_bytes(tmp_path, raw)
    assert located(doc) == [("YAML008", *position)]
    assert byte in doc.findings[0].message
    assert not doc.usable


def test_utf16_file_is_binary(tmp_path: Path) -> None:
    doc = load_bytes(tmp_path, 'schema_version: "1.0"\n'.encode("utf-16"))
    assert [f.code for f in doc.findings] == ["YAML015"]


@pytest.mark.parametrize(("raw", "position"), [
    (b"\x00\x01\x02", (1, 1)),
    (b"a: 1\nb: \x89PNG\x00\n", (2, 8)),
    ("a: 炎陵县\x00\n".encode("utf-8"), (1, 7)),
])
def test_nul_byte_is_binary_content(tmp_path: Path, raw: bytes, position: tuple[int, int]) -> None:
    doc = load_bytes(tmp_path, raw)
    assert located(doc) == [("YAML015", *position)]
    assert not doc.usable


def test_bom_is_reported_and_the_file_still_loaded(tmp_path: Path) -> None:
    doc = load_bytes(tmp_path, b'\xef\xbb\xbfschema_version: "1.0"\nname: x\n')
    assert located(doc) == [("YAML009", 1, 1)]
    assert doc.data == {"schema_version": "1.0", "name": "x"}
    assert doc.positions["/name"] == (2, 7)
    assert doc.usable


def test_bom_then_invalid_utf8(tmp_path: Path) -> None:
    doc = load_bytes(tmp_path, b"\xef\xbb\xbfa: \xe9\n")
    assert located(doc) == [("YAML009", 1, 1), ("YAML008", 1, 4)]


def test_folder_is_unreadable(tmp_path: Path) -> None:
    folder = tmp_path / "x.yaml"
    folder.mkdir()
    doc = load_document(folder)
    assert located(doc) == [("YAML016", 1, 1)]
    assert "directory" in doc.findings[0].message


def test_missing_file_and_broken_link_are_unreadable(tmp_path: Path) -> None:
    link = tmp_path / "broken.yaml"
    link.symlink_to(tmp_path / "nowhere.yaml")
    for path in (tmp_path / "missing.yaml", link):
        doc = load_document(path)
        assert located(doc) == [("YAML016", 1, 1)]
        assert "No such file" in doc.findings[0].message


def test_symlink_loop_is_unreadable(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    doc = load_document(tmp_path / "a.yaml")
    assert located(doc) == [("YAML016", 1, 1)]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_named_pipe_is_unreadable_without_blocking(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    doc = load_document(pipe)  # a blocking open would wait for a writer forever
    assert located(doc) == [("YAML016", 1, 1)]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_device_is_unreadable(tmp_path: Path) -> None:
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    assert located(load_document(link)) == [("YAML016", 1, 1)]


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads files whatever their mode")
def test_file_without_read_permission_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "secret.yaml"
    path.write_text('schema_version: "1.0"\n', encoding="utf-8")
    path.chmod(0)
    try:
        doc = load_document(path)
    finally:
        path.chmod(0o644)
    assert located(doc) == [("YAML016", 1, 1)]
    assert "Permission denied" in doc.findings[0].message


# --- what stops a file: the catalogue's `stops`, as the pipeline obeys it -------------------------

def _load_failures():
    for path in sorted((TESTS_DIR / "rules").glob("YAML*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in spec["cases"]:
            if "fail" in case:
                yield pytest.param(spec["rule"], case, id=f"{spec['rule']}-{case['name']}")


def _codes_by_file(findings) -> dict[str, set[str]]:
    codes: dict[str, set[str]] = {}
    for finding in findings:
        codes.setdefault(finding.file, set()).add(finding.code)
    return codes


@pytest.mark.parametrize(("code", "case"), list(_load_failures()))
def test_a_load_finding_stops_the_file_exactly_when_the_catalogue_says(code: str, case: dict, tmp_path: Path) -> None:
    # Each failing fixture alone, without the record header: a step after the loader that read it would
    # at least miss schema_version or a mapping (SCHEMA00x), so a later step's finding shows the file went on.
    snippets = case["fail"] if isinstance(case["fail"], list) else [case["fail"]]
    findings, _ = run_snippets(snippets, tmp_path, whole_file=True, form=FileForm.of_case(case))
    for codes in _codes_by_file(findings).values():
        assert code in codes
        later = sorted(c for c in codes if RULE_BY_CODE[c].scope != "load")
        if RULE_BY_CODE[code].stops:
            assert later == [], f"{code} stops the file, yet later steps reported {later}"
        else:
            assert later != [], f"{code} does not stop the file, yet no later step ran"


def test_a_record_linked_out_of_its_repository_is_reported_once(tmp_path: Path) -> None:
    # The link is not read, so there is no data; the schema must not then call the record "not a mapping".
    findings, _ = run_snippets(["notes:\n  curation: never read\n"], tmp_path, whole_file=True, form=FileForm(link_out=True))
    assert [f.code for f in findings] == ["YAML017"]
