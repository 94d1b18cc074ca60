r"""Regular expressions for the text forms of plan-file values, for the JSON Schema.

Each function returns a pattern that accepts a value's text exactly when the
loader reads it, built from the loader's own tables (unit spellings, time
units, weekday names, RRULE parts), or more when no regular expression can
be exact (sums, fractions with no exact decimal, week 53). Patterns keep to
the syntax that ECMA-262 and Python's :mod:`re` share; the loader strips
white space, so the patterns allow it at both ends. Words the loader reads
in any case are matched with ``str.upper()`` or ``str.lower()`` semantics,
including the few non-ASCII characters Python folds into ASCII letters.

>>> import re
>>> bool(re.search(time(), " 8:05:30.25 ")), bool(re.search(time(), "24:00"))
(True, False)
"""

from __future__ import annotations

from typing import Final

from ._dose import Meal
from ._finding import Severity
from ._format import _UNITS as _DURATION_UNITS
from ._limits import MAX_DATE, MIN_DATE
from ._meals import MEALS
from ._rrule import _FREQS, _MAX_INTERVAL, _RANGES
from ._units import _SPELLINGS, Dimension, Unit
from ._weekday import _NAMES

__all__ = [
    "date",
    "date_rule",
    "datetime",
    "dose_amount",
    "duration",
    "meal",
    "quantity",
    "rrule",
    "severity",
    "time",
    "weekday",
    "zone",
]

#: Non-ASCII characters that ``str.upper()`` turns into one ASCII letter.
UPPER_TWINS: Final = {"I": "ı", "S": "ſ"}
#: Non-ASCII characters that ``str.upper()`` turns into several ASCII letters.
UPPER_LIGATURES: Final = {
    "SS": "ß",
    "FF": "ﬀ",
    "FI": "ﬁ",
    "FL": "ﬂ",
    "FFI": "ﬃ",
    "FFL": "ﬄ",
    "ST": "ﬅﬆ",
}
#: Characters that ``str.lower()`` turns into an ASCII letter (or, for the
#: loader's units, into the micro sign).
LOWER_TWINS: Final = {"k": "\u212a", "µ": "μΜ"}


def _char(c: str, *, upper: bool) -> str:
    twins = UPPER_TWINS.get(c.upper(), "") if upper else LOWER_TWINS.get(c, "")
    chars = sorted({c.lower(), c.upper(), *twins}) if c.isalpha() else [c]
    if len(chars) == 1:
        return "\\" + c if c in ".+" else c
    return "[" + "".join(chars) + "]"


def _nocase(word: str, *, upper: bool) -> str:
    """Return a regex for *word* as ``str.upper()`` (else ``str.lower()``) reads it.

    A space in *word* stands for any run of white space.
    """
    out, i = [], 0
    while i < len(word):
        if word[i] == " ":
            out.append(r"\s+")
            i += 1
            continue
        pair = word[i : i + 2].upper()
        ligature = UPPER_LIGATURES.get(pair, "") if upper and len(pair) == 2 else ""
        if ligature:
            both = _char(word[i], upper=True) + _char(word[i + 1], upper=True)
            out.append(f"(?:{both}|[{ligature}])")
            i += 2
        else:
            out.append(_char(word[i], upper=upper))
            i += 1
    return "".join(out)


def _words(words: list[str], *, upper: bool) -> str:
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "(?:" + "|".join(_nocase(w, upper=upper) for w in ordered) + ")"


def _whole(pattern: str) -> str:
    return rf"^\s*{pattern}\s*$"


def _year(low: int, high: int) -> str:
    """Return a regex for the four-digit years *low* to *high*, both at least 1000 apart."""
    lo, hi = f"{low:04d}", f"{high:04d}"
    parts = [
        f"{lo[:3]}[{lo[3]}-9]",
        f"{lo[:2]}[{int(lo[2]) + 1}-9][0-9]",
        f"{lo[0]}[{int(lo[1]) + 1}-9][0-9]{{2}}",
        f"[{int(lo[0]) + 1}-{int(hi[0]) - 1}][0-9]{{3}}",
        f"{hi[0]}[0-{int(hi[1]) - 1}][0-9]{{2}}",
        f"{hi[:2]}[0-{int(hi[2]) - 1}][0-9]",
        f"{hi[:3]}[0-{hi[3]}]",
    ]
    return "(?:" + "|".join(parts) + ")"


def _dates(year: str) -> str:
    leap = (
        "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])"
        "|(?:0[48]|[2468][048]|[13579][26])00)"
    )
    forms = []
    for sep in ("-", ""):
        forms.append(
            f"(?:{year}{sep}(?:(?:0[13578]|1[02]){sep}(?:0[1-9]|[12][0-9]|3[01])"
            f"|(?:0[469]|11){sep}(?:0[1-9]|[12][0-9]|30)"
            f"|02{sep}(?:0[1-9]|1[0-9]|2[0-8]))"
            f"|(?={year}){leap}{sep}02{sep}29)"
        )
        forms.append(f"{year}{sep}W(?:0[1-9]|[1-4][0-9]|5[0-3])(?:{sep}[1-7])?")
    return "(?:" + "|".join(forms) + ")"


def date() -> str:
    """Return the pattern of a date: ISO calendar or week date, in the supported years."""
    return _whole(_dates(_year(MIN_DATE.year, MAX_DATE.year)))


def datetime() -> str:
    """Return the pattern of a date and time as ``datetime.fromisoformat`` reads it.

    Exact in the date and the hours; permissive in the rest.
    """
    hour = "(?:[01][0-9]|2[0-3])"
    rest = rf"(?:[\s\S]{hour}[0-9:.,]*(?:\s*(?:Z|[+-]{hour}[0-9:.]*))?)?"
    return _whole(_dates(_year(1, 9999)) + rest)


def aware_datetime() -> str:
    """Return the pattern of a date and time that carries its UTC offset."""
    hour = "(?:[01][0-9]|2[0-3])"
    rest = rf"[\s\S]{hour}[0-9:.,]*\s*(?:Z|[+-]{hour}[0-9:.]*)"
    return _whole(_dates(_year(1, 9999)) + rest)


def time() -> str:
    """Return the pattern of a wall-clock time: hours 0-23, minutes and seconds 0-59."""
    return _whole(r"(?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{1,6})?)?")


def _number() -> str:
    nonzero = r"(?=[0-9_.]*[1-9])"
    decimal = rf"\+?{nonzero}(?:[0-9][0-9_]*(?:\.[0-9]*)?|\.[0-9]+)"
    fraction = r"\+?(?=[0-9\s]*[1-9])(?:[0-9]+\s+)?[0-9]+\s*/\s*0*[1-9][0-9]*"
    return f"(?:{fraction}|{decimal})"


def quantity(units: frozenset[Unit] | None = None) -> str:
    """Return the pattern of an amount above zero in one of *units* (default: any)."""
    spellings = [k for k, u in _SPELLINGS.items() if units is None or u in units]
    return _whole(rf"{_number()}\s*{_words(spellings, upper=False)}")


def dose_amount() -> str:
    """Return the pattern of a dose's amount: an amount above zero, or a range of two.

    A range is two amounts with a hyphen or an en dash between them, the
    first one's unit optional (``"2-3 g"``, ``"1/2–1 tsp"``, ``"500 mg-1 g"``);
    that its ends convert to each other and the first is not larger is left
    to the loader.
    """
    units = _words(list(_SPELLINGS), upper=False)
    low = rf"{_number()}(?:\s*{units})?\s*[-\u2013]\s*(?=[0-9.])"
    return _whole(rf"(?:{low})?{_number()}\s*{units}")


def unit_families() -> list[frozenset[Unit]]:
    """Return the groups of units that convert to each other (mass, volume, each count)."""
    out = [
        frozenset(u for u in Unit if u.dimension is d)
        for d in (Dimension.MASS, Dimension.VOLUME)
    ]
    return out + [frozenset({u}) for u in Unit if u.dimension is Dimension.COUNT]


def duration(*, positive: bool) -> str:
    """Return the pattern of a duration (above zero if *positive*, else zero or more)."""
    unit = _words(list(_DURATION_UNITS), upper=False)
    part = rf"[0-9]{{1,7}}\s*{unit}"
    lead = "(?=.*[1-9])" if positive else ""
    return _whole(rf"{lead}{part}(?:\s*{part})*")


def signed_duration() -> str:
    """Return the pattern of an offset from a meal: a duration with an optional sign."""
    unit = _words(list(_DURATION_UNITS), upper=False)
    part = rf"[0-9]{{1,7}}\s*{unit}"
    return _whole(rf"[+\-]?\s*{part}(?:\s*{part})*")


def anchor() -> str:
    """Return the pattern of a meal a schedule anchors to (``breakfast``, ...), any case."""
    return _whole(_words(list(MEALS), upper=False))


def zone() -> str:
    """Return the pattern of an IANA time zone name (its shape; the loader checks the database)."""
    return _whole(
        r"(?=[A-Za-z0-9_+/\-]{1,64}\s*$)[A-Za-z0-9_+\-]+(?:/[A-Za-z0-9_+\-]+){0,3}"
    )


def _day() -> str:
    return _words([*(d.value for d in _NAMES), *_NAMES.values()], upper=True)


def weekday() -> str:
    """Return the pattern of a weekday: a two-letter code or a name, any case."""
    return _whole(_day())


def meal() -> str:
    """Return the pattern of a meal relation, any case."""
    return _whole(_words([m.value for m in Meal], upper=False))


def severity() -> str:
    """Return the pattern of a severity, any case."""
    return _whole(_words([s.label for s in Severity], upper=True))


def _rule_parts() -> tuple[dict[str, str], str, str]:
    """Return the patterns RRULE values share: key names, one BYDAY item, the BY... ranges."""
    keys = {k: _nocase(k, upper=True) for k in ("FREQ", "INTERVAL", "WKST", "BYDAY")}
    codes = _words([d.value for d in _NAMES], upper=True)
    byday = rf"\s*(?:[+-]?(?:0?[1-9]|[1-4][0-9]|5[0-3]))?{codes}\s*"
    ranges = "|".join(
        rf"{_nocase(key, upper=True)}\s*=\s*{sign}[0-9]{{1,4}}(?:,{sign}[0-9]{{1,4}})*"
        for key, (_low, _high, signed) in _RANGES.items()
        for sign in [r"[+-]?" if signed else r"\+?"]
    )
    return keys, byday, ranges


def date_rule() -> str:
    """Return the pattern of a date-selecting RRULE (a break's ``rule``) the loader reads.

    Known parts only (no DTSTART, COUNT, UNTIL, BYHOUR, ...), FREQ present
    and one of the date frequencies, INTERVAL in range, BYDAY items well
    formed; the ranges of BY... numbers and their combinations are left to
    the loader.
    """
    keys, byday, ranges = _rule_parts()
    most = len(str(_MAX_INTERVAL)) - 2
    interval = f"0*(?:[1-9][0-9]{{0,{most}}}|{_MAX_INTERVAL})"
    part = (
        rf"\s*(?:{keys['FREQ']}\s*=\s*{_words(list(_FREQS), upper=True)}"
        rf"|{keys['INTERVAL']}\s*=\s*{interval}|{keys['WKST']}\s*=\s*{_day()}"
        rf"|{keys['BYDAY']}\s*=\s*{byday}(?:,{byday})*|{ranges})\s*"
    )
    has_freq = rf"(?=(?:[^;]*;)*\s*{keys['FREQ']}\s*=)"
    prefix = _nocase("RRULE:", upper=True)
    return _whole(rf"(?:{prefix})?{has_freq}{part}(?:;{part})*")


def rrule() -> str:
    """Return the pattern of a recurrence rule the loader reads.

    Either one RRULE value (known parts only, FREQ present and one of the
    frequencies the loader reads, INTERVAL in range, BYDAY items well
    formed; the ranges of BY... numbers, COUNT, UNTIL and their
    combinations are left to the loader), or iCalendar content lines
    (text that starts with a DTSTART, RRULE, EXDATE or RDATE line; their
    content is left to the loader).
    """
    keys, byday, ranges = _rule_parts()
    clock = "|".join(
        rf"{_nocase(key, upper=True)}\s*=\s*[0-9]{{1,2}}(?:,\s*[0-9]{{1,2}}\s*)*"
        for key in ("BYHOUR", "BYMINUTE", "BYSECOND")
    )
    count = rf"{_nocase('COUNT', upper=True)}\s*=\s*[0-9]{{1,7}}"
    until = rf"{_nocase('UNTIL', upper=True)}\s*=\s*[0-9]{{8}}(?:[Tt][0-9]{{6}}[Zz]?)?"
    most = len(str(_MAX_INTERVAL)) - 2
    interval = f"0*(?:[1-9][0-9]{{0,{most}}}|{_MAX_INTERVAL})"
    freqs = [*_FREQS, "HOURLY", "MINUTELY"]
    part = (
        rf"\s*(?:{keys['FREQ']}\s*=\s*{_words(freqs, upper=True)}"
        rf"|{keys['INTERVAL']}\s*=\s*{interval}|{keys['WKST']}\s*=\s*{_day()}"
        rf"|{keys['BYDAY']}\s*=\s*{byday}(?:,{byday})*|{ranges}|{clock}"
        rf"|{count}|{until})\s*"
    )
    has_freq = rf"(?=(?:[^;]*;)*\s*{keys['FREQ']}\s*=)"
    prefix = _nocase("RRULE:", upper=True)
    lines = _words(["DTSTART", "RRULE", "EXDATE", "RDATE"], upper=True)
    return (
        rf"^\s*(?:(?:{prefix})?{has_freq}{part}(?:;{part})*\s*$"
        rf"|{lines}[;:][\s\S]*$)"
    )
