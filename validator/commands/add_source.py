"""`county-records add-source`: put a source document into seeds/, unchanged, and describe it in seeds/index.yaml.

How a seed is named: `NNN_HEX.txt` (`.csv` for a CSV table). NNN is the next free number, one more
than the highest number of a file in seeds/ or of an entry of the index, three digits or more; HEX
is the first 16 hexadecimal digits of the file's sha256. (The first five seeds, 000 to 004, carry
an identifier of the collection they came from instead; their names are kept.)

The document is copied byte for byte; the index gets one entry appended as text, so its comments and
layout stay as they were, and the result is read back before anything is written: if it does not
read as the old entries plus the new one, nothing is written. The seed is written first (never over
a file), then the index (atomically); if the index cannot be written, the seed is removed again.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import re
import stat
from datetime import date
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

import yaml

from ..support.atomic import AtomicWriteError, write_atomically, write_text_atomically
from ..load.loader import LoadedDocument, load_text
from ..support.seeds import INDEX_NAME, MAX_SEED_BYTES
from ..load.yaml_scalars import resolve_plain_scalar, yaml11_reading

NAME_HELP = (
    "The copy is named NNN_HEX.txt (.csv for a .csv FILE): NNN the next free number in seeds/, HEX the first "
    "16 hexadecimal digits of the file's sha256."
)
_NUMBERED = re.compile(r"^(\d{3,})_")
_PUBLISHED = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_COUNTY = re.compile(r"^\d{6}$")
HEX_DIGITS = 16


class SourceRefused(Exception):
    """The document is not added; the message says why and what to do."""


class SourceDescription(NamedTuple):
    """What the curator says about the document (the command's options)."""

    title: str
    language: str
    counties: tuple[str, ...]
    publisher: str | None = None
    published: str | None = None
    url: str | None = None
    translated_from: str | None = None
    machine_translated: bool = False


class AddedSource(NamedTuple):
    file: str  # the name inside seeds/
    sha256: str
    record_snippet: str  # the entry to paste into a record's `sources:`


def read_document(path: Path) -> bytes:
    """The bytes of a regular file of UTF-8 text, or SourceRefused saying what it is instead."""
    try:
        # O_NONBLOCK: a pipe named as FILE must not stall the command before fstat says what it is.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise SourceRefused(f"{path} does not exist") from None
    except OSError as err:
        raise SourceRefused(f"{path} cannot be opened: {err.strerror}") from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a pipe, socket or device"
            raise SourceRefused(f"{path} is {kind}, not a regular file; give the document's file")
        if info.st_size > MAX_SEED_BYTES:
            raise SourceRefused(f"{path} is larger than {MAX_SEED_BYTES // (1024 * 1024)} MiB, more than the validator reads of a seed")
        with os.fdopen(os.dup(descriptor), "rb") as handle:
            raw = handle.read(MAX_SEED_BYTES + 1)
    except OSError as err:
        raise SourceRefused(f"{path} cannot be read: {err.strerror}") from None
    finally:
        os.close(descriptor)
    if len(raw) > MAX_SEED_BYTES:
        raise SourceRefused(f"{path} is larger than {MAX_SEED_BYTES // (1024 * 1024)} MiB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        raise SourceRefused(
            f"{path} is not UTF-8 text (byte {err.start + 1}, line {line}); convert it first, e.g. "
            f"`iconv -f GB18030 -t UTF-8` for a Chinese page saved as GBK"
        ) from None
    if not text.strip():
        raise SourceRefused(f"{path} holds no text")
    return raw


def check_description(description: SourceDescription) -> None:
    """Refuse what the index or a record could not hold as given."""
    for field in ("title", "publisher"):
        value = getattr(description, field)
        if value is not None and (not value.strip() or any(c in value for c in "\r\n\t\x00")):
            raise SourceRefused(f"--{field} must be one line of text")
    if description.published is not None:
        match = _PUBLISHED.match(description.published)
        try:
            if not match:
                raise ValueError
            date(int(match[1]), int(match[2] or 1), int(match[3] or 1))
        except ValueError:
            raise SourceRefused(f"--published {description.published}: give a date as YYYY, YYYY-MM or YYYY-MM-DD") from None
    if description.url is not None:
        parts = urlsplit(description.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise SourceRefused(f"--url {description.url}: give the address it was published at, http:// or https://")
    if description.translated_from == description.language:
        raise SourceRefused(f"--translated-from {description.translated_from}: the text is already in that language")
    if description.machine_translated and description.translated_from is None:
        raise SourceRefused("--machine-translated needs --translated-from: the language the text was translated from")
    bad = [code for code in description.counties if not _COUNTY.match(code)]
    if bad or not description.counties:
        raise SourceRefused(f"--county takes a six-digit administrative code, e.g. 430225 (got {', '.join(bad) or 'none'})")


def yaml_string(value: str) -> str:
    """The value as a YAML scalar that YAML 1.2 and 1.1 both read as this string: plain where it can be."""
    plain = yaml.safe_dump(value, allow_unicode=True, width=float("inf")).removesuffix("\n...\n").rstrip("\n")
    if plain == value and resolve_plain_scalar(value) == value and yaml11_reading(value, value) is None:
        return value
    return "'" + value.replace("'", "''") + "'"


def _published_lines(published: str, with_precision: bool) -> list[str]:
    precision = ("year", "month", "day")[published.count("-")]
    shown = published if precision == "year" else f'"{published}"'  # a plain 2019-05-09 is a date to YAML 1.1
    return [f"published: {shown}"] + ([f"published_precision: {precision}"] if with_precision else [])


def _description_lines(description: SourceDescription, for_index: bool) -> list[str]:
    lines = [f"title: {yaml_string(description.title)}"]
    if description.publisher:
        lines.append(f"publisher: {yaml_string(description.publisher)}")
    if description.published:
        lines += _published_lines(description.published, with_precision=for_index)
    if description.url:
        lines.append(f"url: {yaml_string(description.url)}")
    lines.append(f"language: {description.language}")
    if description.translated_from:
        lines.append(f"translated_from: {description.translated_from}")
    if description.machine_translated:
        lines.append("machine_translated: true")
    if for_index:
        lines.append("counties: [" + ", ".join(f'"{code}"' for code in description.counties) + "]")
    return lines


def _entry(lines: list[str], indent: str = "  ") -> str:
    return "".join(f"{indent}{'- ' if i == 0 else '  '}{line}\n" for i, line in enumerate(lines))


def _index_sources(text: str, index_path: Path) -> list | None:
    """The index's `sources:` list, or None where the text does not read as one."""
    document = load_text(text, LoadedDocument(index_path))
    data = document.data if document.usable else None
    return data["sources"] if isinstance(data, dict) and isinstance(data.get("sources"), list) else None


def _existing(seeds_dir: Path, sources: list) -> tuple[int, dict[str, str]]:
    """The highest number in use, and the sha256 of every document in seeds/ or its index -> its name."""
    names = [p.name for p in seeds_dir.iterdir() if p.name != INDEX_NAME]
    names += [s["file"] for s in sources if isinstance(s, dict) and isinstance(s.get("file"), str)]
    numbers = [int(m[1]) for m in map(_NUMBERED.match, names) if m]
    digests = {s["sha256"]: s["file"] for s in sources if isinstance(s, dict) and isinstance(s.get("sha256"), str)}
    for path in seeds_dir.iterdir():
        if path.name != INDEX_NAME and path.is_file() and not path.is_symlink():
            digests.setdefault(hashlib.sha256(path.read_bytes()).hexdigest(), path.name)
    return max(numbers, default=-1), digests


def add_source(document: Path, description: SourceDescription, seeds_dir: Path) -> AddedSource:
    """Copy `document` into seeds_dir under its new name and append its entry to seeds_dir/index.yaml."""
    check_description(description)
    raw = read_document(document)
    digest = hashlib.sha256(raw).hexdigest()
    index_path = seeds_dir / INDEX_NAME
    try:
        index_text = index_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise SourceRefused(f"{index_path} cannot be read: {err}") from None
    sources = _index_sources(index_text, index_path)
    if sources is None:
        raise SourceRefused(f"{index_path} does not read as YAML with a `sources:` list; fix it first")
    highest, digests = _existing(seeds_dir, sources)
    if digest in digests:
        raise SourceRefused(f"{document} is already in seeds/ as {digests[digest]} (the same sha256, {digest}); cite that file")
    number = highest + 1
    suffix = ".csv" if document.suffix.lower() == ".csv" else ".txt"
    name = f"{number:03d}_{digest[:HEX_DIGITS]}{suffix}"
    # The entries' indentation, kept: the least of any list item's (lists inside an entry are deeper).
    indent = min(re.findall(r"^( *)- ", index_text, re.MULTILINE), key=len, default="  ")
    entry = _entry([f"file: {name}", f"sha256: {digest}", *_description_lines(description, for_index=True)], indent)
    new_index = index_text + ("" if index_text.endswith("\n") or not index_text else "\n") + entry
    appended = _index_sources(new_index, index_path) or []
    added = appended[-1] if len(appended) == len(sources) + 1 else {}
    if appended[:-1] != sources or [added.get(key) for key in ("file", "sha256", "title", "publisher")] != [
            name, digest, description.title, description.publisher]:
        raise SourceRefused(f"{index_path} does not end with its `sources:` list, so an entry cannot be appended; add it by hand")
    target = seeds_dir / name
    try:
        write_atomically(target, lambda stream: stream.write(raw), overwrite=False)
    except FileExistsError:
        raise SourceRefused(f"{target} appeared meanwhile; run the command again") from None
    except AtomicWriteError as err:
        raise SourceRefused(str(err)) from None
    try:
        write_text_atomically(index_path, new_index)
    except BaseException as err:
        target.unlink()  # a seed the index does not list would fail the seeds test
        if isinstance(err, AtomicWriteError):
            raise SourceRefused(str(err)) from None
        raise
    snippet = _entry([f"id: s{number:03d}", f"file: seeds/{name}", *_description_lines(description, for_index=False)])
    return AddedSource(name, digest, snippet)


def add_parser(commands: argparse._SubParsersAction) -> None:
    add = commands.add_parser(
        "add-source", help="copy a source document into seeds/, unchanged, and add it to seeds/index.yaml",
        description="Copy FILE (UTF-8 text, or a CSV table) into seeds/ byte for byte, append its entry (with its "
        "sha256) to seeds/index.yaml, and print the entry a record's `sources:` takes. " + NAME_HELP
        + " A document already in seeds/ (the same sha256) is refused.",
    )
    add.add_argument("file", metavar="FILE", help="the document: UTF-8 text (.txt) or a CSV table (.csv)")
    add.add_argument("--title", required=True, help="the headline, or a descriptive title marked as such")
    add.add_argument("--publisher", help="the outlet or publisher as the text names it")
    add.add_argument("--published", metavar="YYYY[-MM[-DD]]", help="the publication date, as precisely as the text allows")
    add.add_argument("--language", required=True, choices=["en", "zh"], help="the language of FILE")
    add.add_argument("--county", action="append", required=True, metavar="CODE",
                     help="six-digit code of a division the document is about (repeat for several); the index lists them")
    add.add_argument("--url", help="where the document was published")
    add.add_argument("--translated-from", choices=["zh"], help="the original language, where FILE is a translation")
    add.add_argument("--machine-translated", action="store_true", help="FILE is a machine translation")
    add.set_defaults(handler=command_add_source)


def command_add_source(options: argparse.Namespace) -> int:
    from ..support.paths import SEEDS_DIR

    description = SourceDescription(
        title=options.title, language=options.language, counties=tuple(options.county), publisher=options.publisher,
        published=options.published, url=options.url, translated_from=options.translated_from,
        machine_translated=options.machine_translated,
    )
    try:
        added = add_source(Path(options.file), description, SEEDS_DIR)
    except SourceRefused as err:
        print(f"county-records: {err}", file=sys.stderr)
        return 1
    print(f"file: seeds/{added.file}")
    print(f"added to seeds/index.yaml with its sha256 {added.sha256}; paste this into the record's `sources:`:\n")
    print(added.record_snippet, end="")
    return 0
