"""The corpus index: what corpus rules read of every record, kept between runs so a one-file run sees them all.

`validate FILE` (as the pre-commit hook runs it) checks the given files, and its corpus rules
(duplicate codes, conflicting values, outliers) compare them with every other record of the
repository. Reading all of those on every commit would make the hook as slow as a full run, so what
corpus rules need of each record (validator/corpus.py: its division and a few facts per observation)
is kept in a JSON file in the user's cache folder, beside the unit cache. An entry is used only for a
file whose size, modification time and inode are those it was made from, and only if everything in
it has the shape facts have; anything odd is dropped and the record read again. The file is keyed
by the validator's version and the contract it reads (units, vocabulary, published schema), so a
change to either starts afresh. It is written once per run, atomically.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from pathlib import Path

from . import __version__
from .user_cache import cache_folder, write_cache_document
from .corpus import CorpusFacts, ObservationFact
from .paths import SCHEMA_DIR, UNITS_FILE

FORMAT = 1
MAX_CACHE_BYTES = 64 * 1024 * 1024
MAX_TEXT = 2_000
_FACT_FIELDS = ("pointer", "metric", "label", "when", "source", "value_text", "low", "high", "dimensionality", "line", "column", "path")


def _contract_key() -> str:
    digest = hashlib.sha256(__version__.encode())
    for path in (UNITS_FILE, Path(__file__).with_name("models") / "metrics.tsv", *sorted(SCHEMA_DIR.glob("v*/*.json"))):
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"?")
    return digest.hexdigest()[:20]


def cache_file() -> Path | None:
    folder = cache_folder()
    if folder is None:
        return None
    return folder / f"corpus-{_contract_key()}.json"


def file_key(path: Path) -> list[int] | None:
    """What says a file is unchanged since its entry was made: size, modification time, inode, device."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ino, info.st_dev]


def _text(value: object, optional: bool = False) -> bool:
    return (optional and value is None) or (isinstance(value, str) and len(value) <= MAX_TEXT)


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and not math.isnan(value)


def _position(value: object) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in value)


def facts_from_json(entry: object) -> CorpusFacts | None:
    """The facts an entry holds, or None where anything in it is not what facts look like."""
    if not isinstance(entry, dict):
        return None
    division = entry.get("division")
    observations = entry.get("observations")
    positions = entry.get("positions")
    if not (isinstance(division, list) and len(division) == 6 and isinstance(observations, list) and isinstance(positions, dict)):
        return None
    if not all(_text(v) for v in division[:5]) or not _text(division[5], optional=True):
        return None
    if not all(_text(k) and _position(v) for k, v in positions.items()):
        return None
    facts = CorpusFacts(*division)
    facts.division_positions = {k: (v[0], v[1]) for k, v in positions.items()}
    for item in observations:
        if not isinstance(item, list) or len(item) != len(_FACT_FIELDS):
            return None
        fields = dict(zip(_FACT_FIELDS, item))
        if not all(_text(fields[k]) for k in ("pointer", "metric", "when", "value_text", "path")):
            return None
        if not (_text(fields["label"], True) and _text(fields["source"], True) and _number(fields["low"]) and _number(fields["high"])):
            return None
        dims = fields["dimensionality"]
        if not isinstance(dims, list) or not all(isinstance(d, list) and len(d) == 2 and _text(d[0]) and _number(d[1]) for d in dims):
            return None
        if not _position([fields["line"], fields["column"]]):
            return None
        fields["dimensionality"] = tuple((d[0], float(d[1])) for d in dims)
        facts.observations.append(ObservationFact(**fields))
    return facts


def facts_to_json(facts: CorpusFacts) -> dict:
    return {
        "division": [facts.level, facts.code, facts.name_en, facts.name_zh, facts.province, facts.prefecture],
        "positions": {k: list(v) for k, v in facts.division_positions.items()},
        "observations": [
            [getattr(o, name) if name != "dimensionality" else [list(d) for d in o.dimensionality] for name in _FACT_FIELDS]
            for o in facts.observations
        ],
    }


class CorpusCache:
    """Facts by absolute path, each with the file key it was made from."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.entries: dict[str, dict] = {}
        self.changed = False
        if path is not None:
            self.entries = self._read(path)

    @staticmethod
    def _read(path: Path) -> dict[str, dict]:
        try:
            if os.stat(path).st_size > MAX_CACHE_BYTES:
                return {}
            document = json.loads(path.read_bytes())
        except (OSError, ValueError, RecursionError):
            return {}  # absent or unreadable: start afresh
        if not isinstance(document, dict) or document.get("format") != FORMAT or not isinstance(document.get("entries"), dict):
            return {}
        return document["entries"]

    def get(self, path: Path) -> CorpusFacts | None:
        entry = self.entries.get(str(path))
        key = file_key(path)
        if not isinstance(entry, dict) or key is None or entry.get("key") != key:
            return None
        facts = facts_from_json(entry.get("facts"))
        if facts is None:
            del self.entries[str(path)]  # odd: read the record again
            self.changed = True
        return facts

    def put(self, path: Path, key: list[int] | None, facts: CorpusFacts | None) -> None:
        if key is None or facts is None:
            if self.entries.pop(str(path), None) is not None:
                self.changed = True
            return
        self.entries[str(path)] = {"key": key, "facts": facts_to_json(facts)}
        self.changed = True

    def forget_missing(self, present: set[str]) -> None:
        """Drop entries of files that are gone, so the index does not grow with every renamed record."""
        for name in [name for name in self.entries if name not in present and not os.path.exists(name)]:
            del self.entries[name]
            self.changed = True

    def flush(self) -> None:
        if self.path is None or not self.changed:
            return
        if not write_cache_document(self.path, {"format": FORMAT, "entries": self.entries}):
            self.path = None  # a read-only or odd cache folder only costs speed
            return
        self.changed = False
