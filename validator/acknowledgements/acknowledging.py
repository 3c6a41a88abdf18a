"""Acknowledgements: findings a record keeps on purpose, matched by id path (or, in older records, pointer).

An acknowledgement names its finding by rule and place. The place is an id path (`at:
relations[micro-wish-subset]`), which names things by id, so inserting, removing or reordering other
items changes nothing; records written before id paths name it by JSON pointer (`pointer:
/relations/33`), which still works but names whatever stands at that position. An acknowledgement
covers the findings of its rule at its place or inside it, and one that covers none is stale (ACK001).
"""

from __future__ import annotations

from typing import Callable

from ..support.findings import LocatedFinding, LocatedRelated
from ..record.identity import is_positional, pointer_of, unescape_token
from ..load.loader import LoadedDocument, Position
from ..rules import RULE_BY_CODE
from ..support.text import clip
from ..support.slotted import Slotted

# What `--show-acknowledgement` writes for the reason; ACK003 reports it until the curator replaces it.
REASON_PLACEHOLDER = "REPLACE: say why the record keeps this as stated (the source's own inconsistency, quoted)."


class Acknowledgement(Slotted):
    __slots__ = ("rule", "at", "pointer", "reason", "line", "column", "own_pointer", "target", "names_a_list")

    def __init__(self, rule: str, at: str | None, pointer: str | None, reason: str, line: int, column: int,
                 own_pointer: str, target: tuple[str, int, int] | None, names_a_list: bool = False) -> None:
        self.rule = rule
        self.at = at  # an id path
        self.pointer = pointer  # a JSON pointer (records written before id paths)
        self.reason = reason
        self.line = line
        self.column = column
        self.own_pointer = own_pointer
        # What the place names in this record now, if anything: (pointer, line, column).
        self.target = target
        # A section or another list: it would cover the findings of every item in it, later ones included.
        self.names_a_list = names_a_list

    @property
    def place(self) -> str:
        return self.at if self.at is not None else (self.pointer or "/")

    @property
    def too_broad(self) -> str | None:
        """Why the place names no one finding's place, if it does not: it would cover findings not yet made."""
        if self.at is not None and self.pointer is not None:
            return "names its place twice (`at` and `pointer`); keep `at`"
        place = self.at if self.at is not None else self.pointer
        if place is None or place.strip() in ("", "/"):
            return "names the whole record"
        if self.names_a_list:
            return "names a whole list"
        return None

    @property
    def key(self) -> tuple[str, str, str]:
        """What it covers, as `FindingsByPlace` files a finding: its rule, and its id path or pointer."""
        return (self.rule, "at", self.at) if self.at is not None else (self.rule, "pointer", self.pointer or "")


class FindingsByPlace:
    """A record's findings filed under their rule and every place they lie within, so that each
    acknowledgement finds what it covers in one look-up rather than by asking every finding.

    A finding lies within an id path that is its own or ends before one of its own `.` or `[`
    (`relations[a].part` within `relations[a]` and `relations`, as `identity.is_within` says), and
    within a pointer that is its own or ends before one of its own `/`.
    """

    def __init__(self, findings: list[LocatedFinding]) -> None:
        self._by_key: dict[tuple[str, str, str], list[LocatedFinding]] = {}
        for finding in findings:
            for kind, place, separators in (("at", finding.path, ".["), ("pointer", finding.pointer, "/")):
                ends = {index for index, char in enumerate(place) if char in separators}
                for end in ends | {len(place)}:
                    self._by_key.setdefault((finding.code, kind, place[:end]), []).append(finding)

    def covered_by(self, ack: Acknowledgement) -> list[LocatedFinding]:
        return self._by_key.get(ack.key, [])


def acknowledgements_of(model, doc: LoadedDocument, locate: Callable[[LoadedDocument, str], Position]) -> list[Acknowledgement]:
    found = []
    ids: dict = {}  # each list's items by id, made once for all the entries that name them
    for entry in model.acknowledged:
        own = entry.place.pointer
        at = getattr(entry, "at", None)
        pointer = pointer_of(at, doc.data, ids) if at is not None else (entry.pointer if entry.pointer in doc.positions else None)
        target = (pointer, *locate(doc, pointer)) if pointer is not None else None
        found.append(Acknowledgement(entry.rule, at, entry.pointer, entry.reason, *locate(doc, own), own, target,
                                     names_a_list=pointer is not None and isinstance(_node_at(doc.data, pointer), list)))
    return found


def _node_at(data: object, pointer: str) -> object:
    node = data
    for token in pointer.split("/")[1:]:
        token = unescape_token(token)
        if isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        elif isinstance(node, dict) and token in node:
            node = node[token]
        else:
            return None
    return node


def _stale(display: str, ack: Acknowledgement) -> LocatedFinding:
    rule = RULE_BY_CODE["ACK001"]
    finding = LocatedFinding(
        display, ack.line, ack.column, ack.own_pointer, "ACK001", rule.name, rule.severity,
        f"acknowledgement of {clip(ack.rule)} at {clip(ack.place)} matches no finding; remove it",
        path=f"acknowledged[#{ack.own_pointer.rpartition('/')[2]}]",
    )
    if ack.target is not None:
        pointer, line, column = ack.target
        finding.related.append(LocatedRelated("acknowledged place", display, line, column, pointer, ack.at or ""))
    return finding


def _too_broad(display: str, ack: Acknowledgement, why: str) -> LocatedFinding:
    rule = RULE_BY_CODE["ACK002"]
    return LocatedFinding(
        display, ack.line, ack.column, ack.own_pointer, "ACK002", rule.name, rule.severity,
        f"acknowledgement of {clip(ack.rule)} at \"{clip(ack.place)}\" {why}, so it would cover {clip(ack.rule)} findings "
        "not yet made; it acknowledges nothing: name the one finding's place (its id path, as the report shows it)",
    )


def _placeholder(display: str, ack: Acknowledgement) -> LocatedFinding:
    rule = RULE_BY_CODE["ACK003"]
    return LocatedFinding(
        display, ack.line, ack.column, ack.own_pointer, "ACK003", rule.name, rule.severity,
        "the reason is still the placeholder: say why the record keeps this finding (quote the source)",
    )


def apply(display: str, findings: list[LocatedFinding], acknowledgements: list[Acknowledgement]) -> None:
    """Mark acknowledged findings; report acknowledgements that match nothing (ACK001) or lack a reason (ACK003)."""
    extra: list[LocatedFinding] = []
    by_place = FindingsByPlace(findings)
    for ack in acknowledgements:
        why = ack.too_broad
        if why is not None:
            extra.append(_too_broad(display, ack, why))
            continue
        covered = by_place.covered_by(ack)
        for finding in covered:
            finding.acknowledged = True
            finding.ack_reason = ack.reason
        if not covered:
            extra.append(_stale(display, ack))
        if ack.reason.strip() == REASON_PLACEHOLDER:
            extra.append(_placeholder(display, ack))
    findings.extend(extra)


def snippet(finding: LocatedFinding) -> str:
    """The entry of `acknowledged` that would acknowledge this finding, as YAML lines.

    Where an item on the way has no id, the path would name it by position; the snippet then says to
    give it an id first (`county-records fix-acknowledgements` does that for existing entries).
    """
    lines = [f"- rule: {finding.code}", f"  at: {finding.path}", f'  reason: "{REASON_PLACEHOLDER}"']
    if is_positional(finding.path):
        lines.insert(0, "# give the items named by position ([#N]) an `id:` first, and name them by it here")
    return "\n".join(lines)
