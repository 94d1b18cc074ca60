"""The file form of rules and interaction notes, as typed dicts.

A built-in rule's :meth:`to_table` returns the table a plan file holds for
it under ``[[profile.rules]]`` (a :class:`RuleTable`), and
:meth:`Interaction.to_table <regimen.Interaction.to_table>` the table under
``[[interactions]]`` (an :class:`InteractionTable`): the same keys and text
forms :func:`regimen.loads` reads, with defaults left out. A rule of your own
without ``to_table`` is written as a :class:`UserRuleTable`.
"""

from __future__ import annotations

from typing import Required, TypedDict

__all__ = ["InteractionTable", "RuleTable", "UserRuleTable"]


class RuleTable(TypedDict, total=False):
    """A rule as it stands in a plan file (``[[profile.rules]]``).

    ``type`` is the rule's code (``"max-amount"``); quantities, windows and
    times are text as a person writes them (``"8 g"``, ``"24 h"``,
    ``"04:00"``); ``severity`` is left out when it is ``"error"``,
    ``day_start`` and ``source`` when they are not set.
    """

    type: Required[str]
    substance: str
    amount: str
    count: int
    per: str
    interval: str
    days: int
    every: int
    max_days: int
    tags: list[str]
    severity: str
    day_start: str
    source: str


class InteractionTable(TypedDict, total=False):
    """An interaction note as it stands in a plan file (``[[interactions]]``)."""

    a: Required[str]
    b: Required[str]
    severity: Required[str]
    within: Required[str]
    note: Required[str]
    source: str


class UserRuleTable(TypedDict):
    """A rule of your own without ``to_table``: its class name and its repr."""

    type: str
    repr: str
