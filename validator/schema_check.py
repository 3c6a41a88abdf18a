"""The published JSON Schema, compiled once per process into a yes/no check and a typed view of records.

Pydantic models are the source of truth: `county-records schema` generates the published schema from
them, and a test fails when it is stale. Building the models costs more than validating a record,
though, so the hot path does not: it checks a record against the published schema (the subset of
JSON Schema that pydantic writes for our models: types, properties, required, additionalProperties,
$ref, anyOf, oneOf, enum, const, pattern, lengths, bounds) and reads the record through `RecordView`,
which gives attribute access with the schema's defaults, as the models would. Only a record that
fails the check meets pydantic, whose errors name what is wrong (validator/structure.py). A test
asserts that this check and the models agree on every fixture, record and fuzzed variation. The
compiled schema also lists what minor versions added in a record (`additions`), from the schema's
x-since marks, for rule SCHEMA007.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Callable, Iterator, NamedTuple

from .loader import child_pointer
from .models import SINCE, UNITS_SINCE, VALUES_SINCE

Check = Callable[[object], bool]


def _is_integer(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_TYPE_TESTS: dict[str, Callable[[object], bool]] = {
    "string": lambda v: isinstance(v, str),
    "integer": _is_integer,
    "number": lambda v: (isinstance(v, (int, float)) and not isinstance(v, bool)),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


class _Compiler:
    """Turns schema nodes into check functions; $refs are compiled once and shared (recursion-safe)."""

    def __init__(self, document: dict) -> None:
        self.document = document
        self.by_ref: dict[str, Check] = {}

    def ref(self, reference: str) -> Check:
        if reference not in self.by_ref:
            holder: list[Check] = []
            self.by_ref[reference] = lambda value: holder[0](value)  # filled below; allows cycles
            node = self.document
            for token in reference.removeprefix("#/").split("/"):
                node = node[token]
            holder.append(self.compile(node))
        return self.by_ref[reference]

    def compile(self, node: dict) -> Check:
        checks: list[Check] = []
        if "$ref" in node:
            checks.append(self.ref(node["$ref"]))
        if "type" in node:
            test = _TYPE_TESTS[node["type"]]
            checks.append(test)
        if "const" in node:
            constant = node["const"]
            checks.append(lambda v, c=constant: type(v) is type(c) and v == c)
        if "enum" in node:
            allowed = frozenset(node["enum"])
            checks.append(lambda v, a=allowed: isinstance(v, str) and v in a)
        if "pattern" in node:
            search = re.compile(node["pattern"]).search
            checks.append(lambda v, s=search: not isinstance(v, str) or s(v) is not None)
        if "minLength" in node or "maxLength" in node:
            low, high = node.get("minLength", 0), node.get("maxLength", float("inf"))
            checks.append(lambda v, lo=low, hi=high: not isinstance(v, str) or lo <= len(v) <= hi)
        if "minimum" in node or "maximum" in node:
            low, high = node.get("minimum", float("-inf")), node.get("maximum", float("inf"))
            checks.append(lambda v, lo=low, hi=high: not _TYPE_TESTS["number"](v) or lo <= v <= hi)
        if "minItems" in node:
            least = node["minItems"]
            checks.append(lambda v, n=least: not isinstance(v, list) or len(v) >= n)
        if "items" in node:
            item = self.compile(node["items"])
            checks.append(lambda v, c=item: not isinstance(v, list) or all(c(x) for x in v))
        if "properties" in node or "required" in node or node.get("additionalProperties") is False:
            checks.append(self._object(node))
        if "anyOf" in node:
            alternatives = [self.compile(n) for n in node["anyOf"]]
            checks.append(lambda v, alts=alternatives: any(c(v) for c in alts))
        if "oneOf" in node:
            checks.append(self._one_of(node))
        if len(checks) == 1:
            return checks[0]
        return lambda v, cs=tuple(checks): all(c(v) for c in cs)

    def _object(self, node: dict) -> Check:
        properties = {name: self.compile(sub) for name, sub in node.get("properties", {}).items()}
        required = tuple(node.get("required", ()))
        closed = node.get("additionalProperties") is False

        def check(value: object) -> bool:
            if not isinstance(value, dict):
                return True  # `type` says whether it must be an object
            if any(name not in value for name in required):
                return False
            for key, item in value.items():
                property_check = properties.get(key)
                if property_check is None:
                    if closed:
                        return False
                elif not property_check(item):
                    return False
            return True

        return check

    def _one_of(self, node: dict) -> Check:
        discriminator = node.get("discriminator")
        if discriminator:  # pydantic's tagged union: the tag picks the one alternative
            name = discriminator["propertyName"]
            by_tag = {tag: self.ref(reference) for tag, reference in discriminator["mapping"].items()}
            return lambda v: isinstance(v, dict) and isinstance(v.get(name), str) and v[name] in by_tag and by_tag[v[name]](v)
        alternatives = [self.compile(n) for n in node["oneOf"]]
        return lambda v: sum(1 for c in alternatives if c(v)) == 1


class _Shape:
    """What a view needs of one object schema: each property's default and how to view its value.

    It also keeps what minor versions added there: the version of each property added after the
    first (`since`), and of each vocabulary value a property takes that was added later (`values_since`).
    """

    __slots__ = ("defaults", "children", "name", "schema_path", "fields", "since", "values_since")

    def __init__(self, name: str, schema_path: Path) -> None:
        self.name = name
        self.schema_path = schema_path
        self.fields: tuple[str, ...] = ()
        self.defaults: dict[str, object] = {}
        self.children: dict[str, object] = {}  # property -> _Shape, ("list", shape), ("union", {tag: shape}, key)
        self.since: dict[str, str] = {}
        self.values_since: dict[str, dict[str, str]] = {}


class Addition(NamedTuple):
    """A field or vocabulary value of a record that a minor version of the schema added."""

    pointer: str
    version: str
    what: str  # "field `period`", "value `leveraged`"
    at_key: bool  # a field is reported at its key, a value at the value


class Section(list):
    """A top-level list of a record some of whose items were left out: each item keeps its position."""

    __slots__ = ("positions",)

    def __init__(self, items: list, positions: list[int]) -> None:
        super().__init__(items)
        self.positions = positions


def positioned(items: list) -> Iterator[tuple[int, object]]:
    """(position in the record's file, item), as enumerate() gives them where no item was left out."""
    return zip(items.positions, items) if isinstance(items, Section) else enumerate(items)


class RecordView:
    """A record (or a part of it) read like the models: attributes, with the schema's defaults."""

    __slots__ = ("_data", "_shape", "_positions")

    def __init__(self, data: dict, shape: _Shape, positions: dict[str, list[int]] | None = None) -> None:
        self._data = data
        self._shape = shape
        self._positions = positions  # only a record's root, where list items were left out

    def __getattr__(self, name: str) -> object:
        shape = self._shape
        if name in self._data:
            value = _viewed(self._data[name], shape.children.get(name))
            if self._positions is not None and name in self._positions:
                return Section(value, self._positions[name])
            return value
        if name in shape.defaults:
            default = shape.defaults[name]
            return [] if default == [] else default
        raise AttributeError(f"{shape.name} has no field {name!r}")

    def __repr__(self) -> str:
        return f"{self._shape.name}({self._data!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RecordView) and self._data == other._data

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self):  # views travel from worker processes: rebuilt from the data and the shape's name
        return (_rebuild_view, (self._data, self._shape.schema_path, self._shape.name, self._positions))


def _viewed(value: object, child: object) -> object:
    if child is None or value is None:
        return value
    if isinstance(child, _Shape):
        return RecordView(value, child) if isinstance(value, dict) else value
    kind = child[0]
    if kind == "list":
        shape = child[1]
        return [_viewed(item, shape) for item in value] if isinstance(value, list) else value
    # a tagged union
    _, by_tag, key = child
    if isinstance(value, dict) and isinstance(value.get(key), str) and value[key] in by_tag:
        return RecordView(value, by_tag[value[key]])
    return value


class _Shapes:
    def __init__(self, document: dict, path: Path) -> None:
        self.document = document
        self.path = path
        self.by_name: dict[str, _Shape] = {}

    def of_ref(self, reference: str) -> _Shape:
        name = reference.rpartition("/")[2]
        if name not in self.by_name:
            shape = self.by_name[name] = _Shape(name, self.path)
            self._fill(shape, self.document["$defs"][name])
        return self.by_name[name]

    def root(self) -> _Shape:
        shape = self.by_name["CountyRecord"] = _Shape("CountyRecord", self.path)
        self._fill(shape, self.document)
        return shape

    def _fill(self, shape: _Shape, node: dict) -> None:
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


def _additions(node: object, child: object, pointer: str) -> Iterator[Addition]:
    if isinstance(child, tuple) and child[0] == "list":
        if isinstance(node, list):
            for index, item in enumerate(node):
                yield from _additions(item, child[1], child_pointer(pointer, index))
        return
    if isinstance(child, tuple):  # a tagged union: the tag picks the shape
        _, by_tag, key = child
        tag = node.get(key) if isinstance(node, dict) else None
        child = by_tag.get(tag) if isinstance(tag, str) else None
    if not isinstance(child, _Shape) or not isinstance(node, dict):
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


class CompiledSchema:
    """One published schema: `accepts(data)`, `view(data)`, and what its minor versions added (`additions`)."""

    def __init__(self, document: dict, path: Path) -> None:
        self.accepts: Check = _Compiler(document).compile(document)
        self.shapes = _Shapes(document, path)
        self.root_shape = self.shapes.root()
        # Units of schema/units.txt added after the first version, by their name.
        self.units_since: dict[str, str] = dict(document.get(UNITS_SINCE, {}))

    def additions(self, data: object) -> Iterator[Addition]:
        """Every field and vocabulary value in `data` that the schema marks as added by a minor version."""
        return _additions(data, self.root_shape, "")

    def view(self, data: dict, positions: dict[str, list[int]] | None = None) -> RecordView:
        return RecordView(data, self.root_shape, positions)

    def fields_at(self, tokens: list[str], data: object) -> tuple[str, ...]:
        """The fields the schema allows in the mapping that `tokens` (a pointer's steps) lead to in `data`."""
        shape: object = self.root_shape  # a _Shape, or what a list's items are (a _Shape or a tagged union)
        node = data
        for token in tokens:
            if isinstance(node, list):
                node = node[int(token)] if token.isdigit() and int(token) < len(node) else None
            elif isinstance(node, dict) and isinstance(shape, _Shape):
                shape, node = shape.children.get(token), node.get(token)
                if isinstance(shape, tuple) and shape[0] == "list":
                    shape = shape[1]
            else:
                return ()
            if isinstance(shape, tuple) and shape[0] == "union" and isinstance(node, dict):
                tag = node.get(shape[2])
                shape = shape[1].get(tag) if isinstance(tag, str) else None
            if shape is None:
                return ()
        return shape.fields if isinstance(shape, _Shape) else ()


@cache
def compiled_schema(path: Path) -> CompiledSchema:
    return CompiledSchema(json.loads(path.read_text(encoding="utf-8")), path)


def _rebuild_view(data: dict, schema_path: Path, shape_name: str, positions: dict | None) -> RecordView:
    return RecordView(data, compiled_schema(schema_path).shapes.by_name[shape_name], positions)
