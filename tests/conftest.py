import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
# The unit cache (validator/unit_cache.py) of the test session lives in a folder of its own.
os.environ.setdefault("COUNTY_RECORDS_CACHE_DIR", tempfile.mkdtemp(prefix="county-records-test-cache-"))
