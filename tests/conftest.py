import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
# The unit cache (validator/unit_cache.py) of the test session lives in a folder of its own.
os.environ.setdefault("COUNTY_RECORDS_CACHE_DIR", tempfile.mkdtemp(prefix="county-records-test-cache-"))


# Tests that read the repository's own records/ (not records they make): `corpus`. They must pass
# whichever valid records are there; tests/test_corpus_independence.py reruns them on a copy of the
# repository with records removed and added. Marked by what the module's source reads, so a new test
# module that reads records/ is rerun there without anyone remembering to mark it.
import re as _re

_READS_REPOSITORY_RECORDS = _re.compile(
    r'RECORDS_DIR|(?:REPO_ROOT|ROOT|REPO) / "records"|"records/[a-z]+/[a-z0-9_-]+\.yaml"|\["records"\]|, "records"\]')


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "corpus: reads the repository's records/; rerun with other records by test_corpus_independence")


def pytest_collection_modifyitems(config, items) -> None:
    reads: dict[str, bool] = {}
    for item in items:
        module = str(item.fspath)
        if module not in reads:
            reads[module] = bool(_READS_REPOSITORY_RECORDS.search(Path(module).read_text(encoding="utf-8")))
        if reads[module]:
            item.add_marker("corpus")
