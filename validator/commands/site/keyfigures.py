"""The figures a reader comes to a county's page for: registered poor households and people, poverty incidence,
each the latest dated one (with how many dated figures there are, and how many give no date), from the page's
observations. A metric with no dated figure shows its first undated one, said to have no date."""

from __future__ import annotations

from .charts import dated_figures, when_of
from .model import KeyFigure, RecordPage

KEY_METRICS = {
    "registered_poor_households": "Registered poor households",
    "registered_poor_people": "Registered poor people",
    "poverty_incidence": "Poverty incidence",
}
NO_DATE = "date not stated"


def key_figures(page: RecordPage) -> list[KeyFigure]:
    """One per key metric the record has an achieved figure of, in KEY_METRICS' order."""
    dated = dated_figures(page, KEY_METRICS)
    undated = {title: [] for title in KEY_METRICS.values()}
    for section in (s for s in page.sections if s.key == "observations"):
        for figure in (f for item in section.items for f in item.figures):
            if figure.metric in KEY_METRICS and not figure.planned and not when_of(figure):
                undated[KEY_METRICS[figure.metric]].append(figure)
    result = []
    for title in KEY_METRICS.values():
        figures, without = dated.get(title, []), undated[title]
        if figures:
            latest = figures[-1]
            result.append(KeyFigure(title, latest, when_of(latest), len(figures), len(without)))
        elif without:
            result.append(KeyFigure(title, without[0], NO_DATE, 0, len(without)))
    return result
