"""from_ics() and ``regimen import-ics`` (issue 13): calendars back into plans."""

from __future__ import annotations

import contextlib
import io
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from regimen import (
    Bundle,
    CalendarEvent,
    Dose,
    Entry,
    Plan,
    RegimenError,
    Schedule,
    dumps,
    from_ics,
    load,
    to_ics,
)
from regimen._cli import main
from regimen.strategies import plans

from .helpers import MAENG_DA, kefir, kratom
from .ics_readers import expand_dateutil

ZONES = st.sampled_from(["America/New_York", "Europe/Dublin", "Australia/Lord_Howe"])
STAMP = datetime(2027, 1, 1, tzinfo=UTC)
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def facts(plan: Plan) -> list[tuple[datetime, str, str, bool]]:
    """Return the timeline as (instant in UTC, product, amount, as needed), in order."""
    return sorted(
        (e.at.astimezone(UTC), e.product.name, str(e.amount), e.as_needed)
        for e in plan.timeline()
    )


def writable(plan: Plan) -> bool:
    """Tell whether the plan has a file form (no two products or substances share a name)."""
    try:
        dumps(Bundle(plan))
    except ValueError:
        return False
    return True


def edited(text: str) -> str:
    """Drop the digest, as if a calendar app had changed the file."""
    unfolded = text.replace("\r\n ", "")
    assert "X-REGIMEN-DIGEST:" in unfolded
    return re.sub(r"X-REGIMEN-DIGEST:[0-9a-f]+\r\n", "", unfolded)


def calendar(*events: str) -> str:
    """Wrap VEVENT bodies (lines joined by newlines) into a calendar with CRLF."""
    body = "".join(f"BEGIN:VEVENT\n{e.strip()}\nEND:VEVENT\n" for e in events)
    return f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:test\n{body}END:VCALENDAR\n".replace(
        "\n", "\r\n"
    )


class TestRoundTrip:
    @given(plan=plans(timezones=ZONES, max_days=45))
    def test_own_file_comes_back_as_the_plan(self, plan: Plan) -> None:
        """An unedited file regimen wrote reads back as the very plan (if it has a file form)."""
        assume(writable(plan) and plan.timeline())
        read = from_ics(to_ics(plan, stamp=STAMP))
        assert read.plan == plan
        assert read.skipped == ()

    @given(plan=plans(timezones=ZONES, max_days=45), recurring=st.booleans())
    def test_edited_file_gives_the_same_timeline(
        self, plan: Plan, recurring: bool
    ) -> None:
        """Read from its events alone, a file gives the same dose events (both export modes)."""
        assume(writable(plan) and plan.timeline())
        read = from_ics(edited(to_ics(plan, stamp=STAMP, recurring=recurring)))
        assert read.skipped == ()
        assert facts(read.plan) == facts(plan)

    def test_broken_embedded_plan_is_named(self) -> None:
        """A damaged X-REGIMEN-PLAN is the reason given for each event left unread."""
        plan = load(EXAMPLES / "wellness.toml").plan
        assert plan is not None
        text = edited(to_ics(plan)).replace("X-REGIMEN-PLAN:{", "X-REGIMEN-PLAN:[", 1)
        with pytest.raises(RegimenError, match="X-REGIMEN-PLAN cannot be read"):
            from_ics(text)

    def test_wellness_example(self) -> None:
        """The example plan, over ten years, comes back whole; edited, its events do."""
        plan = load(EXAMPLES / "wellness.toml").plan
        assert plan is not None
        text = to_ics(plan)
        assert from_ics(text).plan == plan
        again = from_ics(edited(text)).plan
        assert facts(again) == facts(plan)
        assert again.timezone == plan.timezone
        assert again.name == plan.name

    def test_edit_in_regimen_replaces_the_series(self) -> None:
        """Moving an entry from 08:00 to 08:15 and exporting again: same UIDs, new times."""

        def plan(at: str) -> Plan:
            return Plan(
                "p",
                timezone="Europe/Berlin",
                start="2027-01-01",
                end="2027-01-31",
                entries=[Entry(kratom(), Schedule.daily(at))],
            )

        before = to_ics(plan("08:00"), stamp=STAMP)
        after = to_ics(plan("08:15"), stamp=STAMP + timedelta(hours=1))
        uid = re.compile(r"UID:(\S+)")
        assert uid.findall(before) == uid.findall(after)
        assert from_ics(after).plan == plan("08:15")


TEA_MAP = {"Kefir": kefir(), "Kratom": kratom()}


class TestOtherCalendars:
    def test_count_until_exdate_rdate(self) -> None:
        """COUNT, UNTIL in UTC (excluding a day whose time is after it), EXDATE, RDATE."""
        text = calendar(
            """UID:a
SUMMARY:Kefir
DTSTART;TZID=America/New_York:20270301T080000
RRULE:FREQ=DAILY;COUNT=5
EXDATE;TZID=America/New_York:20270302T080000
RDATE;TZID=America/New_York:20270310T090000""",
            # UNTIL 12:59 UTC on 03-05 is 07:59 in New York: that day's 08:00 is after it.
            """UID:b
SUMMARY:kratom
DTSTART;TZID=America/New_York:20270301T080000
RRULE:FREQ=DAILY;UNTIL=20270305T125900Z""",
        )
        read = from_ics(text, doses=TEA_MAP)
        assert read.skipped == ()
        got = sorted(e.at.astimezone(UTC) for e in read.plan.timeline())
        assert got == expand_dateutil(text)
        days = [e.at.day for e in read.plan.timeline() if e.product.name == "Maeng Da"]
        assert days == [1, 2, 3, 4]

    def test_callback_sees_the_event(self) -> None:
        """A function maps events to doses; None skips the event with its UID and reason."""
        text = calendar(
            "UID:x1\nSUMMARY:Meds\nLOCATION:kitchen\nDTSTART:20270301T080000Z",
            "UID:x2\nSUMMARY:Dentist\nDTSTART:20270302T080000Z",
        )
        seen: list[CalendarEvent] = []

        def dose_of(event: CalendarEvent) -> Dose | None:
            seen.append(event)
            return kratom() if event.summary == "Meds" else None

        read = from_ics(text, doses=dose_of, timezone="Europe/Berlin")
        assert [e.properties["LOCATION"] for e in seen[:1]] == ["kitchen"]
        assert seen[0].start == datetime(2027, 3, 1, 8, tzinfo=UTC)
        assert [(s.uid, s.summary) for s in read.skipped] == [("x2", "Dentist")]
        assert "no dose" in read.skipped[0].reason
        (event,) = read.plan.timeline()
        assert event.at.isoformat() == "2027-03-01T09:00:00+01:00"

    def test_every_unreadable_event_is_reported(self) -> None:
        """All-day, unknown zone, endless rule, cancelled: each named with its reason."""
        text = calendar(
            "UID:ok\nSUMMARY:Kefir\nDTSTART:20270301T080000Z",
            "UID:day\nSUMMARY:Kefir\nDTSTART;VALUE=DATE:20270301",
            "UID:zone\nSUMMARY:Kefir\nDTSTART;TZID=W. Europe Standard Time:20270301T080000",
            "UID:forever\nSUMMARY:Kefir\nDTSTART:20270301T080000Z\nRRULE:FREQ=DAILY",
            "UID:gone\nSUMMARY:Kefir\nSTATUS:CANCELLED\nDTSTART:20270301T080000Z",
            "UID:hourly\nSUMMARY:Kefir\nDTSTART:20270301T080000Z\nRRULE:FREQ=WEEKLY;BYHOUR=8;COUNT=2",
            "UID:sub\nSUMMARY:Kefir\nDTSTART:20270301T080000Z\nRRULE:FREQ=HOURLY;COUNT=2",
        )
        read = from_ics(text, doses=TEA_MAP)
        reasons = {s.uid: s.reason for s in read.skipped}
        assert set(reasons) == {"day", "zone", "forever", "gone", "hourly", "sub"}
        assert "all-day" in reasons["day"]
        assert "IANA" in reasons["zone"]
        assert "end=" in reasons["forever"]
        assert "CANCELLED" in reasons["gone"]
        assert "BYHOUR" in reasons["hourly"]
        assert "within a day" in reasons["sub"]
        assert len(read.entries) == 1

    def test_zone_names_from_other_apps(self) -> None:
        """A TZID that is a path ending in an IANA name, or a VTIMEZONE's X-LIC-LOCATION, is read."""
        text = calendar(
            "UID:p\nSUMMARY:Kefir\nDTSTART;TZID=/mozilla.org/20050126_1/Europe/Berlin:20270301T080000",
            "UID:q\nSUMMARY:Kefir\nDTSTART;TZID=Berlin time:20270302T080000",
        ).replace(
            "BEGIN:VEVENT",
            "BEGIN:VTIMEZONE\r\nTZID:Berlin time\r\nX-LIC-LOCATION:Europe/Berlin\r\n"
            "END:VTIMEZONE\r\nBEGIN:VEVENT",
            1,
        )
        read = from_ics(text, doses=TEA_MAP)
        assert read.skipped == ()
        assert [e.at.isoformat() for e in read.plan.timeline()] == [
            "2027-03-01T08:00:00+01:00",
            "2027-03-02T08:00:00+01:00",
        ]

    def test_endless_rule_read_up_to_end(self) -> None:
        """With end=, a rule without COUNT or UNTIL is read up to that day."""
        text = calendar(
            "UID:f\nSUMMARY:Kefir\nDTSTART:20270301T080000Z\nRRULE:FREQ=WEEKLY"
        )
        read = from_ics(text, doses=TEA_MAP, end=date(2027, 3, 31))
        assert [e.at.day for e in read.plan.timeline()] == [1, 8, 15, 22, 29]

    def test_recurrence_id_moves_one_instance(self) -> None:
        """An override (RECURRENCE-ID) replaces its instance; nothing is counted twice."""
        text = calendar(
            "UID:r\nSUMMARY:Kefir\nDTSTART:20270301T080000Z\nRRULE:FREQ=DAILY;COUNT=3",
            "UID:r\nSUMMARY:Kefir\nRECURRENCE-ID:20270302T080000Z\nDTSTART:20270302T100000Z",
        )
        read = from_ics(text, doses=TEA_MAP, timezone="UTC")
        hours = [(e.at.day, e.at.hour) for e in read.plan.timeline()]
        assert hours == [(1, 8), (2, 10), (3, 8)]

    @pytest.mark.parametrize(
        ("rule", "start"),
        [
            # RFC 5545 §3.8.5.3 examples (day-based, bounded), New York.
            ("FREQ=DAILY;COUNT=10", "19970902T090000"),
            ("FREQ=DAILY;UNTIL=19971224T000000Z", "19970902T090000"),
            ("FREQ=DAILY;INTERVAL=2;COUNT=8", "19970902T090000"),
            ("FREQ=DAILY;INTERVAL=10;COUNT=5", "19970902T090000"),
            ("FREQ=WEEKLY;COUNT=10", "19970902T090000"),
            ("FREQ=WEEKLY;UNTIL=19971224T000000Z", "19970902T090000"),
            (
                "FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH",
                "19970902T090000",
            ),
            ("FREQ=WEEKLY;INTERVAL=2;WKST=SU;BYDAY=TU,TH;COUNT=8", "19970902T090000"),
            ("FREQ=MONTHLY;COUNT=10;BYDAY=1FR", "19970905T090000"),
            ("FREQ=MONTHLY;BYMONTHDAY=-3;COUNT=6", "19970928T090000"),
            ("FREQ=YEARLY;COUNT=10;BYMONTH=6,7", "19970610T090000"),
            ("FREQ=MONTHLY;BYDAY=TU,WE,TH;BYSETPOS=3;COUNT=3", "19970904T090000"),
            (
                "FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8;COUNT=3",
                "19961105T090000",
            ),
            ("FREQ=YEARLY;BYMONTH=3;BYDAY=TH;COUNT=4", "19970313T090000"),
        ],
    )
    def test_rfc_examples_agree_with_dateutil(self, rule: str, start: str) -> None:
        """The plan read from an RFC 5545 example expands to what dateutil expands."""
        text = calendar(
            f"UID:rfc\nSUMMARY:Kefir\nDTSTART;TZID=America/New_York:{start}\nRRULE:{rule}"
        )
        read = from_ics(text, doses=TEA_MAP)
        assert read.skipped == ()
        got = sorted(e.at.astimezone(UTC) for e in read.plan.timeline())
        assert got == expand_dateutil(text)


class TestHostileInput:
    @pytest.mark.parametrize(
        "text",
        [
            "",
            "hello",
            "BEGIN:VCALENDAR\r\n",
            "BEGIN:VCALENDAR\r\nEND:VEVENT\r\n",
            "SUMMARY:x\r\n",
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nX;Y:1\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "BEGIN:VCALENDAR\r\n" + "BEGIN:X\r\n" * 50,
            'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;TZID="a:20270101T000000\r\n',
            calendar("UID:1\nSUMMARY:Kefir\nDTSTART:99999999T999999Z"),
            calendar(
                "UID:1\nSUMMARY:Kefir\nDTSTART:20270101T080000Z\nRRULE:FREQ=DAILY;INTERVAL=0;COUNT=3"
            ),
            calendar(
                "UID:1\nSUMMARY:Kefir\nDTSTART:20270101T080000Z\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=2"
            ),
            calendar(
                "UID:1\nSUMMARY:Kefir\nDTSTART:20270101T080000Z\nRRULE:FREQ=DAILY;COUNT=999999999999"
            ),
        ],
    )
    def test_only_regimen_errors(self, text: str) -> None:
        """Malformed or hostile calendars raise RegimenError (or skip the event), quickly."""
        try:
            read = from_ics(text, doses=TEA_MAP, max_events=10_000)
        except RegimenError:
            return
        raise AssertionError(f"read {read!r}")  # pragma: no cover - must not happen

    @given(
        st.lists(
            st.sampled_from(
                [
                    "BEGIN:VCALENDAR",
                    "END:VCALENDAR",
                    "BEGIN:VEVENT",
                    "END:VEVENT",
                    "SUMMARY:Kefir",
                    "UID:u",
                    "DTSTART:20270101T080000Z",
                    "DTSTART;TZID=Europe/Berlin:20270331T023000",
                    "DTSTART;VALUE=DATE:20270101",
                    "RRULE:FREQ=DAILY;COUNT=3",
                    "RRULE:FREQ=MONTHLY;BYMONTHDAY=31;UNTIL=20300101",
                    "RRULE:FREQ=WEEKLY",
                    "EXDATE:20270102T080000Z",
                    "RDATE;VALUE=PERIOD:20270101T080000Z/PT1H",
                    "RECURRENCE-ID:20270102T080000Z",
                    " continued",
                    "X-REGIMEN-PLAN:{",
                    "X-REGIMEN-DIGEST:00",
                    ";",
                    ":",
                    "",
                ]
            ),
            max_size=20,
        )
    )
    def test_fragments(self, lines: list[str]) -> None:
        """Any arrangement of calendar fragments reads or raises RegimenError, nothing else."""
        with contextlib.suppress(RegimenError):
            from_ics("\r\n".join(lines), doses=TEA_MAP, max_events=5000)

    def test_bytes_are_refused(self) -> None:
        """Bytes raise TypeError saying to decode them."""
        with pytest.raises(TypeError, match="decode"):
            from_ics(b"BEGIN:VCALENDAR")  # type: ignore[arg-type]


def run(*args: str) -> tuple[int, str, str]:
    """Run the command in this process; return (status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err, stdin=io.StringIO(""))
    return code, out.getvalue(), err.getvalue()


MAP = """
[[substances]]
name = "kefir"

[[products]]
name = "milk kefir"
per = "1 fl oz"
contents = { kefir = "1 fl oz" }

[map]
"Kefir" = { product = "milk kefir", amount = "6 fl oz" }
"""


class TestCommand:
    def test_import_with_a_map(self, tmp_path: Path) -> None:
        """import-ics writes the plan; a skipped event is named on stderr with exit status 1."""
        ics = tmp_path / "in.ics"
        ics.write_text(
            calendar(
                "UID:k\nSUMMARY:Kefir\nDTSTART;TZID=Europe/Berlin:20270301T080000\nRRULE:FREQ=DAILY;COUNT=3",
                "UID:d\nSUMMARY:Dentist\nDTSTART;TZID=Europe/Berlin:20270301T140000",
            ),
            newline="",
        )
        (tmp_path / "map.toml").write_text(MAP)
        out = tmp_path / "plan.toml"
        code, _, err = run(
            "import-ics", str(ics), "--map", str(tmp_path / "map.toml"), "-o", str(out)
        )
        assert code == 1
        assert "skipped d (Dentist): no dose" in err
        plan = load(out).plan
        assert plan is not None
        assert [e.at.isoformat() for e in plan.timeline()] == [
            "2027-03-01T08:00:00+01:00",
            "2027-03-02T08:00:00+01:00",
            "2027-03-03T08:00:00+01:00",
        ]

    def test_round_trip_through_the_command_line(self, tmp_path: Path) -> None:
        """Regimen ics then import-ics (no map) gives back the plan; exit status 0."""
        ics = tmp_path / "w.ics"
        out = tmp_path / "w.json"
        assert run("ics", str(EXAMPLES / "wellness.toml"), "-o", str(ics))[0] == 0
        code, _, err = run("import-ics", str(ics), "-o", str(out))
        assert (code, err) == (0, "")
        assert load(out).plan == load(EXAMPLES / "wellness.toml").plan

    def test_bad_map_names_the_path(self, tmp_path: Path) -> None:
        """An unknown product in the map is a LoadError with its path; exit status 2."""
        (tmp_path / "map.toml").write_text(
            MAP.replace('product = "milk kefir"', 'product = "kombucha"')
        )
        (tmp_path / "in.ics").write_text(
            calendar("UID:k\nSUMMARY:Kefir\nDTSTART:20270301T080000Z")
        )
        code, _, err = run(
            "import-ics",
            str(tmp_path / "in.ics"),
            "--map",
            str(tmp_path / "map.toml"),
            "-o",
            "-",
        )
        assert code == 2
        assert "map.'Kefir'.product: unknown product 'kombucha'" in err

    def test_per_dose_flag(self, tmp_path: Path) -> None:
        """Regimen ics --per-dose writes one VEVENT per dose."""
        out = tmp_path / "d.ics"
        code, _, _ = run(
            "ics",
            str(EXAMPLES / "wellness.toml"),
            "--days",
            "2",
            "--per-dose",
            "-o",
            str(out),
        )
        assert code == 0
        assert out.read_bytes().count(b"BEGIN:VEVENT") == 12
        assert b"RRULE" not in out.read_bytes()


def test_top_ups_round_trip() -> None:
    """As-needed top-ups after midnight keep their as-needed mark through an edited file."""
    from regimen import top_ups

    entries = top_ups(
        MAENG_DA,
        first="1 g",
        step="0.5 g",
        every=timedelta(minutes=45),
        up_to="2 g",
        schedule=Schedule.daily("23:30"),
    )
    plan = Plan(
        "s",
        timezone="America/New_York",
        start="2027-11-05",
        end="2027-11-08",
        entries=entries,
    )
    read = from_ics(edited(to_ics(plan)))
    assert facts(read.plan) == facts(plan)
