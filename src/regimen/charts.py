"""Charts of a plan, its adherence and an exposure estimate (extra ``regimen[plot]``).

Each function returns a :class:`matplotlib.figure.Figure`, drawn without
pyplot (no global state, no window; saving uses the Agg canvas), so
``figure.savefig("out.png")`` or ``"out.svg"`` writes it:

* :func:`totals_chart` — the daily total of each substance over the plan,
  breaks shaded, daily amount limits drawn as lines;
* :func:`adherence_chart` — a calendar, a cell per day: taken, late or
  early, missed, or still to come;
* :func:`exposure_chart` — an exposure estimate over time, labelled as the
  model's estimate, with a limit drawn as a line.

Importing this module imports nothing heavy; matplotlib is imported when a
chart is drawn, and a missing matplotlib raises :class:`~regimen.RegimenError`
naming the extra. ``import regimen`` never imports it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Final

from ._errors import RegimenError
from ._quantity import Quantity

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ._adherence import Adherence
    from ._exposure import Exposure
    from ._plan import Plan
    from ._profile import Profile
    from ._timeline import Timeline

__all__ = ["adherence_chart", "exposure_chart", "totals_chart"]

#: Most substances one totals chart draws (one panel each).
MAX_PANELS: Final = 8
#: Most weeks an adherence calendar shows (the last ones up to its moment).
MAX_WEEKS: Final = 106

_COLOURS: Final = ("#1b6ca8", "#c0392b", "#27ae60", "#8e44ad", "#d35400", "#16a085")
#: Calendar cells: no dose planned, taken, late or early, missed, to come.
_CELLS: Final = ("#f4f4f4", "#2e8b57", "#f0a500", "#c0392b", "#b8c4d6")
_CELL_NAMES: Final = ("nothing planned", "taken", "late or early", "missed", "to come")


def _figure(width: float, height: float) -> Figure:
    try:
        from matplotlib.figure import Figure  # noqa: PLC0415 - the plot extra, on use
    except ImportError:  # pragma: no cover - the dev environment has it
        msg = "charts need matplotlib: pip install 'regimen[plot]'"
        raise RegimenError(msg) from None
    return Figure(figsize=(width, height), layout="constrained")


def _day_axis(ax: Axes) -> None:
    import matplotlib.dates as mdates  # noqa: PLC0415 - the plot extra, on use

    locator = mdates.AutoDateLocator()  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    formatter = mdates.ConciseDateFormatter(locator)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_formatter(formatter)


def totals_chart(
    subject: Plan | Timeline,
    profile: Profile | None = None,
    *,
    start: date | str | None = None,
    end: date | str | None = None,
    title: str | None = None,
) -> Figure:
    """Draw the daily total of each substance of a plan or log, a panel each.

    Days are local days (from the profile's ``day_start``), with days of
    nothing drawn as zero; as-needed doses count. A plan's breaks are shaded
    on the panels of the substances they cover; each
    :class:`~regimen.MaxAmount` of the profile per ``"day"`` (or per 24 h)
    whose unit converts is drawn as a dashed line. Amounts a product gives in
    units that do not convert to the panel's (the first dose's) are left
    out. At most :data:`MAX_PANELS` substances are drawn.

    >>> from regimen import Dose, Entry, Plan, Product, Schedule, Substance
    >>> kratom = Substance("kratom")
    >>> powder = Product("powder", contents={kratom: "1 g"}, per="1 g")
    >>> plan = Plan("p", timezone="UTC", start="2027-01-01", end="2027-01-14",
    ...             entries=[Entry(Dose(powder, "2 g"), Schedule.daily("08:00", "20:00"))])
    >>> figure = totals_chart(plan)
    >>> [ax.get_ylabel() for ax in figure.axes]
    ['kratom (g per day)']
    """
    from ._plan import Break, Plan  # noqa: PLC0415 - loaded with the chart
    from ._profile import Profile  # noqa: PLC0415
    from ._rules import MaxAmount  # noqa: PLC0415
    from ._series import Context, unscaled  # noqa: PLC0415
    from ._validate import window  # noqa: PLC0415

    profile = profile if profile is not None else Profile()
    timeline = window(subject, start, end)
    first = timeline.start or timeline.first_day
    last = timeline.end or timeline.last_day
    substances = timeline.substances[:MAX_PANELS]
    figure = _figure(9, 1.2 + 2.2 * max(len(substances), 1))
    if first is None or last is None or not substances:
        ax = figure.add_subplot()
        ax.text(0.5, 0.5, "no doses to chart", ha="center", va="center")
        ax.set_axis_off()
        return figure
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    ctx = Context(timeline, profile.day_start)
    axes = figure.subplots(len(substances), 1, sharex=True, squeeze=False)[:, 0]
    breaks: Sequence[Break] = subject.breaks if isinstance(subject, Plan) else ()
    for i, (substance, ax) in enumerate(zip(substances, axes, strict=False)):
        colour = _COLOURS[i % len(_COLOURS)]
        unit = next(
            q.unit
            for e in ctx.series(substance.name).events
            for s, q in e.contents.items()
            if s == substance
        )
        series = ctx.series(substance.name, unit)
        per_day: dict[int, int] = {}
        for day, amount in zip(series.days, series.amounts, strict=True):
            per_day[day] = per_day.get(day, 0) + amount
        values = [
            float(unscaled(per_day.get(d.toordinal(), 0), series.scale)) for d in days
        ]
        edges = [*days, last + timedelta(days=1)]  # the last day drawn in full
        values.append(values[-1])
        ax.fill_between(edges, values, step="post", alpha=0.35, color=colour)
        ax.step(edges, values, where="post", color=colour, label="daily total")
        label = "break"
        for pause in breaks:
            if pause.substances is None or any(
                substance.matches(t) for t in pause.substances
            ):
                for lo, hi in pause.runs(first, last):
                    ax.axvspan(
                        lo,
                        hi + timedelta(days=1),
                        color="#999999",
                        alpha=0.25,
                        label=label,
                    )
                    label = "_"  # one legend entry for all breaks
        for rule in profile.rules:
            if not isinstance(rule, MaxAmount) or not substance.matches(rule.substance):
                continue
            if rule.per not in ("day", timedelta(hours=24)):
                continue
            if not rule.amount.unit.converts_to(unit):
                continue
            level = float(rule.amount.to(unit).amount)
            window_words = "per day" if rule.per == "day" else "per 24 h"
            ax.axhline(
                level,
                color="#333333",
                linestyle="--",
                linewidth=1,
                label=f"limit {rule.amount} {window_words}",
            )
        ax.set_ylabel(f"{substance.name} ({unit.value} per day)")
        ax.set_ylim(bottom=0)
        ax.legend(
            loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small", frameon=False
        )
        _day_axis(ax)
    name = subject.name if isinstance(subject, Plan) else "intake log"
    figure.suptitle(title or f"Daily totals: {name}")
    return figure


def adherence_chart(result: Adherence, *, title: str | None = None) -> Figure:
    """Draw an adherence calendar: one cell per day, coloured by what became of its doses.

    A day is *missed* if any of its doses was missed, else *late or early*
    if any was taken off time, else *taken* if every dose due was taken on
    time, else *to come* (due or upcoming); as-needed doses not taken count
    for nothing. Rows are ISO weeks (Monday first), the last
    :data:`MAX_WEEKS` up to the moment asked about.

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> from regimen import Dose, Entry, Plan, Product, Schedule, Substance, Timeline, adherence
    >>> kefir = Substance("kefir")
    >>> milk = Product("milk kefir", contents={kefir: "1 fl oz"}, per="1 fl oz")
    >>> plan = Plan("p", timezone="UTC", start="2027-01-04", end="2027-01-17",
    ...             entries=[Entry(Dose(milk, "6 fl oz"), Schedule.daily("08:00"))])
    >>> result = adherence(plan, Timeline([]), at=datetime(2027, 1, 10, 12, tzinfo=ZoneInfo("UTC")))
    >>> figure = adherence_chart(result)
    >>> figure.axes[0].get_title()
    'missed 7, taken 0, late or early 0, to come 1'
    """
    from ._adherence import DoseStatus  # noqa: PLC0415 - loaded with the chart
    from ._series import local_day  # noqa: PLC0415

    state: dict[date, int] = {}
    rank = {DoseStatus.TAKEN: 1, DoseStatus.LATE: 2, DoseStatus.EARLY: 2}
    rank |= {DoseStatus.MISSED: 3, DoseStatus.DUE: 4, DoseStatus.UPCOMING: 4}
    for record in result.doses:
        cell = rank.get(record.status)
        if cell is None:  # skipped as-needed doses
            continue
        day = local_day(record.planned.at, result.day_start)
        known = state.get(day, 0)
        state[day] = _worse(known, cell)
    figure = _figure(7, 2.5)
    ax = figure.add_subplot()
    if not state:
        ax.text(0.5, 0.5, "no doses planned", ha="center", va="center")
        ax.set_axis_off()
        return figure
    first, last = min(state), max(state)
    monday = first - timedelta(days=first.weekday())
    weeks = (last - monday).days // 7 + 1
    if weeks > MAX_WEEKS:
        monday += timedelta(weeks=weeks - MAX_WEEKS)
        weeks = MAX_WEEKS
    grid = [[0] * 7 for _ in range(weeks)]
    for day, cell in state.items():
        row = (day - monday).days // 7
        if 0 <= row < weeks:
            grid[row][day.weekday()] = cell
    from matplotlib.colors import ListedColormap  # noqa: PLC0415 - the plot extra
    from matplotlib.patches import Patch  # noqa: PLC0415

    figure.set_size_inches(7, 1.6 + 0.28 * weeks)
    ax.imshow(grid, cmap=ListedColormap(list(_CELLS)), vmin=0, vmax=4, aspect="auto")
    ax.set_xticks(range(7), ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"])
    step = max(1, weeks // 12)
    rows = range(0, weeks, step)
    ax.set_yticks(rows, [(monday + timedelta(weeks=r)).isoformat() for r in rows])
    ax.set_xticks([x - 0.5 for x in range(8)], minor=True)
    ax.set_yticks([y - 0.5 for y in range(weeks + 1)], minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    ax.tick_params(which="both", length=0)
    counts = [sum(row.count(c) for row in grid) for c in range(5)]
    ax.set_title(
        f"missed {counts[3]}, taken {counts[1]}, late or early {counts[2]}, "
        f"to come {counts[4]}",
        fontsize="small",
    )
    ax.legend(
        handles=[
            Patch(color=c, label=n) for c, n in zip(_CELLS, _CELL_NAMES, strict=True)
        ],
        loc="upper left",
        bbox_to_anchor=(1.01, 1),
        fontsize="small",
        frameon=False,
    )
    figure.suptitle(title or f"Adherence as of {result.at:%Y-%m-%d %H:%M}")
    return figure


def _worse(a: int, b: int) -> int:
    """Return the cell of a day with doses in cells *a* and *b* (missed first, taken last)."""
    order = {0: 0, 1: 1, 4: 2, 2: 3, 3: 4}
    return a if order[a] >= order[b] else b


def exposure_chart(
    series: Exposure,
    *,
    limit: Quantity | str | None = None,
    title: str | None = None,
) -> Figure:
    """Draw an exposure estimate over time, labelled as a model estimate, with a limit line.

    The curve is the series' points (a one-compartment model's estimate
    with the series' parameters, never a measured level: the title and
    the axis say so, and the parameters and their source are printed
    under it). *limit* (a :class:`~regimen.Quantity` or text like
    ``"300 mg"``, in a unit that converts to the series') is drawn as a
    dashed line. Times are shown in the series' zone.

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> from regimen import Dose, DoseEvent, Product, Substance, Timeline, exposure
    >>> caffeine = Substance("caffeine")
    >>> coffee = Product("coffee", contents={caffeine: "95 mg"}, per="1 serving")
    >>> at = datetime(2027, 1, 4, 8, tzinfo=ZoneInfo("Europe/Berlin"))
    >>> series = exposure(Timeline([DoseEvent(at, Dose(coffee, "1 serving"))]), caffeine,
    ...                   half_life="5 h", source="example figure", step="15 min")
    >>> exposure_chart(series, limit="200 mg").axes[0].get_ylabel()
    'estimated caffeine present (mg)'
    """
    import matplotlib.dates as mdates  # noqa: PLC0415 - the plot extra, on use

    figure = _figure(9, 3.6)
    ax = figure.add_subplot()
    day_us = 86_400_000_000
    times = [
        (series._start + i * series._step) / day_us for i in range(len(series.values))
    ]
    ax.plot(times, series.values, color=_COLOURS[0], label="estimate (model)")
    ax.fill_between(times, series.values, alpha=0.2, color=_COLOURS[0])
    if limit is not None:
        level = limit if isinstance(limit, Quantity) else Quantity.parse(limit)
        if not level.unit.converts_to(series.unit):
            msg = f"the limit {level} does not convert to the estimate's unit {series.unit.value}"
            raise ValueError(msg)
        ax.axhline(
            float(level.to(series.unit).amount),
            color="#333333",
            linestyle="--",
            linewidth=1,
            label=f"limit {level}",
        )
    locator = mdates.AutoDateLocator(tz=series.timezone)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    formatter = mdates.ConciseDateFormatter(locator, tz=series.timezone)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_formatter(formatter)
    ax.set_ylabel(f"estimated {series.substance} present ({series.unit.value})")
    ax.set_ylim(bottom=0)
    ax.legend(
        loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small", frameon=False
    )
    words = textwrap.fill(
        "One-compartment model estimate, not a measured level; "
        + series.kinetics.describe(),
        width=120,
    )
    figure.text(0.01, 0.005, words, fontsize="x-small", va="bottom")
    figure.get_layout_engine().set(rect=(0, 0.06, 1, 0.94))  # type: ignore[union-attr, call-arg]
    figure.suptitle(title or f"Exposure estimate: {series.substance} (model estimate)")
    return figure
