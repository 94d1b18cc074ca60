"""What may still be taken: :func:`allowance` and :class:`Allowance`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any, Final

import attrs

from . import _decimal
from ._allowance_question import ask, checked_timeline
from ._allowance_search import MAX_US, Asked, memo, moment_of
from ._finding import Finding, Rule
from ._limits import check_moment
from ._plan import Plan
from ._product import Product
from ._profile import Profile
from ._quantity import Quantity
from ._rules import (
    AvoidTags,
    MaxAmount,
    MaxConsecutiveDays,
    MaxDoses,
    MinInterval,
    Rotation,
)
from ._stay import zone_at
from ._substance import Substance
from ._timeline import Timeline
from ._timezone import utc_us, zone
from ._units import Unit
from ._validators import instance_of

__all__ = ["DEFAULT_HORIZON", "Allowance", "allowance"]

#: How far ahead :func:`allowance` looks for the earliest allowed moment.
DEFAULT_HORIZON: Final = timedelta(days=400)
_PLAIN: Final = (
    MaxAmount,
    MaxDoses,
    MinInterval,
    MaxConsecutiveDays,
    Rotation,
    AvoidTags,
)
#: Digits kept of an amount that is not a terminating decimal (rounded down).
_PLACES: Final = 6


def _optional(cls: type) -> Any:
    return attrs.validators.optional(instance_of(cls))


def _findings(value: Iterable[Finding]) -> tuple[Finding, ...]:
    out = tuple(value)
    for i, item in enumerate(out):
        if not isinstance(item, Finding):
            msg = f"Allowance.notes[{i}] must be a Finding (got {item!r})"
            raise TypeError(msg)
    return out


def _rule(
    _inst: object, attribute: attrs.Attribute[Rule | None], value: object
) -> None:
    # What the Rule protocol asks, without its (slow) runtime isinstance.
    if value is not None and not callable(getattr(value, "check", None)):
        msg = f"Allowance.{attribute.name} must be a rule (with check(timeline)) or None (got {value!r})"
        raise TypeError(msg)


def _aware_or_none(_inst: object, _attribute: object, value: datetime | None) -> None:
    if value is None:
        return
    if not isinstance(value, datetime) or value.utcoffset() is None:  # untyped callers
        msg = f"Allowance.earliest must be an aware datetime or None (got {value!r})"
        raise ValueError(msg)


@attrs.frozen(kw_only=True)
class Allowance:
    """What may still be taken of a substance at a moment, and when more may.

    :func:`allowance` gives it; see there for the definition. Amounts are
    of the product asked about (in the unit of its ``per``), or of the
    substance itself.

    * *amount* — the most that may be taken at the moment asked about:
      ``None`` when no limit bounds the amount, zero when no dose is
      allowed then.
    * *limited_by* — the rule that binds *now*: when no dose is allowed,
      the first rule (in the order :func:`~regimen.validate` runs them)
      that a dose would break; else the rule that bounds *amount*;
      ``None`` when nothing limits. A plan's :class:`~regimen.Break` is
      such a rule.
    * *earliest* — the first moment, at or after the one asked about,
      when some amount is allowed (the moment itself when a dose is
      allowed now); ``None`` when none is within the horizon.
    * *earliest_limited_by* — the rule that sets *earliest*: the first one
      still forbidding a dose just before it (or, when *earliest* is
      ``None``, at the end of the horizon); ``None`` when a dose is
      allowed now.
    * *amount_at_earliest* — the most that may be taken at *earliest*
      (``None`` when unbounded there, or when *earliest* is ``None``).
    * *notes* — the warning and info findings (``early-redose``,
      ``untested-product``, rules of lower severity) that the dose would
      add, at *earliest* with *amount_at_earliest*; they do not bind.

    >>> from datetime import datetime, timedelta
    >>> from zoneinfo import ZoneInfo
    >>> from regimen import MaxDoses, MinInterval, Quantity
    >>> ny = ZoneInfo("America/New_York")
    >>> a = Allowance(amount=Quantity(0, "g"),
    ...               earliest=datetime(2027, 1, 4, tzinfo=ny),
    ...               limited_by=MinInterval("kratom", timedelta(hours=4)),
    ...               earliest_limited_by=MaxDoses("kratom", 2, per="day"),
    ...               amount_at_earliest=Quantity(8, "g"))
    >>> a.allowed_now, type(a.earliest_limited_by).__name__
    (False, 'MaxDoses')
    """

    amount: Quantity | None = attrs.field(validator=_optional(Quantity))
    earliest: datetime | None = attrs.field(validator=_aware_or_none)
    limited_by: Rule | None = attrs.field(default=None, validator=_rule)
    earliest_limited_by: Rule | None = attrs.field(default=None, validator=_rule)
    amount_at_earliest: Quantity | None = attrs.field(
        default=None, validator=_optional(Quantity)
    )
    notes: tuple[Finding, ...] = attrs.field(default=(), converter=_findings)

    @property
    def allowed_now(self) -> bool:
        """True when a dose is allowed at the moment asked about."""
        return self.limited_by is None or (
            self.amount is not None and self.amount.amount > 0
        )


def _horizon(value: object) -> timedelta:
    if not isinstance(value, timedelta) or value <= timedelta(0):
        msg = (
            f"allowance() horizon must be a timedelta longer than zero (got {value!r})"
        )
        raise ValueError(msg)
    return value


def allowance(
    log: Timeline,
    profile: Profile,
    substance: Substance | str,
    *,
    at: datetime,
    plan: Plan | None = None,
    product: Product | None = None,
    horizon: timedelta = DEFAULT_HORIZON,
) -> Allowance:
    """Tell how much of *substance* may be taken at *at*, and if none, when.

    **Definition.** What is checked is *log* (what was taken, a
    :class:`~regimen.Timeline`) and, with *plan*, the plan's doses after
    *at* (not its as-needed ones) up to the horizon, with its breaks as
    rules (:meth:`Break.check <regimen.Break.check>`), all covering the
    days from the log's first to the horizon's last. The amount allowed at
    *at* is the largest amount of *product* (or of the substance itself)
    such that adding that dose at *at* makes validation against *profile*
    (:func:`~regimen.validate`) report no error-severity finding it did not
    report without it. ``earliest`` is the first moment at or after *at*
    when some amount is allowed, within *horizon* (default 400 days). So
    the answer agrees with ``validate`` for every rule: MaxAmount, MaxDoses,
    MinInterval, MaxConsecutiveDays, BreakCadence, error-level interaction
    notes (both ways, and against the medications), a plan's breaks, and
    with *product* Rotation and avoided tags. A rule of your own is
    answered by the definition itself, by bisection: the amount assuming a
    larger dose never breaks it less (from the built-in bound, else from
    the first of 1, 2, 4, ... units up to 2**40 that it forbids; none: no
    bound), ``earliest`` searched at every whole
    hour, day start, end of a window and just after each dose, assuming it
    loosens at most once between two of those.
    Warnings and infos the dose would add come back as ``notes``.

    The dose is placed in the plan's time zone (else *at*'s), which sets
    the local days of the rules; during one of the plan's stays, in the
    stay's zone (the zone in force at *at*, see
    :class:`~regimen.Stay`). Moments in the answer are in *at*'s zone.
    *at* must be aware and within years 2 to 9998. *substance* is a
    :class:`~regimen.Substance`, or a name, alias or class of one in the
    log, the plan, the product or the medications; an unknown name raises
    ``ValueError`` with the nearest known names, as does a rule whose term
    matches nothing known but is close to the substance's own names (a
    typo would silence a limit), and a *product* without the substance.
    An amount that is not a terminating decimal is rounded down (to six
    decimal places), so taking it never passes a limit.

    >>> from datetime import datetime, timedelta
    >>> from zoneinfo import ZoneInfo
    >>> from regimen import (Dose, DoseEvent, Interaction, MaxAmount, MinInterval, Product,
    ...                      Profile, Substance, Timeline)
    >>> kratom, alcohol = Substance("kratom"), Substance("alcohol")
    >>> powder = Product("Maeng Da", contents={kratom: "1 g"}, per="1 g")
    >>> beer = Product("beer", contents={alcohol: "14 g"}, per="1 serving")
    >>> ny = ZoneInfo("America/New_York")
    >>> log = Timeline([DoseEvent(datetime(2027, 1, 3, 8, tzinfo=ny), Dose(powder, "3 g")),
    ...                 DoseEvent(datetime(2027, 1, 3, 14, tzinfo=ny), Dose(powder, "3 g"))])
    >>> profile = Profile(rules=[MaxAmount("kratom", "8 g", per="day"),
    ...                          MinInterval("kratom", timedelta(hours=4))])
    >>> a = allowance(log, profile, "kratom", at=datetime(2027, 1, 3, 16, tzinfo=ny))
    >>> a.amount, a.earliest.strftime("%H:%M"), type(a.limited_by).__name__
    (Quantity('0', 'g'), '18:00', 'MinInterval')
    >>> a.amount_at_earliest, type(a.earliest_limited_by).__name__
    (Quantity('2', 'g'), 'MinInterval')

    An error-level note against alcohol binds too:

    >>> note = Interaction("kratom", "alcohol", severity="error", within="12 h", note="...")
    >>> drank = log + Timeline([DoseEvent(datetime(2027, 1, 3, 19, tzinfo=ny), Dose(beer, "1 serving"))])
    >>> b = allowance(drank, attrs.evolve(profile, interactions=[note]), "kratom",
    ...               at=datetime(2027, 1, 3, 20, tzinfo=ny))
    >>> b.allowed_now, b.earliest.isoformat(timespec="seconds"), b.amount_at_earliest
    (False, '2027-01-04T07:00:00-05:00', Quantity('8', 'g'))
    """
    if not isinstance(at, datetime) or at.tzinfo is None or at.utcoffset() is None:
        msg = f"allowance() at must be an aware datetime (got {at!r})"
        raise ValueError(msg)
    check_moment(at, "allowance() at")
    if not isinstance(log, Timeline):
        msg = f"allowance() needs a Timeline as the log (got {log!r}); build one with Timeline([...])"
        raise TypeError(msg)
    if not isinstance(profile, Profile):
        msg = f"allowance() needs a Profile (got {profile!r})"
        raise TypeError(msg)
    if plan is not None and not isinstance(plan, Plan):
        msg = f"allowance() plan must be a Plan or None (got {plan!r})"
        raise TypeError(msg)
    if product is not None and not isinstance(product, Product):
        msg = f"allowance() product must be a Product or None (got {product!r})"
        raise TypeError(msg)
    span = _horizon(horizon)
    tz = zone(zone_at(plan.stays, plan.timezone, at)) if plan is not None else at.tzinfo
    assert tz is not None
    t0 = utc_us(at)
    until = min(t0 + span // timedelta(microseconds=1), MAX_US)
    timeline, period = checked_timeline(log, plan, at, until, tz)
    # The same question about the same log (another minute): reuse it all.
    # The covered days matter only to break cadences and rules of one's own.
    plain = all(isinstance(r, _PLAIN) for r in profile.rules)
    asked_key = (
        "asked",
        id(profile),
        id(plan),
        id(product),
        substance if isinstance(substance, str) else id(substance),
        tz,
        None if plain else period,
    )
    store = memo(timeline)
    hit = store.get(asked_key)
    if (
        isinstance(hit, tuple)
        and hit[0] is profile
        and hit[1] is product
        and (hit[2] is substance or isinstance(substance, str))
        and hit[4] is plan
    ):
        asked = hit[3]
        assert isinstance(asked, Asked)
        asked.period = period
        return _answer(asked, at, t0, until, asked.unit)
    asked = ask(log, profile, substance, plan, product, timeline, tz, period)
    store[asked_key] = (profile, product, substance, asked, plan)
    return _answer(asked, at, t0, until, asked.unit)


def _quantity(value: Fraction | None, unit: Unit) -> Quantity | None:
    if value is None:
        return None
    if _decimal.is_terminating(value):
        return Quantity(_decimal.from_fraction(value), unit)
    scale = 10**_PLACES
    return Quantity(_decimal.from_fraction(Fraction(value * scale // 1, scale)), unit)


def _first_allowed(asked: Asked, blocked: int, allowed: int) -> int:
    """Bisect (*blocked*, *allowed*] for the first instant a dose is allowed.

    Assumes the answer changes once in between, as a rule of the user's own
    that loosens at a moment no built-in rule knows (05:00 for a rule
    against doses at night).
    """
    while allowed - blocked > 1:
        mid = (blocked + allowed) // 2
        if asked.answer(mid)[2]:
            blocked = mid
        else:
            allowed = mid
    return allowed


def _answer(asked: Asked, at: datetime, t0: int, until: int, unit: Unit) -> Allowance:
    room, binding, blocked = asked.answer(t0)
    tz = at.tzinfo
    assert tz is not None
    if not blocked:
        amount = _quantity(room, unit)
        return Allowance(
            amount=amount,
            earliest=at,
            limited_by=binding,
            amount_at_earliest=amount,
            notes=asked.notes(t0, room),
        )
    zero = Quantity(0, unit)
    previous = t0
    never = any(check.forever for _, check in asked.binding)
    for candidate in () if never else asked.candidates(t0, until):
        later, _, shut = asked.answer(candidate)
        if shut:
            previous = candidate
            continue
        x = candidate
        if asked.user:  # a rule of one's own may loosen between two candidates
            x = _first_allowed(asked, previous, candidate)
            later = asked.answer(x)[0]
        _, setter, _ = asked.answer(x - 1)
        return Allowance(
            amount=zero,
            earliest=moment_of(x, tz),
            limited_by=binding,
            earliest_limited_by=setter,
            amount_at_earliest=_quantity(later, unit),
            notes=asked.notes(x, later),
        )
    _, setter, _ = asked.answer(until)
    return Allowance(
        amount=zero, earliest=None, limited_by=binding, earliest_limited_by=setter
    )
