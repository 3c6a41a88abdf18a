"""The source documents in seeds/: their index (with checksums) and their text, read once per process."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .loader import load_document

_WHITESPACE = re.compile(r"\s+")


def fold_whitespace(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


@dataclass(frozen=True, slots=True)
class SeedEntry:
    file: str
    sha256: str


@dataclass(frozen=True, slots=True)
class SeedText:
    folded: str
    actual_sha256: str


@cache
def seed_index(seeds_dir: Path) -> dict[str, SeedEntry]:
    """seeds/index.yaml as file name -> entry; an unreadable index is an empty one (QUOTE004 then says so)."""
    document = load_document(seeds_dir / "index.yaml")
    entries: dict[str, SeedEntry] = {}
    data = document.data if document.usable else None
    for item in (data or {}).get("sources", []) if isinstance(data, dict) else []:
        if isinstance(item, dict) and isinstance(item.get("file"), str) and isinstance(item.get("sha256"), str):
            entries[item["file"]] = SeedEntry(item["file"], item["sha256"])
    return entries


@cache
def seed_text(path: Path) -> SeedText | None:
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    return SeedText(fold_whitespace(raw.decode("utf-8", errors="replace")), hashlib.sha256(raw).hexdigest())
