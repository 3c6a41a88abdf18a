"""Findings that compare places name them: the JSON report's `related` entries, per rule family.

Each case is a failing fixture of the rule (tests/rules/CODE.yaml); the test checks that the JSON
report's finding names the other places it compared, each with a line and column in the right file.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml

from rule_cases import FIXTURE_SEEDS, TODAY, build_record
from validator.engine import Settings, run
from validator.reporters import ReportOptions
from validator.reporters.json_report import report_json

RULES_DIR = Path(__file__).parent / "rules"
# Rule -> the roles of its related places in the order the places are listed, a role stated once for a
# run of places that share it (a total, then its parts); a tuple of such sequences where a rule has
# several kinds of finding. In order, not as a set: two roles swapped between their places fail.
EXPECTED_ROLES = {
    "SUM001": ["total", "part"],
    "SUM002": ["total", "part"],
    "SUM003": ["part", "whole"],
    "SUM004": ["rate", "count", "total"],
    "SUM006": (["figure"], ["rate", "count", "total"]),  # a relation's figures, or a per-unit trio
    "SUM007": ["first statement", "other statement"],
    "PCT001": ["part", "whole"],
    "PCT002": ["share"],
    "CROSS001": ["group", "register"],
    "CROSS002": ["part"],
    "CROSS003": ["part", "register"],
    "CROSS004": ["households", "people"],
    "CROSS005": ["amount", "count"],
    "CROSS007": ["households", "people"],
    "CROSS008": ["period", "one year"],
    "CONFLICT001": ["first statement"],
    "CODE001": ["other record"],
    "QUOTE001": ["closest passage"],
    "CORRECTION001": ["stated value"],
}


def _runs(roles: list[str]) -> list[str]:
    """The roles with each run of one role stated once: total, part, part -> total, part."""
    return [role for i, role in enumerate(roles) if i == 0 or roles[i - 1] != role]


def failing_cases(code: str) -> list[dict]:
    spec = yaml.safe_load((RULES_DIR / f"{code}.yaml").read_text(encoding="utf-8"))
    return [case for case in spec["cases"] if "fail" in case]


CASES = [(code, case) for code in EXPECTED_ROLES for case in failing_cases(code)]


@pytest.mark.parametrize(("code", "case"), CASES, ids=[f"{code}-{case['name']}" for code, case in CASES])
def test_a_finding_that_compares_places_names_them_with_positions(code: str, case: dict, tmp_path: Path) -> None:
    snippets = case["fail"] if isinstance(case["fail"], list) else [case["fail"]]
    files = []
    for i, snippet in enumerate(snippets):
        path = tmp_path / f"r{i}.yaml"
        path.write_text(build_record(snippet, bool(case.get("whole_file"))).text, encoding="utf-8")
        files.append((path, path.name))
    out = io.StringIO()
    report_json(run(files, Settings(today=TODAY, seeds_dir=FIXTURE_SEEDS, jobs=1)), out, ReportOptions())
    findings = [f for f in json.loads(out.getvalue())["findings"] if f["rule"] == code]
    assert findings, f"{code} did not fire on its failing fixture {case['name']}"
    names = [name for _, name in files]
    for finding in findings:
        roles = _runs([place["role"] for place in finding["related"]])
        expected = EXPECTED_ROLES[code]
        if code == "QUOTE001" and ("no passage of it" in finding["message"] or "not searched" in finding["message"]):
            expected = []  # nothing of the source is close enough to name
        assert roles in (expected if isinstance(expected, tuple) else (expected,)), (case["name"], finding["related"])
        for place in finding["related"]:
            assert place["line"] >= 1 and place["column"] >= 1
            if code == "QUOTE001":  # a passage of the source: its line is one of the seed's
                seed_lines = (FIXTURE_SEEDS / Path(place["file"]).name).read_text(encoding="utf-8").splitlines()
                assert place["file"].startswith("seeds/") and place["line"] <= len(seed_lines)
            elif code == "CODE001":
                assert place["file"] in names and place["file"] != finding["file"]
            elif code == "CONFLICT001":
                assert place["file"] in names
            else:
                assert place["file"] == finding["file"] and place["pointer"] and place["path"]


def test_a_stale_acknowledgement_names_the_place_it_acknowledges(tmp_path: Path) -> None:
    snippet = (
        "observations:\n  - id: poor-villages\n    metric: poor_villages\n    value: 54 villages\n"
        "    quote: \"all 54 poor villages have withdrawn\"\n"
        "acknowledged:\n  - rule: QUOTE002\n    at: observations[poor-villages].value\n"
        "    reason: The figure differs from its quote in the source itself.\n"
    )
    built = build_record(snippet)
    path = tmp_path / "r.yaml"
    path.write_text(built.text, encoding="utf-8")
    out = io.StringIO()
    report_json(run([(path, "r.yaml")], Settings(today=TODAY, seeds_dir=FIXTURE_SEEDS, jobs=1)), out, ReportOptions())
    [stale] = [f for f in json.loads(out.getvalue())["findings"] if f["rule"] == "ACK001"]
    [place] = stale["related"]
    assert (place["role"], place["path"], place["line"]) == ("acknowledged place", "observations[poor-villages].value", built.snippet_offset + 4)
