"""What kind of quantity a row is (a count, an amount of money, a rate, a share, ...), and its value in base units.

Base units are the registry's (yuan, m, m^2, household, ...), with one exception: a unit of time stays
as the record writes it. A wage of 8,000 yuan a month is 8,000 yuan/person/month, not 96,000 a year
(the source said one month, not twelve), and a term of 5 days is 5 days, not 0.0137 of a year.
"""

from __future__ import annotations

from decimal import Decimal

from ...record.quantities import ParsedQuantity, parse_unit, unit_registry
from ...rules.arithmetic import base_unit_name

QUANTITY_KINDS = ("count", "amount", "rate", "share", "points", "measure")
MONEY = {"[currency]", "[usd_currency]"}
MEASURES = {"[length]", "[mass]", "[power]", "[time]"}
TIME = {"[time]": 1}


def _time_units(parsed: ParsedQuantity) -> list[tuple[str, int]]:
    """The units of time in the quantity's unit, by name, with their exponents: [('month', -1)] for yuan/person/month."""
    registry = unit_registry()
    container = registry.parse_units_as_container(parsed.unit.canonical)
    return [(name, exponent) for name, exponent in container.items() if registry.get_dimensionality(name) == TIME]


def quantity_kind(dimensionality: tuple[tuple[str, float], ...], time_units: list[tuple[str, int]]) -> str:
    """count, amount, rate, share, points or measure, from what the unit counts and divides by."""
    if any(exponent < 0 for _, exponent in dimensionality) or any(exponent < 0 for _, exponent in time_units):
        return "rate"  # per something: yuan/person/year, team/village, job/year, day/week
    if not dimensionality:
        return "share"
    names = {name for name, _ in dimensionality}
    if names == {"[percentage_point]"}:
        return "points"
    if names <= MONEY:
        return "amount"
    if len(dimensionality) == 1 and dimensionality[0][1] == 1 and not names & MEASURES:
        return "count"
    return "measure"


def in_base_units(parsed: ParsedQuantity | None) -> tuple[Decimal | None, str | None, str | None]:
    """(value, unit, kind): the value in base units but its units of time as written; a share stays in percent.

    As the shortest decimal of the float (a unit's factor is a float), so that 16.57 % stays 16.57
    and 800,000 mu is 533333333.3333333 m^2, not ...33328.
    """
    if parsed is None:
        return None, None, None
    time_units = _time_units(parsed)
    kind = quantity_kind(parsed.unit.dimensionality, time_units)
    if kind == "share":
        return Decimal(repr(float(parsed.number) * (parsed.unit.to_base * 100))), "%", kind
    time_factor = 1.0
    for name, exponent in time_units:
        time_factor *= parse_unit(name).to_base ** exponent
    kept = [(dimension, exponent) for dimension, exponent in parsed.unit.dimensionality if dimension != "[time]"]
    kept += [(f"[{name}]", float(exponent)) for name, exponent in time_units]
    value = parsed.base_value
    if time_factor != 1.0:  # 8,000 yuan a month is 96,000 yuan a year divided by 12.000000000000002: 15 digits drop the noise
        value = float(f"{value / time_factor:.15g}")
    return Decimal(repr(value)), base_unit_name(tuple(kept)), kind
