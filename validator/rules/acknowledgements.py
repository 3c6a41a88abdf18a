"""ACK: acknowledgements that no longer match a finding, or would match too much. Raised by the engine after all rules ran."""

from ..findings import Severity
from .base import catalogued

RULES = [
    catalogued(
        "ACK001", "stale-acknowledgement", Severity.ERROR, scope="engine",
        summary="An acknowledgement that matches no finding.",
        what=(
            "An entry of `acknowledged` names a rule code and a pointer; when no finding of that code "
            "is reported at that pointer (or inside it), the acknowledgement is stale and reported at "
            "the entry itself."
        ),
        why="Fixed data must not keep its excuse: a stale acknowledgement would silently cover the next, different problem at the same place.",
        example=(
            "acknowledged:\n  - rule: SUM001\n    pointer: /funds/0/amount\n"
            "    reason: The source's parts do not add up to its total; kept as stated.\n"
        ),
        use_instead="acknowledged: []\n",
    ),
    catalogued(
        "ACK002", "acknowledgement-too-broad", Severity.ERROR, scope="engine",
        summary="An acknowledgement whose pointer names the whole record.",
        what=(
            "Reports an entry of `acknowledged` whose pointer is empty or `/`, at the entry itself. Such an entry "
            "acknowledges nothing: the findings it meant to cover stay unacknowledged. Give the pointer of the "
            "finding that is kept on purpose (its `pointer` in the JSON report)."
        ),
        why=(
            "An acknowledgement covers the findings of its rule at its pointer and inside it; at the root it would "
            "cover every finding of that rule in the record, so an invented quote or a mistyped figure added later "
            "would pass unseen."
        ),
        example=(
            "observations:\n  - id: poor-villages\n    metric: poor_villages\n    value: 45 villages\n"
            "    quote: \"all 54 poor villages have withdrawn\"\n"
            "acknowledged:\n  - rule: QUOTE002\n    pointer: \"\"\n"
            "    reason: The figure differs from its quote in the source itself.\n"
        ),
        use_instead=(
            "observations:\n  - id: poor-villages\n    metric: poor_villages\n    value: 45 villages\n"
            "    quote: \"all 54 poor villages have withdrawn\"\n"
            "acknowledged:\n  - rule: QUOTE002\n    pointer: /observations/0/value\n"
            "    reason: The figure differs from its quote in the source itself.\n"
        ),
    ),
]
