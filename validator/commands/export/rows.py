"""One row per quantity, from one engine run: the figure as stated, its readings, what it is part of, its findings."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from dataclasses import dataclass, field
from pathlib import Path

from ...engine import Settings, run
from ...support.findings import LocatedFinding
from ...record.quantities import ParsedQuantity
from ...corpus.reference import is_national_poverty_code
from ...rules.money import is_money, money_kind
from ...rules.figure_time import figure_time
from ...support.seeds import seed_index
from ...record.typed import QuantityEntry, RecordContext, text_sources
from .kinds import in_base_units
from .touching import FindingsOfRecord


@dataclass(slots=True)
class ExportTable:
    """The rows, and the sources the exported records cite (for the data package's `sources`)."""

    rows: list[dict] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)
    divisions: list[dict] = field(default_factory=list)  # divisions.csv: one row per record
    source_rows: list[dict] = field(default_factory=list)  # sources.csv: one row per source of a record


def unit_as_written(parsed: ParsedQuantity) -> str:
    """The unit text of a quantity as the record writes it: what follows the number, its scale word and
    its 多 or 余 ('1.2万余亩' is 亩, not 余亩)."""
    return parsed.unit_text


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _wholes(context: RecordContext) -> tuple[dict[str, list[str]], dict[str, str]]:
    """(id -> ids of the wholes it is a part of (parts, total, subset and within relations), id -> id of the
    first statement of the same figure)."""
    part_of: dict[str, list[str]] = defaultdict(list)
    repeat_of: dict[str, str] = {}
    for fund in context.record.funds:
        for part in fund.parts:
            part_of[part].append(fund.id)
    for relation in context.record.relations:
        if relation.kind == "total":
            for part in relation.parts:
                part_of[part].append(relation.total)
        elif relation.kind in ("subset", "within"):
            part_of[relation.part].append(relation.whole)
        elif relation.kind == "same":
            for later in relation.items[1:]:
                repeat_of.setdefault(later, relation.items[0])
    return part_of, repeat_of


class _RecordRows:
    """The rows of one record."""

    def __init__(self, context: RecordContext, display: str, findings: list[LocatedFinding]) -> None:
        self.context = context
        self.display = display
        self.findings = FindingsOfRecord(context, findings)
        record = context.record
        self.part_of, self.repeat_of = _wholes(context)
        texts = text_sources(record)  # a quote without `source` is from the one text source
        self.single_source = texts[0].id if len(texts) == 1 else None

    def row(self, entry: QuantityEntry) -> dict:
        record, quantity = self.context.record, entry.quantity
        place = entry.holding
        fund = place.item if place.section == "funds" else None
        names = [n for n in (entry.name_id, quantity.id, getattr(fund, "id", None)) if n is not None]
        wholes = list(dict.fromkeys(whole for name in names for whole in self.part_of.get(name, ())))
        touching = self.findings.touching(entry.pointer, names)
        stated, curated, upper = entry.stated, entry.curated, entry.upper
        value_base, base_unit, kind = in_base_units(entry.reading)
        time = figure_time(self.context, entry)
        # Later schema versions may mark outputs planned too: read it wherever the quantity has it.
        planned = (getattr(quantity, "planned", False) or (fund is not None and fund.stage == "planned")
                   or place.figure_kind == "target")
        division = record.division
        return {
            "county_code": division.code, "county_name_en": division.name_en, "county_name_zh": division.name_zh,
            "province": division.province, "division_level": division.level, "file": self.display,
            "section": place.section, "item_id": place.item.id, "quantity_id": entry.name_id,
            "figure_kind": place.figure_kind, "pointer": entry.pointer, "path": entry.place.id_path,
            "metric": entry.metric,
            "label": (getattr(quantity, "label", None) or getattr(place.holder, "label", None)
                      or getattr(place.item, "label", None) or getattr(place.item, "name", None)),
            "value_text": quantity.value,
            "value_stated": stated.number if stated else None, "unit_stated": unit_as_written(stated) if stated else None,
            "value_curated": curated.number if curated else None, "unit_curated": unit_as_written(curated) if curated else None,
            "value_base": value_base, "base_unit": base_unit, "quantity_kind": kind, "qualifier": entry.reading_qualifier,
            "upper_stated": upper.number if upper else None, "upper_unit_stated": unit_as_written(upper) if upper else None,
            "upper_base": in_base_units(entry.reading_upper)[0],
            "date_as_written": time.date, "period_start": time.period_start, "period_end": time.period_end,
            "date_start": _iso(time.first_day), "date_end": _iso(time.last_day), "date_precision": time.precision,
            "date_basis": time.basis,
            "planned": bool(planned), "stage": fund.stage if fund else None, "level": fund.level if fund else None,
            "money_kind": money_kind(entry) if is_money(entry) else None,
            "is_part": bool(wholes), "part_of": wholes,
            "repeat_of": next((self.repeat_of[name] for name in names if name in self.repeat_of), None),
            "source_id": quantity.source or self.single_source, "quote": quantity.quote,
            "cell_row": quantity.cell.row if quantity.cell else None, "cell_column": quantity.cell.column if quantity.cell else None,
            "curated_note": quantity.curated.note if quantity.curated else None, "derived": quantity.derived,
            "finding_codes": sorted({f.code for f in touching}),
            "acknowledged_codes": sorted({f.code for f in touching if f.acknowledged}),
        }


def _sources(context: RecordContext) -> list[dict]:
    """Data package `sources`: `path` is where the document was published (a URL), `file` its copy in seeds/."""
    described = []
    for source in context.record.sources:
        entry = {"title": source.title}
        for key, value in (("path", source.url), ("file", source.file), ("publisher", source.publisher)):
            if value is not None:
                entry[key] = value
        described.append(entry)
    return described


def _division_row(context: RecordContext, display: str) -> dict:
    division = context.record.division
    exit_ = division.poverty_exit
    officials = [f"{o.role}: {o.name}" + "".join(f", {extra}" for extra in (o.organisation, o.as_of) if extra is not None)
                 for o in context.record.officials]
    return {
        "file": display, "county_code": division.code, "county_name_en": division.name_en, "county_name_zh": division.name_zh,
        "province": division.province, "prefecture": division.prefecture, "division_level": division.level,
        "designations": list(division.designations), "on_list_of_832": is_national_poverty_code(division.code),
        "contiguous_area": division.contiguous_area,
        "delisted_year": _text(division.delisted_year.value) if division.delisted_year else None,
        "exit_date": _text(exit_.date) if exit_ else None, "exit_approved_by": exit_.approved_by if exit_ else None,
        "exit_source_id": (exit_.source or getattr(context.source_for(None), "id", None)) if exit_ else None,
        "exit_quote": exit_.quote if exit_ else None, "officials": officials,
    }


def _source_rows(context: RecordContext, display: str, index: dict) -> list[dict]:
    rows = []
    for source in context.record.sources:
        seed = index.get(source.file.removeprefix("seeds/")) if source.file else None
        rows.append({
            "file": display, "source_id": source.id, "title": source.title, "publisher": source.publisher,
            "published": _text(source.published), "language": source.language, "translated_from": source.translated_from,
            "machine_translated": source.machine_translated, "url": source.url, "seed_file": source.file,
            "sha256": seed.sha256 if seed is not None else None,
        })
    return rows


def export_table(files: list[tuple[Path, str]], settings: Settings) -> ExportTable:
    """Rows for every quantity of every record that loads and fits its schema (each file parsed once)."""
    result = run(files, settings._replace(keep_records=True))
    findings_by_file: dict[str, list[LocatedFinding]] = defaultdict(list)
    for finding in result.findings:
        findings_by_file[finding.file].append(finding)
    table = ExportTable()
    seen_sources: set[tuple] = set()
    for checked in result.results:
        if checked.context is None:
            continue
        rows = _RecordRows(checked.context, checked.display, findings_by_file[checked.display])
        table.rows.extend(rows.row(entry) for entry in checked.context.quantities)
        table.divisions.append(_division_row(checked.context, checked.display))
        table.source_rows.extend(_source_rows(checked.context, checked.display, seed_index(settings.seeds_dir)))
        for source in _sources(checked.context):
            key = tuple(sorted(source.items()))
            if key not in seen_sources:
                seen_sources.add(key)
                table.sources.append(source)
    return table
