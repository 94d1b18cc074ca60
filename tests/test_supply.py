"""Tests for supply(): stock on hand, refills, counts, run-out and packages."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regimen import (
    Dose,
    DoseEvent,
    Entry,
    Plan,
    Product,
    Quantity,
    Refill,
    Schedule,
    StockCount,
    Substance,
    Timeline,
    UnitError,
    supply,
)

BERLIN = ZoneInfo("Europe/Berlin")
KRATOM = Substance("kratom")
POWDER = Product(
    "Maeng Da",
    contents={KRATOM: "1 g"},
    per="1 g",
    equivalents=[("1 tsp", "2 g")],
    package="250 g",
)
CAPS = Product(
    "capsules", contents={KRATOM: "500 mg"}, per="1 capsule", package="30 capsule"
)


def _at(month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(2027, month, day, hour, minute, tzinfo=BERLIN)


def _plan(*entries: Entry, end: str | None = "2027-01-31") -> Plan:
    return Plan(
        "p", timezone="Europe/Berlin", start="2027-01-01", end=end, entries=entries
    )


TWICE = Entry(Dose(POWDER, "1 tsp"), Schedule.daily("08:00", "20:00"))


class TestOnHand:
    def test_without_a_log_the_plan_was_followed(self) -> None:
        """Stock at the plan's start, less the planned doses up to and including at."""
        # Jan 1-4: 8 doses of 1 tsp = 2 g; Jan 5 08:00 at the moment itself: a 9th.
        result = supply(_plan(TWICE), stock={POWDER: "100 g"}, at=_at(1, 5, 8))
        assert result.products[POWDER].on_hand == Quantity("82", "g")

    def test_a_log_replaces_the_plan_before_at(self) -> None:
        """With a log, only logged doses are taken off (a missed dose stays in stock)."""
        log = Timeline([DoseEvent(_at(1, 2, 8), Dose(POWDER, "2 tsp"))])
        result = supply(_plan(TWICE), stock={POWDER: "100 g"}, log=log, at=_at(1, 5))
        assert result.products[POWDER].on_hand == Quantity("96", "g")

    def test_count_resets_refills_add_and_later_records_wait(self) -> None:
        """The latest count at or before at wins; refills after it add; later ones don't count yet."""
        log = Timeline(
            [
                DoseEvent(_at(1, 2, 8), Dose(POWDER, "1 tsp")),  # before the count
                DoseEvent(_at(1, 3, 8), Dose(POWDER, "1 tsp")),  # 2 g after it
                DoseEvent(_at(1, 9, 8), Dose(POWDER, "1 tsp")),  # after at
            ]
        )
        counts = [
            StockCount(POWDER, "40 tsp", _at(1, 2, 9)),  # 80 g
            StockCount(POWDER, "1 g", _at(1, 8)),  # after at: not yet
        ]
        refills = [
            Refill(POWDER, "250 g", _at(1, 1)),  # before the count: in it
            Refill(POWDER, "250 g", _at(1, 4)),
            Refill(POWDER, "250 g", _at(1, 8)),  # after at
        ]
        result = supply(
            _plan(TWICE), stock=counts, log=log, refills=refills, at=_at(1, 5)
        )
        # 80 g counted, + 250 g, - 2 g; shown in the package's unit.
        assert result.products[POWDER].on_hand == Quantity("328", "g")

    def test_refills_alone_start_from_nothing(self) -> None:
        """A product with refills but no stock figure started with none."""
        result = supply(
            _plan(TWICE),
            refills=[Refill(POWDER, "20 g", _at(1, 1, 7))],
            at=_at(1, 1, 9),
        )
        assert result.products[POWDER].on_hand == Quantity("18", "g")

    def test_products_without_stock_are_untracked(self) -> None:
        """The plan's products with no stock known are listed apart."""
        plan = _plan(TWICE, Entry(Dose(CAPS, "2 capsule"), Schedule.daily("09:00")))
        result = supply(plan, stock={CAPS: "30 capsule"}, at=_at(1, 1, 0))
        assert list(result.products) == [CAPS]
        assert result.untracked == (POWDER,)


class TestRunOut:
    def test_planned_and_worst_case(self) -> None:
        """As-needed doses count only for the worst case."""
        extra = Entry(Dose(POWDER, "1 g"), Schedule.daily("14:00"), as_needed=True)
        result = supply(_plan(TWICE, extra), stock={POWDER: "9 g"}, at=_at(1, 1, 0))
        p = result.products[POWDER]
        # Planned: 08:00, 20:00, 08:00, 20:00 take 8 g; the 5th (Jan 3 08:00) lacks 1 g.
        assert p.runs_out == _at(1, 3, 8)
        # Worst: 2 + 1 + 2 | 2 + 1 = 8 g by Jan 2 14:00; Jan 2 20:00 lacks 1 g.
        assert p.runs_out_worst == _at(1, 2, 20)
        assert p.per_day == Quantity("4", "g")

    def test_lasting_to_the_horizon(self) -> None:
        """Nothing runs out when the stock covers every dose to until."""
        result = supply(
            _plan(TWICE),
            stock={POWDER: "16 g"},
            at=_at(1, 1, 0),
            until="2027-01-04",
            lead_time=timedelta(days=3),
        )
        p = result.products[POWDER]
        assert (p.runs_out, p.runs_out_worst, p.order_by) == (None, None, None)
        assert p.packages_needed == 0
        assert p.needed == Quantity("16", "g")

    def test_order_by_and_packages(self) -> None:
        """order_by is the run-out less the lead time, as a local date; packages round up."""
        result = supply(
            _plan(Entry(Dose(CAPS, "2 capsule"), Schedule.daily("09:00"))),
            stock={CAPS: "30 capsule"},
            at=_at(1, 1, 0),
            lead_time=timedelta(days=2),
        )
        p = result.products[CAPS]
        assert p.runs_out == _at(1, 16, 9)  # 15 doses of 2 from 30
        assert p.order_by == date(2027, 1, 14)
        # 31 days x 2 = 62 capsules, 30 on hand: 32 more, 2 packages of 30.
        assert p.packages_needed == 2
        assert p.on_hand == Quantity("30", "capsule")

    def test_open_plan_needs_until(self) -> None:
        """An open plan has no end to count to."""
        with pytest.raises(ValueError, match="until="):
            supply(_plan(TWICE, end=None), stock={POWDER: "1 g"}, at=_at(1, 1))
        result = supply(
            _plan(TWICE, end=None),
            stock={POWDER: "4 g"},
            at=_at(1, 1, 0),
            until="2027-01-10",
        )
        assert result.products[POWDER].runs_out == _at(1, 2, 8)


class TestErrors:
    def test_unmeasurable_stock(self) -> None:
        """A stock amount the product cannot be measured in names the product and the fix."""
        with pytest.raises(UnitError, match=r"Maeng Da.*equivalent"):
            supply(_plan(TWICE), stock={POWDER: "3 capsule"}, at=_at(1, 1))
        with pytest.raises(UnitError, match=r"Refill\.amount"):
            Refill(POWDER, "3 capsule", _at(1, 1))

    def test_bad_arguments(self) -> None:
        """A naive at, a negative lead time and a bad package are refused."""
        with pytest.raises(ValueError, match="aware"):
            supply(_plan(TWICE), at=datetime(2027, 1, 1))
        with pytest.raises(ValueError, match="lead_time"):
            supply(_plan(TWICE), at=_at(1, 1), lead_time=timedelta(days=-1))
        with pytest.raises(UnitError, match="package"):
            Product("x", contents={KRATOM: "1 g"}, per="1 g", package="2 capsule")
        with pytest.raises(ValueError, match="more than zero"):
            Product("x", contents={KRATOM: "1 g"}, per="1 g", package="0 g")
        with pytest.raises(ValueError, match="zero or more"):
            StockCount(POWDER, "-1 g", _at(1, 1))


# -- the slow oracle: every record and dose, one at a time, in Quantities -------------


def _grams(event: DoseEvent, *, low: bool = False) -> Quantity:
    """Return the grams of kratom in the event: its dose's high end, or its low end."""
    amount = event.dose.low if low else event.dose.high
    return POWDER.contents_of(amount)[KRATOM].to("g")


def _step(
    plan: Plan,
    stock: Quantity | None,
    *,
    log: Timeline | None,
    counts: list[StockCount],
    refills: list[Refill],
    at: datetime,
) -> tuple[Quantity, datetime | None, datetime | None]:
    """Walk through time applying each dose, refill and count; then the plan after at.

    *stock* (when given) is counted when the plan starts, or at *at* if that
    is earlier; at one instant, doses come first, then refills, then a count.
    """
    timeline = plan.timeline()
    actions: list[tuple[datetime, int, str, Quantity]] = []
    if stock is not None:
        start = datetime.combine(plan.start, time(0), tzinfo=BERLIN)
        actions.append((min(start, at), -1 if start <= at else 2, "count", stock))
    if log is not None:  # what was taken: a logged range counts at its high end
        actions += [(e.at, 0, "dose", _grams(e)) for e in log]
    else:  # the plan followed: its planned doses at their low ends
        actions += [
            (e.at, 0, "dose", _grams(e, low=True)) for e in timeline.without_as_needed()
        ]
    actions += [(r.at, 1, "add", POWDER.contents_of(r.amount)[KRATOM]) for r in refills]
    actions += [
        (c.at, 2, "count", POWDER.contents_of(c.amount)[KRATOM]) for c in counts
    ]
    left = Quantity(0, "g")  # before any figure: nothing
    for moment, _, what, amount in sorted(actions, key=lambda a: (a[0], a[1])):
        if moment > at:
            break
        if what == "count":
            left = amount
        elif what == "add":
            left += amount
        else:
            left -= amount
    runs_out = worst = None
    planned = worst_left = left
    for event in timeline:
        if event.at <= at:
            continue
        worst_left -= _grams(event)
        if worst_left.amount < 0 and worst is None:
            worst = event.at
        if not event.as_needed:
            planned -= _grams(event, low=True)
            if planned.amount < 0 and runs_out is None:
                runs_out = event.at
    return left, runs_out, worst


_AMOUNTS = ["0.5 g", "1 g", "2 g", "1/2 tsp", "1 tsp", "1.5 tsp", "1-2 g", "1/2-1 tsp"]


@st.composite
def _entries(draw: st.DrawFn) -> Entry:
    times = draw(
        st.lists(
            st.times(min_value=time(0), max_value=time(23, 59)).map(
                lambda t: t.replace(second=0, microsecond=0)
            ),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    return Entry(
        Dose(POWDER, draw(st.sampled_from(_AMOUNTS))),
        Schedule.daily(*times),
        as_needed=draw(st.booleans()),
    )


@st.composite
def _cases(
    draw: st.DrawFn,
) -> tuple[Plan, Quantity, Timeline | None, list[StockCount], list[Refill], datetime]:
    start = date(2027, 3, 20)  # Berlin springs forward on 2027-03-28
    days = draw(st.integers(1, 20))
    plan = Plan(
        "p",
        timezone="Europe/Berlin",
        start=start,
        end=start + timedelta(days=days - 1),
        entries=draw(st.lists(_entries(), min_size=1, max_size=3)),
    )
    base = datetime.combine(start, time(0), tzinfo=BERLIN)
    minutes = st.integers(-2 * 1440, (days + 2) * 1440).map(
        lambda m: (base + timedelta(minutes=m)).astimezone(BERLIN)
    )
    at = draw(minutes)
    stock = Quantity(draw(st.integers(0, 60)), "g")
    log = None
    if draw(st.booleans()):
        log = Timeline(
            DoseEvent(m, Dose(POWDER, a))
            for m, a in draw(
                st.lists(st.tuples(minutes, st.sampled_from(_AMOUNTS)), max_size=12)
            )
        )
    counts = [
        StockCount(POWDER, f"{n} g", m)
        for m, n in draw(st.lists(st.tuples(minutes, st.integers(0, 40)), max_size=3))
    ]
    refills = [
        Refill(POWDER, a, m)
        for m, a in draw(
            st.lists(st.tuples(minutes, st.sampled_from(_AMOUNTS[:6])), max_size=3)
        )
    ]
    return plan, stock, log, counts, refills, at


@given(_cases())
def test_supply_matches_stepping_through_every_event(
    case: tuple[
        Plan, Quantity, Timeline | None, list[StockCount], list[Refill], datetime
    ],
) -> None:
    """On hand and both run-out moments equal those of a walk through every event."""
    plan, stock, log, counts, refills, at = case
    given_stock: dict[Product, Quantity | str] | list[StockCount]
    given_stock = counts if counts else {POWDER: stock}
    result = supply(plan, stock=given_stock, log=log, refills=refills, at=at)
    known = not counts or any(
        m <= at for m in [c.at for c in counts] + [r.at for r in refills]
    )
    assert (POWDER in result.products) == known
    if not known:
        return
    p = result.products[POWDER]
    on_hand, runs_out, worst = _step(
        plan,
        None if counts else stock,
        log=log,
        counts=counts,
        refills=refills,
        at=at,
    )
    assert p.on_hand == on_hand
    assert (p.runs_out, p.runs_out_worst) == (runs_out, worst)
