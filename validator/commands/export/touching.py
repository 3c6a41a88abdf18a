"""Which findings touch a figure, so that an analyst sees on each row what the validator said about it."""

from __future__ import annotations

from ...support.findings import LocatedFinding, Severity
from ...record.typed import RecordContext


def _on_one_branch(place: str, pointer: str) -> bool:
    """True where one place is the other or inside it: a finding at a figure, inside it, or at what holds it."""
    return place == pointer or place.startswith(pointer + "/") or pointer.startswith(place + "/")


def _relation_ids(relation) -> list[str]:
    ids = [getattr(relation, name, None) for name in ("total", "part", "whole", "rate", "count")]
    ids += list(getattr(relation, "parts", ())) + list(getattr(relation, "items", ()))
    ids += [i for pair in getattr(relation, "pairs", ()) for i in (pair.rate, pair.count)]
    return [i for i in ids if i is not None]


def naming_places(context: RecordContext) -> dict[str, set[str]]:
    """Places that relate figures by id (relations, a fund's parts, shares, counted lists) -> the ids they name."""
    record = context.record
    places: dict[str, set[str]] = {}
    for relation in record.relations:
        places[relation.place.pointer] = set(_relation_ids(relation))
    for fund in record.funds:
        if fund.parts:
            places[fund.place.field("parts").pointer] = {fund.id, *fund.parts}
    for share in record.shares:
        places[share.place.pointer] = {n for n in (share.part, share.whole) if n is not None}
    for counted in record.lists:
        places[counted.place.pointer] = {counted.count}
    return places


class FindingsOfRecord:
    """The findings of one record, asked figure by figure."""

    def __init__(self, context: RecordContext, findings: list[LocatedFinding]) -> None:
        places = naming_places(context)
        self._findings = []
        for finding in findings:
            if finding.severity is Severity.INFO:
                continue  # a correction is the row's own curated columns, not a finding about it
            named = set(finding.ids)
            for place, ids in places.items():
                if finding.pointer == place or finding.pointer.startswith(place + "/"):
                    named |= ids
            # A finding at the record or at a whole section (/funds) is not about the figures in it.
            holds = finding.pointer.count("/") >= 2
            related = [r.pointer for r in finding.related if r.file == finding.file and r.pointer]
            self._findings.append((finding, holds, named, related))

    def touching(self, pointer: str, names: list[str]) -> list[LocatedFinding]:
        """The findings at the figure or what holds it, naming one of its ids, or with a related place at it."""
        touching = []
        for finding, holds, named, related in self._findings:
            if ((holds and _on_one_branch(finding.pointer, pointer)) or named.intersection(names)
                    or any(place == pointer or place.startswith(pointer + "/") for place in related)):
                touching.append(finding)
        return touching
