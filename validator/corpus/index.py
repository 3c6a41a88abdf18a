"""The corpus index: what corpus rules read of every record, kept between runs so a one-file run sees them all.

`validate FILE` (as the pre-commit hook runs it) checks the given files, and its corpus rules
(duplicate codes, conflicting values, outliers) compare them with every other record of the
repository. Reading all of those on every commit would make the hook as slow as a full run, so what
corpus rules need of each record (validator/corpus.py: its division and a few facts per observation)
is kept in an SQLite database in the user's cache folder, beside the unit cache, as mypy keeps its
cache (`mypy/metastore.py`). Look at it with `sqlite3 FILE 'select * from records'`:

- `records`: a row per record file, keyed by its absolute path: the file's identity when it was read
  (size, mtime_ns, inode, device: see `file_key`), its division, the line and column of each division
  field, and its observations as JSON (decoded only where a rule reads them);
- `meta`: the contract the rows were made under. PRAGMA user_version is the layout of the tables.

An entry is used only for a file whose identity is the one stored. The database is named by the
validator's version and the contract it reads (units, vocabulary, published schema) and by the
repository, and it says the same inside: one of another contract or layout is not read. It is never
changed in place: a run that changes it writes a whole new one and renames it over the old, so a
reader never waits on a lock or sees half a write, two runs that race each leave a whole index (the
last one's), and a damaged file at its name is simply replaced. Anything wrong with the file (not a
database, truncated, other tables, other types in a column) makes it an empty index, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import stat
import time
from pathlib import Path
from urllib.parse import quote

from .. import __version__
from ..support.user_cache import cache_folder
from .facts import DIVISION_POINTERS, CorpusFacts, ObservationFact
from ..support.paths import SCHEMA_DIR, UNITS_FILE

SCHEMA_VERSION = 1  # the tables' layout, kept in PRAGMA user_version
MAX_CACHE_BYTES = 64 * 1024 * 1024  # a national corpus's index is about 10 MB; a larger file is not read

# The records table, column by column. Each is NOT NULL but the prefecture (a record may name none).
# The path is stored as os.fsencode gives it: a file name need not be UTF-8.
_IDENTITY = ("size", "mtime_ns", "inode", "device")
_DIVISION = ("level", "code", "name_en", "name_zh", "province", "prefecture")
_POSITIONS = tuple(f"{pointer.rsplit('/', 1)[1]}_{part}" for pointer in DIVISION_POINTERS for part in ("line", "column"))
_COLUMNS = {"path": "BLOB", **dict.fromkeys(_IDENTITY, "INTEGER"), **dict.fromkeys(_DIVISION, "TEXT"),
            **dict.fromkeys(_POSITIONS, "INTEGER"), "observations": "TEXT"}
_NULLABLE = {"prefecture"}
_CREATE_RECORDS = "CREATE TABLE records ({}, PRIMARY KEY (path))".format(
    ", ".join(f"{name} {kind}" + ("" if name in _NULLABLE else " NOT NULL") for name, kind in _COLUMNS.items()))


def _holds_its_type(name: str, kind: str) -> str:
    """SQL: whether a column holds the type written to it (or NULL, where it may)."""
    check = f"typeof({name}) = '{kind.lower()}'"
    return f"({check} OR {name} IS NULL)" if name in _NULLABLE else check


# SQLite keeps any type in any column; a row whose values are not the types written here (a database
# made by hand, or damaged) is not used, and its record is read again.
_SELECT_RECORDS = "SELECT {} FROM records WHERE {}".format(
    ", ".join(_COLUMNS), " AND ".join(_holds_its_type(name, kind) for name, kind in _COLUMNS.items()))
_KEY = slice(1, 1 + len(_IDENTITY))  # where a row's parts are, in _COLUMNS order
_DIVISION_AT = slice(_KEY.stop, _KEY.stop + len(_DIVISION))
_POSITIONS_AT = slice(_DIVISION_AT.stop, _DIVISION_AT.stop + len(_POSITIONS))

# An observation in the JSON of the observations column: a list of these fields.
_FACT_FIELDS = ("pointer", "metric", "label", "when", "source", "value_text", "low", "high", "dimensionality", "line", "column", "path")
_DIMENSIONALITY = _FACT_FIELDS.index("dimensionality")

# git's "racy entry" rule: a file can be written again within its modification time's tick (1-2 s on
# ext3, HFS+, FAT) keeping its size, so its identity would not change and its stale entry would be
# trusted. A file modified this recently is therefore not kept; the next run reads it again. (A clock
# ahead of the file system's narrows the window; one behind it only makes such files read again longer.)
RACY_NS = 3 * 10**9


def _contract_key() -> str:
    digest = hashlib.sha256(__version__.encode())
    for path in (UNITS_FILE, Path(__file__).parent.parent / "models" / "metrics.tsv", *sorted(SCHEMA_DIR.glob("v*/*.json"))):
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
    return folder / f"corpus-{_contract_key()}-{where}.sqlite3"


def file_key(path: Path | str) -> tuple[int, ...] | None:
    """What says a file is unchanged since its entry was made: size, modification time, inode, device.
    Stat'ed afresh on every call: a key cached by an earlier command would make an outdated entry look current."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns, info.st_ino, info.st_dev


def _decoded(encoded: str) -> list[ObservationFact]:
    try:
        observations = json.loads(encoded)
        if not all(map(_typed_as_written, observations)):
            return []
        return [
            ObservationFact(*item[:_DIMENSIONALITY], tuple((name, float(power)) for name, power in item[_DIMENSIONALITY]),
                            *item[_DIMENSIONALITY + 1:])
            for item in observations
        ]
    except (TypeError, ValueError, RecursionError):
        # Not the JSON this module writes (only a database made by hand gets here): the record's
        # observations are then not compared this run; its own file is still checked.
        return []


_NUMBER_TYPES = (float, int)  # JSON reads a whole float back as an int


def _typed_as_written(item: list) -> bool:
    """Whether a decoded observation holds the types _row_of writes; a rule would fail on others (a label
    that is a list, a bound that is text). Raises TypeError or ValueError where it is not a sequence of the twelve fields."""
    pointer, metric, label, when, source, value_text, low, high, dimensionality, line, column, path = item
    return (type(pointer) is str and type(metric) is str and type(when) is str and type(value_text) is str
            and type(path) is str and (label is None or type(label) is str) and (source is None or type(source) is str)
            and type(low) in _NUMBER_TYPES and type(high) in _NUMBER_TYPES and type(line) is int and type(column) is int
            and type(dimensionality) is list and all(type(pair) is list and len(pair) == 2 and type(pair[0]) is str
                                                     for pair in dimensionality))


def _row_of(name: str, key: tuple[int, ...], facts: CorpusFacts) -> tuple:
    """A records row (in _COLUMNS order) for freshly read facts."""
    positions = [n for pointer in DIVISION_POINTERS for n in facts.division_positions[pointer]]
    observations = json.dumps([
        [getattr(o, field) if field != "dimensionality" else [list(d) for d in o.dimensionality] for field in _FACT_FIELDS]
        for o in facts.observations
    ], ensure_ascii=False, separators=(",", ":"))
    return (os.fsencode(name), *key, facts.level, facts.code, facts.name_en, facts.name_zh, facts.province,
            facts.prefecture, *positions, observations)


def _read_rows(path: Path, contract: str) -> list[tuple]:
    """The rows of the database at `path`; none where it is absent, not a database this module wrote
    under `contract`, or not a regular file."""
    try:
        # lstat, not stat: a link is not followed (to /dev/zero, it would be read forever), and a pipe or
        # device is never opened (opening a pipe blocks until something writes to it).
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_CACHE_BYTES:
            return []
        # Read-only; immutable: the file is never changed in place (see flush), so SQLite takes no lock
        # and looks for no journal: a run never waits for another.
        connection = sqlite3.connect(f"file:{quote(os.fsencode(path))}?mode=ro&immutable=1", uri=True)
        try:
            if connection.execute("PRAGMA user_version").fetchone() != (SCHEMA_VERSION,):
                return []
            if connection.execute("SELECT value FROM meta WHERE key = 'contract'").fetchall() != [(contract,)]:
                return []
            return connection.execute(_SELECT_RECORDS).fetchall()
        finally:
            connection.close()
    except (OSError, sqlite3.Error):  # not a database, damaged, or tables of another shape
        return []


def _write_database(path: str, rows: list[tuple], contract: str) -> None:
    """A new database at `path` (an empty file) holding `rows`, in one transaction."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode = OFF")  # nobody reads this file until it is renamed into place
        connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        connection.execute("INSERT INTO meta VALUES ('contract', ?)", (contract,))
        connection.execute(_CREATE_RECORDS)
        insert = f"INSERT INTO records VALUES ({', '.join('?' * len(_COLUMNS))})"
        for row in rows:
            try:
                connection.execute(insert, row)
            except (UnicodeEncodeError, OverflowError):
                pass  # text SQLite cannot take (a lone surrogate) or a number beyond 64 bits: read again every run
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        connection.commit()
    finally:
        connection.close()


class CorpusCache:
    """Facts by absolute path, each with the file key it was made from: the rows read from the
    database, and those of records read this run (`fresh`), kept apart until the index is written."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.contract = _contract_key()
        self.rows: dict[str, tuple] = {os.fsdecode(row[0]): row for row in _read_rows(path, self.contract)} if path is not None else {}
        self.fresh: dict[str, tuple] = {}
        self.changed = False

    def get(self, name: str, key: tuple[int, ...] | None) -> CorpusFacts | None:
        """The facts of the file at `name` (an absolute path) if its entry was made from the file as it is (`key`)."""
        row = self.rows.get(name)
        if row is None or key is None or row[_KEY] != key:
            return None
        return CorpusFacts.indexed(list(row[_DIVISION_AT]), row[_POSITIONS_AT], row[-1], _decoded)

    def put(self, name: str, key: tuple[int, ...] | None, facts: CorpusFacts | None) -> None:
        """Keep the facts read from the file at `name`; `key` is its file key taken before it was read."""
        if self.rows.pop(name, None) is not None:
            self.changed = True
        if key is None or facts is None or key[1] >= time.time_ns() - RACY_NS:
            if self.fresh.pop(name, None) is not None:
                self.changed = True
            return
        self.fresh[name] = _row_of(name, key, facts)
        self.changed = True

    def forget_missing(self, present: set[str]) -> None:
        """Drop entries of files that are gone, so the index does not grow with every renamed record."""
        for entries in (self.rows, self.fresh):
            for name in [name for name in entries if name not in present and not os.path.exists(name)]:
                del entries[name]
                self.changed = True

    def flush(self) -> None:
        """Write the index, if anything changed, as a new database renamed over the old one."""
        if self.path is None or not self.changed:
            return
        import tempfile  # here: a warm hook run writes nothing, and tempfile costs it random, shutil, weakref

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp")
            os.close(descriptor)
            try:
                _write_database(temporary, [*self.rows.values(), *self.fresh.values()], self.contract)
                os.replace(temporary, self.path)  # replaces the entry itself: a link or pipe at the name is not followed
            finally:
                with contextlib.suppress(FileNotFoundError):  # renamed into place
                    os.unlink(temporary)
        except (OSError, sqlite3.Error):
            self.path = None  # a read-only or odd cache folder only costs speed
            return
        self.changed = False

    def names(self) -> list[str]:
        """The names of every entry (for tests and diagnostics)."""
        return [*self.rows, *self.fresh]
