"""iCalendar content lines (RFC 5545 §3.1): writing them escaped and folded, reading them back.

Both directions are written here by hand, without the ``icalendar``
package: writing is the hot path of an export, and reading untrusted text
must be bounded in size and work (:data:`MAX_TEXT`, :data:`MAX_DEPTH`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Final

from ._errors import RegimenError

__all__ = [
    "DIGESTED",
    "MAX_DEPTH",
    "MAX_TEXT",
    "Component",
    "Line",
    "digest",
    "fold",
    "parse_calendar",
    "text",
    "unescape",
    "utc_stamp",
    "write_duration",
]

#: The largest calendar text :func:`parse_calendar` reads (characters).
MAX_TEXT: Final = 20_000_000
#: How deeply components may nest (VCALENDAR > VEVENT > VALARM is 3).
MAX_DEPTH: Final = 8

#: Characters RFC 5545 TEXT cannot hold (CONTROL but tab and line breaks).
_CONTROL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ESCAPE: Final = str.maketrans({"\\": "\\\\", ";": "\\;", ",": "\\,", "\n": "\\n"})
_UNESCAPE: Final = re.compile(r"\\(.)", re.DOTALL)
_NAME: Final = re.compile(r"[A-Za-z0-9-]+")


def text(value: str) -> str:
    r"""Return *value* as an escaped RFC 5545 TEXT value (§3.3.11).

    Line breaks (CR, LF, CRLF) become ``\n``; other control characters,
    which TEXT cannot hold, become U+FFFD.

    >>> text("a, b;\r\nc")
    'a\\, b\\;\\nc'
    """
    value = _CONTROL.sub("\ufffd", value.replace("\r\n", "\n").replace("\r", "\n"))
    return value.translate(_ESCAPE)


def unescape(value: str) -> str:
    r"""Read an escaped TEXT value back (``\n`` and ``\N`` are line breaks).

    >>> unescape("a\\, b\\;\\nc")
    'a, b;\nc'
    """
    if "\\" not in value:
        return value
    return _UNESCAPE.sub(
        lambda m: "\n" if m[1] in "nN" else m[1],
        value,
    )


def fold(line: str) -> str:
    r"""Return *line* with CRLF, folded so no physical line is longer than 75 octets.

    Lines are only cut between characters (never inside a UTF-8
    sequence); each continuation starts with one space.

    >>> fold("X:" + "a" * 80).split("\r\n")[1]
    ' aaaaaaa'
    """
    if len(line) <= 75 and line.isascii():
        return line + "\r\n"
    data = line.encode()
    if len(data) <= 75:
        return line + "\r\n"
    parts: list[str] = []
    start, limit = 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:
            end -= 1  # do not cut a UTF-8 sequence
        parts.append(data[start:end].decode())
        start, limit = end, 74
    return "\r\n ".join(parts) + "\r\n"


def utc_stamp(moment: datetime) -> str:
    """Write an aware datetime as a UTC DATE-TIME value, ``20270101T080000Z``."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def write_duration(value: timedelta) -> str:
    """Write a non-negative timedelta as an RFC 5545 DURATION (``PT5M``, ``P1DT2H``).

    >>> write_duration(timedelta(minutes=90)), write_duration(timedelta(0))
    ('PT1H30M', 'PT0S')
    """
    seconds = int(value.total_seconds())
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    out = f"P{days}D" if days else "P"
    clock = "".join(
        f"{n}{unit}" for n, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if n
    )
    if clock:
        out += "T" + clock
    return out if out != "P" else "PT0S"


class Line:
    """One unfolded content line: its NAME (upper case), parameters and raw value."""

    __slots__ = ("name", "number", "params", "raw", "value")

    def __init__(
        self, name: str, params: dict[str, str], value: str, number: int, raw: str
    ) -> None:
        self.name = name
        self.params = params
        self.value = value
        self.number = number
        self.raw = raw


class Component:
    """A component (``VEVENT``, ``VTIMEZONE``...): its properties and sub-components."""

    __slots__ = ("components", "line", "name", "properties")

    def __init__(self, name: str, line: int) -> None:
        self.name = name
        self.line = line
        self.properties: list[Line] = []
        self.components: list[Component] = []

    def first(self, name: str) -> Line | None:
        """Return the first property called *name*, or ``None``."""
        for prop in self.properties:
            if prop.name == name:
                return prop
        return None

    def all(self, name: str) -> list[Line]:
        """Return every property called *name*, in order."""
        return [p for p in self.properties if p.name == name]


def _logical_lines(data: str) -> Iterator[tuple[int, str]]:
    """Unfold *data* (CRLF or bare LF line ends) into (line number, logical line)."""
    current: list[str] = []
    number = start = 0
    for number, raw in enumerate(data.replace("\r\n", "\n").split("\n"), 1):
        line = raw.rstrip("\r")
        if line[:1] in (" ", "\t") and current:
            current.append(line[1:])
            continue
        if current:
            yield start, "".join(current)
        current, start = ([line], number) if line else ([], number)
    if current:
        yield start, "".join(current)


def _split(line: str, number: int) -> Line:
    """Split a logical line into name, parameters and value; raise on garbage."""
    match = _NAME.match(line)
    if match is None:
        msg = f"line {number}: not an iCalendar content line: {line[:60]!r}"
        raise RegimenError(msg)
    name = match[0].upper()
    pos = match.end()
    params: dict[str, str] = {}
    while pos < len(line) and line[pos] == ";":
        eq = line.find("=", pos)
        key = line[pos + 1 : eq] if eq > 0 else ""
        if not _NAME.fullmatch(key):
            msg = f"line {number}: bad parameter in {line[:60]!r}"
            raise RegimenError(msg)
        pos = eq + 1
        values: list[str] = []
        while True:
            if line.startswith('"', pos):
                close = line.find('"', pos + 1)
                if close < 0:
                    msg = f"line {number}: unclosed quote in {line[:60]!r}"
                    raise RegimenError(msg)
                values.append(line[pos + 1 : close])
                pos = close + 1
            else:
                end = pos
                while end < len(line) and line[end] not in ';:,"':
                    end += 1
                values.append(line[pos:end])
                pos = end
            if not line.startswith(",", pos):
                break
            pos += 1
        params[key.upper()] = ",".join(values)
    if not line.startswith(":", pos):
        msg = f"line {number}: no ':' before the value in {line[:60]!r}"
        raise RegimenError(msg)
    return Line(name, params, line[pos + 1 :], number, line)


def parse_calendar(data: str) -> list[Component]:
    """Parse an iCalendar text into its top-level components (normally one VCALENDAR).

    Raises :class:`~regimen.RegimenError` naming the line for text that is
    too long, not content lines, or unbalanced ``BEGIN``/``END``; the work
    is linear in the text's length.
    """
    if not isinstance(data, str):
        msg = f"from_ics() reads text (got {type(data).__name__}); decode bytes first"
        raise TypeError(msg)
    if len(data) > MAX_TEXT:
        msg = f"the calendar text has {len(data):,} characters; at most {MAX_TEXT:,} are read"
        raise RegimenError(msg)
    top: list[Component] = []
    stack: list[Component] = []
    for number, raw in _logical_lines(data.lstrip("\ufeff")):
        line = _split(raw, number)
        if line.name == "BEGIN":
            if len(stack) >= MAX_DEPTH:
                msg = f"line {number}: components nest deeper than {MAX_DEPTH} levels"
                raise RegimenError(msg)
            component = Component(line.value.strip().upper(), number)
            (stack[-1].components if stack else top).append(component)
            stack.append(component)
        elif line.name == "END":
            name = line.value.strip().upper()
            if not stack or stack[-1].name != name:
                msg = f"line {number}: END:{name} does not close an open {name}"
                raise RegimenError(msg)
            stack.pop()
        elif stack:
            stack[-1].properties.append(line)
        else:
            msg = f"line {number}: property {line.name} outside any component"
            raise RegimenError(msg)
    if stack:
        msg = f"line {stack[-1].line}: BEGIN:{stack[-1].name} is never closed"
        raise RegimenError(msg)
    return top


#: The properties whose text :func:`digest` covers: when and what.
DIGESTED: Final = frozenset(
    {
        "DTSTART",
        "RRULE",
        "EXDATE",
        "RDATE",
        "RECURRENCE-ID",
        "X-REGIMEN-ENTRY",
        "X-REGIMEN-PRODUCT",
        "X-REGIMEN-AMOUNT",
        "X-REGIMEN-AS-NEEDED",
    }
)


def digest(events: Iterable[Iterable[str]]) -> str:
    """Return a digest of the events' timing and dose lines (logical lines, any order of events).

    regimen writes it as ``X-REGIMEN-DIGEST``; :func:`~regimen.from_ics`
    recomputes it to tell a file as written from one a calendar edited.
    """
    import hashlib  # noqa: PLC0415 - only exports and imports need it

    parts = []
    for lines in events:
        kept = [
            line
            for line in lines
            if line.split(";", 1)[0].split(":", 1)[0].upper() in DIGESTED
        ]
        parts.append(hashlib.sha256("\n".join(kept).encode()).hexdigest())
    return hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()
