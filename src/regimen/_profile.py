"""Who the plan is for: :class:`Profile`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import time

import attrs

from ._interaction import Interaction
from ._rules import Rule
from ._substance import Substance
from ._validators import to_frozenset

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


def _medications(value: Iterable[Substance | str]) -> tuple[Substance | str, ...]:
    if isinstance(value, str | Substance):
        value = (value,)
    out: list[Substance | str] = []
    for i, item in enumerate(value):
        if isinstance(item, str) and item.strip():
            out.append(item.strip())
        elif isinstance(item, Substance):
            out.append(item)
        else:
            msg = (
                f"Profile.medications[{i}] must be a Substance or a name (got {item!r})"
            )
            raise TypeError(msg)
    return tuple(out)


def _day_start(value: time) -> time:
    if not isinstance(value, time) or value.tzinfo is not None:
        msg = f"Profile.day_start must be a naive datetime.time (got {value!r})"
        raise TypeError(msg)
    return value


@attrs.frozen(kw_only=True)
class Profile:
    """The user's own rules, interaction notes, medications and preferences.

    *rules* are objects with ``check(timeline)`` (built-in or your own);
    *interactions* are :class:`~regimen.Interaction` notes; *medications*
    are substances (or names) taken continuously, which interaction notes
    also match; *avoid_tags* are product tags to report (``"lactose"``);
    *day_start* is when a day begins for per-day limits and day counts
    (04:00 lets a dose at 00:30 count for the evening before). Built-in rules
    without their own ``day_start`` use this one.

    >>> from datetime import timedelta
    >>> from regimen import MaxAmount
    >>> Profile(rules=[MaxAmount("kratom", "8 g", per=timedelta(hours=24))],
    ...         avoid_tags={"Lactose"}).avoid_tags
    frozenset({'lactose'})
    """

    rules: tuple[Rule, ...] = attrs.field(default=(), converter=_rules)
    interactions: tuple[Interaction, ...] = attrs.field(
        default=(), converter=_interactions
    )
    medications: tuple[Substance | str, ...] = attrs.field(
        default=(), converter=_medications
    )
    avoid_tags: frozenset[str] = attrs.field(
        default=frozenset(), converter=to_frozenset
    )
    day_start: time = attrs.field(default=time(0), converter=_day_start)
