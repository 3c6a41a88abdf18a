"""Commands that are not the validation pipeline: diff, export, docs and schema generation, scaffolding.

Each uses the pipeline (validator.engine.run) and never repeats its steps.
"""

# How to install what `site` and `export --format parquet` need, at the versions CI tests (the lock of
# the extras, from .ci/lock); `county-records[site]` is no package on PyPI.
EXTRAS_INSTALL = "pip install --require-hashes -r requirements/extras.txt (in the repository's folder)"
