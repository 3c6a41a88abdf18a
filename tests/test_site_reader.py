"""The site as a reader meets it: key figures first, corrections as corrections, sources to read, a sortable
index, a comparison page, record lines that open, and a footer that cites and licenses.

Records are built in tmp_path (quotes taken from seeds/000, a Yanling text), except the Eryuan test, which
names its file. Expected values come from the fixtures and the seeds, never from the site's code.
"""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from test_site import Element, normal, parse
from validator.cli import main
from validator.support.paths import REPO_ROOT

TODAY = date.today().isoformat()
SEED = "seeds/000_df674c90a12b3651.txt"
TABLE = "seeds/005_poverty_counties_832.csv"
LONG_NOTE = ("The translation writes million where the original has 亿, a hundred million. " * 20).strip()


def table_row(code: str) -> dict[str, str]:
    with (REPO_ROOT / TABLE).open(encoding="utf-8", newline="") as handle:
        return next(row for row in csv.DictReader(handle) if row["code"] == code)


def reader_record(code: str = "430225", extra: str = "") -> str:
    """A record with dated registered poor households at two dates, people at one, incidence, two funds and a
    correction with a long note; every quote is in seeds/000."""
    year = table_row(code)["delisted_year"]
    return f"""schema_version: "1.2"
division:
  code: "{code}"
  name_en: Yanling County
  name_zh: 炎陵县
  province: Hunan
  prefecture: 株洲市
  designations: [national_poverty_county]
  delisted_year: {{value: {year}, source: list, cell: {{row: "{code}", column: delisted_year}}}}
sources:
  - id: s1
    file: {SEED}
    title: Yanling's four issues
    language: en
  - id: list
    file: {TABLE}
    key: code
    title: The 832 counties
    language: zh
observations:
  - id: households-2014
    metric: registered_poor_households
    value: 8,164 households
    date: 2014
    source: s1
    quote: "decreased from 8,164 households and 26,761 in 2014"
  - id: households-2019
    metric: registered_poor_households
    value: 403 households
    date: 2019
    source: s1
    quote: "to 403 households and 716 in the current county"
  - id: people-2014
    metric: registered_poor_people
    value: 26,761 people
    date: 2014
    source: s1
    quote: "decreased from 8,164 households and 26,761 in 2014"
  - id: incidence-2014
    metric: poverty_incidence
    value: 16.57 %
    date: 2014
    source: s1
    quote: "the poverty incidence rate has dropped from 16.57% in 2014"
{extra}funds:
  - id: fund-production-development
    label: production development funds invested by the county finance
    stage: invested
    date: 2018
    amount: {{value: 209 million yuan, source: s1, quote: "invested 209 million yuan in production development funds"}}
  - id: fund-ecological-industry-reward
    label: ecological industry reward and subsidy funds distributed
    stage: disbursed
    date_basis: as_of_publication
    amount:
      value: 1.34 million yuan
      source: s1
      quote: "1.34 million yuan of ecological industry reward and subsidy funds were distributed"
      curated:
        value: 1.34 billion yuan
        note: "{LONG_NOTE}"
"""


def build(records: Path, out: Path, *extra: str) -> Path:
    assert main(["site", "--today", TODAY, "--out", str(out), *extra, str(records)]) == 0
    return out


@pytest.fixture(scope="module")
def reader_site(tmp_path_factory) -> Path:
    records = tmp_path_factory.mktemp("reader-records")
    (records / "yanling.yaml").write_text(reader_record(), encoding="utf-8")
    return build(records, tmp_path_factory.mktemp("reader") / "site", "--build-date", "2024-05-06")


def county_page(site: Path, code: str = "430225") -> Element:
    return parse(site / "counties" / f"{code}.html")


def section(document: Element, key: str) -> Element:
    [found] = document.find_all("section", **{"aria-labelledby": f"{key}-heading"})
    return found


def test_eryuan_shows_its_corrections_as_corrections_and_no_open_findings(tmp_path) -> None:
    path = REPO_ROOT / "records" / "yunnan" / "eryuan.yaml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    curated = []

    def visit(node):
        if isinstance(node, dict):
            if "curated" in node and "value" in node:
                curated.append(node)
            for child in node.values():
                visit(child)
        elif isinstance(node, list):
            for child in node:
                visit(child)

    visit(record)
    assert curated, "Eryuan's record has corrections"
    site = build(path, tmp_path / "site")
    document = county_page(site, record["division"]["code"])
    assert "open finding" not in document.text().lower()
    corrections = section(document, "corrections")
    rows = corrections.find_all("li", class_="correction-entry")
    assert len(rows) == len(curated)
    for quantity in curated:
        assert any(normal(quantity["curated"]["note"]) in row.text() and normal(quantity["value"]) in row.text()
                   and normal(quantity["curated"]["value"]) in row.text() for row in rows), quantity["curated"]["note"][:60]
    assert "…" not in corrections.text()


def test_a_long_correction_note_is_shown_whole(reader_site) -> None:
    document = county_page(reader_site)
    assert normal(LONG_NOTE) in section(document, "corrections").text()
    assert "open finding" not in document.text().lower()


def test_the_page_opens_with_the_key_figures_and_their_dates(reader_site) -> None:
    document = county_page(reader_site)
    sections = [s.attrs.get("aria-labelledby") for s in document.find_all("section")]
    assert sections[0] == "key-figures-heading"
    key = section(document, "key-figures")
    rows = {row.find_all("th")[0].text(): row.text() for row in key.find_all("tr") if row.find_all("td")}
    households = next(text for name, text in rows.items() if "households" in name.lower())
    assert "403 households" in households and "2019" in households and "8,164" not in households
    people = next(text for name, text in rows.items() if "people" in name.lower())
    assert "26,761 people" in people and "2014" in people
    incidence = next(text for name, text in rows.items() if "incidence" in name.lower())
    assert "16.57 %" in incidence
    exit_ = next(text for name, text in rows.items() if "exit" in name.lower())
    assert table_row("430225")["delisted_year"] in exit_


def test_a_key_figure_without_any_date_is_shown_as_undated_and_never_as_the_latest_dated(tmp_path) -> None:
    records = tmp_path / "records"
    records.mkdir()
    undated = """  - id: households-now
    metric: registered_poor_households
    value: 716 people
    source: s1
    quote: "to 403 households and 716 in the current county"
""".replace("registered_poor_households", "registered_poor_people")
    text = reader_record(extra=undated).replace("  - id: people-2014\n", "  - id: people-2014\n    planned: true\n")
    (records / "r.yaml").write_text(text, encoding="utf-8")
    document = county_page(build(records, tmp_path / "site"))
    rows = {row.find_all("th")[0].text(): row.text() for row in section(document, "key-figures").find_all("tr") if row.find_all("td")}
    people = next(text for name, text in rows.items() if "people" in name.lower())
    assert "716 people" in people and "date not stated" in people and "26,761" not in people


def test_the_register_chart_is_our_own_svg_and_only_drawn_from_two_dates(reader_site, tmp_path) -> None:
    document = county_page(reader_site)
    [chart] = [f for f in document.find_all("figure") if f.attrs.get("id") == "chart-register"]
    svgs = chart.find_all("svg")  # a panel a series: households and people differ a hundredfold
    assert svgs and all(svg.attrs.get("role") == "img" and svg.find_all("title") for svg in svgs)
    circles = chart.find_all("circle")
    assert len(circles) == 3  # households at two dates, people at one
    assert "2014" in chart.text() and "2019" in chart.text()
    records = tmp_path / "one-date"
    records.mkdir()
    text = reader_record().replace("    date: 2019\n", "    date: 2014\n")
    (records / "r.yaml").write_text(text, encoding="utf-8")
    single = county_page(build(records, tmp_path / "site"))
    assert not [f for f in single.find_all("figure") if f.attrs.get("id") == "chart-register"]


def test_funds_are_charted_by_year_and_stage_with_their_labels(reader_site) -> None:
    document = county_page(reader_site)
    [chart] = [f for f in document.find_all("figure") if f.attrs.get("id") == "chart-funds"]
    text = chart.text()
    assert "production development funds invested by the county finance" in text
    assert "ecological industry reward and subsidy funds distributed" in text
    assert "fund-production-development" not in text
    assert "invested" in text.lower() and "disbursed" in text.lower() and "2018" in text


def test_a_quote_links_to_its_passage_and_the_passage_back_to_the_figure(reader_site) -> None:
    document = county_page(reader_site)
    [figure] = [d for d in document.find_all("div") if d.attrs.get("id", "").startswith("at") and "209 million yuan" in d.text()]
    [link] = [a for a in figure.find_all("a") if "sources/" in a.attrs.get("href", "")]
    page, fragment = link.attrs["href"].split("#")
    source = parse((reader_site / "counties" / page).resolve())
    [passage] = [e for e in source.walk() if e.attrs.get("id") == fragment]
    [mark] = [m for m in source.find_all("mark") if passage in list(m.walk())]
    assert "invested 209 million yuan in production development funds" in mark.text()
    back = [a.attrs["href"] for a in source.walk() if a.tag == "a" and a.attrs.get("href", "").endswith(f"#{figure.attrs['id']}")]
    assert back, "the passage links back to the figure"
    seed_text = (REPO_ROOT / SEED).read_text(encoding="utf-8")
    [shown] = source.find_all("div", class_="source-text")

    def text_only(element: Element) -> str:  # the source's own words, without the links to what quotes them
        return "".join(c if isinstance(c, str) else "" if c.attrs.get("class") == "quoted-by" else text_only(c)
                       for c in element.children)

    assert normal(seed_text) == normal(text_only(shown))


def test_a_table_source_has_a_page_and_the_exit_year_links_to_its_row(reader_site) -> None:
    document = county_page(reader_site)
    links = [a for a in section(document, "key-figures").find_all("a") if "sources/" in a.attrs.get("href", "")]
    assert links
    page, fragment = links[0].attrs["href"].split("#")
    source = parse((reader_site / "counties" / page).resolve())
    [row] = [r for r in source.find_all("tr") if any(e.attrs.get("id") == fragment for e in r.walk())]
    assert table_row("430225")["delisted_year"] in row.text() and table_row("430225")["name_zh"] in row.text()
    assert any(a.attrs.get("href", "").endswith("counties/430225.html") for a in row.find_all("a"))


def test_line_links_open_the_line_in_the_browser(reader_site) -> None:
    document = county_page(reader_site)
    wheres = [a for a in document.find_all("a", class_="where") if " line " in a.text()]
    assert wheres
    for where in wheres[:5]:
        number = int(where.text().rsplit(" ", 1)[1])
        page, fragment = where.attrs["href"].split("#")
        assert page.endswith(".html") and fragment == f"L{number}"
        view = parse((reader_site / "counties" / page).resolve())
        [line] = [e for e in view.walk() if e.attrs.get("id") == fragment]
        expected = reader_record().splitlines()[number - 1].strip()
        assert normal(expected) in line.text()


def test_a_county_without_figures_gets_a_short_page_with_its_exit_year_cited(tmp_path) -> None:
    records = tmp_path / "records"
    records.mkdir()
    row = table_row("130821")
    (records / "chengde.yaml").write_text(f"""schema_version: "1.2"
division:
  code: "130821"
  name_en: Chengde County
  name_zh: 承德县
  province: Hebei
  prefecture: 承德市
  designations: [national_poverty_county]
  delisted_year: {{value: {row['delisted_year']}, source: list, cell: {{row: "130821", column: delisted_year}}}}
sources:
  - id: list
    file: {TABLE}
    key: code
    title: The 832 counties
    language: zh
""", encoding="utf-8")
    site = build(records, tmp_path / "site")
    page = site / "counties" / "130821.html"
    document = parse(page)
    text = document.text()
    assert row["delisted_year"] in text and "figure" in text.lower()
    assert [a for a in document.find_all("a") if "005_poverty_counties_832.html#" in a.attrs.get("href", "")]
    assert page.stat().st_size < 12_000


def test_the_footer_licenses_cites_and_dates_the_build_and_two_builds_are_identical(tmp_path) -> None:
    records = tmp_path / "records"
    records.mkdir()
    (records / "yanling.yaml").write_text(reader_record(), encoding="utf-8")
    first = build(records, tmp_path / "first", "--build-date", "2024-05-06")
    second = build(records, tmp_path / "second", "--build-date", "2024-05-06")
    citation = yaml.safe_load((REPO_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    for page in (first / "index.html", first / "counties" / "430225.html"):
        [footer] = parse(page).find_all("footer")
        text = footer.text()
        assert "CC BY 4.0" in text and "2024-05-06" in text and citation["title"] in text
        assert any("creativecommons.org/licenses/by/4.0" in a.attrs.get("href", "") for a in footer.find_all("a"))
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)


def test_the_index_is_a_table_that_reads_without_script_and_sorts_with_the_sites_own(reader_site) -> None:
    document = parse(reader_site / "index.html")
    [table] = document.find_all("table")
    headers = [th.text() for th in table.find_all("thead")[0].find_all("th")]
    assert len(headers) <= 7
    [row] = table.find_all("tbody")[0].find_all("tr")
    cells = [c for c in row.children if isinstance(c, Element)]
    assert all(c.attrs.get("data-label") for c in cells[1:]), "stacked cells on a phone name their column"
    scripts = document.find_all("script")
    assert scripts and all(s.attrs.get("src") and "//" not in s.attrs["src"] for s in scripts)
    for script in scripts:
        assert (reader_site / script.attrs["src"]).is_file()


def test_the_comparison_page_counts_exits_by_province_and_year(tmp_path) -> None:
    records = tmp_path / "records"
    records.mkdir()
    (records / "yanling.yaml").write_text(reader_record(), encoding="utf-8")
    (records / "chaling.yaml").write_text(reader_record("430224").replace("name_en: Yanling County", "name_en: Chaling County")
                                          .replace("name_zh: 炎陵县", "name_zh: 茶陵县"), encoding="utf-8")
    site = build(records, tmp_path / "site")
    document = parse(site / "compare.html")
    years = sorted({table_row("430225")["delisted_year"], table_row("430224")["delisted_year"]})
    [exits] = [t for t in document.find_all("table") if "exit" in t.find_all("caption")[0].text().lower()]
    header = [th.text() for th in exits.find_all("thead")[0].find_all("th")]
    [hunan] = [r for r in exits.find_all("tbody")[0].find_all("tr") if r.find_all("th")[0].text() == "Hunan"]
    cells = dict(zip(header, [c.text() for c in hunan.children if isinstance(c, Element)]))
    expected = {year: 0 for year in years}
    for code in ("430225", "430224"):
        expected[table_row(code)["delisted_year"]] += 1
    for year, count in expected.items():
        assert cells[year] == str(count)
    [indicators] = [t for t in document.find_all("table") if "indicator" in t.find_all("caption")[0].text().lower()]
    assert "403 households" in indicators.text() and "Chaling County" in indicators.text()
    assert re.search(r"\b2019\b", indicators.text())


def test_passages_are_marked_where_quote001_finds_them_across_line_breaks_and_chinese() -> None:
    from validator.commands.site.sources import Citation, _text_segments
    from validator.support.seeds import SeedText, fold_whitespace

    raw = "  \n第一段：全县共有\n 54 个 贫困村，\n\n  poverty  incidence\n dropped to 0.44%;\n（约）两千户\n"
    seed = SeedText(fold_whitespace(raw), "", raw)
    offsets = seed.raw_offsets()  # the one walk agrees with SeedText.position_of, character by character
    assert offsets is not None
    starts = [0] + [n + 1 for n, c in enumerate(raw) if c == "\n"]
    assert offsets == [starts[line - 1] + column - 1 for line, column in map(seed.position_of, range(len(seed.folded)))]
    quotes = {"共有54个贫困村": [Citation("counties/a.html", "x", "a")], "incidence dropped to 0.44%": [],
              "(约)两千户": [], "not in the text": []}
    segments, unmarked = _text_segments(seed, quotes)
    assert "".join(s.text for s in segments) == raw  # nothing lost, nothing added
    marked = [s.text for s in segments if s.marked]
    assert marked == ["共有\n 54 个 贫困村", "incidence\n dropped to 0.44%", "（约）两千户"]
    assert unmarked == 1


def test_quotes_that_differ_only_in_spacing_are_one_passage_with_one_anchor(tmp_path) -> None:
    records = tmp_path / "records"
    records.mkdir()
    spaced = """  - id: households-2014-again
    metric: registered_poor_households
    value: 8,164 households
    date: 2014
    source: s1
    quote: "decreased  from 8,164 households and 26,761 in 2014"
"""
    (records / "r.yaml").write_text(reader_record(extra=spaced), encoding="utf-8")
    site = build(records, tmp_path / "site")
    source = parse(site / "sources" / "000_df674c90a12b3651.html")
    ids = [e.attrs["id"] for e in source.walk() if e.attrs.get("id")]
    assert len(ids) == len(set(ids))
    quoting = [d.attrs["id"] for d in county_page(site).find_all("div") if d.attrs.get("id", "").startswith("at")
               and "decreased" in " ".join(b.text() for b in d.find_all("blockquote"))]
    assert len(quoting) == 3  # households twice (one quote spaced apart) and people
    linked = {a.attrs["href"].rsplit("#", 1)[1] for a in source.walk() if a.tag == "a" and "430225.html#" in a.attrs.get("href", "")}
    assert set(quoting) <= linked


def test_without_a_build_date_the_footer_takes_source_date_epoch(tmp_path, monkeypatch) -> None:
    records = tmp_path / "records"
    records.mkdir()
    (records / "yanling.yaml").write_text(reader_record(), encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(86400 * 365))  # 1971-01-01, a day no clock or commit gives
    [footer] = parse(build(records, tmp_path / "site") / "index.html").find_all("footer")
    assert "1971-01-01" in footer.text()


def test_a_figure_cited_to_a_cell_links_to_the_tables_row_and_the_row_back_to_the_figure(tmp_path) -> None:
    # The list of the 832 holds no count, so the figure cites the batch-year cell as a number of villages:
    # the page shows CELL001's finding on it, and the citation links both ways all the same.
    records = tmp_path / "records"
    records.mkdir()
    extra = ('  - {id: cited-villages, metric: poor_villages, value: 54 villages, date: 2018, source: list,\n'
             '     cell: {row: "430225", column: delisted_year}}\n')
    (records / "yanling.yaml").write_text(reader_record(extra=extra), encoding="utf-8")
    site = build(records, tmp_path / "site")
    document = county_page(site)
    [figure] = [e for e in document.find_all("div", class_="figure") if "54 villages" in e.text()]
    assert "CELL001" in figure.text() and "The 832 counties, row 430225, column delisted_year" in normal(figure.text())
    [link] = [a for a in figure.find_all("a") if "005_poverty_counties_832.html#" in a.attrs.get("href", "")]
    page, fragment = link.attrs["href"].split("#")
    source = parse((site / "counties" / page).resolve())
    [row] = [r for r in source.find_all("tr") if any(e.attrs.get("id") == fragment for e in r.walk())]
    assert table_row("430225")["name_zh"] in row.text()
    back = [a.attrs["href"] for a in row.find_all("a")]
    assert any(href.endswith("counties/430225.html#" + figure.attrs["id"]) for href in back), back
