"""What pint said about each unit expression, kept between runs so most runs never import pint.

Importing pint and building the registry costs more than validating a record; the answers depend
only on the units file and the expression (our units are plain products of base units, which no
pint release reads differently). The cache is a small JSON file in the user's cache folder
(COUNTY_RECORDS_CACHE_DIR, else XDG_CACHE_HOME or ~/.cache), keyed by a hash of the units file and
the validator's version; set COUNTY_RECORDS_CACHE_DIR to an empty string to turn it off. It never holds errors: a unit
pint rejects is asked again, so its message is always pint's own.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path

from . import __version__
from .paths import UNITS_FILE

CachedUnit = tuple[str, tuple[tuple[str, float], ...], float]


def _cache_file() -> Path | None:
    configured = os.environ.get("COUNTY_RECORDS_CACHE_DIR")
    if configured == "":
        return None
    folder = Path(configured) if configured else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "county-records"
    key = hashlib.sha256(UNITS_FILE.read_bytes() + __version__.encode()).hexdigest()[:20]
    return folder / f"units-{key}.json"


class UnitCache:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.entries: dict[str, CachedUnit] = {}
        if path is not None:
            try:
                raw = json.loads(path.read_text(encoding="utf-8"))
                self.entries = {text: (c, tuple((d, float(e)) for d, e in dims), float(f)) for text, (c, dims, f) in raw.items()}
            except (OSError, ValueError, TypeError):
                self.entries = {}  # absent or unreadable: start afresh

    def get(self, text: str) -> CachedUnit | None:
        return self.entries.get(text)

    def put(self, text: str, entry: CachedUnit) -> None:
        self.entries[text] = entry
        if self.path is None:
            return
        try:  # write whole or not at all; a read-only home folder only costs speed
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".units-", suffix=".json")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(self.entries, stream, ensure_ascii=False, sort_keys=True)
            os.replace(temporary, self.path)
        except OSError:
            self.path = None


@cache
def unit_cache() -> UnitCache:
    return UnitCache(_cache_file())
