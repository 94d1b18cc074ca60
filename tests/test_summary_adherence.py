"""summarize() with a log: the adherence section, against adherence() itself."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regimen import (
    Dose,
    DoseEvent,
    Entry,
    Plan,
    Profile,
    Schedule,
    Timeline,
    adherence,
    load,
    summarize,
)
from regimen import strategies as rs
from regimen._cli import main
from regimen._format import moment

from .helpers import GREEN_MALAY, kefir, kratom

NY = ZoneInfo("America/New_York")
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
REMINDERS = str(EXAMPLES / "reminders.toml")
AT = "2027-01-06T21:00:00-05:00"


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err, stdin=io.StringIO(""))
    return code, out.getvalue(), err.getvalue()


def _section(text: str) -> list[str]:
    """Return the lines of the text rendering's adherence section."""
    lines = text.splitlines()
    first = next(
        i for i, line in enumerate(lines) if line.startswith("Adherence as of")
    )
    rest = lines[first:]
    return rest[: rest.index("")] if "" in rest else rest


def _plan(*entries: Entry) -> Plan:
    return Plan(
        "p",
        timezone="America/New_York",
        start="2027-01-01",
        end="2027-01-07",
        entries=entries,
    )


@st.composite
def cases(draw: st.DrawFn) -> tuple[Plan, Timeline, datetime, Profile | None]:
    """Draw a plan, a log of it (some doses moved, left out or added) and a moment."""
    plan = draw(rs.plans(max_days=10, max_entries=3))
    where = ZoneInfo(plan.timezone)
    assert plan.end is not None
    planned = list(plan.timeline())
    events = []
    for event in planned[:60]:
        if draw(st.integers(0, 3)) == 0:  # left out: missed, due or upcoming
            continue
        moved = event.at + timedelta(minutes=draw(st.integers(-180, 180)))
        events.append(DoseEvent(moved, event.dose, note="logged"))
    doses = [e.dose for e in planned] or [kratom()]
    length = (plan.end - plan.start).days + 1
    midnight = datetime.combine(plan.start, time(0), where)
    for minutes in draw(st.lists(st.integers(0, length * 1440 - 1), max_size=3)):
        events.append(
            DoseEvent(
                midnight + timedelta(minutes=minutes), draw(st.sampled_from(doses))
            )
        )
    # Only doses logged on the plan's dates: then the summary's period is
    # the whole of adherence()'s, and the two must agree exactly.
    inside = [
        e for e in events if plan.start <= e.at.astimezone(where).date() <= plan.end
    ]
    # Mostly near a planned dose (so that doses are due), sometimes anywhere.
    anywhere = draw(st.integers(0, 3)) == 0
    if planned and not anywhere:
        near = draw(st.sampled_from(planned)).at
    else:
        near = midnight + timedelta(minutes=draw(st.integers(-1440, length * 1440)))
    at = near + timedelta(minutes=draw(st.integers(-300, 3000)))
    profile = draw(
        st.none() | st.builds(Profile, day_start=st.sampled_from([time(0), time(4)]))
    )
    return plan, Timeline(inside), at, profile


class TestAgreesWithAdherence:
    @given(cases())
    def test_section_is_adherence_of_the_plan(
        self, case: tuple[Plan, Timeline, datetime, Profile | None]
    ) -> None:
        """summary.adherence, its dict and its rates are adherence(plan, log, at=...)."""
        plan, log, at, profile = case
        day_start = profile.day_start if profile is not None else time(0)
        expected = adherence(plan, log, at=at, day_start=day_start)
        summary = summarize(plan, profile, log=log, at=at)
        assert summary.adherence == expected
        data = expected.to_dict()
        assert summary.to_dict()["adherence"] == data
        section = _section(summary.to_text())
        assert section[0] == f"Adherence as of {moment(at)}"
        overall = data["overall"]
        if overall["due"]:
            assert section[1] == (
                f"  overall: {overall['taken']} of {overall['due']} due doses "
                f"taken ({overall['rate']})"
            )
        rows = {}
        for line in section[5:]:
            cells = line.split()
            rows[" ".join(cells[:-3])] = cells[-3:]
        assert rows == {
            name: [str(r["taken"]), str(r["due"]), r["rate"] or "-"]
            for name, r in data["products"].items()
        }
        for status, n in data["counts"].items():
            word = "taken on time" if status == "taken" else status
            assert (f" {n} {word}" in section[2]) == (n > 0)
        markdown = summary.to_markdown()
        assert f"## Adherence as of {moment(at)}\n" in markdown
        for name, r in data["products"].items():
            assert f"| {name} | {r['taken']} | {r['due']} | {r['rate'] or '-'} |" in (
                markdown
            )

    @given(cases(), st.data())
    def test_a_window_keeps_its_own_days(
        self, case: tuple[Plan, Timeline, datetime, Profile | None], data: st.DataObject
    ) -> None:
        """With start and end, the section holds the window's planned doses and its extras."""
        plan, log, at, profile = case
        assert plan.end is not None
        length = (plan.end - plan.start).days
        first = plan.start + timedelta(days=data.draw(st.integers(0, length)))
        last = first + timedelta(
            days=data.draw(st.integers(0, plan.end.toordinal() - first.toordinal()))
        )
        summary = summarize(plan, profile, start=first, end=last, log=log, at=at)
        result = summary.adherence
        assert result is not None
        horizon = at.astimezone(UTC) + timedelta(hours=24)  # elapsed, not wall time
        assert [r.planned for r in result.doses] == [
            e for e in plan.timeline(first, last) if e.at <= horizon
        ]
        where = ZoneInfo(plan.timezone)
        assert all(first <= e.at.astimezone(where).date() <= last for e in result.extra)
        assert all(e.at <= at for e in result.extra)
        matched = [r.taken for r in result.doses if r.taken is not None]
        # Every logged dose of the window's days, up to at, is matched or extra.
        for event in log:
            if event.at <= at and first <= event.at.astimezone(where).date() <= last:
                assert event in matched or event in result.extra


class TestExamples:
    def test_a_plan_with_a_log(self) -> None:
        """The example's section: rates per product, counts by status, next due."""
        bundle = load(REMINDERS)
        assert bundle.plan is not None
        assert bundle.log is not None
        at = datetime.fromisoformat(AT).astimezone(NY)
        summary = summarize(bundle.plan, bundle.profile, log=bundle.log, at=at)
        assert _section(summary.to_text()) == [
            "Adherence as of 2027-01-06 21:00 EST",
            "  overall: 5 of 6 due doses taken (83.3%)",
            "  by status: 3 taken on time, 1 early, 1 late, 1 missed, 2 upcoming; 1 extra",
            "  next due: 2027-01-07 08:00 EST: 6 fl oz milk kefir (upcoming)",
            "  product      taken  due  rate",
            "  milk kefir   2      3    66.7%",
            "  Green Malay  3      3    100.0%",
        ]
        markdown = summary.to_markdown()
        assert markdown.endswith(
            "## Adherence as of 2027-01-06 21:00 EST\n\n"
            "* overall: 5 of 6 due doses taken (83.3%)\n"
            "* by status: 3 taken on time, 1 early, 1 late, 1 missed, 2 upcoming; 1 extra\n"
            "* next due: 2027-01-07 08:00 EST: 6 fl oz milk kefir (upcoming)\n\n"
            "| product | taken | due | rate |\n"
            "|---|---|---|---|\n"
            "| milk kefir | 2 | 3 | 66.7% |\n"
            "| Green Malay | 3 | 3 | 100.0% |\n"
        )

    def test_a_one_day_window(self) -> None:
        """A window of 2027-01-05 holds that day's doses and that day's extra dose only."""
        bundle = load(REMINDERS)
        assert bundle.plan is not None
        summary = summarize(
            bundle.plan,
            bundle.profile,
            start="2027-01-05",
            end="2027-01-05",
            log=bundle.log,
            at=datetime.fromisoformat(AT),
        )
        result = summary.adherence
        assert result is not None
        assert [r.status.label for r in result.doses] == ["late", "early"]
        assert [str(e.amount) for e in result.extra] == ["1 g"]
        assert result.rate() == 1

    def test_a_window_without_days(self) -> None:
        """A window outside the plan's dates has nothing planned and nothing extra."""
        bundle = load(REMINDERS)
        assert bundle.plan is not None
        summary = summarize(
            bundle.plan,
            start="2028-01-01",
            end="2028-01-02",
            log=bundle.log,
            at=datetime.fromisoformat(AT),
        )
        assert summary.adherence is not None
        assert (summary.adherence.doses, summary.adherence.extra) == ((), ())
        assert _section(summary.to_text())[1:3] == [
            "  overall: nothing due yet to rate",
            "  by status: none",
        ]

    def test_without_a_log_there_is_no_section(self) -> None:
        """No log, no adherence: None in the dict, no section in the renderings."""
        summary = summarize(_plan(Entry(kratom(), Schedule.daily("08:00"))))
        assert summary.adherence is None
        assert summary.to_dict()["adherence"] is None
        assert "Adherence" not in summary.to_text()
        assert "Adherence" not in summary.to_markdown()

    def test_a_log_alone_has_nothing_to_compare(self) -> None:
        """Summarizing a Timeline leaves adherence None."""
        log = Timeline([DoseEvent(datetime(2027, 1, 1, 8, tzinfo=NY), kefir())])
        assert summarize(log).adherence is None


class TestArguments:
    def test_mistakes_are_named(self) -> None:
        """Each misuse raises, naming the argument and the fix."""
        plan = _plan(Entry(Dose(GREEN_MALAY, "2 g"), Schedule.daily("14:00")))
        log = Timeline(
            [DoseEvent(datetime(2027, 1, 1, 14, tzinfo=NY), Dose(GREEN_MALAY, "2 g"))]
        )
        at = datetime(2027, 1, 2, tzinfo=NY)
        with pytest.raises(ValueError, match=r"at is needed with a log.*aware moment"):
            summarize(plan, log=log)
        with pytest.raises(ValueError, match=r"at=.*needs a log.*pass log= too"):
            summarize(plan, at=at)
        with pytest.raises(
            ValueError, match=r"at must be an aware datetime.*add a tzinfo"
        ):
            summarize(plan, log=log, at=datetime(2027, 1, 2))
        with pytest.raises(ValueError, match=r"at must be between 0002-01-01 and"):
            summarize(plan, log=log, at=datetime(9999, 12, 31, 23, tzinfo=NY))
        with pytest.raises(TypeError, match="log must be a Timeline"):
            summarize(plan, log=[], at=at)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match=r"subject is a Timeline.*pass the Plan"):
            summarize(log, log=log, at=at)


class TestCommand:
    def test_summary_of_a_plan_and_its_log(self) -> None:
        """`regimen summary` on the example ends with the adherence section, as of --at."""
        code, out, err = run("summary", REMINDERS, "--at", AT)
        assert (code, err) == (0, "")
        assert _section(out)[1] == "  overall: 5 of 6 due doses taken (83.3%)"
        # Without an offset, --at is read in the plan's zone, as for adherence.
        assert run("summary", REMINDERS, "--at", "2027-01-06T21:00")[1] == out
        _, md, _ = run("summary", REMINDERS, "--at", AT, "--format", "md")
        assert "| milk kefir | 2 | 3 | 66.7% |" in md

    def test_json_matches_regimen_adherence(self) -> None:
        """The summary's adherence key is what `regimen adherence --format json` prints."""
        _, out, _ = run("summary", REMINDERS, "--at", AT, "--format", "json")
        _, alone, _ = run("adherence", REMINDERS, "--at", AT, "--format", "json")
        data = json.loads(out)
        assert data["adherence"] == json.loads(alone)
        assert data["adherence"]["overall"] == {"taken": 5, "due": 6, "rate": "83.3%"}

    def test_no_section_without_a_plan_and_a_log(self) -> None:
        """Without a log, or with --log, there is no section, and --at is refused."""
        wellness = str(EXAMPLES / "wellness.toml")
        _, out, _ = run("summary", wellness, "--format", "json")
        assert json.loads(out)["adherence"] is None
        _, out, _ = run("summary", REMINDERS, "--log", "--format", "json")
        assert json.loads(out)["adherence"] is None
        for argv in (
            [wellness, "--at", AT],
            [REMINDERS, "--log", "--at", AT],
        ):
            code, out, err = run("summary", *argv)
            assert (code, out) == (2, "")
            assert err == (
                "regimen summary: --at is the moment of the adherence section, "
                "which needs a file with both a plan and a log (and no --log)\n"
            )

    def test_at_is_read_as_adherence_reads_it(self) -> None:
        """A bad --at gets the same message as `regimen adherence`."""
        code, _, err = run("summary", REMINDERS, "--at", "soon")
        _, _, alone = run("adherence", REMINDERS, "--at", "soon")
        assert code == 2
        assert err.split(": ", 1)[1] == alone.split(": ", 1)[1]
        assert "--at must be an ISO date and time" in err

    def test_the_docs_show_the_real_output(self) -> None:
        """docs/cli.md shows what the command prints for the example."""
        doc = (EXAMPLES.parent / "docs" / "cli.md").read_text()
        command = "$ regimen summary examples/reminders.toml --at 2027-01-06T21:00\n"
        shown = doc.split(command, 1)[1].split("```", 1)[0]
        assert run("summary", REMINDERS, "--at", "2027-01-06T21:00")[1] == shown
