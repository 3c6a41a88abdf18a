"""Every source document in seeds/ is listed in the index and matches its checksum: no one edits a source."""

from __future__ import annotations

import hashlib

import yaml

from validator.support.paths import SEEDS_DIR, SEEDS_INDEX


def _index() -> list[dict]:
    return yaml.safe_load(SEEDS_INDEX.read_text(encoding="utf-8"))["sources"]


def test_every_seed_matches_its_checksum() -> None:
    for entry in _index():
        digest = hashlib.sha256((SEEDS_DIR / entry["file"]).read_bytes()).hexdigest()
        assert digest == entry["sha256"], f"{entry['file']} was changed"


def test_every_seed_file_is_in_the_index_and_every_entry_has_a_file() -> None:
    listed = {entry["file"] for entry in _index()}
    present = {path.name for path in SEEDS_DIR.iterdir() if path.name != "index.yaml"}
    assert listed == present


def test_index_describes_each_seed() -> None:
    for entry in _index():
        for field in ("title", "language", "counties"):
            assert entry.get(field), f"{entry['file']} has no {field}"
