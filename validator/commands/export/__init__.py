"""`county-records export`: one tidy row per quantity, for analysts, in CSV, JSON lines, Parquet or a data package.

columns.py defines the columns once (and derives every format's schema and docs/export.md from them),
rows.py builds the rows from one engine run, writers.py writes the formats.
"""

from .columns import COLUMN_NAMES, COLUMNS
from .rows import ExportTable, export_table
from .writers import ParquetUnavailable, as_utf8, write_csv, write_data_package, write_jsonl, write_parquet

__all__ = ["COLUMNS", "COLUMN_NAMES", "ExportTable", "ParquetUnavailable", "as_utf8", "export_table", "write_csv",
           "write_data_package", "write_jsonl", "write_parquet"]
