"""A hostile review of the incremental run's speed-ups (scandir listing, corpus index format 6).

Each test is a case that broke: a listing that must name records as the os.walk listing did, and
a corpus index that must never crash, hang, or be trusted when it should not be. Runs work in a
scratch copy of the repository (test_incremental's fixtures), never in the repository's records.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from validator.record_files import collect_record_files
from test_incremental import cache_dir, scratch, validate  # noqa: F401  (fixtures pytest must see here)


def _displays(arguments: list[str]) -> list[tuple[str, str]]:
    return [(os.path.realpath(path), shown) for path, shown in collect_record_files(arguments)]


@pytest.mark.parametrize("spelling", ["records//hunan", "records/./hunan", "records/hunan/.", "records///hunan//",
                                      "{root}//records/hunan", "{root}/./records/hunan"])
def test_a_folder_typed_with_doubled_or_dot_separators_shows_the_names_its_plain_spelling_does(
        spelling: str, scratch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(scratch)
    plain = _displays(["records/hunan"])
    assert plain and all(shown.startswith("records/hunan/") for _, shown in plain)
    assert _displays([spelling.format(root=scratch)]) == plain


def test_a_record_under_the_current_folder_reached_from_above_is_shown_relative_to_it(
        scratch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `validate ..` from inside records/hunan: its own records lie under the current folder.
    monkeypatch.chdir(scratch / "records/hunan")
    shown = dict(_displays([".."]))
    assert shown[str((scratch / "records/hunan/yanling.yaml").resolve())] == "yanling.yaml"


def test_how_a_folder_is_typed_does_not_change_which_record_is_the_second_holder(scratch: Path, cache_dir: Path) -> None:
    # Corpus rules order records by display name: records//hunan/... sorted before records/guizhou/...
    shutil.copyfile(scratch / "records/guizhou/rongjiang.yaml", scratch / "records/hunan/rongjiang-copy.yaml")
    _, full = validate(scratch, cache_dir)
    expected = [(f["file"], [r["file"] for r in f["related"]]) for f in full if f["rule"] == "CODE001"]
    assert expected == [("records/hunan/rongjiang-copy.yaml", ["records/guizhou/rongjiang.yaml"])]
    for spelling in ("records//hunan", "records/./hunan", f"{scratch}//records/hunan"):
        _, findings = validate(scratch, cache_dir, spelling)
        assert [(f["file"], [r["file"] for r in f["related"]]) for f in findings if f["rule"] == "CODE001"] == expected, spelling
