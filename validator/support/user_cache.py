"""The user's cache folder, where the validator keeps what it may forget (pint's answers, the corpus index).

COUNTY_RECORDS_CACHE_DIR names it; else XDG_CACHE_HOME/county-records or ~/.cache/county-records. Set
COUNTY_RECORDS_CACHE_DIR to an empty string to keep nothing. A cache is only ever a speed-up: a file
that cannot be written costs time, never a finding.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path



def cache_folder() -> Path | None:
    configured = os.environ.get("COUNTY_RECORDS_CACHE_DIR")
    if configured == "":
        return None
    return Path(configured) if configured else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "county-records"


def read_cache_bytes(path: Path, limit: int) -> bytes | None:
    """A cache file's bytes; None where it is not a regular file or is larger than `limit` (OSError where it cannot be opened).

    O_NONBLOCK: a pipe planted at the cache's name must not stall the run; O_NOFOLLOW: nor a link to
    /dev/zero make it read forever (the validator never writes a cache through a link).
    """
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        with os.fdopen(os.dup(descriptor), "rb") as handle:
            raw = handle.read(limit + 1)
    finally:
        os.close(descriptor)
    return raw if len(raw) <= limit else None


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
