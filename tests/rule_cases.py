"""Build and run rule fixture cases: YAML snippets after the standard header, checked by the engine."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from validator.engine import Settings, run
from validator.support.findings import LocatedFinding

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


@dataclass(frozen=True)
class FileForm:
    """How a case's file is written, for loader codes that plain UTF-8 text cannot show.

    encoding: the snippet's bytes in another encoding (latin-1 gives invalid UTF-8);
    pad_to_bytes: a trailing comment makes the file this large; broken_link: the record path is a
    symbolic link to a file that does not exist; link_out: the record path, in a folder made a
    repository (schema/units.txt and seeds/), is a link to the record written outside it.
    """

    encoding: str = "utf-8"
    pad_to_bytes: int | None = None
    broken_link: bool = False
    link_out: bool = False

    @classmethod
    def of_case(cls, case: dict) -> "FileForm":
        return cls(case.get("encoding", "utf-8"), case.get("pad_to_bytes"), bool(case.get("broken_link")),
                   bool(case.get("link_out")))


def _write(path: Path, text: str, form: FileForm) -> None:
    if form.broken_link:
        path.symlink_to(path.with_name(path.name + ".missing"))
        return
    if form.link_out:
        (path.parent / "schema").mkdir(exist_ok=True)
        (path.parent / "schema" / "units.txt").touch()
        (path.parent / "seeds").mkdir(exist_ok=True)
        outside = path.parent.parent / f"outside-{path.parent.name}-{path.name}"
        outside.write_text(text, encoding="utf-8")
        path.symlink_to(outside)
        return
    data = text.encode(form.encoding)
    if form.pad_to_bytes is not None:
        filler = max(0, form.pad_to_bytes - len(data) - 3)
        data += b"# " + b"x" * filler + b"\n"
    path.write_bytes(data)


def run_snippets(snippets: list[str], folder: Path, whole_file: bool = False,
                 form: FileForm = FileForm()) -> tuple[list[LocatedFinding], list[BuiltRecord]]:
    built = [build_record(s, whole_file) for s in snippets]
    files = []
    for i, record in enumerate(built):
        path = folder / f"record{i}.yaml"
        _write(path, record.text, form)
        files.append((path, str(i)))
    result = run(files, Settings(today=TODAY, seeds_dir=FIXTURE_SEEDS, jobs=1))
    return result.findings, built
