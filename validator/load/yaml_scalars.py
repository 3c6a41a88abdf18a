"""How a plain YAML scalar reads: by the YAML 1.2 core schema (the loader's reading), and how YAML 1.1
would read it differently (YAML003), with a stand-in for numbers longer than any record holds."""

from __future__ import annotations

import re

import yaml

from ..support.slotted import Slotted

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT10 = re.compile(r"^[-+]?[0-9]+$")
_INT8 = re.compile(r"^0o[0-7]+$")
_INT16 = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")
_LEADING_ZERO_INT = re.compile(r"^[-+]?0[0-9]+$")
_YAML11_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_yaml11_resolver = yaml.resolver.Resolver()
# Booleans in the YAML 1.1 spec that PyYAML's resolver leaves out (other 1.1 tools read them).
_YAML11_SHORT_BOOLS = frozenset({"y", "Y", "n", "N"})
# No number of a record (a year) comes near this; Python refuses int() beyond 4,300 digits, and
# converting a million digits would take seconds. Longer plain numbers are not converted at all.
MAX_NUMBER_LENGTH = 100


class LongNumber(Slotted):
    """A plain scalar that reads as a number but is longer than any number a record holds.

    It stands where the number was, unconverted, so that the schema reports it there (no field
    accepts it), and a message can say how long it is without printing it. Not a NamedTuple: walkers
    of loaded data must not take it for a sequence.
    """

    __slots__ = ("length",)

    def __init__(self, length: int) -> None:
        self.length = length

    def __hash__(self) -> int:
        return hash(self._fields())

    def describe(self) -> str:
        return f"a number of {self.length:,} characters, longer than any value of a record"

    __repr__ = __str__ = describe  # what any message that shows the value prints


def resolve_plain_scalar(text: str) -> object:
    """The YAML 1.2 core-schema value of a plain scalar."""
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if len(text) > MAX_NUMBER_LENGTH and (_INT10.match(text) or _INT8.match(text) or _INT16.match(text) or _FLOAT.match(text)):
        return LongNumber(len(text))
    if _INT10.match(text):
        return int(text)
    if _INT8.match(text):
        return int(text[2:], 8)
    if _INT16.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    if _INF.match(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _NAN.match(text):
        return float("nan")
    return text


def yaml11_reading(text: str, value12: object) -> str | None:
    """How YAML 1.1 (PyYAML, many editors) would read this plain scalar, if not as YAML 1.2 does."""
    tag11 = _yaml11_resolver.resolve(yaml.ScalarNode, text, (True, False))
    kind11 = "bool" if text in _YAML11_SHORT_BOOLS else tag11.rsplit(":", 1)[-1]
    if tag11 == _YAML11_TIMESTAMP:
        return None  # dates are strings here by design; see docs/yaml.md
    kind12 = {type(None): "null", bool: "bool", int: "int", float: "float", str: "str"}[type(value12)]
    if kind11 != kind12:
        return kind11
    if kind11 == "int" and _LEADING_ZERO_INT.match(text):
        return "octal int"
    return None


# Plain words that YAML 1.1 or 1.2 read as something other than a string.
WORDS_WITH_MEANING = frozenset(
    word
    for base in ("null", "true", "false", "yes", "no", "on", "off", "y", "n")
    for word in (base, base.capitalize(), base.upper())
)
KIND_NAMES = {type(None): "null", bool: "a boolean", int: "an integer", float: "a number", str: "a string"}
KIND_NAMES_11 = {"bool": "a boolean", "int": "an integer", "float": "a number", "str": "a string",
                  "null": "null", "octal int": "an octal integer"}
