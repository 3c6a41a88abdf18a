"""A one-file validate, as the pre-commit hook runs it, imports no `dataclasses` (issue 14).

On Python 3.11 importing dataclasses costs 7-9 ms (it imports inspect, ast, dis, tokenize) and each
dataclass more to create, a fifth of a one-file run; the types on this path are NamedTuples or
slotted classes instead. The check counts modules, not milliseconds, so it cannot flake.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from validator.support.paths import REPO_ROOT

RECORD = "records/guizhou/rongjiang.yaml"

# Runs the command in a fresh interpreter and reports which of these modules it imported.
PROBE = """
import json, sys
from validator.cli import main
status = main(["validate", "--format", "json", sys.argv[1]])
print(json.dumps({"status": status, "imported": sorted(set(sys.argv[2:]) & set(sys.modules))}), file=sys.stderr)
"""


def imported_by_one_file_validate(cache: Path, *modules: str) -> dict:
    env = os.environ | {"COUNTY_RECORDS_CACHE_DIR": str(cache)}
    completed = subprocess.run([sys.executable, "-c", PROBE, RECORD, *modules], cwd=REPO_ROOT, env=env,
                               capture_output=True, text=True, timeout=20)  # the suite's hang guard
    return json.loads(completed.stderr.strip().splitlines()[-1])


def test_warm_one_file_validate_imports_no_dataclasses(tmp_path: Path) -> None:
    # Warm, as on a curator's machine: a cold unit cache loads pint, which imports dataclasses itself.
    imported_by_one_file_validate(tmp_path, "dataclasses")
    probe = imported_by_one_file_validate(tmp_path, "dataclasses", "inspect", "tempfile", "validator.engine", "validator.rules")
    assert probe["status"] == 0
    # The probe sees what the run imported: the pipeline's own modules are there.
    assert {"validator.engine", "validator.rules"} <= set(probe["imported"])
    assert "dataclasses" not in probe["imported"]
    assert "inspect" not in probe["imported"]
    # A warm run writes no corpus index, and tempfile brings random, shutil and weakref with it.
    assert "tempfile" not in probe["imported"]
