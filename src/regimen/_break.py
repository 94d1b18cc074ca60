"""Days off: :class:`Break`, once or repeating (weekdays, a date rule, a cycle)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date, timedelta
from typing import TYPE_CHECKING, Final

import attrs

from ._break_days import run_end, runs
from ._convert import to_date, to_optional_date
from ._rrule import RecurrenceRule
from ._substance import Substance
from ._validators import instance_of, to_tuple
from ._weekday import Weekday, to_weekdays

if TYPE_CHECKING:
    from ._finding import Finding
    from ._timeline import DoseEvent, Timeline

__all__ = ["Break", "check_order"]

_DAY: Final = timedelta(days=1)
_MAX_CYCLE: Final = 100_000


def check_order(start: date | None, end: date | None, where: str) -> None:
    """Raise ``ValueError`` if *end* is before *start* (dates inclusive)."""
    if start is not None and end is not None and end < start:
        msg = f"{where}.end ({end}) is before {where}.start ({start}); dates are inclusive"
        raise ValueError(msg)


def _start(value: date | str) -> date:
    return to_date(value, field="Break.start")


def _end(value: date | str | None) -> date | None:
    return to_optional_date(value, field="Break.end")


def _terms(value: Iterable[str] | str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    items = to_tuple(value)
    out = tuple(str(v).strip() for v in items)
    if not out or any(not v for v in out):
        msg = (
            "Break.substances must name substances, aliases or classes, or be "
            f"None for every substance (got {value!r})"
        )
        raise ValueError(msg)
    return out


def _weekdays(
    values: Iterable[Weekday | str] | Weekday | str,
) -> frozenset[Weekday]:
    return to_weekdays(values, field="Break.weekdays")


def _rule(value: RecurrenceRule | str | None) -> RecurrenceRule | None:
    if value is None or isinstance(value, RecurrenceRule):
        return value
    try:
        return RecurrenceRule.parse(value)
    except (TypeError, ValueError) as error:
        msg = f"Break.rule: {error}"
        raise type(error)(msg) from None


def _cycle_days(value: int, field: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        msg = f"Break.{field} must be a whole number of days (got {value!r})"
        raise TypeError(msg)
    if not 0 <= value <= _MAX_CYCLE:
        msg = f"Break.{field} must be from 1 to {_MAX_CYCLE} days (got {value})"
        raise ValueError(msg)
    return value


def _on_days(value: int) -> int:
    return _cycle_days(value, "on_days")


def _off_days(value: int) -> int:  # 0 for a break that is not a cycle
    return _cycle_days(value, "off_days")


@attrs.frozen
class Break:
    """Days off: no events of the named substances on the break's days.

    ``Break(start, end)`` is one run of days, *start* to *end* (both
    inclusive). A break can also repeat between *start* and *end*; build
    one with :meth:`weekly` (given weekdays), :meth:`rrule` (the dates an
    RFC 5545 rule selects) or :meth:`cycle` (days of use, then days off).
    A repeating break's *end* may be ``None``: it repeats until the plan
    ends. *substances* are names, aliases or classes (case-insensitive);
    ``None`` means every substance. An event is removed when its product
    contains a named substance.

    >>> Break("2027-02-01", "2027-02-07", substances=["kratom"], reason="monthly week off").end
    datetime.date(2027, 2, 7)
    >>> sundays = Break.weekly("SU", start="2027-01-01", substances=["kratom"])
    >>> [str(d) for d in sundays.days(date(2027, 1, 1), date(2027, 1, 14))]
    ['2027-01-03', '2027-01-10']
    """

    start: date = attrs.field(converter=_start)
    end: date | None = attrs.field(converter=_end)
    substances: tuple[str, ...] | None = attrs.field(
        default=None, kw_only=True, converter=_terms
    )
    reason: str = attrs.field(default="", kw_only=True, validator=instance_of(str))
    weekdays: frozenset[Weekday] = attrs.field(
        default=frozenset(), kw_only=True, converter=_weekdays
    )
    rule: RecurrenceRule | None = attrs.field(
        default=None, kw_only=True, converter=_rule, repr=lambda r: repr(r and r.text)
    )
    on_days: int = attrs.field(default=0, kw_only=True, converter=_on_days)
    off_days: int = attrs.field(default=0, kw_only=True, converter=_off_days)

    @off_days.validator
    def _check(self, _attribute: object, _value: int) -> None:
        check_order(self.start, self.end, "Break")
        kinds = [
            name
            for name, given in (
                ("weekdays", bool(self.weekdays)),
                ("rule", self.rule is not None),
                ("on_days/off_days", bool(self.on_days or self.off_days)),
            )
            if given
        ]
        if len(kinds) > 1:
            msg = (
                f"Break repeats by {' and by '.join(kinds)}; give one of them "
                "(use two breaks for two patterns)"
            )
            raise ValueError(msg)
        if kinds == ["on_days/off_days"] and not (self.on_days and self.off_days):
            msg = (
                f"Break.cycle() needs on_days and off_days of at least 1 (got "
                f"on_days={self.on_days}, off_days={self.off_days}); a break "
                "without days of use is Break(start, end)"
            )
            raise ValueError(msg)
        if not kinds and self.end is None:
            msg = (
                "Break.end is missing: a one-off break needs its last day, "
                "e.g. Break('2027-02-01', '2027-02-07'); only a repeating break "
                "(Break.weekly, .rrule, .cycle) may leave end open"
            )
            raise ValueError(msg)

    @classmethod
    def weekly(
        cls,
        weekdays: Iterable[Weekday | str] | Weekday | str,
        *,
        start: date | str,
        end: date | str | None = None,
        substances: Iterable[str] | str | None = None,
        reason: str = "",
    ) -> Break:
        """Off on the given weekdays (``Weekday`` or codes like ``"SU"``), *start* to *end*.

        >>> b = Break.weekly(["SA", "SU"], start="2027-01-01", end="2027-01-10")
        >>> [d.day for d in b.days(date(2027, 1, 1), date(2027, 1, 31))]
        [2, 3, 9, 10]
        """
        chosen = _weekdays(weekdays)
        if not chosen:
            msg = "Break.weekly() needs at least one weekday, like 'SU' or ['SA', 'SU']"
            raise ValueError(msg)
        return cls(start, end, substances=substances, reason=reason, weekdays=chosen)

    @classmethod
    def rrule(
        cls,
        rule: str,
        *,
        start: date | str,
        end: date | str | None = None,
        substances: Iterable[str] | str | None = None,
        reason: str = "",
    ) -> Break:
        """Off on the dates an RFC 5545 recurrence rule selects, *start* to *end*.

        *start* plays the part of the rule's ``DTSTART`` (intervals count
        from it). The rule is checked as :meth:`Schedule.rrule
        <regimen.Schedule.rrule>` checks it; a bad one raises
        ``ValueError`` naming ``Break.rule`` and what is wrong.

        >>> b = Break.rrule("FREQ=MONTHLY;BYMONTHDAY=1,2,3", start="2027-01-01")
        >>> [str(d) for d in b.days(date(2027, 1, 1), date(2027, 2, 28))]
        ['2027-01-01', '2027-01-02', '2027-01-03', '2027-02-01', '2027-02-02', '2027-02-03']
        """
        return cls(start, end, substances=substances, reason=reason, rule=rule)

    @classmethod
    def cycle(
        cls,
        *,
        on_days: int,
        off_days: int,
        start: date | str,
        end: date | str | None = None,
        substances: Iterable[str] | str | None = None,
        reason: str = "",
    ) -> Break:
        """*on_days* days of use, then *off_days* days off, repeating from *start*.

        Counting starts on *start*, a day of use; both counts are 1 to 100,000.

        >>> b = Break.cycle(on_days=5, off_days=2, start="2027-01-01")
        >>> [d.day for d in b.days(date(2027, 1, 1), date(2027, 1, 14))]
        [6, 7, 13, 14]
        """
        for value, field in ((on_days, "on_days"), (off_days, "off_days")):
            if _cycle_days(value, field) < 1:
                msg = f"Break.cycle() {field} must be at least 1 (got {value})"
                raise ValueError(msg)
        return cls(
            start,
            end,
            substances=substances,
            reason=reason,
            on_days=on_days,
            off_days=off_days,
        )

    @property
    def kind(self) -> str:
        """How the break repeats: ``"once"``, ``"weekly"``, ``"rrule"`` or ``"cycle"``.

        >>> Break("2027-02-01", "2027-02-07").kind
        'once'
        """
        if self.weekdays:
            return "weekly"
        if self.rule is not None:
            return "rrule"
        return "cycle" if self.on_days else "once"

    def covers(self, substance: Substance) -> bool:
        """Tell whether this break applies to *substance*."""
        return self.substances is None or any(
            substance.matches(t) for t in self.substances
        )

    def includes(self, day: date) -> bool:
        """Tell whether *day* is a day of this break.

        >>> Break.weekly("SU", start="2027-01-01").includes(date(2027, 1, 3))
        True
        """
        return run_end(self, day) is not None

    def days(
        self,
        first: date,
        last: date,
        *,
        spend: Callable[[int], None] | None = None,
    ) -> Iterator[date]:
        """Yield the days of this break in [*first*, *last*], in order.

        The work is proportional to the days yielded, except for a
        :meth:`rrule` break, whose rule scans candidate days: *spend* (if
        given) is called with each batch before it is scanned, so a caller
        can bound the work by raising from it.
        """
        for a, b in self.runs(first, last, spend=spend):
            day = a
            while day <= b:
                yield day
                day += _DAY

    def runs(
        self,
        first: date,
        last: date,
        *,
        spend: Callable[[int], None] | None = None,
    ) -> Iterator[tuple[date, date]]:
        """Yield the runs of consecutive break days in [*first*, *last*], as inclusive spans.

        Constant work per run, except for :meth:`rrule` breaks (see :meth:`days`).

        >>> list(Break.weekly(["SA", "SU"], start="2027-01-01").runs(date(2027, 1, 1),
        ...                                                           date(2027, 1, 9)))
        [(datetime.date(2027, 1, 2), datetime.date(2027, 1, 3)), (datetime.date(2027, 1, 9), datetime.date(2027, 1, 9))]
        """
        return runs(self, first, last, spend)

    def describe(self) -> str:
        """Say in words which days the break takes (for messages).

        >>> Break.weekly("SU", start="2027-01-03").describe()
        'on SU from 2027-01-03'
        >>> Break("2027-02-01", "2027-02-07").describe()
        '2027-02-01 to 2027-02-07'
        """
        if self.kind == "once":
            return f"{self.start} to {self.end}"
        if self.weekdays:
            what = "on " + ",".join(
                w.value for w in sorted(self.weekdays, key=lambda w: w.index)
            )
        elif self.rule is not None:
            what = f"per {self.rule.text}"
        else:
            what = f"{self.off_days} days off after every {self.on_days} days of use"
        until = "" if self.end is None else f" to {self.end}"
        return f"{what} from {self.start}{until}"

    def to_table(self) -> dict[str, str | int | list[str]]:
        """Return the break as a table, as findings and the CLI name it.

        >>> Break("2027-02-01", "2027-02-07", substances=["kratom"]).to_table()
        {'type': 'break', 'start': '2027-02-01', 'end': '2027-02-07', 'substances': ['kratom']}
        >>> Break.cycle(on_days=5, off_days=2, start="2027-01-01").to_table()
        {'type': 'break', 'start': '2027-01-01', 'on_days': 5, 'off_days': 2}
        """
        table: dict[str, str | int | list[str]] = {
            "type": "break",
            "start": self.start.isoformat(),
        }
        if self.end is not None:
            table["end"] = self.end.isoformat()
        if self.weekdays:
            table["weekdays"] = [
                w.value for w in sorted(self.weekdays, key=lambda w: w.index)
            ]
        if self.rule is not None:
            table["rule"] = self.rule.text
        if self.on_days:
            table["on_days"] = self.on_days
            table["off_days"] = self.off_days
        if self.substances is not None:
            table["substances"] = list(self.substances)
        if self.reason:
            table["reason"] = self.reason
        return table

    def check(self, timeline: Timeline) -> list[Finding]:
        """Report the doses of its substances taken on its days: ``on-break`` errors.

        A break is a rule its plan carries: expansion never places a dose on
        it, but a log can hold one, and :func:`~regimen.allowance` keeps a
        plan's break days free this way. Days are the events' calendar
        dates in their own time zones; one finding per day, listing that
        day's doses.

        >>> from datetime import datetime, timezone
        >>> from regimen import Dose, DoseEvent, Product, Substance, Timeline
        >>> kratom = Product("Maeng Da", contents={Substance("kratom"): "1 g"}, per="1 g")
        >>> log = Timeline([DoseEvent(datetime(2027, 2, 3, 9, tzinfo=timezone.utc),
        ...                           Dose(kratom, "2 g"))])
        >>> [f.message for f in Break("2027-02-01", "2027-02-07", reason="week off").check(log)]
        ['Maeng Da taken on 2027-02-03, a day of the break 2027-02-01 to 2027-02-07 (week off)']
        >>> [f.message for f in Break.weekly("WE", start="2027-01-01").check(log)]
        ['Maeng Da taken on 2027-02-03, a day of the break on WE from 2027-01-01']
        """
        from ._finding import Finding, Severity  # noqa: PLC0415 - plans load without findings

        days: dict[date, list[DoseEvent]] = {}
        known: dict[date, bool] = {}
        for event in timeline:
            day = event.at.date()
            hit = known.get(day)
            if hit is None:
                hit = known[day] = self.includes(day)
            if hit and any(self.covers(s) for s in event.dose.contents):
                days.setdefault(day, []).append(event)
        why = f" ({self.reason})" if self.reason else ""
        return [
            Finding(
                "on-break",
                Severity.ERROR,
                f"{', '.join(dict.fromkeys(e.product.name for e in events))} taken on {day}, "
                f"a day of the break {self.describe()}{why}",
                at=events[0].at,
                events=tuple(events),
                rule=self,
                key=(self.start, day),
            )
            for day, events in days.items()
        ]
