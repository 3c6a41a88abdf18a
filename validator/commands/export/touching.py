"""Which findings touch a figure, so that an analyst sees on each row what the validator said about it."""

from __future__ import annotations

from ...findings import LocatedFinding, Severity
from ...schema_check import positioned
from ...typed import RecordContext


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
    for i, relation in positioned(record.relations):
        places[f"/relations/{i}"] = set(_relation_ids(relation))
    for i, fund in positioned(record.funds):
        if fund.parts:
            places[f"/funds/{i}/parts"] = {fund.id, *fund.parts}
    for i, share in positioned(record.shares):
        places[f"/shares/{i}"] = {n for n in (share.part, share.whole) if n is not None}
    for i, counted in positioned(record.lists):
        places[f"/lists/{i}"] = {counted.count}
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
