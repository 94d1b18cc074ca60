"""Hypothesis entry point: register regimen's strategies for ``st.from_type``.

Hypothesis calls :func:`_hypothesis_setup_hook` while it is being imported,
possibly because :mod:`regimen.strategies` is importing it. So the hook
imports nothing of regimen's strategies itself: it registers deferred
strategies that look the real ones up when a value is first drawn.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import Any

__all__ = ["_hypothesis_setup_hook"]


@cache
def _table() -> dict[type, Any]:
    strategies = importlib.import_module("regimen.strategies")
    return strategies._registry()  # type: ignore[no-any-return]


def _hypothesis_setup_hook() -> None:
    """Register a strategy for every public regimen class."""
    from hypothesis import strategies as st  # noqa: PLC0415 - only when Hypothesis runs the hook

    from ._allowance import Allowance  # noqa: PLC0415
    from ._bundle import Bundle  # noqa: PLC0415
    from ._dose import Dose  # noqa: PLC0415
    from ._finding import Finding  # noqa: PLC0415
    from ._interaction import Interaction  # noqa: PLC0415
    from ._plan import Break, Entry, Plan  # noqa: PLC0415
    from ._product import Product  # noqa: PLC0415
    from ._profile import Profile  # noqa: PLC0415
    from ._quantity import Quantity  # noqa: PLC0415
    from ._report import Report  # noqa: PLC0415
    from ._rules import (  # noqa: PLC0415
        AvoidTags,
        BreakCadence,
        MaxAmount,
        MaxConsecutiveDays,
        MaxDoses,
        MinInterval,
        Rotation,
    )
    from ._schedule import Schedule  # noqa: PLC0415
    from ._substance import Substance  # noqa: PLC0415
    from ._summary import DailyTotals, ScheduleRow, SubstanceSummary, Summary  # noqa: PLC0415
    from ._timeline import DoseEvent, Timeline  # noqa: PLC0415

    classes = (
        Quantity,
        Substance,
        Product,
        Dose,
        Schedule,
        Entry,
        Break,
        Plan,
        DoseEvent,
        Timeline,
        MaxAmount,
        MaxDoses,
        MinInterval,
        MaxConsecutiveDays,
        BreakCadence,
        Rotation,
        AvoidTags,
        Interaction,
        Profile,
        Bundle,
        Finding,
        Report,
        Summary,
        ScheduleRow,
        SubstanceSummary,
        DailyTotals,
        Allowance,
    )
    for cls in classes:
        st.register_type_strategy(cls, st.deferred(_lookup(cls)))


def _lookup(cls: type) -> Any:
    def strategy() -> Any:
        return _table()[cls]

    return strategy
