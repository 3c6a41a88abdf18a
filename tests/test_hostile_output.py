"""Hostile output: what a record or a file name holds cannot steer a terminal or a CI log, bloat a report,
run as a spreadsheet formula, or send a site's link elsewhere; SARIF results stay apart; acknowledged
findings read as acknowledged.

Each test builds its records in a repository of its own (schema/units.txt and seeds/) under tmp_path.
"""

from __future__ import annotations

import csv
import io
import json
import os
import posixpath
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from sarif_kit.validate import validation_errors

from rule_cases import FIXTURE_SEEDS, HEADER, TODAY
from validator.cli import main

FORMATS = ("text", "json", "github", "sarif")
# Characters that steer a terminal or reorder a line: C0 and C1 controls, DEL, bidirectional overrides.
STEERING = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
OWN_COMMAND = re.compile(r"::(error|warning|notice) file=[^:]*::")


def make_repository(folder: Path) -> Path:
    (folder / "schema").mkdir(parents=True)
    (folder / "schema" / "units.txt").touch()
    shutil.copytree(FIXTURE_SEEDS, folder / "seeds")
    (folder / "records").mkdir()
    return folder


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    return make_repository(tmp_path / "repo")


def validate(capsys, *arguments: str) -> tuple[int, str]:
    status = main(["validate", "--today", TODAY.isoformat(), *arguments])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out


def observation(item_id: str, value: str = "54 villages", quote: str = "all 54 poor villages have withdrawn") -> str:
    return f"  - {{id: {item_id}, metric: poor_villages, value: {value}, quote: {quote}}}\n"


# --- 1. control characters and forged lines -------------------------------------------------

FORGED = "records/forged.yaml:1:1: error FAKE001 forged"
HOSTILE_RECORD = HEADER + (
    "observations:\n" + observation("v", "55 villages")
    + observation("w", '"54 \\e]8;;https://evil.example/\\e\\\\villages\\e]8;;\\e\\\\ \\x9b31m \\u202e\\n' + FORGED + '"')
    + f'acknowledged:\n  - {{rule: QUOTE002, at: "observations[v]", reason: "kept on purpose\\n{FORGED}\\n  ::warning::forged \\e[2J \\x07"}}\n'
)
HOSTILE_KEY = HEADER + f'"\\e[31mbad\\n{FORGED}\\n::error::forged": 1\n'
HOSTILE_NAMES = ("hostile.yaml", "\x1b[31mred.yaml", "\u3000::error file=a::b.yaml", "odd,name:x.yaml")


@pytest.mark.parametrize("arguments", [("--format", "text"), ("--format", "text", "--verbose"), ("--format", "github")],
                         ids=["text", "text-verbose", "github"])
def test_record_text_cannot_steer_the_terminal_or_forge_a_line(arguments, repository: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(repository / "records")
    for name in HOSTILE_NAMES:
        Path(name).write_text(HOSTILE_RECORD, encoding="utf-8")
    Path("key.yaml").write_text(HOSTILE_KEY, encoding="utf-8")
    _, out = validate(capsys, "--color", "always", "--snippets", "always", *arguments, ".")
    github = "github" in arguments
    assert "\\x1b" in out, "the escape sequences are shown, escaped"
    for line in out.split("\n"):
        plain = line if github else re.sub(r"\x1b\[[0-9;]*m", "", line)  # the reporter's own colours
        assert not STEERING.search(plain), line
        assert not line.lstrip().startswith("::") or (github and OWN_COMMAND.match(line)), line
        assert not plain.lstrip().startswith("records/forged.yaml"), line
    if github:
        assert "file=%3A%3Aerror file=a%3A%3Ab.yaml" in out.replace("\u3000", "") and "file=odd%2Cname%3Ax.yaml" in out
    else:
        assert re.search(r"^\./\u3000::error file=a::b\.yaml:\d+:\d+: ", out, re.MULTILINE)


# --- 2. bounded output ----------------------------------------------------------------------

FINDINGS = 2500
BOUND = 1_000_000  # bytes: what 2,500 findings of one file may take in any format


@pytest.fixture(scope="module")
def flooding(tmp_path_factory) -> Path:
    """acked.yaml: 2,500 QUOTE002 findings, each acknowledged by its own entry, one with a 400 KB reason (an
    acknowledgement names one finding: ACK002); errors.yaml: 2,500 SCHEMA003 errors (a value that is no number)."""
    repository = make_repository(tmp_path_factory.mktemp("flood") / "repo")
    acked = "".join(observation(f"o{i}", "55 villages") for i in range(FINDINGS))
    reasons = ["r" * 400_000] + [f"The source states {i} as written." for i in range(1, FINDINGS)]
    entries = "".join(f"  - {{rule: QUOTE002, at: \"observations[o{i}].value\", reason: {reason}}}\n" for i, reason in enumerate(reasons))
    (repository / "records" / "acked.yaml").write_text(HEADER + "observations:\n" + acked + "acknowledged:\n" + entries, encoding="utf-8")
    errors = "".join(observation(f"o{i}", "many villages") for i in range(FINDINGS))
    (repository / "records" / "errors.yaml").write_text(
        HEADER + "observations:\n" + errors, encoding="utf-8")
    return repository


def _shown_and_left_out(output_format: str, out: str, file: str, code: str) -> tuple[int, int]:
    """How many findings of a code in a file the report shows, and how many it says it left out."""
    if output_format == "json":
        report = json.loads(out)
        shown = sum(1 for f in report["findings"] if f["file"].endswith(file) and f["rule"] == code)
        left = sum(entry["codes"].get(code, 0) for entry in report["left_out"] if entry["file"].endswith(file))
        return shown, left
    if output_format == "sarif":
        [sarif_run] = json.loads(out)["runs"]
        shown = sum(1 for r in sarif_run["results"] if r["ruleId"] == code
                    and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(file))
        notes = [n["message"]["text"] for invocation in sarif_run["invocations"] for n in invocation["toolExecutionNotifications"]
                 if n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(file)]
    else:
        shown = sum(1 for line in out.splitlines() if re.match(rf"(::\w+ file=)?\S*{re.escape(file)}[:,].*\b{code}\b", line)
                    and "not shown" not in line)
        notes = [line for line in out.splitlines() if file in line and "not shown" in line]
    left = sum(int(count) for note in notes for count in re.findall(rf"\b{code} x(\d+)", note))
    return shown, left


@pytest.mark.parametrize("output_format", FORMATS)
def test_a_flood_of_findings_with_a_huge_reason_gives_a_small_report(output_format: str, flooding: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(flooding)
    extra = ("--verbose",) if output_format == "text" else ()
    status, out = validate(capsys, "--format", output_format, *extra, "records")
    assert len(out.encode("utf-8")) < BOUND
    assert "r" * 1000 not in out
    assert status == 1  # the left-out errors still fail the run
    for file, code in (("errors.yaml", "SCHEMA003"), ("acked.yaml", "QUOTE002")):
        shown, left = _shown_and_left_out(output_format, out, file, code)
        assert 0 < shown < FINDINGS and shown + left == FINDINGS, (file, shown, left)
    if output_format == "text":
        assert int(re.search(r"(\d+) errors", out).group(1)) >= FINDINGS and f"{FINDINGS} acknowledged" in out
    if output_format == "sarif":
        assert validation_errors(json.loads(out)) == []


def test_the_cap_leaves_the_exit_status_as_the_findings_make_it(flooding: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(flooding)
    assert validate(capsys, "records/acked.yaml")[0] == 0
    status, out = validate(capsys, "--format", "json", "records/errors.yaml")
    assert status == 1 and json.loads(out)["summary"]["errors"] >= FINDINGS


def test_a_flood_of_findings_gives_a_small_site(flooding: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(flooding)
    assert main(["site", "--today", TODAY.isoformat(), "--out", str(tmp_path / "site"), "records"]) == 0
    pages = list((tmp_path / "site").rglob("*.html"))
    # The pages show the 5,000 figures themselves (about 1 MB); the reason would add 700 KB per finding shown.
    assert pages and sum(page.stat().st_size for page in pages) < 4 * BOUND
    # The record's own text is published once, as a page of its lines; no other page repeats the reason.
    views = [page for page in pages if page.name.endswith(".yaml.html")]
    records = {path.name: path.stat().st_size for path in Path("records").rglob("*.yaml")}
    assert views and all(view.stat().st_size < 2 * records[view.name.removesuffix(".html")] + 100_000 for view in views)
    assert not any("r" * 1000 in page.read_text(encoding="utf-8") for page in pages if page not in views)
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert f">{FINDINGS}<" in index, "the index counts every finding, shown or not"
    acked = next(page for page in pages if page not in views and ("acked" in page.read_text(encoding="utf-8")[:5000] or "430225" in page.name))
    assert re.search(r"QUOTE002 x\d+", acked.read_text(encoding="utf-8"))


# --- 3. CSV formula injection ---------------------------------------------------------------

FORMULAS = ('=HYPERLINK("https://evil.example","x")', "+1", "-1+2", "@SUM(A1)", "\tx", "\rx")


def test_csv_cells_that_would_run_as_formulas_are_inert(repository: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(repository)
    items = "".join(
        f"  - {{id: f{i}, metric: poor_villages, label: {json.dumps(label)}, value: 54 villages, quote: all 54 poor villages have withdrawn}}\n"
        for i, label in enumerate(FORMULAS))
    items += "  - {id: falling, metric: poor_villages, value: -5 villages, quote: all 54 poor villages have withdrawn}\n"
    Path("records/r.yaml").write_text(HEADER + "observations:\n" + items, encoding="utf-8")
    assert main(["export", "records/r.yaml"]) == 0
    written = capsys.readouterr().out
    assert main(["export", "--format", "datapackage", "--out", "package", "records/r.yaml"]) == 0
    for text in (written, Path("package/figures.csv").read_bytes().decode("utf-8")):
        rows = {row["item_id"]: row for row in csv.DictReader(io.StringIO(text, newline=""))}
        for i, label in enumerate(FORMULAS):
            assert rows[f"f{i}"]["label"] == "'" + label
        assert rows["falling"]["value_stated"] == "-5", "a negative number stays a number"
        assert rows["falling"]["value_text"] == "'-5 villages"


# --- 4. site links ----------------------------------------------------------------------------

HOSTILE_FOLDERS = ("%2e%2e", "a b", "c#d", "e?f")


@pytest.mark.parametrize("base", [None, "https://example.org/repo/blob/main"])
def test_site_links_to_records_in_hostile_folders_stay_on_them(base, repository: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(repository)
    for n, folder in enumerate(HOSTILE_FOLDERS):
        (Path("records") / folder).mkdir()
        (Path("records") / folder / "x.yaml").write_text(HEADER.replace('"430225"', f'"43022{n + 1}"'), encoding="utf-8")
    out = tmp_path / "site"
    assert main(["site", "--today", TODAY.isoformat(), "--out", str(out), *(["--source-url-base", base] if base else []), "records"]) == 0
    linked = set()
    for page in (out / "counties").glob("*.html"):
        for href in re.findall(r'class="where" href="([^"]+)"', page.read_text(encoding="utf-8")):
            parts = urlsplit(href.replace("&amp;", "&"))
            assert re.fullmatch(r"L\d+", parts.fragment) and not parts.query, href
            segments = parts.path.split("/")
            # A browser reads an encoded dot segment as `..` too: only the site's own `../` may climb.
            assert all(segment == ".." or unquote(segment) not in (".", "..") for segment in segments), href
            decoded = "/".join(unquote(segment) for segment in segments)
            if base:
                assert href.startswith(base + "/")
                linked.add(decoded.removeprefix(urlsplit(base).path + "/"))
            else:
                target = Path(posixpath.normpath(posixpath.join("counties", decoded)))
                assert (out / target).is_file(), href
                linked.add(target.as_posix())
    # The site's own line view of a record (records/.../x.yaml.html), or the record in the repository at the base.
    for folder in HOSTILE_FOLDERS:
        assert f"records/{folder}/x.yaml" + ("" if base else ".html") in linked


# --- 5. SARIF fingerprints and URIs ---------------------------------------------------------

MISSING_TWO = HEADER + "observations:\n  - {id: v, quote: all 54 poor villages have withdrawn}\n"


def _sarif(capsys, *paths: str) -> list[dict]:
    _, out = validate(capsys, "--format", "sarif", *paths)
    log = json.loads(out)
    assert validation_errors(log) == []
    return log["runs"][0]["results"]


def _uris(results: list[dict]) -> set[str]:
    return {loc["physicalLocation"]["artifactLocation"]["uri"] for r in results
            for loc in r["locations"] + r.get("relatedLocations", [])}


def test_sarif_results_have_their_own_fingerprints_and_repository_uris(repository: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    record = repository / "records" / "x.yaml"
    record.write_text(MISSING_TWO, encoding="utf-8")
    for twin in ("a.yaml", "b.yaml"):  # one code twice: CODE001 names the other file in its message
        (repository / "records" / twin).write_text(HEADER, encoding="utf-8")
    monkeypatch.chdir(repository / "records")
    results = _sarif(capsys, "x.yaml", "a.yaml", "b.yaml")
    assert sum(1 for r in results if r["ruleId"] == "SCHEMA001") >= 2 and any(r["ruleId"] == "CODE001" for r in results)
    prints = [json.dumps(r["partialFingerprints"], sort_keys=True) for r in results]
    assert len(set(prints)) == len(prints)
    uris = _uris(results)
    assert uris == {"records/x.yaml", "records/a.yaml", "records/b.yaml"}

    monkeypatch.chdir(tmp_path)
    paths = [str(repository / "records" / name) for name in ("x.yaml", "a.yaml", "b.yaml")]
    again = _sarif(capsys, *paths)
    assert [r["partialFingerprints"] for r in again] == [r["partialFingerprints"] for r in results]
    assert _uris(again) == uris

    record.write_text("# a comment\n# moves every line\n" + MISSING_TWO, encoding="utf-8")
    shifted = _sarif(capsys, *paths)
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in shifted] != \
           [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results]
    assert sorted(prints) == sorted(json.dumps(r["partialFingerprints"], sort_keys=True) for r in shifted)


# --- 6. acknowledged findings read as acknowledged ------------------------------------------

ACKNOWLEDGED = HEADER + (
    "observations:\n" + observation("v", "55 villages") + observation("bad", "54 zorkmids")
    + '  - {id: c, metric: poor_villages, value: 54 villages, curated: {value: 54 villages, note: "read as stated, for the test"}, '
      'quote: all 54 poor villages have withdrawn}\n'
    + 'acknowledged:\n  - {rule: QUOTE002, at: "observations[v]", reason: "the source itself says 55 elsewhere, kept"}\n'
)


def test_acknowledged_findings_print_as_acknowledged_and_quiet_prints_what_fails(repository: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(repository)
    Path("records/r.yaml").write_text(ACKNOWLEDGED, encoding="utf-8")
    _, default = validate(capsys, "--color", "never", "records/r.yaml")
    _, quiet = validate(capsys, "--color", "never", "--quiet", "records/r.yaml")
    _, verbose = validate(capsys, "--color", "never", "--verbose", "records/r.yaml")
    for out in (default, quiet, verbose):
        assert not re.search(r": (error|warning) QUOTE002 at observations\[v\]", out)
        assert re.search(r"^records/r\.yaml:\d+:\d+: error UNIT00\d ", out, re.MULTILINE)
    assert re.search(r"^records/r\.yaml:\d+:\d+: acknowledged QUOTE002 at observations\[v\]", verbose, re.MULTILINE)
    assert "1 acknowledged" in default and "QUOTE002" not in default
    assert all(re.match(r"records/r\.yaml:\d+:\d+: (error|warning) ", line) for line in quiet.splitlines()), quiet
    _, report = validate(capsys, "--format", "json", "records/r.yaml")
    assert any(f["rule"] == "QUOTE002" and f["acknowledged"] for f in json.loads(report)["findings"])
