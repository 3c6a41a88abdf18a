"""Issue 12 curation pass: the relations the sources state and the acknowledged source inconsistencies
stay encoded in the records, so a later edit cannot silently drop them (read from the YAML with PyYAML)."""
from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml

from validator.support.paths import RECORDS_DIR


@cache
def record(relative: str) -> dict:
    return yaml.safe_load((RECORDS_DIR / relative).read_text(encoding="utf-8"))


def relation(relative: str, relation_id: str) -> dict:
    found = [r for r in record(relative).get("relations", []) if r.get("id") == relation_id]
    assert len(found) == 1, f"{relative}: relation {relation_id} missing or repeated"
    return found[0]


def members(entry: dict) -> dict:
    """What a relation relates, by role, without its id and note."""
    return {key: value for key, value in entry.items() if key not in ("id", "note")}


ERYUAN = "yunnan/eryuan.yaml"
LUOSHAN = "henan/luoshan.yaml"
SHENCHI = "shanxi/shenchi.yaml"
YANLING = "hunan/yanling.yaml"
RONGJIANG = "guizhou/rongjiang.yaml"

# (record, relation id, the relation without id and note)
RELATIONS = [
    (ERYUAN, "workers-exported-within-trained", {"kind": "subset", "part": "workers-exported", "whole": "trained-people"}),
    (ERYUAN, "workers-exported-2-within-trained", {"kind": "subset", "part": "workers-exported-2", "whole": "trained-people-2"}),
    (ERYUAN, "first-batch-households-total",
     {"kind": "total", "total": "first-batch-households", "parts": ["centralized-households", "scattered-households"], "complete": True}),
    (ERYUAN, "houses-completed-within-relocated", {"kind": "subset", "part": "houses-completed-households", "whole": "first-batch-households"}),
    (ERYUAN, "housing-subsidy-within-relocated", {"kind": "subset", "part": "housing-subsidy-households", "whole": "first-batch-households"}),
    (ERYUAN, "industry-registered-households-subset",
     {"kind": "subset", "part": "industry-registered-households", "whole": "registered-households"}),
    (LUOSHAN, "microcredit-households-subset", {"kind": "subset", "part": "microcredit-households", "whole": "registered-poor-households"}),
    (LUOSHAN, "relocated-households-subset", {"kind": "subset", "part": "relocated-households", "whole": "registered-poor-households"}),
    (LUOSHAN, "relocated-people-subset", {"kind": "subset", "part": "relocated-people", "whole": "registered-poor-people"}),
    # Bounds: "no less than 3,000 yuan" per registered household, "more than 500" households.
    (ERYUAN, "industry-subsidy-standard-bound",
     {"kind": "per_unit", "rate": "industry-subsidy-standard", "count": "industry-registered-households", "total": "industry-subsidies"}),
    (ERYUAN, "work-team-villages-total",
     {"kind": "total", "total": "villages-with-work-team", "parts": ["key-villages", "poor-villages"], "complete": True}),
    (LUOSHAN, "work-teams-cover-poor-villages",
     {"kind": "per_unit", "rate": "work-teams-per-poor-village", "count": "poor-villages", "total": "village-work-teams"}),
    (SHENCHI, "village-pv-capacity-per-station",
     {"kind": "per_unit", "rate": "village-pv-station-capacity", "count": "village-pv-stations-count", "total": "village-pv-capacity-total"}),
    (SHENCHI, "donghu-pv-loans-within-microloans",
     {"kind": "per_unit", "rate": "donghu-pv-loan-per-household", "count": "donghu-pv-households", "total": "microloans-issued"}),
    (RONGJIANG, "dingwei-at-risk-households-total",
     {"kind": "total", "total": "dingwei-at-risk-households", "parts": ["dingwei-unstable-households", "dingwei-marginal-households"], "complete": True}),
    (RONGJIANG, "dingwei-at-risk-people-total",
     {"kind": "total", "total": "dingwei-at-risk-people", "parts": ["dingwei-unstable-people", "dingwei-marginal-people"], "complete": True}),
]

# (record, rule, at, words the reason must contain: the source's own figures it explains)
ACKNOWLEDGEMENTS = [
    (ERYUAN, "SUM003", "relations[industry-registered-households-subset]", ["5,759", "4,290"]),
    (YANLING, "PCT001", "shares[share-linkage-poor-people]", ["17,267", "80.7", "26,761"]),
    (ERYUAN, "CROSS001", "programmes[paired-assistance].outputs[paired-households]", ["7,322", "4,290"]),
    (ERYUAN, "CROSS002", "shares[share-promoted-front-line].value", ["48.9", "21 / 43"]),
]


@pytest.mark.parametrize(("relative", "relation_id", "expected"), RELATIONS, ids=[r[1] for r in RELATIONS])
def test_the_stated_relation_is_encoded(relative: str, relation_id: str, expected: dict) -> None:
    assert members(relation(relative, relation_id)) == expected


def quantity_ids(data: object) -> set[str]:
    """Every id in the record, so a relation's members can be checked to exist."""
    found: set[str] = set()
    if isinstance(data, dict):
        if isinstance(data.get("id"), str):
            found.add(data["id"])
        for value in data.values():
            found |= quantity_ids(value)
    elif isinstance(data, list):
        for value in data:
            found |= quantity_ids(value)
    return found


@pytest.mark.parametrize(("relative", "relation_id", "expected"), RELATIONS, ids=[r[1] for r in RELATIONS])
def test_the_relations_figures_exist(relative: str, relation_id: str, expected: dict) -> None:
    ids = quantity_ids(record(relative))
    named = [expected[key] for key in ("part", "whole", "total", "rate", "count") if key in expected]
    named += expected.get("parts", []) + expected.get("items", [])
    assert named and all(name in ids for name in named)


@pytest.mark.parametrize(("relative", "rule", "at", "words"), ACKNOWLEDGEMENTS, ids=[a[2] for a in ACKNOWLEDGEMENTS])
def test_the_source_inconsistency_is_acknowledged_with_its_reason(relative: str, rule: str, at: str, words: list[str]) -> None:
    entries = [a for a in record(relative).get("acknowledged", []) if a.get("rule") == rule and a.get("at") == at]
    assert len(entries) == 1
    reason = entries[0]["reason"]
    assert len(reason) > 80 and all(word in reason for word in words)


def outputs(relative: str) -> dict[str, dict]:
    return {o["id"]: o for p in record(relative).get("programmes", []) for o in p.get("outputs", []) or []}


@pytest.mark.parametrize(("relative", "output_id"), [
    (SHENCHI, "village-pv-stations-count"), (SHENCHI, "village-pv-station-capacity"),
    (SHENCHI, "village-pv-villages"), (SHENCHI, "farmhouse-villages"),
])
def test_the_stated_plan_is_marked_planned(relative: str, output_id: str) -> None:
    assert outputs(relative)[output_id].get("planned") is True


def test_yanlings_80_7_share_has_its_part_and_whole_so_pct001_sees_it() -> None:
    [share] = [s for s in record(YANLING)["shares"] if s["id"] == "share-linkage-poor-people"]
    assert (share["part"], share["whole"], share["value"]) == ("linkage-people", "poor-people-2014-body", "80.7 %")


def test_province_figures_are_not_county_observations() -> None:
    ids = quantity_ids(record(YANLING))
    assert not ids & {"urban-unemployment-control-ceiling", "innovation-demo-counties-in-province", "innovation-demo-counties-in-city"}
    assert "only ten in the province" in record(YANLING)["notes"]["omitted"]
