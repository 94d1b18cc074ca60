"""Hypothesis entry point: register regimen's strategies for ``st.from_type``.

Hypothesis calls :func:`_hypothesis_setup_hook` while it is being imported,
possibly because :mod:`regimen.strategies` is importing it. So the hook
imports nothing of regimen's strategies itself: it registers deferred
strategies that look the real ones up when a value is first drawn.
"""

from __future__ import annotations

import enum
import importlib
import typing
from functools import cache
from typing import Any

__all__ = ["_hypothesis_setup_hook"]


@cache
def _table() -> dict[type, Any]:
    strategies = importlib.import_module("regimen.strategies")
    return strategies._registry()  # type: ignore[no-any-return]


def public_classes() -> list[type]:
    """Return the public classes that get a strategy, in ``regimen.__all__`` order.

    Not functions, errors, enums, protocols or TypedDicts: Hypothesis draws
    enums and TypedDicts by itself; errors and the ``Rule`` protocol are
    not values a test draws (and a ``to_dict()`` shape is not a class of
    objects regimen builds).
    """
    import regimen  # noqa: PLC0415 - the package is imported by now

    out = []
    for name in regimen.__all__:
        obj = getattr(regimen, name)
        if (
            isinstance(obj, type)
            and not issubclass(obj, BaseException | enum.Enum)
            and not getattr(obj, "_is_protocol", False)
            and not typing.is_typeddict(obj)
        ):
            out.append(obj)
    return out


def _hypothesis_setup_hook() -> None:
    """Register a strategy for every public regimen class."""
    from hypothesis import strategies as st  # noqa: PLC0415 - only when Hypothesis runs the hook

    for cls in public_classes():
        st.register_type_strategy(cls, st.deferred(_lookup(cls)))


def _lookup(cls: type) -> Any:
    def strategy() -> Any:
        return _table()[cls]

    return strategy
