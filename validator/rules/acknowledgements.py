"""ACK: acknowledgements that no longer match a finding. Raised by the engine after all rules ran."""

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
]
