"""Quantities as curators write them: '41,165,200 yuan', '1.34 million yuan', '3 wan yuan', '16.57 %'.

A parsed quantity knows what its number can mean as written: `98.92 %` means [98.915, 98.925],
`105,700` may be rounded to the hundred, `more than 10,000` is a lower bound. Rules compare these
intervals, so a relation fails only when no reading of the stated numbers satisfies it.
Units come from one pint registry built from `schema/units.txt`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache

from .paths import UNITS_FILE
from .text import clip
from .unit_cache import unit_cache

# "about 30,000": how far an approximate figure may be from the truth, as a fraction. Set here only.
APPROXIMATE_TOLERANCE = 0.10

SCALE_WORDS: dict[str, Decimal] = {
    "k": Decimal(10) ** 3,
    "thousand": Decimal(10) ** 3,
    "wan": Decimal(10) ** 4,
    "ten thousand": Decimal(10) ** 4,
    "million": Decimal(10) ** 6,
    "yi": Decimal(10) ** 8,
    "hundred million": Decimal(10) ** 8,
    "billion": Decimal(10) ** 9,
}

_QUANTITY = re.compile(
    r"^\s*(?P<number>[-+]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?)(?![0-9,.])"
    r"\s*(?P<scale>k(?![a-zA-Z])|thousand|wan|ten thousand|million|yi|hundred million|billion)?"
    r"\s*(?P<unit>.*?)\s*$"
)


class QuantityError(ValueError):
    """A quantity string that cannot be read; the message says what to write instead."""


@dataclass(frozen=True, slots=True)
class UnitInfo:
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
_UNIT_NAME = r"(?:[A-Za-z_][A-Za-z0-9_]*|%)(?:\s*(?:\^|\*\*)\s*-?[1-9])?"
_UNIT_EXPRESSION = re.compile(rf"^{_UNIT_NAME}(?:\s*[*/]\s*{_UNIT_NAME})*$")
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
            if part and part != "_" and (index == 0 or index >= 2) and re.fullmatch(r"[A-Za-z_%][A-Za-z0-9_]*", part):
                names.extend([part, f"{part}s"] if index == 0 and not part.endswith("s") else [part])
    return tuple(dict.fromkeys(names))


def _closest_units(text: str) -> str:
    """'; did you mean `households`?' for each unknown name in an expression, where one is close."""
    import difflib

    suggestions = []
    for name in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text):
        if name not in unit_names():
            suggestions += difflib.get_close_matches(name, unit_names(), n=1, cutoff=0.7)
    return f"; did you mean {', '.join(f'`{s}`' for s in dict.fromkeys(suggestions))}?" if suggestions else ""


@lru_cache(maxsize=4096)
def parse_unit(text: str) -> UnitInfo:
    if len(text) > MAX_UNIT_CHARS or not _UNIT_EXPRESSION.match(text):
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


@dataclass(frozen=True, slots=True)
class ParsedQuantity:
    """A stated number (with its scale word applied) and its unit."""

    text: str
    number_text: str  # the digits as written, e.g. '1.34'
    scale_word: str | None
    number: Decimal  # the number with the scale applied, in `unit`
    half_width: Decimal  # half the last written digit's place, with the scale applied
    unit: UnitInfo

    @property
    def base_value(self) -> float:
        return float(self.number) * self.unit.to_base

    def in_unit_of(self, other: UnitInfo) -> float:
        return float(self.number) * self.unit.to_base / other.to_base


def rounding_half_width(number_text: str) -> Decimal:
    """Half a unit of the last significant written place: 98.92 -> 0.005; 105,700 -> 50; 8,164 -> 0.5."""
    digits = number_text.lstrip("+-").replace(",", "")
    if "." in digits:
        decimals = len(digits.split(".")[1])
        return Decimal(5) * Decimal(10) ** (-decimals - 1)
    stripped = digits.rstrip("0")
    trailing_zeros = len(digits) - len(stripped) if stripped else 0
    return Decimal(5) * Decimal(10) ** (trailing_zeros - 1)


@lru_cache(maxsize=65536)
def parse_quantity(text: str) -> ParsedQuantity:
    match = _QUANTITY.match(text)
    if not match:
        raise QuantityError(f"`{clip(text)}` is not a number followed by a unit, e.g. '8,164 households' or '1.34 million yuan'")
    number_text, scale_word, unit_text = match.group("number", "scale", "unit")
    if not unit_text:
        raise QuantityError(f"`{clip(text)}` has no unit: write one, e.g. '{clip(number_text)} households'")
    try:
        number = Decimal(number_text.replace(",", ""))
    except InvalidOperation as err:  # pragma: no cover - the pattern admits only valid decimals
        raise QuantityError(f"`{clip(number_text)}` is not a number") from err
    scale = SCALE_WORDS[scale_word] if scale_word else Decimal(1)
    unit = parse_unit(unit_text)
    return ParsedQuantity(
        text=text,
        number_text=number_text,
        scale_word=scale_word,
        number=number * scale,
        half_width=rounding_half_width(number_text) * scale,
        unit=unit,
    )


@dataclass(frozen=True, slots=True)
class Interval:
    """What a stated figure can mean, in base units: [low, high]."""

    low: float
    high: float

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.low + other.low, self.high + other.high)

    def __mul__(self, other: Interval) -> Interval:
        products = [self.low * other.low, self.low * other.high, self.high * other.low, self.high * other.high]
        products = [0.0 if math.isnan(p) else p for p in products]
        return Interval(min(products), max(products))

    def __truediv__(self, other: Interval) -> Interval:
        if other.low <= 0 <= other.high:
            return Interval(-math.inf, math.inf)
        return self * Interval(1 / other.high, 1 / other.low)

    def overlaps(self, other: Interval) -> bool:
        return self.low <= other.high and other.low <= self.high

    def scaled(self, factor: float) -> Interval:
        low, high = self.low * factor, self.high * factor
        return Interval(min(low, high), max(low, high))

    @property
    def midpoint(self) -> float:
        if math.isinf(self.low) or math.isinf(self.high):
            return self.low if not math.isinf(self.low) else self.high
        return (self.low + self.high) / 2


ZERO = Interval(0.0, 0.0)


def interval_of(parsed: ParsedQuantity, qualifier: str, upper: ParsedQuantity | None = None) -> Interval:
    """Every value the stated figure can mean, in base units, given its rounding and qualifier."""
    factor = parsed.unit.to_base
    value = float(parsed.number) * factor
    half = float(parsed.half_width) * factor
    low, high = value - half, value + half
    if qualifier == "approximately":
        low, high = low - abs(value) * APPROXIMATE_TOLERANCE, high + abs(value) * APPROXIMATE_TOLERANCE
    elif qualifier in ("at_least", "more_than"):
        # A bound is the stated number itself: "more than 10,000" is never 9,000 however it is rounded.
        low, high = value, math.inf
    elif qualifier in ("at_most", "less_than"):
        low, high = min(0.0, value), value
    elif qualifier == "range" and upper is not None:
        high = upper.in_unit_of(parsed.unit) * factor + float(upper.half_width) * upper.unit.to_base
    return Interval(low, high)


def format_number(value: float) -> str:
    """A number for a message: thousands separators, no float noise."""
    if math.isinf(value):
        return "infinity" if value > 0 else "-infinity"
    if abs(value) >= 1000 or value == int(value):
        rounded = round(value, 2)
        return f"{rounded:,.2f}".rstrip("0").rstrip(".")
    return f"{value:.6g}"
