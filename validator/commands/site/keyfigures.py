"""The figures a reader comes to a county's page for: registered poor households and people, poverty incidence,
each the latest dated one (with how many dated figures there are), from the page's observations."""

from __future__ import annotations

from .charts import dated_figures
from .model import KeyFigure, RecordPage

KEY_METRICS = {
    "registered_poor_households": "Registered poor households",
    "registered_poor_people": "Registered poor people",
    "poverty_incidence": "Poverty incidence",
}


def key_figures(page: RecordPage) -> list[KeyFigure]:
    """One per key metric the record has a dated figure of, in KEY_METRICS' order."""
    found = dated_figures(page, KEY_METRICS)
    result = []
    for title in KEY_METRICS.values():
        figures = found.get(title)
        if figures:
            latest = figures[-1]
            result.append(KeyFigure(title, latest, latest.date or (latest.period[1] if latest.period else ""), len(figures)))
    return result
