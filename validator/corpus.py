"""What corpus-wide rules need to know of each record, kept small so memory stays flat with N."""

from __future__ import annotations

from dataclasses import dataclass, field

from .typed import RecordContext


@dataclass(frozen=True, slots=True)
class ObservationFact:
    pointer: str
    metric: str
    label: str | None
    when: str  # the date or period as written, e.g. "2014" or "2016..2020"
    source: str | None
    value_text: str
    low: float  # in base units
    high: float
    dimensionality: tuple[tuple[str, float], ...]


@dataclass(slots=True)
class CorpusFacts:
    level: str
    code: str
    name_en: str
    name_zh: str
    province: str
    prefecture: str | None
    observations: list[ObservationFact] = field(default_factory=list)

    def pointers(self) -> set[str]:
        return {"/division/code", "/division/name_zh", "/division/name_en", "/division/province", "/division/prefecture"} | {
            o.pointer for o in self.observations
        }


def _when(observation) -> str:
    if observation.period is not None:
        return f"{observation.period.start}..{observation.period.end}"
    return "" if observation.date is None else str(observation.date)


def collect_facts(context: RecordContext) -> CorpusFacts:
    division = context.record.division
    facts = CorpusFacts(division.level, division.code, division.name_en, division.name_zh, division.province, division.prefecture)
    for entry in context.quantities:
        if not entry.pointer.startswith("/observations/") or entry.reading is None or entry.errors:
            continue
        observation = entry.quantity
        interval = entry.interval
        facts.observations.append(ObservationFact(
            pointer=entry.reading_pointer,
            metric=observation.metric,
            label=observation.label,
            when=_when(observation),
            source=observation.source,
            value_text=observation.curated.value if observation.curated else observation.value,
            low=interval.low,
            high=interval.high,
            dimensionality=entry.reading.unit.dimensionality,
        ))
    return facts
