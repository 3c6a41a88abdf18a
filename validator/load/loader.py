"""Load one YAML record safely, keeping the position of every value.

The loader walks libyaml's event stream itself instead of letting PyYAML construct objects:
that is what makes it safe (no tags, no Python objects), bounded (depth, size, no alias
expansion) and exact about positions (a map from JSON pointer to 1-based line and column).
A problem in the input is a finding, never an exception.

Scalars resolve by the YAML 1.2 core schema (`yes` is a string, `0755` is 755); a plain scalar
that YAML 1.1 would read differently is reported (YAML003) so that no reading is silently chosen.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import yaml

from ..support.findings import Finding
from ..support.paths import repository_of
from ..support.slotted import Slotted
from ..support.text import clip
from .yaml_syntax import syntax_error_finding
from .yaml_scalars import KIND_NAMES, KIND_NAMES_11, WORDS_WITH_MEANING, LongNumber, resolve_plain_scalar, yaml11_reading

try:  # libyaml's C parser: the fast path; the pure-Python parser gives the same events
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 40

Position = tuple[int, int]


def escape_pointer_token(token: str | int) -> str:
    text = str(token)
    if "~" in text or "/" in text:
        return text.replace("~", "~0").replace("/", "~1")
    return text


def child_pointer(parent: str, token: str | int) -> str:
    return f"{parent}/{escape_pointer_token(token)}"


class LoadedDocument(Slotted):
    """The result of loading one file: data (None when unusable), positions and findings."""

    __slots__ = ("path", "data", "positions", "key_positions", "findings", "text")

    def __init__(self, path: Path, data: object = None, positions: dict[str, Position] | None = None,
                 key_positions: dict[str, Position] | None = None, findings: list[Finding] | None = None,
                 text: str = "") -> None:
        self.path = path
        self.data = data
        self.positions = {} if positions is None else positions
        self.key_positions = {} if key_positions is None else key_positions
        self.findings = [] if findings is None else findings
        self.text = text

    @property
    def usable(self) -> bool:
        """Whether later steps may read the data: no finding of a code the catalogue marks `stops`.

        Not `data is not None`: a file holding only `~` or `---` must reach the schema (SCHEMA006).
        """
        # Imported here: the catalogue's rule modules import the pipeline steps, this one among them.
        from ..rules import RULE_BY_CODE

        return not any(RULE_BY_CODE[f.code].stops for f in self.findings)


def _position(mark) -> Position:
    return (mark.line + 1, mark.column + 1)


def _byte_position(raw: bytes, offset: int) -> Position:
    """Line and column (in characters, as editors count them) of a byte offset."""
    line_start = raw.rfind(b"\n", 0, offset) + 1
    return raw.count(b"\n", 0, offset) + 1, len(raw[line_start:offset].decode("utf-8", errors="replace")) + 1


def _text_position(text: str, index: int) -> Position:
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def _decode(raw: bytes, doc: LoadedDocument) -> str | None:
    if raw.startswith(b"\xef\xbb\xbf"):
        doc.findings.append(Finding.of("YAML009", "the file starts with a UTF-8 byte order mark; save it as UTF-8 without BOM", line=1, column=1))
        raw = raw[3:]
    if b"\x00" in raw:
        line, column = _byte_position(raw, raw.index(b"\x00"))
        doc.findings.append(Finding.of("YAML015", "the file holds binary data (a NUL byte); a record is UTF-8 text", line=line, column=column))
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line, column = _byte_position(raw, err.start)
        doc.findings.append(Finding.of("YAML008", f"the file is not valid UTF-8 (byte 0x{raw[err.start]:02x}); save it as UTF-8", line=line, column=column))
        return None


def _opener(follow_links: bool):
    # O_NONBLOCK: a named pipe called x.yaml would otherwise stall the run until something writes to it.
    # O_NOFOLLOW (where the caller has resolved links itself): the file checked is the file read.
    flags = getattr(os, "O_NONBLOCK", 0) | (0 if follow_links else getattr(os, "O_NOFOLLOW", 0))
    return lambda path, mode: os.open(path, mode | flags)


def read_bounded(path: Path | str, follow_links: bool = True) -> bytes | Finding:
    """A record file's bytes, or the finding that says why they are not read (not regular, too large)."""
    try:
        with open(path, "rb", opener=_opener(follow_links)) as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise OSError(0, "it is not a regular file (a pipe or a device)")
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        return Finding.of("YAML016", f"the file cannot be read: {clip(err.strerror or err)}", line=1, column=1)
    return too_large() if len(raw) > MAX_FILE_BYTES else raw


def too_large() -> Finding:
    return Finding.of("YAML007", f"the file is larger than {MAX_FILE_BYTES // 1024} KiB; split it or check that it is a record", line=1, column=1)


def load_document(path: Path) -> LoadedDocument:
    doc = LoadedDocument(path=path)
    if _links_out_of_its_repository(path):
        doc.findings.append(Finding.of(
            "YAML017", "the file is a symbolic link that leads out of its repository; it is not read "
            "(a record is a file inside the repository: copy it in, or link to one inside)", line=1, column=1))
        return doc
    raw = read_bounded(path)
    if isinstance(raw, Finding):
        doc.findings.append(raw)
        return doc
    return load_bytes(raw, doc)


def _links_out_of_its_repository(path: Path) -> bool:
    """A record that is a link (as a pull request can add one) to a file outside the repository it sits in.

    Reading it would put another file's lines (/etc/passwd, a key) into findings and CI logs. Only the
    file itself is looked at, one lstat, as git tracks links only as files; a record outside any
    repository is the user's own choice and is read.
    """
    if not os.path.islink(path):
        return False
    repository = repository_of(path)
    if repository is None:
        return False
    real, inside = os.path.realpath(path), os.path.realpath(repository)
    try:
        return os.path.commonpath([real, inside]) != inside
    except ValueError:  # no common path at all (another drive): outside
        return True


def load_bytes(raw: bytes, doc: LoadedDocument) -> LoadedDocument:
    """Load a file's bytes, read (at most MAX_FILE_BYTES of them) by read_bounded or the like."""
    text = _decode(raw, doc)
    if text is None:
        return doc
    doc.text = text
    return load_text(text, doc)


def load_text(text: str, doc: LoadedDocument) -> LoadedDocument:
    builder = _TreeBuilder(doc)
    # libyaml drops a last line of spaces without a line break, which in a block scalar is content
    # (yaml-test-suite JEF9, L24T); given the break it reads the line as the spec does.
    ends_in_spaces = text.endswith(" ") and not text[text.rfind("\n") + 1:].strip(" ")
    try:
        builder.run(text + "\n" if ends_in_spaces else text)
    except yaml.MarkedYAMLError as err:
        if err.problem == LIBYAML_NESTING_PROBLEM:
            # libyaml >= 0.2.6 refuses flow nesting past 1,000 while it scans ahead, before it emits the
            # events that would have reached our limit: find where the nesting passed ours.
            mark = err.problem_mark or err.context_mark
            index = _flow_limit_index(text, builder.last_index, len(builder.stack))
            line, column = _text_position(text, index) if index is not None else _position(mark) if mark else (1, 1)
            doc.findings.append(Finding.of("YAML006", _TOO_DEEP, line=line, column=column))
        else:
            doc.findings.append(syntax_error_finding(text, err))
        doc.data = None
    except yaml.reader.ReaderError as err:  # a control character; libyaml's offset is in bytes, so find the character
        index = text.find(chr(err.character)) if isinstance(err.character, int) else -1
        line, column = _text_position(text, index) if index >= 0 else (1, 1)
        doc.findings.append(Finding.of("YAML001", f"YAML syntax error: character U+{err.character:04X} is not allowed ({err.reason})", line=line, column=column))
        doc.data = None
    except yaml.YAMLError as err:
        doc.findings.append(Finding.of("YAML001", f"YAML syntax error: {clip(err)}", line=1, column=1))
        doc.data = None
    except _StopLoading:
        doc.data = None
    return doc


# What libyaml 0.2.6 (PyYAML 6.0.4 wheels) says when flow nesting passes its own limit of 1,000.
LIBYAML_NESTING_PROBLEM = "exceeded maximum nesting depth"
_TOO_DEEP = f"nesting is deeper than {MAX_DEPTH} levels; a record never needs that"
_FLOW_OPENERS = frozenset("[{")
_FLOW_CLOSERS = frozenset("]}")
# A quoted scalar starts a node; inside a plain scalar (`it's`) a quote is just a character.
_QUOTE_MAY_FOLLOW = frozenset("[{,: \t\n")


def _flow_limit_index(text: str, start: int, depth: int) -> int | None:
    """The index of the flow opener after `start` that takes `depth` open containers past MAX_DEPTH.

    Scans flow text as YAML does for nesting: brackets and braces count, quoted scalars and comments
    do not. None if the nesting never passes the limit (then libyaml's own position is used).
    """
    index, end = start, len(text)
    while index < end:
        char = text[index]
        if char in _FLOW_OPENERS:
            if depth >= MAX_DEPTH:
                return index
            depth += 1
        elif char in _FLOW_CLOSERS:
            depth -= 1
        elif char == "'" and (index == 0 or text[index - 1] in _QUOTE_MAY_FOLLOW):
            index = text.find("'", index + 1)
            while index != -1 and text.startswith("''", index):
                index = text.find("'", index + 2)
            if index == -1:
                return None
        elif char == '"' and (index == 0 or text[index - 1] in _QUOTE_MAY_FOLLOW):
            index += 1
            while index < end and text[index] != '"':
                index += 2 if text[index] == "\\" else 1
        elif char == "#" and (index == 0 or text[index - 1] in " \t\n"):
            index = text.find("\n", index)
            if index == -1:
                return None
        index += 1
    return None


class _StopLoading(Exception):
    """Raised inside the builder once a finding makes the rest of the file meaningless."""


class _Frame(Slotted):
    __slots__ = ("container", "pointer", "pending_key", "pending_pointer", "key_lines")

    def __init__(self, container: dict | list, pointer: str, pending_key: str | None = None,
                 pending_pointer: str = "", key_lines: dict[str, int] | None = None) -> None:
        self.container = container
        self.pointer = pointer
        self.pending_key = pending_key
        self.pending_pointer = pending_pointer
        self.key_lines = {} if key_lines is None else key_lines


def _events(text: str):
    """The parser's events; yaml.parse without its per-event check_event round trip."""
    parser = _Loader(text)
    try:
        get_event = parser.get_event
        while True:
            event = get_event()
            if event is None:
                return
            yield event
            if type(event) is yaml.StreamEndEvent:
                return
    finally:
        parser.dispose()


class _TreeBuilder:
    """Builds plain dicts, lists and scalars from parser events, iteratively (no recursion)."""

    def __init__(self, doc: LoadedDocument) -> None:
        self.doc = doc
        self.stack: list[_Frame] = []
        self.documents = 0
        self.last_index = 0  # where the last event ended: libyaml's depth error is found from here

    def fail(self, code: str, message: str, mark) -> None:
        line, column = _position(mark)
        self.doc.findings.append(Finding.of(code, message, line=line, column=column))
        raise _StopLoading

    def run(self, text: str) -> None:
        root_seen = False
        for event in _events(text):
            self.last_index = event.end_mark.index
            kind = type(event)
            if kind is yaml.DocumentStartEvent:
                self.documents += 1
                if self.documents > 1:
                    self.fail("YAML012", "the file holds more than one YAML document; a record is exactly one", event.start_mark)
                continue
            if kind in (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent):
                continue
            if kind is yaml.AliasEvent:
                self.fail("YAML004", f"alias *{clip(event.anchor)}: anchors and aliases are not allowed in records; write the value out", event.start_mark)
            if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                frame = self.stack.pop()
                if not self.stack:
                    self.doc.data = frame.container
                continue
            if getattr(event, "anchor", None):
                self.fail("YAML004", f"anchor &{clip(event.anchor)}: anchors and aliases are not allowed in records; write the value out", event.start_mark)
            tag = getattr(event, "tag", None)
            if tag == "!":
                # YAML 1.2 makes `! 12` the string "12"; PyYAML and tools built on it the number 12.
                self.fail("YAML005", "the tag `!` is not allowed: YAML 1.2 reads `! 12` as the text \"12\", "
                          "other tools as the number 12; quote the value (\"12\") if it is text, or delete the `!`", event.start_mark)
            if tag is not None:
                self.fail("YAML005", f"tag {clip(tag)} is not allowed: records hold plain data only", event.start_mark)
            if kind is yaml.ScalarEvent:
                if not event.style and text[event.start_mark.index - 1:event.start_mark.index] == "?":
                    # `{?x: 1}`: YAML 1.2 reads the key "?x", libyaml the key "x" (yaml-test-suite 652Z).
                    self.fail("YAML001", f"`?{clip(event.value)}` in brackets or braces: YAML 1.2 reads the text "
                              f"\"?{clip(event.value)}\", libyaml drops the `?`; quote it", event.start_mark)
                value, reading = self.scalar_value(event)
                if not self.stack:
                    root_seen = True
                    self.doc.data = value
                    self.doc.positions[""] = _position(event.start_mark)
                    pointer = ""
                else:
                    pointer = self.add(value, event)
                if reading is not None:
                    self.report_ambiguity(event, value, reading, pointer)
                continue
            # A mapping or sequence starts.
            if len(self.stack) >= MAX_DEPTH:
                self.fail("YAML006", _TOO_DEEP, event.start_mark)
            container: dict | list = {} if kind is yaml.MappingStartEvent else []
            if self.stack:
                pointer = self.add(container, event)
            else:
                root_seen = True
                pointer = ""
                self.doc.positions[""] = _position(event.start_mark)
            self.stack.append(_Frame(container, pointer))
        if not root_seen:
            self.doc.findings.append(Finding.of("YAML011", "the file is empty; a record is a YAML mapping starting with schema_version", line=1, column=1))

    def scalar_value(self, event) -> tuple[object, str | None]:
        """The scalar's value, and how YAML 1.1 would read it where that differs."""
        plain = event.style in (None, "") and event.implicit[0]
        if not plain:
            return event.value, None
        text = event.value
        # Fast path for most scalars (keys, names, quotes): text that starts with a letter is a string
        # in both YAML versions unless it is one of the few words either reads as null or boolean.
        if text[:1].isalpha() and text not in WORDS_WITH_MEANING:
            return text, None
        value = resolve_plain_scalar(text)
        if isinstance(value, LongNumber):
            return value, None  # refused whatever YAML 1.1 would make of it
        return value, yaml11_reading(text, value)

    def report_ambiguity(self, event, value: object, reading: str, pointer: str) -> None:
        shown = KIND_NAMES.get(type(value), type(value).__name__)
        line, column = _position(event.start_mark)
        self.doc.findings.append(Finding.of("YAML003",
            f"`{clip(event.value)}` is {shown} in YAML 1.2 (used here) but {KIND_NAMES_11.get(reading, reading)} in YAML 1.1; "
            "quote it if you mean text, or write the number unambiguously",
            pointer=pointer, line=line, column=column,
        ))

    def add(self, value: object, event) -> str:
        """Attach a value to the open container; return its pointer."""
        frame = self.stack[-1]
        position = _position(event.start_mark)
        if isinstance(frame.container, list):
            pointer = child_pointer(frame.pointer, len(frame.container))
            frame.container.append(value)
            self.doc.positions[pointer] = position
            return pointer
        if frame.pending_key is None:
            if not isinstance(value, (str, int, float, bool, LongNumber)) and value is not None:
                self.fail("YAML014", "a mapping key must be a plain scalar", event.start_mark)
            key = event.value if isinstance(event, yaml.ScalarEvent) else str(value)
            if key == "<<" and event.style in (None, ""):
                self.fail("YAML013", "merge keys (<<) are not allowed in records; write the keys out", event.start_mark)
            if key in frame.key_lines:
                self.doc.findings.append(Finding.of("YAML002",
                    f"duplicate key `{clip(key)}`: first at line {frame.key_lines[key]}, again at line {position[0]}; YAML loaders "
                    "silently keep only one: delete one of the two, or rename this one if it is another field",
                    line=position[0], column=position[1],
                ))
            else:
                frame.key_lines[key] = position[0]
            frame.pending_key = key
            frame.pending_pointer = key_pointer = child_pointer(frame.pointer, key)
            self.doc.key_positions[key_pointer] = position
            return key_pointer
        key = frame.pending_key
        frame.pending_key = None
        pointer = frame.pending_pointer  # the key's pointer is the value's
        if key not in frame.container:
            frame.container[key] = value
            self.doc.positions[pointer] = position
        return pointer
