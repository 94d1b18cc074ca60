"""Reading and writing plan files: :func:`load`, :func:`loads`, :func:`dumps`.

The work is done in the :mod:`regimen._files` package, imported on first
use so that ``import regimen`` stays light. The flow is one-way: this
module imports from ``_files``, never the other way round.
"""

from __future__ import annotations

import os
from typing import Literal

from ._bundle import Bundle
from ._files._text import MAX_BYTES

__all__ = ["MAX_BYTES", "dumps", "load", "loads"]


Format = Literal["toml", "json"]


def loads(text: str | bytes, *, format: Format = "toml") -> Bundle:
    """Read a plan file's text (TOML or JSON) into a :class:`~regimen.Bundle`.

    Untrusted input is expected: only a Bundle or a
    :class:`~regimen.LoadError` ever comes out, and the error lists every
    problem with its path, e.g.
    ``plan.entries[2].dose.amount: ambiguous unit 'oz' — write 'fl oz' ...``.
    Input is capped at :data:`MAX_BYTES` bytes and 32 levels of nesting.

    >>> bundle = loads('''
    ... [[substances]]
    ... name = "kefir"
    ... [[products]]
    ... name = "milk kefir"
    ... contents = { kefir = "1 fl oz" }
    ... per = "1 fl oz"
    ... [plan]
    ... name = "mornings"
    ... timezone = "Europe/Berlin"
    ... start = 2027-01-01
    ... end = 2027-01-07
    ... [[plan.entries]]
    ... dose = { product = "milk kefir", amount = "6 fl oz" }
    ... schedule = { kind = "daily", times = ["08:00"] }
    ... ''')
    >>> len(bundle.plan.timeline())
    7
    """
    from ._files._load import loads as _loads

    return _loads(text, format=format)


def load(path: str | os.PathLike[str]) -> Bundle:
    """Read a plan file; the format follows the suffix (``.json``, else TOML).

    Only a regular file is read, and at most :data:`MAX_BYTES` + 1 bytes of
    it: a directory, a named pipe, a device or a socket is refused before it
    is opened (a pipe with no writer never blocks). Raises
    :class:`~regimen.LoadError` for those and for unreadable files too.
    """
    from ._files._load import load as _load

    return _load(path)


def dumps(bundle: Bundle, *, format: Format = "toml") -> str:
    """Write a bundle as TOML or JSON, the way a person would write it by hand.

    ``loads(dumps(bundle)) == bundle``. A bundle no file can hold that way is
    refused before anything is written, with a :class:`~regimen.RegimenError`
    (also a ``ValueError``) naming the clash: two different substances or
    products sharing a name, or a rule or break naming nothing the file
    knows; a rule of your own (no file form) raises ``ValueError``.
    """
    from ._files._write import dumps as _dumps

    return _dumps(bundle, format=format)
