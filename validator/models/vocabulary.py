"""The controlled vocabularies: metrics (read from `metrics.tsv` beside this module) and fund stages."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import NamedTuple

METRICS_FILE = Path(__file__).with_name("metrics.tsv")

# What each stage of a fund means: the same money is often stated at several stages, and only
# amounts at one stage add up. Definitions appear in the published schema and docs/schema.md.
FUND_STAGES: dict[str, str] = {
    "planned": "set aside by a plan, budget or target, not yet allocated (计划, 预算)",
    "allocated": "assigned to the county, a programme or a level below by a decision (下达, 安排), whether or not it has arrived",
    "received": "arrived in the accounts of the county or the programme (到位)",
    "disbursed": "paid out to beneficiaries, contractors or the level below (拨付, 发放)",
    "invested": "put into a project (投入, 投资), whoever provided it",
    "leveraged": (
        "mobilised from others by the fund (撬动): social or financial capital it drew in, such as bank "
        "loans or enterprises' and society's investment; not the fund's own money (schema 1.1)"
    ),
}


class MetricDefinition(NamedTuple):
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
