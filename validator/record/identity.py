"""Id paths: things in a record named by what they are, not where they stand.

A JSON pointer names a place by list position (`/relations/33/part`); inserting an item above it
names another thing. An id path names list items by their `id` (`relations[micro-wish-subset].part`),
so reordering, inserting or removing other items changes nothing. An item without an id is named by
its position (`relations[#33]`), which is as fragile as a pointer and is shown as such.
"""

from __future__ import annotations

import re

_SEGMENT = re.compile(r"\[(?P<item>[^\]]*)\]|\.?(?P<key>[A-Za-z_][A-Za-z0-9_]*)")
# An id as the schema allows it (validator/models/types.py, Id); anything else is named by position.
_VALID_ID = re.compile(r"[a-z0-9][a-z0-9_.-]{0,79}")
POSITION_MARK = "#"


def unescape_token(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def element_segment(element: object, index: int) -> str:
    """A list element's part of an id path: `[its-id]`, or `[#index]` where it has no valid id."""
    element_id = element.get("id") if isinstance(element, dict) else None
    if isinstance(element_id, str) and _VALID_ID.fullmatch(element_id):
        return f"[{element_id}]"
    return f"[{POSITION_MARK}{index}]"


def id_path(pointer: str, data: object) -> str:
    """`/observations/3/value` -> `observations[poor-households-2014].value` in this record's data.

    A list element is named by its `id` where it has a string one, else by its position (`[#2]`).
    """
    path = ""
    node = data
    for token in pointer.split("/")[1:]:
        token = unescape_token(token)
        if isinstance(node, list) and token.isdigit():
            element = node[int(token)] if int(token) < len(node) else None
            path += element_segment(element, int(token))
            node = element
        else:
            token = token if len(token) <= 80 else token[:77] + "..."  # a key the schema refuses may be any length
            path += f".{token}" if path else token
            node = node.get(token) if isinstance(node, dict) else None
    return path


def parse_id_path(path: str) -> list[tuple[str, str]] | None:
    """[('key', 'relations'), ('item', 'micro-wish-subset'), ('key', 'part')]; None if it is not an id path."""
    segments: list[tuple[str, str]] = []
    index = 0
    while index < len(path):
        match = _SEGMENT.match(path, index)
        if match is None or (match["key"] is not None and index > 0 and path[index] != "."):
            return None
        if match["key"] is not None:
            segments.append(("key", match["key"]))
        elif match["item"]:
            segments.append(("item", match["item"]))
        else:
            return None
        index = match.end()
    return segments or None


def pointer_of(path: str, data: object, ids: dict[int, dict[object, list[int]]] | None = None) -> str | None:
    """The JSON pointer an id path names in this record's data; None where nothing (or no one thing) has it.

    `ids` keeps each list's positions by id between calls on the same data, so that naming many of a
    list's items costs one pass over it, not one each.
    """
    segments = parse_id_path(path)
    if segments is None:
        return None
    pointer = ""
    node = data
    for kind, name in segments:
        if kind == "key":
            if not isinstance(node, dict) or name not in node:
                return None
            pointer, node = f"{pointer}/{name}", node[name]
            continue
        if not isinstance(node, list):
            return None
        if name.startswith(POSITION_MARK):
            position = name[1:]
            if not position.isdigit() or int(position) >= len(node):
                return None
            index = int(position)
        else:
            matches = _positions_by_id(node, ids).get(name, ())
            if len(matches) != 1:
                return None  # no such id, or two things share it (REF001)
            [index] = matches
        pointer, node = f"{pointer}/{index}", node[index]
    return pointer


def _positions_by_id(items: list, ids: dict[int, dict[object, list[int]]] | None) -> dict[object, list[int]]:
    if ids is not None and id(items) in ids:
        return ids[id(items)]
    positions: dict[object, list[int]] = {}
    for index, element in enumerate(items):
        if isinstance(element, dict) and isinstance(element.get("id"), str):
            positions.setdefault(element["id"], []).append(index)
    if ids is not None:
        ids[id(items)] = positions
    return positions


def is_within(path: str, ancestor: str) -> bool:
    """Whether `path` is `ancestor` or a part of it: `relations[a].part` is within `relations[a]`."""
    return path == ancestor or (path.startswith(ancestor) and path[len(ancestor)] in ".[")


def is_positional(path: str) -> bool:
    """Whether the path names some list item by position, because that item has no id."""
    return f"[{POSITION_MARK}" in path
