"""Parsing a plan file's text: size, encoding, nesting and value-shape checks."""

from __future__ import annotations

import math
import os
import re
import stat
from typing import Any, Final

from .._errors import LoadError
from .._validators import lone_surrogate

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_ITEMS",
    "LongNumber",
    "ValueProblemError",
    "check_shape",
    "parse",
    "read_file",
    "show",
]

#: Largest plan file regimen reads, in bytes (after encoding as UTF-8).
MAX_BYTES: Final = 1_000_000
MAX_DEPTH: Final = 32
MAX_ITEMS: Final = 10_000


class ValueProblemError(ValueError):
    """A value that does not fit, with the message to show for it."""


def show(value: object) -> str:
    """Write *value* for a message, cut to 60 characters."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            msg = f"key {key!r} appears twice in one object"
            raise ValueProblemError(msg)
        out[key] = value
    return out


def _no_constants(text: str) -> float:
    msg = f'{text} is not a number regimen accepts; write amounts as text like "2.5 g"'
    raise ValueProblemError(msg)


class LongNumber:
    """A whole number in the text too long to read (it is refused with its path)."""

    __slots__ = ("digits",)

    def __init__(self, digits: int) -> None:
        self.digits = digits


def _json_int(text: str) -> int | LongNumber:
    digits = len(text.lstrip("-"))
    return LongNumber(digits) if digits > _LONG else int(text)


#: More digits than any number a plan file holds (every int over 10**9 is
#: refused); longer ones are not converted, since Python refuses to convert
#: more than 4,300 digits and converting is slow.
_LONG: Final = 30
#: A run of digits Python refuses to convert to an int.
_TOO_LONG: Final = re.compile(r"(?<![\w.:-])[+-]?[0-9][0-9_]{4300,}(?![\w.:-])")


def _toml_with_long_numbers(text: str) -> Any:
    """Parse TOML whose whole numbers are too long for Python, marking them.

    Each run of over 4,300 digits is replaced by a marker number, and the
    markers in the parsed tree by :class:`LongNumber`, so that the problem is
    reported with its path.
    """
    base = 7_391_846_250_000_000_000
    while str(base)[:12] in text:
        base += 10**13
    lengths: dict[int, int] = {}

    def mark(match: re.Match[str]) -> str:
        lengths[base + len(lengths)] = len(match.group().strip("+-").replace("_", ""))
        return str(base + len(lengths) - 1)

    import tomllib  # noqa: PLC0415 - see _toml

    tree = tomllib.loads(_TOO_LONG.sub(mark, text))
    stack: list[Any] = [tree]
    while stack:
        node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in list(items):
            if isinstance(value, dict | list):
                stack.append(value)
            elif type(value) is int and value in lengths:
                node[key] = LongNumber(lengths[value])
    return tree


def parse(text: str | bytes, fmt: str) -> Any:
    r"""Parse a plan file's text (TOML or JSON) into plain data, or raise LoadError.

    The text is capped at :data:`MAX_BYTES`, must be UTF-8 (a leading
    byte-order mark is skipped), and JSON may not repeat a key or use
    ``NaN``/``Infinity``. Over-long whole numbers come out as
    :class:`LongNumber`, for :func:`check_shape` to report.

    >>> parse(b'\xef\xbb\xbfversion = 1', "toml")
    {'version': 1}
    """
    if fmt not in {"toml", "json"}:
        msg = f"format must be 'toml' or 'json' (got {fmt!r})"
        raise ValueError(msg)
    if isinstance(text, str):
        if len(text) > MAX_BYTES:  # each character is at least a byte: no copy
            raise LoadError(
                [
                    f"(input): {len(text)} characters is over the {MAX_BYTES}-byte "
                    "limit for a plan file"
                ]
            )
        raw = text.encode("utf-8", "surrogatepass")
    elif isinstance(text, bytes):
        raw = text
    else:
        raise LoadError(
            [f"(input): expected text or bytes (got {type(text).__name__})"]
        )
    if len(raw) > MAX_BYTES:
        raise LoadError(
            [
                f"(input): {len(raw)} bytes is over the {MAX_BYTES}-byte limit for a plan file"
            ]
        )
    try:
        decoded = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise LoadError(
            [f"(input): not UTF-8 text ({exc.reason} at byte {exc.start})"]
        ) from None
    try:
        return _toml(decoded) if fmt == "toml" else _json(decoded)
    except RecursionError:
        raise LoadError(
            [f"(input): nested more than {MAX_DEPTH} levels deep"]
        ) from None
    except ValueProblemError as exc:
        raise LoadError([f"(input): {exc}"]) from None


def _json(text: str) -> Any:
    import json  # noqa: PLC0415 - only when reading JSON: start-up

    try:
        data = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_constant=_no_constants,
            parse_int=_json_int,
        )
    except json.JSONDecodeError as exc:
        raise LoadError([f"(input): not valid JSON: {exc}"]) from None
    if "\\u" in text:
        where = _surrogate_path(data, "")
        if where is not None:
            msg = (
                f"{where or '(input)'}: a \\u escape spells half of a UTF-16 "
                "surrogate pair, which is not a character; write the character "
                "itself, or both halves of the pair"
            )
            raise LoadError([msg])
    return data


def _surrogate_path(value: object, path: str) -> str | None:
    r"""Return the path of the first string (key or value) that is not Unicode text, if any.

    JSON's ``\uD800``-style escapes can spell half of a UTF-16 pair,
    which no file, calendar or terminal can hold.
    """
    if isinstance(value, str):
        return None if lone_surrogate(value) is None else path
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if lone_surrogate(key) is not None:
                return where
            found = _surrogate_path(item, where)
            if found is not None:
                return found
    if isinstance(value, list):
        for i, item in enumerate(value):
            found = _surrogate_path(item, f"{path}[{i}]")
            if found is not None:
                return found
    return None


def _toml(text: str) -> Any:
    import tomllib  # noqa: PLC0415 - only when reading TOML: start-up

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LoadError([f"(input): not valid TOML: {exc}"]) from None
    except ValueError as exc:  # an int over Python's digit limit
        try:
            return _toml_with_long_numbers(text)
        except (ValueError, RecursionError):
            pass
        msg = f"(input): a number is too long to read ({exc})"
        raise LoadError([msg]) from None


def _kind(mode: int) -> str:
    for test, word in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return word
    return "not a regular file"


def read_file(path: str | os.PathLike[str]) -> bytes:
    """Read a plan file's bytes: a regular file of at most :data:`MAX_BYTES`.

    What is read is capped, not what ``stat`` says; a directory, pipe,
    device or socket is refused before it is opened (so a pipe with no
    writer never blocks, and ``/dev/zero`` is not read at all), and the file
    is opened without blocking and checked again once open. Every failure
    is a :class:`~regimen.LoadError` naming the path.

    >>> read_file("/dev/null")
    Traceback (most recent call last):
    regimen.LoadError: 1 problem in the plan file:
      /dev/null: a character device, not a regular file; regimen reads plan files only
    """
    where = os.fspath(path)
    try:
        mode = os.stat(where).st_mode
        if stat.S_ISREG(mode):
            flags = (
                os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
            )
            with open(os.open(where, flags), "rb") as file:
                mode = os.fstat(file.fileno()).st_mode  # swapped since the stat?
                raw = file.read(MAX_BYTES + 1) if stat.S_ISREG(mode) else b""
    except OSError as exc:
        msg = f"{where}: cannot read the file ({exc.strerror or exc})"
        raise LoadError([msg]) from None
    except ValueError as exc:  # a NUL byte in the path
        raise LoadError([f"{where!r}: cannot read the file ({exc})"]) from None
    if not stat.S_ISREG(mode):
        msg = (
            f"{where}: {_kind(mode)}, not a regular file; regimen reads plan files only"
        )
        raise LoadError([msg])
    if len(raw) > MAX_BYTES:
        msg = f"{where}: over the {MAX_BYTES}-byte limit for a plan file"
        raise LoadError([msg])
    return raw


def check_shape(data: Any) -> list[str]:
    """Depth, size and float checks on the parsed tree, before structuring."""
    problems: list[str] = []
    count = 0
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, where, depth = stack.pop()
        count += 1
        if depth > MAX_DEPTH:
            return [
                f"{where or '(top level)'}: nested more than {MAX_DEPTH} levels deep"
            ]
        if count > MAX_ITEMS * 10:
            return [
                f"(input): more than {MAX_ITEMS * 10} values; a plan file is smaller"
            ]
        if isinstance(value, dict):
            for key, item in value.items():
                stack.append((item, f"{where}.{key}" if where else str(key), depth + 1))
        elif isinstance(value, list):
            if len(value) > MAX_ITEMS:
                problems.append(
                    f"{where}: {len(value)} items is over the limit of {MAX_ITEMS}"
                )
                continue
            for i, item in enumerate(value):
                stack.append((item, f"{where}[{i}]", depth + 1))
        elif isinstance(value, float):
            what = (
                "not a number"
                if math.isnan(value)
                else "infinite"
                if math.isinf(value)
                else "a bare number"
            )
            problems.append(
                f'{where}: {value!r} is {what}; write amounts as text like "2.5 g"'
            )
        elif isinstance(value, LongNumber):
            problems.append(
                f"{where}: a whole number of {value.digits} digits is out of range"
            )
        elif (
            isinstance(value, int)
            and not isinstance(value, bool)
            and abs(value) > 10**9
        ):
            shown = (
                value
                if abs(value) < 10**_LONG
                else f"a whole number of {len(str(abs(value)))} digits"
            )
            problems.append(f"{where}: {shown} is out of range")
    return sorted(problems)
