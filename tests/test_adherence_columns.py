"""adherence() on columns (issue 11): lazy records, bulk statuses, numpy matching.

The fast paths must give exactly what the plain definitions give: the
summaries (counts, rates, next due) against the records themselves, the
numpy matching against the pure-Python one, and the lazy records against
records built eagerly (equality, hashing and pickling included).
"""

from __future__ import annotations

import functools
import pickle
from array import array
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from typing import Literal
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

import regimen.strategies  # noqa: F401 - registers the strategies for from_type
from regimen import Dose, DoseEvent, Entry, Plan, Schedule, Timeline
from regimen import _matching_np as mnp
from regimen._adherence import Adherence, adherence
from regimen._adherence_records import DoseRecord, DoseRecords, DoseStatus
from regimen._matching import partners

from .helpers import GREEN_MALAY, kefir, kratom

TIMES = ("06:00", "08:00", "09:30", "13:00", "21:00")


def _naive_rate(
    records: list[DoseRecord], keep: Callable[[DoseRecord], bool] | None = None
) -> Fraction | None:
    taken = due = 0
    for r in records:
        if r.planned.as_needed or (keep is not None and not keep(r)):
            continue
        if r.status.taken:
            taken, due = taken + 1, due + 1
        elif r.status is DoseStatus.MISSED:
            due += 1
    return None if not due else Fraction(taken, due)


def _naive_next_due(records: list[DoseRecord]) -> tuple[DoseRecord, ...]:
    waiting = [
        r
        for r in records
        if r.status in (DoseStatus.DUE, DoseStatus.UPCOMING)
        and (r.rebased or not r.planned.as_needed)
    ]
    if not waiting:
        return ()
    first = min(r.planned.timestamp_us for r in waiting)
    return tuple(r for r in waiting if r.planned.timestamp_us == first)


def _involves(record: DoseRecord, *, term: str) -> bool:
    return record.planned.involves(term)


def _named(record: DoseRecord, *, name: str) -> bool:
    return record.planned.product.name == name


def _check_summaries(result: Adherence) -> None:
    records = list(result.doses)
    tally = Counter(r.status for r in records)
    assert result.counts() == {s: tally[s] for s in DoseStatus}
    assert result.rate() == _naive_rate(records)
    for term in ("kratom", "kefir", "nothing"):
        assert result.rate(term) == _naive_rate(
            records, functools.partial(_involves, term=term)
        )
    names = list(dict.fromkeys(r.planned.product.name for r in records))
    assert list(result.rates()) == names
    for name in names:
        want = _naive_rate(records, functools.partial(_named, name=name))
        assert result.rate(product=f" {name.upper()} ") == want
    assert result.next_due == _naive_next_due(records)


@given(st.from_type(Adherence))
def test_summaries_agree_with_the_records(result: Adherence) -> None:
    """counts, rate, rates and next_due, worked out on columns, match the records."""
    _check_summaries(result)
    # The same records given as a tuple give an equal adherence, and equal answers.
    again = Adherence(
        at=result.at,
        doses=tuple(result.doses),
        extra=result.extra,
        tolerance=result.tolerance,
        on_time=result.on_time,
        day_start=result.day_start,
    )
    assert again == result
    assert hash(again) == hash(result)
    _check_summaries(again)


def _plan_and_log(data: st.DataObject) -> tuple[Plan, Timeline, datetime]:
    doses = [kratom(), kratom("3 g"), Dose(GREEN_MALAY, "2 g"), kefir()]
    entries = [
        Entry(
            data.draw(st.sampled_from(doses)),
            Schedule.daily(
                *data.draw(st.lists(st.sampled_from(TIMES), min_size=1, unique=True))
            ),
        )
        for _ in range(data.draw(st.integers(1, 3)))
    ]
    days = data.draw(st.integers(1, 12))
    plan = Plan(
        "p",
        timezone="America/New_York",
        start="2027-03-01",
        end=(datetime(2027, 3, 1) + timedelta(days=days - 1)).date(),
        entries=entries,
    )
    events = []
    for event in plan.timeline():
        roll = data.draw(st.integers(0, 9))
        if roll == 0:
            continue
        dose = data.draw(st.sampled_from(doses)) if roll == 1 else event.dose
        shift = timedelta(minutes=data.draw(st.integers(-200, 200)))
        events.append(DoseEvent(event.at + shift, dose))
        if roll == 2:  # a second dose near the first: groups of several
            events.append(DoseEvent(event.at - shift / 2, dose))
    at = datetime(2027, 3, 1, tzinfo=UTC) + timedelta(
        hours=data.draw(st.integers(0, 24 * days + 30))
    )
    return plan, Timeline(events), at


@given(st.data())
def test_numpy_matching_is_the_pure_python_matching(data: st.DataObject) -> None:
    """The numpy path (forced on for short inputs) gives the same adherence as pure Python."""
    plan, log, at = _plan_and_log(data)
    by: Literal["product", "substance"] = data.draw(
        st.sampled_from(["product", "substance"])
    )
    tolerance = timedelta(minutes=data.draw(st.sampled_from([1, 30, 120, 240, 900])))
    on_time = min(tolerance, timedelta(minutes=30))
    calls = []
    real = mnp._partners

    def spy(*args: object) -> object:
        calls.append(1)
        return real(*args)  # type: ignore[arg-type]

    with (
        mock.patch.object(mnp, "MIN_DOSES", 1),
        mock.patch.object(mnp, "_partners", spy),
    ):
        fast = adherence(
            plan, log, at=at, match_by=by, tolerance=tolerance, on_time=on_time
        )
    with mock.patch.object(mnp, "numpy_or_none", return_value=None):
        slow = adherence(
            plan, log, at=at, match_by=by, tolerance=tolerance, on_time=on_time
        )
    assert fast == slow
    assert fast.extra == slow.extra
    if any(r.taken is not None for r in fast.doses):
        assert calls  # the numpy path really ran


def test_numpy_path_is_taken_for_long_plans_and_left_past_64_bits() -> None:
    """Above the threshold numpy answers; near the edge of int64 it declines."""
    us = list(range(0, 3000 * 1000, 1000))
    kinds = array("q", [0] * len(us))
    planned = (array("q", us), kinds, [0])
    logged = (array("q", [u + 7 for u in us]), kinds, [0])
    found = mnp.hits(planned, logged, n=len(us), m=len(us), groups=1, tolerance=10)
    assert found is not None
    assert list(found) == partners(us, [u + 7 for u in us], 10)
    assert list(found) == list(range(len(us)))
    edge = mnp.hits(planned, logged, n=len(us), m=len(us), groups=1, tolerance=1 << 62)
    assert edge is None
    assert mnp.hits(planned, logged, n=5, m=5, groups=1, tolerance=10) is None


@given(st.from_type(Adherence))
def test_records_compare_hash_and_pickle_like_a_tuple(result: Adherence) -> None:
    """Lazy records equal the tuple they stand for, hash alike and survive pickling."""
    records = result.doses
    assert isinstance(records, DoseRecords)
    as_tuple = tuple(records)
    assert records == as_tuple
    assert as_tuple == records
    assert hash(records) == hash(as_tuple)
    assert records == DoseRecords(as_tuple)
    assert records[:] == as_tuple
    assert records[1::2] == as_tuple[1::2]
    if as_tuple:
        assert records[-1] is records[len(records) - 1]
    back = pickle.loads(pickle.dumps(result))
    assert back == result
    assert hash(back) == hash(result)
    assert list(back.doses) == list(as_tuple)
    assert records != list(as_tuple)


def test_records_refuse_what_is_not_a_record_and_bad_indexes() -> None:
    """A clear TypeError names the position; indexes past the end raise IndexError."""
    with pytest.raises(TypeError, match=r"doses\[0\] must be a DoseRecord"):
        DoseRecords(["taken"])  # type: ignore[list-item]
    with pytest.raises(IndexError):
        DoseRecords()[0]
    event = DoseEvent(datetime(2027, 1, 1, tzinfo=UTC), kratom())
    record = DoseRecord(
        planned=event,
        taken=event,
        status=DoseStatus.TAKEN,
        delay=timedelta(0),
        amount_difference=None,
        rebased=True,
    )
    kept = DoseRecords([record])
    assert kept[0] is record
    assert kept[-1].rebased
    assert repr(kept) == f"DoseRecords([{record!r}])"
    with pytest.raises(IndexError):
        kept[1]
    with pytest.raises(IndexError):
        kept[-2]
