"""Where the published contract lives: the repository's `schema/` and `seeds/` folders.

The package is installed editable from the repository (see README), so the contract is read
from the same files that are published, never from a copy.
"""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = REPO_ROOT / "schema"
SEEDS_DIR = REPO_ROOT / "seeds"
RECORDS_DIR = REPO_ROOT / "records"
UNITS_FILE = SCHEMA_DIR / "units.txt"
COUNTIES_CSV = SCHEMA_DIR / "reference" / "counties.csv"
SEEDS_INDEX = SEEDS_DIR / "index.yaml"
