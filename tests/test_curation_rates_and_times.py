"""The curation of real records' rates and times (issue #22): each test names its record and figure.

Figures a source states per unit (每, each, every month, a year) are rates in the export, never counts;
the 'current' figures of Yanling hold as of its source's publication; a monthly income stays monthly.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from validator.cli import main
from validator.support.paths import RECORDS_DIR

# (record, figure id, what the source says per unit)
RATES = (
    ("guizhou/rongjiang.yaml", "major-dispatch-per-month", "every month"),
    ("henan/luoshan.yaml", "first-secretary-days-in-village", "five days and four nights"),
    ("hunan/yanling.yaml", "urban-new-jobs-per-year", "each year"),
    ("hunan/yanling.yaml", "eat-live-work-together-frequency", "a year"),
    ("hunan/yanling.yaml", "micro-wishes-per-month", "every month"),
    ("yunnan/eryuan.yaml", "technologies-per-trainee-goal", "the trainees"),
    ("yunnan/eryuan.yaml", "employment-goal-per-household", "from poor households"),
    ("yunnan/eryuan.yaml", "villages-per-division-leader", "each linked"),
    ("yunnan/eryuan.yaml", "members-per-work-team", "each work team"),
)


@pytest.fixture(scope="module")
def rows(tmp_path_factory) -> dict[tuple[str, str], dict]:
    folder = tmp_path_factory.mktemp("curation")
    files = sorted({RECORDS_DIR / name for name, _, _ in RATES} | {RECORDS_DIR / "guizhou" / "qinglong.yaml"})
    assert main(["export", *map(str, files), "--format", "jsonl", "--out", str(folder / "f.jsonl")]) == 0
    exported = [json.loads(line) for line in (folder / "f.jsonl").read_text(encoding="utf-8").splitlines()]
    return {(Path(row["file"]).name, row["quantity_id"]): row for row in exported}


def _figure(name: str, figure_id: str) -> dict:
    def find(node):
        if isinstance(node, dict):
            if node.get("id") == figure_id:
                return node
            node = list(node.values())
        if isinstance(node, list):
            for child in node:
                found = find(child)
                if found is not None:
                    return found
        return None

    return find(yaml.safe_load((RECORDS_DIR / name).read_text(encoding="utf-8")))


@pytest.mark.parametrize(("name", "figure_id", "words"), RATES, ids=[figure_id for _, figure_id, _ in RATES])
def test_a_figure_stated_per_unit_is_exported_as_a_rate(rows, name: str, figure_id: str, words: str) -> None:
    figure = _figure(name, figure_id)
    assert words in figure["quote"]  # the source states it per unit
    unit = (figure.get("curated") or figure)["value"].split(" ", 1)[1]
    assert "/" in unit, f"{name} {figure_id}: {unit} is not per anything"
    assert rows[(Path(name).name, figure_id)]["quantity_kind"] == "rate"


def test_luoshan_keeps_the_stated_five_days_and_reads_them_per_week(rows) -> None:
    figure = _figure("henan/luoshan.yaml", "first-secretary-days-in-village")
    assert figure["value"] == "5 days" and figure["curated"]["value"] == "5 day/week"
    row = rows[("luoshan.yaml", "first-secretary-days-in-village")]
    assert (row["value_base"], row["base_unit"]) == (5, "day/week")  # not 0.0137 year


def test_qinglongs_first_month_income_stays_a_month(rows) -> None:
    figure = _figure("guizhou/qinglong.yaml", "rider-first-month-income")
    assert "first month" in figure["quote"]
    row = rows[("qinglong.yaml", "rider-first-month-income")]
    assert (row["value_base"], row["base_unit"]) == (8000, "yuan/person/month")  # never 96,000 yuan a year


@pytest.mark.parametrize("figure_id", ["poor-households-current-lead", "poor-people-current-lead", "poverty-incidence-current-lead"])
def test_yanlings_current_figures_hold_as_of_publication(figure_id: str) -> None:
    figure = _figure("hunan/yanling.yaml", figure_id)
    assert figure["date_basis"] == "as_of_publication" and "date" not in figure
