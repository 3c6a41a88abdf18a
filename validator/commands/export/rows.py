"""One row per quantity, from one engine run: the figure as stated, its readings, what it is part of, its findings."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ...engine import Settings, run
from ...support.findings import LocatedFinding
from ...record.quantities import ParsedQuantity
from ...corpus.reference import is_national_poverty_code
from ...rules.arithmetic import base_unit_name
from ...rules.money import is_money, money_kind
from ...support.seeds import seed_index
from ...record.typed import Holding, QuantityEntry, RecordContext, text_sources
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


def _in_base_units(parsed: ParsedQuantity | None) -> tuple[Decimal | None, str | None]:
    """(value, unit) in base units; a ratio stays in percent (16.57 %, not 0.1657 of 1).

    As the shortest decimal of the float (a unit's factor is a float), so that 16.57 % stays 16.57
    and 800,000 mu is 533333333.3333333 m^2, not ...33328.
    """
    if parsed is None:
        return None, None
    if not parsed.unit.dimensionality:
        return Decimal(repr(float(parsed.number) * (parsed.unit.to_base * 100))), "%"
    return Decimal(repr(parsed.base_value)), base_unit_name(parsed.unit.dimensionality)


def _dating(place: Holding) -> tuple[object, object | None]:
    """(date, period) of the figure: its item's, or for a target the date that goes with which value it is."""
    if place.section == "targets":
        name = {"target": "deadline", "baseline": "baseline_date", "achieved": "achieved_date"}[place.figure_kind]
        return getattr(place.item, name, None), None
    figure = place.holder
    # A figure with a date or period of its own has it (outputs and shares may, since schema 1.1); else its item's.
    if getattr(figure, "date", None) is not None or getattr(figure, "period", None) is not None:
        return getattr(figure, "date", None), getattr(figure, "period", None)
    return getattr(place.item, "date", None), getattr(place.item, "period", None)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


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
        value_base, base_unit = _in_base_units(entry.reading)
        date_value, period = _dating(place)
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
            "value_base": value_base, "base_unit": base_unit, "qualifier": entry.reading_qualifier,
            "upper_stated": upper.number if upper else None, "upper_unit_stated": unit_as_written(upper) if upper else None,
            "upper_base": _in_base_units(entry.reading_upper)[0],
            "date": _text(date_value), "period_start": _text(period.start) if period else None,
            "period_end": _text(period.end) if period is not None and period.end is not None else None,
            "planned": bool(planned), "stage": fund.stage if fund else None, "level": fund.level if fund else None,
            "money_kind": money_kind(entry) if is_money(entry) else None,
            "is_part": bool(wholes), "part_of": wholes,
            "repeat_of": next((self.repeat_of[name] for name in names if name in self.repeat_of), None),
            "source_id": quantity.source or self.single_source, "quote": quantity.quote,
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
