"""Schema 1.1: what it adds is marked in the published schema, and rules read the additions.

Each record here is written against a seed of its own (in tmp_path), so that a record meant to be
clean can be checked for no finding at all, not only for the absence of one code.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from rule_cases import TODAY
from validator.commands.export import export_table
from validator.engine import Settings, run
from validator.models import SCHEMA_VERSIONS, SINCE, UNITS_SINCE, VALUES_SINCE, version_key
from validator.models.additions import FUND_STAGES_ADDED, METRICS_ADDED, UNITS_ADDED
from validator.models.vocabulary import FUND_STAGES, metric_definitions
from validator.support.paths import published_schema_path
from validator.record.number_idioms import FEW_SUFFIXES
from validator.record.numbers import SCALE_WORDS
from validator.record.quantities import parse_unit, unit_names

SEED = (
    "Since 2011 the county has built 12 bridges and 3 reservoirs, and trained 5,000 person-times.\n"
    "The fund of 2 million yuan drew in 6 million yuan of social capital; a foundation gave 1.5 million US dollars.\n"
    "About 1,000 households were relocated, 4,000 people; 300 of the 900 households were relocated in 2019.\n"
    "In all, 965 households of the 931 registered moved, by the county's own count.\n"
    "The county plans to build 20 more bridges by 2022, when coverage will reach 95%.\n"
)

HEADER = """\
schema_version: "1.1"
division: {code: "430225", name_en: Yanling County, name_zh: 炎陵县, province: Hunan, prefecture: 株洲市, designations: [national_poverty_county]}
sources:
  - {id: s1, file: seeds/s.txt, title: Seed, published: 2020, language: en}
"""

USES_EVERY_ADDITION = HEADER + """\
observations:
  - id: person-times
    metric: person_times
    value: 5,000 person_times
    period: {start: 2011, ongoing: true}
    quote: "trained 5,000 person-times"
  - id: foundation-usd
    metric: money_usd
    value: 1.5 million USD
    quote: "a foundation gave 1.5 million US dollars"
programmes:
  - id: infrastructure
    name: Rural infrastructure
    category: infrastructure
    period: {start: 2011, ongoing: true}
    beneficiaries:
      households: {metric: relocated_households, value: "1,000 households", qualifier: approximately, quote: "About 1,000 households were relocated"}
    outputs:
      - {id: bridges-built, metric: bridges, value: 12 bridges, period: {start: 2011, ongoing: true}, quote: "built 12 bridges"}
      - {id: reservoirs-built, metric: reservoirs, value: 3 reservoirs, date: 2019, quote: "3 reservoirs"}
      - {id: bridges-planned, metric: bridges, value: 20 bridges, date: 2022, planned: true, quote: "build 20 more bridges by 2022"}
funds:
  - id: fund
    label: the fund
    amount: {value: 2 million yuan, quote: "The fund of 2 million yuan"}
    stage: allocated
  - id: social-capital
    label: social capital drawn in by the fund
    amount: {value: 6 million yuan, quote: "drew in 6 million yuan of social capital"}
    stage: leveraged
shares:
  - {id: coverage-2022, value: 95 %, date: 2022, planned: true, quote: "coverage will reach 95%"}
relations:
  - {id: households-subset, kind: subset, part: relocated-2019, whole: relocated-all}
targets:
  - id: relocation
    metric: relocated_households
    target: {id: relocated-all, value: 900 households, quote: "300 of the 900 households", curated: {value: "900 households", qualifier: at_least, note: Read as at least the 900 households the plan names.}}
    achieved: {id: relocated-2019, value: 300 households, quote: "300 of the 900 households"}
    deadline: 2020
"""


def check(tmp_path: Path, text: str, seed: str = SEED) -> list:
    seeds = tmp_path / "seeds"
    seeds.mkdir(exist_ok=True)
    (seeds / "s.txt").write_text(seed, encoding="utf-8")
    digest = hashlib.sha256(seed.encode("utf-8")).hexdigest()
    (seeds / "index.yaml").write_text(f"sources:\n  - file: s.txt\n    sha256: {digest}\n", encoding="utf-8")
    record = tmp_path / "r.yaml"
    record.write_text(text, encoding="utf-8")
    return run([(record, "r.yaml")], Settings(today=TODAY, seeds_dir=seeds, jobs=1)).findings


def codes(findings: list) -> list[tuple[str, str]]:
    return [(f.code, f.path) for f in findings if f.severity.value != "info"]  # corrections are information


def test_a_record_using_every_addition_of_1_1_validates_without_findings(tmp_path: Path) -> None:
    assert codes(check(tmp_path, USES_EVERY_ADDITION)) == []


PUBLISHED = json.loads(published_schema_path("1").read_text(encoding="utf-8"))


def _marks(node: object) -> list[str]:
    """Every version named by an x-since mark anywhere in the published schema."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == SINCE:
                found.append(value)
            elif key in (VALUES_SINCE, UNITS_SINCE):
                found.extend(value.values())
            else:
                found.extend(_marks(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_marks(value))
    return found


def test_the_published_schema_accepts_both_minor_versions_and_marks_the_additions_with_known_later_versions() -> None:
    assert PUBLISHED["properties"]["schema_version"]["enum"] == list(SCHEMA_VERSIONS) == ["1.0", "1.1", "1.2"]
    marks = _marks(PUBLISHED)
    assert len(marks) > 20
    assert set(marks) <= set(SCHEMA_VERSIONS[1:])


def test_every_vocabulary_addition_is_in_its_vocabulary() -> None:
    assert set(FUND_STAGES_ADDED) <= set(FUND_STAGES)
    assert set(METRICS_ADDED) <= set(metric_definitions())
    assert PUBLISHED[UNITS_SINCE] == UNITS_ADDED
    for name in UNITS_ADDED:
        if name.isascii():
            assert name in unit_names()
            assert parse_unit(name).canonical == name  # the name SCHEMA007 finds in a parsed unit
        elif name in SCALE_WORDS or name in FEW_SUFFIXES:
            continue  # a scale word or 多/余 of a value: SCHEMA007 finds them in the parsed number
        else:
            assert name in unit_names()  # a Chinese alias: SCHEMA007 finds it in the unit as written
            parse_unit(name)



def test_fund_stages_are_defined_in_the_published_schema() -> None:
    stage = PUBLISHED["$defs"]["Fund"]["properties"]["stage"]
    assert stage["enum"] == list(FUND_STAGES)
    for name, meaning in FUND_STAGES.items():
        assert f"{name}: {meaning}" in stage["description"]


def test_us_dollars_are_their_own_currency(tmp_path: Path) -> None:
    assert parse_unit("USD").dimensionality == (("[usd_currency]", 1.0),)
    text = HEADER + 'funds:\n  - {id: f, label: gift, amount: {value: 1.5 million USD, quote: "1.5 million US dollars"}, stage: received}\n'
    assert codes(check(tmp_path, text)) == [("UNIT002", "funds[f].amount.value")]


@pytest.mark.parametrize(("period", "expected"), [
    ("{start: 2011, ongoing: true}", []),
    ("{start: 2011, end: 2019}", []),
    ("{start: 2011, end: 2019, ongoing: false}", []),
    ("{start: 2011}", [("DATE007", "observations[b].period")]),
    ("{start: 2011, ongoing: false}", [("DATE007", "observations[b].period")]),
    ("{start: 2011, end: 2019, ongoing: true}", [("DATE007", "observations[b].period.ongoing")]),
    # `end` is a date or absent, never null: the schema says so.
    ("{start: 2011, end: null, ongoing: true}", [("SCHEMA003", "observations[b].period.end")]),
])
def test_a_period_has_an_end_or_is_ongoing(tmp_path: Path, period: str, expected: list) -> None:
    text = HEADER + f'observations:\n  - {{id: b, metric: bridges, value: 12 bridges, period: {period}, quote: "built 12 bridges"}}\n'
    assert codes(check(tmp_path, text)) == expected


def test_an_ongoing_period_reaches_the_export_and_the_corpus_without_an_end(tmp_path: Path) -> None:
    check(tmp_path, USES_EVERY_ADDITION)
    table = export_table([(tmp_path / "r.yaml", "r.yaml")], Settings(today=TODAY, seeds_dir=tmp_path / "seeds", jobs=1))
    rows = {row["quantity_id"] or row["item_id"]: row for row in table.rows}
    assert (rows["person-times"]["period_start"], rows["person-times"]["period_end"]) == ("2011", None)
    # An output's own date is its date; one without inherits its programme's period.
    assert rows["reservoirs-built"]["date_as_written"] == "2019"
    assert rows["bridges-built"]["period_start"] == "2011"
    # A beneficiary count with a metric is a figure of that metric.
    assert rows["infrastructure"]["metric"] == "relocated_households"


SUBSET = HEADER + """\
observations:
  - {id: whole, metric: households, value: 931 households, quote: "965 households of the 931 registered"%s}
  - id: part
    metric: households
    value: 965 households
    quote: "965 households of the 931 registered"
    curated: {value: "965 households", note: The curated reading restates the figure for this test.%s}
relations:
  - {id: part-of-whole, kind: subset, part: part, whole: whole}
"""


def test_rules_read_a_curated_qualifier(tmp_path: Path) -> None:
    # 965 exactly cannot be part of 931; about 965 (within 10 %) can.
    assert codes(check(tmp_path, SUBSET % ("", ""))) == [("SUM003", "relations[part-of-whole]")]
    assert codes(check(tmp_path, SUBSET % ("", ", qualifier: approximately"))) == []


def test_rules_read_a_curated_upper_end(tmp_path: Path) -> None:
    # A whole curated as a range from 931 to 1,000 households can hold 965 of them.
    whole = ', curated: {value: "931 households", qualifier: range, upper: "1,000 households", note: The registered count is a range here for this test.}'
    assert codes(check(tmp_path, SUBSET % (whole, ""))) == []
    without_upper = whole.replace(', qualifier: range, upper: "1,000 households"', "")
    assert codes(check(tmp_path, SUBSET % (without_upper, ""))) == [("SUM003", "relations[part-of-whole]")]


@pytest.mark.parametrize(("curated", "pointer"), [
    (", qualifier: range", "observations[part].curated.qualifier"),
    (', upper: "1,200 households"', "observations[part].curated.upper"),
    (', qualifier: range, upper: "900 households"', "observations[part].curated.upper"),  # below 965
    (', qualifier: range, upper: "1,200 people"', "observations[part].curated.upper"),
])
def test_a_curated_range_must_be_one(tmp_path: Path, curated: str, pointer: str) -> None:
    text = (SUBSET % ("", curated)).replace("relations:\n  - {id: part-of-whole, kind: subset, part: part, whole: whole}\n", "")
    assert codes(check(tmp_path, text)) == [("UNIT004", pointer)]


def test_a_curated_upper_end_must_parse(tmp_path: Path) -> None:
    text = (SUBSET % ("", ', qualifier: range, upper: "1,200 puddles"')).replace("relations:\n  - {id: part-of-whole, kind: subset, part: part, whole: whole}\n", "")
    assert ("UNIT001", "observations[part].curated.upper") in codes(check(tmp_path, text))


OUTPUT = HEADER + """\
programmes:
  - id: p
    name: Bridges
    category: infrastructure
    outputs:
      - {id: o, metric: bridges, value: 20 bridges, %s, quote: "build 20 more bridges by 2022"}
"""


@pytest.mark.parametrize(("dating", "expected"), [
    ("date: 2022", [("DATE002", "programmes[p].outputs[o].date")]),
    ("date: 2022, planned: true", []),
    ("period: {start: 2022, ongoing: true}", [("DATE002", "programmes[p].outputs[o].period.start")]),
    ("period: {start: 2019, end: 2018}", [("DATE004", "programmes[p].outputs[o].period")]),
    ("date: 2027, planned: true", []),
    ("date: 2027", [("DATE002", "programmes[p].outputs[o].date"), ("DATE003", "programmes[p].outputs[o].date")]),
])
def test_date_rules_read_an_outputs_own_date(tmp_path: Path, dating: str, expected: list) -> None:
    assert sorted(codes(check(tmp_path, OUTPUT % dating))) == expected


def test_a_share_dated_after_its_source_must_be_planned(tmp_path: Path) -> None:
    share = HEADER + 'shares:\n  - {id: c, value: 95 %%, date: 2022%s, quote: "coverage will reach 95%%"}\n'
    assert codes(check(tmp_path, share % "")) == [("DATE002", "shares[c].date")]
    assert codes(check(tmp_path, share % ", planned: true")) == []


def test_a_beneficiary_metric_must_count_what_the_count_counts(tmp_path: Path) -> None:
    text = USES_EVERY_ADDITION.replace("households: {metric: relocated_households,", "households: {metric: relocated_people,")
    assert codes(check(tmp_path, text)) == [("UNIT002", "programmes[infrastructure].beneficiaries.households.value")]


def test_versions_sort_as_numbers() -> None:
    assert sorted(["1.10", "1.9", "1.1"], key=version_key) == ["1.1", "1.9", "1.10"]


def test_new_writes_a_record_of_the_newest_version(tmp_path: Path, capsys) -> None:
    from validator.cli import main
    from validator.load.loader import load_document

    target = tmp_path / "chaling.yaml"
    assert main(["new", "--code", "430224", "--out", str(target)]) == 0
    assert load_document(target).data["schema_version"] == SCHEMA_VERSIONS[-1] == "1.2"


WITHOUT_ADDITIONS = HEADER.replace('"1.1"', '"1.0"') + """\
observations:
  - {id: reservoirs-2019, metric: projects, value: 3 projects, date: 2019, quote: "3 reservoirs", derived: the 3 reservoirs are projects}
programmes:
  - id: relocation
    name: Relocation
    category: relocation
    period: {start: 2016, end: 2019}
    beneficiaries:
      households: {value: "1,000 households", qualifier: approximately, quote: "About 1,000 households were relocated"}
"""


def test_a_1_0_record_that_uses_nothing_of_1_1_validates_as_it_did(tmp_path: Path) -> None:
    assert codes(check(tmp_path, WITHOUT_ADDITIONS)) == []


def test_a_1_0_record_that_uses_an_addition_is_told_to_migrate(tmp_path: Path) -> None:
    text = WITHOUT_ADDITIONS.replace("period: {start: 2016, end: 2019}", "period: {start: 2016, ongoing: true}")
    findings = check(tmp_path, text)
    assert codes(findings) == [("SCHEMA007", "programmes[relocation].period.ongoing")]
    assert "added in schema 1.1" in findings[0].message and "county-records migrate --to 1.1" in findings[0].message


def test_every_addition_in_a_1_0_record_is_reported_without_importing_pydantic(tmp_path: Path) -> None:
    import subprocess
    import sys

    check(tmp_path, "")  # the seeds
    (tmp_path / "r.yaml").write_text(USES_EVERY_ADDITION.replace('"1.1"', '"1.0"', 1), encoding="utf-8")
    script = (
        "import sys, datetime; from pathlib import Path; from validator.engine import Settings, run\n"
        f"found = run([(Path({str(tmp_path / 'r.yaml')!r}), 'r.yaml')], Settings(today=datetime.date(2026, 11, 22), "
        f"seeds_dir=Path({str(tmp_path / 'seeds')!r}), jobs=1)).findings\n"
        "found = [f for f in found if f.severity.value != 'info']  # corrections are information\n"
        "print(sorted({f.code for f in found}), len(found), 'pydantic' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=20, check=True).stdout.split()
    # observations: person_times metric and unit, ongoing; money_usd metric and unit (5); the programme's ongoing,
    # the beneficiary metric (7); outputs: bridges metric, unit, period, ongoing; reservoirs metric, unit, date;
    # bridges metric, unit, date, planned (18); leveraged (19); the share's date and planned (21); the relation's
    # id (22); the target's curated qualifier (23).
    assert out == ["['SCHEMA007']", "23", "False"]
