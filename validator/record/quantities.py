"""Quantities as curators write them: '41,165,200 yuan', '1.34 million yuan', '3 wan yuan', '16.57 %', '4.28万亩'.

A parsed quantity knows what its number can mean as written: `98.92 %` means [98.915, 98.925],
`105,700` may be rounded to the hundred, `more than 10,000` is a lower bound. Rules compare these
intervals, so a relation fails only when no reading of the stated numbers satisfies it.
The number is read by numbers.py, as QUOTE002 reads the numbers of a quote; units come from one pint
registry built from `schema/units.txt`.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from functools import cache, lru_cache
from typing import NamedTuple

# MAX_DIGITS, SCALE_WORDS and rounding_half_width belong to numbers.py; the parser's users import them from here too.
from .number_idioms import FEW_SUFFIXES
from .numbers import MAX_DIGITS, SCALE_WORDS, VALUE, Overlong, WrittenNumber, number_at, rounding_half_width, step_of  # noqa: F401
from ..support.paths import UNITS_FILE
from ..support.slotted import Slotted
from ..support.text import clip
from .unit_cache import unit_cache

# "about 30,000": how far an approximate figure may be from the truth, as a fraction. Set here only.
APPROXIMATE_TOLERANCE = 0.10

_SPACES = re.compile(r"\s*")

# Bounds on a number as written, far beyond any statistic a county or province states (see rule UNIT005):
# no figure needs more than 20 digits (numbers.MAX_DIGITS), and none exceeds 10^15 in base units (yuan,
# person, m, g, W, year). Within them every value, sum and product is a finite float, so no interval ever
# holds infinity or NaN.
MAX_BASE_EXPONENT = 15
MAX_BASE_MAGNITUDE = 10.0 ** MAX_BASE_EXPONENT


class QuantityError(ValueError):
    """A quantity string that cannot be read; the message says what to write instead."""


class QuantityOutOfRange(QuantityError):
    """A quantity with more digits, or a larger magnitude, than any real statistic has."""


class UnitInfo(NamedTuple):
    canonical: str
    dimensionality: tuple[tuple[str, float], ...]  # sorted (dimension, exponent) pairs
    to_base: float  # magnitude in base units of one of this unit

    def describe_dimension(self) -> str:
        return describe_dimensionality(self.dimensionality)


def describe_dimensionality(dimensionality: tuple[tuple[str, float], ...]) -> str:
    if not dimensionality:
        return "dimensionless (a ratio such as percent)"
    parts = []
    for name, exponent in dimensionality:
        name = name.strip("[]")
        parts.append(name if exponent == 1 else f"{name}^{exponent:g}")
    return " * ".join(parts)


@cache
def unit_registry():
    """One pint registry, built once from the published units file."""
    import pint  # imported here: only runs that meet a unit pay for it

    return pint.UnitRegistry(str(UNITS_FILE), autoconvert_offset_to_baseunit=False)


# A unit expression: names joined by * and /, each with an optional small integer power. Anything
# else never reaches pint, whose expression evaluator would compute a power tower like m^(9^9^9).
# A name is ASCII, or Chinese characters (亩, 平方米: schema/units.txt defines them as aliases).
_NAME = r"(?:[A-Za-z_][A-Za-z0-9_]*|[\u4e00-\u9fff]+)"
_UNIT_NAME = rf"(?:{_NAME}|%)(?:\s*(?:\^|\*\*)\s*-?[1-9])?"
_ASCII_NAME = r"(?:[A-Za-z_][A-Za-z0-9_]*)"
_ASCII_UNIT_NAME = rf"(?:{_ASCII_NAME}|%)(?:\s*(?:\^|\*\*)\s*-?[1-9])?"
_ASCII_UNIT_EXPRESSION = re.compile(rf"^{_ASCII_UNIT_NAME}(?:\s*[*/]\s*{_ASCII_UNIT_NAME})*$")


@cache
def _unit_expression() -> re.Pattern[str]:
    """The full pattern, with Chinese names: compiled only for a unit that is not ASCII (slow to compile)."""
    return re.compile(rf"^{_UNIT_NAME}(?:\s*[*/]\s*{_UNIT_NAME})*$")


def _is_unit_expression(text: str) -> bool:
    return bool((_ASCII_UNIT_EXPRESSION if text.isascii() else _unit_expression()).match(text))
# pint's look-up of an unknown name grows faster than its length (a 100,000-character name: 90 s);
# the longest real unit expression is a few words.
MAX_UNIT_CHARS = 100
_UNKNOWN_UNIT_HELP = "use a unit from schema/units.txt, e.g. households, yuan, mu, km, %, yuan/person/year"


@cache
def unit_names() -> tuple[str, ...]:
    """Every name and alias schema/units.txt defines (with plural forms, as pint accepts them)."""
    names: list[str] = []
    for line in UNITS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "=" not in line or line.startswith("@"):
            continue
        parts = [part.strip() for part in line.split("=")]
        for index, part in enumerate(parts):
            if part and part != "_" and (index == 0 or index >= 2) and re.fullmatch(rf"{_NAME}|%", part):
                names.extend([part, f"{part}s"] if index == 0 and not part.endswith("s") else [part])
    return tuple(dict.fromkeys(names))


def _closest_units(text: str) -> str:
    """'; did you mean `households`?' for each unknown name in an expression, where one is close."""
    import difflib

    suggestions = []
    for name in re.findall(_NAME, text):
        if name not in unit_names():
            suggestions += difflib.get_close_matches(name, unit_names(), n=1, cutoff=0.7)
    return f"; did you mean {', '.join(f'`{s}`' for s in dict.fromkeys(suggestions))}?" if suggestions else ""


@lru_cache(maxsize=4096)
def parse_unit(text: str) -> UnitInfo:
    if len(text) > MAX_UNIT_CHARS or not _is_unit_expression(text):
        raise QuantityError(f"`{clip(text)}` is not a unit expression: {_UNKNOWN_UNIT_HELP}")
    cached = unit_cache().get(text)
    pint_loaded = unit_registry.cache_info().currsize > 0
    if cached is not None and not pint_loaded:
        return UnitInfo(*cached)
    registry = unit_registry()
    try:
        unit = registry.parse_units(text.replace("^", "**"))
        base = registry.Quantity(1, unit).to_base_units()
    except Exception as err:  # pint raises many error types for a bad expression; all mean the same here
        raise QuantityError(f"unknown unit `{clip(text)}`{_closest_units(text)}: {_UNKNOWN_UNIT_HELP}") from err
    info = UnitInfo(
        canonical=str(unit),
        dimensionality=tuple(sorted((str(k), float(v)) for k, v in unit.dimensionality.items())),
        to_base=float(base.magnitude),
    )
    answer = (info.canonical, info.dimensionality, info.to_base)
    if cached is not None and cached != answer:
        unit_cache().discard()  # pint, loaded anyway, contradicts the cache: none of it is trusted
    unit_cache().put(text, answer)
    return info


class ParsedQuantity(NamedTuple):
    """A stated number (with its scale word applied) and its unit."""

    text: str  # as written, shortened to an excerpt where long: messages quote it
    number_text: str  # the number as written before a single scale word: '1.34', '5 million 700 thousand', 'fifty-four'
    scale_word: str | None
    number: Decimal  # the number with the scale applied, in `unit`
    half_width: Decimal  # half the last written place, with the scale applied
    unit: UnitInfo
    unscaled: Decimal  # number_text's value, before the scale word: 1.34 of '1.34 million'
    written: str  # the number with its scale word as written, shortened: '4.28万', '1.34 million'
    unit_text: str = ""  # the unit as written: '亩', 'yuan/person/year'
    # Where the value is written as the source writes a number it gives as 'more than N, below the next
    # step' (40多人, 4700余户, 1.2万余人; schema 1.2): the step, with the scale applied. None otherwise.
    few_step: Decimal | None = None

    @property
    def base_value(self) -> float:
        return float(self.number) * self.unit.to_base

    def in_unit_of(self, other: UnitInfo) -> float:
        return float(self.number) * self.unit.to_base / other.to_base


def scan_quantity(text: str) -> tuple[WrittenNumber | Overlong, str] | None:
    """The number a quantity string starts with (read as numbers.py reads any number) and its unit text;
    None where it has no leading number.

    One pass, each character looked at a bounded number of times: a value made of a million spaces
    costs what any million characters cost. Whitespace is Unicode whitespace (str.isspace), as in a
    regular expression's \\s; the unit runs to the end of the text, less trailing whitespace, and may not
    hold a line break.
    """
    start = _SPACES.match(text).end()
    number = number_at(text, start, VALUE)
    if number is None:
        return None
    unit_text = text[_SPACES.match(text, number.end).end():].rstrip()
    if "\n" in unit_text:
        return None
    return number, unit_text


@lru_cache(maxsize=65536)
def parse_quantity(text: str) -> ParsedQuantity:
    scanned = scan_quantity(text)
    if scanned is None:
        raise QuantityError(f"`{clip(text)}` is not a number followed by a unit, e.g. '8,164 households' or '1.34 million yuan'")
    number, unit_text = scanned
    few_step, scale_word, value, unscaled = None, None, None, None
    if unit_text[:1] in FEW_SUFFIXES and isinstance(number, WrittenNumber):
        few_step = step_of(number.number_text, number.unscaled) * (SCALE_WORDS[number.scale_word] if number.scale_word else 1)
        unit_text = unit_text[1:].lstrip()
        if number.scale_word is None and unit_text[:1] in ("万", "亿"):
            scale_word = unit_text[0]
            few_step, value = few_step * SCALE_WORDS[scale_word], number.value * SCALE_WORDS[scale_word]
            unit_text = unit_text[1:].lstrip()
    if not unit_text:
        raise QuantityError(f"`{clip(text)}` has no unit: write one, e.g. '{clip(number.number_text)} households'")
    if isinstance(number, Overlong):
        raise QuantityOutOfRange(
            f"`{clip(number.number_text)}` has {number.digits:,} digits; no statistic needs more than {MAX_DIGITS}: "
            "check the figure against its quote"
        )
    unit = parse_unit(unit_text)
    scale_word = scale_word or number.scale_word
    value = number.value if value is None else value
    base_magnitude = abs(float(value)) * unit.to_base
    if not base_magnitude <= MAX_BASE_MAGNITUDE:
        raise QuantityOutOfRange(
            f"`{clip(text)}` is {base_magnitude:.3g} in base units, beyond the 10^{MAX_BASE_EXPONENT} that bounds "
            "every figure a county or province states: check the number, its scale word and its unit"
        )
    return ParsedQuantity(
        text=clip(text),
        number_text=number.number_text,
        scale_word=scale_word,
        number=value,
        half_width=number.half_width * (value / number.value if number.value else 1),
        unit=unit,
        unscaled=number.unscaled,
        written=clip(number.written),
        unit_text=unit_text,
        few_step=few_step,
    )


class Interval(Slotted):
    """What a stated figure can mean, in base units: [low, high].

    A bound may be infinite (`more than 10,000` has no upper end). A NaN bound makes the interval
    undefined, and an undefined interval fails every test a rule makes: it overlaps nothing, exceeds
    everything and shares no value with anything, so that no relation ever passes on it. Parsing keeps
    NaN from arising (UNIT005 bounds every number); these are the guards should it arise anyway.
    """

    __slots__ = ("low", "high")

    def __init__(self, low: float, high: float) -> None:
        self.low = low
        self.high = high

    def __hash__(self) -> int:
        return hash(self._fields())

    @property
    def defined(self) -> bool:
        return not (math.isnan(self.low) or math.isnan(self.high))

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.low + other.low, self.high + other.high)

    def __mul__(self, other: Interval) -> Interval:
        if not (self.defined and other.defined):
            return UNDEFINED
        products = [self.low * other.low, self.low * other.high, self.high * other.low, self.high * other.high]
        products = [0.0 if math.isnan(p) else p for p in products]  # 0 x infinity: an open bound times zero
        return Interval(min(products), max(products))

    def __truediv__(self, other: Interval) -> Interval:
        if not (self.defined and other.defined):
            return UNDEFINED
        if other.low <= 0 <= other.high:
            return Interval(-math.inf, math.inf)
        return self * Interval(1 / other.high, 1 / other.low)

    def overlaps(self, other: Interval) -> bool:
        """Some value of this interval is a value of the other."""
        return self.defined and other.defined and self.low <= other.high and other.low <= self.high

    def exceeds(self, other: Interval) -> bool:
        """Every value of this interval is greater than every value of the other."""
        return not (self.defined and other.defined) or self.low > other.high

    def scaled(self, factor: float) -> Interval:
        low, high = self.low * factor, self.high * factor
        if math.isnan(low) or math.isnan(high):
            return UNDEFINED
        return Interval(min(low, high), max(low, high))

    @property
    def midpoint(self) -> float:
        if math.isinf(self.low) or math.isinf(self.high):
            return self.low if not math.isinf(self.low) else self.high
        return (self.low + self.high) / 2


ZERO = Interval(0.0, 0.0)
UNDEFINED = Interval(math.nan, math.nan)


def common_values(intervals: list[Interval]) -> Interval | None:
    """The values every interval holds; None where they share none, or any is undefined."""
    if not intervals or not all(interval.defined for interval in intervals):
        return None
    low = max(interval.low for interval in intervals)
    high = min(interval.high for interval in intervals)
    return Interval(low, high) if low <= high else None


def interval_of(parsed: ParsedQuantity, qualifier: str, upper: ParsedQuantity | None = None) -> Interval:
    """Every value the stated figure can mean, in base units, given its rounding and qualifier."""
    factor = parsed.unit.to_base
    value = float(parsed.number) * factor
    half = float(parsed.half_width) * factor
    low, high = value - half, value + half
    if parsed.few_step is not None and qualifier in ("exact", "more_than", "range"):
        # 40多人: more than 40, below 50 (number_idioms.py)
        return Interval(value, value + float(parsed.few_step) * factor)
    if qualifier == "approximately":
        low, high = low - abs(value) * APPROXIMATE_TOLERANCE, high + abs(value) * APPROXIMATE_TOLERANCE
    elif qualifier in ("at_least", "more_than"):
        # A bound is the stated number itself: "more than 10,000" is never 9,000 however it is rounded.
        low, high = value, math.inf
    elif qualifier in ("at_most", "less_than"):
        low, high = min(0.0, value), value
    elif qualifier == "range" and upper is not None:
        high = upper.in_unit_of(parsed.unit) * factor + float(upper.half_width) * upper.unit.to_base
    if math.isnan(low) or math.isnan(high) or low == math.inf or high == -math.inf:
        return UNDEFINED  # a value beyond float range: parsing refuses it (UNIT005), so this is only a guard
    return Interval(low, high)


def format_number(value: float) -> str:
    """A number for a message: thousands separators, no float noise, never more than a few dozen characters."""
    if math.isnan(value):
        return "undefined"
    if math.isinf(value):
        return "infinity" if value > 0 else "-infinity"
    if abs(value) >= 1e18:  # a product of two large figures: digits beyond these would be float noise
        return f"{value:.6g}"
    if abs(value) >= 1000 or value == int(value):
        rounded = round(value, 2)
        return f"{rounded:,.2f}".rstrip("0").rstrip(".")
    return f"{value:.6g}"
