"""Files generated from the code (JSON Schema, docs): written atomically, or only compared in CI."""

from __future__ import annotations

from pathlib import Path

from ..support.atomic import write_text_atomically


def write_generated(files: dict[Path, str], check_only: bool = False) -> list[Path]:
    """Write each file whose text differs (or with check_only, only report it); return those that differed."""
    differing = []
    for path, text in files.items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        differing.append(path)
        if not check_only:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomically(path, text)
    return differing
