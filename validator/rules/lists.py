"""LIST: a stated count of things the source lists by name matches the list."""

from __future__ import annotations

from typing import Iterator

from ..support.findings import Finding, Severity
from ..record.quantities import Interval
from ..record.typed import RecordContext
from .arithmetic import resolve
from .base import rule


@rule(
    "LIST001", "list-count-mismatch", Severity.ERROR,
    summary="A counted list whose number of items the stated count does not allow.",
    what=(
        "For each entry of `lists`, compares the number of `items` with the interval of the quantity named by "
        "`count`. A list marked `partial: true` (schema 1.2: the source names only some, with 等, 'and others', "
        "'such as') is reported only where it lists more items than the count allows."
    ),
    why="'All 45 relocation sites' with 44 names listed means a site was dropped (or the count is wrong); either way a figure is not what the source says.",
    example=(
        "observations:\n  - {id: villages, metric: poor_villages, value: 3 villages, quote: \"all 54 poor villages\", derived: mistyped}\n"
        "lists:\n  - id: named-villages\n    count: villages\n    items: [Pingle, Shitou]\n    quote: \"all 54 poor villages have withdrawn\"\n"
    ),
    use_instead=(
        "observations:\n  - {id: villages, metric: poor_villages, value: 2 villages, quote: \"all 54 poor villages\", derived: mistyped}\n"
        "lists:\n  - id: named-villages\n    count: villages\n    items: [Pingle, Shitou]\n    quote: \"all 54 poor villages have withdrawn\"\n"
    ),
)
def list_count_mismatch(context: RecordContext) -> Iterator[Finding]:
    for counted in context.record.lists:
        count = resolve(context, counted.count)
        if count is None:
            continue  # REF002 or UNIT001
        listed = float(len(counted.items))
        if counted.partial:
            if count.interval.high < listed:
                yield Finding(f"{len(counted.items)} items are listed, more than the {count.text} `{counted.count}` "
                              "states; check the count and the items against the quote",
                              pointer=counted.place.field("items").pointer)
        elif not count.interval.overlaps(Interval(listed, listed)):
            yield Finding(f"{len(counted.items)} items are listed, but `{counted.count}` states {count.text}; list every "
                          "item the source names, or say `partial: true` where the source names only some (等, "
                          "'and others', 'such as')",
                pointer=counted.place.field("items").pointer,
            )


RULES = [list_count_mismatch]
