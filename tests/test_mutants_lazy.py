"""Tests that pin lazy findings exactly enough to kill their mutants (issue 10).

A lazy finding (:mod:`regimen._finding_lazy`) knows its code, severity,
rule, key and numbers at once, and works out message, moment and events
with one call of its run's maker on first read. These tests build lazy
findings by hand, with a maker that counts its calls, and compare every
field with a plain finding's.
"""

from __future__ import annotations

import gc
import pickle
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest

from regimen import (
    BreakCadence,
    Dose,
    DoseEvent,
    Finding,
    MinInterval,
    Profile,
    Severity,
    Timeline,
    _finding_lazy,
    validate,
)
from regimen._finding import LISTED_EVENTS, Measure
from regimen._finding_lazy import (
    _SLOTS,
    NO_MOMENT,
    Detail,
    Picked,
    Run,
    _filled,
    _LazyFinding,
    _rebuilt,
    _shared,
    sort_keys,
)
from regimen._timezone import utc_us

from .helpers import MAENG_DA

AT = datetime(2027, 1, 4, 8, tzinfo=UTC)
EVENT = DoseEvent(AT, Dose(MAENG_DA, "2 g"))
RULE = MinInterval("kratom", "4 h")


class Maker:
    """A lazy finding's maker that records each call."""

    def __init__(self, at: datetime | None = AT) -> None:
        self.calls: list[tuple[object, int]] = []
        self.at = at

    def __call__(self, finding: Finding, arg: int) -> Detail:
        self.calls.append((finding.key, arg))
        return f"message {arg}", self.at, (EVENT,)


def lazy_finding(
    run: Run, arg: int, *, us: int, key: object, measured: Measure | None = None
) -> Finding:
    """One finding of *run*, made as the rules make them."""
    (finding,) = run.findings([key], [measured], [us], [arg])
    return finding


def build(
    maker: Callable[[Finding, int], Detail],
    *,
    severity: Severity = Severity.WARNING,
    **run: Any,
) -> Finding:
    return lazy_finding(
        Run(maker, code="min-interval", severity=severity, rule=RULE, **run),
        7,
        us=utc_us(AT),
        key=3,
        measured=timedelta(hours=1),
    )


def fields(finding: Finding) -> tuple[object, ...]:
    return tuple(getattr(finding, name) for name in _SLOTS)


EXPECTED = (
    "min-interval",
    Severity.WARNING,
    "message 7",
    AT,
    (EVENT,),
    RULE,
    False,
    False,
    timedelta(hours=1),
    None,
    "count",
    3,
)


@pytest.mark.parametrize("first", ["message", "at", "events"])
def test_first_read_works_out_all_three_once(first: str) -> None:
    """Whichever of message, at and events is read first, the maker runs once for all three."""
    maker = Maker()
    f = build(maker)
    assert type(f) is _LazyFinding
    assert maker.calls == []
    getattr(f, first)
    assert maker.calls == [(3, 7)]
    assert fields(f) == EXPECTED
    assert maker.calls == [(3, 7)]


def test_fixed_fields_are_the_runs_and_need_no_maker() -> None:
    """Code, severity, rule, limit, count unit and flags come from the run, unread."""
    maker = Maker()
    f = build(maker, severity=Severity.INFO, limit=4, count_unit="doses")
    assert (f.code, f.severity, f.rule, f.limit, f.count_unit) == (
        "min-interval",
        Severity.INFO,
        RULE,
        4,
        "doses",
    )
    assert f.as_needed_only is False
    assert f.upper_end_only is False
    assert (f.key, f.measured) == (3, timedelta(hours=1))
    assert maker.calls == []


def test_the_properties_filled_and_shared_build() -> None:
    """_filled's property works out and keeps all three fields; _shared's reads the run."""
    maker = Maker()
    f = build(maker)
    message = _filled("message", _SLOTS["message"])
    at = _filled("at", _SLOTS["at"])
    events = _filled("events", _SLOTS["events"])
    assert message.__doc__ == "The finding's message (worked out when first read)."
    assert events.fget is not None
    assert events.fget(f) == (EVENT,)
    assert maker.calls == [(3, 7)]
    assert message.fget is not None
    assert at.fget is not None
    assert (message.fget(f), at.fget(f)) == ("message 7", AT)
    assert _SLOTS["message"].__get__(f, None) == "message 7"
    assert _SLOTS["at"].__get__(f, None) == AT
    assert maker.calls == [(3, 7)]
    code = _shared("code")
    assert code.__doc__ == "The finding's code."
    assert code.fget is not None
    assert code.fget(f) == "min-interval"
    severity = _shared("severity")
    assert severity.fget is not None
    assert severity.fget(f) is Severity.WARNING
    # key and measured live in Finding's own slots, read with no property
    assert "key" not in type(f).__dict__
    assert "measured" not in type(f).__dict__
    key, measured = _SLOTS["key"].__get__(f, None), _SLOTS["measured"].__get__(f, None)
    assert (key, measured) == (3, timedelta(hours=1))


def test_a_run_makes_its_findings_in_order_with_the_cycle_collector_paused() -> None:
    """Run.findings pairs keys, measures, instants and arguments in order, gc paused meanwhile."""
    maker = Maker()
    run = Run(maker, code="min-interval", severity=Severity.ERROR, rule=RULE)
    enabled: list[bool] = []

    def keys() -> Iterator[int]:
        for key in (10, 20, 30):
            enabled.append(gc.isenabled())
            yield key

    assert gc.isenabled()
    found = run.findings(keys(), [1, 2, 3], [100, 200, 300], [0, 1, 2])
    assert gc.isenabled()
    assert enabled == [False, False, False]
    assert [(f.key, f.measured) for f in found] == [(10, 1), (20, 2), (30, 3)]
    assert sort_keys(found) == [400, 800, 1200]
    assert maker.calls == []
    assert [f.message for f in found] == ["message 0", "message 1", "message 2"]
    assert maker.calls == [(10, 0), (20, 1), (30, 2)]


def test_runs_of_bulk_findings_have_a_class_of_their_own() -> None:
    """From BULK findings a run's own subclass holds run, code, severity and rule.

    Below BULK each finding holds them in its slots; at BULK the class does,
    and the findings' slots for them stay unset. Either way the findings
    read, sort, compare and pickle alike.
    """
    n = _finding_lazy.BULK
    run = Run(Maker(), code="min-interval", severity=Severity.INFO, rule=RULE)

    def made(count: int) -> list[Finding]:
        return run.findings(
            range(count), [timedelta(hours=1)] * count, range(count), range(count)
        )

    few, many = made(n - 1), made(n)
    assert {type(f) for f in few} == {_LazyFinding}
    (kind,) = {type(f) for f in many}
    assert kind is not _LazyFinding
    assert issubclass(kind, _LazyFinding)
    assert kind.__name__ == "_LazyFinding"
    assert kind.__module__ == "regimen._finding_lazy"
    assert (
        type(kind("min-interval", "info", "m")) is Finding
    )  # as attrs.evolve calls it
    shared = {"code": "min-interval", "severity": Severity.INFO, "rule": RULE}
    assert {k: kind.__dict__[k] for k in shared} == shared
    assert kind.__dict__["_run"] is run
    assert "__dict__" not in dir(many[0])
    for name, value in shared.items():
        with pytest.raises(AttributeError):
            _SLOTS[name].__get__(many[0], None)
        assert _SLOTS[name].__get__(few[0], None) == value
    assert sort_keys(many) == [k * 4 + 2 for k in range(n)]
    assert sort_keys(few) == [k * 4 + 2 for k in range(n - 1)]
    assert few == many[: n - 1]
    assert [hash(f) for f in few] == [hash(f) for f in many[: n - 1]]
    assert pickle.loads(pickle.dumps(many[5])) == few[5]
    assert many[5].message == "message 5"
    assert (many[5].limit, many[5].count_unit) == (None, "count")


def test_no_moment() -> None:
    """A maker may give no moment; the finding's at is then None."""
    f = build(Maker(at=None))
    assert f.at is None
    assert f == attrs.evolve(f)


def test_sort_keys_of_lazy_and_plain_findings() -> None:
    """Instant in µs times four, then errors before warnings before infos; no moment first."""
    us = utc_us(AT)
    error = build(Maker(), severity=Severity.ERROR)
    info = build(Maker(), severity=Severity.INFO)
    plain = Finding("min-interval", "warning", "m", at=AT)
    timeless = Finding("min-interval", "error", "m")
    assert sort_keys([error, build(Maker()), info, plain, timeless]) == [
        us * 4,
        us * 4 + 1,
        us * 4 + 2,
        us * 4 + 1,
        NO_MOMENT * 4,
    ]
    assert utc_us(datetime.min.replace(tzinfo=UTC)) == NO_MOMENT + 1
    # ordering the lazy ones worked nothing out
    assert not _worked_out(error)
    assert not _worked_out(info)


def _worked_out(finding: Finding) -> bool:
    try:
        _SLOTS["message"].__get__(finding, None)
    except AttributeError:
        return False
    return True


def test_equality_with_other_things() -> None:
    """A lazy finding equals an equal lazy or plain finding, and nothing that is not a finding."""
    f, twin = build(Maker()), build(Maker())
    assert f == twin
    assert hash(f) == hash(twin)
    text: object = "message 7"
    assert f.__eq__(text) is NotImplemented
    assert f != text
    assert f != build(Maker(at=None))
    assert hash(f) == hash(Finding(*EXPECTED[:3], at=AT, events=(EVENT,),
                                   measured=timedelta(hours=1)))  # fmt: skip


def test_calling_the_class_gives_a_checked_plain_finding() -> None:
    """_LazyFinding(...) (as attrs.evolve calls it) builds a plain Finding, checked."""
    f = _LazyFinding("min-interval", "error", "m", measured=2)
    assert type(f) is Finding
    assert (f.code, f.severity, f.message, f.measured) == (
        "min-interval",
        Severity.ERROR,
        "m",
        2,
    )
    with pytest.raises(ValueError, match="kebab-case"):
        _LazyFinding("Bad Code", "error", "m")


def test_pickles_as_every_field_in_slot_order() -> None:
    """Pickling reduces to _rebuilt with every field, key included, in slot order."""
    f = build(Maker())
    reduced = f.__reduce__()
    assert isinstance(reduced, tuple)
    rebuild, args = reduced
    assert rebuild is _rebuilt
    assert args == EXPECTED
    back = pickle.loads(pickle.dumps(f))
    assert type(back) is Finding
    assert fields(back) == EXPECTED
    assert back.key == 3


def test_a_pickle_with_fields_missing_or_extra_is_refused() -> None:
    """_rebuilt refuses a field list of the wrong length rather than leave slots empty."""
    with pytest.raises(ValueError, match="zip"):
        _rebuilt(*EXPECTED[:-1])
    with pytest.raises(ValueError, match="zip"):
        _rebuilt(*EXPECTED, None)


def test_flags_set_on_the_run_are_carried() -> None:
    """as_needed_only and upper_end_only set on the run are the findings', pickled too."""
    maker = Maker()
    run = Run(maker, code="min-interval", severity=Severity.ERROR, rule=RULE)
    run.as_needed_only = True
    run.upper_end_only = True
    f = lazy_finding(run, 7, us=utc_us(AT), key=3)
    assert (f.as_needed_only, f.upper_end_only) == (True, True)
    back = pickle.loads(pickle.dumps(f))
    assert (back.as_needed_only, back.upper_end_only) == (True, True)
    assert f != attrs.evolve(back, as_needed_only=False)
    assert f != attrs.evolve(back, upper_end_only=False)
    assert f == back


# BreakCadence, whose findings are lazy: periods open at one end, a failing span
# whose last dose is the series' first, and where its findings stand in a report.

NY = ZoneInfo("America/New_York")


def ny(day: int, hour: int = 8) -> datetime:
    return datetime(2027, 1, day, hour, tzinfo=NY)


@pytest.mark.parametrize("end", ["start", "end"])
def test_a_period_open_at_one_end_has_no_span(end: str) -> None:
    """An empty timeline with only a start (or only an end) has no period to check."""
    timeline = Timeline([], **{end: date(2027, 1, 4)})
    assert list(BreakCadence("kratom", days=1, every=1).check(timeline)) == []


BC_LOG = Timeline(
    [
        DoseEvent(ny(4, 8), Dose(MAENG_DA, "1 g")),
        DoseEvent(ny(4, 9), Dose(MAENG_DA, "1 g")),
        DoseEvent(ny(6, 8), Dose(MAENG_DA, "1 g")),
    ],
    start=date(2027, 1, 4),
    end=date(2027, 1, 6),
)


def test_a_span_whose_last_dose_is_the_first_of_the_series() -> None:
    """The finding's moment is its span's last dose, even when that is the series' first."""
    one = Timeline([BC_LOG[0]], start=date(2027, 1, 4), end=date(2027, 1, 4))
    found = list(BreakCadence("kratom", days=1, every=1).check(one))
    assert [(f.at, f.events, f.measured) for f in found] == [(ny(4, 8), (one[0],), 0)]


def test_break_cadence_findings_stand_at_their_moment_in_a_report() -> None:
    """Reports order break-cadence findings by their moment like any other."""
    rules = [BreakCadence("kratom", days=1, every=1), MinInterval("kratom", "2 h")]
    report = validate(BC_LOG, Profile(rules=rules))
    assert [(f.code, f.at) for f in report.findings] == [
        ("break-cadence", ny(4, 9)),
        ("min-interval", ny(4, 9)),
        ("break-cadence", ny(6, 8)),
    ]


class PickingMaker:
    """A maker that gives its events' places, as the window and gap rules do."""

    def __init__(self, events: list[DoseEvent]) -> None:
        self.events = events
        self.calls = 0

    def __call__(self, finding: Finding, arg: int) -> Detail:
        self.calls += 1
        return f"message {arg}", AT, Picked(self.events, range(len(self.events)))


def picking(count: int) -> tuple[PickingMaker, Finding]:
    events = [
        DoseEvent(AT + timedelta(minutes=k), Dose(MAENG_DA, "2 g"))
        for k in range(count)
    ]
    maker = PickingMaker(events)
    return maker, build(maker)


@pytest.mark.parametrize("first", ["message", "at", "events", "to_dict"])
def test_events_given_by_place_are_built_only_when_read(
    first: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Message, moment and the JSON listing build no events beyond those listed."""
    maker, f = picking(LISTED_EVENTS + 3)
    built: list[int] = []
    real = Picked.all

    def counted(self: Picked) -> tuple[DoseEvent, ...]:
        built.append(1)
        return real(self)

    monkeypatch.setattr(Picked, "all", counted)
    if first == "to_dict":
        d = f.to_dict()
        assert d["events_total"] == LISTED_EVENTS + 3
        assert [e["at"] for e in d["events"]] == [
            e.at.isoformat() for e in maker.events[:LISTED_EVENTS]
        ]
        assert d["message"] == "message 7"
    else:
        getattr(f, first)
    assert maker.calls == 1
    assert built == ([1] if first == "events" else [])
    assert f.events == tuple(maker.events)
    assert built == [1]
    assert f.events is f.events  # built once, then kept
    with pytest.raises(AttributeError):  # and the places let go
        _finding_lazy._PICKS.__get__(f, None)
    assert maker.calls == 1
    # the listing after the events were built takes them, not new ones
    assert f.to_dict()["events"][0]["at"] == maker.events[0].at.isoformat()
    assert f == Finding(
        "min-interval",
        "warning",
        "message 7",
        at=AT,
        events=maker.events,
        rule=RULE,
        key=3,
        measured=timedelta(hours=1),
    )


def test_a_listing_of_events_given_whole_is_their_head() -> None:
    """A maker giving the events themselves: to_dict lists the first ones, counts all."""

    class Whole(PickingMaker):
        def __call__(self, finding: Finding, arg: int) -> Detail:
            self.calls += 1
            return f"message {arg}", AT, tuple(self.events)

    events = [
        DoseEvent(AT + timedelta(minutes=k), Dose(MAENG_DA, "2 g"))
        for k in range(LISTED_EVENTS + 1)
    ]
    maker = Whole(events)
    d = build(maker).to_dict()
    assert maker.calls == 1
    assert d["events_total"] == LISTED_EVENTS + 1
    assert len(d["events"]) == LISTED_EVENTS
    assert d["events"][-1]["at"] == events[LISTED_EVENTS - 1].at.isoformat()
