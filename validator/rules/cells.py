"""CELL: a value cited to a cell of a table source is the cell's value, and the cell is there."""

from __future__ import annotations

from typing import Iterator, NamedTuple

from ..support.findings import Finding, Severity
from ..corpus.reference import poverty_batch_years
from ..support.tables import Table, read_table
from ..support.text import clip, clip_repr
from ..record.quote_figures import figures_in_quote, may_state
from ..record.typed import Item, QuantityEntry, RecordContext, iter_cells, iter_quotes
from .quotes import MAX_QUOTE_CHARS
from .base import rule
from .dates import date_range

# Yanling (430225) cites its exit batch year to the copy of the list of the 832 in tests/fixtures/seeds.
_TABLE = (
    'schema_version: "1.2"\n'
    "sources:\n"
    "  - {id: s1, file: seeds/fixture.txt, title: Fixture source, language: en}\n"
    "  - {id: list-832, file: seeds/poverty-table.csv, key: code, title: The list of the 832, language: zh}\n"
)


def _cell_name(cited: Item, source) -> str:
    return f"{clip(source.id)} ({clip(source.file)}), row {clip(source.key)}={clip(cited.cell.row)}, column {clip(cited.cell.column)}"


class LocatedCell(NamedTuple):
    source: Item  # the table source
    table: Table
    row: tuple[str, ...]


def _located(context: RecordContext, cited: Item) -> LocatedCell | Finding | None:
    """The cited cell's source, table and row, or a finding saying why there is no such cell (None: another
    rule says it, as QUOTE003 a missing file)."""
    if cited.source is None:  # a quantity's source may be left out where it quotes the record's one text
        return Finding("a cited cell names its table with `source:` (the id of a source with a `key`)",
                       pointer=cited.place.field("cell").pointer)
    source = context.source_for(cited.source)
    if source is None:
        return Finding(f"`{clip(cited.source)}` is not the id of a source of this record", pointer=cited.place.field("source").pointer)
    if source.key is None:
        return Finding(f"source {clip(source.id)} is not a table: give it the `key` column that names its rows, or cite "
                       "a text source with a quote", pointer=cited.place.field("source").pointer)
    if source.file is None:
        return None  # QUOTE005
    table = read_table(context.seeds_dir, source.file)
    if table is None:
        return None  # QUOTE003 / QUOTE006 report the file
    if isinstance(table, str):
        return Finding(f"{clip(source.file)} is not a table: {table}", pointer=cited.place.field("source").pointer)
    cell = cited.cell
    if source.key not in table.header:
        return Finding(f"{clip(source.file)} has no column {clip_repr(source.key)}, the key of source {clip(source.id)}; "
                       f"its columns are {clip(', '.join(table.header))}", pointer=cited.place.field("source").pointer)
    if cell.column not in table.header:
        return Finding(f"{clip(source.file)} has no column {clip_repr(cell.column)}; its columns are {clip(', '.join(table.header))}",
                       pointer=cell.place.field("column").pointer)
    rows = table.rows_keyed(source.key, cell.row)
    if len(rows) != 1:
        how = "no row" if not rows else f"{len(rows)} rows"
        return Finding(f"{clip(source.file)} has {how} with {clip(source.key)} {clip_repr(cell.row)}"
                       + ("" if not rows else f"; a cell's row must be one: give source {clip(source.id)} a key whose values are unique"),
                       pointer=cell.place.field("row").pointer)
    return LocatedCell(source, table, rows[0])


def _figure_not_in_cell(entry: QuantityEntry, name: str, written: str, data: dict) -> Iterator[Finding]:
    """A quantity's value (and upper end) against its cell's text, as QUOTE002 reads a quote: one of the cell's
    figures, with a unit its unit word may mean (none is assumed where the cell writes none)."""
    if entry.quantity.derived is not None or len(written) > MAX_QUOTE_CHARS:
        return
    figures = figures_in_quote(written)
    for parsed, field in ((entry.stated, "value"), (entry.upper, "upper")):
        if parsed is None:
            continue
        if any(may_state(figure, parsed) for figure in figures):
            continue
        yield Finding(
            f"{name} holds {clip_repr(written)}, the {field} says {clip(parsed.text)}; write the value as the cell "
            "writes it (its number, scale word and unit), or cite the cell that states this one",
            pointer=entry.place.field("cell").pointer, data={**data, "stated": parsed.text, "field": field},
        )


@rule(
    "CELL001", "value-not-in-cell", Severity.ERROR,
    summary="A value cited to a table cell that differs from the cell.",
    what=(
        "Reads the cell a value cites (`cell: {row, column}` of a table source: the row named by its value in the "
        "source's `key` column) and reports a stated value that is not the cell's: the division's `delisted_year` and "
        "`listed_as` character for character (a year as its digits), at the value. A figure (schema 1.2: any "
        "quantity, an observation, a target, an output, a beneficiary count, a fund's amount, a share) that cites a "
        "cell instead of quoting is read as QUOTE002 reads a quote: the cell's figures with their scale and unit "
        "words, and the value (and upper end) must be one of them, with a unit the cell's unit word may mean; where "
        "the cell writes a bare number (the column's header names the unit, as `poor_people` or "
        "`incidence_percent`), no unit is assumed. Such a finding is at the figure's `cell`. Every finding names "
        "the table, the row key and the column."
    ),
    why=("The cell is the proof of the value, as the quote is of a figure; a value that differs from it was typed from "
         "memory. A figure is checked as strictly as against a quote: 5.5 mu is not a cell's 5.5万亩."),
    example=_TABLE + (
        'division: {code: "430225", name_en: Yanling County, name_zh: 炎陵县, province: Hunan, prefecture: 株洲市,\n'
        "  designations: [national_poverty_county],\n"
        '  delisted_year: {value: 2018, source: list-832, cell: {row: "430225", column: delisted_year}}}\n'
    ),
    use_instead=_TABLE + (
        'division: {code: "430225", name_en: Yanling County, name_zh: 炎陵县, province: Hunan, prefecture: 株洲市,\n'
        "  designations: [national_poverty_county],\n"
        '  delisted_year: {value: 2017, source: list-832, cell: {row: "430225", column: delisted_year}}}\n'
    ),
)
def value_not_in_cell(context: RecordContext) -> Iterator[Finding]:
    for cited in iter_cells(context):
        located = _located(context, cited)
        if not isinstance(located, LocatedCell):
            continue  # CELL002
        source, table, row = located
        written = table.cell(row, cited.cell.column)
        entry = context.entry_of(cited)
        if entry is not None:
            yield from _figure_not_in_cell(entry, _cell_name(cited, source), written or "",
                                           {"source": source.id, "file": source.file, "key": source.key,
                                            "row": cited.cell.row, "column": cited.cell.column, "cell": written})
            continue
        stated = str(cited.value)
        if written != stated:
            yield Finding(
                f"{_cell_name(cited, source)} holds {clip_repr(written or '')}, the record says {clip_repr(stated)}; "
                "write the cell's value, or cite the cell that states this one",
                pointer=cited.place.field("value").pointer,
                data={"source": source.id, "file": source.file, "key": source.key, "row": cited.cell.row,
                      "column": cited.cell.column, "cell": written, "stated": stated},
            )


@rule(
    "CELL002", "cell-not-in-table", Severity.ERROR,
    summary="A cited cell that is not in its table: no such row or column, or a source that is no table.",
    what=(
        "Reports a value cited to a cell (the division's `delisted_year` and `listed_as`, and any figure that gives "
        "`cell`, schema 1.2) whose `source` is missing, is not one of the record's sources or is not a table (has no "
        "`key`), whose table has no such column (or no column named by the source's `key`), or in which no row, or "
        "more than one, has the cited `row` value in the key column, and a table that does not read as CSV with a "
        "header row. A table whose file is missing or refused is reported by QUOTE003 and QUOTE006."
    ),
    why="A citation of a cell that is not there proves nothing; a row key that names two rows proves one of two values.",
    example=_TABLE + (
        'division: {code: "430225", name_en: Yanling County, name_zh: 炎陵县, province: Hunan, prefecture: 株洲市,\n'
        "  designations: [national_poverty_county],\n"
        '  delisted_year: {value: 2017, source: list-832, cell: {row: "430252", column: delisted_year}}}\n'
    ),
    use_instead=_TABLE + (
        'division: {code: "430225", name_en: Yanling County, name_zh: 炎陵县, province: Hunan, prefecture: 株洲市,\n'
        "  designations: [national_poverty_county],\n"
        '  delisted_year: {value: 2017, source: list-832, cell: {row: "430225", column: delisted_year}}}\n'
    ),
)
def cell_not_in_table(context: RecordContext) -> Iterator[Finding]:
    for cited in iter_cells(context):
        located = _located(context, cited)
        if isinstance(located, Finding):
            yield located


@rule(
    "CELL003", "exit-outside-batch", Severity.WARNING,
    summary="A poverty exit approved outside its batch year or the year after, by the list of the 832.",
    what=(
        "Compares the year of `division.poverty_exit.date` (the approval a source states) with the county's exit batch "
        "year: the record's `delisted_year`, or else the batch year of its code in "
        "schema/reference/poverty_counties_832.csv. A batch was approved in its year or, mostly, early in the next "
        "(the 2018 batch in 2019); an approval dated before the batch year or later than the year after is reported."
    ),
    why="The article and the table cannot both be right: either the article dates another event, or the county is on another batch.",
    example=(
        'division:\n  code: "430225"\n  name_en: Yanling County\n  name_zh: 炎陵县\n  province: Hunan\n  prefecture: 株洲市\n'
        "  designations: [national_poverty_county]\n"
        "  poverty_exit: {date: 2020, approved_by: provincial_government, quote: \"all 54 poor villages have withdrawn\"}\n"
    ),
    use_instead=(
        'division:\n  code: "430225"\n  name_en: Yanling County\n  name_zh: 炎陵县\n  province: Hunan\n  prefecture: 株洲市\n'
        "  designations: [national_poverty_county]\n"
        "  poverty_exit: {date: 2018, approved_by: provincial_government, quote: \"all 54 poor villages have withdrawn\"}\n"
    ),
)
def exit_outside_batch(context: RecordContext) -> Iterator[Finding]:
    division = context.record.division
    exit_ = division.poverty_exit
    approved = date_range(exit_.date) if exit_ is not None else None
    if approved is None:
        return
    if division.delisted_year is not None:
        batches, whence = {division.delisted_year.value}, "its delisted_year"
    else:
        batches, whence = poverty_batch_years(division.code), "the list of the 832 (schema/reference/poverty_counties_832.csv)"
    year = approved[0].year
    if batches and not any(batch <= year <= batch + 1 for batch in batches):
        batch = " or ".join(str(b) for b in sorted(batches))
        yield Finding(
            f"the exit is approved in {year}, but by {whence} the county left in the {batch} batch, approved in "
            f"{batch} or the year after; check the article's date and the county's batch",
            pointer=exit_.place.field("date").pointer, data={"approved": year, "batches": sorted(batches)},
        )


_FIGURES = (
    'schema_version: "1.2"\n'
    "sources:\n"
    "  - {id: s1, file: seeds/fixture.txt, title: Fixture source, language: en}\n"
    "  - {id: figures, file: seeds/county-figures.csv, key: code, title: County figures, language: zh}\n"
    "observations:\n  - id: poor-people\n    metric: registered_poor_people\n    value: 21,356 people\n    date: 2014\n"
)


@rule(
    "CELL004", "quote-or-cell", Severity.ERROR,
    summary="A figure with both a quote and a cell, or neither; a quote that names a table source.",
    what=(
        "A figure (any quantity) states where it comes from in one of two ways: `quote:` a passage of a text source, "
        "or (schema 1.2) `cell: {row, column}` of a table source, a source with a `key`. Reports a quantity that "
        "gives both or neither, and a quote (of a figure, a list, an official, the exit, an omission) whose "
        "`source` is a table: a table is cited by its cells. A cell whose `source` is missing or is no table is "
        "CELL002's."
    ),
    why=(
        "With both, the rules would check one proof and a reader trust the other; with neither, nothing proves the "
        "figure. A quote looked for in a table's CSV text could pass on any row that happens to hold its words, "
        "where a cell names the row and the column."
    ),
    example=_FIGURES + '    source: figures\n    cell: {row: "520000", column: poor_people}\n    quote: "21356"\n',
    use_instead=_FIGURES + '    source: figures\n    cell: {row: "520000", column: poor_people}\n',
)
def quote_or_cell(context: RecordContext) -> Iterator[Finding]:
    both: set[str] = set()  # reported once, as both: their quote's table is no second finding
    for entry in context.quantities:
        quantity = entry.quantity
        if quantity.quote is not None and quantity.cell is not None:
            both.add(entry.pointer)
            yield Finding("the figure gives both a `quote` and a `cell`: keep the one that states it (a text's passage, "
                          "or a table's cell)", pointer=entry.place.field("cell").pointer)
        elif quantity.quote is None and quantity.cell is None:
            yield Finding("the figure gives no `quote` and no `cell`: quote the passage of a text source that states "
                          "it, or cite the cell of a table source (`cell: {row, column}`)", pointer=entry.pointer)
    for quoted, _quote, source_id in iter_quotes(context):
        source = context.source_for(source_id) if source_id is not None else None
        if source is not None and source.key is not None and quoted.pointer not in both:
            yield Finding(f"source {clip(source.id)} is a table (it has a `key`): cite its cell with "
                          "`cell: {row, column}` instead of a quote, or quote a text source",
                          pointer=quoted.field("source").pointer)


RULES = [value_not_in_cell, cell_not_in_table, exit_outside_batch, quote_or_cell]
