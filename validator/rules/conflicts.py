"""CONFLICT: the same metric for the same division and date stated with values that cannot both hold."""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import defaultdict
from typing import Iterator

from ..corpus.facts import CorpusFacts, ObservationFact, in_focus
from ..support.findings import Finding, Related, Severity
from ..support.text import PATH, clip
from .base import rule


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
def conflicting_values(facts: list[tuple[str, CorpusFacts]], focus: frozenset[str] | None = None) -> Iterator[tuple[str, Finding]]:
    groups: dict[tuple, list[tuple[str, ObservationFact]]] = defaultdict(list)
    # Statements conflict only within a division code: with a focus, other codes' records are not read.
    codes = None if focus is None else {record.code for _, record in in_focus(facts, focus)}
    for display, record in facts:
        if codes is not None and record.code not in codes:
            continue
        for observation in record.observations:
            if observation.when:
                key = (record.code, observation.metric, observation.label, observation.when, observation.dimensionality)
                groups[key].append((display, observation))
    for statements in groups.values():
        for later_index, earlier_index in _first_disjoint_earlier(statements):
            display, later = statements[later_index]
            earlier_display, earlier = statements[earlier_index]
            yield display, Finding(
                f"{later.metric} for {later.when} is {clip(later.value_text)} here but {clip(earlier.value_text)} at "
                f"{clip(earlier_display, PATH)} {clip(earlier.path or earlier.pointer, PATH)}; relate them with `kind: same` "
                "and acknowledge the source's inconsistency, or correct one",
                pointer=later.pointer,
                related=(Related("first statement", earlier.pointer, file=earlier_display),),
                data={"value": later.value_text, "first_value": earlier.value_text, "metric": later.metric, "when": later.when},
            )


def _first_disjoint_earlier(statements: list[tuple[str, ObservationFact]]) -> Iterator[tuple[int, int]]:
    """(later, earliest earlier statement whose interval has nothing in common with it), in n log n.

    The earliest i < j with high_i < low_j is where the running minimum of the highs first drops
    below low_j; the earliest with low_i > high_j, where the running maximum of the lows first
    exceeds high_j. Both running values are monotonic, so each look-up is a bisection.
    """
    negated_min_highs: list[float] = []  # -min(high_0..high_i): non-decreasing
    max_lows: list[float] = []  # max(low_0..low_i): non-decreasing
    for j, (_, statement) in enumerate(statements):
        # A NaN bound compares false, so it never makes a conflict: read it as the bound that never does.
        low = -math.inf if math.isnan(statement.low) else statement.low
        high = math.inf if math.isnan(statement.high) else statement.high
        if j:
            first = min(bisect_right(negated_min_highs, -low), bisect_right(max_lows, high))
            if first < j:
                yield j, first
        negated_min_highs.append(max(negated_min_highs[-1], -high) if negated_min_highs else -high)
        max_lows.append(max(max_lows[-1], low) if max_lows else low)


RULES = [conflicting_values]
