"""Curator commands: generated docs are current, new scaffolds safely (export: tests/test_export.py)."""

from __future__ import annotations

from pathlib import Path

from validator.cli import main
from validator.commands.docs_gen import generated_docs
from validator.support.paths import REPO_ROOT


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


def test_the_repository_is_found_from_the_current_folder_upwards(tmp_path: Path, monkeypatch) -> None:
    """As a pre-commit hook runs it: the package installed elsewhere, the current folder inside a clone."""
    from validator.support.paths import PACKAGE_CHECKOUT, find_repository_root

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
    import validator.support.paths

    monkeypatch.setattr(validator.support.paths, "UNITS_FILE", tmp_path / "schema" / "units.txt")
    assert main(["validate"]) == 2
    assert "no county-records repository here" in capsys.readouterr().err


def test_the_package_version_is_the_same_in_pyproject_and_the_package() -> None:
    # Release tags (vX.Y.Z) name this version; pre-commit configurations pin them.
    import tomllib

    from validator import __version__

    declared = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert declared == __version__


def test_the_documented_pre_commit_snippets_pin_a_rev_a_curator_can_use() -> None:
    # A curator copies the snippet: a tag it names must exist; while the repository has none, it pins a commit id.
    import re
    import subprocess

    listed = subprocess.run(["git", "tag", "--list"], cwd=REPO_ROOT, capture_output=True, text=True)
    tags = set(listed.stdout.split()) if listed.returncode == 0 else set()
    for name in ("CONTRIBUTING.md", "README.md", ".pre-commit-hooks.yaml"):
        revs = re.findall(r"rev: `?([^\s`]+)", (REPO_ROOT / name).read_text(encoding="utf-8"))
        assert revs and all(rev in tags or rev == "COMMIT-ID" for rev in revs), (name, revs, sorted(tags))
