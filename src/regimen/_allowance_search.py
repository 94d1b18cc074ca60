"""What :func:`~regimen.allowance` checks, and how it weighs one more dose.

:class:`Asked` holds everything a call needs: the timeline checked (the log
and the plan's doses still to come), the dose being asked about, and one
:class:`~regimen._allowance_checks.Check` per rule. The built-in rules are
answered by their checks; a rule of the user's own is answered by the
definition itself: the dose is added, the rule run with and without it, and
its error findings compared.
"""

from __future__ import annotations

import bisect
import heapq
import weakref
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date, time, timedelta, tzinfo
from fractions import Fraction
from typing import Final

from ._allowance_checks import Check, GapCheck, build, day_starts, dose_of, moment_of
from ._allowance_exposure import ExposureAsking, ExposureProbe
from ._finding import Finding, Rule, Severity
from ._interaction import Interaction
from ._limits import MAX_MOMENT
from ._plan import Break
from ._product import Product
from ._rules import BUILTIN, BreakCadence, BuiltinRule, MaxAmount
from ._rules_exposure import MaxExposure
from ._series import Context
from ._substance import Substance
from ._timeline import DoseEvent, Timeline, _make_event
from ._timezone import utc_us
from ._units import Unit
from ._validate import always_on

__all__ = ["Asked", "memo", "moment_of"]

_US: Final = timedelta(microseconds=1)
MAX_US: Final = utc_us(MAX_MOMENT)
#: Bisection steps for a rule of the user's own (the amount to 1 part in 2**30).
_STEPS: Final = 30
#: Doublings tried to find an amount a rule of one's own forbids (to 2**40 units).
_DOUBLINGS: Final = 41
#: The dose that tells whether a rule forbids any dose at all.
_TINY: Final = Fraction(1, 10**6)
#: How many times a probe's answer is lowered before the rule's run agrees.
_CONFIRM_STEPS: Final = 8

# Checks built for a timeline, kept for the last few timelines asked about
# (while they live): asking again (the next minute, another substance)
# reuses every series and sum.
_CACHE: dict[int, tuple[weakref.ref[Timeline], dict[object, object]]] = {}
_CACHE_SIZE: Final = 8


def memo(timeline: Timeline) -> dict[object, object]:
    key = id(timeline)
    hit = _CACHE.get(key)
    if hit is not None and hit[0]() is timeline:
        _CACHE[key] = _CACHE.pop(key)  # the most recently asked about is kept longest
        return hit[1]
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    store: dict[object, object] = {}
    cache = _CACHE  # the dict itself: module globals are gone at shutdown

    def forget(ref: weakref.ref[Timeline]) -> None:
        entry = cache.get(key)
        if entry is not None and entry[0] is ref:
            del cache[key]

    _CACHE[key] = (weakref.ref(timeline, forget), store)
    return store


class Asked:
    """One allowance question, prepared: what is checked and each rule's check."""

    def __init__(
        self,
        *,
        timeline: Timeline,
        rules: list[Rule],
        target: Substance,
        product: Product,
        unit: Unit,
        own_product: bool,
        tz: tzinfo,
        period: tuple[int, int],
        day_start: time,
        medications: tuple[Substance, ...],
    ) -> None:
        self.timeline = timeline
        self._covered: Timeline | None = None
        self._covered_for = period
        self.target = target
        self.product = product
        self.unit = unit
        self.tz = tz
        self.period = period
        store = memo(timeline)
        self.checks: list[tuple[Rule, Check | None]] = []
        for rule in rules:
            if isinstance(rule, (*BUILTIN, Interaction, Break)):
                start = getattr(rule, "day_start", None)
                start = time(0) if isinstance(rule, Break) else start or day_start
                cover = period if isinstance(rule, BreakCadence) else None
                key = (rule, product, unit, own_product, cover, start, medications)
                check = store.get(key)
                if check is None and key not in store:
                    ctx = store.get(("ctx", start))
                    if ctx is None:
                        ctx = store[("ctx", start)] = Context(timeline, start)
                    assert isinstance(ctx, Context)
                    check = build(
                        rule,
                        ctx,
                        target=target,
                        product=product,
                        unit=unit,
                        period=period,
                        own_product=own_product,
                        medications=medications,
                    )
                    store[key] = check
                assert check is None or isinstance(check, Check)
                self.checks.append((rule, check))
            else:
                self.checks.append((rule, None))
        self.user = [r for r, c in self.checks if c is None and not _builtin(r)]
        # A MaxExposure is answered by its definition too, by a probe that
        # recomputes only its estimate (see regimen._allowance_exposure).
        self.probes: dict[int, ExposureAsking] = {}
        for rule in self.user:
            if isinstance(rule, MaxExposure):
                probe_key = ("exposure", rule, rule.day_start or day_start)
                probe = store.get(probe_key)
                if probe is None:
                    probe = store[probe_key] = ExposureProbe(rule, timeline, day_start)
                assert isinstance(probe, ExposureProbe)
                self.probes[id(rule)] = probe.asking(product, unit)
        self.order = {id(r): i for i, (r, _) in enumerate(self.checks)}
        # Error rules that cannot count this product (its units do not convert)
        # still warn about it: their warning is a note.
        self.mismatched = [
            r
            for r, c in self.checks
            if c is None
            and isinstance(r, MaxAmount)
            and any(s.matches(r.substance) for s in product.contents)
        ]
        self.binding = [
            (r, c)
            for r, c in self.checks
            if c is not None and self.severity(r) is Severity.ERROR
        ]
        self.warning = [
            (r, c)
            for r, c in self.checks
            if c is not None and self.severity(r) is not Severity.ERROR
        ]
        self._without: dict[int, list[Finding]] = {}
        self.day_start = day_start
        self.medications = medications
        self.onsets: list[GapCheck] = []
        for substance in product.contents:
            if substance.onset is not None:
                onset_key = ("onset", substance.name, substance.onset, day_start)
                check = store.get(onset_key)
                if check is None:
                    ctx = Context(timeline, day_start)
                    series = ctx.series(substance.name)
                    check = store[onset_key] = GapCheck(
                        _ONSET, ctx, series, substance.onset
                    )
                assert isinstance(check, GapCheck)
                self.onsets.append(check)

    def severity(self, rule: Rule) -> Severity:
        """Return the severity of a rule's findings (errors bind; the rest are notes)."""
        value = getattr(rule, "severity", Severity.ERROR)
        return value if isinstance(value, Severity) else Severity.ERROR

    def evaluate(self, t: int) -> tuple[Fraction | None, Rule | None, bool]:
        """Return the room the built-in error rules leave at *t*, the rule that binds, and whether none."""
        moment = moment_of(t, self.tz)
        room: Fraction | None = None
        tightest: Rule | None = None
        days: dict[int, int] = {}  # local day per context (day start)
        for rule, check in self.binding:
            ctx = check.ctx
            day = days.get(id(ctx))
            if day is None:
                day = days[id(ctx)] = ctx.day_of(moment, t)
            left = check.room(t, day)
            if left is None:
                continue
            if left == 0:
                return Fraction(0), rule, True
            if room is None or left < room:
                room, tightest = left, rule
        return room, tightest, False

    def answer(self, t: int) -> tuple[Fraction | None, Rule | None, bool]:
        """:meth:`evaluate`, then the user's own rules by the definition."""
        room, binding, blocked = self.evaluate(t)
        if not self.user:
            return room, binding, blocked
        if blocked:  # a rule of one's own that validation runs first names itself
            first = self.order[id(binding)]
            for rule in self.user:
                if self.order[id(rule)] < first and self._new_errors(rule, t, _TINY):
                    return Fraction(0), rule, True
            return room, binding, blocked
        for rule in self.user:
            if id(rule) in self.probes and self._new_errors(rule, t, _TINY):
                return Fraction(0), rule, True  # forbids the least dose: forbids all
            probe = room if room is not None else self._ceiling(rule, t)
            if probe is None or not self._new_errors(rule, t, probe):
                continue
            lo, hi = Fraction(0), probe  # allowed at lo (nothing), not at hi
            for _ in range(_STEPS):
                mid = (lo + hi) / 2
                if self._new_errors(rule, t, mid):
                    hi = mid
                else:
                    lo = mid
            if id(rule) in self.probes:
                lo = self._confirmed(rule, t, lo, hi - lo)
            if lo == 0:
                return Fraction(0), rule, True
            room, binding = lo, rule
        return room, binding, False

    def _confirmed(
        self, rule: Rule, t: int, amount: Fraction, step: Fraction
    ) -> Fraction:
        """Return *amount*, or less, as the rule itself (not its probe) allows it at *t*.

        A probe (an exposure estimate carried on from a cached state) and
        the rule's own run sum floats in another order; at the limit itself
        they can disagree in the last bit, so the answer is checked by the
        definition and, if need be, lowered by the search's last step.
        """
        for _ in range(_CONFIRM_STEPS):
            if amount <= 0 or not self._defined_new_errors(rule, t, amount):
                return max(amount, Fraction(0))
            amount -= step
            step *= 2
        return Fraction(0)

    def _ceiling(self, rule: Rule, t: int) -> Fraction | None:
        """Return an amount *rule* forbids at *t*, doubling from one unit; None if none."""
        probe = self._reference()
        for _ in range(_DOUBLINGS):
            if self._new_errors(rule, t, probe):
                return probe
            probe *= 2
        return None

    def _reference(self) -> Fraction:
        per = self.product.per
        return Fraction(per.amount) if per.unit is self.unit else Fraction(1)

    def event(self, t: int, amount: Fraction) -> DoseEvent:
        """Return the dose asked about: *amount* of the product at instant *t*."""
        dose = dose_of(self.product, amount, self.unit)
        return _make_event(moment_of(t, self.tz), dose, False, t)

    @property
    def covered(self) -> Timeline:
        """Return the checked timeline with the covered days set, for running rules on it."""
        if self._covered is None or self._covered_for != self.period:
            self._covered_for = self.period
            first, last = (date.fromordinal(n) for n in self.period)
            timeline = self.timeline
            if timeline.start == first and timeline.end == last:
                self._covered = timeline
            else:
                self._covered = Timeline._from_index(timeline._idx, first, last)
        return self._covered

    def with_dose(self, event: DoseEvent) -> Timeline:
        """Return the checked timeline with *event* added (same covered days)."""
        first, last = (date.fromordinal(n) for n in self.period)
        return Timeline((*self.timeline.events, event), start=first, end=last)

    def run(self, rule: Rule, timeline: Timeline) -> list[Finding]:
        """Run *rule* over *timeline* the way :func:`~regimen.validate` runs it."""
        if isinstance(rule, BuiltinRule):
            return rule._check(Context(timeline, rule.day_start or self.day_start))
        if isinstance(rule, Interaction):
            return rule._check(Context(timeline, self.day_start), self.medications)
        return list(rule.check(timeline))

    def _errors(self, rule: Rule, timeline: Timeline) -> list[Finding]:
        return [f for f in self.run(rule, timeline) if f.severity is Severity.ERROR]

    def _new_errors(self, rule: Rule, t: int, amount: Fraction) -> bool:
        if amount <= 0:
            return False
        fast = self.probes.get(id(rule))
        if fast is not None:
            return fast.new_errors(t, amount, self.tz)
        return self._defined_new_errors(rule, t, amount)

    def _defined_new_errors(self, rule: Rule, t: int, amount: Fraction) -> bool:
        """Whether *amount* at *t* adds an error finding of *rule*, by running it."""
        before = self._without.get(id(rule))
        if before is None:
            before = self._without[id(rule)] = self._errors(rule, self.covered)
        after = self._errors(rule, self.with_dose(self.event(t, amount)))
        return bool(_new(before, after))

    def candidates(self, after: int, until: int) -> Iterator[int]:
        """Yield the instants in (*after*, *until*] at which some error rule may loosen, in order."""
        streams: list[Iterable[int]] = []
        daily: set[time] = set()
        first_day = self.first_day(after)
        last_day = self.first_day(until) + 1
        for _, check in self.binding:
            streams.append(sorted(check.frees(after, until)))
            if check.daily:
                daily.add(check.ctx.day_start)
        if self.user:  # a rule of one's own may loosen on the hour or after a dose
            daily.add(time(0))
            times = self.timeline._idx.us
            lo = bisect.bisect_left(times, after)
            hi = bisect.bisect_right(times, until - 1)
            streams.append([x + 1 for x in times[lo:hi]])
            streams.append(_hours(after, until, self.tz))
        for start in daily:
            streams.append(day_starts(first_day, last_day, start, self.tz))
        last = None
        for x in heapq.merge(*streams):
            if after < x <= until and x != last:
                last = x
                yield x

    def first_day(self, us: int) -> int:
        """Return the calendar day (ordinal) of instant *us* in the dose's zone."""
        return moment_of(us, self.tz).date().toordinal()

    def notes(self, t: int, amount: Fraction | None) -> tuple[Finding, ...]:
        """Return the warnings and infos a dose at *t* would add (not its errors).

        Found by the definition: the rules that the checks say would fire
        are run with and without the dose, and their new findings kept.
        """
        probe = amount if amount is not None else self._reference()
        moment = moment_of(t, self.tz)
        firing: list[Rule] = [*self.user, *self.mismatched]  # they may warn at any dose
        for rule, check in self.warning:
            left = check.room(t, check.ctx.day_of(moment, t))
            if left is not None and left < probe:
                firing.append(rule)
        redose = any(c.room(t, 0) == 0 for c in self.onsets)
        untested = self.product.lab_tested is False
        if not firing and not redose and not untested:
            return ()
        with_dose = self.with_dose(self.event(t, probe))
        found: list[Finding] = []
        for rule in firing:
            found += _new(self.run(rule, self.covered), self.run(rule, with_dose))
        if redose or untested:
            before = always_on(Context(self.covered, self.day_start))
            found += _new(before, always_on(Context(with_dose, self.day_start)))
        return tuple(f for f in found if f.severity is not Severity.ERROR)


class _Onset:
    """Stands for a substance's onset, which is not a rule of the profile."""

    def check(self, timeline: Timeline) -> list[Finding]:
        """Find nothing: the onset is checked by validation itself."""
        return []


_ONSET: Final = _Onset()


def _hours(after: int, until: int, tz: tzinfo) -> Iterator[int]:
    """Yield the instants in (*after*, *until*] that are whole hours on *tz*'s clock."""
    hour = 3_600_000_000
    offset = moment_of(after, tz).utcoffset()
    assert offset is not None
    shift = (offset // _US) % hour  # a zone at +05:30 has its hours at :30 UTC
    x = after - (after - shift) % hour + hour
    while x <= until:
        yield x
        x += hour


def _builtin(rule: Rule) -> bool:
    return isinstance(rule, (*BUILTIN, Interaction, Break))


def _new(before: list[Finding], after: list[Finding]) -> list[Finding]:
    """Return the findings of *after* that *before* does not hold (counting repeats)."""
    left = Counter(before)
    out = []
    for finding in after:
        if left[finding] > 0:
            left[finding] -= 1
        else:
            out.append(finding)
    return out
