"""OUTLIER: a per-unit value far outside the distribution of the same metric across the corpus."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Iterator

from ..corpus.facts import CorpusFacts, ObservationFact, in_focus, is_per_unit
from ..support.findings import Finding, Severity
from ..support.text import clip
from .base import rule

# Below this many values of a metric the corpus cannot say what is usual.
MINIMUM_SAMPLE = 8
# How far (as a factor) from the median a value must be; an acre for a mu is about 6.
MINIMUM_FACTOR = 5.0
# And how many robust standard deviations (median absolute deviation of log10 values, scaled).
MINIMUM_ROBUST_Z = 3.5


@rule(
    "OUTLIER001", "corpus-outlier", Severity.WARNING, scope="corpus",
    summary="A per-capita, per-household or per-area value far from the same metric elsewhere in the corpus.",
    what=(
        f"For metrics whose unit is per person, per household, per mu (and the like), once the corpus holds at "
        f"least {MINIMUM_SAMPLE} values of the metric, warns at a value more than {MINIMUM_FACTOR:g} times away from "
        f"the median and more than {MINIMUM_ROBUST_Z} robust standard deviations (of log10 values) from it."
    ),
    why="A mu/acre or yuan/wan-yuan slip in a figure that nothing else relates to shows only against what other counties report.",
    example="(nine records with subsidy_per_household near 10,000 yuan/household and one with 10 yuan/household)",
    use_instead="(the tenth record with 10,000 yuan/household, or a curated reading of its slip)",
    examples_run=False,
)
def corpus_outlier(facts: list[tuple[str, CorpusFacts]], focus: frozenset[str] | None = None) -> Iterator[tuple[str, Finding]]:
    by_metric: dict[tuple, list[tuple[str, ObservationFact, float]]] = defaultdict(list)
    # A finding is about one value, in its own record: with a focus, only the metrics the focus
    # records state per unit are compared (and a focus without any reads no other record).
    wanted = None if focus is None else {
        (o.metric, o.dimensionality) for _, record in in_focus(facts, focus) for o in record.observations if is_per_unit(o.dimensionality)}
    if wanted is not None and not wanted:
        return
    for display, record in facts:
        for observation in record.observations:
            if not is_per_unit(observation.dimensionality) or math.isinf(observation.high):
                continue
            if wanted is not None and (observation.metric, observation.dimensionality) not in wanted:
                continue
            middle = (observation.low + observation.high) / 2
            if math.isfinite(middle) and middle > 0:  # a log needs a finite positive value
                by_metric[(observation.metric, observation.dimensionality)].append((display, observation, math.log10(middle)))
    for (metric, _), values in by_metric.items():
        if len(values) < MINIMUM_SAMPLE:
            continue
        import statistics  # here: a corpus without enough values of a metric never needs it

        logs = [log for _, _, log in values]
        median = statistics.median(logs)
        spread = 1.4826 * statistics.median(abs(log - median) for log in logs) or 1e-9
        for display, observation, log in values:
            factor = 10 ** abs(log - median)
            if factor > MINIMUM_FACTOR and abs(log - median) / spread > MINIMUM_ROBUST_Z:
                yield display, Finding(f"{clip(observation.value_text)} is {factor:.1f} times {'above' if log > median else 'below'} the corpus median of "
                    f"{metric} ({len(values)} values); check for a mu/acre or scale-word slip",
                    pointer=observation.pointer,
                )


RULES = [corpus_outlier]
