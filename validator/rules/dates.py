"""DATE: dates exist, periods run forwards, nothing actual lies after its source or in the future.

Dates keep their precision: 2019 covers 2019-01-01..2019-12-31, so 2019 and 2019-05-09 never
contradict each other. A comparison fails only when the two intervals cannot be ordered as required.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Iterator

from ..support.findings import Finding, Related, Severity
from ..record.places import Place
from ..record.typed import RecordContext
from .base import rule

DateRange = tuple[date, date]


def date_range(value: int | str | None) -> DateRange | None:
    """The days a partial date covers; None where it is absent or does not exist (DATE001)."""
    if value is None:
        return None
    parts = [int(p) for p in str(value).split("-")]
    try:
        if len(parts) == 1:
            return date(parts[0], 1, 1), date(parts[0], 12, 31)
        if len(parts) == 2:
            first = date(parts[0], parts[1], 1)
            following = date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
            return first, following - timedelta(days=1)
        day = date(*parts)
        return day, day
    except ValueError:
        return None


def dated_items(context: RecordContext) -> Iterator[tuple[str, object, str]]:
    """(pointer, item, kind) for everything that may have a date or period. The kind is `figure` for
    what has a `planned` flag (observations, and since schema 1.1 programmes' outputs and outcomes and
    shares), else `programme` or `fund`."""
    record = context.record
    for group, kind in (("observations", "figure"), ("programmes", "programme"), ("funds", "fund"), ("shares", "figure")):
        for item in getattr(record, group):
            yield item.place.pointer, item, kind
            if group == "programmes":
                for part in ("outputs", "outcomes"):
                    for output in getattr(item, part):
                        yield output.place.pointer, output, "figure"


def programme_dates(context: RecordContext) -> Iterator[tuple[object, Place, int | str, str]]:
    """(output, place, date, what it is) of the programme, for each output or outcome that is not planned and
    has no date or period of its own: it holds at its programme's date or over its programme's period."""
    for programme in context.record.programmes:
        dates = [("date", programme.place.field("date"), programme.date)] if programme.date is not None else []
        if programme.period is not None:
            period = programme.place.field("period")
            dates.append(("period start", period.field("start"), programme.period.start))
            if programme.period.end is not None:
                dates.append(("period end", period.field("end"), programme.period.end))
        for part in ("outputs", "outcomes"):
            for output in getattr(programme, part):
                if not output.planned and output.date is None and output.period is None:
                    for what, place, value in dates:
                        yield output, place, value, what


def iter_dates(context: RecordContext) -> Iterator[tuple[str, int | str, str]]:
    """(pointer, date, role) for every date; role is actual, planned, publication or deadline."""
    record = context.record
    for source in record.sources:
        if source.published is not None:
            yield source.place.field("published").pointer, source.published, "publication"
    if record.division.poverty_exit is not None:
        yield record.division.poverty_exit.place.field("date").pointer, record.division.poverty_exit.date, "actual"
    for pointer, item, kind in dated_items(context):
        # A programme's period may run past its source: it is what was set out to do.
        planned = kind == "programme" or (kind == "figure" and item.planned) or (kind == "fund" and item.stage == "planned")
        role = "planned" if planned else "actual"
        if item.date is not None:
            yield f"{pointer}/date", item.date, role
        if item.period is not None:
            yield f"{pointer}/period/start", item.period.start, role
            if item.period.end is not None:  # an ongoing period has none (schema 1.1)
                yield f"{pointer}/period/end", item.period.end, role
    for target in record.targets:
        yield target.place.field("deadline").pointer, target.deadline, "deadline"
        for name in ("set_on", "baseline_date", "achieved_date"):
            if getattr(target, name) is not None:
                yield target.place.field(name).pointer, getattr(target, name), "actual"
    for official in record.officials:
        if official.as_of is not None:
            yield official.place.field("as_of").pointer, official.as_of, "actual"


@rule(
    "DATE001", "date-does-not-exist", Severity.ERROR,
    summary="A date that is not in the calendar (2019-02-30, 2020-13).",
    what="Reports every date whose month or day does not exist.",
    why="An impossible date is a typo; silently rolling it over (to March 2nd) would invent a fact.",
    example="observations:\n  - {id: v, metric: poor_villages, value: 54 villages, date: \"2019-02-30\", quote: \"all 54 poor villages\"}\n",
    use_instead="observations:\n  - {id: v, metric: poor_villages, value: 54 villages, date: \"2019-02\", quote: \"all 54 poor villages\"}\n",
)
def date_does_not_exist(context: RecordContext) -> Iterator[Finding]:
    for pointer, value, _role in iter_dates(context):
        if date_range(value) is None:
            yield Finding(f"{value} is not a date in the calendar; write the date the source gives, at its precision", pointer=pointer)


def _publication(context: RecordContext, source_id: str | None) -> DateRange | None:
    source = context.source_for(source_id)
    return date_range(source.published) if source is not None else None


@rule(
    "DATE002", "after-publication", Severity.ERROR,
    summary="An actual figure or event dated after its source was published.",
    what=(
        "Reports an observation (not `planned`), a fund that is not planned, an achievement or an exit whose "
        "date (or period start) begins after the last day its source's publication date covers; likewise a "
        "programme's output or outcome, or a share, that is not `planned` (schema 1.1) and has a date of its own, or "
        "(an output or outcome) holds at its programme's date or period, which begins after its source's publication."
    ),
    why="A source cannot report what had not happened yet: such a date is a typo, or the figure is a plan that must say so.",
    example="observations:\n  - {id: v, metric: poor_villages, value: 54 villages, date: 2021, quote: \"all 54 poor villages\"}\n",
    use_instead="observations:\n  - {id: v, metric: poor_villages, value: 54 villages, date: 2019, quote: \"all 54 poor villages\"}\n",
)
def after_publication(context: RecordContext) -> Iterator[Finding]:
    record = context.record
    checked: list[tuple[str, int | str, str | None]] = []
    for item_pointer, figure, kind in dated_items(context):
        if kind == "figure" and not figure.planned:
            start = figure.period.start if figure.period else figure.date
            pointer = f"{item_pointer}/period/start" if figure.period else f"{item_pointer}/date"
            if start is not None:
                checked.append((pointer, start, figure.source))
    for target in record.targets:
        if target.achieved_date is not None:
            source = target.achieved.source if target.achieved is not None else target.target.source
            checked.append((target.place.field("achieved_date").pointer, target.achieved_date, source))
    if record.division.poverty_exit is not None:
        checked.append((record.division.poverty_exit.place.field("date").pointer, record.division.poverty_exit.date, record.division.poverty_exit.source))
    for pointer, value, source_id in checked:
        if _after_publication(context, value, source_id):
            yield Finding(f"{value} is after the source's publication ({context.source_for(source_id).published}); is it a plan (`planned: true`) or a typo?", pointer=pointer)
    for output, place, value, what in programme_dates(context):
        if what != "period end" and _after_publication(context, value, output.source):
            yield Finding(
                f"the output has no date of its own, so it holds at its programme's {what} {value}, after its source's "
                f"publication ({context.source_for(output.source).published}); is it a plan (`planned: true`), or give "
                "the date it was reached", pointer=output.place.pointer, related=(Related(f"programme's {what}", place.pointer),))


def _after_publication(context: RecordContext, value: int | str, source_id: str | None) -> bool:
    when, published = date_range(value), _publication(context, source_id)
    return when is not None and published is not None and when[0] > published[1]


@rule(
    "DATE003", "actual-date-in-future", Severity.ERROR,
    summary="An actual (not planned) date, or a publication date, in the future.",
    what=(
        "Reports a date that is not a plan, deadline or programme period and begins after today. A programme's "
        "output or outcome that is not `planned` and has no date or period of its own holds at its programme's: "
        "it is reported where the programme's date, or its period's start or end, begins after today."
    ),
    why="What has not happened cannot be recorded as having happened.",
    example="sources:\n  - {id: s1, file: seeds/fixture.txt, title: Fixture, published: 2099, language: en}\n",
    use_instead="sources:\n  - {id: s1, file: seeds/fixture.txt, title: Fixture, published: 2020, language: en}\n",
)
def actual_date_in_future(context: RecordContext) -> Iterator[Finding]:
    for pointer, value, role in iter_dates(context):
        if role in ("actual", "publication") and _in_future(context, value):
            yield Finding(f"{value} is in the future (today is {context.today.isoformat()}); only plans and deadlines may be", pointer=pointer)
    for output, place, value, what in programme_dates(context):
        if _in_future(context, value):
            yield Finding(
                f"the output has no date of its own, so it holds at its programme's {what} {value}, which is in the future "
                f"(today is {context.today.isoformat()}); mark it `planned: true`, or give the date it was reached",
                pointer=output.place.pointer, related=(Related(f"programme's {what}", place.pointer),))


def _in_future(context: RecordContext, value: int | str) -> bool:
    when = date_range(value)
    return when is not None and when[0] > context.today


@rule(
    "DATE004", "end-before-start", Severity.ERROR,
    summary="A period whose start is after its end.",
    what="Reports every period whose start begins after its end finishes (by the days each covers).",
    why="A reversed period is a typo that makes every date comparison on it meaningless.",
    example="programmes:\n  - id: p\n    name: Peach planting\n    category: industry\n    period: {start: 2020, end: 2016}\n",
    use_instead="programmes:\n  - id: p\n    name: Peach planting\n    category: industry\n    period: {start: 2016, end: 2020}\n",
)
def end_before_start(context: RecordContext) -> Iterator[Finding]:
    for pointer, item, _kind in dated_items(context):
        if item.period is None:
            continue
        start, end = date_range(item.period.start), date_range(item.period.end)
        if start is not None and end is not None and start[0] > end[1]:
            yield Finding(f"the period starts ({item.period.start}) after it ends ({item.period.end})", pointer=f"{pointer}/period")


@rule(
    "DATE005", "deadline-before-set", Severity.ERROR,
    summary="A target whose deadline is before it was set, or before its baseline.",
    what="Reports a target whose deadline ends before its `set_on` date or its `baseline_date` begins.",
    why="A target cannot be due before it exists; the dates are swapped or mistyped.",
    example=(
        "targets:\n  - id: t\n    metric: poverty_incidence\n    target: {value: 0.44 %, quote: \"to 0.44%\"}\n"
        "    deadline: 2014\n    set_on: 2016\n"
    ),
    use_instead=(
        "targets:\n  - id: t\n    metric: poverty_incidence\n    target: {value: 0.44 %, quote: \"to 0.44%\"}\n"
        "    deadline: 2018\n    set_on: 2016\n"
    ),
)
def deadline_before_set(context: RecordContext) -> Iterator[Finding]:
    for target in context.record.targets:
        deadline = date_range(target.deadline)
        for name in ("set_on", "baseline_date"):
            other = date_range(getattr(target, name))
            if deadline is not None and other is not None and deadline[1] < other[0]:
                yield Finding(f"the deadline {target.deadline} is before {name} {getattr(target, name)}", pointer=target.place.field("deadline").pointer)


@rule(
    "DATE006", "exit-before-baseline", Severity.ERROR,
    summary="The poverty exit dated before the baseline it was measured from.",
    what="Reports a `poverty_exit` date that ends before the earliest baseline date of the record's targets begins.",
    why="A county cannot leave the poverty list before the year its poverty was first measured; one of the dates is wrong.",
    example=(
        "division:\n  code: \"430225\"\n  name_en: Yanling County\n  name_zh: 炎陵县\n  province: Hunan\n  prefecture: 株洲市\n  designations: [national_poverty_county]\n"
        "  poverty_exit: {date: 2012, approved_by: provincial_government, quote: \"all 54 poor villages have withdrawn\"}\n"
        "targets:\n  - id: t\n    metric: poverty_incidence\n    target: {value: 0.44 %, quote: \"to 0.44%\"}\n"
        "    deadline: 2018\n    baseline: {value: 16.57 %, quote: \"from 16.57% in 2014\"}\n    baseline_date: 2014\n"
    ),
    use_instead=(
        "division:\n  code: \"430225\"\n  name_en: Yanling County\n  name_zh: 炎陵县\n  province: Hunan\n  prefecture: 株洲市\n  designations: [national_poverty_county]\n"
        "  poverty_exit: {date: 2018, approved_by: provincial_government, quote: \"all 54 poor villages have withdrawn\"}\n"
        "targets:\n  - id: t\n    metric: poverty_incidence\n    target: {value: 0.44 %, quote: \"to 0.44%\"}\n"
        "    deadline: 2018\n    baseline: {value: 16.57 %, quote: \"from 16.57% in 2014\"}\n    baseline_date: 2014\n"
    ),
)
def exit_before_baseline(context: RecordContext) -> Iterator[Finding]:
    exit_ = context.record.division.poverty_exit
    if exit_ is None:
        return
    exit_range = date_range(exit_.date)
    baselines = [(t.baseline_date, date_range(t.baseline_date)) for t in context.record.targets if t.baseline_date is not None]
    baselines = [(value, r) for value, r in baselines if r is not None]
    if exit_range is None or not baselines:
        return
    value, earliest = min(baselines, key=lambda pair: pair[1][0])
    if exit_range[1] < earliest[0]:
        yield Finding(f"the exit ({exit_.date}) is before the baseline year ({value}) of the record's targets", pointer=exit_.place.field("date").pointer)


@rule(
    "DATE007", "period-end-or-ongoing", Severity.ERROR,
    summary="A period with neither an `end` nor `ongoing: true`, or with both.",
    what=(
        "Reports a `period` that gives no `end` and is not `ongoing: true`, or that gives an `end` and says "
        "`ongoing: true`. A period has its last day, month or year, or (schema 1.1) is marked as not ended when "
        "the source was written ('since 2011')."
    ),
    why=(
        "A period without an end reads as a date; one with an end that is also ongoing contradicts itself. Either "
        "way, the date rules and the export would place the figure in time wrongly."
    ),
    example="observations:\n  - id: bridges\n    metric: bridges\n    value: 12 bridges\n    period: {start: 2011}\n    quote: \"built 12 bridges\"\n",
    use_instead="observations:\n  - id: bridges\n    metric: bridges\n    value: 12 bridges\n    period: {start: 2011, ongoing: true}\n    quote: \"built 12 bridges\"\n",
)
def period_end_or_ongoing(context: RecordContext) -> Iterator[Finding]:
    for _pointer, item, _kind in dated_items(context):
        period = item.period
        if period is None or (period.end is None) == period.ongoing:
            continue
        if period.ongoing:
            yield Finding("the period has an `end` and says `ongoing: true`; keep the one the source supports",
                          pointer=period.place.field("ongoing").pointer)
        else:
            yield Finding("the period has no `end`: give its last year (or month, or day), or `ongoing: true` where the "
                          "source says it had not ended", pointer=period.place.pointer)


@rule(
    "DATE008", "figure-without-time", Severity.WARNING,
    summary="A figure with no date, no period and no `date_basis`, nor any on what holds it.",
    what=(
        "Reports, in a record that declares schema 1.2 or later, a figure that the export would place at no time: it has no date or period of its own, its "
        "programme or fund has none, and neither says `date_basis: as_of_publication` (schema 1.2); a target's "
        "baseline or achieved value without its `baseline_date` or `achieved_date`. A figure `as_of_publication` "
        "has a time even where its source gives no publication date: it is as recent as the source."
    ),
    why=(
        "A figure without a time cannot be put in a county's panel, compared with the same figure of another "
        "year, or checked against its source's date: 403 households is progress in 2019 and a setback in 2015. "
        "Where the source speaks of the present (now, currently, 目前, 'in the current county') the figure "
        "holds as of the source's publication, and the curator says so. A warning, not an error: the figure "
        "is still what its source states, and where a source gives no time and does not speak of the present, "
        "an error would push the curator to guess one. Only records that declare schema 1.2 or later are "
        "checked: `date_basis` came with 1.2, and a record valid under 1.1 stays valid."
    ),
    example=(
        "schema_version: \"1.2\"\nobservations:\n  - id: poor-households-now\n    metric: registered_poor_households\n    value: 403 households\n"
        "    quote: \"to 403 households and 716 in the current county\"\n"
    ),
    use_instead=(
        "schema_version: \"1.2\"\nobservations:\n  - id: poor-households-now\n    metric: registered_poor_households\n"
        "    value: 403 households\n    date_basis: as_of_publication\n"
        "    quote: \"to 403 households and 716 in the current county\"\n"
    ),
)
def figure_without_time(context: RecordContext) -> Iterator[Finding]:
    from .figure_time import figure_time  # it reads dates with date_range, defined above

    if context.record.schema_version in ("1.0", "1.1"):
        return
    for entry in context.quantities:
        time = figure_time(context, entry)
        if time.known:
            continue
        if entry.holding.section == "targets":
            yield Finding(f"the target's {entry.holding.figure_kind} value has no date: give its "
                          f"`{entry.holding.figure_kind}_date` as the source states it", pointer=entry.pointer)
        else:
            yield Finding("the figure has no time: give its `date` or `period` as the source states them, or, where the "
                          "source speaks of the present (now, currently, 目前), `date_basis: as_of_publication`",
                          pointer=entry.pointer)


RULES = [date_does_not_exist, after_publication, actual_date_in_future, end_before_start, deadline_before_set, exit_before_baseline,
         period_end_or_ongoing, figure_without_time]
