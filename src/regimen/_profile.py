"""Who the plan is for: :class:`Profile`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import time

import attrs

from ._finding import Rule
from ._interaction import Interaction
from ._rules_days import to_tags
from ._schedule import time_of_day
from ._substance import Substance

__all__ = ["Profile"]


def _rules(value: Iterable[Rule]) -> tuple[Rule, ...]:
    out = tuple(value)
    for i, rule in enumerate(out):
        if not callable(getattr(rule, "check", None)):
            msg = (
                f"Profile.rules[{i}] must have a check(timeline) method (got {rule!r})"
            )
            raise TypeError(msg)
    return out


def _interactions(value: Iterable[Interaction]) -> tuple[Interaction, ...]:
    out = tuple(value)
    for i, item in enumerate(out):
        if not isinstance(item, Interaction):
            msg = f"Profile.interactions[{i}] must be an Interaction (got {item!r})"
            raise TypeError(msg)
    return out


def _medications(value: Iterable[Substance | str]) -> tuple[Substance, ...]:
    if isinstance(value, str | Substance):
        value = (value,)
    out: list[Substance] = []
    for i, item in enumerate(value):
        if isinstance(item, str) and item.strip():
            out.append(Substance(item))
        elif isinstance(item, Substance):
            out.append(item)
        else:
            msg = (
                f"Profile.medications[{i}] must be a Substance or a name (got {item!r})"
            )
            raise TypeError(msg)
    return tuple(out)


def _day_start(value: time | str) -> time:
    return time_of_day(value, field="Profile.day_start")


def _avoid_tags(value: Iterable[str] | str) -> frozenset[str]:
    return to_tags(value, field="Profile.avoid_tags")


@attrs.frozen(kw_only=True)
class Profile:
    """The user's own rules, interaction notes, medications and preferences.

    *rules* are objects with ``check(timeline)`` (built-in or your own);
    *interactions* are :class:`~regimen.Interaction` notes; *medications*
    are substances taken continuously, which interaction notes also match
    (a name given as text becomes ``Substance(name)``, the way a plan file
    loads it); *avoid_tags* are product tags to report (``"lactose"``;
    an empty tag is refused); *day_start* is when a day begins for per-day
    limits and day counts, a time or text like ``"04:00"`` (04:00 lets a
    dose at 00:30 count for the evening before). Built-in rules without
    their own ``day_start`` use this one.

    >>> from datetime import timedelta
    >>> from regimen import MaxAmount
    >>> p = Profile(rules=[MaxAmount("kratom", "8 g", per=timedelta(hours=24))],
    ...             medications=["sertraline"], avoid_tags={"Lactose"}, day_start="04:00")
    >>> p.avoid_tags, p.medications, p.day_start
    (frozenset({'lactose'}), (Substance(name='sertraline', classes=frozenset(), aliases=(), onset=None, duration=None, notes='', source=None, kinetics=None),), datetime.time(4, 0))
    """

    rules: tuple[Rule, ...] = attrs.field(default=(), converter=_rules)
    interactions: tuple[Interaction, ...] = attrs.field(
        default=(), converter=_interactions
    )
    medications: tuple[Substance, ...] = attrs.field(default=(), converter=_medications)
    avoid_tags: frozenset[str] = attrs.field(default=frozenset(), converter=_avoid_tags)
    day_start: time = attrs.field(default=time(0), converter=_day_start)
