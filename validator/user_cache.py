"""The user's cache folder, where the validator keeps what it may forget (pint's answers, the corpus index).

COUNTY_RECORDS_CACHE_DIR names it; else XDG_CACHE_HOME/county-records or ~/.cache/county-records. Set
COUNTY_RECORDS_CACHE_DIR to an empty string to keep nothing. A cache is only ever a speed-up: a file
that cannot be written costs time, never a finding.
"""

from __future__ import annotations

import json
import os
from pathlib import Path



def cache_folder() -> Path | None:
    configured = os.environ.get("COUNTY_RECORDS_CACHE_DIR")
    if configured == "":
        return None
    return Path(configured) if configured else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "county-records"


def write_cache_document(path: Path, document: dict, *, sort_keys: bool = False) -> bool:
    """Write a cache's JSON whole or not at all; False where the folder cannot take it."""
    return write_cache_bytes(path, json.dumps(document, ensure_ascii=False, sort_keys=sort_keys).encode("utf-8"))


def write_cache_bytes(path: Path, text: bytes) -> bool:
    """Write a cache file whole or not at all; False where the folder cannot take it."""
    from .atomic import AtomicWriteError, write_atomically  # here: a warm run writes nothing

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, lambda stream: stream.write(text))
    except (OSError, AtomicWriteError):
        return False
    return True
