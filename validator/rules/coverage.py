"""COVER: every quantity a cited text writes is either recorded as a figure or left out with a reason.

A record's coverage of a text source is what a reviewer otherwise cannot see: the figures a curator
skipped. Each quantity of the text (record/source_quantities.py: read as QUOTE002 reads a quote, less
years, dates, ordinals and list numbers) is accounted for where a figure of the record quotes the
passage it stands in and states it (its value is that figure, as QUOTE002 matches them), or where an
omission (`omissions`, schema 1.2) quotes the passage and says why it is left out. Table sources are
cited cell by cell and are not counted.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Iterator, NamedTuple

from ..record.quote_figures import may_state
from ..record.source_quantities import SourceQuantity, quantities_of, quote_spans
from ..record.typed import Item, RecordContext, text_sources
from ..support.findings import Finding, Related, Severity
from ..support.seeds import read_seed
from ..support.text import PASSAGE, clip
from .base import rule
from .limits import FINDINGS_PER_RULE
from .quotes import MAX_QUOTE_CHARS, QUOTE_SEARCH_BUDGET_CHARS


class SourceCoverage(NamedTuple):
    """How much of one text source a record accounts for."""

    source: Item  # the record's source entry
    quantities: tuple[SourceQuantity, ...]  # every quantity the text writes
    unaccounted: tuple[SourceQuantity, ...]  # those no figure records and no omission covers

    @property
    def accounted(self) -> int:
        return len(self.quantities) - len(self.unaccounted)


def _within(quantities: tuple[SourceQuantity, ...], starts: list[int], span: tuple[int, int]) -> Iterator[int]:
    """Indexes of the quantities that stand wholly inside the span."""
    index = bisect_left(starts, span[0])
    while index < len(quantities) and quantities[index].start < span[1]:
        if quantities[index].end <= span[1]:
            yield index
        index += 1


def _cites(context: RecordContext, source_id: str | None, source: Item) -> bool:
    return context.source_for(source_id) is source


# Coverage is checked from the version that added `omissions`.
FROM_VERSION = (1, 2)


def _version(declared: str) -> tuple[int, ...]:
    return tuple(int(part) for part in declared.split(".") if part.isdigit())


# The rule and the engine's counts ask for the same record in turn: the last record's answer is kept
# (a context is compared by identity; it is not hashable).
_last: list = [None, ()]


def coverage_of(context: RecordContext) -> tuple[SourceCoverage, ...]:
    """Each readable text source of the record with its quantities and those left unaccounted for."""
    if _last[0] is not context:
        _last[:] = [context, _coverage(context)]
    return _last[1]


def _coverage(context: RecordContext) -> tuple[SourceCoverage, ...]:
    if _version(context.record.schema_version) < FROM_VERSION:
        return ()  # a record written to an older version has no `omissions` to account with
    found = []
    searched = 0  # characters of the record's seeds searched for its quotes, within QUOTE001's budget
    for source in text_sources(context.record):
        seed = None if source.file is None else read_seed(context.seeds_dir, source.file.removeprefix("seeds/")).text
        if seed is None:
            continue  # QUOTE003, QUOTE005 and QUOTE006 say why
        quantities = quantities_of(seed)
        starts = [quantity.start for quantity in quantities]
        accounted: set[int] = set()
        spans_of: dict[str, list[tuple[int, int]]] = {}  # a clause quoted for several figures is looked for once

        def spans(quote: str) -> list[tuple[int, int]]:
            nonlocal searched
            if quote not in spans_of:
                searched += len(seed.folded)
                # Past QUOTE001's budget a quote is not looked for (QUOTE001 says so); what it would cover stays listed.
                spans_of[quote] = quote_spans(seed, quote) if searched <= QUOTE_SEARCH_BUDGET_CHARS else []
            return spans_of[quote]

        for omission in context.record.omissions:
            if _cites(context, omission.source, source) and len(omission.quote) <= MAX_QUOTE_CHARS:
                for span in spans(omission.quote):
                    accounted.update(_within(quantities, starts, span))
        for entry in context.quantities:
            quantity = entry.quantity
            if quantity.quote is None or quantity.derived is not None or len(quantity.quote) > MAX_QUOTE_CHARS or not _cites(context, quantity.source, source):
                continue
            stated = [parsed for parsed in (entry.stated, entry.upper) if parsed is not None]
            for span in spans(quantity.quote):
                for index in _within(quantities, starts, span):
                    figure = quantities[index].figure
                    if any(may_state(figure, parsed) for parsed in stated):
                        accounted.add(index)
        unaccounted = tuple(quantity for index, quantity in enumerate(quantities) if index not in accounted)
        found.append(SourceCoverage(source, quantities, unaccounted))
    return tuple(found)


def coverage_counts(context: RecordContext) -> dict[str, int]:
    """The record's coverage for reports: text sources read, their quantities, and those accounted for."""
    coverage = coverage_of(context)
    return {"sources": len(coverage), "quantities": sum(len(c.quantities) for c in coverage),
            "accounted": sum(c.accounted for c in coverage)}


_SOURCE = "schema_version: \"1.2\"\nsources:\n  - id: s1\n    file: seeds/coverage-zh.txt\n    title: A county's report, in Chinese\n    language: zh\n"


@rule(
    "COVER001", "quantity-not-accounted-for", Severity.INFO,
    summary="A quantity written in a cited text source that no figure records and no omission covers.",
    what=(
        "Reads every quantity each cited text source writes (as QUOTE002 reads a quote: the number with its scale "
        "word, unit word and qualifier words; years, dates, ordinals, list numbering and the numerals of "
        "number_idioms that count nothing, 一是, 第三, 十三五, are not quantities) and reports, at the record's "
        "source entry, each one that is accounted for neither by a figure nor by an omission. A figure accounts "
        "for a quantity when its quote stands around it in the source and its value (or upper end) is that "
        "quantity, as QUOTE002 matches them; an omission (`omissions`: the quote, a reason and a note) accounts "
        "for every quantity inside its quote. The message names the quantity and its sentence, with the "
        "sentence's line in the source. Table sources (`key`) are cited by cell and not counted. A record lists "
        f"its first {FINDINGS_PER_RULE} such quantities and counts the rest. Informational: it never fails a run; "
        "the summary line and the JSON report give each record's coverage. Records of schema 1.2 and later are "
        "checked: `omissions` came with 1.2, so an older record has no way to account for a quantity."
    ),
    why=(
        "A record that quietly skips figures of its source looks complete and is not: a reader cannot tell a "
        "figure the curator missed from one left out on purpose. Naming each omission with its reason makes "
        "the record's coverage something a reviewer can check."
    ),
    example=(
        _SOURCE + "observations:\n  - id: road-km\n    metric: road_length\n    value: 12.5公里\n    quote: \"全县新建公路12.5公里\"\n"
    ),
    use_instead=(
        _SOURCE + "observations:\n  - id: road-km\n    metric: road_length\n    value: 12.5公里\n    quote: \"全县新建公路12.5公里\"\n"
        "omissions:\n  - quote: \"每户补助500元。一是退耕还林3公顷；二是新建扶贫车间4个，带动贫困户120户。\"\n"
        "    reason: beyond_the_schema\n    note: a subsidy standard, land returned to forest and workshops, kept for a later round\n"
        "  - quote: \"邻县平川县当年减少贫困人口2456人\"\n    reason: not_about_this_county\n    note: the neighbouring county's figure\n"
    ),
)
def quantity_not_accounted_for(context: RecordContext) -> Iterator[Finding]:
    listed = 0
    for coverage in coverage_of(context):
        source, file = coverage.source, coverage.source.file
        seed = read_seed(context.seeds_dir, file.removeprefix("seeds/")).text
        for quantity in coverage.unaccounted:
            listed += 1
            if listed > FINDINGS_PER_RULE:
                break
            line, column = seed.position_of(quantity.sentence.start)
            yield Finding(
                f"{clip(file)} writes {clip(quantity.figure.written)} in \"{clip(quantity.sentence.text, PASSAGE)}\" "
                f"(line {line}), which no figure records and no omission covers: record it, or add it to `omissions` "
                "with a reason", pointer=source.place.pointer,
                related=(Related("the sentence", file=file, line=line, column=column),),
                data={"written": quantity.figure.written, "sentence": quantity.sentence.text, "line": line})
    more = sum(len(coverage.unaccounted) for coverage in coverage_of(context)) - FINDINGS_PER_RULE
    if more > 0:
        yield Finding(f"and {more:,} more quantities of this record's sources that no figure records and no omission "
                      "covers, not listed; `county-records draft` proposes them all",
                      pointer=coverage_of(context)[0].source.place.pointer, data={"unlisted": more})


RULES = [quantity_not_accounted_for]
