"""What the arithmetic rule families share: resolving ids to intervals, summing, and naming scale slips."""

from __future__ import annotations

import math

from typing import Iterator, NamedTuple

from ..record.quantities import Interval, format_number
from ..support.text import clip
from ..support.findings import Related
from ..record.typed import QuantityEntry, RecordContext

# Factors by which translated Chinese figures slip: 万 = 10^4 and 亿 = 10^8 turned into
# thousand / million / billion the wrong way (see GLOSSARY: scale words the translation loses).
SCALE_SLIPS = {100: "a hundred", 1000: "a thousand", 10_000: "ten thousand (万)", 1_000_000: "a million",
               100_000_000: "a hundred million (亿)"}
_SLIP_TOLERANCE = 0.03


class Resolved(NamedTuple):
    entry: QuantityEntry
    interval: Interval
    dimensionality: tuple[tuple[str, float], ...]

    @property
    def text(self) -> str:
        """The figure as written, clipped for a message."""
        reading = self.entry.reading
        return clip(reading.text) if reading is not None else "?"

    def place(self, role: str) -> Related:
        """Where this figure stands, as a related place of a finding (its curated reading where it has one)."""
        return Related(role, self.entry.reading_place.pointer)

    def data(self) -> dict[str, object]:
        """The figure as a finding's data: as written, and what it can mean in base units."""
        return {"value": self.entry.reading.text if self.entry.reading else None, "low": self.interval.low, "high": self.interval.high}


def finding_ids(*ids: str | None) -> tuple[str, ...]:
    """The record ids a finding concerns, each once, in order."""
    return tuple(dict.fromkeys(i for i in ids if i))


def interval_data(interval: Interval) -> list[float]:
    return [interval.low, interval.high]


def relations_of_kind(context: RecordContext, *kinds: str) -> Iterator[tuple[str, object]]:
    """(pointer, relation) for the record's relations of the given kinds."""
    for relation in context.record.relations:
        if relation.kind in kinds:
            yield relation.place.pointer, relation


def resolve(context: RecordContext, item_id: str) -> Resolved | None:
    """The quantity an id names, with what it can mean; None where REF002 or UNIT001 reports why not."""
    entry = context.quantity_by_id.get(item_id)
    if entry is None or entry.reading is None or entry.errors:
        return None
    return Resolved(entry, entry.interval, entry.reading.unit.dimensionality)


def resolve_entry(entry: QuantityEntry | None) -> Resolved | None:
    """A figure found by its place rather than its id (beneficiaries need no id), as `resolve` gives one."""
    if entry is None or entry.reading is None or entry.errors:
        return None
    return Resolved(entry, entry.interval, entry.reading.unit.dimensionality)


def resolve_all(context: RecordContext, ids: list[str]) -> list[Resolved] | None:
    resolved = [resolve(context, item_id) for item_id in ids]
    return None if any(r is None for r in resolved) else resolved  # type: ignore[return-value]


def total_of(parts: list[Resolved]) -> Interval:
    total = Interval(0.0, 0.0)
    for part in parts:
        total = total + part.interval
    return total


def dimensions_differ(items: list[Resolved]) -> bool:
    return len({item.dimensionality for item in items}) > 1


def slip_factor(found: float, stated: float) -> int | None:
    """The typical scale slip (10^2 .. 10^8) by which two figures differ, if they do."""
    if not (math.isfinite(found) and math.isfinite(stated) and found > 0 and stated > 0):
        return None
    ratio = found / stated
    for factor in SCALE_SLIPS:
        for direction in (ratio, 1 / ratio):
            if abs(direction / factor - 1) <= _SLIP_TOLERANCE:
                return factor
    return None


def scale_slip_hint(found: float, stated: float) -> str:
    """': a factor of 10,000 ...' where two figures differ by a typical scale slip; else ''."""
    factor = slip_factor(found, stated)
    if factor is None:
        return ""
    return (f": a factor of {factor:,} ({SCALE_SLIPS[factor]}); did the source or its translation slip a scale "
            "word (万 = 10^4, 亿 = 10^8)? Record the curated reading with a note")


def show(interval: Interval, unit_hint: str = "") -> str:
    """An interval in a message: one number where it is narrow, else low..high (base units)."""
    suffix = f" {unit_hint}" if unit_hint else ""
    if interval.high - interval.low <= max(abs(interval.midpoint) * 1e-9, 1e-9):
        return f"{format_number(interval.midpoint)}{suffix}"
    return f"{format_number(interval.low)}..{format_number(interval.high)}{suffix}"


def base_unit_name(dimensionality: tuple[tuple[str, float], ...]) -> str:
    """How base units read in messages (yuan, person, m^2, ...)."""
    names = {"[currency]": "yuan", "[length]": "m", "[time]": "year", "[power]": "W", "[mass]": "g"}
    numerator, denominator = [], []
    for dimension, exponent in dimensionality:
        name = names.get(dimension, dimension.strip("[]"))
        target = numerator if exponent > 0 else denominator
        power = abs(exponent)
        target.append(name if power == 1 else f"{name}^{power:g}")
    if not numerator and not denominator:
        return ""
    text = "*".join(numerator) or "1"
    return text + "".join(f"/{d}" for d in denominator)
