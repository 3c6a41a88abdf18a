"""Places come from the walk that builds the typed record; nothing else counts list positions.

The typed record gives every item its place (JSON pointer and id path). A step that rebuilt a pointer
from a list index would count differently from the walk where the schema step left an item out, and
name the wrong item (REF004 named the wrong fund; `site` crashed). These tests check the source for
such pointers, and check every step's places on records whose first, middle or last item is left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import validator

PACKAGE = Path(validator.__file__).parent
# The walk itself, and the helpers that make pointers and id paths for it and for the loader's positions.
MAKERS = {"places.py", "loader.py", "identity.py", "typed.py"}


# f-strings that make something else than a pointer with a `/` in it.
NOT_POINTERS = {"f'/{d}'"}  # rules/arithmetic.py: a unit's denominator, yuan/person


def _pointer_fstrings(path: Path) -> list[tuple[int, str]]:
    """f-strings that make a JSON pointer with a value after a `/`: f"/funds/{i}", f"{pointer}/parts/{j}"."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.JoinedStr) or ast.unparse(node) in NOT_POINTERS:
            continue
        parts = node.values
        first = parts[0] if parts else None
        absolute = isinstance(first, ast.Constant) and str(first.value).startswith("/")
        from_pointer = isinstance(first, ast.FormattedValue) and "pointer" in ast.unparse(first.value).lower()
        if not (absolute or from_pointer):
            continue
        for before, after in zip(parts, parts[1:]):
            if isinstance(before, ast.Constant) and str(before.value).endswith("/") and isinstance(after, ast.FormattedValue):
                found.append((node.lineno, ast.unparse(node)))
                break
    return found


def test_no_pointer_is_built_from_a_variable_outside_the_walk() -> None:
    offenders = [f"{path.relative_to(PACKAGE)}:{line}: {text}"
                 for path in sorted(PACKAGE.rglob("*.py")) if path.name not in MAKERS
                 for line, text in _pointer_fstrings(path)]
    assert offenders == []


def test_the_source_check_finds_a_pointer_built_from_an_index(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('for i, fund in enumerate(funds):\n    pointer = f"/funds/{i}/amount"\n'
                      'for j, part in enumerate(fund.parts):\n    part_pointer = f"{pointer}/parts/{j}"\n'
                      'shown = f"{done}/{total} files"\n', encoding="utf-8")
    assert [line for line, _ in _pointer_fstrings(sample)] == [2, 4]


def test_no_step_reads_items_by_position() -> None:
    # `enumerate` over a section of the record counts its items again; the walk has already placed them.
    sections = ("observations", "targets", "programmes", "funds", "shares", "relations", "lists", "officials",
                "sources", "acknowledged")
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name in MAKERS:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "enumerate" and node.args:
                argument = node.args[0]
                if isinstance(argument, ast.Attribute) and argument.attr in sections:
                    offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {ast.unparse(node)}")
    assert offenders == []


# A record with three items in each list; every item has a finding that names it (a quote the source does not
# have, or a reference to nothing), so that every place is shown.
ITEMS = {
    "observations": lambda n: {"id": f"obs-{n}", "metric": "poor_villages", "value": f"{n} villages", "quote": f"unquoted {n} villages"},
    "targets": lambda n: {"id": f"target-{n}", "metric": "poor_villages", "deadline": 2020,
                          "target": {"value": f"{n} villages", "quote": f"unquoted {n} villages"}},
    "programmes": lambda n: {"id": f"prog-{n}", "name": f"Programme {n}", "category": "industry",
                             "outputs": [{"id": f"out-{n}", "metric": "poor_villages", "value": f"{n} villages", "quote": f"unquoted {n} villages"}]},
    "funds": lambda n: {"id": f"fund-{n}", "label": f"Fund {n}", "stage": "received", "parts": [f"missing-{n}"],
                        "amount": {"value": f"{n} million yuan", "quote": f"unquoted {n} million yuan"}},
    "shares": lambda n: {"id": f"share-{n}", "value": f"{n} %", "part": f"missing-{n}", "quote": f"unquoted {n} %"},
    "relations": lambda n: {"id": f"rel-{n}", "kind": "subset", "part": f"missing-{n}", "whole": f"obs-{n}"},
    "lists": lambda n: {"id": f"list-{n}", "count": f"missing-{n}", "items": ["A"], "quote": f"unquoted {n} villages"},
    "officials": lambda n: {"name": f"Official {n}", "role": "county head", "quote": f"unquoted official {n}"},
}
BAD_ITEM = {"id": "bad", "no_such_field": True}


def _record(section: str, bad_at: int) -> dict:
    record = {
        "schema_version": "1.1",
        "division": {"code": "430225", "name_en": "Yanling County", "name_zh": "炎陵县", "province": "Hunan", "prefecture": "株洲市",
                     "designations": ["national_poverty_county"]},
        "sources": [{"id": "s1", "file": "seeds/fixture.txt", "title": "Fixture", "language": "en"}],
    }
    for name, make in ITEMS.items():
        record[name] = [make(n) for n in (1, 2, 3)]
    record[section].insert(bad_at, dict(BAD_ITEM))
    return record


def _resolve(data: object, pointer: str) -> object:
    node = data
    for token in pointer.split("/")[1:]:
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


CASES = [(section, position) for section in ITEMS for position in (0, 2, 3)]


@pytest.mark.parametrize(("section", "bad_at"), CASES, ids=[f"{s}-bad-at-{p}" for s, p in CASES])
def test_every_step_places_items_after_one_the_schema_left_out(tmp_path: Path, section: str, bad_at: int) -> None:
    import json

    from rule_cases import FIXTURE_SEEDS, TODAY
    from validator.commands.export import export_table
    from validator.commands.site.build import build_site
    from validator.engine import Settings, run
    from validator.record.identity import id_path

    data = _record(section, bad_at)
    path = tmp_path / "record.yaml"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")  # JSON is YAML
    files = [(path, "record.yaml")]
    settings = Settings(today=TODAY, seeds_dir=FIXTURE_SEEDS, jobs=1)

    findings = run(files, settings).findings
    assert any(f.code.startswith("SCHEMA") for f in findings), "the bad item is left out"
    placed = [f for f in findings if not f.code.startswith(("SCHEMA", "ACK"))]
    assert {f.path.partition("[")[0] for f in placed} >= set(ITEMS) - {"officials"}, "every section has findings"
    for finding in placed:
        # The place a finding names is the item it is about: its pointer leads there, and its id path names it.
        _resolve(data, finding.pointer)
        assert finding.path == id_path(finding.pointer, data), finding
        assert "bad" not in finding.path, finding

    rows = export_table(files, settings).rows
    assert rows
    for row in rows:
        assert _resolve(data, row["pointer"])["value"] == row["value_text"], row["pointer"]
        assert row["path"] == id_path(row["pointer"], data)

    from validator.commands.diff import compare

    [added] = compare({}, {"record.yaml": path.read_bytes()}, settings).files
    appeared = [f for f in added.findings_appeared if not f.code.startswith(("SCHEMA", "ACK"))]
    assert sorted(f.identity for f in appeared) == sorted(f.path for f in placed)

    built = build_site(files, tmp_path / "site", today=TODAY)
    pages = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "site").rglob("*.html"))
    for n in (1, 2, 3):
        assert f"unquoted {n} villages" in pages
    assert built is not None
