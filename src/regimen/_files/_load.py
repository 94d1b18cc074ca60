"""Reading plan files: text -> parsed tree -> documents -> Bundle."""

from __future__ import annotations

import os

from .._bundle import Bundle
from .._errors import LoadError
from .._rrule_occur import file_budget
from ._build import build
from ._structure import structure
from ._text import check_shape, parse, read_file

__all__ = ["load", "loads"]


def loads(text: str | bytes, *, format: str = "toml") -> Bundle:
    """Read text into a Bundle; see :func:`regimen.loads`."""
    data = parse(text, format)
    if not isinstance(data, dict):
        raise LoadError(
            [f"(top level): expected a table of sections (got {type(data).__name__})"]
        )
    problems = check_shape(data)
    if problems:
        raise LoadError(problems)
    with file_budget():  # all of the file's recurrence rules share one budget
        return build(structure(data))


def load(path: str | os.PathLike[str]) -> Bundle:
    """Read a file into a Bundle; see :func:`regimen.load`."""
    raw = read_file(path)
    suffix = os.path.splitext(os.fspath(path))[1].lower()
    return loads(raw, format="json" if suffix == ".json" else "toml")
