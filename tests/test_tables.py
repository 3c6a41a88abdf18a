"""Tables as sources (schema 1.2) and `county-records new --from-reference`.

Every test builds its own records and seeds in tmp_path: a small list in the columns of the list of the
832 (schema/reference/SOURCES.md), with the real codes of counties.csv, so that CODE002 checks the names.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from validator.commands.scaffold import ScaffoldError, write_from_reference
from validator.engine import Settings, run

SEED = "seeds/list.csv"
HEADER = "code,name_zh,province_zh,prefecture_zh,in_counties_csv,current_name_zh,current_name_en,match,match_note,source_code,delisted_year\n"
ROWS = [
    "430225,炎陵县,湖南省,株洲市,yes,炎陵县,Yanling County,exact,,430225,2017\n",
    '130881,平泉县,河北省,承德市,yes,平泉市,Pingquan City,renamed_recoded,"formerly 130823 平泉县 (1993-2017); now 130881 平泉市",130881,2017\n',
    "632803,冷湖行委,青海省,海西蒙古族藏族自治州,yes,茫崖市,Mangya City,manual,merged into Mangya City,630104,2019\n",
    "632803,茫崖行委,青海省,海西蒙古族藏族自治州,yes,茫崖市,Mangya City,manual,merged into Mangya City,632803,2019\n",
    ",大柴旦行委,青海省,海西蒙古族藏族自治州,no,,,manual,no county-level code,632825,2019\n",
    "130533,威县,河北省,邢台市,yes,威县,Wei County,exact,,130533,2018\n",
    "130434,魏县,河北省,邯郸市,yes,魏县,Wei County,exact,,130434,2018\n",
]


def _repository(tmp_path: Path) -> tuple[Path, Path]:
    """records/ and seeds/ (with the list and its checksum in seeds/index.yaml) in tmp_path."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    raw = (HEADER + "".join(ROWS)).encode("utf-8")
    (seeds / "list.csv").write_bytes(raw)
    (seeds / "index.yaml").write_text(
        f"sources:\n  - file: list.csv\n    sha256: {hashlib.sha256(raw).hexdigest()}\n", encoding="utf-8")
    return tmp_path / "records", seeds


def _validate(records: Path, seeds: Path):
    files = sorted((path, str(path.relative_to(records))) for path in records.rglob("*.yaml"))
    return run(files, Settings(today=date(2026, 11, 22), seeds_dir=seeds, jobs=1)).findings


def _snapshot(records: Path) -> dict[str, bytes]:
    return {str(path.relative_to(records)): path.read_bytes() for path in sorted(records.rglob("*.yaml"))}


def test_generated_records_are_clean_and_cite_their_cells(tmp_path: Path) -> None:
    records, seeds = _repository(tmp_path)
    done = write_from_reference(records, seeds, SEED)
    # Six codes: Mangya's two committees make one record, and 大柴旦行委 has no county-level code.
    assert len(done.written) == 5
    assert [why for why in done.skipped if "大柴旦行委" in why]
    assert [f"{f.code} {f.file}:{f.line} {f.message}" for f in _validate(records, seeds)
            if f.severity.value in ("error", "warning")] == []
    pingquan = (records / "hebei" / "pingquan.yaml").read_text(encoding="utf-8")
    assert 'name_zh: "平泉市"' in pingquan and 'value: "平泉县"' in pingquan  # what it is called now, and was
    assert "formerly 130823" in pingquan
    mangya = (records / "qinghai" / "mangya.yaml").read_text(encoding="utf-8")
    assert "key: name_zh" in mangya and "row: \"茫崖行委\"" in mangya  # the code is on two rows
    # Two Wei Counties of one province: neither takes the bare place name.
    assert sorted(p.name for p in (records / "hebei").glob("wei*")) == ["wei-county-130434.yaml", "wei-county-130533.yaml"]


def test_a_changed_year_is_a_finding_at_the_records_line_naming_the_cell(tmp_path: Path) -> None:
    records, seeds = _repository(tmp_path)
    write_from_reference(records, seeds, SEED)
    path = records / "hunan" / "yanling.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    line = next(number for number, text in enumerate(lines, 1) if "delisted_year:" in text)
    lines[line - 1] = lines[line - 1].replace("value: 2017", "value: 2016")
    path.write_text("".join(lines), encoding="utf-8")
    found = [f for f in _validate(records, seeds) if f.code == "CELL001"]
    assert [(f.file, f.line, f.severity.value) for f in found] == [("hunan/yanling.yaml", line, "error")]
    message = found[0].message
    assert "seeds/list.csv" in message and "code=430225" in message and "delisted_year" in message
    assert "2017" in message and "2016" in message


@pytest.mark.parametrize(("old", "new", "says"), [
    ('row: "430225", column: delisted_year', 'row: "430226", column: delisted_year', "no row with code '430226'"),
    ('row: "430225", column: delisted_year', 'row: "430225", column: exit_year', "no column 'exit_year'"),
])
def test_a_cited_row_or_column_that_does_not_exist_is_an_error(tmp_path: Path, old: str, new: str, says: str) -> None:
    records, seeds = _repository(tmp_path)
    write_from_reference(records, seeds, SEED)
    path = records / "hunan" / "yanling.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    found = [f for f in _validate(records, seeds) if f.code == "CELL002"]
    assert [(f.file, f.severity.value) for f in found] == [("hunan/yanling.yaml", "error")]
    assert says in found[0].message


def test_the_generator_is_idempotent(tmp_path: Path) -> None:
    records, seeds = _repository(tmp_path)
    first = write_from_reference(records, seeds, SEED)
    before = _snapshot(records)
    again = write_from_reference(records, seeds, SEED)
    assert again.written == [] and again.had_record == len(first.written)
    assert _snapshot(records) == before


def test_the_generator_never_overwrites(tmp_path: Path) -> None:
    records, seeds = _repository(tmp_path)
    # Yanling has a record under another name; another county's record holds Pingquan's file name.
    (records / "hunan").mkdir(parents=True)
    (records / "hunan" / "my-yanling.yaml").write_text('division: {code: "430225"}\n', encoding="utf-8")
    (records / "hebei").mkdir()
    taken = records / "hebei" / "pingquan.yaml"
    taken.write_text('division: {code: "130100"}\n', encoding="utf-8")
    done = write_from_reference(records, seeds, SEED)
    assert taken.read_text(encoding="utf-8") == 'division: {code: "130100"}\n'
    assert records / "hebei" / "pingquan-city.yaml" in done.written
    assert not (records / "hunan" / "yanling.yaml").exists()
    assert done.had_record == 1


def test_a_record_without_a_readable_code_stops_the_generator(tmp_path: Path) -> None:
    records, seeds = _repository(tmp_path)
    (records / "hunan").mkdir(parents=True)
    (records / "hunan" / "broken.yaml").write_text("division: [\n", encoding="utf-8")
    with pytest.raises(ScaffoldError, match="no readable division code"):
        write_from_reference(records, seeds, SEED)
    assert [p.name for p in records.rglob("*.yaml")] == ["broken.yaml"]


def test_quotes_need_no_source_beside_a_table(tmp_path: Path) -> None:
    # A table is cited by id, so a record with one text source and a table still quotes without `source:`.
    records, seeds = _repository(tmp_path)
    (seeds / "text.txt").write_text("all 54 poor villages have withdrawn\n", encoding="utf-8")
    with open(seeds / "index.yaml", "a", encoding="utf-8") as index:
        index.write(f"  - file: text.txt\n    sha256: {hashlib.sha256((seeds / 'text.txt').read_bytes()).hexdigest()}\n")
    records.mkdir()
    (records / "yanling.yaml").write_text(
        'schema_version: "1.2"\n'
        'division: {code: "430225", name_en: Yanling County, name_zh: 炎陵县, province: Hunan, prefecture: 株洲市,\n'
        "  designations: [national_poverty_county],\n"
        '  delisted_year: {value: 2017, source: list, cell: {row: "430225", column: delisted_year}}}\n'
        "sources:\n"
        "  - {id: text, file: seeds/text.txt, title: A text, language: en}\n"
        "  - {id: list, file: seeds/list.csv, key: code, title: The list, language: zh}\n"
        "observations:\n"
        '  - {id: v, metric: poor_villages, value: 54 villages, date: 2017, quote: "all 54 poor villages have withdrawn"}\n',
        encoding="utf-8")
    assert [f"{f.code} {f.message}" for f in _validate(records, seeds) if f.severity.value in ("error", "warning")] == []


def test_records_kept_by_a_parallel_run_travel_from_the_workers(tmp_path: Path) -> None:
    # export, site and diff keep the typed records; past the parallel threshold they come from worker
    # processes, so everything a record keeps must pickle (a quantity's expected dimension did not).
    from validator.engine import PARALLEL_THRESHOLD

    records, seeds = _repository(tmp_path)
    (seeds / "text.txt").write_text("all 54 poor villages have withdrawn\n", encoding="utf-8")
    records.mkdir()
    for number in range(PARALLEL_THRESHOLD + 2):
        (records / f"r{number}.yaml").write_text(
            'schema_version: "1.2"\n'
            'division: {code: "430225", name_en: Yanling County, name_zh: 炎陵县, province: Hunan, prefecture: 株洲市}\n'
            "sources: [{id: text, file: seeds/text.txt, title: A text, language: en}]\n"
            "observations:\n"
            '  - {id: v, metric: poor_villages, value: 54 villages, quote: "all 54 poor villages have withdrawn"}\n'
            "programmes:\n"
            "  - id: p\n    name: Roads\n    category: infrastructure\n"
            '    beneficiaries: {households: {value: 5 households, metric: relocated_households, quote: "54 poor"}}\n'
            "funds:\n"
            '  - id: f\n    label: Road fund\n    stage: invested\n    amount: {value: 54 yuan, quote: "all 54"}\n'
            '    standards: [{amount: {value: 5 yuan/household, quote: "all 54 poor"}}]\n',
            encoding="utf-8")
    files = [(path, path.name) for path in sorted(records.glob("*.yaml"))]
    result = run(files, Settings(today=date(2026, 11, 22), seeds_dir=seeds, jobs=2, keep_records=True))
    assert len(result.results) == PARALLEL_THRESHOLD + 2
    assert all(file.context is not None and file.context.quantities for file in result.results)


@pytest.mark.parametrize("text", ['code,delisted_year\n430225,"' + "x" * 200_000 + '"\n', "\n\n"], ids=["field-too-long", "no-header"])
def test_a_source_that_does_not_read_as_a_table_is_a_finding_not_a_traceback(tmp_path: Path, text: str) -> None:
    records, seeds = _repository(tmp_path)
    (seeds / "list.csv").write_text(text, encoding="utf-8")
    records.mkdir()
    (records / "yanling.yaml").write_text(
        'schema_version: "1.2"\n'
        'division: {code: "430225", name_en: Yanling County, name_zh: 炎陵县, province: Hunan, prefecture: 株洲市,\n'
        "  designations: [national_poverty_county],\n"
        '  delisted_year: {value: 2017, source: list, cell: {row: "430225", column: delisted_year}}}\n'
        "sources: [{id: list, file: seeds/list.csv, key: code, title: The list, language: zh}]\n", encoding="utf-8")
    found = [f for f in _validate(records, seeds) if f.code == "CELL002"]
    assert [(f.line, f.severity.value) for f in found] == [(4, "error")] and "is not a table" in found[0].message


FIGURES = "code,poor_people,poor_households,funds\n430225,5401,\"1,800户\",4116.52万元\n"


def _figure_record(records: Path, seeds: Path, people: str) -> Path:
    """Yanling with figures cited to cells of a table of figures (schema 1.2), one of them `people`."""
    (seeds / "figures.csv").write_text(FIGURES, encoding="utf-8")
    with open(seeds / "index.yaml", "a", encoding="utf-8") as index:
        index.write(f"  - file: figures.csv\n    sha256: {hashlib.sha256(FIGURES.encode('utf-8')).hexdigest()}\n")
    records.mkdir()
    path = records / "yanling.yaml"
    path.write_text(
        'schema_version: "1.2"\n'
        'division: {code: "430225", name_en: Yanling County, name_zh: 炎陵县, province: Hunan, prefecture: 株洲市,\n'
        "  designations: [national_poverty_county]}\n"
        "sources:\n"
        "  - {id: figures, file: seeds/figures.csv, key: code, title: County figures, language: zh}\n"
        "observations:\n"
        f'  - {{id: people, metric: registered_poor_people, value: "{people}", date: 2014, source: figures,\n'
        '     cell: {row: "430225", column: poor_people}}\n'
        '  - {id: households, metric: registered_poor_households, value: "1,800 households", date: 2014, source: figures,\n'
        '     cell: {row: "430225", column: poor_households}}\n'
        "funds:\n"
        '  - {id: funds, label: Funds, stage: allocated, date: 2019, amount: {value: "41,165,200 yuan", source: figures,\n'
        '     cell: {row: "430225", column: funds}}}\n',
        encoding="utf-8")
    return path


def test_figures_cited_to_cells_are_clean(tmp_path: Path) -> None:
    records, seeds = _repository(tmp_path)
    _figure_record(records, seeds, "5,401 people")
    assert [f"{f.code} {f.message}" for f in _validate(records, seeds) if f.severity.value in ("error", "warning")] == []


def test_a_changed_figure_is_a_finding_at_its_cell_naming_the_cell(tmp_path: Path) -> None:
    records, seeds = _repository(tmp_path)
    path = _figure_record(records, seeds, "5,410 people")
    cell_line = next(number for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                     if "column: poor_people" in text)
    found = [f for f in _validate(records, seeds) if f.severity.value in ("error", "warning")]
    assert [(f.code, f.file, f.line, f.pointer) for f in found] == [("CELL001", "yanling.yaml", cell_line, "/observations/0/cell")]
    message = found[0].message
    assert "seeds/figures.csv" in message and "code=430225" in message and "poor_people" in message
    assert "5401" in message and "5,410 people" in message
