"""ACK: acknowledgements that no longer match a finding, would match too much, or still lack a reason. Raised by the engine."""

from ..support.findings import Severity
from .base import catalogued

RULES = [
    catalogued(
        "ACK001", "stale-acknowledgement", Severity.ERROR, scope="engine",
        summary="An acknowledgement that matches no finding.",
        what=(
            "An entry of `acknowledged` names a rule code and a place: `at`, an id path as the validator's "
            "output shows it (`relations[micro-wish-subset]`), or in older records `pointer`, a JSON pointer. "
            "When no finding of that code is reported at that place (or inside it), the acknowledgement is "
            "stale and reported at the entry itself, with the place it names as a related location. An id path "
            "names items by id, so inserting or reordering other items never makes it stale; a pointer names "
            "whatever stands at its position."
        ),
        why="Fixed data must not keep its excuse: a stale acknowledgement would silently cover the next, different problem at the same place.",
        example=(
            "acknowledged:\n  - rule: SUM001\n    at: funds[invest].amount\n"
            "    reason: The source's parts do not add up to its total; kept as stated.\n"
        ),
        use_instead="acknowledged: []\n",
    ),
    catalogued(
        "ACK003", "placeholder-reason", Severity.ERROR, scope="engine",
        summary="An acknowledgement whose reason is still the placeholder the validator printed.",
        what=(
            "`county-records validate --show-acknowledgement` prints, under each finding, the entry of "
            "`acknowledged` that would acknowledge it, with a placeholder reason. This rule reports an "
            "acknowledgement whose reason is still that placeholder."
        ),
        why="An acknowledgement is a reviewer's record of why a record departs from consistency; pasted without a reason it explains nothing.",
        example=(
            "acknowledged:\n  - rule: SUM003\n    at: relations[micro-wish-subset]\n"
            '    reason: "REPLACE: say why the record keeps this as stated (the source\'s own inconsistency, quoted)."\n'
        ),
        use_instead=(
            "acknowledged:\n  - rule: SUM003\n    at: relations[micro-wish-subset]\n"
            "    reason: The source itself says 15,200 households, more than the 8,164 registered.\n"
        ),
        examples_run=False,
    ),
    catalogued(
        "ACK002", "acknowledgement-too-broad", Severity.ERROR, scope="engine",
        summary="An acknowledgement whose place is not one finding's: the whole record, a section or another list, or two places.",
        what=(
            "Reports an entry of `acknowledged` whose place is empty or `/`, names a list (a section such as "
            "`observations`, or a list field such as `funds[f].parts`), or that gives both `at` and `pointer` (or "
            "neither), at the entry itself. Such an entry acknowledges nothing: the findings it meant to cover stay "
            "unacknowledged. Name the place of the one finding that is kept on purpose (its id path, as the text "
            "report shows it after `at`)."
        ),
        why=(
            "An acknowledgement covers the findings of its rule at its place and inside it; at the root or at a list "
            "it would cover every finding of that rule there, so an invented quote or a mistyped figure added later "
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
