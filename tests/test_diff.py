"""`county-records diff`: figures, findings and acknowledgements compared between two versions of records."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from rule_cases import FIXTURE_SEEDS, TODAY, build_record
from validator.cli import main
from validator.commands.diff import DiffInputError, VersionState, compare, compare_with_revision, identify
from validator.commands.diff_report import report_diff_github, report_diff_text
from validator.engine import Settings

SETTINGS = Settings(today=TODAY, seeds_dir=FIXTURE_SEEDS, jobs=1)
NAME = "records/hunan/yanling.yaml"

POOR = '  - {id: poor-2014, metric: registered_poor_households, value: "8,164 households", date: 2014, quote: "from 8,164 households"}\n'
VILLAGES = '  - {id: villages, metric: poor_villages, value: 54 villages, quote: "all 54 poor villages"}\n'
BASE = "observations:\n" + POOR + VILLAGES


def record(snippet: str) -> bytes:
    return build_record(snippet).text.encode("utf-8")


def diff_one(old: str | None, new: str | None):
    """The diff of one file between two snippets (None: the file does not exist on that side)."""
    before = {} if old is None else {NAME: record(old)}
    after = {} if new is None else {NAME: record(new)}
    changes = compare(before, after, SETTINGS, "REV")
    assert len(changes.files) <= 1
    return changes.files[0] if changes.files else None


def test_identify_names_list_elements_by_id_and_falls_back_to_position() -> None:
    data = {"observations": [{"id": "a"}, {"id": "b", "value": "1 household"}], "relations": [{"kind": "same"}]}
    assert identify("/observations/1/value", data) == "observations[b].value"
    assert identify("/relations/0/kind", data) == "relations[#0].kind"
    assert identify("/observations/7", data) == "observations[#7]"
    assert identify("", data) == ""


def test_identical_records_do_not_differ() -> None:
    assert diff_one(BASE, BASE) is None


def test_reordered_list_is_not_a_change() -> None:
    assert diff_one(BASE, "observations:\n" + VILLAGES + POOR) is None


def test_added_and_removed_figures() -> None:
    added = diff_one("observations:\n" + POOR, BASE)
    assert [f.identity for f in added.figures_added] == ["observations[villages]"]
    assert added.figures_added[0].value == "54 villages"
    assert added.figures_removed == [] and added.figures_changed == []
    removed = diff_one(BASE, "observations:\n" + POOR)
    assert [f.identity for f in removed.figures_removed] == ["observations[villages]"]


def test_new_and_removed_files_add_and_remove_every_figure() -> None:
    new_file = diff_one(None, BASE)
    assert new_file.old.state is VersionState.ABSENT
    assert [f.identity for f in new_file.figures_added] == ["observations[poor-2014]", "observations[villages]"]
    gone_file = diff_one(BASE, None)
    assert gone_file.new.state is VersionState.ABSENT
    assert len(gone_file.figures_removed) == 2


def test_changed_value_is_shown_old_to_new_and_its_finding_appears() -> None:
    changed = diff_one(BASE, BASE.replace('"8,164 households", date', '"8,165 households", date'))
    [change] = changed.figures_changed
    assert change.fields == ("value",)
    assert (change.old.value, change.new.value, change.new.quote) == ("8,164 households", "8,165 households", "from 8,164 households")
    [finding] = changed.findings_appeared
    assert (finding.code, finding.identity) == ("QUOTE002", "observations[poor-2014].value")
    assert changed.findings_gone == []
    # Undoing the change makes the finding go away.
    undone = diff_one(BASE.replace('"8,164 households", date', '"8,165 households", date'), BASE)
    assert [f.code for f in undone.findings_gone] == ["QUOTE002"]


def test_changed_quote_and_qualifier() -> None:
    changed = diff_one(BASE, BASE.replace('quote: "from 8,164 households"', 'qualifier: approximately, quote: "decreased from 8,164 households"'))
    [change] = changed.figures_changed
    assert change.fields == ("qualifier", "quote")
    assert (change.old.quote, change.new.quote) == ("from 8,164 households", "decreased from 8,164 households")


def test_new_acknowledgement_is_reported_and_its_finding_is_not_new() -> None:
    wrong = BASE.replace('"8,164 households", date', '"8,165 households", date')
    acknowledged = wrong + (
        "acknowledged:\n  - rule: QUOTE002\n    pointer: /observations/0/value\n"
        "    reason: The figure is kept as the curator read it, for this test.\n"
    )
    changed = diff_one(wrong, acknowledged)
    [ack] = changed.acknowledgements_added
    assert (ack.rule, ack.pointer, ack.identity) == ("QUOTE002", "/observations/0/value", "observations[poor-2014].value")
    assert changed.findings_appeared == [] and changed.findings_gone == []
    assert changed.figures_changed == []
    # Reordering moves the acknowledgement's pointer to the same figure: no change.
    reordered = "observations:\n" + VILLAGES + POOR.replace('"8,164 households", date', '"8,165 households", date') + (
        "acknowledged:\n  - rule: QUOTE002\n    pointer: /observations/1/value\n"
        "    reason: The figure is kept as the curator read it, for this test.\n"
    )
    assert diff_one(acknowledged, reordered) is None


def test_a_version_that_does_not_load_is_reported_not_raised() -> None:
    broken = diff_one(BASE, BASE + "notes: [unclosed\n")
    assert broken.new.state is VersionState.NOT_LOADED
    assert broken.new.problem.code == "YAML001"
    assert not broken.figures_compared and broken.figures_removed == []
    assert "YAML001" in [f.code for f in broken.findings_appeared]
    invalid = diff_one(BASE, BASE.replace("metric: poor_villages", "metric: no_such_metric"))
    assert invalid.new.state is VersionState.NOT_VALID and invalid.new.problem.code.startswith("SCHEMA")
    out = io.StringIO()
    report_diff_text(compare({NAME: record(BASE)}, {NAME: record(BASE + "notes: [unclosed\n")}, SETTINGS, "REV"), out)
    assert "the new version does not load: YAML001" in out.getvalue()


def test_text_and_github_reports() -> None:
    changes = compare(
        {NAME: record(BASE)},
        {NAME: record(BASE.replace('value: "8,164 households", date: 2014, quote: "from 8,164 households"',
                                   'value: "8,165 households", date: 2014, quote: "from 8,165 households"'))},
        SETTINGS, "origin/main",
    )
    text = io.StringIO()
    report_diff_text(changes, text)
    assert f"{NAME}\n  figures changed:\n    observations[poor-2014] (line 18): 8,164 households -> 8,165 households\n" in text.getvalue()
    assert 'quote: "from 8,164 households" -> "from 8,165 households"' in text.getvalue()
    assert text.getvalue().endswith("against origin/main: 1 of 1 record file changed; figures 0 added, 0 removed, 1 changed; "
                                    "findings 1 appeared, 0 gone; corrections 0 added, 0 removed; acknowledgements 0 added, 0 removed\n")
    markdown = io.StringIO()
    report_diff_github(changes, markdown)
    assert markdown.getvalue().startswith("## Data changes against `origin/main`\n")
    assert f"### `{NAME}`" in markdown.getvalue()
    assert "| `observations[poor-2014]` | 8,164 households | 8,165 households | was “from 8,164 households”<br>now “from 8,165 households” | 18 |" in markdown.getvalue()


def _git(repo: Path, *arguments: str) -> None:
    subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.org", *arguments], cwd=repo, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_end_to_end_against_a_commit_of_a_temporary_repository(tmp_path: Path) -> None:
    (tmp_path / "records" / "hunan").mkdir(parents=True)
    (tmp_path / NAME).write_bytes(record(BASE))
    (tmp_path / "records" / "hunan" / "gone.yaml").write_bytes(record(BASE))
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "records")
    (tmp_path / NAME).write_bytes(record("observations:\n" + VILLAGES.replace("54 villages", "55 villages") + POOR))
    (tmp_path / "records" / "hunan" / "gone.yaml").unlink()
    (tmp_path / "records" / "hunan" / "new.yml").write_bytes(record(BASE))  # untracked: still part of the working tree

    changes = compare_with_revision("HEAD", [], SETTINGS, repo_root=tmp_path)
    by_file = {d.file: d for d in changes.files}
    assert sorted(by_file) == ["records/hunan/gone.yaml", "records/hunan/new.yml", NAME]
    assert [c.new.value for c in by_file[NAME].figures_changed] == ["55 villages"]
    assert by_file["records/hunan/gone.yaml"].new.state is VersionState.ABSENT
    assert by_file["records/hunan/new.yml"].old.state is VersionState.ABSENT

    only_one = compare_with_revision("HEAD", [str(tmp_path / NAME)], SETTINGS, repo_root=tmp_path)
    assert [d.file for d in only_one.files] == [NAME]
    with pytest.raises(DiffInputError, match="unknown revision"):
        compare_with_revision("no-such-revision", [], SETTINGS, repo_root=tmp_path)
    with pytest.raises(DiffInputError, match="no such file or folder"):
        compare_with_revision("HEAD", [str(tmp_path / "records" / "nowhere")], SETTINGS, repo_root=tmp_path)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_command_exits_2_for_an_unknown_revision(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "no-such-revision-of-county-records"]) == 2
    captured = capsys.readouterr()
    assert "county-records: unknown revision 'no-such-revision-of-county-records'" in captured.err
    assert "Traceback" not in captured.err


def test_an_edit_of_a_file_that_fails_on_both_sides_is_listed() -> None:
    broken = BASE + "notes: [unclosed\n"
    assert diff_one(broken, broken) is None
    edited = diff_one(broken, broken.replace("54 villages", "55 villages"))
    assert edited is not None and not edited.figures_compared


def test_a_finding_naming_a_pointer_of_another_file_is_matched_by_identity() -> None:
    # CONFLICT001 on yanling.yaml names the copy's observation as a related place; reordering the copy moves its position.
    copy = "records/hunan/yanling-copy.yaml"
    poor = POOR.replace('"8,164 households", date', '"9,164 households", derived: mistyped, date')
    old = {NAME: record(BASE), copy: record("observations:\n" + poor + VILLAGES)}
    new = {NAME: record(BASE), copy: record("observations:\n" + VILLAGES + poor)}
    [conflict] = [f for d in compare({}, old, SETTINGS).files for f in d.findings_appeared if f.code == "CONFLICT001"]
    assert f"{copy} observations[poor-2014].value" in conflict.message
    assert compare(old, new, SETTINGS).files == []


def test_a_curated_reading_added_is_a_correction_not_a_finding() -> None:
    curated = BASE.replace(
        'quote: "from 8,164 households"',
        'quote: "from 8,164 households", curated: {value: "8,164 households", note: "The same figure, read again for this test of diff."}',
    )
    changed = diff_one(BASE, curated)
    [correction] = changed.corrections_added
    assert (correction.code, correction.identity) == ("CORRECTION001", "observations[poor-2014].curated.value")
    assert changed.findings_appeared == []
    assert [c.code for c in diff_one(curated, BASE).corrections_removed] == ["CORRECTION001"]


CELLS = (
    'schema_version: "1.2"\n'
    "sources:\n"
    "  - {id: figures, file: seeds/county-figures.csv, key: code, title: County figures, language: zh}\n"
    "observations:\n"
    '  - {id: poor, metric: registered_poor_people, value: "21,356 people", date: 2014, source: figures,\n'
    '     cell: {row: "520000", column: poor_people}}\n'
)


def test_a_figure_cited_to_a_cell_is_shown_with_its_cell() -> None:
    # tests/fixtures/seeds/county-figures.csv: row 520000 holds 21356 people and 12.5 (incidence_percent).
    changes = compare({NAME: record(CELLS)}, {NAME: record(CELLS.replace("column: poor_people", "column: incidence_percent"))},
                      SETTINGS, "origin/main")
    [change] = changes.files[0].figures_changed
    assert change.fields == ("cell",) and change.new.quote is None
    assert (change.old.cell, change.new.cell) == ("figures, row 520000, column poor_people", "figures, row 520000, column incidence_percent")
    assert [f.code for f in changes.files[0].findings_appeared] == ["CELL001"]
    text, markdown = io.StringIO(), io.StringIO()
    report_diff_text(changes, text)
    report_diff_github(changes, markdown)
    assert "cell figures, row 520000, column poor_people -> cell figures, row 520000, column incidence_percent" in text.getvalue()
    # Markdown escapes the underscore, as in every cell of the report.
    assert "was cell figures, row 520000, column poor&#95;people<br>now cell figures, row 520000, column incidence&#95;percent" in markdown.getvalue()
