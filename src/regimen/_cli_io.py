"""The edges of the ``regimen`` command: arguments, input, output and time stamps.

Everything here turns what the command line, the environment and the
standard streams give into checked values, and refuses the rest with a
:class:`CommandError` whose message is one line: the command never reads
without bound, never blocks on a special file, and never prints a traceback
for input it was given.
"""

from __future__ import annotations

import argparse
import os
import re
import stat
import sys
from datetime import UTC, date, datetime, timedelta
from typing import IO, NoReturn

from ._bundle import Bundle
from ._errors import RegimenError
from ._io import MAX_BYTES, load, loads
from ._limits import MAX_DATE, MIN_DATE, check_date, check_moment

__all__ = [
    "MAX_DAYS",
    "CommandError",
    "Parser",
    "PartialResult",
    "days_in_range",
    "flush",
    "parse_date",
    "parse_days",
    "read_bundle",
    "source_date_epoch",
    "stamp_from",
    "to_json",
    "write_bytes",
    "write_text",
]

#: The most days a window can span: all the supported dates.
MAX_DAYS = (MAX_DATE - MIN_DATE).days + 1

_RANGE = f"{MIN_DATE.isoformat()} to {MAX_DATE.isoformat()}"


class CommandError(RegimenError):
    """Bad arguments, or input or output the command cannot use; one line of text."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, raised as :class:`CommandError`."""

    def error(self, message: str) -> NoReturn:
        """Raise instead of printing the usage and exiting."""
        msg = f"{self.prog}: {message} (see {self.prog} --help)"
        raise CommandError(msg)


class PartialResult(Exception):  # noqa: N818 - not an error: the work is done
    """The command did its work but has something to report: exit status 1."""


def _shown(text: str, limit: int = 40) -> str:
    """Return ``repr(text)``, cut short when it is long (a 5,000-digit number)."""
    return repr(text if len(text) <= limit else text[:limit] + "...")


def parse_date(text: str) -> date:
    """Read ``--from``: an ISO date within the supported range.

    >>> parse_date("9999-12-31")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: '9999-12-31' is outside the dates regimen supports, 0002-01-01 to 9998-12-31
    """
    try:
        day = date.fromisoformat(text)
    except ValueError:
        msg = f"not a date like 2027-01-31: {_shown(text)}"
        raise argparse.ArgumentTypeError(msg) from None
    try:
        return check_date(day, "--from")
    except ValueError:
        msg = f"{text!r} is outside the dates regimen supports, {_RANGE}"
        raise argparse.ArgumentTypeError(msg) from None


def parse_days(text: str) -> int:
    """Read ``--days``: a whole number (its range is checked with the window).

    >>> parse_days("14"), parse_days("9" * 31) > MAX_DAYS
    (14, True)
    """
    if re.fullmatch(r"[+-]?[0-9]{1,64}", text.strip()) is None:
        msg = f"not a whole number of days: {_shown(text)}"
        raise argparse.ArgumentTypeError(msg)
    return int(text)


def days_in_range(first: date, days: int) -> date:
    """Return the last day of a window of *days* days from *first*, or refuse it.

    >>> days_in_range(date(2027, 1, 4), 7)
    datetime.date(2027, 1, 10)
    >>> days_in_range(date(9998, 12, 30), 3)
    Traceback (most recent call last):
    regimen._cli_io.CommandError: --days 3 from 9998-12-30 ends after 9998-12-31, the last date regimen supports; use --days 2 or fewer
    """
    if days < 1:
        msg = f"--days must be 1 or more (got {days})"
        raise CommandError(msg)
    room = (MAX_DATE - first).days + 1
    if days > room:
        shown = str(days) if days < 10**12 else f"{str(days)[:12]}..."
        msg = (
            f"--days {shown} from {first} ends after {MAX_DATE}, the last date "
            f"regimen supports; use --days {room} or fewer"
        )
        raise CommandError(msg)
    return first + timedelta(days=days - 1)


_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _check_regular(path: str) -> None:
    """Refuse a path that is not a regular file, without opening it (a FIFO would block)."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return  # load() says why it cannot read it
    if stat.S_ISREG(mode):
        return
    kind = next((text for test, text in _KINDS if test(mode)), "not a regular file")
    msg = (
        f"{path} is {kind}, not a plan file; give a regular file, or - to read "
        "standard input"
    )
    raise CommandError(msg)


def _read_stdin(stdin: IO[str] | None) -> bytes | str:
    """Read at most :data:`MAX_BYTES` + 1 bytes of standard input."""
    if stdin is None or stdin.closed:
        msg = "standard input is closed; give the plan file's name instead of -"
        raise CommandError(msg)
    buffer = getattr(stdin, "buffer", None)
    try:
        if buffer is not None:
            data: bytes | str = buffer.read(MAX_BYTES + 1)
            size = len(data)
        else:  # a text stream without bytes underneath, e.g. io.StringIO
            data = stdin.read(MAX_BYTES + 1)
            size = len(data.encode("utf-8", "surrogatepass"))
    except OSError as exc:
        msg = f"cannot read standard input ({exc.strerror or exc})"
        raise CommandError(msg) from None
    if size > MAX_BYTES:
        msg = f"standard input holds more than {MAX_BYTES} bytes, the limit for a plan file"
        raise CommandError(msg)
    return data


def read_bundle(path: str, stdin: IO[str] | None) -> Bundle:
    """Load the file named on the command line; ``-`` reads standard input.

    Standard input is TOML, or JSON when it starts with ``{`` (after an
    optional byte-order mark and white space).
    """
    if path != "-":
        _check_regular(path)
        return load(path)
    data = _read_stdin(stdin)
    if isinstance(data, bytes):
        is_json = data.lstrip(b"\xef\xbb\xbf").lstrip().startswith(b"{")
    else:
        is_json = data.lstrip("\ufeff").lstrip().startswith("{")
    return loads(data, format="json" if is_json else "toml")


def source_date_epoch(value: str) -> datetime:
    """Read ``SOURCE_DATE_EPOCH`` (seconds since 1970 UTC, reproducible-builds.org).

    >>> source_date_epoch("1798761600")
    datetime.datetime(2027, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)
    """
    if re.fullmatch(r"-?[0-9]{1,12}", value.strip()) is None:
        msg = (
            f"SOURCE_DATE_EPOCH must be a whole number of seconds since "
            f"1970-01-01 UTC (got {_shown(value)})"
        )
        raise CommandError(msg)
    try:
        moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=int(value))
        return check_moment(moment, "SOURCE_DATE_EPOCH")
    except (OverflowError, ValueError):
        msg = f"SOURCE_DATE_EPOCH {value.strip()} is outside the dates regimen supports, {_RANGE}"
        raise CommandError(msg) from None


def stamp_from(option: str | None, environ: dict[str, str]) -> datetime | None:
    """Return the DTSTAMP the ``ics`` command writes: ``--stamp``, else ``SOURCE_DATE_EPOCH``, else ``None`` (now).

    >>> stamp_from("2027-01-01T00:00Z", {})
    datetime.datetime(2027, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)
    >>> stamp_from(None, {"SOURCE_DATE_EPOCH": "0"}).year
    1970
    """
    if option is None:
        epoch = environ.get("SOURCE_DATE_EPOCH", "")
        return source_date_epoch(epoch) if epoch.strip() else None
    try:
        moment = datetime.fromisoformat(option)
    except ValueError:
        msg = f"--stamp must be an ISO date and time with a UTC offset, like 2027-01-01T00:00Z (got {_shown(option)})"
        raise CommandError(msg) from None
    if moment.utcoffset() is None:
        msg = f"--stamp needs a UTC offset, like {option}Z or {option}+01:00"
        raise CommandError(msg)
    try:
        return check_moment(moment, "--stamp")
    except ValueError as exc:
        raise CommandError(str(exc)) from None


def _stream(stream: IO[str] | None) -> IO[str]:
    if stream is None or stream.closed:
        msg = (
            "standard output is closed, so there is nowhere to write; "
            "redirect it to a file (for ics: -o FILE)"
        )
        raise CommandError(msg)
    return stream


def _unwritable(exc: OSError) -> CommandError:
    return CommandError(f"cannot write standard output ({exc.strerror or exc})")


def write_text(stream: IO[str] | None, text: str) -> None:
    """Write *text* to standard output, or refuse with one line when it is closed."""
    try:
        _stream(stream).write(text)
    except OSError as exc:
        raise _unwritable(exc) from None


def flush(stream: IO[str] | None) -> None:
    """Flush standard output now, so that a write error is reported, not ignored at exit."""
    if stream is None or stream.closed:
        return
    try:
        stream.flush()
    except OSError as exc:
        if isinstance(exc, BrokenPipeError) and stream is sys.stdout:
            # Python flushes again at exit: give it somewhere to write.
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, stream.fileno())
            os.close(null)
        raise _unwritable(exc) from None


def write_bytes(target: str, data: bytes, stdout: IO[str] | None) -> None:
    """Write *data* exactly, with no newline translation: to *target*, or stdout for ``-``."""
    if target != "-":
        try:
            with open(target, "wb") as file:
                file.write(data)
        except OSError as exc:
            msg = f"cannot write {target} ({exc.strerror or exc})"
            raise CommandError(msg) from None
        return
    stream = _stream(stdout)
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # a text stream without bytes underneath, e.g. io.StringIO
        stream.write(data.decode("utf-8"))
        return
    try:
        stream.flush()
        buffer.write(data)
        buffer.flush()
    except OSError as exc:
        raise _unwritable(exc) from None


def to_json(data: object, *, indent: int = 2, ensure_ascii: bool = True) -> str:
    """Write *data* as JSON (the json module is imported only for --format json)."""
    import json  # noqa: PLC0415 - keeps start-up light

    return json.dumps(data, indent=indent, ensure_ascii=ensure_ascii)
