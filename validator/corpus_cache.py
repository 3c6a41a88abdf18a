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
import os
from pathlib import Path

from . import __version__
from .user_cache import cache_folder, write_cache_bytes
from .corpus import DIVISION_POINTERS, CorpusFacts, ObservationFact
from .paths import SCHEMA_DIR, UNITS_FILE

# 5: a line of entries as columns (names, file keys, divisions, positions, and where each record's
# observations are), then the observations of every record as JSON texts one after another: a run
# parses the entries and only the observations a rule reads (a one-file run among 2,000 reads a few).
FORMAT = 5
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


def remember_file_key(name: str, entry: os.DirEntry) -> None:
    """The key of a file found by listing its folder, from its entry (which follows a link, as os.stat does)."""
    if name not in _file_keys:
        try:
            info = entry.stat()
        except OSError:
            _file_keys[name] = None
        else:
            _file_keys[name] = [info.st_size, info.st_mtime_ns, info.st_ino, info.st_dev]


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


def _entry_of(facts: CorpusFacts) -> tuple[list, list[int], bytes]:
    """What the index keeps of freshly read facts: the division, its positions flat, the observations as JSON."""
    division = [facts.level, facts.code, facts.name_en, facts.name_zh, facts.province, facts.prefecture]
    positions = [n for pointer in DIVISION_POINTERS for n in facts.division_positions[pointer]]
    observations = json.dumps([
        [getattr(o, name) if name != "dimensionality" else [list(d) for d in o.dimensionality] for name in _FACT_FIELDS]
        for o in facts.observations
    ], ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return division, positions, observations


_COLUMNS = ("names", "keys", "divisions", "positions", "observations")
_POSITIONS = 2 * len(DIVISION_POINTERS)
_STR, _INT = {str}, {int}


class CorpusCache:
    """Facts by absolute path, each with the file key it was made from.

    On disk (format 5) the entries are columns, one JSON list each (names, file keys, divisions,
    flat division positions, spans of the observations' texts), which parse in half the time of
    an object per record; in memory each name maps to (key, division, positions, observations),
    where observations are a span of the file's view or, for a record read this run, its JSON bytes.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.entries: dict[str, tuple] = {}
        self.observations: memoryview = memoryview(b"")
        self.changed = False
        if path is not None:
            self._read(path)

    def _read(self, path: Path) -> None:
        """The entries, if the file is one this module wrote: its header's sha256 matches what follows it."""
        try:
            if os.stat(path).st_size > MAX_CACHE_BYTES:
                return
            raw = path.read_bytes()
            # Views, not copies: the index of a national corpus is megabytes, read on every hook run.
            header_end = raw.find(b"\n")
            entries_end = raw.find(b"\n", header_end + 1)
            if header_end < 0 or entries_end < 0:
                return
            header = json.loads(raw[:header_end])
            if not isinstance(header, dict) or header.get("format") != FORMAT:
                return
            if header.get("sha256") != hashlib.sha256(memoryview(raw)[header_end + 1:]).hexdigest():
                return  # damaged or edited since it was written: rebuilt
            columns = json.loads(raw[header_end + 1:entries_end])
        except (OSError, ValueError, RecursionError):
            return  # absent or unreadable: start afresh
        if not isinstance(columns, dict) or not all(isinstance(columns.get(name), list) for name in _COLUMNS):
            return
        names = columns["names"]
        if len({len(columns[name]) for name in _COLUMNS}) != 1 or not all(isinstance(name, str) for name in names):
            return
        self.observations = memoryview(raw)[entries_end + 1:]
        # Each entry's shape is checked when it is asked for (get): most are, once.
        self.entries = dict(zip(names, zip(*(columns[name] for name in _COLUMNS[1:]))))

    def get(self, name: str, key: list[int] | None) -> CorpusFacts | None:
        """The facts of the file at `name` (an absolute path) if its entry was made from the file as it is (`key`)."""
        entry = self.entries.get(name)
        if entry is None or key is None or entry[0] != key:
            return None
        facts = self._facts(entry)
        if facts is None:
            del self.entries[name]  # odd (only a hand-made index with a matching sha256): read the record again
            self.changed = True
        return facts

    def _facts(self, entry: tuple) -> CorpusFacts | None:
        """The facts an entry holds, or None where it is not shaped as flush writes it. The file's sha256
        already says this module wrote it; the checks keep a hand-made one from reaching the rules."""
        _, division, positions, observations = entry
        if type(observations) is list:
            if len(observations) != 2:
                return None
            start, end = observations
            if type(start) is not int or type(end) is not int or not 0 <= start <= end <= len(self.observations):
                return None
            observations = self.observations[start:end]
        if type(division) is not list or len(division) != 6 or type(positions) is not list or len(positions) != _POSITIONS:
            return None
        # set(map(type, ...)): the whole check in C, for thousands of entries per hook run
        if set(map(type, division[:5])) != _STR or not (division[5] is None or type(division[5]) is str) or set(map(type, positions)) != _INT:
            return None
        return CorpusFacts.indexed(division, positions, observations, _decoded)

    def put(self, name: str, key: list[int] | None, facts: CorpusFacts | None) -> None:
        if key is None or facts is None:
            if self.entries.pop(name, None) is not None:
                self.changed = True
            return
        self.entries[name] = (key, *_entry_of(facts))
        self.changed = True

    def forget_missing(self, present: set[str]) -> None:
        """Drop entries of files that are gone, so the index does not grow with every renamed record."""
        for name in [name for name in self.entries if name not in present and not os.path.exists(name)]:
            del self.entries[name]
            self.changed = True

    def flush(self) -> None:
        if self.path is None or not self.changed:
            return
        columns: dict[str, list] = {name: [] for name in _COLUMNS}
        texts: list[bytes] = []
        offset = 0
        for name, entry in self.entries.items():
            if self._facts(entry) is None:
                continue  # an odd entry read from disk: dropped, its record is read again
            key, division, positions, observations = entry
            text = bytes(self.observations[observations[0]:observations[1]]) if type(observations) is list else observations
            for column, value in zip(_COLUMNS, (name, key, division, positions, [offset, offset + len(text)])):
                columns[column].append(value)
            texts.append(text)
            offset += len(text)
        # json.dumps escapes newlines inside strings: the entries are one line.
        body = json.dumps(columns, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n" + b"".join(texts)
        header = json.dumps({"format": FORMAT, "sha256": hashlib.sha256(body).hexdigest()}).encode("utf-8")
        if not write_cache_bytes(self.path, header + b"\n" + body):
            self.path = None  # a read-only or odd cache folder only costs speed
            return
        self.changed = False
