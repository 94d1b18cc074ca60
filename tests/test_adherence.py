"""Tests for adherence(): matching a plan to a log, statuses, rates and exports."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta, timezone
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from regimen import Dose, DoseEvent, Entry, Plan, Quantity, Schedule, Timeline, top_ups
from regimen._adherence import Adherence, DoseStatus, adherence
from regimen._errors import RegimenError
from regimen._matching import MAX_MATCHING_WORK, match

from .helpers import GREEN_MALAY, MAENG_DA, kefir, kratom

NY = ZoneInfo("America/New_York")
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _plan(*entries: Entry, end: str = "2027-01-07") -> Plan:
    return Plan(
        "p", timezone="America/New_York", start="2027-01-01", end=end, entries=entries
    )


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 1, day, hour, minute, tzinfo=NY)


def _top_ups_at_six() -> tuple[Entry, ...]:
    """1 g at 18:00, then as-needed 0.5 g top-ups every 45 min up to 2 g."""
    return top_ups(
        MAENG_DA,
        first="1 g",
        step="0.5 g",
        every=timedelta(minutes=45),
        up_to="2 g",
        schedule=Schedule.daily("18:00"),
    )


def _log(*events: tuple[datetime, Dose]) -> Timeline:
    return Timeline([DoseEvent(at, dose) for at, dose in events])


class TestStatuses:
    def test_every_status_at_its_edge(self) -> None:
        """Taken, early, late, missed, due and upcoming follow the windows exactly."""
        plan = _plan(
            Entry(kratom(), Schedule.daily("08:00", "20:00")), end="2027-01-04"
        )
        log = _log(
            (_at(1, 8, 30), kratom()),  # exactly on_time late: TAKEN
            (_at(1, 19, 29), kratom()),  # 31 min early: EARLY
            (_at(2, 10, 0), kratom()),  # exactly the tolerance late: LATE
        )
        result = adherence(plan, log, at=_at(3, 10, 0))
        statuses = [
            (r.planned.at.day, r.planned.at.hour, r.status) for r in result.doses
        ]
        assert statuses[:6] == [
            (1, 8, DoseStatus.TAKEN),
            (1, 20, DoseStatus.EARLY),
            (2, 8, DoseStatus.LATE),
            (2, 20, DoseStatus.MISSED),
            (3, 8, DoseStatus.DUE),  # 10:00 is exactly 2 h after 08:00: still due
            (3, 20, DoseStatus.UPCOMING),
        ]
        assert result.doses[1].delay == timedelta(minutes=-31)
        assert result.doses[2].delay == timedelta(hours=2)
        missed = adherence(plan, log, at=_at(3, 10, 0) + timedelta(microseconds=1))
        assert missed.doses[4].status is DoseStatus.MISSED

    def test_due_upcoming_and_on_time_at_their_exact_edges(self) -> None:
        """A dose exactly the tolerance ahead is due; exactly on_time early is taken."""
        plan = _plan(Entry(kratom(), Schedule.daily("08:00")), end="2027-01-03")
        log = _log((_at(1, 7, 30), kratom()))  # exactly 30 min early
        edge = adherence(plan, log, at=_at(3, 6, 0))  # 08:00 is exactly 2 h ahead
        assert [r.status for r in edge.doses] == [
            DoseStatus.TAKEN,
            DoseStatus.MISSED,
            DoseStatus.DUE,
        ]
        before = adherence(plan, log, at=_at(3, 6, 0) - timedelta(microseconds=1))
        assert before.doses[2].status is DoseStatus.UPCOMING
        early = _log((_at(1, 7, 30) - timedelta(microseconds=1), kratom()))
        assert adherence(plan, early, at=_at(3, 6)).doses[0].status is DoseStatus.EARLY

    def test_as_needed_doses_ahead_are_upcoming_not_skipped(self) -> None:
        """An as-needed dose still beyond its tolerance is upcoming; inside it, skipped."""
        session = _top_ups_at_six()
        plan = _plan(*session, end="2027-01-01")
        result = adherence(plan, Timeline([]), at=_at(1, 16, 44))
        assert [r.status for r in result.doses] == [
            DoseStatus.DUE,  # 18:00 - 2 h = 16:00
            DoseStatus.UPCOMING,  # 18:45 - 2 h = 16:45, still ahead
            DoseStatus.UPCOMING,
        ]
        later = adherence(plan, Timeline([]), at=_at(1, 16, 45))
        assert [r.status for r in later.doses][1:] == [
            DoseStatus.SKIPPED,
            DoseStatus.UPCOMING,
        ]

    def test_rates_and_next_due(self) -> None:
        """The rate is taken of due doses; next_due is the earliest waiting dose."""
        plan = _plan(Entry(kratom(), Schedule.daily("08:00")))
        log = _log((_at(1, 8), kratom()), (_at(3, 8, 5), kratom()))
        result = adherence(plan, log, at=_at(4, 12))
        assert result.rate() == Fraction(2, 4)
        assert result.rate("kratom") == Fraction(2, 4)
        assert result.rate("kefir") is None
        assert result.rate(product="maeng da") == Fraction(1, 2)
        assert result.rates() == {"Maeng Da": Fraction(1, 2)}
        (nxt,) = result.next_due
        assert nxt.planned.at == _at(5, 8)
        assert nxt.status is DoseStatus.UPCOMING

    def test_extra_doses_and_amount_differences(self) -> None:
        """Unmatched logged doses are extra; a different amount is reported."""
        plan = _plan(Entry(kratom("2 g"), Schedule.daily("08:00")))
        log = _log((_at(1, 8), kratom("3 g")), (_at(1, 14), kratom("1 g")))
        result = adherence(plan, log, at=_at(1, 23))
        assert result.doses[0].amount_difference == Quantity(1, "g")
        assert [e.at for e in result.extra] == [_at(1, 14)]

    def test_a_log_after_at_is_not_seen(self) -> None:
        """What was logged after the moment asked about does not count yet."""
        plan = _plan(Entry(kratom(), Schedule.daily("08:00")))
        log = _log((_at(2, 8), kratom()))
        result = adherence(plan, log, at=_at(2, 7))
        assert result.doses[1].status is DoseStatus.DUE
        assert result.extra == ()

    def test_as_needed_doses_are_never_missed(self) -> None:
        """As-needed top-ups not taken are skipped and left out of rates."""
        session = _top_ups_at_six()
        plan = _plan(*session, end="2027-01-02")
        log = _log((_at(1, 18), kratom("1 g")))
        result = adherence(plan, log, at=_at(2, 23))
        assert [r.status for r in result.doses] == [
            DoseStatus.TAKEN,
            DoseStatus.SKIPPED,
            DoseStatus.SKIPPED,
            DoseStatus.MISSED,
            DoseStatus.SKIPPED,
            DoseStatus.SKIPPED,
        ]
        assert result.rate() == Fraction(1, 2)

    def test_strain_swap_matches_by_substance(self) -> None:
        """By default a different product is extra; match_by='substance' accepts it."""
        plan = _plan(Entry(kratom(), Schedule.daily("08:00")), end="2027-01-01")
        log = _log((_at(1, 8), Dose(GREEN_MALAY, "2 g")))
        by_product = adherence(plan, log, at=_at(1, 20))
        assert by_product.doses[0].status is DoseStatus.MISSED
        assert len(by_product.extra) == 1
        by_substance = adherence(plan, log, at=_at(1, 20), match_by="substance")
        assert by_substance.doses[0].status is DoseStatus.TAKEN
        assert by_substance.extra == ()

    def test_arguments_are_checked(self) -> None:
        """A naive moment, a bad tolerance or matching mode raise clear errors."""
        plan = _plan(Entry(kratom(), Schedule.daily("08:00")))
        with pytest.raises(ValueError, match="aware datetime"):
            adherence(plan, Timeline(), at=datetime(2027, 1, 1))
        with pytest.raises(ValueError, match="tolerance must be a positive"):
            adherence(plan, Timeline(), at=_at(1, 1), tolerance=timedelta(0))
        with pytest.raises(ValueError, match="on_time must be"):
            adherence(plan, Timeline(), at=_at(1, 1), on_time=timedelta(hours=3))
        with pytest.raises(ValueError, match="match_by"):
            adherence(plan, Timeline(), at=_at(1, 1), match_by="strain")  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="needs a Plan"):
            adherence(Timeline(), Timeline(), at=_at(1, 1))  # type: ignore[arg-type]


class TestExports:
    def test_dict_text_markdown_and_csv(self) -> None:
        """Every export carries the statuses; CSV has a row per planned and extra dose."""
        plan = _plan(
            Entry(kratom(), Schedule.daily("08:00")),
            Entry(kefir(), Schedule.daily("09:00")),
        )
        log = _log((_at(1, 8), kratom()), (_at(1, 11), kefir()), (_at(2, 15), kratom()))
        result = adherence(plan, log, at=_at(2, 20))
        data = json.loads(json.dumps(result.to_dict()))
        assert data["counts"]["late"] == 1
        assert data["overall"] == {"taken": 2, "due": 4, "rate": "50.0%"}
        assert data["products"]["milk kefir"]["rate"] == "50.0%"
        assert data["doses"][1]["delay_minutes"] == "120"
        text = result.to_text()
        assert "2 of 4 due doses taken (50.0%)" in text
        assert "extra" in text
        assert result.to_markdown().startswith("# adherence as of 2027-01-02 20:00 EST")
        rows = list(csv.reader(io.StringIO(result.to_csv())))
        assert rows[0][:3] == ["scheduled", "actual", "status"]
        assert len(rows) == 1 + len(result.doses) + len(result.extra)
        assert rows[-1][2] == "extra"


def _brute(planned: list[int], logged: list[int], tol: int) -> tuple[int, int]:
    best = (0, 0)

    def walk(i: int, used: frozenset[int], count: int, cost: int) -> None:
        nonlocal best
        if i == len(planned):
            best = max(best, (count, -cost))
            return
        walk(i + 1, used, count, cost)
        for j, moment in enumerate(logged):
            if j not in used and abs(planned[i] - moment) <= tol:
                walk(i + 1, used | {j}, count + 1, cost + abs(planned[i] - moment))

    walk(0, frozenset(), 0, 0)
    return best


class TestMatching:
    @given(
        st.lists(st.integers(0, 80), max_size=6).map(sorted),
        st.lists(st.integers(0, 80), max_size=6).map(sorted),
        st.integers(0, 20),
    )
    @example(planned=[0, 1, 21], logged=[1, 21, 41], tol=20)  # three pairs, not two
    def test_matching_is_optimal(
        self, planned: list[int], logged: list[int], tol: int
    ) -> None:
        """The matching has the most pairs, then the least total distance (brute force)."""
        pairs = match(planned, logged, tol)
        assert len({a for a, _ in pairs}) == len({b for _, b in pairs}) == len(pairs)
        assert all(abs(planned[a] - logged[b]) <= tol for a, b in pairs)
        value = (len(pairs), -sum(abs(planned[a] - logged[b]) for a, b in pairs))
        assert value == _brute(planned, logged, tol)

    def test_too_dense_is_refused(self) -> None:
        """More possible pairs than the budget raise instead of running for minutes."""
        side = int(MAX_MATCHING_WORK**0.5) + 2
        with pytest.raises(RegimenError, match="possible pairs"):
            match(list(range(side)), list(range(side)), side)

    @given(st.data())
    def test_adherence_agrees_with_brute_force(self, data: st.DataObject) -> None:
        """Matched doses and their total delay are optimal on small random logs."""
        times = data.draw(
            st.lists(
                st.sampled_from(["06:00", "08:00", "09:30", "13:00"]),
                min_size=1,
                max_size=3,
                unique=True,
            )
        )
        plan = _plan(Entry(kratom(), Schedule.daily(*times)), end="2027-01-02")
        offsets = data.draw(st.lists(st.integers(0, 48 * 60), max_size=6))
        log = Timeline(
            [
                DoseEvent(
                    datetime(2027, 1, 1, 5, tzinfo=UTC) + timedelta(minutes=m), kratom()
                )
                for m in offsets
            ]
        )
        result = adherence(plan, log, at=_at(3, 12))
        tol = 2 * 3600 * 10**6
        planned = [r.planned.timestamp_us for r in result.doses]
        logged = [e.timestamp_us for e in log]
        matched = [r for r in result.doses if r.taken is not None]
        cost = sum(
            abs(r.taken.timestamp_us - r.planned.timestamp_us)
            for r in matched
            if r.taken
        )
        assert (len(matched), -cost) == _brute(planned, logged, tol)
        assert len(matched) + len(result.extra) == len(log)
        assert isinstance(result, Adherence)


class TestCommand:
    def test_adherence_command_reads_plan_and_log(self) -> None:
        """`regimen adherence` prints every status of the example, in each format."""
        import io

        from regimen._cli import main

        def run(*args: str) -> tuple[int, str, str]:
            out, err = io.StringIO(), io.StringIO()
            code = main(list(args), stdout=out, stderr=err, stdin=io.StringIO(""))
            return code, out.getvalue(), err.getvalue()

        example = str(EXAMPLES / "reminders.toml")
        at = "2027-01-06T21:00:00-05:00"
        code, text, _ = run("adherence", example, "--at", at)
        assert code == 0
        assert text.startswith(
            "adherence as of 2027-01-06 21:00 EST: 5 of 6 due doses taken"
        )
        for status in ("late", "early", "missed", "extra"):
            assert f"  {status}  " in text
        rows = list(
            csv.reader(
                io.StringIO(run("adherence", example, "--at", at, "--format", "csv")[1])
            )
        )
        assert [r[2] for r in rows[1:]] == [
            "taken",
            "taken",
            "late",
            "early",
            "missed",
            "taken",
            "upcoming",
            "upcoming",
            "extra",
        ]
        data = json.loads(run("adherence", example, "--at", at, "--format", "json")[1])
        assert data["overall"] == {"taken": 5, "due": 6, "rate": "83.3%"}
        assert run("adherence", example, "--at", at, "--format", "md")[1].startswith(
            "# adherence"
        )
        wide = json.loads(
            run(
                "adherence",
                example,
                "--at",
                at,
                "--format",
                "json",
                "--tolerance",
                "30 min",
            )[1]
        )
        # The 80-min-late kefir and the 45-min-early green dose no longer match.
        assert wide["counts"]["missed"] == 3
        code, _, err = run("adherence", str(EXAMPLES / "wellness.toml"), "--at", at)
        assert code == 2
        assert "needs a file with both a plan and a log" in err


class TestEdgesOfTheWindow:
    """A start after the horizon, an at near the end of the range, a huge upcoming."""

    PLAN = Plan(
        "p",
        timezone="America/New_York",
        start="2027-01-01",
        entries=[Entry(Dose(MAENG_DA, "1 g"), Schedule.daily("08:00"))],
    )

    def test_start_after_the_horizon_plans_nothing(self) -> None:
        """A start past at + upcoming leaves no planned dose (not the horizon's day)."""
        at = datetime(2027, 1, 5, 12, tzinfo=ZoneInfo("America/New_York"))
        result = adherence(self.PLAN, Timeline([]), at=at, start="2027-02-01")
        assert result.doses == ()

    def test_at_past_the_range_in_a_western_zone(self) -> None:
        """9999-12-31 20:00 at UTC-05:00 (past year 9999 in UTC) is refused with the range."""
        at = datetime(9999, 12, 31, 20, tzinfo=timezone(timedelta(hours=-5)))
        with pytest.raises(ValueError, match="adherence\\(\\) at"):
            adherence(self.PLAN, Timeline([]), at=at)

    def test_upcoming_of_millennia_stops_at_the_range(self) -> None:
        """An upcoming window past 9998 reaches the end of the range, without an overflow."""
        plan = attrs.evolve(self.PLAN, end=date(2027, 1, 10))
        at = datetime(2027, 1, 5, 12, tzinfo=ZoneInfo("America/New_York"))
        result = adherence(
            plan, Timeline([]), at=at, upcoming=timedelta(days=3_000_000)
        )
        assert len(result.doses) == 10
