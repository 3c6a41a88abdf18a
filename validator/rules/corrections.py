"""CORRECTION: every place a record departs from its source by a curated reading, reported as information.

A curated reading (acres read as mu, a lost 万) is the curator's claim about what the source meant;
the rules check it instead of the stated value. Reporting it keeps that departure visible: a
reviewer reads every correction next to the findings, and an analyst sees which figures are not the
source's own numbers. These findings never fail a run.
"""

from __future__ import annotations

from typing import Iterator

from ..support.findings import Finding, Related, Severity
from ..support.text import PASSAGE, clip
from ..record.typed import RecordContext
from .base import rule


@rule(
    "CORRECTION001", "curated-reading", Severity.INFO,
    summary="A figure that the record reads differently from its source (a curated reading), with the curator's note.",
    what=(
        "Reports every quantity with a `curated` reading: the value as the source states it, the value the record "
        "reads instead (which the rules check), and the note that says why. Informational: it never fails a run, "
        "and it needs no acknowledgement."
    ),
    why=(
        "A correction is a claim about the source that a reviewer must be able to see and judge; without a report "
        "of every one, a record could depart from its source silently."
    ),
    example=(
        "observations:\n  - id: peach-area\n    metric: area_planted\n    value: 8 acres\n    quote: \"8 acres of yellow peaches\"\n"
        "    curated:\n      value: 8 mu\n      note: The Chinese original measures land in mu; the translation renders it acres.\n"
    ),
    use_instead=(
        "observations:\n  - id: peach-area\n    metric: area_planted\n    value: 8 acres\n    quote: \"8 acres of yellow peaches\"\n"
        "    curated:\n      value: 8 mu\n      note: The Chinese original measures land in mu; the translation renders it acres.\n"
        "# (the same: a correction is reported as information, not fixed)\n"
    ),
    examples_run=False,
)
def curated_reading(context: RecordContext) -> Iterator[Finding]:
    for entry in context.quantities:
        curated = entry.quantity.curated
        if curated is None:
            continue
        stated = entry.quantity.value
        yield Finding(
            f"stated `{clip(stated)}`, read as `{clip(curated.value)}`: {clip(curated.note, PASSAGE)}",
            pointer=entry.reading_pointer,
            related=(Related("stated value", entry.place.field("value").pointer),),
            ids=tuple(i for i in (entry.name_id,) if i),
            data={"stated": stated, "curated": curated.value, "note": curated.note},
        )


RULES = [curated_reading]
