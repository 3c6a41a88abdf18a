"""Id paths name things by id, survive reordering, and resolve back to the one pointer they name."""

from __future__ import annotations

import pytest

from validator.record.identity import id_path, is_positional, is_within, parse_id_path, pointer_of

DATA = {
    "observations": [{"id": "poor-households-2014", "value": "8,164 households"}, {"id": "a.b", "value": "1 village"}],
    "relations": [{"kind": "subset", "part": "x", "whole": "y"}, {"id": "micro-wish-subset", "kind": "subset"}],
    "division": {"code": "430225"},
    "odd/key": {"t~": 1},
}


@pytest.mark.parametrize(("pointer", "path"), [
    ("/observations/0/value", "observations[poor-households-2014].value"),
    ("/observations/1", "observations[a.b]"),
    ("/relations/0/part", "relations[#0].part"),
    ("/relations/1", "relations[micro-wish-subset]"),
    ("/division/code", "division.code"),
    ("", ""),
])
def test_id_path_names_items_by_id_and_resolves_back(pointer: str, path: str) -> None:
    assert id_path(pointer, DATA) == path
    if path:
        assert pointer_of(path, DATA) == pointer


def test_an_id_path_survives_inserting_an_item_above() -> None:
    before = id_path("/relations/1", DATA)
    moved = {**DATA, "relations": [{"id": "new", "kind": "same"}, *DATA["relations"]]}
    assert id_path("/relations/2", moved) == before
    assert pointer_of(before, moved) == "/relations/2"


@pytest.mark.parametrize("path", ["", "relations[]", "[x]", "relations[nope]", "relations[#9]", "division..code", "relations[#x]"])
def test_paths_that_name_nothing_resolve_to_none(path: str) -> None:
    assert pointer_of(path, DATA) is None


def test_an_id_two_items_share_names_no_one_thing() -> None:
    data = {"observations": [{"id": "a"}, {"id": "a"}]}
    assert pointer_of("observations[a]", data) is None


def test_parse_id_path_segments() -> None:
    assert parse_id_path("relations[micro-wish-subset].part") == [("key", "relations"), ("item", "micro-wish-subset"), ("key", "part")]
    assert parse_id_path("relations micro") is None


def test_within_and_positional() -> None:
    assert is_within("relations[a].part", "relations[a]")
    assert is_within("relations[a][#0]", "relations[a]")
    assert not is_within("relations[ab]", "relations[a]")
    assert not is_within("relations[a]", "relations[a].part")
    assert is_positional("relations[#3].part") and not is_positional("relations[a].part")
