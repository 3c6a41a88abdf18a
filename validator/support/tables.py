"""Table sources: a CSV file with a header row, in seeds/ like every source, read once per process.

A record cites a cell of a table by the row's value in a key column and the column's name
(`cell: {row: "430225", column: delisted_year}`); rule CELL001 compares the cited value with the cell,
CELL002 reports a cell that is not there. The file is read through `seeds.read_seed`, so a table gets
the same containment and size checks as a text source (QUOTE003, QUOTE006) and its checksum is in
seeds/index.yaml (QUOTE004).
"""

from __future__ import annotations

import csv
import io
from functools import cache
from pathlib import Path
from .seeds import read_seed
from .slotted import Slotted


class Table(Slotted):
    """The header and rows of a table source, with an index of its rows by each key column asked for."""

    __slots__ = ("header", "rows", "_by_key")

    def __init__(self, header: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> None:
        self.header = header
        self.rows = rows  # as many cells as the line has
        self._by_key: dict[str, dict[str, list[tuple[str, ...]]]] = {}

    def rows_keyed(self, key: str, value: str) -> list[tuple[str, ...]]:
        """The rows whose cell in column `key` (which must be in the header) is `value`."""
        index = self._by_key.get(key)
        if index is None:
            position = self.header.index(key)
            index = self._by_key[key] = {}
            for row in self.rows:
                if position < len(row):
                    index.setdefault(row[position], []).append(row)
        return index.get(value, [])

    def cell(self, row: tuple[str, ...], column: str) -> str | None:
        """The row's cell in a column of the header; None where the line is shorter than the header."""
        position = self.header.index(column)
        return row[position] if position < len(row) else None


# A cell of a reference table is a code, a name or a year; the csv module's default limit.
MAX_CELL_CHARS = 131_072


@cache
def read_table(seeds_dir: Path, file: str) -> Table | str | None:
    """The table of a source's `file` (seeds/NAME); why it is no table (a field past the csv module's limit, no
    header); or None where the file is missing or refused (QUOTE003, QUOTE006 say why)."""
    seed = read_seed(seeds_dir, file.removeprefix("seeds/"))
    if seed.text is None:
        return None
    try:
        lines = [line for line in csv.reader(io.StringIO(seed.text.raw.removeprefix("\ufeff"), newline="")) if line]
    except csv.Error as err:
        return f"it does not read as CSV ({err})"
    if not lines:
        return "it has no header row"
    # The csv module's own limit is process-wide, and libraries raise it (frictionless sets it to the
    # largest it can be): a table's cells are held to ours, whatever another import did.
    if any(len(cell) > MAX_CELL_CHARS for line in lines for cell in line):
        return f"it does not read as CSV (a cell longer than {MAX_CELL_CHARS:,} characters)"
    return Table(tuple(lines[0]), tuple(tuple(line) for line in lines[1:]))
