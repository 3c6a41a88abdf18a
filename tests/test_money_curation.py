"""Issue #22's curation: money inside other money is placed, and readings that change a unit are curated.

Read from the YAML with PyYAML, as tests/test_curation.py reads its relations: a later edit cannot drop them.
"""

from __future__ import annotations

from functools import cache

import pytest
import yaml

from validator.support.paths import RECORDS_DIR

ERYUAN, LUOSHAN, YANLING = "yunnan/eryuan.yaml", "henan/luoshan.yaml", "hunan/yanling.yaml"


@cache
def record(relative: str) -> dict:
    return yaml.safe_load((RECORDS_DIR / relative).read_text(encoding="utf-8"))


def quantity(relative: str, quantity_id: str) -> dict:
    """The quantity with this id, wherever it is in the record (an observation, an output, a fund's amount)."""
    found = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("id") == quantity_id:
                found.append(node.get("amount", node))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(record(relative))
    assert len(found) == 1, f"{relative}: {quantity_id} missing or repeated"
    return found[0]


WITHIN = [
    (ERYUAN, "relocation-investment-completed", "invested-2016"),
    (ERYUAN, "mutual-aid-investment", "invested-2016"),
    (ERYUAN, "relocation-funds-received", "received-2016"),
    (ERYUAN, "relocation-investment-completed", "relocation-funds-received"),
    (ERYUAN, "relocation-housing-subsidies", "relocation-funds-received"),
    (ERYUAN, "campus-greening", "education-balanced-investment"),
]


@pytest.mark.parametrize(("relative", "part", "whole"), WITHIN, ids=[f"{p}-in-{w}" for _, p, w in WITHIN])
def test_money_inside_other_money_is_placed_with_a_reason(relative: str, part: str, whole: str) -> None:
    placed = [r for r in record(relative)["relations"] if r["kind"] == "within" and (r["part"], r["whole"]) == (part, whole)]
    assert len(placed) == 1 and len(placed[0]["note"]) > 40


# (record, quantity id, the stated unit word the source writes, the curated reading's unit word)
UNIT_READINGS = [
    (LUOSHAN, "designated-medical-institutions", "counties", "institutions"),
    (YANLING, "relocated-targets", "items", "people"),
]


@pytest.mark.parametrize(("relative", "quantity_id", "stated", "curated"), UNIT_READINGS, ids=[q for _, q, _, _ in UNIT_READINGS])
def test_a_changed_unit_is_a_curated_reading_the_corrections_report_shows(relative: str, quantity_id: str, stated: str, curated: str) -> None:
    figure = quantity(relative, quantity_id)
    assert figure["value"].split()[-1] == stated
    assert figure["curated"]["value"].split()[-1] == curated and len(figure["curated"]["note"]) > 40
    assert figure["value"].split()[0] == figure["curated"]["value"].split()[0], "only the unit is read anew"


def test_eryuans_wetland_income_every_year_is_a_yearly_increase() -> None:
    figure = quantity(ERYUAN, "wetlands-income")
    assert "every year" in figure["quote"]
    assert figure["value"].endswith("yuan/year") and figure["metric"] == "income_increase"


@pytest.mark.parametrize(("relative", "quantity_id"), [(ERYUAN, "critical-illness-threshold-before"),
                                                       (ERYUAN, "critical-illness-threshold-after"),
                                                       (LUOSHAN, "serious-illness-self-pay-threshold")])
def test_thresholds_are_standards_not_money_paid(relative: str, quantity_id: str) -> None:
    assert quantity(relative, quantity_id)["money_kind"] == "standard"
