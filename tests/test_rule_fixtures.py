"""Every rule's fixture cases (tests/rules/CODE.yaml) and the examples in its documentation.

A `fail` case must yield exactly the listed violations of its code (line and column counted from
the snippet's first line); a `pass` case must yield none of its code. Neither may yield an error or
a warning of any other code (not acknowledged) unless the case lists that code in `also:`, and then
it must: an unexpected finding is a snippet that is not what the case says it is, or a rule that
fires where it should not. `pytest -k SUM001` runs one rule.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from rule_cases import TESTS_DIR, FileForm, run_snippets
from validator.support.findings import Severity
from validator.rules import ALL_RULES, RULE_BY_CODE

FIXTURE_FILES = sorted((TESTS_DIR / "rules").glob("[A-Z]*.yaml"))


def _cases():
    for path in FIXTURE_FILES:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        code = spec["rule"]
        assert path.stem == code, f"{path.name} declares rule {code}"
        for case in spec["cases"]:
            yield pytest.param(code, case, id=f"{code}-{case['name']}")


@pytest.mark.parametrize(("code", "case"), list(_cases()))
def test_rule_fixture(code: str, case: dict, tmp_path: Path) -> None:
    assert code in RULE_BY_CODE, f"fixture for unknown rule {code}"
    whole_file = bool(case.get("whole_file"))
    if "pass" in case:
        snippets = case["pass"] if isinstance(case["pass"], list) else [case["pass"]]
        findings, _ = run_snippets(snippets, tmp_path, whole_file)
        assert [f for f in findings if f.code == code] == [], f"{code} must not fire"
        if not code.startswith(("YAML", "SCHEMA")):
            # A snippet that does not load or fit the schema never reaches the rules: it would pass for the wrong reason.
            blocking = [f"{f.code} {f.message}" for f in findings if f.code.startswith(("YAML", "SCHEMA"))]
            assert blocking == [], f"the pass case never reached the rules: {blocking}"
        _assert_only_the_codes_listed(code, case, findings)
        return
    snippets = case["fail"] if isinstance(case["fail"], list) else [case["fail"]]
    findings, built = run_snippets(snippets, tmp_path, whole_file, FileForm.of_case(case))
    actual = sorted(
        (int(f.file), f.line - built[int(f.file)].snippet_offset, f.column) for f in findings if f.code == code
    )
    expected = sorted(
        (v.get("file", 0), v["line"], v["column"]) for v in case["violations"]
    )
    messages = [f"{f.line}:{f.column} {f.message}" for f in findings if f.code == code]
    assert actual == expected, f"{code} findings: {messages}"
    _assert_only_the_codes_listed(code, case, findings)


def _assert_only_the_codes_listed(code: str, case: dict, findings: list) -> None:
    """No error or warning of another code than the case's, unless listed in `also:`; each listed one present."""
    others = {f"{f.code} {f.line}:{f.column} {f.message}" for f in findings
              if f.code != code and f.severity in (Severity.ERROR, Severity.WARNING) and not f.acknowledged}
    assert {line.split(" ", 1)[0] for line in others} == set(case.get("also", [])), (
        f"codes other than {code} (list the expected ones in `also:`): {sorted(others)}")


def test_every_rule_has_fixture_cases_that_fail_and_pass() -> None:
    covered: dict[str, set[str]] = {}
    for path in FIXTURE_FILES:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        covered[spec["rule"]] = {"fail" if "fail" in case else "pass" for case in spec["cases"]}
    missing = [r.code for r in ALL_RULES if covered.get(r.code) != {"fail", "pass"}]
    assert missing == [], f"rules without both a failing and a passing fixture: {missing}"


DOC_EXAMPLES = [r for r in ALL_RULES if r.examples_run]


@pytest.mark.parametrize("rule", DOC_EXAMPLES, ids=[r.code for r in DOC_EXAMPLES])
def test_documented_example_fails_and_fix_passes(rule, tmp_path: Path) -> None:
    (tmp_path / "example").mkdir()
    (tmp_path / "fix").mkdir()
    bad, _ = run_snippets([rule.example], tmp_path / "example", rule.example_is_file)
    assert any(f.code == rule.code for f in bad), f"the Example of {rule.code} does not yield it"
    good, _ = run_snippets([rule.use_instead], tmp_path / "fix", rule.example_is_file)
    assert not any(f.code == rule.code for f in good), f"the Use instead of {rule.code} still yields it"
