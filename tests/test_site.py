"""`county-records site`: every figure of every record on a page, with its quote, correction and findings.

Expected values are read from the records (YAML) and from `validate --format json`, never from the site
code. Pages are parsed with the standard library's html.parser.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from validator.cli import main
from validator.support.paths import REPO_ROOT

RECORDS = REPO_ROOT / "records"
TODAY = date.today().isoformat()  # as `validate` runs in CI, so the findings are the same
SEED = "seeds/000_df674c90a12b3651.txt"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SECTIONS = ("observations", "targets", "programmes", "funds", "shares")


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    children: list[Element | str] = field(default_factory=list)

    def text(self) -> str:
        return " ".join(" ".join(c.text() if isinstance(c, Element) else c for c in self.children).split())

    def walk(self):
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.walk()

    def find_all(self, tag: str, **attrs: str) -> list[Element]:
        return [e for e in self.walk() if e.tag == tag and all(e.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())]


class TreeBuilder(HTMLParser):
    """A document tree, and every end tag that does not close the element open at that point."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs))
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if self.stack[-1].tag != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1].tag}> at line {self.getpos()[0]}")
            return
        self.stack.pop()

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(path: Path) -> Element:
    builder = TreeBuilder()
    builder.feed(path.read_text(encoding="utf-8"))
    builder.close()
    assert not builder.problems, f"{path.name}: {builder.problems[:3]}"
    assert builder.stack == [builder.root], f"{path.name}: unclosed {[e.tag for e in builder.stack[1:]]}"
    return builder.root


def normal(text: str) -> str:
    return " ".join(str(text).split())


def quantities(record: dict) -> list[dict]:
    """Every quantity of a record, found as the YAML holds it: a mapping with a value and a quote."""
    found = []

    def visit(node):
        if isinstance(node, dict):
            if "value" in node and "quote" in node:
                found.append(node)
            for child in node.values():
                visit(child)
        elif isinstance(node, list):
            for child in node:
                visit(child)

    for section in SECTIONS:
        visit(record.get(section, []))
    return found


def record_files() -> list[Path]:
    return sorted(RECORDS.rglob("*.yaml"))


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def build(arguments: list[str], capsys) -> tuple[int, str, str]:
    status = main(["site", "--today", TODAY, *arguments])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "public"
    assert main(["site", "--today", TODAY, "--out", str(out), str(RECORDS)]) == 0
    return out


@pytest.fixture(scope="module")
def index(site: Path) -> dict[str, Element]:
    """Index rows by the page they link to."""
    rows = {}
    for row in parse(site / "index.html").find_all("tr"):
        links = row.find_all("a")
        if links:
            rows[links[0].attrs["href"]] = row
    return rows


def row_code(row: Element) -> str:
    codes = [span.text() for span in row.find_all("span", class_="code")]
    return codes[0].split(",")[0] if codes else ""


def page_of(site: Path, index: dict[str, Element], record: dict) -> Path:
    code = record["division"]["code"]
    matching = [href for href, row in index.items() if row_code(row) == code]
    assert len(matching) == 1, f"the index has {len(matching)} rows for code {code}"
    return site / matching[0]


def test_every_record_has_a_page(site, index) -> None:
    files = record_files()
    assert len(index) == len(files)
    for path in files:
        record = load(path)
        page = page_of(site, index, record)
        assert page.is_file()
        [heading] = parse(page).find_all("h1")
        assert record["division"]["name_en"] in heading.text()
        assert heading.find_all("span", lang="zh")[0].text() == record["division"]["name_zh"]


def test_every_quantity_appears_on_its_page_with_its_quote_and_stated_value(site, index) -> None:
    for path in record_files():
        record = load(path)
        text = parse(page_of(site, index, record)).text()
        for quantity in quantities(record):
            assert normal(quantity["quote"]) in text, f"{path.name}: quote {quantity['quote'][:60]!r} missing"
            assert normal(quantity["value"]) in text, f"{path.name}: value {quantity['value']!r} missing"
            if "curated" in quantity:
                assert normal(quantity["curated"]["value"]) in text
                assert normal(quantity["curated"]["note"]) in text


def test_eryuan_donation_shows_the_stated_value_struck_its_curated_reading_and_the_note(site, index) -> None:
    record = load(RECORDS / "yunnan" / "eryuan.yaml")
    [fund] = [f for f in record["funds"] if f["id"] == "poverty-day-donations"]
    amount = fund["amount"]
    page = parse(page_of(site, index, record))
    [article] = [a for a in page.find_all("article") if a.attrs.get("data-id") == fund["id"]]
    assert [d.text() for d in article.find_all("del")] == [amount["value"]]
    assert "As stated:" in article.text()
    assert [i.text() for i in article.find_all("ins")] == [amount["curated"]["value"]]
    assert normal(amount["curated"]["note"]) in article.text()
    assert normal(amount["quote"]) in " ".join(b.text() for b in article.find_all("blockquote"))


def test_acknowledged_findings_appear_in_the_validators_view_with_their_reasons(site, index) -> None:
    acknowledged = 0
    for path in record_files():
        record = load(path)
        page = parse(page_of(site, index, record))
        if not record.get("acknowledged"):
            continue
        [section] = page.find_all("section", **{"aria-labelledby": "acknowledged-heading"})
        for ack in record.get("acknowledged", []):
            acknowledged += 1
            items = [li for li in section.find_all("li") if ack["rule"] in li.text()]
            assert any(normal(ack["reason"]) in li.text() for li in items), f"{path.name}: {ack['rule']} reason missing"
            # ... and again next to what it is about, above the validator's view.
            assert page.text().count(normal(ack["reason"])) >= 2, f"{path.name}: {ack['rule']} shown only in the validator's view"
    assert acknowledged >= 2  # the real records acknowledge at least two findings


def test_index_counts_match_the_records(site, index, capsys) -> None:
    assert main(["validate", "--format", "json", "--today", TODAY, str(RECORDS)]) == 0
    report = json.loads(capsys.readouterr().out)
    acknowledged_by_file: dict[str, int] = {}
    for finding in report["findings"]:
        if finding["acknowledged"]:
            key = Path(finding["file"]).resolve().relative_to(REPO_ROOT).as_posix()
            acknowledged_by_file[key] = acknowledged_by_file.get(key, 0) + 1
    header = [th.text() for th in parse(site / "index.html").find_all("thead")[0].find_all("th")]
    for path in record_files():
        record = load(path)
        row = index[page_of(site, index, record).relative_to(site).as_posix()]
        cells = dict(zip(header, [c.text() for c in row.children if isinstance(c, Element)], strict=True))
        division = record["division"]
        found = quantities(record)
        assert row.find_all("a")[0].text() == division["name_en"]
        assert row.find_all("span", lang="zh")[0].text() == division["name_zh"]
        assert ("province record" in cells["County"]) == (division.get("level") == "province")
        assert cells["Province"] == division["province"]
        assert int(cells["Figures"]) == len(found)
        assert int(cells["Corrections"]) == sum(1 for q in found if "curated" in q)
        own = acknowledged_by_file.get(path.relative_to(REPO_ROOT).as_posix(), 0)
        assert own >= len(record.get("acknowledged", []))
        assert cells["Findings"] == (f"{own} acknowledged" if own else "none")  # validate reports no open finding
        exit_ = division.get("delisted_year", {}).get("value") or str(division.get("poverty_exit", {}).get("date", ""))[:4]
        assert cells["Exit year"] == (str(exit_) if exit_ else "not recorded")
    assert any(load(p)["division"].get("level") == "province" for p in record_files())


def all_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


LICENCE = "https://creativecommons.org/licenses/by/4.0/"  # the one link to the web: the data's licence


def test_pages_parse_and_nothing_is_fetched_from_the_web(site) -> None:
    web = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)
    for path in all_pages(site):
        document = parse(path)
        assert document.find_all("html")[0].attrs.get("lang") == "en"
        assert len(document.find_all("h1")) == 1
        ids = [e.attrs["id"] for e in document.walk() if e.attrs.get("id")]
        assert len(ids) == len(set(ids)), f"{path.name}: repeated ids {sorted({i for i in ids if ids.count(i) > 1})[:5]}"
        assert not document.find_all("iframe")
        for script in document.find_all("script"):  # only the site's own, from the site
            assert script.attrs.get("src") == "site.js" and not script.text(), path.name
        for element in document.walk():
            for name in ("href", "src", "srcset", "xlink:href", "action", "data", "poster"):
                value = element.attrs.get(name)
                if element.tag == "a" and value == LICENCE:
                    continue
                assert not (value and web.match(value)), f"{path.name}: <{element.tag} {name}={value!r}>"
    css = (site / "site.css").read_text(encoding="utf-8")
    assert "@import" not in css and not re.search(r"url\(", css)


def test_local_links_and_anchors_resolve(site) -> None:
    ids = {path: {e.attrs["id"] for e in parse(path).walk() if e.attrs.get("id")} for path in all_pages(site)}
    for path in all_pages(site):
        for element in parse(path).walk():
            target = element.attrs.get("href") or element.attrs.get("src")
            if not target or target.startswith("data:") or target == LICENCE:
                continue
            parts = urlsplit(target)
            resolved = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            assert resolved.is_file(), f"{path.name}: {target} does not exist"
            if parts.fragment and resolved.suffix == ".html":
                assert parts.fragment in ids[resolved], f"{path.name}: no #{parts.fragment} in {resolved.name}"


def test_headings_are_in_order_and_tables_have_captions_and_scoped_headers(site) -> None:
    for path in all_pages(site):
        document = parse(path)
        levels = [int(e.tag[1]) for e in document.walk() if re.fullmatch(r"h[1-6]", e.tag)]
        assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:])), f"{path.name}: {levels}"
        for table in document.find_all("table"):
            assert table.find_all("caption"), path.name
            assert all(th.attrs.get("scope") in ("col", "row") for th in table.find_all("th")), path.name


def test_each_figure_names_its_line_in_the_record_file(site, index, tmp_path, capsys) -> None:
    path = RECORDS / "yunnan" / "eryuan.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    [line] = [n for n, text in enumerate(lines, 1) if text.strip() == "value: 10.733846 yuan"]
    page = page_of(site, index, load(path))
    where = f"records/yunnan/eryuan.yaml line {line}"
    links = [a for a in parse(page).find_all("a") if a.text() == where]
    assert links and links[0].attrs["href"] == f"../records/yunnan/eryuan.yaml.html#L{line}"
    assert (site / "records" / "yunnan" / "eryuan.yaml").read_bytes() == path.read_bytes()
    [shown] = [e for e in parse(site / "records" / "yunnan" / "eryuan.yaml.html").walk() if e.attrs.get("id") == f"L{line}"]
    assert shown.text() == lines[line - 1].strip()
    base = "https://example.org/county-records/blob/main/"
    out = tmp_path / "linked"
    assert build(["--out", str(out), "--source-url-base", base, str(path)], capsys)[0] == 0
    links = [a for a in parse(next(out.glob("counties/*.html"))).find_all("a") if a.text() == where]
    assert links and links[0].attrs["href"] == f"{base}records/yunnan/eryuan.yaml#L{line}"


HOSTILE_LABEL = "<script>alert(1)</script>"
HOSTILE_ATTRIBUTE = '"><img src=x onerror=alert(2)>'


def hostile_record(extra_observations: str = "") -> str:
    return f"""schema_version: "1.0"
division:
  code: "430225"
  name_en: '{HOSTILE_ATTRIBUTE}'
  name_zh: 炎陵县
  province: Hunan
  designations: [national_poverty_county]
sources:
  - id: s1
    file: {SEED}
    title: '{HOSTILE_LABEL}'
    language: en
observations:
  - id: hostile-one
    metric: registered_poor_households
    label: '{HOSTILE_LABEL}'
    value: 8,164 households
    date: 2014
    quote: 'decreased from 8,164 households {HOSTILE_ATTRIBUTE}'
    curated:
      value: 8,164 households
      note: 'A note with markup {HOSTILE_LABEL} that must stay text.'
{extra_observations}funds:
  - id: hostile-fund
    label: '{HOSTILE_ATTRIBUTE}'
    amount: {{value: 5 million yuan, quote: "5 million yuan {HOSTILE_LABEL}"}}
    stage: invested
  - id: other-fund
    label: other
    amount: {{value: 2 million yuan, quote: "2 million yuan"}}
    stage: planned
acknowledged:
  - rule: QUOTE001
    pointer: /observations/0
    reason: 'A reason with markup {HOSTILE_ATTRIBUTE} kept as text.'
"""


def test_hostile_text_in_a_record_is_escaped(tmp_path, capsys) -> None:
    records = tmp_path / "records"
    records.mkdir()
    (records / "hostile.yaml").write_text(hostile_record(), encoding="utf-8")
    (records / "broken.yaml").write_text(f"division: [{HOSTILE_LABEL}\n", encoding="utf-8")
    out = tmp_path / "site"
    assert build(["--out", str(out), str(records)], capsys)[0] == 0
    pages = all_pages(out)
    # the index, the comparison, the hostile record and the file that does not load, their lines, the source
    assert len(pages) == 7
    for path in pages:
        raw = path.read_text(encoding="utf-8")
        assert HOSTILE_LABEL not in raw and "<img" not in raw, path.name
        document = parse(path)
        assert all(s.attrs.get("src") == "site.js" for s in document.find_all("script")) and not document.find_all("img")
        assert not any(name.startswith("on") for e in document.walk() for name in e.attrs), path.name
    text = parse(out / "counties" / "430225.html").text()
    for shown in (HOSTILE_LABEL, HOSTILE_ATTRIBUTE, f"A reason with markup {HOSTILE_ATTRIBUTE} kept as text."):
        assert shown in text
    assert HOSTILE_ATTRIBUTE in parse(out / "index.html").text()


def test_charts_are_drawn_only_from_two_dated_points_with_alt_text_and_a_data_table(tmp_path, capsys) -> None:
    second = """  - id: households-2019
    metric: registered_poor_households
    value: 403 households
    date: 2019
    quote: "to 403 households and 716 in the current county"
"""
    for name, extra, expected in (("one", "", 0), ("two", second, 1)):
        records = tmp_path / name
        records.mkdir()
        (records / "record.yaml").write_text(hostile_record(extra), encoding="utf-8")
        out = tmp_path / f"site-{name}"
        assert build(["--out", str(out), str(records)], capsys)[0] == 0
        document = parse(next(out.glob("counties/*.html")))
        charts = {f.attrs["id"]: f for f in document.find_all("figure", class_="chart")}
        assert ("chart-register" in charts) == bool(expected), name
        assert "chart-funds" in charts  # two funds
        assert "chart-incidence" not in charts  # no poverty incidence at all
        for svg in (svg for chart in charts.values() for svg in chart.find_all("svg")):
            assert svg.attrs.get("role") == "img" and svg.find_all("title")[0].text()
        funds = charts["chart-funds"].text()
        assert HOSTILE_ATTRIBUTE in funds and "invested" in funds.lower() and "planned" in funds.lower()
        assert "5 million yuan" in funds and "2 million yuan" in funds
        if expected:
            [table] = [t for t in document.find_all("table") if t.find_all("caption")[0].attrs.get("id") == "chart-register-data"]
            rows = [row.text() for row in table.find_all("tbody")[0].find_all("tr")]
            assert len(rows) == 2, rows
            assert "2014" in rows[0] and "8,164 households" in rows[0]
            assert "2019" in rows[1] and "403 households" in rows[1]


def test_out_is_refused_unless_an_earlier_build_wrote_it(tmp_path, capsys) -> None:
    record = RECORDS / "hunan" / "yanling.yaml"
    a_file = tmp_path / "file.txt"
    a_file.write_text("keep", encoding="utf-8")
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep", encoding="utf-8")
    refused = (
        (a_file, record, "is a file"),
        (foreign, record, "did not write"),
        (tmp_path / "no" / "such", record, "does not exist"),
        (RECORDS / "site", RECORDS, "inside the records folder"),
        (RECORDS / "hunan" / "site", record, "inside the records folder"),  # records/ even when not named
    )
    for out, given, message in refused:
        status, _, err = build(["--out", str(out), str(given)], capsys)
        assert status == 2 and message in err, err
    assert a_file.read_text(encoding="utf-8") == "keep" and (foreign / "notes.txt").read_text(encoding="utf-8") == "keep"
    assert not (RECORDS / "site").exists() and not (RECORDS / "hunan" / "site").exists()
    out = tmp_path / "site"
    assert build(["--out", str(out), str(record)], capsys)[0] == 0
    (out / "stale.html").write_text("from an earlier build", encoding="utf-8")
    assert build(["--out", str(out), str(record)], capsys)[0] == 0
    assert not (out / "stale.html").exists() and (out / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt", "foreign", "site"]  # nothing left beside it


def test_templates_ship_as_package_data() -> None:
    templates = resources.files("validator.commands.site").joinpath("templates")
    names = sorted(entry.name for entry in templates.iterdir() if entry.is_file())
    assert {"base.html", "index.html", "record.html", "macros.html", "site.css"} <= set(names)
    patterns = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    shipped = [os.path.join("commands", "site", "templates", n) for n in names]
    assert all(any(fnmatch.fnmatch(s, p) for p in patterns["validator"]) for s in shipped), patterns


def test_only_gather_reads_the_pipeline() -> None:
    """One module of the site knows the pipeline (one engine run); the rest read the site model."""
    import ast

    pipeline = {"engine", "load", "structure", "record", "corpus", "rules"}
    modules = sorted((REPO_ROOT / "validator" / "commands" / "site").glob("*.py"))
    assert {m.name for m in modules} >= {"gather.py", "views.py", "render.py", "build.py"}
    for module in modules:
        imported = set()
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level >= 3:
                imported.add((node.module or "").split(".")[0])
            elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("validator."):
                imported.add(node.module.split(".")[1])
            elif isinstance(node, ast.Import):
                imported.update(a.name.split(".")[1] for a in node.names if a.name.startswith("validator."))
        if module.name != "gather.py":
            assert not imported & pipeline, f"{module.name} imports {sorted(imported & pipeline)}"
        else:
            assert {"engine", "record"} <= imported
