"""The loader on the yaml-test-suite cases of the YAML records can use (tests/fixtures/yaml-test-suite).

No case raises. A valid case loads as the suite's data (its in.json) or is refused with a finding of
something docs/yaml.md says records refuse ("What is refused"); it never loads as other data. An
invalid case gets a finding that stops the file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rule_cases import TESTS_DIR
from validator.load.loader import LoadedDocument, load_bytes
from validator.rules import RULE_BY_CODE

SUITE = json.loads((TESTS_DIR / "fixtures" / "yaml-test-suite" / "cases.json").read_text(encoding="utf-8"))

# What docs/yaml.md refuses though YAML allows it: anchors and aliases, tags, an empty file, more
# than one document, merge keys, keys that are not scalars.
DOCUMENTED_REFUSALS = frozenset({"YAML004", "YAML005", "YAML011", "YAML012", "YAML013", "YAML014"})

# Valid YAML that libyaml (the parser under the loader) cannot read: the loader refuses it with a
# finding, as it should when its parser fails, and no record needs these forms.
LIBYAML_REFUSES = {
    **dict.fromkeys(["4MUZ/00", "4MUZ/01", "4MUZ/02", "5MUD", "K3WX", "9SA2", "NJ66", "UT92", "VJP3/01"],
                    "a flow mapping key and its `:` on different lines"),
    **dict.fromkeys(["4ABK", "5T43", "DBG4", "HM87/00", "SM9W/01"], "a `:` starting or ending a plain scalar"),
    **dict.fromkeys(["652Z", "HM87/01"], "`?x` in flow, which libyaml reads as the key `x` (refused by the loader)"),
    **dict.fromkeys(["7Z25", "DK3J", "FP8R", "HWV9", "QT73"], "document markers: a bare document after `...`, "
                    "a `...` with no document, a folded scalar on the `---` line"),
    "8XYN": "an anchor name that is not alphanumeric",
    **dict.fromkeys(["6CA3", "96NN/00", "96NN/01", "DK95/00", "DK95/03", "DK95/04", "Q5MG", "Y79Y/001", "Y79Y/010"],
                    "a tab where YAML allows one (separation, a blank line): reported as YAML010"),
}

# Invalid YAML that libyaml reads without an error. The data is what the writer meant in each; the
# loader does not add checks of its own for them. Strict: a libyaml that refuses one turns it green.
LIBYAML_ACCEPTS = {
    **dict.fromkeys(["9C9N", "QB6E", "Y79Y/003"], "a continuation line of a flow or quoted scalar indented too little"),
    **dict.fromkeys(["9JBA", "CVW2", "SU5Z", "X4QW"], "a comment without a space before its #"),
    "DK95/01": "a tab starting a continuation line of a double-quoted scalar",
    **dict.fromkeys(["G5U8", "YJV2"], "a lone `-` as a plain scalar in flow"),
    "S98Z": "a block scalar whose first line is a more-indented line of spaces",
}


def _params():
    for case in SUITE["cases"]:
        marks = [pytest.mark.xfail(strict=True, reason=LIBYAML_ACCEPTS[case["id"]])] if case["id"] in LIBYAML_ACCEPTS else []
        yield pytest.param(case, id=f"{case['id']}-{case['name']}", marks=marks)


def _json_documents(text: str) -> list[object]:
    """in.json holds one JSON value per YAML document, one after the other."""
    decoder, text, index, values = json.JSONDecoder(), text.strip(), 0, []
    while index < len(text):
        value, index = decoder.raw_decode(text, index)
        values.append(value)
        while index < len(text) and text[index].isspace():
            index += 1
    return values


def _same(loaded: object, expected: object) -> bool:
    """Equal and of the same types throughout: True is not 1, and 1 is not 1.0."""
    if type(loaded) is not type(expected):
        return False
    if isinstance(loaded, dict):
        return loaded.keys() == expected.keys() and all(_same(loaded[key], expected[key]) for key in loaded)
    if isinstance(loaded, list):
        return len(loaded) == len(expected) and all(map(_same, loaded, expected))
    return loaded == expected


@pytest.mark.parametrize("case", list(_params()))
def test_suite_case(case: dict) -> None:
    doc = load_bytes(case["yaml"].encode("utf-8"), LoadedDocument(path=Path("in.yaml")))
    stopping = sorted({f.code for f in doc.findings if RULE_BY_CODE[f.code].stops})
    if case["error"]:
        assert stopping, "invalid YAML loaded without a finding that stops the file"
        return
    if stopping:
        if case["id"] not in LIBYAML_REFUSES:
            assert set(stopping) <= DOCUMENTED_REFUSALS, f"valid YAML refused: {[f.message for f in doc.findings]}"
        return
    assert case["json"] is not None, "valid YAML without in.json (not representable in JSON) must be refused"
    [expected] = _json_documents(case["json"])
    assert _same(doc.data, expected), f"loaded {doc.data!r}, the suite says {expected!r}"


@pytest.mark.parametrize("case", SUITE["cases"], ids=[case["id"] for case in SUITE["cases"]])
def test_suite_case_after_a_byte_order_mark_loads_the_same(case: dict) -> None:
    # The suite has no case with a BOM; YAML allows one at the start of the stream.
    raw = case["yaml"].encode("utf-8")
    plain = load_bytes(raw, LoadedDocument(path=Path("in.yaml")))
    marked = load_bytes(b"\xef\xbb\xbf" + raw, LoadedDocument(path=Path("in.yaml")))
    assert [(f.code, f.line, f.column) for f in marked.findings] == [("YAML009", 1, 1)] + [
        (f.code, f.line, f.column) for f in plain.findings]
    assert _same(marked.data, plain.data)


def test_the_suite_covers_what_records_refuse_and_what_they_use() -> None:
    tags = {tag for case in SUITE["cases"] for tag in case["tags"]}
    assert {"anchor", "alias", "tag", "flow", "double", "single", "comment", "error"} <= tags
    assert any(case["id"] == "S4JQ" for case in SUITE["cases"])  # `! 12`, a tag that reads as a string
