"""Build and run rule fixture cases: YAML snippets after the standard header, checked by the engine."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from validator.engine import Settings, run
from validator.findings import LocatedFinding

TESTS_DIR = Path(__file__).parent
HEADER = (TESTS_DIR / "rules" / "header.yaml").read_text(encoding="utf-8")
FIXTURE_SEEDS = TESTS_DIR / "fixtures" / "seeds"
TODAY = date(2026, 11, 22)
_TOP_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*):", re.MULTILINE)


@dataclass
class BuiltRecord:
    text: str
    snippet_offset: int  # lines before the snippet's first line


def build_record(snippet: str, whole_file: bool = False) -> BuiltRecord:
    """The header's top-level blocks that the snippet does not define, then the snippet."""
    if whole_file:
        return BuiltRecord(snippet, 0)
    defined = set(_TOP_KEY.findall(snippet))
    kept: list[str] = []
    skipping = False
    for line in HEADER.splitlines():
        match = _TOP_KEY.match(line)
        if match:
            skipping = match.group(1) in defined
        elif line.startswith("#"):
            continue
        if not skipping:
            kept.append(line)
    header = "\n".join(kept) + "\n"
    return BuiltRecord(header + snippet, header.count("\n"))


def run_snippets(snippets: list[str], folder: Path, whole_file: bool = False) -> tuple[list[LocatedFinding], list[BuiltRecord]]:
    built = [build_record(s, whole_file) for s in snippets]
    files = []
    for i, record in enumerate(built):
        path = folder / f"record{i}.yaml"
        path.write_text(record.text, encoding="utf-8")
        files.append((path, str(i)))
    result = run(files, Settings(today=TODAY, seeds_dir=FIXTURE_SEEDS, jobs=1))
    return result.findings, built
