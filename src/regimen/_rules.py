r"""User-set rules: limits over windows, intervals, cadence, rotation, tags.

Every rule is a small frozen object with ``check(timeline)`` that yields
:class:`~regimen.Finding`\\ s, and ``to_table()`` that returns it as it
stands in a plan file. Rules that count days use the local calendar day of
each event, starting at *day_start* (``None``: the profile's
``day_start``, midnight when checked on its own). Rolling windows are
right-closed, ``(t - window, t]``; "max" means at most, so a total equal to
the limit is fine. Elapsed time is measured in UTC. Every rule takes the
keyword options *severity* (default ``Severity.ERROR``), *day_start* (a
time or text like ``"04:00"``) and *source* (where the limit comes from).

The rules live in :mod:`regimen._rules_window` (amounts, dose counts,
intervals) and :mod:`regimen._rules_days` (day counts and tags), on the base
in :mod:`regimen._rules_base`; this module gathers them.
"""

from __future__ import annotations

from typing import Final

from ._finding import Rule
from ._rules_base import BuiltinRule, Per
from ._rules_days import AvoidTags, BreakCadence, MaxConsecutiveDays, Rotation, to_tags
from ._rules_window import MaxAmount, MaxDoses, MinInterval, gaps

__all__ = [
    "BUILTIN",
    "AvoidTags",
    "BreakCadence",
    "BuiltinRule",
    "MaxAmount",
    "MaxConsecutiveDays",
    "MaxDoses",
    "MinInterval",
    "Per",
    "Rotation",
    "Rule",
    "gaps",
    "to_tags",
]

#: Every built-in rule class.
BUILTIN: Final = (
    MaxAmount,
    MaxDoses,
    MinInterval,
    MaxConsecutiveDays,
    BreakCadence,
    Rotation,
    AvoidTags,
)
