"""Where the published contract lives: the repository's `schema/` and `seeds/` folders.

The validator checks records against the contract of the repository they belong to: the outermost
folder, from the record's folder (or the current directory) up to the git top level (the first
folder holding `.git`), that holds `schema/units.txt` and `seeds/`. Outermost, because a pull
request can add `records/schema/units.txt` and `records/seeds` to make `records/` look like a
repository with its own copies of the seeds; it cannot add `.git`, which git never tracks, nor
anything above the clone. Run from elsewhere, an editable install (see README) uses the checkout it
was installed from. Either way the contract is read from the files that are published, never from a
copy. Whether `seeds/` is a real folder is checked where a seed is read (validator/seeds.py), so a
seeds folder replaced by a link is refused there rather than passed over for another one.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_CHECKOUT = Path(__file__).resolve().parent.parent.parent


def is_repository(folder: Path) -> bool:
    return (folder / "schema" / "units.txt").is_file() and os.path.lexists(folder / "seeds")


def repository_around(folder: Path) -> Path | None:
    """The repository a folder lies in: the outermost repository-like folder from it up to the git top level."""
    found = None
    for candidate in (folder, *folder.parents):
        if is_repository(candidate):
            found = candidate
        if os.path.lexists(candidate / ".git"):
            break
    return found


def repository_of(path: Path) -> Path | None:
    """The repository a record belongs to (see the module's documentation)."""
    return repository_around(Path(os.path.abspath(path)).parent)


def find_repository_root() -> Path:
    try:
        here = Path.cwd()
    except OSError:  # the current folder was removed
        return PACKAGE_CHECKOUT
    return repository_around(here) or PACKAGE_CHECKOUT


REPO_ROOT = find_repository_root()
SCHEMA_DIR = REPO_ROOT / "schema"
SEEDS_DIR = REPO_ROOT / "seeds"
RECORDS_DIR = REPO_ROOT / "records"
UNITS_FILE = SCHEMA_DIR / "units.txt"
COUNTIES_CSV = SCHEMA_DIR / "reference" / "counties.csv"
POVERTY_COUNTIES_CSV = SCHEMA_DIR / "reference" / "poverty_counties_832.csv"
SEEDS_INDEX = SEEDS_DIR / "index.yaml"
# What a record file is called: `validate` and `diff` look for these in folders.
RECORD_SUFFIXES = (".yaml", ".yml")


def published_schema_path(major: str) -> Path:
    """The published JSON Schema of a major version: schema/vMAJOR/county-record.schema.json."""
    return SCHEMA_DIR / f"v{major}" / "county-record.schema.json"
