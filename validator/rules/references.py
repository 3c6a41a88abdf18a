"""REF: ids are unique in their record, and every reference resolves to a thing of the right kind."""

from __future__ import annotations

from collections import Counter
from typing import Iterator

from ..support.findings import Finding, Severity
from ..record.typed import RecordContext, iter_quotes, text_sources
from .arithmetic import relations_of_kind
from .base import rule


def _listed(item, field: str, kind: str) -> Iterator[tuple[str, str, str]]:
    """(pointer, id, kind) for each id of a list of ids of an item."""
    place = item.place.field(field)
    for index, referenced in enumerate(getattr(item, field)):
        yield place.element(index).pointer, referenced, kind


def _named(item, kind: str, *fields: str) -> Iterator[tuple[str, str, str]]:
    """(pointer, id, kind) for each field of an item that names an id."""
    for field in fields:
        if getattr(item, field) is not None:
            yield item.place.field(field).pointer, getattr(item, field), kind


def iter_references(context: RecordContext) -> Iterator[tuple[str, str, str]]:
    """(pointer, referenced id, kind) for every reference in the record; kind is quantity, fund or share."""
    record = context.record
    for programme in record.programmes:
        yield from _listed(programme, "funds", "fund")
    for fund in record.funds:
        yield from _listed(fund, "parts", "fund")
        for standard in fund.standards:
            yield from _named(standard, "quantity", "applies_to")
    for share in record.shares:
        yield from _named(share, "quantity", "part", "whole")
    for counted in record.lists:
        yield from _named(counted, "quantity", "count")
    for relation in record.relations:
        if relation.kind == "total":
            yield from _named(relation, "quantity", "total")
            yield from _listed(relation, "parts", "quantity")
        elif relation.kind in ("subset", "within"):
            yield from _named(relation, "quantity", "part", "whole")
        elif relation.kind == "same":
            yield from _listed(relation, "items", "quantity")
        elif relation.kind == "per_unit":
            yield from _named(relation, "quantity", "rate", "count", "total")
        elif relation.kind == "shares_complete":
            yield from _listed(relation, "parts", "share")
        elif relation.kind == "implied_denominator":
            for pair in relation.pairs:
                yield from _named(pair, "quantity", "rate", "count")




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
        first = owners[0].place.id_path
        for owner in owners[1:]:
            yield Finding(f"id `{item_id}` is already used at {first}; give this one its own id", pointer=owner.place.field("id").pointer)


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
    several = len(text_sources(context.record)) > 1
    for quoted, _quote, source_id in iter_quotes(context):
        if source_id is None and several:
            yield Finding("the record has several sources: say which one this quote is from with `source:`", pointer=quoted.pointer)
        elif source_id is not None and context.source_for(source_id) is None:
            yield Finding(f"`{source_id}` is not the id of a source of this record", pointer=quoted.field("source").pointer)


# A cycle is named by its first few ids; the rest are counted.
_CYCLE_IDS_SHOWN = 6


def containment_edges(context: RecordContext) -> list[tuple[str, str, str]]:
    """(id of the whole, id of what it contains, pointer of the statement) for every 'is part of' in the record:
    totals and their parts, funds and the funds they are made of, wholes and their subsets.

    A fund and its amount are one figure: an amount's own id is read as its fund's id.
    """
    record = context.record
    fund_of_amount = {fund.amount.id: fund.id for fund in record.funds if fund.amount.id is not None}

    def figure(item_id: str) -> str:
        return fund_of_amount.get(item_id, item_id)

    # In the order records are written (funds before relations): a cycle is reported where it closes.
    edges = []
    for fund in record.funds:
        edges.extend((fund.id, figure(part), fund.place.field("parts").pointer) for part in fund.parts)
    for relation in record.relations:
        if relation.kind == "total":
            edges.extend((figure(relation.total), figure(part), relation.place.pointer) for part in relation.parts)
        elif relation.kind in ("subset", "within"):
            edges.append((figure(relation.whole), figure(relation.part), relation.place.pointer))
    return edges


def find_cycles(edges: list[tuple[str, str, str]]) -> Iterator[tuple[list[str], int, str]]:
    """(first ids of the cycle, its length, pointer of the edge that closes it) for every cycle a depth-first
    search closes; each node and edge is visited once (white: unseen, grey: on the path, black: done)."""
    graph: dict[str, list[tuple[str, str]]] = {}
    for whole, part, pointer in edges:
        graph.setdefault(whole, []).append((part, pointer))
        graph.setdefault(part, [])
    black: set[str] = set()
    for root in graph:
        if root in black:
            continue
        path, on_path = [root], {root: 0}  # grey nodes, with their place on the path
        pending = [iter(graph[root])]
        while pending:
            for part, pointer in pending[-1]:
                if part in on_path:
                    start = on_path[part]
                    yield path[start:start + _CYCLE_IDS_SHOWN], len(path) - start, pointer
                elif part not in black:
                    on_path[part] = len(path)
                    path.append(part)
                    pending.append(iter(graph[part]))
                    break
            else:
                pending.pop()
                done = path.pop()
                del on_path[done]
                black.add(done)


def _describe_cycle(ids: list[str], length: int) -> str:
    if length == 1:
        return f"`{ids[0]}` is stated to be part of itself"
    shown = " -> ".join(f"`{item_id}`" for item_id in ids)
    more = f" -> ... ({length - len(ids)} more)" if length > len(ids) else ""
    return f"these figures contain each other in a cycle: {shown}{more} -> `{ids[0]}`"


@rule(
    "REF004", "relation-cycle", Severity.ERROR,
    summary="A figure stated to be part of itself, directly or through a cycle, or one `same` relation naming an id twice.",
    what=(
        "Follows every 'is part of' the record states (a `total` and its parts, a fund and the funds in its `parts`, "
        "a `subset`'s whole and its part) and reports each cycle, at the relation or fund `parts` that closes it, "
        "naming the ids along it: a total that is its own part, a subset of itself, funds that are parts of each "
        "other. Also reports a `same` relation that lists one id more than once."
    ),
    why=(
        "A cycle checks nothing: a total whose only part is itself, or a subset of itself, passes every arithmetic "
        "rule whatever its value, and a `same` relation that names one figure twice compares it with itself. "
        "It is always a mistyped id."
    ),
    example=(
        "funds:\n  - {id: central, label: Central funds, stage: invested, parts: [province],\n"
        "     amount: {value: 26.2 million yuan, quote: \"26.2 million yuan came from the central government\"}}\n"
        "  - {id: province, label: Provincial funds, stage: invested, parts: [central],\n"
        "     amount: {value: 14.9652 million yuan, quote: \"14.9652 million yuan from the province\"}}\n"
    ),
    use_instead=(
        "funds:\n  - {id: invest, label: All funds, stage: invested, parts: [central, province],\n"
        "     amount: {value: \"41,165,200 yuan\", quote: \"The county invested 41,165,200 yuan\"}}\n"
        "  - {id: central, label: Central funds, stage: invested,\n"
        "     amount: {value: 26.2 million yuan, quote: \"26.2 million yuan came from the central government\"}}\n"
        "  - {id: province, label: Provincial funds, stage: invested,\n"
        "     amount: {value: 14.9652 million yuan, quote: \"14.9652 million yuan from the province\"}}\n"
    ),
)
def relation_cycle(context: RecordContext) -> Iterator[Finding]:
    closed: set[str] = set()  # one finding per statement, naming the first cycle it closes
    for ids, length, pointer in find_cycles(containment_edges(context)):
        if pointer not in closed:
            closed.add(pointer)
            yield Finding(f"{_describe_cycle(ids, length)}; check the ids: a figure cannot contain itself", pointer=pointer)
    for pointer, relation in relations_of_kind(context, "same"):
        repeated = [item_id for item_id, count in Counter(relation.items).items() if count > 1]
        if repeated:
            yield Finding(f"this `same` relation lists `{repeated[0]}` more than once: each statement of a figure has its own id",
                pointer=pointer,
            )


RULES = [duplicate_id, dangling_reference, unknown_source, relation_cycle]
