"""Charts of a record, drawn to SVG at build time with Vega-Lite (vl-convert): nothing runs when a page is viewed.

A chart is drawn only where it shows something: at least two dates for a figure over time, at least two
funds. Every chart also gives its data as a table, and what it shows in a sentence. The SVG holds only
numbers, dates, ids and fixed words, never free text from a record (labels are in the table).
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import EXTRAS_INSTALL
from .model import ChartView, FigureView, RecordPage, TableCell

REGISTER_METRICS = {"registered_poor_households": "poor households", "registered_poor_people": "poor people"}
INCIDENCE_METRICS = {"poverty_incidence": "poverty incidence"}
CHART_WIDTH = 420
NOT_STATED = "not stated"
UNSTATED_GREY = "#767676"  # a fund whose level the source does not give: grey, not a level's colour
# Colours distinguishable with the common colour-vision deficiencies (Okabe and Ito), dark enough on white.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8a6d00", "#56B4E9", "#000000", "#999999"]
CONFIG = {
    "background": "white", "font": "sans-serif",
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#222", "titleColor": "#222"},
    "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom", "labelColor": "#222", "titleColor": "#222"},
    "header": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#222"},
    "range": {"category": PALETTE},
    "view": {"stroke": None},
}


class ChartsUnavailable(RuntimeError):
    """The chart library is not installed; the message says how to install it."""


def render_svg(spec: dict) -> str:
    try:
        import vl_convert
    except ImportError as err:
        raise ChartsUnavailable(f"charts need vl-convert-python: {EXTRAS_INSTALL}") from err
    # No data is fetched: every chart's data is inline, and no base URL is allowed.
    return vl_convert.vegalite_to_svg({**spec, "config": CONFIG}, allowed_base_urls=[])


@dataclass(frozen=True, slots=True)
class _Point:
    series: str
    when: str  # the date as the record gives it: 2014, 2019-05, 2019-05-09
    figure: FigureView

    @property
    def iso(self) -> str:
        parts = self.when.split("-")
        return "-".join(parts + ["01"] * (3 - len(parts)))


def _dated_points(page: RecordPage, metrics: dict[str, str]) -> list[_Point]:
    """Dated figures of these metrics, the same statement made twice drawn once."""
    points: dict[tuple, _Point] = {}
    for section in page.sections:
        if section.key != "observations":
            continue
        for item in section.items:
            for figure in item.figures:
                when = figure.date or (figure.period[1] if figure.period else None)
                if figure.metric in metrics and when and figure.value is not None and not figure.planned:
                    key = (figure.metric, when, figure.value)
                    points.setdefault(key, _Point(metrics[figure.metric], when, figure))
    return sorted(points.values(), key=lambda p: (p.series, p.iso))


def _reading(figure: FigureView) -> str:
    return figure.curated_value or figure.stated


def over_time(page: RecordPage, key: str, title: str, metrics: dict[str, str], unit_title: str) -> ChartView | None:
    points = _dated_points(page, metrics)
    if len({p.iso for p in points}) < 2:
        return None
    values = [{"series": p.series, "date": p.iso, "value": p.figure.value} for p in points]
    spec = {
        "width": CHART_WIDTH, "height": 220, "data": {"values": values},
        "mark": {"type": "line", "point": {"filled": True, "size": 60}, "strokeWidth": 2},
        "encoding": {
            "x": {"field": "date", "type": "temporal", "scale": {"type": "utc"}, "title": "date",
                  "axis": {"format": "%Y", "tickCount": {"interval": "year", "step": 1}}},
            "y": {"field": "value", "type": "quantitative", "title": unit_title},
            "color": {"field": "series", "type": "nominal", "title": None},
        },
    }
    series = sorted({p.series for p in points})
    span = f"{min(p.when for p in points)} to {max(p.when for p in points)}"
    return ChartView(
        key=key, title=title,
        description=f"Line chart of {' and '.join(series)} from {span}, {len(points)} points; the table below lists them.",
        caption=f"{title}, {span}: dated figures only, each drawn once; curated readings where there are.",
        svg=render_svg(spec), columns=["series", "date", "value (as stated)", "value drawn"],
        rows=[[TableCell(p.series), TableCell(p.when), TableCell(p.figure.stated, p.figure.anchor),
               TableCell(_reading(p.figure))] for p in points],
    )


def funds_by_stage_and_level(page: RecordPage) -> ChartView | None:
    funds = [
        (item, figure) for section in page.sections if section.key == "funds" for item in section.items
        for figure in item.figures[:1] if figure.value is not None and figure.unit == "yuan"
    ]
    if len(funds) < 2:
        return None
    values = [{"fund": item.id, "stage": item.stage, "level": item.level or NOT_STATED,
               "amount": figure.value / 1e6} for item, figure in funds]
    stages = list(dict.fromkeys(v["stage"] for v in values))
    stated_levels = sorted({v["level"] for v in values} - {NOT_STATED})
    unstated = [NOT_STATED] if any(v["level"] == NOT_STATED for v in values) else []
    levels = stated_levels + unstated
    colours = PALETTE[:len(stated_levels)] + [UNSTATED_GREY] * len(unstated)
    spec = {
        "data": {"values": values},
        "spacing": 12,
        "facet": {"row": {"field": "stage", "type": "nominal", "sort": stages, "title": None,
                          "header": {"labelAngle": 0, "labelOrient": "top", "labelAnchor": "start", "labelFontWeight": "bold"}}},
        "spec": {
            "width": CHART_WIDTH - 170, "height": {"step": 18},
            "mark": {"type": "bar"},
            "encoding": {
                "y": {"field": "fund", "type": "nominal", "sort": "-x", "title": None, "axis": {"labelLimit": 140}},
                "x": {"field": "amount", "type": "quantitative", "title": "million yuan"},
                "color": {"field": "level", "type": "nominal", "title": "level",
                          "scale": {"domain": levels, "range": colours}},
            },
        },
        "resolve": {"scale": {"y": "independent"}},
    }
    return ChartView(
        key="funds", title="Funds by stage and level",
        description=(f"Bar chart of {len(funds)} funds in million yuan, grouped by stage ({', '.join(stages)}), "
                     "coloured by level; the table below lists them."),
        caption=("Funds by stage and level, one bar per fund (curated readings where there are). Bars are not "
                 "added up: a fund may be a part of another, or the same money at another stage."),
        svg=render_svg(spec), columns=["fund", "what", "stage", "level", "amount (as stated)", "amount drawn"],
        rows=[[TableCell(item.id or "", figure.anchor), TableCell(item.title), TableCell(item.stage or ""),
               TableCell(item.level or NOT_STATED), TableCell(figure.stated), TableCell(_reading(figure))]
              for item, figure in funds],
    )


def charts_for(page: RecordPage) -> list[ChartView]:
    candidates = [
        over_time(page, "register", "Registered poor households and people over time", REGISTER_METRICS, "households or people"),
        funds_by_stage_and_level(page),
        over_time(page, "incidence", "Poverty incidence over time", INCIDENCE_METRICS, "percent"),
    ]
    return [chart for chart in candidates if chart is not None]
