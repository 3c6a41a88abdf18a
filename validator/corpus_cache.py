"""The corpus index: what corpus rules read of every record, kept between runs so a one-file run sees them all.

`validate FILE` (as the pre-commit hook runs it) checks the given files, and its corpus rules
(duplicate codes, conflicting values, outliers) compare them with every other record of the
repository. Reading all of those on every commit would make the hook as slow as a full run, so what
corpus rules need of each record (validator/corpus.py: its division and a few facts per observation)
is kept in a file in the user's cache folder, beside the unit cache: a header with the sha256 of the
entries, then the entries as JSON. A file whose entries do not match their sha256 (damaged, or edited
since it was written) is dropped whole; an entry is used only for a file whose size, modification time
and inode are those it was made from, and only if it reads as facts; anything odd is read again. The file is keyed
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
from .user_cache import cache_folder, write_cache_bytes
from .corpus import DIVISION_POINTERS, CorpusFacts, ObservationFact
from .paths import SCHEMA_DIR, UNITS_FILE

# 4: a line of entries (file key, division, positions, and where the record's observations are),
# then the observations of every record as JSON texts one after another: a run parses the entries
# and only the observations a rule reads (a one-file run in a corpus of 2,000 reads a few).
FORMAT = 4
MAX_CACHE_BYTES = 64 * 1024 * 1024
MAX_TEXT = 2_000
_FACT_FIELDS = ("pointer", "metric", "label", "when", "source", "value_text", "low", "high", "dimensionality", "line", "column", "path")
_DIMENSIONALITY = _FACT_FIELDS.index("dimensionality")


def _contract_key() -> str:
    digest = hashlib.sha256(__version__.encode())
    for path in (UNITS_FILE, Path(__file__).with_name("models") / "metrics.tsv", *sorted(SCHEMA_DIR.glob("v*/*.json"))):
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"?")
    return digest.hexdigest()[:20]


def cache_file(records: Path | None = None) -> Path | None:
    """The index of one repository's records (named by its folder): a small checkout's one-file run
    does not read the entries of a national-scale one that shares the user's cache."""
    folder = cache_folder()
    if folder is None:
        return None
    where = hashlib.sha256(os.fsencode(os.path.abspath(records))).hexdigest()[:12] if records is not None else "any"
    return folder / f"corpus-{_contract_key()}-{where}.json"


_file_keys: dict[str, list[int] | None] = {}  # one stat per file and run: listing, identity and index share it


def forget_file_keys() -> None:
    """End of a run: the next one stats every file afresh (files change between runs of one process)."""
    _file_keys.clear()


def file_key(path: Path) -> list[int] | None:
    """What says a file is unchanged since its entry was made: size, modification time, inode, device."""
    name = os.fspath(path)
    if name not in _file_keys:
        try:
            info = os.stat(path)
        except OSError:
            _file_keys[name] = None
        else:
            _file_keys[name] = [info.st_size, info.st_mtime_ns, info.st_ino, info.st_dev]
    return _file_keys[name]


def facts_from_json(entry: object) -> CorpusFacts | None:
    """The facts an entry holds, or None where it is not shaped as facts_to_json writes it.

    Observations are decoded when a rule first reads them (most records' never are in a one-file
    run). The shape is checked here; the file's sha256 already says it is the file this module wrote.
    """
    try:
        division, positions, observations = entry["division"], entry["positions"], entry["observations"]
        if len(division) != 6 or not isinstance(observations, (str, bytes, memoryview)) or len(positions) != len(DIVISION_POINTERS):
            return None
        facts = CorpusFacts(*division, decoded_observations=None, encoded_observations=observations, decode=_decoded)
        facts.division_positions = dict(zip(DIVISION_POINTERS, map(_position, positions)))
    except (TypeError, ValueError, KeyError, AttributeError):
        return None
    return facts


def _position(pair: list) -> tuple[int, int]:
    line, column = pair
    return line, column


def _decoded(encoded: str | bytes | memoryview) -> list[ObservationFact]:
    try:
        observations = json.loads(bytes(encoded) if isinstance(encoded, memoryview) else encoded)
        if any(len(item) != len(_FACT_FIELDS) for item in observations):
            return []
        return [
            ObservationFact(*item[:_DIMENSIONALITY], tuple((name, float(power)) for name, power in item[_DIMENSIONALITY]),
                            *item[_DIMENSIONALITY + 1:])
            for item in observations
        ]
    except (TypeError, ValueError, RecursionError):
        # Shaped right but not decodable: only a hand-made index with a matching sha256 gets here.
        # The record's observations are then not compared this run; its own file is still checked.
        return []


def facts_to_json(facts: CorpusFacts) -> dict:
    return {
        "division": [facts.level, facts.code, facts.name_en, facts.name_zh, facts.province, facts.prefecture],
        "positions": [list(facts.division_positions[pointer]) for pointer in DIVISION_POINTERS],
        "observations": json.dumps([
            [getattr(o, name) if name != "dimensionality" else [list(d) for d in o.dimensionality] for name in _FACT_FIELDS]
            for o in facts.observations
        ], ensure_ascii=False, separators=(",", ":")),
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
        """The entries, if the file is one this module wrote: its header's sha256 matches what follows it."""
        try:
            if os.stat(path).st_size > MAX_CACHE_BYTES:
                return {}
            raw = path.read_bytes()
            # Views, not copies: the index of a national corpus is megabytes, read on every hook run.
            header_end = raw.find(b"\n")
            entries_end = raw.find(b"\n", header_end + 1)
            if header_end < 0 or entries_end < 0:
                return {}
            header = json.loads(raw[:header_end])
            if not isinstance(header, dict) or header.get("format") != FORMAT:
                return {}
            if header.get("sha256") != hashlib.sha256(memoryview(raw)[header_end + 1:]).hexdigest():
                return {}  # damaged or edited since it was written: rebuilt
            entries = json.loads(raw[header_end + 1:entries_end])
            observations = memoryview(raw)[entries_end + 1:]
        except (OSError, ValueError, RecursionError):
            return {}  # absent or unreadable: start afresh
        if not isinstance(entries, dict):
            return {}
        for entry in entries.values():
            facts = entry.get("facts") if isinstance(entry, dict) else None
            span = facts.get("observations") if isinstance(facts, dict) else None
            if isinstance(span, list) and len(span) == 2 and all(isinstance(n, int) for n in span) and 0 <= span[0] <= span[1] <= len(observations):
                facts["observations"] = observations[span[0]:span[1]]
            elif isinstance(facts, dict):
                facts["observations"] = None  # not what flush writes: facts_from_json refuses it
        return entries

    def get(self, name: str, key: list[int] | None) -> CorpusFacts | None:
        """The facts of the file at `name` (an absolute path) if its entry was made from the file as it is (`key`)."""
        entry = self.entries.get(name)
        if not isinstance(entry, dict) or key is None or entry.get("key") != key:
            return None
        facts = facts_from_json(entry.get("facts"))
        if facts is None:
            del self.entries[name]  # odd: read the record again
            self.changed = True
        return facts

    def put(self, name: str, key: list[int] | None, facts: CorpusFacts | None) -> None:
        if key is None or facts is None:
            if self.entries.pop(name, None) is not None:
                self.changed = True
            return
        self.entries[name] = {"key": key, "facts": facts_to_json(facts)}
        self.changed = True

    def forget_missing(self, present: set[str]) -> None:
        """Drop entries of files that are gone, so the index does not grow with every renamed record."""
        for name in [name for name in self.entries if name not in present and not os.path.exists(name)]:
            del self.entries[name]
            self.changed = True

    def flush(self) -> None:
        if self.path is None or not self.changed:
            return
        entries: dict[str, dict] = {}
        texts: list[bytes] = []
        offset = 0
        for name, entry in self.entries.items():
            facts = entry.get("facts") if isinstance(entry, dict) else None
            text = facts.get("observations") if isinstance(facts, dict) else None
            if not isinstance(text, (str, bytes, memoryview)):
                continue  # an odd entry read from disk: dropped, its record is read again
            text = text.encode("utf-8") if isinstance(text, str) else bytes(text)
            entries[name] = {"key": entry.get("key"), "facts": {**facts, "observations": [offset, offset + len(text)]}}
            texts.append(text)
            offset += len(text)
        # json.dumps escapes newlines inside strings: the entries are one line.
        body = json.dumps(entries, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n" + b"".join(texts)
        header = json.dumps({"format": FORMAT, "sha256": hashlib.sha256(body).hexdigest()}).encode("utf-8")
        if not write_cache_bytes(self.path, header + b"\n" + body):
            self.path = None  # a read-only or odd cache folder only costs speed
            return
        self.changed = False
