"""The source documents in seeds/: their index (with checksums) and their text, read once per process.

A record names its source as `seeds/NAME`, and records come from anyone: NAME may be a link to
/etc/passwd, a device, a pipe, a folder or `..`, and a pull request may replace the seeds folder
itself by a link (to `.git`, /proc/self, a folder of its own). A seed is read only when the seeds
folder is a real folder in the repository's root and the seed a regular file in it, neither of them
a link (a link's target is never looked at), and at most MAX_SEED_BYTES long; anything else is
refused without being read, and the refusal says why (QUOTE006). Each is opened without following a
link, relative to the folder opened before it, and the seed checked with fstat, so nothing can be
swapped between check and read.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from functools import cache
from pathlib import Path

from typing import NamedTuple

from ..record.cjk import has_cjk, is_cjk, space_beside_cjk_pattern
from ..load.loader import MAX_FILE_BYTES, LoadedDocument, load_bytes

_WHITESPACE = re.compile(r"\s+")
# Chinese (and Japanese) text has no spaces between words, so a line break or space beside one of its
# characters is no word boundary, only layout.
# Real seeds are tens of KiB; a source many times longer than a long report is refused, not read.
MAX_SEED_BYTES = 8 * 1024 * 1024
INDEX_NAME = "index.yaml"


def fold_whitespace(text: str) -> str:
    """The text as QUOTE001 compares it: each run of whitespace one space, none beside a Chinese character,
    and punctuation of one width (fold_width).

    '4.28万\\n亩' (a source's line break inside a word) and '共有 54 个村' (spaces a typesetter put round a
    number) fold to what a curator quoting them writes: '4.28万亩', '共有54个村'.
    """
    folded = _WHITESPACE.sub(" ", text).strip()
    if not has_cjk(folded) and folded.isascii():
        return folded
    folded = space_beside_cjk_pattern().sub("", folded) if has_cjk(folded) else folded
    return folded.translate(_width_table())


def fold_width(text: str) -> str:
    """Full-width forms and CJK quotation marks as ASCII: '（约）：“两千户”；' is '(约):"两千户";'.

    Copies of one page made by different tools write its punctuation in either width; each character
    folds to one character (NFKC where that is a single character, and “” ‘’ to " '), so a folded
    text keeps its length and a passage's place in the source is still found (SeedText.position_of).
    """
    return text.translate(_width_table())


@cache
def _width_table() -> dict[int, str]:
    import unicodedata

    table = {ord("\u201c"): '"', ord("\u201d"): '"', ord("\u2018"): "'", ord("\u2019"): "'"}
    for code in range(0xFF01, 0xFF5F):  # the full-width forms of ASCII: （），：；！？％０-９Ａ-Ｚ
        folded = unicodedata.normalize("NFKC", chr(code))
        if len(folded) == 1:
            table[code] = folded
    return table


def _folds_to_nothing(text: str, run: re.Match) -> bool:
    """Whether a run of whitespace of the text disappears in fold_whitespace (beside a Chinese character)."""
    before, after = text[run.start() - 1:run.start()], text[run.end():run.end() + 1]
    return is_cjk(before) or is_cjk(after)


class SeedEntry(NamedTuple):
    file: str
    sha256: str


class SeedText:
    """A seed's text as decoded (`raw`), its sha256, and `folded`, the text quotes are compared with.

    `folded` is made on first use: a table source's cells are read from `raw`, and folding a
    60 KB table costs a one-file run more than the rest of its record's checks.
    """

    __slots__ = ("_folded", "actual_sha256", "raw")

    def __init__(self, folded: str | None, actual_sha256: str, raw: str = "") -> None:
        self._folded = folded
        self.actual_sha256 = actual_sha256
        self.raw = raw  # the text as decoded, for the line and column of a passage of `folded`

    @property
    def folded(self) -> str:
        if self._folded is None:
            self._folded = fold_whitespace(self.raw)
        return self._folded

    def raw_offsets(self) -> list[int] | None:
        """Where each character of the folded text stands in the raw one, in one pass (position_of walks the
        text once a character asked for: the site asks for every quoted passage); None if the walk does not
        give the folded text's length."""
        raw = self.raw
        start, end = len(raw) - len(raw.lstrip()), len(raw.rstrip())
        offsets: list[int] = []
        position = start
        for run in _WHITESPACE.finditer(raw, start, end):
            offsets.extend(range(position, run.start()))
            if not _folds_to_nothing(raw, run):
                offsets.append(run.start())
            position = run.end()
        offsets.extend(range(position, end))
        return offsets if len(offsets) == len(self.folded) else None

    def position_of(self, folded_offset: int) -> tuple[int, int]:
        """Line and column (1-based, in characters) in the file of a character of the folded text."""
        lead = len(self.raw) - len(self.raw.lstrip())
        raw_offset = folded_offset + lead
        for run in _WHITESPACE.finditer(self.raw):
            if run.start() > raw_offset:
                break
            if run.start() == 0:
                continue  # the leading run was stripped (it is `lead`)
            if _folds_to_nothing(self.raw, run):
                raw_offset += run.end() - run.start()
            elif run.start() == raw_offset:
                break  # the folded character is this run's one space
            else:
                raw_offset += run.end() - run.start() - 1
        line = self.raw.count("\n", 0, raw_offset) + 1
        return line, raw_offset - (self.raw.rfind("\n", 0, raw_offset) + 1) + 1


class SeedFile(NamedTuple):
    """What reading `seeds/NAME` gave: its text, or that it is missing, or why it was refused unread."""

    text: SeedText | None = None
    missing: bool = False
    refusal: str | None = None  # why the file is not a seed that may be read (QUOTE006)


MISSING = SeedFile(missing=True)


def _open_flags() -> int:
    # O_NONBLOCK: a pipe must not stall the run; O_NOFOLLOW: the checked entry is the opened file.
    return os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def _refusal_of_entry(folder: int, name: str, what: str) -> SeedFile | None:
    """Why the entry `name` of an open folder may not be opened (lstat: a link is never followed), or None."""
    try:
        info = os.stat(name, dir_fd=folder, follow_symlinks=False)
    except FileNotFoundError:
        return MISSING
    except OSError as err:
        return SeedFile(refusal=f"{what} cannot be read ({err.strerror or 'error'})")
    if stat.S_ISLNK(info.st_mode):
        return SeedFile(refusal=f"{what} is a symbolic link, which may lead outside the repository")
    return None


def _open_seeds_folder(seeds_dir: Path) -> int | SeedFile:
    """The seeds folder, opened as the real folder it must be inside the repository's root (seeds_dir's parent)."""
    try:
        root = os.open(seeds_dir.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return MISSING
    try:
        refused = _refusal_of_entry(root, seeds_dir.name, "the seeds folder")
        if refused is not None:
            return refused
        try:
            return os.open(seeds_dir.name, _open_flags() | getattr(os, "O_DIRECTORY", 0), dir_fd=root)
        except OSError as err:
            return SeedFile(refusal=f"the seeds folder cannot be opened as a folder ({err.strerror or 'error'})")
    finally:
        os.close(root)


def read_contained(seeds_dir: Path, name: str, limit: int = MAX_SEED_BYTES) -> bytes | SeedFile:
    """The bytes of seeds_dir/name, or a SeedFile saying it is missing or refused (never read).

    Nothing is resolved: the seeds folder and the seed are looked at with lstat, then opened without
    following a link, each relative to the folder opened before it.
    """
    if "\x00" in name:
        return SeedFile(refusal="its name holds a NUL byte")
    if name in ("", ".", "..") or "/" in name or os.sep in name:
        return SeedFile(refusal="it names a folder (`..`, `.` or a path), not a file in seeds/")
    folder = _open_seeds_folder(seeds_dir)
    if isinstance(folder, SeedFile):
        return folder
    try:
        refused = _refusal_of_entry(folder, name, "it")
        if refused is not None:
            return refused
        try:
            descriptor = os.open(name, _open_flags(), dir_fd=folder)
        except FileNotFoundError:
            return MISSING
        except OSError as err:
            return SeedFile(refusal=f"it cannot be opened ({err.strerror or 'error'})")
    finally:
        os.close(folder)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a pipe, socket or device"
            return SeedFile(refusal=f"it is {kind}, not a regular file")
        if info.st_size > limit:
            return SeedFile(refusal=f"it is larger than {limit // (1024 * 1024)} MiB")
        with os.fdopen(os.dup(descriptor), "rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as err:
        return SeedFile(refusal=f"it cannot be read ({err.strerror or 'error'})")
    finally:
        os.close(descriptor)
    if len(raw) > limit:  # it grew after fstat
        return SeedFile(refusal=f"it is larger than {limit // (1024 * 1024)} MiB")
    return raw


@cache
def read_seed(seeds_dir: Path, name: str) -> SeedFile:
    """The seed seeds_dir/name (a source's `file` without its `seeds/` prefix)."""
    raw = read_contained(seeds_dir, name)
    if isinstance(raw, SeedFile):
        return raw
    decoded = raw.decode("utf-8", errors="replace")
    return SeedFile(SeedText(None, hashlib.sha256(raw).hexdigest(), decoded))


@cache
def seed_index(seeds_dir: Path) -> dict[str, SeedEntry]:
    """seeds/index.yaml as file name -> entry; an unreadable or refused index is an empty one (QUOTE004 then says so)."""
    raw = read_contained(seeds_dir, INDEX_NAME, limit=MAX_FILE_BYTES)
    if isinstance(raw, SeedFile):
        return {}
    document = load_bytes(raw, LoadedDocument(seeds_dir / INDEX_NAME))
    entries: dict[str, SeedEntry] = {}
    data = document.data if document.usable else None
    for item in (data or {}).get("sources", []) if isinstance(data, dict) else []:
        if isinstance(item, dict) and isinstance(item.get("file"), str) and isinstance(item.get("sha256"), str):
            entries[item["file"]] = SeedEntry(item["file"], item["sha256"])
    return entries
