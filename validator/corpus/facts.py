"""What corpus-wide rules need to know of each record, kept small so memory stays flat with N."""

from __future__ import annotations

import sys
from typing import Callable, NamedTuple, Sequence

from ..support.slotted import Slotted
from ..record.typed import RecordContext

Position = tuple[int, int]
Dimensionality = tuple[tuple[str, float], ...]
_SHARED_DIMENSIONALITIES: dict[Dimensionality, Dimensionality] = {}


def is_per_unit(dimensionality: Dimensionality) -> bool:
    """Per-capita, per-household, per-area values: something divided by a count or an area."""
    return any(exponent < 0 and dimension != "[time]" for dimension, exponent in dimensionality)


class ObservationFact(NamedTuple):
    pointer: str
    metric: str
    label: str | None
    when: str  # the date or period as written, e.g. "2014", "2016..2020", or "2014.." (ongoing)
    source: str | None
    value_text: str
    low: float  # in base units
    high: float
    dimensionality: Dimensionality
    line: int
    column: int
    path: str  # the pointer as an id path, for findings in another record

    def shared(self) -> ObservationFact:
        """The same fact with its repeated strings and tuples shared across records (a few bytes each)."""
        intern = sys.intern
        return self._replace(
            metric=intern(self.metric),
            when=intern(self.when),
            label=None if self.label is None else intern(self.label),
            source=None if self.source is None else intern(self.source),
            dimensionality=_SHARED_DIMENSIONALITIES.setdefault(self.dimensionality, self.dimensionality),
        )


class CorpusFacts(Slotted):
    __slots__ = ("level", "code", "name_en", "name_zh", "province", "prefecture", "decoded_observations",
                 "positions", "encoded_observations", "decode")

    _FRESH = object()  # the default of decoded_observations: a new empty list (None means "not decoded yet")

    def __init__(self, level: str, code: str, name_en: str, name_zh: str, province: str, prefecture: str | None,
                 decoded_observations: list[ObservationFact] | None = _FRESH,
                 division_positions: dict[str, Position] | None = None, encoded_observations: list | None = None,
                 decode: Callable[[list], list[ObservationFact]] | None = None) -> None:
        self.level = level
        self.code = code
        self.name_en = name_en
        self.name_zh = name_zh
        self.province = province
        self.prefecture = prefecture
        self.decoded_observations = [] if decoded_observations is CorpusFacts._FRESH else decoded_observations
        # A dict by pointer, or (facts from the corpus index) line and column of each DIVISION_POINTERS in
        # one flat sequence, made a dict only where a finding lands: most context records never need it.
        self.positions = {} if division_positions is None else division_positions
        # Observations as the corpus index holds them, decoded on first use: a one-file run among 2,000
        # records reads the observations of the few records that share its code, not of all.
        self.encoded_observations = encoded_observations
        self.decode = decode

    @classmethod
    def indexed(cls, division: list, positions: Sequence[int], encoded_observations, decode) -> CorpusFacts:
        """Facts as the corpus index holds them, made without __init__'s defaults (thousands per hook run)."""
        facts = cls.__new__(cls)
        facts.level, facts.code, facts.name_en, facts.name_zh, facts.province, facts.prefecture = division
        facts.positions = positions
        facts.decoded_observations = None
        facts.encoded_observations = encoded_observations
        facts.decode = decode
        return facts

    @property
    def division_positions(self) -> dict[str, Position]:
        if not isinstance(self.positions, dict):
            flat = self.positions
            self.positions = {pointer: (flat[2 * i], flat[2 * i + 1]) for i, pointer in enumerate(DIVISION_POINTERS)}
        return self.positions

    @division_positions.setter
    def division_positions(self, positions: dict[str, Position]) -> None:
        self.positions = positions

    @property
    def observations(self) -> list[ObservationFact]:
        if self.decoded_observations is None:
            self.decoded_observations = self.decode(self.encoded_observations) if self.decode else []
            self.encoded_observations = None
        return self.decoded_observations

    @observations.setter
    def observations(self, observations: list[ObservationFact]) -> None:
        self.decoded_observations, self.encoded_observations = observations, None

    def place_of(self, pointer: str) -> tuple[int, int, str]:
        """Line, column and id path of a pointer that corpus rules use (the division's, an observation's)."""
        if pointer in self.division_positions:
            return (*self.division_positions[pointer], pointer.lstrip("/").replace("/", "."))
        return next(((o.line, o.column, o.path) for o in self.observations if o.pointer == pointer), (1, 1, ""))

    def shared(self) -> CorpusFacts:
        self.observations = [o.shared() for o in self.observations]
        return self


def in_focus(facts: list[tuple[str, CorpusFacts]], focus: frozenset[str] | None) -> list[tuple[str, CorpusFacts]]:
    """The records whose findings a corpus rule is asked for: all, or (a one-file run) the focus."""
    return facts if focus is None else [(display, record) for display, record in facts if display in focus]


def _when(observation) -> str:
    if observation.period is not None:
        end = observation.period.end
        return f"{observation.period.start}..{'' if end is None else end}"
    return "" if observation.date is None else str(observation.date)


DIVISION_POINTERS = ("/division/code", "/division/name_zh", "/division/name_en", "/division/province", "/division/prefecture")


def collect_facts(context: RecordContext, position_of: Callable[[str], Position]) -> CorpusFacts:
    """The division, and the observations a corpus rule reads: dated ones (conflicts), per-unit ones (outliers)."""
    division = context.record.division
    facts = CorpusFacts(division.level, division.code, division.name_en, division.name_zh, division.province, division.prefecture)
    facts.division_positions = {pointer: position_of(pointer) for pointer in DIVISION_POINTERS}
    for entry in context.quantities:
        if entry.holding.section != "observations" or entry.reading is None or entry.errors:
            continue
        observation = entry.quantity
        when = _when(observation)
        if not when and not is_per_unit(entry.reading.unit.dimensionality):
            continue
        interval = entry.interval
        line, column = position_of(entry.reading_pointer)
        facts.observations.append(ObservationFact(
            pointer=entry.reading_pointer,
            metric=observation.metric,
            label=observation.label,
            when=when,
            source=observation.source,
            value_text=observation.curated.value if observation.curated else observation.value,
            low=interval.low,
            high=interval.high,
            dimensionality=entry.reading.unit.dimensionality,
            line=line,
            column=column,
            path=entry.reading_place.id_path,
        ))
    return facts
