"""Charts of a record, drawn when the site is built by the site's own templates: nothing runs when a page is viewed.

The register chart is inline SVG (`templates/charts.html`) from the geometry computed here, one panel a series
(households and people differ a hundredfold, so one axis would flatten one of them); it is drawn only where a
series has figures at two dates or more. Funds are bars in an HTML table, so their labels wrap on a phone.
Every chart also gives its data as a table and what it shows in a sentence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .model import ChartView, FigureView, RecordPage, TableCell

REGISTER_METRICS = {"registered_poor_households": "registered poor households", "registered_poor_people": "registered poor people"}
INCIDENCE_METRICS = {"poverty_incidence": "poverty incidence"}
# The panel's drawing area inside its SVG, in SVG units: the SVG scales to the width it is given.
# Narrow, so that its text stays readable when a phone scales it down (12 units are 10 pixels at 390 pixels).
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 440, 170, 56, 16, 28, 30


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float
    label: str  # the value as stated
    when: str
    anchor: str


@dataclass(slots=True)
class Panel:
    """One series: its line, its points and its axes, in SVG units."""

    title: str
    points: list[Point]
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    path: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM


@dataclass(slots=True)
class FundBar:
    label: str
    when: str
    stage: str
    level: str
    stated: str
    reading: str
    share: float  # of the largest fund drawn, 0 to 100
    anchor: str


@dataclass(slots=True)
class FundStage:
    stage: str
    bars: list[FundBar] = field(default_factory=list)


def when_of(figure: FigureView) -> str | None:
    return figure.date or (figure.period[1] if figure.period else None)


def _year_fraction(when: str) -> float:
    parts = [int(p) for p in when.split("-")]
    year, month, day = (parts + [7, 1])[:3] if len(parts) == 1 else (parts + [15])[:3]
    return year + (month - 1) / 12 + (day - 1) / 365


def nice_ceiling(value: float) -> float:
    if value <= 0:
        return 1.0
    scale = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * scale:
            return step * scale
    return 10 * scale


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 or value == int(value) else f"{value:g}"


def dated_figures(page: RecordPage, metrics: dict[str, str]) -> dict[str, list[FigureView]]:
    """Dated, achieved figures of these metrics by series, each statement of one value at one date once."""
    series: dict[str, dict[tuple, FigureView]] = {}
    for section in page.sections:
        if section.key != "observations":
            continue
        for item in section.items:
            for figure in item.figures:
                when = when_of(figure)
                if figure.metric in metrics and when and figure.value is not None and not figure.planned:
                    series.setdefault(metrics[figure.metric], {}).setdefault((when, figure.value), figure)
    return {name: sorted(found.values(), key=lambda f: _year_fraction(when_of(f))) for name, found in sorted(series.items())}


def _panel(title: str, figures: list[FigureView], first: float, last: float) -> Panel:
    top = nice_ceiling(max(f.value for f in figures))
    span = max(last - first, 1.0)
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(at: float) -> float:
        return round(LEFT + (at - first) / span * inner_w, 1)

    def y(value: float) -> float:
        return round(HEIGHT - BOTTOM - value / top * inner_h, 1)

    points = [Point(x(_year_fraction(when_of(f))), y(f.value), f.curated_value or f.stated, when_of(f), f.anchor) for f in figures]
    years = range(math.floor(first), math.floor(last) + 1)
    step = 1 if len(years) <= 8 else 2
    x_ticks = [(x(year + 0.5), str(year)) for year in years if (year - years[0]) % step == 0 and first <= year + 0.5 <= last]
    y_ticks = [(y(top * k / 4), _number(top * k / 4)) for k in range(5)]
    path = "M" + " L".join(f"{p.x},{p.y}" for p in points)
    return Panel(title, points, x_ticks, y_ticks, path)


def over_time(page: RecordPage, key: str, title: str, metrics: dict[str, str]) -> ChartView | None:
    series = {name: figures for name, figures in dated_figures(page, metrics).items()}
    if not any(len({when_of(f) for f in figures}) >= 2 for figures in series.values()):
        return None
    every = [f for figures in series.values() for f in figures]
    years = [_year_fraction(when_of(f)) for f in every]
    first, last = math.floor(min(years)), math.floor(max(years)) + 1
    panels = [_panel(name, figures, first, last) for name, figures in series.items()]
    whens = sorted({when_of(f) for f in every})
    span = f"{whens[0]} to {whens[-1]}"
    described = "; ".join(f"{name}: " + ", ".join(f"{f.curated_value or f.stated} in {when_of(f)}" for f in figures)
                          for name, figures in series.items())
    return ChartView(
        key=key, title=title, description=f"Line chart, {span}. {described}.",
        caption=f"{title}, {span}: dated figures only, each value at a date drawn once; curated readings where there are.",
        columns=["series", "date", "value (as stated)", "value drawn"],
        rows=[[TableCell(name), TableCell(when_of(f)), TableCell(f.stated, f.anchor), TableCell(f.curated_value or f.stated)]
              for name, figures in series.items() for f in figures],
        panels=panels,
    )


def funds_by_year_and_stage(page: RecordPage) -> ChartView | None:
    funds = [
        (item, figure) for section in page.sections if section.key == "funds" for item in section.items
        for figure in item.figures[:1] if figure.value is not None and figure.unit == "yuan"
    ]
    if len(funds) < 2:
        return None
    largest = max(figure.value for _, figure in funds) or 1.0
    stages: dict[str, FundStage] = {}
    for item, figure in sorted(funds, key=lambda pair: (when_of(pair[1]) or "9999", -pair[1].value)):
        when = when_of(figure) or (figure.period[0] + " on" if figure.period else "no date")
        stage = stages.setdefault(item.stage or "", FundStage(item.stage or "stage not stated"))
        stage.bars.append(FundBar(item.title, when, item.stage or "", item.level or "not stated", figure.stated,
                                  figure.curated_value or figure.stated, round(100 * figure.value / largest, 1), figure.anchor))
    return ChartView(
        key="funds", title="Funds by year and stage",
        description=f"{len(funds)} funds in bars by stage, each as long as its amount against the largest.",
        caption=("One bar per fund, by stage and then by year (curated readings where there are). Bars are not added "
                 "up: a fund may be a part of another, or the same money at another stage."),
        columns=[], rows=[], stages=list(stages.values()),
    )


def charts_for(page: RecordPage) -> list[ChartView]:
    candidates = [
        over_time(page, "register", "Registered poor households and people over time", REGISTER_METRICS),
        funds_by_year_and_stage(page),
        over_time(page, "incidence", "Poverty incidence over time", INCIDENCE_METRICS),
    ]
    return [chart for chart in candidates if chart is not None]
