"""What pint said about each unit expression, kept between runs so most runs never import pint.

Importing pint and building the registry costs more than validating a record; the answers depend
only on the units file and the expression (our units are plain products of base units, which no
pint release reads differently). The cache is a small JSON file in the user's cache folder
(COUNTY_RECORDS_CACHE_DIR, else XDG_CACHE_HOME or ~/.cache), keyed by a hash of the units file and
the validator's version; set COUNTY_RECORDS_CACHE_DIR to an empty string to turn it off. It never holds errors: a unit
pint rejects is asked again, so its message is always pint's own.

A wrong answer in the cache would make a rule pass (a factor of 0 hides a sum that does not add
up; a wrong dimension hides a unit that does not fit its field), so the file is checked on read:
its size, its JSON, the shape of every entry, finite non-zero factors, and a sha256 of the entries
stored with them, which catches a file edited or damaged since it was written (not one forged with
its hash recomputed: that is caught only where pint is loaded anyway and disagrees, see
quantities.parse_unit). Anything odd is discarded whole and rebuilt from pint. New answers are
collected and written once, at the end of the run (flush), atomically.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import math
import os
import re
from functools import cache
from pathlib import Path

from .. import __version__
from ..support.user_cache import cache_folder, read_cache_bytes, write_cache_document
from ..support.paths import UNITS_FILE

CachedUnit = tuple[str, tuple[tuple[str, float], ...], float]

FORMAT = 2
MAX_CACHE_BYTES = 4 * 1024 * 1024
MAX_ENTRIES = 20_000
MAX_TEXT = 200  # characters of an expression or a canonical name
MAX_DIMENSIONS = 16
_DIMENSION = re.compile(r"^\[[a-z_]{1,40}\]$")


def _cache_file() -> Path | None:
    folder = cache_folder()
    if folder is None:
        return None
    key = hashlib.sha256(UNITS_FILE.read_bytes() + __version__.encode()).hexdigest()[:20]
    return folder / f"units-{key}.json"


def valid_entry(text: object, entry: object) -> CachedUnit | None:
    """The entry as a CachedUnit if it has the shape pint's answers have, else None."""
    if not isinstance(text, str) or not 0 < len(text) <= MAX_TEXT:
        return None
    if not isinstance(entry, (list, tuple)) or len(entry) != 3:
        return None
    canonical, dimensions, factor = entry
    if not isinstance(canonical, str) or len(canonical) > MAX_TEXT or not isinstance(dimensions, (list, tuple)):
        return None
    if len(dimensions) > MAX_DIMENSIONS or isinstance(factor, bool) or not isinstance(factor, (int, float)):
        return None
    if not math.isfinite(factor) or factor == 0:
        return None
    pairs = []
    for pair in dimensions:
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            return None
        name, exponent = pair
        if not isinstance(name, str) or not _DIMENSION.match(name) or isinstance(exponent, bool):
            return None
        if not isinstance(exponent, (int, float)) or not math.isfinite(exponent) or exponent == 0:
            return None
        pairs.append((name, float(exponent)))
    if pairs != sorted(pairs) or len({name for name, _ in pairs}) != len(pairs):
        return None  # pint's answers are kept sorted, one exponent per dimension
    return canonical, tuple(pairs), float(factor)


def _digest(entries: dict[str, CachedUnit]) -> str:
    return hashlib.sha256(json.dumps(entries, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def read_cache_file(path: Path) -> tuple[dict[str, CachedUnit], bool]:
    """The file's entries, and whether it was odd (and so is to be rebuilt); a missing file is not odd."""
    try:
        raw = read_cache_bytes(path, MAX_CACHE_BYTES)
    except FileNotFoundError:
        return {}, False
    except OSError:
        return {}, True
    try:
        document = json.loads(raw) if raw is not None else None
    except (ValueError, RecursionError):  # RecursionError: [[[[... nested deeper than the parser's stack
        document = None
    if not isinstance(document, dict) or document.get("format") != FORMAT or not isinstance(document.get("entries"), dict):
        return {}, True
    raw_entries = document["entries"]
    if len(raw_entries) > MAX_ENTRIES:
        return {}, True
    entries = {}
    for text, entry in raw_entries.items():
        checked = valid_entry(text, entry)
        if checked is None:
            return {}, True
        entries[text] = checked
    if document.get("sha256") != _digest(entries):
        return {}, True
    return entries, False


class UnitCache:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.entries: dict[str, CachedUnit] = {}
        self.new: dict[str, CachedUnit] = {}
        self.rebuild = False  # the file was odd (or contradicted by pint): rewrite it at flush
        if path is not None:
            self.entries, self.rebuild = read_cache_file(path)

    def get(self, text: str) -> CachedUnit | None:
        return self.entries.get(text)

    def put(self, text: str, entry: CachedUnit) -> None:
        checked = valid_entry(text, entry)
        if checked is not None and self.entries.get(text) != checked:
            self.entries[text] = self.new[text] = checked

    def discard(self) -> None:
        """Forget every entry read from the file (one was wrong), keeping this run's answers from pint."""
        self.entries = dict(self.new)
        self.rebuild = True

    def take_new(self) -> dict[str, CachedUnit]:
        """This process's new answers, handed to the parent process by a worker (only the parent writes)."""
        new, self.new = self.new, {}
        return new

    def merge(self, entries: dict[str, CachedUnit]) -> None:
        for text, entry in entries.items():
            self.put(text, entry)

    def flush(self) -> None:
        """Write the cache once, if anything is new or the file is to be rebuilt."""
        if self.path is None or not (self.new or self.rebuild) or len(self.entries) > MAX_ENTRIES:
            return
        document = {"format": FORMAT, "sha256": _digest(self.entries), "entries": self.entries}
        if not write_cache_document(self.path, document, sort_keys=True):
            self.path = None  # a read-only or odd cache folder only costs speed
            return
        self.new.clear()
        self.rebuild = False


@cache
def unit_cache() -> UnitCache:
    unit_cache_ = UnitCache(_cache_file())
    atexit.register(unit_cache_.flush)  # library use and tests; the command flushes explicitly after its work
    return unit_cache_
