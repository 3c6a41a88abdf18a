"""Curator and analyst commands: generated docs are current, new scaffolds safely, export is tidy."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from validator.cli import main
from validator.commands.docs_gen import generated_docs
from validator.paths import RECORDS_DIR, REPO_ROOT


def test_committed_docs_are_what_the_code_generates() -> None:
    for path, text in generated_docs().items():
        assert path.read_text(encoding="utf-8") == text, f"{path.name} is stale: run `county-records docs`"


def test_rules_doc_has_every_code() -> None:
    from validator.rules import ALL_RULES

    rules_doc = generated_docs()[next(p for p in generated_docs() if p.name == "rules.md")]
    for rule in ALL_RULES:
        assert f"## {rule.code} ({rule.name})" in rules_doc


def test_new_writes_a_skeleton_that_names_what_is_missing(tmp_path: Path, capsys) -> None:
    target = tmp_path / "hunan" / "chaling.yaml"
    assert main(["new", "--code", "430224", "--out", str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    assert 'code: "430224"' in text and "茶陵县" in text and "株洲市" in text
    assert "national_poverty_county" in text  # Chaling is one of the 832
    capsys.readouterr()
    assert main(["validate", str(target)]) == 1
    assert "SCHEMA003" in capsys.readouterr().out  # sources: needs at least 1 entry


def test_new_refuses_to_overwrite(tmp_path: Path, capsys) -> None:
    target = tmp_path / "existing.yaml"
    target.write_text("keep me\n", encoding="utf-8")
    assert main(["new", "--code", "430224", "--out", str(target)]) == 1
    assert target.read_text(encoding="utf-8") == "keep me\n"
    assert "already exists" in capsys.readouterr().err


def test_new_rejects_an_unknown_code(tmp_path: Path, capsys) -> None:
    assert main(["new", "--code", "439999", "--out", str(tmp_path / "x.yaml")]) == 1
    assert not (tmp_path / "x.yaml").exists()


def test_export_csv_has_one_row_per_quantity_in_base_units(tmp_path: Path) -> None:
    out = tmp_path / "figures.csv"
    assert main(["export", str(RECORDS_DIR / "hunan" / "yanling.yaml"), "--out", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    by_pointer = {row["pointer"]: row for row in rows}
    assert len(by_pointer) == len(rows) > 50
    acres = [row for row in rows if row["unit_stated"] == "acre" and row["unit_curated"] == "mu"]
    assert acres, "curated acre -> mu readings are exported"
    for row in acres:
        assert float(row["value_base"]) == pytest.approx(float(row["value_curated"]) * 10000 / 15)
        assert row["base_unit"] == "m^2"


def test_export_jsonl_marks_figures_touched_by_findings(tmp_path: Path) -> None:
    out = tmp_path / "figures.jsonl"
    assert main(["export", str(RECORDS_DIR / "yunnan" / "eryuan.yaml"), "--format", "jsonl", "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert all(set(row) >= {"county_code", "metric", "value_stated", "value_base", "quote"} for row in rows)
    assert all(row["county_code"] == "532930" for row in rows)


def test_export_parquet_without_pyarrow_says_how_to_get_it(tmp_path: Path, capsys) -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        assert main(["export", "--format", "parquet", "--out", str(tmp_path / "x.parquet")]) == 2
        assert "pyarrow" in capsys.readouterr().err
        assert not (tmp_path / "x.parquet").exists()
    else:
        assert main(["export", "--format", "parquet", "--out", str(tmp_path / "x.parquet")]) == 0
        assert (tmp_path / "x.parquet").stat().st_size > 0


def test_the_repository_is_found_from_the_current_folder_upwards(tmp_path: Path, monkeypatch) -> None:
    """As a pre-commit hook runs it: the package installed elsewhere, the current folder inside a clone."""
    from validator.paths import PACKAGE_CHECKOUT, find_repository_root

    clone = tmp_path / "clone"
    (clone / "schema").mkdir(parents=True)
    (clone / "schema" / "units.txt").write_text("yuan = [currency]\n", encoding="utf-8")
    (clone / "seeds").mkdir()
    (clone / "records" / "hunan").mkdir(parents=True)
    monkeypatch.chdir(clone / "records" / "hunan")
    assert find_repository_root() == clone
    monkeypatch.chdir(tmp_path)
    assert find_repository_root() == PACKAGE_CHECKOUT


def test_outside_any_repository_the_command_says_so(tmp_path: Path, monkeypatch, capsys) -> None:
    import validator.paths

    monkeypatch.setattr(validator.paths, "UNITS_FILE", tmp_path / "schema" / "units.txt")
    assert main(["validate"]) == 2
    assert "no county-records repository here" in capsys.readouterr().err


def test_the_package_version_is_the_same_in_pyproject_and_the_package() -> None:
    # Release tags (vX.Y.Z) name this version; pre-commit configurations pin them.
    import tomllib

    from validator import __version__

    declared = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert declared == __version__
