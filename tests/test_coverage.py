"""COVER001 and the coverage counts: which numbers of a source are quantities, what accounts for one, and that a
record losing a figure is told which. Fixtures are built in tmp_path, except the one test that names the
real record it copies (records/hunan/yanling.yaml, read from the repository, changed only in the copy)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from rule_cases import FIXTURE_SEEDS, TODAY
from validator.engine import Settings, check_file, run
from validator.record.source_quantities import Sentence, quantities_in_sentence, quantities_of
from validator.reporters import summary_line
from validator.support.paths import RECORDS_DIR, SEEDS_DIR
from validator.support.seeds import read_seed


def written(text: str) -> list[str]:
    return [q.figure.written for q in quantities_in_sentence(Sentence(0, len(text), text))]


@pytest.mark.parametrize(("text", "quantities"), [
    ("2019年12月10日，全县新建公路12.5公里。", ["12.5公里"]),  # a year, a month, a day
    ("一是种植茶叶3万亩；二是建成车间12个；第三批搬迁860户。", ["3万亩", "12个", "860户"]),  # list words, an ordinal
    ("（1）新建公路5公里；2、投入资金300万元。", ["5公里", "300万元"]),  # list numbering
    ("On November 28, 2021, 1,500 people found jobs; the 13th Five-Year Plan ended.", ["1,500 people"]),
    ("Implement seven measures: 1. Relocate 841 households.", ["seven", "841 households"]),
    ('In meeting room No. 1, the "Four Not Picks" were studied by no one.', []),
    ("三五个村和40多人", ["三五个村", "40多人"]),  # ranges and approximations are quantities
])
def test_years_dates_ordinals_and_list_numbers_are_not_quantities(text: str, quantities: list[str]) -> None:
    assert written(text) == quantities


def _record(tmp_path: Path, body: str, version: str = "1.2") -> Path:
    path = tmp_path / "r.yaml"
    path.write_text(
        f'schema_version: "{version}"\n'
        'division: {code: "430225", name_en: Yanling County, name_zh: 炎陵县, province: Hunan, prefecture: 株洲市,'
        " designations: [national_poverty_county]}\n"
        "sources: [{id: s1, file: seeds/coverage-zh.txt, title: A county's report, language: zh}]\n" + body,
        encoding="utf-8")
    return path


def _findings(path: Path, code: str) -> list:
    result = check_file(path, path.name, Settings(today=TODAY, seeds_dir=FIXTURE_SEEDS, jobs=1))
    return [f for f in result.findings if f.code == code]


def test_an_omission_must_quote_its_source(tmp_path: Path) -> None:
    # An omission cannot account for text the source does not have: its quote is checked as any quote.
    path = _record(tmp_path, 'omissions: [{quote: "全县新建公路99公里", reason: repeat, note: not in the text}]\n')
    assert [f.path for f in _findings(path, "QUOTE001")] == ["omissions[#0].quote"]
    assert len(_findings(path, "COVER001")) == 6


def test_each_finding_names_the_quantity_and_its_sentence(tmp_path: Path) -> None:
    path = _record(tmp_path, 'omissions: [{quote: "全县新建公路12.5公里，每户补助500元。一是退耕还林3公顷；二是新建扶贫车间4个，'
                             '带动贫困户120户。", reason: beyond_the_schema, note: the whole of lines 2 and 3}]\n')
    [finding] = _findings(path, "COVER001")
    assert finding.data["written"] == "2456人" and finding.path == "sources[s1]"
    assert "邻县平川县当年减少贫困人口2456人" in finding.message
    assert (finding.related[0].file, finding.related[0].line) == ("seeds/coverage-zh.txt", 4)


def test_a_record_of_an_older_version_is_not_checked(tmp_path: Path) -> None:
    # `omissions` came with 1.2: a 1.1 record has no way to account for a quantity.
    assert _findings(_record(tmp_path, "", version="1.1"), "COVER001") == []
    assert len(_findings(_record(tmp_path, ""), "COVER001")) == 6


def test_the_summary_and_the_json_report_carry_coverage(tmp_path: Path, capsys) -> None:
    path = _record(tmp_path, "observations: [{id: road, metric: road_length, value: 12.5公里, quote: 全县新建公路12.5公里}]\n")
    validation = run([(path, "r.yaml")], Settings(today=TODAY, seeds_dir=FIXTURE_SEEDS, jobs=1))
    assert summary_line(validation).endswith("; 1 text source, 16% of their 6 quantities recorded or omitted")
    from validator.reporters import ReportOptions, reporter

    reporter("json")(validation, __import__("sys").stdout, ReportOptions())
    report = json.loads(capsys.readouterr().out)
    assert report["coverage"] == [{"file": "r.yaml", "sources": 1, "quantities": 6, "accounted": 1}]
    assert report["summary"]["coverage"] == {"sources": 1, "quantities": 6, "accounted": 1}


def test_a_seed_is_read_for_quantities_once_per_run(tmp_path: Path) -> None:
    quantities_of.cache_clear()
    files = []
    for name in ("a", "b", "c"):
        folder = tmp_path / name
        folder.mkdir()
        files.append((_record(folder, ""), f"{name}.yaml"))
    run(files, Settings(today=TODAY, seeds_dir=FIXTURE_SEEDS, jobs=1))
    info = quantities_of.cache_info()
    assert (info.misses, info.hits) == (1, 2)


def test_removing_a_recorded_figure_from_yanling_names_it(tmp_path: Path) -> None:
    # records/hunan/yanling.yaml accounts for every quantity of its source; a copy without the forest-road
    # figure must be told of the 230 kilometers and of nothing else.
    data = yaml.safe_load((RECORDS_DIR / "hunan" / "yanling.yaml").read_text(encoding="utf-8"))
    settings = Settings(today=TODAY, seeds_dir=SEEDS_DIR, jobs=1)
    whole = tmp_path / "whole.yaml"
    whole.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")  # JSON is YAML
    assert [f for f in check_file(whole, "whole.yaml", settings).findings if f.code == "COVER001"] == []

    for programme in data["programmes"]:
        programme["outputs"] = [o for o in programme.get("outputs", []) if "230 kilometers" not in o["quote"]]
    copy = tmp_path / "yanling.yaml"
    copy.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    findings = [f for f in check_file(copy, "yanling.yaml", settings).findings if f.code == "COVER001"]
    assert [f.data["written"] for f in findings] == ["230 kilometers"]
    assert read_seed(SEEDS_DIR, "000_df674c90a12b3651.txt").text.raw.splitlines()[findings[0].related[0].line - 1].count("230 kilometers") == 1


def test_the_county_page_shows_the_record_coverage(tmp_path: Path) -> None:
    from validator.commands.site.build import build_site

    path = tmp_path / "r.yaml"
    path.write_text(
        'schema_version: "1.2"\n'
        'division: {code: "430225", name_en: Yanling County, name_zh: 炎陵县, province: Hunan, prefecture: 株洲市,'
        " designations: [national_poverty_county]}\n"
        "sources: [{id: s1, file: seeds/000_df674c90a12b3651.txt, title: Yanling, language: en}]\n"
        'observations: [{id: villages, metric: poor_villages, value: 54 villages, quote: "all 54 poor villages have withdrawn"}]\n',
        encoding="utf-8")
    build_site([(path, "r.yaml")], tmp_path / "site", today=TODAY)
    page = (tmp_path / "site" / "counties" / "430225.html").read_text(encoding="utf-8")
    quantities = len(quantities_of(read_seed(SEEDS_DIR, "000_df674c90a12b3651.txt").text))
    assert f"Coverage: 1 of the {quantities} quantities its text sources write are recorded or omitted" in page


def test_a_quote_standing_everywhere_is_looked_at_a_bounded_number_of_times() -> None:
    # '的的的' stands nearly a million times in this text; a record quoting it costs a hundred steps, not a million.
    from validator.record.source_quantities import MAX_PLACES_PER_QUOTE, quote_spans
    from validator.support.seeds import SeedText

    text = "的" * 1_000_000 + "全县新建公路12.5公里。"
    spans = quote_spans(SeedText(text, "sha", text), "的的的")
    assert len(spans) == MAX_PLACES_PER_QUOTE and spans[:2] == [(0, 3), (1, 4)]
    at = text.index("12.5公里")
    assert quote_spans(SeedText(text, "sha", text), "12.5公里") == [(at, at + len("12.5公里"))]
