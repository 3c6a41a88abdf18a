"""A record's page from its schema model: sections of items, each with its figures, facts and findings.

The record model is read as data (attributes of the schema's models); where a figure is in the file and
how it reads as a number come from `RecordFacts`, which `gather` fills from the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from .model import (
    CellView, Fact, FigureView, FindingView, ItemView, Place, PovertyExitView, QuoteView, RecordPage, Reference,
    SectionView, SourceView,
)
from .sources import cell_anchor, passage_id, source_page

SECTION_TITLES = {
    "observations": "Observations", "targets": "Targets", "programmes": "Programmes", "funds": "Funds",
    "shares": "Shares", "relations": "Relations", "lists": "Lists", "officials": "Officials",
}
RELATION_TITLES = {
    "total": "Parts and their total", "subset": "A part inside a whole", "same": "One figure stated more than once",
    "per_unit": "Rate times count gives a total", "shares_complete": "Shares that make up the whole",
    "implied_denominator": "Rates with the counts they apply to",
}


@dataclass(slots=True)
class RecordFacts:
    """What the page needs beyond the model, as plain lookups."""

    path: str  # the record file's path in the repository
    line_of: Callable[[str], int]  # JSON pointer -> line in the file (the nearest located parent's)
    reading_of: Callable[[str], tuple[float, str] | None]  # a quantity's pointer -> (number, unit) rules check
    anchor_of_id: Callable[[str], str]  # an id of the record -> the anchor of what it names ("" if none)
    quantity_pointers: list[str]  # every quantity of the typed record, to show any the walk below misses


def anchor(pointer: str) -> str:
    """The HTML id of the figure at a quantity's pointer."""
    return "at" + pointer.replace("/", "-").replace("~", "_")


def item_anchor(pointer: str) -> str:
    """The HTML id of the entry at an item's pointer (an observation is both an entry and its figure)."""
    return "entry" + pointer.replace("/", "-").replace("~", "_")


def anchor_of_named(pointer: str, quantity_pointers: set[str]) -> str:
    """Where an id's target is shown: its figure, its entry, or its row in the sources table."""
    if pointer in quantity_pointers:
        return anchor(pointer)
    return item_anchor(pointer)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


class _PageBuilder:
    def __init__(self, record: Any, facts: RecordFacts) -> None:
        self.record = record
        self.facts = facts
        self.dates = {source.id: _text(source.published) for source in record.sources}
        self.text_files = {source.id: source.file for source in record.sources if source.key is None and source.file}

    def place(self, pointer: str) -> Place:
        return Place(self.facts.path, self.facts.line_of(pointer))

    def quote(self, text: str, source_id: str | None) -> QuoteView:
        # A quote without `source` is from the one text source (typed.text_sources): tables have a `key`.
        texts = [source for source in self.record.sources if source.key is None]
        if source_id is None and len(texts) == 1:
            source_id = texts[0].id
        file = self.text_files.get(source_id or "")
        passage = f"{source_page(file)}#{passage_id(text)}" if file else ""
        return QuoteView(text, source_id, self.dates.get(source_id) if source_id else None, passage, file or "")

    def refs(self, ids: list[str] | tuple[str, ...]) -> tuple[Reference, ...]:
        return tuple(Reference(i, self.facts.anchor_of_id(i)) for i in ids)

    def figure(self, pointer: str, quantity: Any, role: str = "", metric: str | None = None, when: Any = None,
               owner: Any = None) -> FigureView:
        """`when` is the date a target gives the figure; `owner` the fund or programme whose date it has."""
        reading = self.facts.reading_of(pointer)
        when = when or getattr(owner, "date", None)
        period = getattr(quantity, "period", None) or getattr(owner, "period", None)
        curated = quantity.curated
        return FigureView(
            anchor=anchor(pointer), pointer=pointer, role=role, id=quantity.id, label=getattr(quantity, "label", None),
            metric=getattr(quantity, "metric", None) or metric, stated=quantity.value, qualifier=quantity.qualifier,
            upper=quantity.upper, date=_text(getattr(quantity, "date", None) or when),
            period=None if period is None else (str(period.start), None if period.end is None else str(period.end)),
            planned=bool(getattr(quantity, "planned", False)),
            quote=self.quote(quantity.quote, quantity.source) if quantity.quote is not None else None,
            cell=self.cell(quantity, quantity.place.field("cell").pointer) if quantity.cell is not None else None,
            place=self.place(f"{pointer}/value"), curated_value=curated.value if curated else None,
            curated_note=curated.note if curated else None, derived=quantity.derived,
            value=reading[0] if reading else None, unit=reading[1] if reading else None,
        )

    def item(self, pointer: str, title: str, item_id: str | None, **fields: Any) -> ItemView:
        return ItemView(anchor=item_anchor(pointer), pointer=pointer, title=title, id=item_id, place=self.place(pointer), **fields)

    def dated(self, thing: Any) -> list[Fact]:
        facts = [Fact("date", str(thing.date))] if thing.date is not None else []
        if thing.period is not None:
            end = thing.period.end
            facts.append(Fact("period", f"since {thing.period.start}, ongoing" if end is None else f"{thing.period.start} to {end}"))
        return facts

    def observations(self) -> list[ItemView]:
        items = []
        for observation in self.record.observations:
            pointer = observation.place.pointer
            items.append(self.item(pointer, observation.label or _humane(observation.metric), observation.id,
                                   figures=[self.figure(pointer, observation)]))
        return items

    def targets(self) -> list[ItemView]:
        items = []
        for target in self.record.targets:
            pointer = target.place.pointer
            facts = [Fact("metric", target.metric), Fact("deadline", str(target.deadline))]
            facts += [Fact(term, str(value)) for term, value in (("set on", target.set_on), ("set by", target.set_by)) if value is not None]
            figures = [
                self.figure(getattr(target, role).place.pointer, getattr(target, role), role, target.metric, when)
                for role, when in (("target", target.deadline), ("baseline", target.baseline_date), ("achieved", target.achieved_date))
                if getattr(target, role) is not None
            ]
            items.append(self.item(pointer, target.label or _humane(target.metric), target.id, facts=facts, figures=figures))
        return items

    def programmes(self) -> list[ItemView]:
        items = []
        for programme in self.record.programmes:
            pointer = programme.place.pointer
            facts = [Fact("category", _humane(programme.category)), *self.dated(programme)]
            if programme.funds:
                facts.append(Fact("funds", references=self.refs(programme.funds)))
            if programme.description:
                facts.append(Fact("description", programme.description))
            figures = []
            if programme.beneficiaries is not None:
                for name in ("households", "people"):
                    quantity = getattr(programme.beneficiaries, name)
                    if quantity is not None:
                        figures.append(self.figure(quantity.place.pointer, quantity, f"beneficiary {name}", owner=programme))
            groups = [
                (group.title(), [self.figure(output.place.pointer, output, owner=programme)
                                 for output in getattr(programme, group)])
                for group in ("outputs", "outcomes") if getattr(programme, group)
            ]
            items.append(self.item(pointer, programme.name, programme.id, facts=facts, figures=figures, groups=groups))
        return items

    def funds(self) -> list[ItemView]:
        items = []
        for fund in self.record.funds:
            pointer = fund.place.pointer
            facts = [Fact("stage", fund.stage), Fact("level", fund.level or "not stated"), *self.dated(fund)]
            if fund.parts:
                facts.append(Fact("parts (all listed)" if fund.parts_complete else "parts (some)", references=self.refs(fund.parts)))
            figures = [self.figure(fund.amount.place.pointer, fund.amount, "amount", owner=fund)]
            for j, standard in enumerate(fund.standards):
                role = "per-unit standard" + (f": {standard.label}" if standard.label else "")
                figures.append(self.figure(standard.amount.place.pointer, standard.amount, role, owner=fund))
                if standard.applies_to:
                    facts.append(Fact(f"standard {j + 1} applies to", references=self.refs([standard.applies_to])))
            items.append(self.item(pointer, fund.label, fund.id, facts=facts, figures=figures, stage=fund.stage, level=fund.level))
        return items

    def shares(self) -> list[ItemView]:
        items = []
        for share in self.record.shares:
            pointer = share.place.pointer
            facts = [Fact(term, references=self.refs([ref])) for term, ref in (("part", share.part), ("whole", share.whole)) if ref]
            items.append(self.item(pointer, share.label or share.id, share.id, facts=facts, figures=[self.figure(pointer, share)]))
        return items

    def relations(self) -> list[ItemView]:
        items = []
        for relation in self.record.relations:
            facts = []
            for term in ("total", "part", "whole", "rate", "count", "parts", "items"):
                value = getattr(relation, term, None)
                if value:
                    facts.append(Fact(term, references=self.refs([value] if isinstance(value, str) else value)))
            for j, pair in enumerate(getattr(relation, "pairs", [])):
                facts.append(Fact(f"pair {j + 1}: rate, count", references=self.refs([pair.rate, pair.count])))
            if relation.kind == "total":
                facts.append(Fact("complete", "yes: the parts are all there is" if relation.complete else "no: only some parts"))
            if relation.note:
                facts.append(Fact("note", relation.note))
            items.append(self.item(relation.place.pointer, RELATION_TITLES.get(relation.kind, relation.kind), None, facts=facts))
        return items

    def lists(self) -> list[ItemView]:
        return [
            self.item(counted.place.pointer, counted.id, counted.id, facts=[Fact("count", references=self.refs([counted.count]))],
                      listed=list(counted.items), quote=self.quote(counted.quote, counted.source))
            for counted in self.record.lists
        ]

    def officials(self) -> list[ItemView]:
        items = []
        for official in self.record.officials:
            facts = [Fact("role", official.role)]
            facts += [Fact(term, str(value)) for term, value in (("organisation", official.organisation), ("as of", official.as_of)) if value is not None]
            items.append(self.item(official.place.pointer, official.name, None, facts=facts, quote=self.quote(official.quote, official.source)))
        return items

    def sources(self) -> list[SourceView]:
        return [
            SourceView(s.id, s.title, s.publisher, _text(s.published), s.file, s.url, s.language, s.translated_from,
                       s.machine_translated, self.place(s.place.pointer), source_page(s.file) if s.file else "", s.key)
            for s in self.record.sources
        ]

    def poverty_exit(self) -> PovertyExitView | None:
        exit_ = self.record.division.poverty_exit
        if exit_ is None:
            return None
        return PovertyExitView(str(exit_.date), _humane(exit_.approved_by), self.quote(exit_.quote, exit_.source),
                               self.place("/division/poverty_exit"))


    def delisted_year(self) -> CellView | None:
        cited = getattr(self.record.division, "delisted_year", None)
        if cited is None:
            return None
        return self.cell(cited, cited.place.pointer)

    def cell(self, cited: Any, pointer: str) -> CellView:
        """A value cited to a table's cell (the division's, or a figure's), linked to the row on the table's page."""
        source = next((s for s in self.record.sources if s.id == cited.source), None)
        href = f"{source_page(source.file)}#{cell_anchor(source.key, cited.cell.row)}" if source is not None and source.file and source.key else ""
        return CellView(str(cited.value), cited.source or "", cited.cell.row, cited.cell.column,
                        source.title if source is not None else "", href, self.place(pointer))


def _humane(key: str) -> str:
    return key.replace("_", " ")


def record_page(record: Any, facts: RecordFacts, page: str, findings: list[FindingView]) -> RecordPage:
    builder = _PageBuilder(record, facts)
    sections = [SectionView(key, title, getattr(builder, key)()) for key, title in SECTION_TITLES.items()]
    sections = [section for section in sections if section.items]
    shown = {figure.pointer for section in sections for item in section.items for figure in item.all_figures()}
    missed = [pointer for pointer in facts.quantity_pointers if pointer not in shown]
    if missed:  # a quantity of a kind this page does not know yet: shown plainly rather than left out
        sections.append(SectionView("other", "Other figures", [
            builder.item(pointer, pointer, None, figures=[builder.figure(pointer, _quantity_at(record, pointer))])
            for pointer in missed
        ]))
    division = record.division
    result = RecordPage(
        page=page, path=facts.path, loaded=True, level=division.level, code=division.code, name_en=division.name_en,
        name_zh=division.name_zh, province=division.province, prefecture=division.prefecture,
        designations=[_humane(d) for d in division.designations], contiguous_area=division.contiguous_area,
        poverty_exit=builder.poverty_exit(), delisted_year=builder.delisted_year(), sources=builder.sources(), sections=sections, findings=findings,
        notes=[(what, text) for what, text in (("What the record leaves out", getattr(record.notes, "omitted", None)),
                                                ("How it was curated", getattr(record.notes, "curation", None))) if text],
    )
    attach_findings(result)
    return result


def _quantity_at(record: Any, pointer: str) -> Any:
    node = record
    for token in pointer.strip("/").split("/"):
        node = node[int(token)] if token.isdigit() else getattr(node, token)
    return node


def attach_findings(page: RecordPage) -> None:
    """Show each finding next to the most specific figure (or else item) whose pointer contains its own,
    and a finding about a relation, share or list next to the figures it names too."""
    targets: list[tuple[str, int, FigureView | ItemView]] = []
    figures_by_anchor: dict[str, FigureView] = {}
    for section in page.sections:
        for item in section.items:
            targets.append((item.pointer, 0, item))
            for figure in item.all_figures():
                targets.append((figure.pointer, 1, figure))
                figures_by_anchor[figure.anchor] = figure
    for finding in page.problems:  # a correction is shown as the figure's curated reading, not as a finding
        matching = [t for t in targets if finding.pointer == t[0] or finding.pointer.startswith(t[0] + "/")]
        if not matching:
            continue
        _, _, target = max(matching, key=lambda t: (len(t[0]), t[1]))
        target.findings.append(finding)
        finding.shown_at = target.anchor
        if isinstance(target, ItemView):
            for reference in (r for fact in target.facts for r in fact.references):
                named = figures_by_anchor.get(reference.anchor)
                if named is not None and finding not in named.findings:
                    named.findings.append(finding)
