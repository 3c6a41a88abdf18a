"""The published JSON Schema of a major version: its validator, and the typed record it describes.

Pydantic models are the source of truth; `county-records schema` generates the published schema from
them, and a test fails when it is stale. Importing and building the models costs more than a
pre-commit run may spend, so a record is checked against the published schema by jsonschema-rs (JSON
Schema 2020-12 with ECMA-262 patterns, as every editor's validator reads it), and only a record that
fails meets the models, whose errors say what is wrong (validator/structure.py). A test keeps the two
in agreement on every fixture and on fuzzed records.

Besides validity, the schema says what the typed record is made of: each object's fields with their
defaults, which field holds which kind of object, and what minor versions added (`x-since` marks, for
SCHEMA007). `Shape` holds that for one kind of object; it checks nothing.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Iterator, NamedTuple

from ..load.loader import child_pointer
from ..models import SINCE, UNITS_SINCE, VALUES_SINCE


class Shape:
    """One kind of object of the record (Observation, Fund, ...): its fields, defaults and children.

    `children` maps a field to what its value is made of: a Shape, ("list", child), or a tagged union
    ("union", {tag: Shape}, key). `since` and `values_since` hold what minor versions added there.
    """

    __slots__ = ("name", "schema_path", "fields", "defaults", "list_defaults", "children", "since", "values_since", "item_class")

    def __init__(self, name: str, schema_path: Path) -> None:
        self.name = name
        self.schema_path = schema_path
        self.fields: tuple[str, ...] = ()
        self.defaults: dict[str, object] = {}
        self.list_defaults: tuple[str, ...] = ()  # fields whose default is a list: each item gets its own
        self.children: dict[str, object] = {}
        self.since: dict[str, str] = {}
        self.values_since: dict[str, dict[str, str]] = {}
        # The typed record's class for this kind of object (validator/typed.py makes it).
        self.item_class: type | None = None


class Addition(NamedTuple):
    """A field or vocabulary value of a record that a minor version of the schema added."""

    pointer: str
    version: str
    what: str  # "field `period`", "value `leveraged`"
    at_key: bool  # a field is reported at its key, a value at the value


class _Shapes:
    def __init__(self, document: dict, path: Path) -> None:
        self.document = document
        self.path = path
        self.by_name: dict[str, Shape] = {}

    def of_ref(self, reference: str) -> Shape:
        name = reference.rpartition("/")[2]
        if name not in self.by_name:
            shape = self.by_name[name] = Shape(name, self.path)
            self._fill(shape, self.document["$defs"][name])
        return self.by_name[name]

    def root(self) -> Shape:
        shape = self.by_name["CountyRecord"] = Shape("CountyRecord", self.path)
        self._fill(shape, self.document)
        return shape

    def _fill(self, shape: Shape, node: dict) -> None:
        shape.fields = tuple(node.get("properties", {}))
        for name, sub in node.get("properties", {}).items():
            if "default" in sub:
                shape.defaults[name] = sub["default"]
            if SINCE in sub:
                shape.since[name] = sub[SINCE]
            values = _values_since(sub)
            if values:
                shape.values_since[name] = values
            child = self._child(sub)
            if child is not None:
                shape.children[name] = child
        shape.list_defaults = tuple(name for name, default in shape.defaults.items() if isinstance(default, list))

    def _child(self, node: dict) -> object:
        if "$ref" in node:
            return self.of_ref(node["$ref"])
        if node.get("type") == "array" and "items" in node:
            item = self._child(node["items"])
            return ("list", item) if item is not None else None
        discriminator = node.get("discriminator")
        if discriminator:
            by_tag = {tag: self.of_ref(reference) for tag, reference in discriminator["mapping"].items()}
            return ("union", by_tag, discriminator["propertyName"])
        for alternative in node.get("anyOf", ()):  # Optional[X]: X or null
            child = self._child(alternative)
            if child is not None:
                return child
        return None


def _values_since(node: dict) -> dict[str, str]:
    """The vocabulary values added after the first version that a property takes: it, its list's items, or an alternative."""
    found = dict(node.get(VALUES_SINCE, {}))
    for inner in (node.get("items"), *node.get("anyOf", ())):
        if isinstance(inner, dict):
            found.update(_values_since(inner))
    return found


def shape_of_union(child: tuple, value: object) -> Shape | None:
    """The member of a tagged union that a value's tag names."""
    _, by_tag, key = child
    tag = value.get(key) if isinstance(value, dict) else None
    return by_tag.get(tag) if isinstance(tag, str) else None


def _additions(node: object, child: object, pointer: str) -> Iterator[Addition]:
    if isinstance(child, tuple) and child[0] == "list":
        if isinstance(node, list):
            for index, item in enumerate(node):
                yield from _additions(item, child[1], child_pointer(pointer, index))
        return
    if isinstance(child, tuple):
        child = shape_of_union(child, node)
    if not isinstance(child, Shape) or not isinstance(node, dict):
        return
    for key, value in node.items():
        here = child_pointer(pointer, key)
        if key in child.since:
            yield Addition(here, child.since[key], f"field `{key}`", True)
        values = child.values_since.get(key)
        if values:
            items = enumerate(value) if isinstance(value, list) else [(None, value)]
            for index, item in items:
                if isinstance(item, str) and item in values:
                    yield Addition(here if index is None else child_pointer(here, index), values[item], f"value `{item}`", False)
        if key in child.children:
            yield from _additions(value, child.children[key], here)


class PublishedSchema:
    """One published schema: `accepts(data)`, the shapes of its objects, and what minor versions added."""

    def __init__(self, document: dict, path: Path) -> None:
        import jsonschema_rs  # a native validator, imported where a record is first checked

        self.path = path
        self._validator = jsonschema_rs.validator_for(document)
        self.shapes = _Shapes(document, path)
        self.root_shape = self.shapes.root()
        # Units of schema/units.txt added after the first version, by their name.
        self.units_since: dict[str, str] = dict(document.get(UNITS_SINCE, {}))

    def accepts(self, data: object) -> bool:
        try:
            return self._validator.is_valid(data)
        except ValueError:  # a number beyond what the validator holds (a 5,000-digit integer): the models say why
            return False

    def additions(self, data: object) -> Iterator[Addition]:
        """Every field and vocabulary value in `data` that the schema marks as added by a minor version."""
        return _additions(data, self.root_shape, "")

    def fields_at(self, tokens: list[str], data: object) -> tuple[str, ...]:
        """The fields the schema allows in the mapping that `tokens` (a pointer's steps) lead to in `data`."""
        shape: object = self.root_shape
        node = data
        for token in tokens:
            if isinstance(node, list):
                node = node[int(token)] if token.isdigit() and int(token) < len(node) else None
            elif isinstance(node, dict) and isinstance(shape, Shape):
                shape, node = shape.children.get(token), node.get(token)
                if isinstance(shape, tuple) and shape[0] == "list":
                    shape = shape[1]
            else:
                return ()
            if isinstance(shape, tuple) and shape[0] == "union":
                shape = shape_of_union(shape, node)
            if shape is None:
                return ()
        return shape.fields if isinstance(shape, Shape) else ()


@cache
def published_schema(path: Path) -> PublishedSchema:
    return PublishedSchema(json.loads(path.read_text(encoding="utf-8")), path)
