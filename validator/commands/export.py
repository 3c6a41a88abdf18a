"""One tidy row per quantity, for analysts: stated value, curated reading, value in base units, quote, findings."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO, Iterator

from ..engine import Settings, run
from ..rules.arithmetic import base_unit_name
from ..schema_check import positioned
from ..typed import QuantityEntry, RecordContext

COLUMNS = [
    "county_code", "county_name_en", "county_name_zh", "file", "section", "item_id", "pointer", "metric", "label",
    "value_stated", "unit_stated", "value_curated", "unit_curated", "value_base", "base_unit", "qualifier",
    "upper_base", "date", "period_start", "period_end", "source_id", "quote", "curated_note", "derived", "finding_codes",
]


@dataclass(frozen=True, slots=True)
class ExportRow:
    values: dict

    def as_list(self) -> list:
        return [self.values[column] for column in COLUMNS]


def _owner(context: RecordContext, pointer: str):
    """The item (observation, fund, programme, ...) a quantity belongs to."""
    section, index = pointer.split("/")[1:3]
    return section, next(item for position, item in positioned(getattr(context.record, section)) if position == int(index))


def _row(context: RecordContext, display: str, entry: QuantityEntry, codes: list[str]) -> ExportRow:
    section, owner = _owner(context, entry.pointer)
    quantity = entry.quantity
    stated, curated, reading = entry.stated, entry.curated, entry.reading
    # A figure with a date or period of its own has it (outputs and shares may, since schema 1.1); else its owner's.
    own = getattr(quantity, "date", None) is not None or getattr(quantity, "period", None) is not None
    dated = quantity if own else owner
    period = getattr(dated, "period", None)
    date_value = getattr(dated, "date", None)
    source_id = quantity.source or (context.record.sources[0].id if len(context.record.sources) == 1 else None)
    division = context.record.division
    return ExportRow({
        "county_code": division.code, "county_name_en": division.name_en, "county_name_zh": division.name_zh,
        "file": display, "section": section, "item_id": quantity.id or getattr(owner, "id", None),
        "pointer": entry.pointer, "metric": entry.metric, "label": getattr(quantity, "label", None) or getattr(owner, "label", None),
        "value_stated": float(stated.number) if stated else None, "unit_stated": stated.unit.canonical if stated else None,
        "value_curated": float(curated.number) if curated else None, "unit_curated": curated.unit.canonical if curated else None,
        "value_base": reading.base_value if reading else None,
        "base_unit": (base_unit_name(reading.unit.dimensionality) or "1") if reading else None,
        # Of the reading value_base is: a curated reading may have its own (schema 1.1).
        "qualifier": entry.reading_qualifier,
        "upper_base": entry.reading_upper.base_value if entry.reading_upper else None,
        "date": None if date_value is None else str(date_value),
        "period_start": None if period is None else str(period.start),
        "period_end": None if period is None or period.end is None else str(period.end),
        "source_id": source_id, "quote": quantity.quote,
        "curated_note": quantity.curated.note if quantity.curated else None,
        "derived": quantity.derived, "finding_codes": " ".join(codes) if codes else None,
    })


def export_rows(files: list[tuple[Path, str]], settings: Settings) -> Iterator[ExportRow]:
    """Rows for every quantity of every record that loads and fits its schema (each file parsed once)."""
    result = run(files, replace(settings, keep_records=True))
    findings_by_file: dict[str, list] = {}
    for finding in result.findings:
        findings_by_file.setdefault(finding.file, []).append(finding)
    for checked in result.results:
        context = checked.context
        if context is None:
            continue
        for entry in context.quantities:
            codes = sorted({
                f.code for f in findings_by_file.get(checked.display, [])
                if f.pointer == entry.pointer or f.pointer.startswith(entry.pointer + "/")
            })
            yield _row(context, checked.display, entry, codes)


def write_csv(rows: Iterator[ExportRow], out: io.TextIOBase) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row.as_list()])


def write_jsonl(rows: Iterator[ExportRow], out: io.TextIOBase) -> None:
    for row in rows:
        out.write(json.dumps(row.values, ensure_ascii=False) + "\n")


class ParquetUnavailable(RuntimeError):
    """pyarrow is not installed; the message says how to install it."""


def write_parquet(rows: Iterator[ExportRow], out: BinaryIO) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as err:
        raise ParquetUnavailable(
            "Parquet output needs pyarrow: pip install -e '.[parquet]' (or use --format csv / jsonl)"
        ) from err
    materialised = [row.values for row in rows]
    table = pa.Table.from_pylist(materialised) if materialised else pa.table({c: [] for c in COLUMNS})
    pq.write_table(table, out)
