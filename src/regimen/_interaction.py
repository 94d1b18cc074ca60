"""Interaction notes: :class:`Interaction`."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, ClassVar

import attrs

from . import _format
from ._finding import Finding, Severity, to_severity
from ._series import Context, Series
from ._substance import Substance, term_of
from ._timeline import DoseEvent, Timeline
from ._validators import check_unicode

if TYPE_CHECKING:
    from ._dose import Dose
    from ._tables import InteractionTable

__all__ = ["Interaction"]

_US = timedelta(microseconds=1)


def _term(value: str | Substance) -> str:
    return term_of(value, who="Interaction")


def _within(value: timedelta | str) -> timedelta:
    d = _format.parse_duration(value, field="Interaction.within")
    if d < timedelta(0):
        msg = f"Interaction.within must be zero or more (got {value!r})"
        raise ValueError(msg)
    return d


def _note(value: str) -> str:
    if not isinstance(value, str) or not value.strip():
        msg = "Interaction.note must say what the note is about (got an empty note)"
        raise ValueError(msg)
    check_unicode(value, "Interaction.note")
    return value.strip()


def _source(value: str | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        msg = f"Interaction.source must be text or None (got {value!r})"
        raise TypeError(msg)
    return value.strip() or None


@attrs.frozen(cache_hash=True)
class Interaction:
    """A note that fires when substances matching *a* and *b* are taken close together.

    It fires when events containing them are within *within* of each other
    (either order; an event whose product contains both counts as taken
    together), and whenever one of them is taken while the other is among
    the profile's medications. *a* and *b* are names, aliases or classes;
    *note* and *source* are repeated in the finding's message. One finding
    per day at most, for the closest pair.

    >>> note = Interaction("kratom", "alcohol", severity="error", within=timedelta(hours=6),
    ...                    note="listed as a combination to avoid", source="example article")
    >>> note.within
    datetime.timedelta(seconds=21600)
    >>> note.to_table()["within"]
    '6 h'
    """

    code: ClassVar[str] = "interaction"

    a: str = attrs.field(converter=_term)
    b: str = attrs.field(converter=_term)
    severity: Severity = attrs.field(kw_only=True, converter=to_severity)
    within: timedelta = attrs.field(kw_only=True, converter=_within)
    note: str = attrs.field(kw_only=True, converter=_note)
    source: str | None = attrs.field(default=None, kw_only=True, converter=_source)

    def check(
        self, timeline: Timeline, *, medications: Iterable[Substance | str] = ()
    ) -> list[Finding]:
        """Return the findings of this note about *timeline* (and *medications*)."""
        if not isinstance(timeline, Timeline):
            msg = f"check() needs a Timeline (got {timeline!r})"
            raise TypeError(msg)
        return self._check(Context(timeline), tuple(medications))

    def to_table(self) -> InteractionTable:
        """Return the note as it stands in a plan file (``[[interactions]]``).

        :func:`regimen.loads` reads the table back to an equal note; a
        missing *source* is left out.
        """
        table: InteractionTable = {
            "a": self.a,
            "b": self.b,
            "severity": self.severity.label,
            "within": _format.duration(self.within),
            "note": self.note,
        }
        if self.source is not None:
            table["source"] = self.source
        return table

    def _tail(self) -> str:
        source = f" (source: {self.source})" if self.source else ""
        return f"; note: {self.note}{source}"

    def _check(
        self, ctx: Context, medications: tuple[Substance | str, ...]
    ) -> list[Finding]:
        sa, sb = ctx.series(self.a), ctx.series(self.b)
        findings = self._pairs(ctx, sa, sb)
        for term, other, series in ((self.a, self.b, sb), (self.b, self.a, sa)):
            for med in medications:
                if _med_matches(med, term):
                    findings.extend(self._while_on(ctx, _med_name(med), other, series))
        return findings

    def _pairs(self, ctx: Context, sa: Series, sb: Series) -> list[Finding]:
        """Closest pair per day, the day being that of the pair's later event.

        For each event taken as the later one, its partners are the events
        of the other series at most *within* before it (at the same instant
        too); the closest is the latest of them, so one bisect per event
        finds every day's closest pair. A finding's events are every event
        of that day's pairs (each later event and all its partners), so a
        dose that takes part in any pair is in a finding, in timeline
        order; partner ranges of one day are merged, never listed pair by
        pair. The work is on the timeline's positions: events are built
        only for the findings.
        """
        width = self.within // _US
        index = ctx.index
        kinds, doses = index.kinds, index.table.doses
        # Whether a dose holds a and b as two substances (then it pairs with
        # itself), once per kind of dose.
        distinct: dict[int, bool] = {}

        def both(position: int) -> bool:
            k = index.kind[position]
            found = distinct.get(k)
            if found is None:
                dose = doses[kinds[k].dose]
                found = distinct[k] = _both_distinct_dose(dose, self.a, self.b)
            return found

        # Day -> (gap, earlier position, later position), and the positions
        # each day's pairs involve (in the order found).
        best: dict[int, tuple[int, int, int]] = {}
        involved: dict[int, dict[int, None]] = {}
        for later_series, other in ((sa, sb), (sb, sa)):
            reach: dict[int, int] = {}  # day -> end of the partner range listed
            places, times = other.positions, other.times
            for p, t, day in zip(
                later_series.positions,
                later_series.times,
                later_series.days,
                strict=True,
            ):
                j = bisect.bisect_right(times, t) - 1
                lo = bisect.bisect_left(times, t - width)
                closest = j
                if j >= 0 and places[j] == p and not both(p):
                    closest -= 1
                if closest < lo:
                    continue
                gap = t - times[closest]
                ids = involved.setdefault(day, {})
                ids[p] = None
                start = max(lo, reach.get(day, lo))
                for k in range(start, j + 1):  # (p itself is listed already)
                    ids[places[k]] = None
                reach[day] = max(reach.get(day, 0), j + 1)
                if day not in best or gap < best[day][0]:
                    best[day] = (gap, places[closest], p)
        findings = []
        for day, (gap, first_at, second_at) in best.items():
            first, second = index.event(first_at), index.event(second_at)
            listed = index.events_at(sorted(involved[day]))  # in timeline order
            together = first is second
            what = (
                f"{first.product.name} contains both {self.a} and {self.b} "
                f"({_format.moment(first.at)})"
                if together
                else f"{self.a if first.involves(self.a) else self.b} ({first.product.name} at "
                f"{_format.moment(first.at)}) and "
                f"{self.b if first.involves(self.a) else self.a} ({second.product.name} at "
                f"{_format.moment(second.at)}) taken {_format.duration(gap * _US)} apart, "
                f"within {_format.duration(self.within)}"
            )
            findings.append(
                Finding(
                    self.code,
                    self.severity,
                    what + self._tail(),
                    at=second.at,
                    events=listed,
                    rule=self,
                    key=("pair", day),
                    measured=gap * _US,
                    limit=self.within,
                )
            )
        return findings

    def _while_on(
        self, ctx: Context, med: str, other: str, series: Series
    ) -> list[Finding]:
        firsts: dict[int, DoseEvent] = {}
        every: dict[int, list[DoseEvent]] = {}
        for event, day in zip(series.events, series.days, strict=True):
            firsts.setdefault(day, event)
            every.setdefault(day, []).append(event)
        return [
            Finding(
                self.code,
                self.severity,
                f"{other} ({event.product.name} at {_format.moment(event.at)}) taken while "
                f"on {med}" + self._tail(),
                at=event.at,
                events=tuple(every[day]),
                rule=self,
                key=("medication", med, day),
            )
            for day, event in firsts.items()
        ]


def _med_matches(med: Substance | str, term: str) -> bool:
    if isinstance(med, Substance):
        return med.matches(term)
    return med.strip().casefold() == term.strip().casefold()


def _med_name(med: Substance | str) -> str:
    return med.name if isinstance(med, Substance) else med


def _both_distinct_dose(dose: Dose, a: str, b: str) -> bool:
    subs = list(dose.contents)
    return any(x.matches(a) and y.matches(b) for x in subs for y in subs if x is not y)
