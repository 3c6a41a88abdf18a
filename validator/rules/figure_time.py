"""When a figure holds: the one reading of a figure's time that DATE008 checks and the export writes.

A figure's time is its own date or period; else, for a programme's output or a fund's standard, its
item's; for a target's values, the target's deadline, baseline date or achieved date. Where the source
speaks of the present and gives no date, the curator says `date_basis: as_of_publication` (schema 1.2)
and the figure holds as of its source's publication date, the latest it can be.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from ..record.places import Place
from ..record.typed import QuantityEntry, RecordContext
from .dates import date_range

PRECISIONS = ("year", "month", "day")
TARGET_DATES = {"target": "deadline", "baseline": "baseline_date", "achieved": "achieved_date"}


class FigureTime(NamedTuple):
    """A figure's time as the record gives it, and the days it covers."""

    basis: str | None  # stated, as_of_publication, or None where the figure has no time
    date: str | None  # as written: the figure's (or its item's) date, or its source's publication date
    period_start: str | None
    period_end: str | None
    first_day: date | None  # of the interval the written date or period covers
    last_day: date | None  # None for an ongoing period, or a date that does not exist (DATE001)
    precision: str | None  # year, month or day: of the date, or the coarser end of the period
    place: Place | None  # where the time is given: the date or period field, or the date_basis field

    @property
    def known(self) -> bool:
        """True where the figure is placed in time: by a date or period, or as of its source's publication (even
        where the source gives no publication date: the figure is then as recent as the source, whenever that is)."""
        return self.basis is not None


NO_TIME = FigureTime(None, None, None, None, None, None, None, None)


def precision_of(value: int | str) -> str:
    return PRECISIONS[str(value).count("-")]


def _stated(date_value, period, place: Place) -> FigureTime:
    if period is not None:
        start, end = date_range(period.start), date_range(period.end) if period.end is not None else None
        ends = [period.start] + ([period.end] if period.end is not None else [])
        precision = min((precision_of(v) for v in ends), key=PRECISIONS.index)
        return FigureTime("stated", None, str(period.start), None if period.end is None else str(period.end),
                          start[0] if start else None, end[1] if end else None, precision, place.field("period"))
    covered = date_range(date_value)
    return FigureTime("stated", str(date_value), None, None, covered[0] if covered else None,
                      covered[1] if covered else None, precision_of(date_value), place.field("date"))


def _as_of_publication(context: RecordContext, entry: QuantityEntry, place: Place) -> FigureTime:
    source = context.source_for(entry.quantity.source)
    published = getattr(source, "published", None)
    if published is None:
        return FigureTime("as_of_publication", None, None, None, None, None, None, place.field("date_basis"))
    covered = date_range(published)
    return FigureTime("as_of_publication", str(published), None, None, covered[0] if covered else None,
                      covered[1] if covered else None, precision_of(published), place.field("date_basis"))


def figure_time(context: RecordContext, entry: QuantityEntry) -> FigureTime:
    """The time of one quantity of the record, or NO_TIME where neither it nor what holds it has one."""
    holding = entry.holding
    if holding.section == "targets":
        name = TARGET_DATES[holding.figure_kind]
        value = getattr(holding.item, name, None)
        if value is None:
            return NO_TIME
        covered = date_range(value)
        return FigureTime("stated", str(value), None, None, covered[0] if covered else None, covered[1] if covered else None,
                          precision_of(value), holding.item.place.field(name))
    # The figure's own time first (observations, and since schema 1.1 outputs and shares), then its item's.
    for dated in dict.fromkeys((holding.holder, holding.item)):
        date_value, period = getattr(dated, "date", None), getattr(dated, "period", None)
        if date_value is not None or period is not None:
            return _stated(date_value, period, dated.place)
        if getattr(dated, "date_basis", None) == "as_of_publication":
            return _as_of_publication(context, entry, dated.place)
    return NO_TIME
