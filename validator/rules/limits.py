"""How much a rule that compares a record's figures with each other may say about one record.

A record under the size limit can hold thousands of figures that all fail one comparison; listing
each would bury every other finding (a hostile record made CROSS008 print 491,000 lines). A rule
lists its first findings and then one summary finding that says how many more there are.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from ..support.findings import Finding

# Far more than any curated record makes of one rule (a handful), few enough to read.
FINDINGS_PER_RULE = 50


def capped(findings: Iterable[Finding], limit: int = FINDINGS_PER_RULE) -> Iterator[Finding]:
    """The first `limit` findings, then (if there are more) one finding at the next one's place counting the rest."""
    unlisted, first_unlisted = 0, None
    for finding in findings:
        if limit > 0:
            limit -= 1
            yield finding
            continue
        unlisted += 1
        first_unlisted = first_unlisted or finding
    if first_unlisted is not None:
        yield Finding(
            f"and {unlisted:,} more findings of this rule in this record, not listed (the first is here); fix the "
            "ones listed and run again, or check whether the figures are one figure repeated",
            pointer=first_unlisted.pointer,
            data={"unlisted": unlisted},
        )
