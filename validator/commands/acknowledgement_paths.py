"""`county-records fix-acknowledgements`: rewrite positional acknowledgements to id paths.

An acknowledgement written as `pointer: /relations/33` names whatever stands 34th in `relations`;
inserting a relation above it makes it name another. This command rewrites it to `at:
relations[micro-wish-households-subset]`, first giving the relation an id where it has none (derived
from its kind and first member). It edits the text in place of the two lines concerned, so comments,
key order, quoting, folded text, a byte order mark and every line's own ending stay as they are, and
it writes a file only after re-reading the edited text and checking that its data is the old data
plus exactly those changes.

`at:` and a relation's `id` are schema 1.1. A record that declares 1.0 (or no version this validator
knows) and has positional acknowledgements is refused, unwritten, with a message naming `county-records
migrate --to 1.1`: moving to 1.1 is that command's job, and it rewrites the acknowledgements as part of
it (schema/CHANGELOG.md), so this command never changes a record's declared version behind its back.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

from ..support.atomic import AtomicWriteError, write_atomically
from ..record.identity import id_path, is_positional, parse_id_path, pointer_of
from ..load.loader import LoadedDocument, child_pointer, load_document, load_text
from ..models import SCHEMA_VERSIONS, version_key

# Where an acknowledged place has no id on its way, the lists whose items may be given one here.
LISTS_WITH_OPTIONAL_IDS = ("relations",)
MAX_ID_LENGTH = 80
# The first schema version with `at:` and relation ids.
IDS_SINCE = "1.1"
UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(slots=True)
class Rewrite:
    """What the command did (or, with --check, would do) to one file."""

    display: str
    rewritten: list[tuple[str, str]] = field(default_factory=list)  # (pointer, id path)
    ids_added: list[tuple[str, str]] = field(default_factory=list)  # (pointer of the item, new id)
    left: list[tuple[str, str]] = field(default_factory=list)  # (pointer, why it stays positional)
    error: str | None = None


def _first_member(relation: dict) -> str:
    for key in ("part", "total", "rate"):
        if isinstance(relation.get(key), str):
            return relation[key]
    for key in ("items", "parts"):
        members = relation.get(key)
        if isinstance(members, list) and members and isinstance(members[0], str):
            return members[0]
    pairs = relation.get("pairs")
    if isinstance(pairs, list) and pairs and isinstance(pairs[0], dict) and isinstance(pairs[0].get("rate"), str):
        return pairs[0]["rate"]
    return "relation"


def _new_id(relation: dict, taken: set[str]) -> str:
    kind = str(relation.get("kind", "relation")).replace("_", "-")
    stem = f"{_first_member(relation)}-{kind}"[:MAX_ID_LENGTH]
    candidate, number = stem, 2
    while candidate in taken:
        suffix = f"-{number}"
        candidate, number = stem[:MAX_ID_LENGTH - len(suffix)] + suffix, number + 1
    taken.add(candidate)
    return candidate


def _all_ids(data: object) -> set[str]:
    found: set[str] = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("id"), str):
                found.add(node["id"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


class _Text:
    """The record's text with edits at (line, column) positions, applied last to first."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts = [0]
        for index, char in enumerate(text):
            if char == "\n":
                self.line_starts.append(index + 1)
        self.edits: list[tuple[int, int, str]] = []  # (start, end, replacement)

    def index(self, position: tuple[int, int]) -> int:
        line, column = position
        return self.line_starts[line - 1] + column - 1

    def edited(self) -> str:
        text = self.text
        for start, end, replacement in sorted(self.edits, reverse=True):
            text = text[:start] + replacement + text[end:]
        return text


def _add_id(text: _Text, doc: LoadedDocument, pointer: str, new_id: str) -> None:
    start = text.index(doc.positions[pointer])
    if text.text[start] == "{":
        text.edits.append((start + 1, start + 1, f"id: {new_id}, "))
    else:  # a block mapping: its first key stands at the mapping's position
        indent = " " * (doc.positions[pointer][1] - 1)
        line_end = text.text.find("\n", start)
        newline = "\r\n" if line_end > 0 and text.text[line_end - 1] == "\r" else "\n"  # as the line split in two ends
        text.edits.append((start, start, f"id: {new_id}{newline}{indent}"))


def _replace_pointer(text: _Text, doc: LoadedDocument, entry_pointer: str, pointer_value: str, path: str) -> str | None:
    """Edit `pointer: /x/3` into `at: x[id]`; None, or why the text is not one this command can edit."""
    key_at = text.index(doc.key_positions[f"{entry_pointer}/pointer"])
    value_at = text.index(doc.positions[f"{entry_pointer}/pointer"])
    if not text.text.startswith("pointer", key_at):
        return "the key `pointer` is not written plainly"
    in_flow = text.text[text.index(doc.positions[entry_pointer])] == "{"
    for token in (f'"{pointer_value}"', f"'{pointer_value}'", pointer_value):
        if text.text.startswith(token, value_at):
            break
    else:
        return "the pointer is not written on one line"
    shown = f'"{path}"' if in_flow else path  # brackets are flow indicators inside {...}
    text.edits.append((key_at, key_at + len("pointer"), "at"))
    text.edits.append((value_at, value_at + len(token), shown))
    return None


def expected_data(data: dict, rewrite: Rewrite) -> dict:
    """The record's data as the rewrite leaves it: the new ids, and `at` where `pointer` was."""
    expected = copy.deepcopy(data)
    for pointer, new_id in rewrite.ids_added:
        _, group, index = pointer.split("/")
        item = expected[group][int(index)]
        expected[group][int(index)] = {"id": new_id, **item}
    for entry_pointer, path in rewrite.rewritten:
        index = int(entry_pointer.rpartition("/")[2])
        entry = expected["acknowledged"][index]
        expected["acknowledged"][index] = {("at" if k == "pointer" else k): (path if k == "pointer" else v) for k, v in entry.items()}
    return expected


def load_record(path: Path) -> tuple[LoadedDocument, bytes]:
    """A record as the commands that rewrite it load it, and the bytes its text is written back after.

    The loader reads a file's text without its byte order mark (and reports the mark, YAML009); the
    writers put the mark back, so that a rewrite changes only the lines it edits.
    """
    doc = load_document(path)
    return doc, UTF8_BOM if any(f.code == "YAML009" for f in doc.findings) else b""


def _version_refusal(data: dict) -> str | None:
    """Why `at:` may not be written into the record (its declared version has none), or None."""
    declared = data.get("schema_version")
    if declared not in SCHEMA_VERSIONS:
        return "the file declares no schema_version this validator knows (SCHEMA004, SCHEMA005); fix that first"
    if version_key(declared) < version_key(IDS_SINCE):
        return (f"it declares schema {declared}, which has no `at:`; run `county-records migrate --to {IDS_SINCE}` on it "
                "(that rewrites its acknowledgements as this command would); the file is left as it is")
    return None


def plan(path: Path, display: str) -> tuple[Rewrite, bytes | None]:
    """What to change in one record, and its new bytes (None where nothing changes or it cannot be done)."""
    doc, before_text = load_record(path)
    rewrite, new_text = plan_document(doc, display)
    if new_text is None:
        return rewrite, None
    refusal = _version_refusal(doc.data)
    if refusal is not None:
        rewrite.error, rewrite.rewritten, rewrite.ids_added, rewrite.left = refusal, [], [], []
        return rewrite, None
    return rewrite, before_text + new_text.encode("utf-8")


def plan_document(doc: LoadedDocument, display: str) -> tuple[Rewrite, str | None]:
    """`plan` for a record already loaded (`county-records migrate` loads it once for all its steps)."""
    rewrite = Rewrite(display)
    data = doc.data
    if not doc.usable or not isinstance(data, dict):
        rewrite.error = "the file does not load; run `county-records validate` on it first"
        return rewrite, None
    entries = data.get("acknowledged")
    if not isinstance(entries, list):
        return rewrite, None
    text = _Text(doc.text)
    taken = _all_ids(data)
    named: dict[str, str] = {}  # pointer of an item -> the id it gets
    # This command edits the file as written, so it names places in the loaded document as the loader does
    # (child_pointer), not in the typed record, which may leave items out.
    for i, entry in enumerate(entries):
        own = child_pointer("/acknowledged", i)
        pointer = entry.get("pointer") if isinstance(entry, dict) else None
        if not isinstance(pointer, str) or "at" in entry:
            continue
        if pointer not in doc.positions or not pointer:
            rewrite.left.append((own, "its pointer names nothing in the record (ACK001 or ACK002 says so)"))
            continue
        group, _, rest = pointer[1:].partition("/")
        position = rest.partition("/")[0]
        items = data.get(group)
        if group in LISTS_WITH_OPTIONAL_IDS and isinstance(items, list) and position.isdigit():
            item_pointer, element = child_pointer(child_pointer("", group), position), items[int(position)]
            if isinstance(element, dict) and "id" not in element and item_pointer not in named:
                named[item_pointer] = _new_id(element, taken)
                rewrite.ids_added.append((item_pointer, named[item_pointer]))
                _add_id(text, doc, item_pointer, named[item_pointer])
        with_ids = copy.deepcopy(data)
        for item_pointer, new_id in named.items():
            _, group, index = item_pointer.split("/")
            with_ids[group][int(index)]["id"] = new_id
        path_text = id_path(pointer, with_ids)
        if is_positional(path_text) or parse_id_path(path_text) is None:
            rewrite.left.append((own, f"an item on the way to {pointer} has no id field in the schema"))
            continue
        problem = _replace_pointer(text, doc, own, pointer, path_text)
        if problem:
            rewrite.left.append((own, problem))
            continue
        rewrite.rewritten.append((own, path_text))
    if not rewrite.rewritten:
        # Ids added for an acknowledgement that could not be rewritten are not worth an edit of their own.
        rewrite.ids_added.clear()
        return rewrite, None
    new_text = text.edited()
    reread = load_text(new_text, LoadedDocument(path=doc.path))
    if not reread.usable or reread.data != expected_data(data, rewrite):
        rewrite.error = "the edited text would not hold the same data; edit this file by hand"
        return rewrite, None
    for entry_pointer, path_text in rewrite.rewritten:
        old_pointer = entries[int(entry_pointer.rpartition("/")[2])]["pointer"]
        if pointer_of(path_text, reread.data) != old_pointer:
            rewrite.error = f"{path_text} would not name {old_pointer}; edit this file by hand"
            return rewrite, None
    return rewrite, new_text


def fix_acknowledgements(files: list[tuple[Path, str]], check_only: bool) -> list[Rewrite]:
    rewrites = []
    for path, display in files:
        rewrite, new_bytes = plan(path, display)
        if new_bytes is not None and not check_only:
            try:
                write_atomically(path, lambda stream: stream.write(new_bytes))  # whole or not at all, with the file's permissions
            except AtomicWriteError as err:
                rewrite.error = str(err)
        rewrites.append(rewrite)
    return rewrites
