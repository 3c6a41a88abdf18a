"""CONFLICT: the same metric for the same division and date stated with values that cannot both hold."""

from __future__ import annotations

from collections import defaultdict
from typing import Iterator

from ..corpus import CorpusFacts, ObservationFact
from ..findings import Finding, Severity, excerpt
from ..quantities import Interval
from .base import rule


def _interval(observation: ObservationFact) -> Interval:
    return Interval(observation.low, observation.high)


@rule(
    "CONFLICT001", "conflicting-values", Severity.WARNING, scope="corpus",
    summary="One metric, one division, one date, two values that cannot both be true.",
    what=(
        "Groups observations across all records by division code, metric, label and date (or period), and warns "
        "at each later statement whose interval has nothing in common with an earlier one, naming both places. "
        "Observations without a date are not compared (they may hold at different times)."
    ),
    why=(
        "Sources disagree, and so do curators; a conflict that is not recorded (with a `same` relation or an "
        "acknowledgement saying which source to trust) leaves analysts with two answers and no reason to pick one."
    ),
    example=(
        "observations:\n  - {id: a, metric: poor_villages, value: 54 villages, date: 2019, quote: \"all 54 poor villages\"}\n"
        "  - {id: b, metric: poor_villages, value: 45 villages, date: 2019, quote: \"all 54 poor villages\", derived: mistyped}\n"
    ),
    use_instead=(
        "observations:\n  - {id: a, metric: poor_villages, value: 54 villages, date: 2019, quote: \"all 54 poor villages\"}\n"
        "  - {id: b, metric: poor_villages, value: 54 villages, date: 2019, quote: \"all 54 poor villages\"}\n"
    ),
)
def conflicting_values(facts: list[tuple[str, CorpusFacts]]) -> Iterator[tuple[str, Finding]]:
    groups: dict[tuple, list[tuple[str, ObservationFact]]] = defaultdict(list)
    for display, record in facts:
        for observation in record.observations:
            if observation.when:
                groups[(record.code, observation.metric, observation.label, observation.when)].append((display, observation))
    for statements in groups.values():
        for index, (display, later) in enumerate(statements[1:], start=1):
            for earlier_display, earlier in statements[:index]:
                if earlier.dimensionality == later.dimensionality and not _interval(later).overlaps(_interval(earlier)):
                    yield display, Finding(
                        "CONFLICT001",
                        f"{later.metric} for {later.when} is {excerpt(later.value_text)} here but {excerpt(earlier.value_text)} at "
                        f"{earlier_display} {earlier.pointer}; relate them with `kind: same` and acknowledge the source's inconsistency, or correct one",
                        pointer=later.pointer,
                    )
                    break


RULES = [conflicting_values]
