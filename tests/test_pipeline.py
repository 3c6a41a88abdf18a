"""One pipeline: validate, export, diff and docs take each record through `engine.check_file` once."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

# Imported here, before any test patches `load_document`: a module imported later would keep the patch.
import validator.commands.diff  # noqa: F401
import validator.commands.docs_gen  # noqa: F401
import validator.commands.export  # noqa: F401
import validator.engine  # noqa: F401
from validator.load import loader
from validator.cli import main
from validator.support.paths import REPO_ROOT



def _record_key(path: Path | str) -> str:
    """records/<province>/<county>.yaml, wherever the file is (diff checks copies in a temporary folder): by path,
    since counties in different provinces share a file name (three zhenyuan.yaml)."""
    parts = Path(path).parts
    if "records" not in parts:
        return str(path)
    return "/".join(parts[len(parts) - 1 - parts[::-1].index("records"):])


RECORDS = sorted(_record_key(path) for path in (REPO_ROOT / "records").rglob("*.yaml"))


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> Counter:
    """Counts loads of record files (by path), wherever a module imported `load_document` from, in this process:
    runs check the files here, not in worker processes, whose loads this process would not see."""
    counted: Counter = Counter()
    original = loader.load_document

    def counting(path: Path):
        if Path(path).suffix in (".yaml", ".yml") and Path(path).name != "index.yaml":
            counted[_record_key(Path(path).resolve())] += 1
        return original(path)

    for module in list(sys.modules.values()):
        if module is not None and getattr(module, "load_document", None) is original:
            monkeypatch.setattr(module, "load_document", counting)
    monkeypatch.setattr(validator.engine, "PARALLEL_THRESHOLD", len(RECORDS) + 1)
    monkeypatch.chdir(REPO_ROOT)
    return counted


def _assert_each_record_loaded_once(loads: Counter) -> None:
    assert loads, "no record was loaded"
    assert set(loads) == set(RECORDS) | set(loads)
    assert max(loads.values()) == 1, {name: n for name, n in loads.items() if n > 1}


@pytest.mark.parametrize("command", [
    ["validate", "--jobs", "1"],
    ["validate", "--format", "json", "--jobs", "1"],
    ["export", "--format", "jsonl"],
])
def test_each_record_is_parsed_once_per_command(command: list[str], loads: Counter, capsys) -> None:
    main(command)
    capsys.readouterr()
    assert set(RECORDS) <= set(loads)
    _assert_each_record_loaded_once(loads)


def test_docs_parse_each_record_once(loads: Counter) -> None:
    from validator.commands.docs_gen import schema_markdown

    schema_markdown()
    assert set(RECORDS) <= set(loads)
    _assert_each_record_loaded_once(loads)


def test_diff_parses_each_version_of_a_record_once(loads: Counter, tmp_path: Path, capsys) -> None:
    # Each side is checked once: every record twice in all (HEAD and the working tree), never more.
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True)
    if head.returncode != 0:
        pytest.skip("not a git checkout")
    assert main(["diff", "HEAD"]) == 0
    capsys.readouterr()
    assert set(RECORDS) <= set(loads)
    assert max(loads.values()) == 2
