"""What the fuzzer puts into plan files: markers for the writers, and hostile values.

See :mod:`tests.fuzz_inputs` for how they are used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any


@dataclass(frozen=True)
class Raw:
    """Text written as is in either format (a number too long to convert, say)."""

    text: str


@dataclass(frozen=True)
class Deep:
    """A value nested *depth* levels deep, written directly as text."""

    depth: int
    table: bool = False


@dataclass(frozen=True)
class Pairs:
    """A table whose keys may repeat (written in order, duplicates included)."""

    items: tuple[tuple[str, Any], ...]


# fmt: off
EDGE_DATES = [
    date(1, 1, 1), date(1, 1, 2), date(2, 1, 1), date(1000, 1, 1), date(2027, 2, 28),
    date(2028, 2, 29), date(9998, 12, 31), date(9999, 12, 30), date(9999, 12, 31),
]
BAD_DATES: list[Any] = [
    "0000-01-01", "10000-01-01", "2027-02-30", "2027-1-1", "", "9999-12-31",
    datetime(2027, 1, 4, 8, 0), datetime(9999, 12, 31, 23, 59, tzinfo=UTC), time(8, 0),
    Raw("0001-01-01T00:00:00Z"),
]
MOMENTS = [
    "9999-12-31T23:59:59-12:00", "9999-12-31T23:59:00+00:00",
    "0001-01-01T00:00:00+14:00", "0001-01-01T00:00:00+00:00",
    "0002-01-01T00:00:00+14:00", "9998-12-31T23:59:59-12:00", "2027-03-14T02:30:00",
    "2027-11-07T01:30:00-05:00", "2027-01-04T08:00:00+99:00", "2027-01-04 08:00",
    "2027-01-04T24:00:00Z",
]
DURATIONS = [
    "0 min", "0 s", "-1 h", "-0 min", "1 s", "999999999 d", "1000000000 d",
    "99999999999999999999 d", "9" * 400 + " d", "1e9 h", "1e400 min", "1e-400 min",
    "0.000001 s", "1/3 h", "3652059 d", "3652060 d", "24h", "24 hours", "1 fortnight",
    "", " ", "nan h", "inf d", "P1D", "2147483648 s",
]
NUMBERS = [
    "0", "-0", "-1", "1e300", "1e-300", "1E+999999", "9" * 45, "9" * 5000,
    "0." + "0" * 60 + "1", "1" + "0" * 40 + ".000000000000000000000000001", "1/0",
    "0/0", "1/3", "NaN", "Infinity", "-inf", "1_0", "\u0661\u0662", "\u00bd", "1e",
    ".5", "1.5e-7", "1" * 30 + "/" + "7" * 30,
]
UNITS = [
    "g", "mg", "mcg", "µg", "μg", "kg", "ml", "l", "tsp", "tbsp", "fl oz", "cup", "oz",
    "capsule", "tablet", "serving", "drop", "piece", "G", "grams", "ｇ", "", "fl  oz", "fl\u00a0oz",
]
INTS: list[Any] = [
    0, -1, 1, 2**31, 2**63 - 1, -(2**63), 999_999_999, 3652059, Raw("9" * 4301),
    Raw("1" + "0" * 25), Raw("0x10"), Raw("1_000"), True, 1.5,
]
ZONES = [
    "../etc/passwd", "/etc/localtime", "../../../../../../etc/shadow", "EST", "EST5EDT",
    "UTC", "Etc/GMT+12", "Etc/GMT-14", "Pacific/Kiritimati", "Pacific/Pago_Pago",
    "America/Adak", "Antarctica/Troll", "Australia/Lord_Howe", "America/New_York\x00",
    "America/New_York/..", "America/../America/New_York", "", ".", "..", "x" * 10000,
    "A/" * 3000, "posixrules", "Factory", "localtime", "right/UTC",
    "posix/Europe/Berlin", "zone.tab", "tzdata.zi", "leapseconds", "__init__.py",
    "America/New_York ", "america/new_york", "US/Eastern", "\u202eUTC", "C:\\Windows",
    "America\\New_York", "Europe/Berlin\n", "+05:00", "GMT+5", "/", "America/",
]
RRULES = [
    "FREQ=DAILY;INTERVAL=0", "FREQ=DAILY;INTERVAL=-1", "FREQ=DAILY;INTERVAL=999999999",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30",
    "FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=4,6,9,11",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO",
    "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO",
    "FREQ=YEARLY;INTERVAL=400;BYMONTH=2;BYMONTHDAY=29",
    "FREQ=MONTHLY;INTERVAL=4800;BYMONTHDAY=31", "FREQ=DAILY;COUNT=999999999",
    "FREQ=DAILY;COUNT=" + "9" * 30, "FREQ=DAILY;COUNT=0", "FREQ=SECONDLY",
    "FREQ=MINUTELY", "FREQ=HOURLY", "FREQ=YEARLY;BYWEEKNO=53;BYDAY=TH",
    "FREQ=YEARLY;BYWEEKNO=53;WKST=SU;BYDAY=SU", "FREQ=YEARLY;BYWEEKNO=-53",
    "FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO,TU,WE,TH,FR",
    "FREQ=MONTHLY;BYSETPOS=366;BYDAY=MO", "FREQ=YEARLY;BYYEARDAY=366",
    "FREQ=YEARLY;BYYEARDAY=-366", "FREQ=YEARLY;BYYEARDAY=0", "FREQ=MONTHLY;BYDAY=5FR",
    "FREQ=MONTHLY;BYDAY=-5FR;BYMONTH=2", "FREQ=MONTHLY;BYDAY=53MO",
    "FREQ=DAILY;UNTIL=99991231T235959Z", "FREQ=DAILY;UNTIL=00010101",
    "FREQ=DAILY;UNTIL=20270101;COUNT=3", "FREQ=WEEKLY;BYDAY=", "FREQ=WEEKLY;BYDAY=XX",
    "FREQ=DAILY;;", "FREQ=DAILY;FREQ=WEEKLY", "", "FREQ=", "RRULE:FREQ=DAILY",
    "DTSTART:00010101T000000\nRRULE:FREQ=DAILY",
    "DTSTART:99991231T235959\nRRULE:FREQ=DAILY", "FREQ=DAILY;BYHOUR=25",
    "FREQ=DAILY;BYMONTH=13",
    "FREQ=DAILY;BYMONTHDAY=" + ",".join(str(i) for i in range(-31, 32)),
    "FREQ=DAILY;" + "BYMONTH=1;" * 2000, "FREQ=DAILY;X-NAME=" + "a" * 100_000,
]
TIMES: list[Any] = [
    "00:00", "23:59", "23:59:59", "24:00", "25:00", "23:60", "23:59:60", "8:00",
    "08:00:00.000001", "08:00+01:00", "08:00Z", "", "noon", time(23, 59, 59, 999999),
    time(0, 0), "02:30",
]
# values a plan file may well hold, at the edges of what is supported
FIRST_DATES = [date(2, 1, 1), date(2, 1, 2), date(2, 1, 4), date(1000, 1, 1), date(1, 1, 1)]
LAST_DATES = [date(9998, 12, 31), date(9998, 12, 30), date(9998, 12, 25), date(9999, 12, 31)]
GOOD_ZONES = [
    "Etc/GMT+12", "Etc/GMT-14", "Pacific/Kiritimati", "Pacific/Pago_Pago", "America/Adak",
    "Antarctica/Troll", "Australia/Lord_Howe", "America/St_Johns", "Asia/Kathmandu",
    "Africa/Casablanca", "Europe/Dublin", "America/Santiago", "Asia/Gaza", "UTC", "EST",
    "Pacific/Apia", "America/Sao_Paulo", "Asia/Tehran", "Europe/Moscow",
]
GOOD_NUMBERS = [
    "0.001", "1000000", "123456789012345678901234567890", "0.1", "1/2", "99999", "1e3",
    "0.000000001", "12345678901234567890.123456789012345678", "7/3", "1.0000000000000001",
]
GOOD_DURATIONS = [
    "1 min", "1 s", "3650 d", "100000 d", "365 d", "23 h", "1439 min", "0.5 h", "1/7 d",
    "3652058 d", "999999 h",
]
GOOD_INTS = [1, 2, 7, 31, 365, 3652, 10000, 999_999, 3_652_058, 2**31 - 1]
GOOD_RRULES = [
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "FREQ=MONTHLY;BYMONTHDAY=-1",
    "FREQ=YEARLY;BYYEARDAY=-1", "FREQ=MONTHLY;BYDAY=1TU", "FREQ=YEARLY;BYWEEKNO=1,53;WKST=SU",
    "FREQ=WEEKLY;INTERVAL=52", "FREQ=DAILY;INTERVAL=3650000", "FREQ=YEARLY;INTERVAL=9000",
    "FREQ=DAILY;COUNT=1000000", "FREQ=DAILY;UNTIL=99981231", "FREQ=MONTHLY;INTERVAL=5",
    "FREQ=YEARLY;INTERVAL=3", "FREQ=YEARLY;BYWEEKNO=53;WKST=TH;BYDAY=TH",
    "FREQ=MONTHLY;BYDAY=-1SU;BYSETPOS=1", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU",
]
STRING_TRICKS = [
    "\ufeff", "\x00", "\u202e", "\u200e", "\u200d", "\u200b", "\u0301", "\u0301" * 1000,
    "\ud800", "\udfff", "\u00a0", "\uffff", "\U0010ffff", "İ", "ß", "ﬃ", "\u2028", "\r\n",
    "\t", " ", "Ω", "о",
]
# fmt: on
