"""The export's formats: CSV, JSON lines, Parquet and a Frictionless data package, all with COLUMNS' names and types."""

from __future__ import annotations

import csv
import io
import json
import os
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO, Callable

from ... import __version__
from .. import EXTRAS_INSTALL
from ...support.atomic import AtomicWriteError, write_atomically
from .columns import (
    COLUMN_NAMES, COLUMNS, DIVISION_COLUMNS, DIVISION_KEY, SOURCE_COLUMNS, SOURCE_KEY, Column, arrow_schema, table_schema,
)
from .panel import PANEL_COLUMNS, PANEL_KEY, panel_rows
from .rows import ExportTable

DATA_PACKAGE_TABLE = "figures.csv"
DIVISIONS_TABLE = "divisions.csv"
SOURCES_TABLE = "sources.csv"
PANEL_TABLE = "panel.csv"
# The curated data (the records' readings, relations and notes) is shared under CC BY 4.0: anyone may
# reuse it, saying where it comes from (CITATION.cff). The quoted documents stay their publishers'.
DATA_LICENCE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0 International"}
CITATION = ("county-records contributors. county-records: the poverty-alleviation figures of China's counties, each with "
            "its quote and source. Data package version {version}. See CITATION.cff in the repository.")
DATA_PACKAGE_DESCRIPTION = (
    "One row per figure (quantity) of the county-records records: the number and unit as the record states them, "
    "the curated reading, the value in base units, what it is part of, its quote and source, and the validator's "
    "findings about it. Before adding money up, keep money_kind fund and one stage, and leave out rows that are "
    "planned, repeat_of another, or is_part of a row that is counted too (a fund within another: part_of names it; "
    "docs/export.md). Every figure quotes a source document (see sources; the files are in "
    "the repository's seeds/ folder); the rights in those documents stay with their publishers. The curated data "
    "is licensed CC BY 4.0 (licenses); the repository's code is MIT. divisions.csv has one row per record (the "
    "division, its designations, exit and officials), sources.csv one per source a record cites, and panel.csv "
    "one per county and year with the registered poor households and people, the poverty incidence and the exit, "
    "each cell with the figure and quote it comes from."
)


# A spreadsheet reads a cell that starts with one of these as a formula (=HYPERLINK(...) runs when the
# CSV is opened): OWASP's CSV injection advice is to prefix such a text cell with a single quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_GUARD = "'"



class ParquetUnavailable(RuntimeError):
    """pyarrow is not installed; the message says how to install it."""


def decimal_text(number: Decimal) -> str:
    """A decimal as plain digits, never in exponent form: 1340000, 10.733846."""
    text = format(number.normalize(), "f")
    return "0" if text == "-0" else text


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, list):  # a JSON array, as Table Schema's `array` type reads it
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _plain(value: object) -> object:
    """A value as JSON and Arrow take it: a decimal as a whole number or a float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def as_utf8(write_text: Callable[[ExportTable, io.TextIOBase], None], table: ExportTable) -> Callable[[BinaryIO], None]:
    """A write_atomically callback that writes the table with a text writer (write_csv, write_jsonl) as UTF-8."""
    def write(stream: BinaryIO) -> None:
        text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
        write_text(table, text)
        text.flush()
        text.detach()  # the binary stream stays open for write_atomically to flush and close

    return write


def inert_text(text: str) -> str:
    """A text cell a spreadsheet shows as text: one that would start a formula gets a leading single quote."""
    return FORMULA_GUARD + text if text.startswith(FORMULA_STARTS) else text


def _write_rows(rows: list[dict], columns: tuple[Column, ...], out: io.TextIOBase) -> None:
    """One CSV table. Text cells are made inert; numbers, lists and booleans stay as they are."""
    # RFC 4180's CRLF: the csv module quotes a cell holding a line terminator's characters, so a
    # cell with a carriage return stays one cell (with "\n" alone, a lone "\r" split the row).
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([column.name for column in columns])
    for row in rows:
        writer.writerow([inert_text(_csv_cell(row[column.name])) if column.type == "string" else _csv_cell(row[column.name])
                         for column in columns])


def write_csv(table: ExportTable, out: io.TextIOBase) -> None:
    """The figures as CSV (also the data package's figures.csv)."""
    _write_rows(table.rows, COLUMNS, out)


def write_jsonl(table: ExportTable, out: io.TextIOBase) -> None:
    for row in table.rows:
        out.write(json.dumps({name: _plain(row[name]) for name in COLUMN_NAMES}, ensure_ascii=False) + "\n")


def write_parquet(table: ExportTable, out: BinaryIO) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as err:
        raise ParquetUnavailable(f"Parquet output needs pyarrow: {EXTRAS_INSTALL}, or use --format csv / jsonl / datapackage") from err
    rows = [{name: _plain(row[name]) for name in COLUMN_NAMES} for row in table.rows]
    pq.write_table(pa.Table.from_pylist(rows, schema=arrow_schema()), out)


def data_package(table: ExportTable) -> dict:
    """datapackage.json: the table's Table Schema (from COLUMNS), where its figures come from, and its terms."""
    return {
        "profile": "tabular-data-package",
        "name": "county-records-figures",
        "title": "county-records: every figure of the records, one row each",
        "description": DATA_PACKAGE_DESCRIPTION,
        "version": __version__,
        "licenses": [DATA_LICENCE],
        "citation": CITATION.format(version=__version__),
        "sources": table.sources,
        "resources": [{
            "name": "figures",
            "path": DATA_PACKAGE_TABLE,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "description": "Columns: docs/export.md. Lists are JSON arrays; an empty cell is no value.",
            "schema": table_schema(foreign_keys=(
                {"fields": ["file"], "reference": {"resource": "divisions", "fields": ["file"]}},
            )),
        }, _resource("divisions", DIVISIONS_TABLE, "One row per record: the division it is about.", DIVISION_COLUMNS, DIVISION_KEY),
            _resource("sources", SOURCES_TABLE, "One row per source a record cites; figures.csv's (file, source_id) "
                      "names one.", SOURCE_COLUMNS, SOURCE_KEY),
            _resource("panel", PANEL_TABLE, "One row per county and year: the key indicators as sources state them, "
                      "each cell with the figure (figures.csv's file and path) and quote it comes from; empty where no "
                      "source states it, never interpolated.", PANEL_COLUMNS, PANEL_KEY,
                      ({"fields": ["file"], "reference": {"resource": "divisions", "fields": ["file"]}},))],
    }


def _resource(name: str, path: str, description: str, columns: tuple[Column, ...], key: tuple[str, ...],
              foreign_keys: tuple[dict, ...] = ()) -> dict:
    return {"name": name, "path": path, "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "description": description + " Columns: docs/export.md.",
            "schema": table_schema(columns, key, foreign_keys)}


def write_data_package(table: ExportTable, folder: Path) -> list[Path]:
    """Write the CSV tables and datapackage.json into `folder` (made if missing), each file atomically; return them."""
    folder = Path(folder)
    if folder.is_symlink():
        raise AtomicWriteError(f"cannot write the data package to {folder}: it is a symbolic link; name a real folder")
    if folder.exists() and not folder.is_dir():
        raise AtomicWriteError(f"cannot write the data package to {folder}: it is not a folder; name a folder")
    if not folder.exists():
        if not folder.parent.is_dir():
            raise AtomicWriteError(f"cannot write the data package to {folder}: the folder {folder.parent} does not exist")
        try:
            os.mkdir(folder)
        except OSError as err:
            raise AtomicWriteError(f"cannot write the data package to {folder}: {err.strerror}") from None

    descriptor = json.dumps(data_package(table), ensure_ascii=False, indent=2) + "\n"
    # The tables first: a reader who finds the new descriptor finds the tables it describes.
    tables = ((DATA_PACKAGE_TABLE, table.rows, COLUMNS), (DIVISIONS_TABLE, table.divisions, DIVISION_COLUMNS),
              (SOURCES_TABLE, table.source_rows, SOURCE_COLUMNS),
              (PANEL_TABLE, panel_rows(table.rows, table.divisions), PANEL_COLUMNS))
    for name, rows, columns in tables:
        write_atomically(folder / name, as_utf8(lambda _table, out, rows=rows, columns=columns: _write_rows(rows, columns, out), table))
    write_atomically(folder / "datapackage.json", lambda stream: stream.write(descriptor.encode("utf-8")))
    return [*(folder / name for name, _, _ in tables), folder / "datapackage.json"]
