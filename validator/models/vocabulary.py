"""The controlled vocabulary of metrics, read from `metrics.tsv` beside this module."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

METRICS_FILE = Path(__file__).with_name("metrics.tsv")


@dataclass(frozen=True, slots=True)
class MetricDefinition:
    key: str
    dimension: str  # a unit expression; quantities of this metric must share its dimension
    minimum: float | None
    maximum: float | None
    description: str


@cache
def metric_definitions() -> dict[str, MetricDefinition]:
    definitions: dict[str, MetricDefinition] = {}
    for line in METRICS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, dimension, minimum, maximum, description = line.split("\t")
        if key in definitions:
            raise ValueError(f"{METRICS_FILE.name}: metric {key} is defined twice")
        definitions[key] = MetricDefinition(
            key=key,
            dimension=dimension,
            minimum=float(minimum) if minimum else None,
            maximum=float(maximum) if maximum else None,
            description=description,
        )
    return definitions
