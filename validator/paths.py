"""Where the published contract lives: the repository's `schema/` and `seeds/` folders.

The validator checks records against the contract of the repository they belong to, so the root is
the nearest folder, from the current directory upwards, that holds `schema/units.txt` and `seeds/`
(as a pre-commit hook or CI runs it: installed as a package, inside a clone). Run from elsewhere, an
editable install (see README) uses the checkout it was installed from. Either way the contract is
read from the files that are published, never from a copy.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_CHECKOUT = Path(__file__).resolve().parent.parent


def is_repository(folder: Path) -> bool:
    return (folder / "schema" / "units.txt").is_file() and (folder / "seeds").is_dir()


def repository_of(path: Path) -> Path | None:
    """The repository a record belongs to: the nearest folder above it with schema/units.txt and seeds/."""
    folder = Path(os.path.abspath(path)).parent
    return next((candidate for candidate in (folder, *folder.parents) if is_repository(candidate)), None)


def find_repository_root() -> Path:
    try:
        here = Path.cwd()
    except OSError:  # the current folder was removed
        return PACKAGE_CHECKOUT
    return next((folder for folder in (here, *here.parents) if is_repository(folder)), PACKAGE_CHECKOUT)


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
