r"""Findings whose message, moment and events are worked out when first read.

A limit passed every day of a hundred years makes tens of thousands of
findings, and most callers read only a few of them whole (``report.ok``,
the counts, the first messages). :meth:`Run.findings` builds, for one
rule's run, findings that know their code, severity, rule, key and
numbers at once, and their *message*, *at* and *events* from the run's
maker, called on first read. Each is an instance of
:class:`~regimen.Finding` (of a private subclass: ``isinstance`` is true,
``type(f) is Finding`` is not), equal to and hashing like the plain
finding with the same values, with the same ``repr``; pickling, copying
and ``attrs.evolve`` give a plain one.
"""

from __future__ import annotations

import gc
from collections import deque
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from itertools import repeat
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Final

from ._finding import Finding, Measure, Rule, Severity, trusted_finding
from ._series import pick
from ._timezone import utc_us

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ._timeline import DoseEvent

__all__ = ["NO_MOMENT", "Detail", "Maker", "Picked", "Run", "sort_keys"]


class Picked:
    """Some events of a sequence, by place: a finding's events, built when read.

    A lazy finding's maker may give this instead of a tuple, so that its
    message is worked out without building its events, and a report's JSON
    builds only the events it lists (:meth:`head`).
    """

    __slots__ = ("events", "places")

    def __init__(self, events: Sequence[DoseEvent], places: Sequence[int]) -> None:
        self.events = events
        self.places = places

    def __len__(self) -> int:
        return len(self.places)

    def all(self) -> tuple[DoseEvent, ...]:
        """Return every picked event, in the order of the places."""
        return pick(self.events, self.places)

    def head(self, count: int) -> tuple[DoseEvent, ...]:
        """Return the first *count* picked events."""
        return pick(self.events, self.places[:count])


#: What a lazy finding's maker returns: its message, moment and events (or
#: the places of its events, built when read).
Detail = tuple[str, "datetime | None", "tuple[DoseEvent, ...] | Picked"]
#: Works out a lazy finding's :data:`Detail` from the finding and its number.
Maker = Callable[[Finding, int], Detail]

#: From this many findings, a run's findings are of a class of the run's own.
BULK: Final = 64
_SLOTS: Final = {
    name: Finding.__dict__[name]
    for name in (
        "code",
        "severity",
        "message",
        "at",
        "events",
        "rule",
        "as_needed_only",
        "upper_end_only",
        "measured",
        "limit",
        "count_unit",
        "key",
    )
}
_MESSAGE: Final = _SLOTS["message"]
_AT: Final = _SLOTS["at"]
_EVENTS: Final = _SLOTS["events"]
#: The ``us`` of a finding without a moment (its ``at`` is ``None``): before every other.
NO_MOMENT: Final = utc_us(datetime.min.replace(tzinfo=UTC)) - 1


class Run:
    """What every lazy finding of one rule's run shares: its maker and fixed fields."""

    __slots__ = (
        "as_needed_only",
        "code",
        "count_unit",
        "fill",
        "limit",
        "rule",
        "severity",
        "upper_end_only",
    )

    def __init__(
        self,
        fill: Maker,
        *,
        code: str,
        severity: Severity,
        rule: Rule | None,
        limit: Measure | None = None,
        count_unit: str = "count",
    ) -> None:
        self.fill = fill
        self.code = code
        self.severity = severity
        self.rule = rule
        self.limit = limit
        self.count_unit = count_unit
        self.as_needed_only = False
        self.upper_end_only = False

    def findings(
        self,
        keys: Iterable[object],
        measured: Iterable[Measure | None],
        instants: Iterable[int],
        args: Iterable[int],
    ) -> list[Finding]:
        """Build this run's findings, one per key, measure, instant and maker argument.

        Each *instant* is the finding's moment in µs since the epoch (UTC),
        which orders reports without working a finding out (:data:`NO_MOMENT`
        for one without a moment); each *arg* is what :attr:`fill` needs
        besides the finding's key and measure. Like
        :func:`~regimen._finding.trusted_finding`, for built-in rules whose
        values are known to be valid.
        """
        rank = 3 - self.severity
        sorts = [us * 4 + rank for us in instants]
        # Tens of thousands of objects that form no reference cycle: the
        # cycle collector's passes over the whole heap while they are made
        # (they doubled the time of a century-long validation) find nothing.
        paused = gc.isenabled()
        if paused:
            gc.disable()
        try:
            kind, shared = self._kind(len(sorts))
            made: list[Finding] = list(map(_new, repeat(kind, len(sorts))))
            # Each field is set for all findings in one pass (no per-finding call).
            for slot, values in (
                (_SORT, sorts),
                (_KEY, keys),
                (_MEASURED, measured),
                (_FILL_ARG, args),
            ):
                deque(map(slot.__set__, made, values), maxlen=0)
            for slot, value in shared:
                deque(map(slot.__set__, made, repeat(value)), maxlen=0)
            return made
        finally:
            if paused:
                gc.enable()

    def _kind(
        self, count: int
    ) -> tuple[type[_LazyFinding], tuple[tuple[Any, Any], ...]]:
        """Return the class of this run's findings and the slots each sets to the run's.

        From :data:`BULK` findings the run's own subclass holds its run,
        code, severity and rule as class attributes (read as fast as a
        slot), so each finding sets four slots, not eight.
        """
        if count < BULK:
            return _LazyFinding, (
                (_RUN, self),
                (_CODE, self.code),
                (_SEVERITY, self.severity),
                (_RULE, self.rule),
            )
        fixed = {"code": self.code, "severity": self.severity, "rule": self.rule}
        kind = type(_LazyFinding.__name__, (_LazyFinding,), {
            "__slots__": (), "__module__": __name__, "_run": self, **fixed,
        })  # fmt: skip
        return kind, ()


def _filled(name: str, slot: Any) -> property:
    def get(self: _LazyFinding) -> Any:
        try:
            return slot.__get__(self, None)
        except AttributeError:
            self._work_out()
            return slot.__get__(self, None)

    return property(get, doc=f"The finding's {name} (worked out when first read).")


def _events(self: _LazyFinding) -> tuple[DoseEvent, ...]:
    try:
        return _EVENTS.__get__(self, None)  # type: ignore[no-any-return]
    except AttributeError:
        picked = self._picked()
    if picked is None:  # the maker gave the events themselves
        return _EVENTS.__get__(self, None)  # type: ignore[no-any-return]
    events = picked.all()
    _EVENTS.__set__(self, events)
    _PICKS.__delete__(self)  # the places are not needed any more
    return events


def _shared(name: str) -> property:
    get = attrgetter(name)
    return property(lambda self: get(self._run), doc=f"The finding's {name}.")


class _LazyFinding(Finding):
    """A :class:`~regimen.Finding` whose message, at and events are computed on first read.

    What it knows at once is in slots: its code, severity, rule, key and
    measure in :class:`~regimen.Finding`'s own, and its run, sort key and
    maker argument in three of its own; the run's other fields are read
    through the run.
    """

    __slots__ = ("_fill_arg", "_picks", "_run", "_sort")

    _run: Run
    _sort: int
    _fill_arg: int
    _picks: Picked

    message = _filled("message", _MESSAGE)
    at = _filled("at", _AT)
    events = property(_events, doc="The finding's events (built when first read).")
    limit = _shared("limit")
    count_unit = _shared("count_unit")
    as_needed_only = _shared("as_needed_only")
    upper_end_only = _shared("upper_end_only")

    def __new__(cls, *args: Any, **kwargs: Any) -> Finding:  # type: ignore[misc]
        # attrs.evolve() calls the class: it gets a plain, checked Finding.
        return Finding(*args, **kwargs)

    def _work_out(self) -> None:
        """Call the run's maker: set message and moment, and events or their places."""
        message, at, events = self._run.fill(self, self._fill_arg)
        _MESSAGE.__set__(self, message)
        _AT.__set__(self, at)
        if isinstance(events, tuple):
            _EVENTS.__set__(self, events)
        else:
            _PICKS.__set__(self, events)

    def _picked(self) -> Picked | None:
        """Return the places of the events if the maker gave them (working it out if need be)."""
        try:
            return _PICKS.__get__(self, None)  # type: ignore[no-any-return]
        except AttributeError:
            try:
                _MESSAGE.__get__(self, None)
            except AttributeError:  # not worked out yet
                self._work_out()
                return self._picked()
            return None

    def _listed(self, count: int) -> tuple[tuple[DoseEvent, ...], int]:
        try:
            _EVENTS.__get__(self, None)
        except AttributeError:
            picked = self._picked()
            if picked is not None:
                return picked.head(count), len(picked)
        return Finding._listed(self, count)

    def _plain(self) -> Finding:
        return trusted_finding(
            self.code,
            self.severity,
            self.message,
            at=self.at,
            events=self.events,
            rule=self.rule,
            key=self.key,
            measured=self.measured,
            limit=self.limit,
            count_unit=self.count_unit,
            as_needed_only=self.as_needed_only,
            upper_end_only=self.upper_end_only,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return Finding.__eq__(self._plain(), _plain(other))

    __hash__ = Finding.__hash__

    def __repr__(self) -> str:
        return repr(self._plain())

    def __reduce__(self) -> tuple[Any, ...]:
        plain = self._plain()
        return (_rebuilt, tuple(slot.__get__(plain, None) for slot in _SLOTS.values()))


_new = object.__new__
_RUN: Final = _LazyFinding.__dict__["_run"]
_SORT: Final = _LazyFinding.__dict__["_sort"]
_FILL_ARG: Final = _LazyFinding.__dict__["_fill_arg"]
_PICKS: Final = _LazyFinding.__dict__["_picks"]
_CODE, _SEVERITY, _RULE = _SLOTS["code"], _SLOTS["severity"], _SLOTS["rule"]
_KEY, _MEASURED = _SLOTS["key"], _SLOTS["measured"]


def _plain(finding: Finding) -> Finding:
    return finding._plain() if isinstance(finding, _LazyFinding) else finding


def _rebuilt(*values: object) -> Finding:
    finding = object.__new__(Finding)
    for slot, value in zip(_SLOTS.values(), values, strict=True):
        slot.__set__(finding, value)
    return finding


def sort_keys(findings: list[Finding]) -> list[int]:
    """Return what orders each finding before code and message: instant, then severity.

    ``us * 4 + (3 - severity)`` (errors first at the same instant); findings
    without a moment come first. A lazy finding is ordered without being
    worked out.
    """
    lazy = _LazyFinding
    return [f._sort if isinstance(f, lazy) else _sort_key(f) for f in findings]


def _sort_key(finding: Finding) -> int:
    at = finding.at
    us = NO_MOMENT if at is None else utc_us(at)
    return us * 4 + 3 - finding.severity
