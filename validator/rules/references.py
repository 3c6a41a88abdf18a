"""REF: ids are unique in their record, and every reference resolves to a thing of the right kind."""

from __future__ import annotations

from typing import Iterator

from ..findings import Finding, Severity
from ..typed import RecordContext, iter_quotes
from .base import rule
from ..schema_check import positioned


def iter_references(context: RecordContext) -> Iterator[tuple[str, str, str]]:
    """(pointer, referenced id, kind) for every reference in the record; kind is quantity, fund or share."""
    record = context.record
    for i, programme in positioned(record.programmes):
        for j, fund_id in enumerate(programme.funds):
            yield f"/programmes/{i}/funds/{j}", fund_id, "fund"
    for i, fund in positioned(record.funds):
        for j, part in enumerate(fund.parts):
            yield f"/funds/{i}/parts/{j}", part, "fund"
        for j, standard in enumerate(fund.standards):
            if standard.applies_to is not None:
                yield f"/funds/{i}/standards/{j}/applies_to", standard.applies_to, "quantity"
    for i, share in positioned(record.shares):
        for name in ("part", "whole"):
            if getattr(share, name) is not None:
                yield f"/shares/{i}/{name}", getattr(share, name), "quantity"
    for i, counted in positioned(record.lists):
        yield f"/lists/{i}/count", counted.count, "quantity"
    for i, relation in positioned(record.relations):
        base = f"/relations/{i}"
        if relation.kind == "total":
            yield f"{base}/total", relation.total, "quantity"
            for j, part in enumerate(relation.parts):
                yield f"{base}/parts/{j}", part, "quantity"
        elif relation.kind == "subset":
            yield f"{base}/part", relation.part, "quantity"
            yield f"{base}/whole", relation.whole, "quantity"
        elif relation.kind == "same":
            for j, item in enumerate(relation.items):
                yield f"{base}/items/{j}", item, "quantity"
        elif relation.kind == "per_unit":
            for name in ("rate", "count", "total"):
                yield f"{base}/{name}", getattr(relation, name), "quantity"
        elif relation.kind == "shares_complete":
            for j, part in enumerate(relation.parts):
                yield f"{base}/parts/{j}", part, "share"
        elif relation.kind == "implied_denominator":
            for j, pair in enumerate(relation.pairs):
                yield f"{base}/pairs/{j}/rate", pair.rate, "quantity"
                yield f"{base}/pairs/{j}/count", pair.count, "quantity"




@rule(
    "REF001", "duplicate-id", Severity.ERROR,
    summary="Two things in one record share an id.",
    what="Reports every use of an id after its first, naming where it was first used.",
    why="Relations, shares and acknowledgements refer to ids; with two owners a reference silently picks one.",
    example=(
        "observations:\n  - id: poor-villages\n    metric: poor_villages\n    value: 54 villages\n    quote: \"all 54 poor villages\"\n"
        "  - id: poor-villages\n    metric: poor_villages_exited\n    value: 54 villages\n    quote: \"all 54 poor villages\"\n"
    ),
    use_instead=(
        "observations:\n  - id: poor-villages\n    metric: poor_villages\n    value: 54 villages\n    quote: \"all 54 poor villages\"\n"
        "  - id: poor-villages-exited\n    metric: poor_villages_exited\n    value: 54 villages\n    quote: \"all 54 poor villages\"\n"
    ),
)
def duplicate_id(context: RecordContext) -> Iterator[Finding]:
    for item_id, owners in context.by_id.items():
        first = owners[0][0]
        for pointer, _item in owners[1:]:
            yield Finding(f"id `{item_id}` is already used at {first}; give this one its own id", pointer=f"{pointer}/id")


@rule(
    "REF002", "dangling-reference", Severity.ERROR,
    summary="A reference to an id that does not exist, or to a thing of the wrong kind.",
    what=(
        "Checks every reference: programmes' and funds' `funds`/`parts` name funds; shares, relations, lists "
        "and per-unit standards name quantities (an observation, an output, a share, a fund's amount, a target, "
        "or any quantity with an `id`); `shares_complete` names shares."
    ),
    why="A relation whose ids do not resolve checks nothing; a typo would make a consistency check vanish silently.",
    example="relations:\n  - kind: subset\n    part: poor-households-2104\n    whole: all-households\n",
    use_instead="relations: []\n",
)
def dangling_reference(context: RecordContext) -> Iterator[Finding]:
    known = {
        "quantity": context.quantity_by_id.keys(),
        "fund": {fund.id for fund in context.record.funds},
        "share": {share.id for share in context.record.shares},
    }
    for pointer, item_id, kind in iter_references(context):
        if item_id not in known[kind] and item_id not in context.left_out_ids:
            yield Finding(f"`{item_id}` does not name a {kind} in this record", pointer=pointer)


@rule(
    "REF003", "unknown-source", Severity.ERROR,
    summary="A quote whose source is not one of the record's sources, or is left out where there are several.",
    what="Reports a `source` that names no entry of `sources`, and a quoted item without `source` in a record with more than one source.",
    why="A quote can only be checked against the document it comes from.",
    example="observations:\n  - id: poor-villages\n    metric: poor_villages\n    value: 54 villages\n    source: s9\n    quote: \"all 54 poor villages\"\n",
    use_instead="observations:\n  - id: poor-villages\n    metric: poor_villages\n    value: 54 villages\n    source: s1\n    quote: \"all 54 poor villages\"\n",
)
def unknown_source(context: RecordContext) -> Iterator[Finding]:
    several = len(context.record.sources) > 1
    for quote_pointer, _quote, source_id in iter_quotes(context):
        item_pointer = quote_pointer.rpartition("/")[0]
        if source_id is None and several:
            yield Finding("the record has several sources: say which one this quote is from with `source:`", pointer=item_pointer)
        elif source_id is not None and context.source_for(source_id) is None:
            yield Finding(f"`{source_id}` is not the id of a source of this record", pointer=f"{item_pointer}/source")


RULES = [duplicate_id, dangling_reference, unknown_source]
