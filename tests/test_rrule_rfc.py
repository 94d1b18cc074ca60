"""The recurrence examples of RFC 5545, section 3.8.5.3, as plans.

Each rule is given verbatim (DTSTART;TZID=America/New_York plus the RRULE,
folded where the RFC folds it) to ``Schedule.rrule`` without times, in a
plan in America/New_York, and the timeline must hold exactly the instances
the RFC lists, at 9:00 local time (EDT or EST as the RFC says). The
expected dates are copied from the RFC's text in its own notation
("September 2,9,16;October 7"), not computed. For the rules that run
forever the RFC lists the first instances and "..."; the plan then ends on
the last one it lists.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

import pytest

from regimen import Entry, Plan, Schedule

from .helpers import kratom

_MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        start=1,
    )
}


def listed(*years: str, at: str = "09:00") -> list[datetime]:
    """Return the instances of lines like ``"1997: September 2-30;October 1,3"``.

    A line may end in ``@ 09:00,12:00`` to give several times of day.
    """
    out = []
    for line in years:
        year_text, _, rest = line.partition(":")
        rest, _, times = rest.partition("@")
        clock = [
            time.fromisoformat(t.strip().zfill(5)) for t in (times or at).split(",")
        ]
        for chunk in rest.split(";"):
            m = re.fullmatch(r"\s*([A-Za-z]+)\s+([0-9,\s-]+)\s*", chunk)
            assert m is not None, chunk
            month = _MONTHS[m[1]]
            for item in m[2].replace(" ", "").split(","):
                low, _, high = item.partition("-")
                for day in range(int(low), int(high or low) + 1):
                    for t in clock:
                        out.append(
                            datetime.combine(date(int(year_text), month, day), t)
                        )
    return out


def instances(rule: str, end: date) -> list[datetime]:
    """Expand *rule* in a plan in New York from its DTSTART's day to *end*."""
    start = date.fromisoformat(re.search(r"DTSTART[^:]*:([0-9]{8})", rule)[1])  # type: ignore[index]
    plan = Plan(
        "rfc",
        timezone="America/New_York",
        start=start,
        end=end,
        entries=[Entry(kratom(), Schedule.rrule(rule))],
    )
    return [e.at.replace(tzinfo=None) for e in plan.timeline()]


NY = "DTSTART;TZID=America/New_York:"
# (title in the RFC, the rule's lines, the instances listed, whether it runs forever)
EXAMPLES = [
    (
        "Daily for 10 occurrences",
        NY + "19970902T090000\nRRULE:FREQ=DAILY;COUNT=10",
        listed("1997: September 2-11"),
        False,
    ),
    (
        "Daily until December 24, 1997",
        NY + "19970902T090000\nRRULE:FREQ=DAILY;UNTIL=19971224T000000Z",
        listed(
            "1997: September 2-30;October 1-25",
            "1997: October 26-31;November 1-30;December 1-23",
        ),
        False,
    ),
    (
        "Every other day - forever",
        NY + "19970902T090000\nRRULE:FREQ=DAILY;INTERVAL=2",
        listed(
            "1997: September 2,4,6,8,10,12,14,16,18,20,22,24,26,28,30;"
            "October 2,4,6,8,10,12,14,16,18,20,22,24",
            "1997: October 26,28,30;November 1,3,5,7,9,11,13,15,17,19,21,23,25,27,29;"
            "December 1,3",
        ),
        True,
    ),
    (
        "Every 10 days, 5 occurrences",
        NY + "19970902T090000\nRRULE:FREQ=DAILY;INTERVAL=10;COUNT=5",
        listed("1997: September 2,12,22;October 2,12"),
        False,
    ),
    (
        "Every day in January, for 3 years (yearly)",
        NY + "19980101T090000\n\nRRULE:FREQ=YEARLY;UNTIL=20000131T140000Z;\n"
        " BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA",
        listed("1998: January 1-31", "1999: January 1-31", "2000: January 1-31"),
        False,
    ),
    (
        "Every day in January, for 3 years (daily)",
        NY + "19980101T090000\n\nRRULE:FREQ=DAILY;UNTIL=20000131T140000Z;BYMONTH=1",
        listed("1998: January 1-31", "1999: January 1-31", "2000: January 1-31"),
        False,
    ),
    (
        "Weekly for 10 occurrences",
        NY + "19970902T090000\nRRULE:FREQ=WEEKLY;COUNT=10",
        listed(
            "1997: September 2,9,16,23,30;October 7,14,21",
            "1997: October 28;November 4",
        ),
        False,
    ),
    (
        "Weekly until December 24, 1997",
        NY + "19970902T090000\nRRULE:FREQ=WEEKLY;UNTIL=19971224T000000Z",
        listed(
            "1997: September 2,9,16,23,30;October 7,14,21",
            "1997: October 28;November 4,11,18,25;December 2,9,16,23",
        ),
        False,
    ),
    (
        "Every other week - forever",
        NY + "19970902T090000\nRRULE:FREQ=WEEKLY;INTERVAL=2;WKST=SU",
        listed(
            "1997: September 2,16,30;October 14",
            "1997: October 28;November 11,25;December 9,23",
            "1998: January 6,20;February 3, 17",
        ),
        True,
    ),
    (
        "Weekly on Tuesday and Thursday for five weeks (until)",
        NY
        + "19970902T090000\nRRULE:FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH",
        listed("1997: September 2,4,9,11,16,18,23,25,30;October 2"),
        False,
    ),
    (
        "Weekly on Tuesday and Thursday for five weeks (count)",
        NY + "19970902T090000\nRRULE:FREQ=WEEKLY;COUNT=10;WKST=SU;BYDAY=TU,TH",
        listed("1997: September 2,4,9,11,16,18,23,25,30;October 2"),
        False,
    ),
    (
        "Every other week on Monday, Wednesday, and Friday until December 24, 1997",
        NY
        + "19970901T090000\nRRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;\n"
        " BYDAY=MO,WE,FR",
        listed(
            "1997: September 1,3,5,15,17,19,29;October 1,3,13,15,17",
            "1997: October 27,29,31;November 10,12,14,24,26,28;December 8,10,12,22",
        ),
        False,
    ),
    (
        "Every other week on Tuesday and Thursday, for 8 occurrences",
        NY
        + "19970902T090000\nRRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH",
        listed("1997: September 2,4,16,18,30;October 2,14,16"),
        False,
    ),
    (
        "Monthly on the first Friday for 10 occurrences",
        NY + "19970905T090000\nRRULE:FREQ=MONTHLY;COUNT=10;BYDAY=1FR",
        listed(
            "1997: September 5;October 3",
            "1997: November 7;December 5",
            "1998: January 2;February 6;March 6;April 3",
            "1998: May 1;June 5",
        ),
        False,
    ),
    (
        "Monthly on the first Friday until December 24, 1997",
        NY + "19970905T090000\nRRULE:FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR",
        listed("1997: September 5; October 3", "1997: November 7; December 5"),
        False,
    ),
    (
        "Every other month on the first and last Sunday of the month for 10 occurrences",
        NY + "19970907T090000\nRRULE:FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU",
        listed(
            "1997: September 7,28",
            "1997: November 2,30",
            "1998: January 4,25;March 1,29",
            "1998: May 3,31",
        ),
        False,
    ),
    (
        "Monthly on the second-to-last Monday of the month for 6 months",
        NY + "19970922T090000\nRRULE:FREQ=MONTHLY;COUNT=6;BYDAY=-2MO",
        listed(
            "1997: September 22;October 20",
            "1997: November 17;December 22",
            "1998: January 19;February 16",
        ),
        False,
    ),
    (
        "Monthly on the third-to-the-last day of the month, forever",
        NY + "19970928T090000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=-3",
        listed(
            "1997: September 28",
            "1997: October 29;November 28;December 29",
            "1998: January 29;February 26",
        ),
        True,
    ),
    (
        "Monthly on the 2nd and 15th of the month for 10 occurrences",
        NY + "19970902T090000\nRRULE:FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15",
        listed(
            "1997: September 2,15;October 2,15",
            "1997: November 2,15;December 2,15",
            "1998: January 2,15",
        ),
        False,
    ),
    (
        "Monthly on the first and last day of the month for 10 occurrences",
        NY + "19970930T090000\nRRULE:FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1",
        listed(
            "1997: September 30;October 1",
            "1997: October 31;November 1,30;December 1,31",
            "1998: January 1,31;February 1",
        ),
        False,
    ),
    (
        "Every 18 months on the 10th thru 15th of the month for 10 occurrences",
        NY
        + "19970910T090000\nRRULE:FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,\n"
        " 13,14,15",
        listed("1997: September 10,11,12,13,14,15", "1999: March 10,11,12,13"),
        False,
    ),
    (
        "Every Tuesday, every other month",
        NY + "19970902T090000\nRRULE:FREQ=MONTHLY;INTERVAL=2;BYDAY=TU",
        listed(
            "1997: September 2,9,16,23,30",
            "1997: November 4,11,18,25",
            "1998: January 6,13,20,27;March 3,10,17,24,31",
        ),
        True,
    ),
    (
        "Yearly in June and July for 10 occurrences",
        NY + "19970610T090000\nRRULE:FREQ=YEARLY;COUNT=10;BYMONTH=6,7",
        listed(
            "1997: June 10;July 10",
            "1998: June 10;July 10",
            "1999: June 10;July 10",
            "2000: June 10;July 10",
            "2001: June 10;July 10",
        ),
        False,
    ),
    (
        "Every other year on January, February, and March for 10 occurrences",
        NY + "19970310T090000\nRRULE:FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3",
        listed(
            "1997: March 10",
            "1999: January 10;February 10;March 10",
            "2001: January 10;February 10;March 10",
            "2003: January 10;February 10;March 10",
        ),
        False,
    ),
    (
        "Every third year on the 1st, 100th, and 200th day for 10 occurrences",
        NY
        + "19970101T090000\nRRULE:FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200",
        listed(
            "1997: January 1",
            "1997: April 10;July 19",
            "2000: January 1",
            "2000: April 9;July 18",
            "2003: January 1",
            "2003: April 10;July 19",
            "2006: January 1",
        ),
        False,
    ),
    (
        "Every 20th Monday of the year, forever",
        NY + "19970519T090000\nRRULE:FREQ=YEARLY;BYDAY=20MO",
        listed("1997: May 19", "1998: May 18", "1999: May 17"),
        True,
    ),
    (
        "Monday of week number 20, forever",
        NY + "19970512T090000\nRRULE:FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO",
        listed("1997: May 12", "1998: May 11", "1999: May 17"),
        True,
    ),
    (
        "Every Thursday in March, forever",
        NY + "19970313T090000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=TH",
        listed(
            "1997: March 13,20,27", "1998: March 5,12,19,26", "1999: March 4,11,18,25"
        ),
        True,
    ),
    (
        "Every Thursday, but only during June, July, and August, forever",
        NY + "19970605T090000\nRRULE:FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8",
        listed(
            "1997: June 5,12,19,26;July 3,10,17,24,31;August 7,14,21,28",
            "1998: June 4,11,18,25;July 2,9,16,23,30;August 6,13,20,27",
            "1999: June 3,10,17,24;July 1,8,15,22,29;August 5,12,19,26",
        ),
        True,
    ),
    (
        "Every Friday the 13th, forever",
        NY + "19970902T090000\nEXDATE;TZID=America/New_York:19970902T090000\n"
        "RRULE:FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13",
        listed(
            "1998: February 13;March 13;November 13",
            "1999: August 13",
            "2000: October 13",
        ),
        True,
    ),
    (
        "The first Saturday that follows the first Sunday of the month, forever",
        NY
        + "19970913T090000\nRRULE:FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13",
        listed(
            "1997: September 13;October 11",
            "1997: November 8;December 13",
            "1998: January 10;February 7;March 7",
            "1998: April 11;May 9;June 13",
        ),
        True,
    ),
    (
        "Every 4 years, the first Tuesday after a Monday in November, forever",
        NY + "19961105T090000\nRRULE:FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;\n"
        " BYMONTHDAY=2,3,4,5,6,7,8",
        listed("1996: November 5", "2000: November 7", "2004: November 2"),
        True,
    ),
    (
        "The third instance into the month of one of Tuesday, Wednesday, or Thursday",
        NY + "19970904T090000\nRRULE:FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3",
        listed("1997: September 4;October 7", "1997: November 6"),
        False,
    ),
    (
        "The second-to-last weekday of the month",
        NY + "19970929T090000\nRRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2",
        listed(
            "1997: September 29",
            "1997: October 30;November 27;December 30",
            "1998: January 29;February 26;March 30",
        ),
        True,
    ),
    (
        "Every 3 hours from 9:00 AM to 5:00 PM on a specific day",
        NY + "19970902T090000\nRRULE:FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T170000Z",
        # The RFC lists 09:00,12:00,15:00, reading UNTIL as if it were local
        # time; 17:00 UTC is 13:00 EDT, so 15:00 EDT is past it (dateutil,
        # rust-rrule #35 and python-recurring-ical-events #281 agree).
        listed("1997: September 2 @ 09:00,12:00"),
        False,
    ),
    (
        "Every 15 minutes for 6 occurrences",
        NY + "19970902T090000\nRRULE:FREQ=MINUTELY;INTERVAL=15;COUNT=6",
        listed("1997: September 2 @ 09:00,09:15,09:30,09:45,10:00,10:15"),
        False,
    ),
    (
        "Every hour and a half for 4 occurrences",
        NY + "19970902T090000\nRRULE:FREQ=MINUTELY;INTERVAL=90;COUNT=4",
        listed("1997: September 2 @ 09:00,10:30,12:00,13:30"),
        False,
    ),
    (
        "An example where the days generated makes a difference because of WKST=MO",
        NY
        + "19970805T090000\nRRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO",
        listed("1997: August 5,10,19,24"),
        False,
    ),
    (
        "changing only WKST from MO to SU, yields different results",
        NY
        + "19970805T090000\nRRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU",
        listed("1997: August 5,17,19,31"),
        False,
    ),
    (
        "An example where an invalid date (i.e., February 30) is ignored",
        NY + "20070115T090000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5",
        listed("2007: January 15,30", "2007: February 15", "2007: March 15,30"),
        False,
    ),
]
TWENTY_MINUTES = "09:00,09:20,09:40,10:00,10:20,10:40,11:00,11:20,11:40,12:00,12:20,12:40,13:00,13:20,13:40,14:00,14:20,14:40,15:00,15:20,15:40,16:00,16:20,16:40"


@pytest.mark.parametrize(
    ("title", "rule", "expected", "forever"),
    EXAMPLES,
    ids=[e[0] for e in EXAMPLES],
)
def test_rfc_example(
    title: str, rule: str, expected: list[datetime], forever: bool
) -> None:
    """The rule, as the RFC writes it, gives the instances the RFC lists, and no others."""
    # A bounded rule is expanded years past its last instance: nothing more may come.
    end = expected[-1].date() if forever else date(expected[-1].year + 6, 12, 31)
    assert instances(rule, end) == expected


@pytest.mark.parametrize(
    "rrule",
    [
        "RRULE:FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40",
        "RRULE:FREQ=MINUTELY;INTERVAL=20;BYHOUR=9,10,11,12,13,14,15,16",
    ],
)
def test_every_20_minutes_from_9_to_4_40(rrule: str) -> None:
    """Every 20 minutes from 9:00 AM to 4:40 PM every day, in both of the RFC's forms."""
    expected = listed(
        f"1997: September 2 @ {TWENTY_MINUTES}", f"1997: September 3 @ {TWENTY_MINUTES}"
    )
    assert instances(NY + "19970902T090000\n" + rrule, date(1997, 9, 3)) == expected


def test_every_example_is_at_nine_in_new_york_time() -> None:
    """The instances are 9:00 EDT before the fall-back of 1997-10-26 and EST after it."""
    got = Plan(
        "rfc",
        timezone="America/New_York",
        start="1997-10-21",
        end="1997-11-05",
        entries=[Entry(kratom(), Schedule.rrule(EXAMPLES[6][1]))],
    ).timeline()
    offsets = [(e.at.date().isoformat(), e.at.strftime("%H:%M %z")) for e in got]
    assert offsets == [
        ("1997-10-21", "09:00 -0400"),
        ("1997-10-28", "09:00 -0500"),
        ("1997-11-04", "09:00 -0500"),
    ]
