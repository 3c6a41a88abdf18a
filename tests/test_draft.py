"""`county-records draft`: a text source to a validated record. A Chinese report of our own writing is added
with add-source, drafted, curated as a curator would (one figure about another county moved to
`omissions`), and validates with every quantity accounted for; the draft never overwrites a file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from test_add_source import county_records, scratch  # noqa: F401 - scratch is a fixture: a repository copy

# Written for this test in the style of a county's work report: quantities with units a reader must
# tell apart, a year, list numbering (一是, 二是) and a figure about a neighbouring county.
REPORT = (
    "清溪县2020年脱贫攻坚工作总结\n"
    "2020年，全县减少贫困人口3120人，贫困发生率由12.5%降至0.8%。\n"
    "全县投入扶贫资金2.6亿元，新建公路85公里。\n"
    "一是发展产业，种植茶叶1.2万亩，带动贫困户860户；二是建成扶贫车间12个。\n"
    "邻县当年减少贫困人口4500人。\n"
)
CODE = "430225"


def _proposal_blocks(text: str) -> dict[str, str]:
    """Each proposal of a draft by the figure its comment names: the comment line and the item under it."""
    blocks = re.findall(r"^  # (\S+) \(line .*\n(?:    .*\n|  - .*\n)+", text, re.MULTILINE)
    found = {}
    for match in re.finditer(r"^  # (\S+) \(line .*\n(?:  - .*\n)(?:    .*\n)*", text, re.MULTILINE):
        found[match.group(1)] = match.group(0)
    assert blocks and len(found) == len(blocks)
    return found


def _validate(root: Path, record: str) -> dict:
    completed = county_records(root, "validate", "--format", "json", record)
    return json.loads(completed.stdout)


def test_a_chinese_text_curated_from_file_to_validated_record(scratch: Path, tmp_path: Path) -> None:
    document = tmp_path / "report.txt"
    document.write_text(REPORT, encoding="utf-8")
    added = county_records(scratch, "add-source", str(document), "--title", "清溪县脱贫攻坚工作总结", "--language", "zh",
                           "--county", CODE)
    assert added.returncode == 0, added.stderr
    source_id = re.search(r"id: (s\d+)", added.stdout).group(1)

    drafted = county_records(scratch, "draft", "--source", source_id, "--code", CODE, "--output", "records/draft.yaml")
    assert drafted.returncode == 0, drafted.stderr
    draft = (scratch / "records" / "draft.yaml").read_text(encoding="utf-8")
    blocks = _proposal_blocks(draft)
    # Every quantity, and nothing else: not the year 2020, not 一是 or 二是.
    assert list(blocks) == ["3120人", "12.5%", "0.8%", "2.6亿元", "85公里", "1.2万亩", "860户", "12个", "4500人"]
    items = {item["value"]: item for item in yaml.safe_load(draft)["observations"]}
    assert items["12.5%"]["metric"] == "poverty_incidence"
    assert items["860户"]["metric"] == "registered_poor_households"
    assert items["85公里"]["metric"] == "road_length"
    assert items["12 workshops"]["metric"] == "workshops"  # 个 counts anything: the metric's unit says what
    assert items["1.2万亩"]["quote"] == "一是发展产业，种植茶叶1.2万亩，带动贫困户860户；二是建成扶贫车间12个。"
    # A time only where the sentence opens with its year (2020年，...); never the title's year, and not the
    # 'from' value of 由12.5%降至0.8%, which is a rate before that year.
    assert items["3120人"]["date"] == items["0.8%"]["date"] == 2020
    undated = ["12.5%", "2.6亿元", "85公里", "1.2万亩", "860户", "12 workshops", "4500人"]
    assert [value for value in undated if "date" in items[value] or "date_basis" in items[value]] == []
    assert "date: TODO" in blocks["2.6亿元"] and "date from '2020年'" in blocks["3120人"]

    # As drafted, every quantity is proposed: nothing is unaccounted for; DATE008 names each figure left without a time.
    report = _validate(scratch, "records/draft.yaml")
    assert report["summary"]["errors"] == 0, report["findings"]
    assert report["coverage"] == [{"file": "records/draft.yaml", "sources": 1, "quantities": 9, "accounted": 9}]
    assert len([f for f in report["findings"] if f["rule"] == "DATE008"]) == len(undated)

    # The curator confirms a time for each: the title names the year of the work summary (2020), and the
    # incidence fell in 2020 from 12.5%, the rate at the end of 2019.
    for value, year in [("12.5%", 2019), ("2.6亿元", 2020), ("85公里", 2020), ("1.2万亩", 2020), ("860户", 2020), ("12个", 2020)]:
        block = blocks[value]
        draft = draft.replace(block, block.replace("    quote:", f"    date: {year}\n    quote:"))
    blocks = _proposal_blocks(draft)
    # The curator drops the neighbouring county's figure: COVER001 names it until it is omitted with a reason.
    curated = draft.replace(blocks["4500人"], "")
    (scratch / "records" / "draft.yaml").write_text(curated, encoding="utf-8")
    report = _validate(scratch, "records/draft.yaml")
    [uncovered] = [f for f in report["findings"] if f["rule"] == "COVER001"]
    assert uncovered["data"]["written"] == "4500人" and uncovered["path"] == f"sources[{source_id}]"
    assert uncovered["related"][0]["line"] == 5

    omission = ('omissions:\n  - quote: "邻县当年减少贫困人口4500人"\n    reason: not_about_this_county\n'
                "    note: the neighbouring county's figure\n")
    (scratch / "records" / "draft.yaml").write_text(curated.replace("omissions: []\n", omission), encoding="utf-8")
    report = _validate(scratch, "records/draft.yaml")
    assert report["summary"]["errors"] == 0 and report["summary"]["warnings"] == 0, report["findings"]
    assert [f for f in report["findings"] if f["rule"] == "COVER001"] == []
    assert report["coverage"][0]["accounted"] == report["coverage"][0]["quantities"] == 9


def test_the_draft_never_overwrites_a_file(scratch: Path) -> None:
    target = scratch / "records" / "kept.yaml"
    target.write_text("a curator's work\n", encoding="utf-8")
    refused = county_records(scratch, "draft", "--source", "seeds/000_df674c90a12b3651.txt", "--code", CODE, "--output", "records/kept.yaml")
    assert refused.returncode == 1 and "not overwritten" in refused.stderr
    assert target.read_text(encoding="utf-8") == "a curator's work\n"


def test_an_english_source_drafts_to_standard_output(scratch: Path) -> None:
    drafted = county_records(scratch, "draft", "--source", "seeds/000_df674c90a12b3651.txt", "--code", CODE)
    assert drafted.returncode == 0, drafted.stderr
    record = yaml.safe_load(drafted.stdout)
    first = record["observations"][0]
    assert (first["metric"], first["value"]) == ("registered_poor_households", "8,164 households")
    assert "2014" not in [item["value"].split()[0] for item in record["observations"]]  # a year, not a figure


def test_a_table_or_an_unknown_seed_is_refused(scratch: Path) -> None:
    for source in ("seeds/005_poverty_counties_832.csv", "s999"):
        refused = county_records(scratch, "draft", "--source", source, "--code", CODE)
        assert refused.returncode == 1 and refused.stdout == "", refused.stdout


def _proposed_dates(text: str, folder: Path) -> dict[str, int | None]:
    """Each quantity of a text by how it is written: the year draft proposes as its date, or None."""
    from validator.commands.draft import propose_date
    from validator.record.source_quantities import quantities_of
    from validator.support.seeds import fold_whitespace, read_seed

    (folder / "text.txt").write_text(text, encoding="utf-8")
    seed = read_seed(folder, "text.txt").text
    lines = seed.raw.split("\n")
    return {quantity.figure.written: propose_date(quantity, fold_whitespace(lines[seed.position_of(quantity.sentence.start)[0] - 1]))[0]
            for quantity in quantities_of(seed)}


@pytest.mark.parametrize(("text", "expected"), [
    ("截至2020年底，全县累计脱贫12478户。", {"12478户": 2020}),
    ("By the end of 2019, 47 poor villages had been withdrawn.", {"47 poor villages": 2019}),
    # Two years listed 分别: which figure is which year is the curator's reading.
    ("2019年、2020年分别脱贫2103人、786人。", {"2103人": None, "786人": None}),
    # A start, not a date: the figure is a total since then.
    ("Since 2016, the county has invested 1.286 billion yuan.", {"1.286 billion yuan": None}),
    # A year that does not open the sentence may be another figure's.
    ("The income of rural residents reached 10,486 yuan in 2019.", {"10,486 yuan": None}),
    ("贫困户人均纯收入由2014年的2380元增加到2020年的9865元。", {"2380元": None, "9865元": None}),
    # The 'from' value of a change is of a time before the year the sentence opens with.
    ("2020年，贫困发生率由12.5%降至0.8%。", {"12.5%": None, "0.8%": 2020}),
    # A figure of four digits is no year; the line's opening heads its later sentences.
    ("2000户纳入低保，投入资金300万元。", {"2000户": None, "300万元": None}),
    ("2019年，新建公路85公里。改造危桥11座。", {"85公里": 2019, "11座": 2019}),
])
def test_draft_dates_a_figure_only_by_the_year_its_sentence_or_line_opens_with(text: str, expected: dict, tmp_path: Path) -> None:
    assert _proposed_dates(text, tmp_path) == expected
