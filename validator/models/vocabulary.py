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


# What kind of money a figure in yuan is (schema 1.2): only money of kind fund, at one stage, adds up to a
# county's funds; income, loans, thresholds and prices are other things stated in yuan.
MONEY_KINDS: dict[str, str] = {
    "fund": "money provided for poverty alleviation, at a stage (a fund's amount; observations of metric investment)",
    "income": "revenue, income, sales or output value earned by people, collectives, enterprises or an industry",
    "loan": "money lent, to be repaid: microcredit, guaranteed start-up loans, relocation loans",
    "standard": "a threshold, limit or standard amount that other money is measured against (a deductible, a "
                "self-paid cost above which aid applies, a subsidy standard): no money moved",
    "price": "what one thing costs or sells for",
}
# The kind a metric's money is, where the metric says; `money` and `money_usd` do not, so the figure says.
METRIC_MONEY_KINDS: dict[str, str] = {
    "investment": "fund", "loans": "loan",
    "output_value": "income", "revenue": "income", "collective_income": "income", "per_capita_disposable_income": "income",
    "per_capita_net_income": "income", "income_increase_per_person": "income", "income_increase_per_household": "income",
    "household_income": "income", "wage": "income", "income_increase": "income",
    "income_increase_per_household_unspecified_period": "income",
    "allowance_standard": "standard", "subsidy_per_household": "standard", "subsidy_per_person": "standard",
    "subsidy_per_area": "standard",
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
