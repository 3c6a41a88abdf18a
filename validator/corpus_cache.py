"""The corpus index: what corpus rules read of every record, kept between runs so a one-file run sees them all.

`validate FILE` (as the pre-commit hook runs it) checks the given files, and its corpus rules
(duplicate codes, conflicting values, outliers) compare them with every other record of the
repository. Reading all of those on every commit would make the hook as slow as a full run, so what
corpus rules need of each record (validator/corpus.py: its division and a few facts per observation)
is kept in a file in the user's cache folder, beside the unit cache: a header with the sha256 of the
entries, then the entries (see CorpusCache). A file whose entries do not match their sha256 (damaged,
or edited since it was written), or whose counts and spans are not what this module writes, is dropped
whole and its records read again; an entry is used only for a file whose size, modification time,
inode and device are those it was made from. The file is keyed
by the validator's version and the contract it reads (units, vocabulary, published schema), so a
change to either starts afresh. It is written once per run, atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from array import array
from operator import le
from pathlib import Path

from . import __version__
from .user_cache import cache_folder, read_cache_bytes, write_cache_bytes
from .corpus import DIVISION_POINTERS, CorpusFacts, ObservationFact
from .paths import SCHEMA_DIR, UNITS_FILE

# 6: a JSON header, then names, divisions and numbers in sections (see CorpusCache), then the observations
# of every record as JSON texts one after another: a run parses the entries and only the observations a
# rule reads (a one-file run among 2,000 reads a few).
FORMAT = 6
MAX_CACHE_BYTES = 64 * 1024 * 1024
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


_file_keys: dict[str, tuple[int, ...] | None] = {}  # one stat per file and run: listing, identity and index share it


def forget_file_keys() -> None:
    """End of a run: the next one stats every file afresh (files change between runs of one process)."""
    _file_keys.clear()


def file_key(path: Path | str, entry: os.DirEntry | None = None) -> tuple[int, ...] | None:
    """What says a file is unchanged since its entry was made: size, modification time, inode, device.
    `entry`: the file's directory entry where its folder was just listed (its stat follows a link, as os.stat does)."""
    name = os.fspath(path)
    if name not in _file_keys:
        try:
            info = entry.stat() if entry is not None else os.stat(path)
        except OSError:
            _file_keys[name] = None
        else:
            _file_keys[name] = (info.st_size, info.st_mtime_ns, info.st_ino, info.st_dev)
    return _file_keys[name]


def _decoded(encoded: str | bytes | memoryview) -> list[ObservationFact]:
    try:
        observations = json.loads(bytes(encoded) if isinstance(encoded, memoryview) else encoded)
        if not all(map(_typed_as_written, observations)):
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


_NUMBER_TYPES = (float, int)  # JSON reads a whole float back as an int


def _typed_as_written(item: list) -> bool:
    """Whether a decoded observation holds the types _entry_of writes. A hand-made index with a matching
    sha256 can hold others, and a rule would then fail on them (a label that is a list, a bound that is text).
    Raises TypeError or ValueError where it is not a sequence of the twelve fields."""
    pointer, metric, label, when, source, value_text, low, high, dimensionality, line, column, path = item
    return (type(pointer) is str and type(metric) is str and type(when) is str and type(value_text) is str
            and type(path) is str and (label is None or type(label) is str) and (source is None or type(source) is str)
            and type(low) in _NUMBER_TYPES and type(high) in _NUMBER_TYPES and type(line) is int and type(column) is int
            and type(dimensionality) is list and all(type(pair) is list and len(pair) == 2 and type(pair[0]) is str
                                                     for pair in dimensionality))


def _entry_of(facts: CorpusFacts) -> tuple[list, list[int], bytes]:
    """What the index keeps of freshly read facts: the division, its positions flat, the observations as JSON."""
    division = [facts.level, facts.code, facts.name_en, facts.name_zh, facts.province, facts.prefecture]
    positions = [n for pointer in DIVISION_POINTERS for n in facts.division_positions[pointer]]
    observations = json.dumps([
        [getattr(o, name) if name != "dimensionality" else [list(d) for d in o.dimensionality] for name in _FACT_FIELDS]
        for o in facts.observations
    ], ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return division, positions, observations


_POSITIONS = 2 * len(DIVISION_POINTERS)
_KEY = 4
# Per record in the numbers section: its file key, the division's positions, its observations' span.
_NUMBERS = _KEY + _POSITIONS + 2
_SPAN = _KEY + _POSITIONS
# git's "racy entry" rule: a file modified this recently may be written again within its timestamp's
# tick (1-2 s on ext3, HFS+, FAT) without its key changing, so its entry is not kept; the next run
# reads it again. A clock behind the file system's makes such records be read again for longer; one
# ahead of it narrows the window, down to trusting the key alone, as without the rule.
RACY_NS = 3 * 10**9
_LIMIT = 2 ** 64  # numbers are stored unsigned, 8 bytes each; a record with one outside is not kept
# A file name that is not UTF-8 (bytes os.listdir gives as lone surrogates) is kept as it is listed:
# encoded and decoded with surrogatepass, it is the same string on the next run, and writing it never fails.
_NAMES_ERRORS = "surrogatepass"


def _keepable(name: str, division: list, numbers: list[int]) -> bool:
    """Whether an entry survives the index's encoding: strings joined by NUL, numbers as unsigned 64-bit."""
    return "\0" not in name and not any("\0" in value for value in division if value) and all(0 <= n < _LIMIT for n in numbers)


class CorpusCache:
    """Facts by absolute path, each with the file key it was made from.

    On disk (format 6), after the JSON header, three sections: the records' names, NUL-joined; their
    divisions (six strings each, an empty one for none), NUL-joined; and their numbers (file key,
    division positions, the span of their observations' text) as unsigned 64-bit integers; then the
    observations' texts. A hook run among 2,000 records parses this in a millisecond (JSON of the same
    took five), and its shape needs no check per entry: the counts and spans are checked whole, and an
    index whose counts or spans are off is dropped. In memory, disk entries are rows of those
    sections; records read this run are kept apart (`fresh`) until the index is written.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.rows: dict[str, int] = {}
        self.keys: list[tuple[int, ...]] = []
        self.divisions: list[str] = []
        self.numbers = array("Q")
        self.observations: memoryview = memoryview(b"")
        self.fresh: dict[str, tuple[tuple[int, ...], list, list[int], bytes]] = {}
        self.changed = False
        if path is not None:
            self._read(path)

    def _read(self, path: Path) -> None:
        """The entries, if the file is one this module wrote: its header's sha256 matches what follows it."""
        try:
            raw = read_cache_bytes(path, MAX_CACHE_BYTES)  # a pipe or device at its name is no index
            if raw is None:
                return
            header_end = raw.find(b"\n")
            if header_end < 0:
                return
            header = json.loads(raw[:header_end])
            if not isinstance(header, dict) or header.get("format") != FORMAT or header.get("byteorder") != sys.byteorder:
                return
            # Views, not copies: the index of a national corpus is megabytes, read on every hook run.
            body = memoryview(raw)[header_end + 1:]
            if header.get("sha256") != hashlib.sha256(body).hexdigest():
                return  # damaged or edited since it was written: rebuilt
            count, names_size, divisions_size = header.get("records"), header.get("names"), header.get("divisions")
            if not all(type(n) is int and n >= 0 for n in (count, names_size, divisions_size)):
                return
            numbers_end = names_size + divisions_size + 8 * _NUMBERS * count
            if numbers_end > len(body):
                return
            names = str(body[:names_size], "utf-8", _NAMES_ERRORS).split("\0") if count else []
            divisions = str(body[names_size:names_size + divisions_size], "utf-8", _NAMES_ERRORS).split("\0") if count else []
            numbers = array("Q")
            numbers.frombytes(body[names_size + divisions_size:numbers_end])
        except (OSError, ValueError, RecursionError):
            return  # absent or unreadable: start afresh
        observations = body[numbers_end:]
        starts, ends = numbers[_SPAN::_NUMBERS], numbers[_SPAN + 1::_NUMBERS]
        if len(names) != count or len(set(names)) != count or len(divisions) != 6 * count:
            return  # not what flush writes (only a hand-made index with a matching sha256): rebuilt
        if not all(map(le, starts, ends)) or max(ends, default=0) > len(observations):
            return
        if "" in divisions[0::6] or "" in divisions[1::6]:  # every record has a level and a code
            return
        self.rows = dict(zip(names, range(count)))
        self.keys = list(zip(*(numbers[i::_NUMBERS] for i in range(_KEY))))
        self.divisions, self.numbers, self.observations = divisions, numbers, observations

    def get(self, name: str, key: tuple[int, ...] | None) -> CorpusFacts | None:
        """The facts of the file at `name` (an absolute path) if its entry was made from the file as it is (`key`)."""
        row = self.rows.get(name)
        if row is None or key is None or self.keys[row] != key:
            return None
        division, positions, observations = self._stored(row)
        division[5] = division[5] or None  # the prefecture, where the record names one
        return CorpusFacts.indexed(division, positions, observations, _decoded)

    def _stored(self, row: int) -> tuple[list[str], array, memoryview]:
        """A disk entry's division (as stored), positions and observations' text, as views where they can be."""
        start = _NUMBERS * row
        numbers = self.numbers
        return (self.divisions[6 * row:6 * row + 6], numbers[start + _KEY:start + _SPAN],
                self.observations[numbers[start + _SPAN]:numbers[start + _SPAN + 1]])

    def put(self, name: str, key: tuple[int, ...] | None, facts: CorpusFacts | None) -> None:
        if self.rows.pop(name, None) is not None:
            self.changed = True
        if key is None or facts is None or key[1] >= time.time_ns() - RACY_NS:
            if self.fresh.pop(name, None) is not None:
                self.changed = True
            return
        self.fresh[name] = (key, *_entry_of(facts))
        self.changed = True

    def forget_missing(self, present: set[str]) -> None:
        """Drop entries of files that are gone, so the index does not grow with every renamed record."""
        for entries in (self.rows, self.fresh):
            for name in [name for name in entries if name not in present and not os.path.exists(name)]:
                del entries[name]
                self.changed = True

    def _entries(self):
        """(name, key, division, positions, observations' text) of every entry, read from disk or this run."""
        for name, row in self.rows.items():
            division, positions, observations = self._stored(row)
            yield name, self.keys[row], division, positions.tolist(), bytes(observations)
        for name, (key, division, positions, text) in self.fresh.items():
            yield name, key, ["" if value is None else value for value in division], positions, text

    def flush(self) -> None:
        if self.path is None or not self.changed:
            return
        names: list[str] = []
        divisions: list[str] = []
        numbers = array("Q")
        texts: list[bytes] = []
        offset = 0
        for name, key, division, positions, text in self._entries():
            entry_numbers = [*key, *positions, offset, offset + len(text)]
            if not _keepable(name, division, entry_numbers):
                continue  # read again on every run instead; real records never get here
            names.append(name)
            divisions.extend(division)
            numbers.extend(entry_numbers)
            texts.append(text)
            offset += len(text)
        names_bytes = "\0".join(names).encode("utf-8", _NAMES_ERRORS)
        divisions_bytes = "\0".join(divisions).encode("utf-8", _NAMES_ERRORS)
        body = names_bytes + divisions_bytes + numbers.tobytes() + b"".join(texts)
        header = json.dumps({"format": FORMAT, "byteorder": sys.byteorder, "records": len(names), "names": len(names_bytes),
                             "divisions": len(divisions_bytes), "sha256": hashlib.sha256(body).hexdigest()}).encode("utf-8")
        if not write_cache_bytes(self.path, header + b"\n" + body):
            self.path = None  # a read-only or odd cache folder only costs speed
            return
        self.changed = False

    def names(self) -> list[str]:
        """The names of every entry (for tests and diagnostics)."""
        return [*self.rows, *self.fresh]
