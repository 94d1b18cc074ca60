"""The commands that answer a question about a moment: ``allowance``, ``adherence``.

Part of the ``regimen`` command (see :mod:`regimen._cli`); each imports the
library module it needs only when it runs.
"""

from __future__ import annotations

import argparse
from datetime import datetime, time, timedelta, tzinfo
from typing import IO, TYPE_CHECKING

from ._cli_io import CommandError, read_bundle, to_json, write_text
from ._finding import Rule, rule_table
from ._format import moment, parse_duration
from ._limits import check_moment
from ._substance import Substance
from ._timeline import Timeline
from ._timezone import zone

if TYPE_CHECKING:
    from ._bundle import Bundle
    from ._product import Product

__all__ = ["adherence_command", "allowance_command"]

#: The longest horizon the command searches (a century; the work grows with it).
_MOST_DAYS = 36_525

Stream = IO[str] | None


def _at(text: str | None, tz: tzinfo | None) -> datetime:
    """Read ``--at`` (default: now) as an aware moment in *tz* within the supported range."""
    if text is None:
        return datetime.now(tz or None).astimezone(tz)
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        shown = text if len(text) <= 40 else text[:40] + "..."
        msg = f"--at must be an ISO date and time like 2027-01-03T16:00 (got {shown!r})"
        raise CommandError(msg) from None
    if at.tzinfo is None:
        if tz is None:
            msg = "--at needs a UTC offset (like 2027-01-03T16:00-05:00) when the file has no plan"
            raise CommandError(msg)
        at = at.replace(tzinfo=tz)
    try:
        check_moment(at, "--at")
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    return at if tz is None else at.astimezone(tz)


def _asked(bundle: Bundle, name: str) -> Substance | str:
    """Return the file's substance that *name* names (or an alias of), else *name*.

    So that asking about a substance of the file works on a day without
    doses of it; a class or an unknown name is left to :func:`allowance`.
    """
    folded = name.strip().casefold()
    for substance in bundle.substances:
        names = (substance.name, *substance.aliases)
        if folded in (n.casefold() for n in names):
            return substance
    return name


def allowance_command(args: argparse.Namespace, out: Stream, stdin: Stream) -> int:
    from ._allowance import allowance  # noqa: PLC0415 - each command imports its own
    from ._profile import Profile  # noqa: PLC0415

    bundle = read_bundle(args.file, stdin)
    tz = (
        zone(bundle.plan.timezone) if bundle.plan is not None else _log_zone(bundle.log)
    )
    at = _at(args.at, tz)
    if bundle.plan is None and bundle.log is None:
        msg = "the file has neither a plan nor a log to work on"
        raise CommandError(msg)
    log = bundle.log if bundle.log is not None else Timeline([])
    plan = None if args.log else bundle.plan
    asked = _asked(bundle, args.substance)
    product = None if args.product is None else _product(bundle, args.product)
    if not 1 <= args.horizon <= _MOST_DAYS:
        shown = str(args.horizon) if len(str(args.horizon)) <= 12 else "a huge number"
        msg = f"--horizon must be from 1 to {_MOST_DAYS} days (got {shown})"
        raise CommandError(msg)
    result = allowance(
        log,
        bundle.profile or Profile(),
        asked,
        at=at,
        plan=plan,
        product=product,
        horizon=timedelta(days=args.horizon),
    )
    earliest = result.earliest
    at_earliest = result.amount_at_earliest
    data = {
        "substance": args.substance,
        "product": None if product is None else product.name,
        "at": at.isoformat(),
        "amount": None if result.amount is None else str(result.amount),
        "allowed_now": result.allowed_now,
        "earliest": None if earliest is None else earliest.isoformat(),
        "amount_at_earliest": None if at_earliest is None else str(at_earliest),
        "limited_by": None
        if result.limited_by is None
        else rule_table(result.limited_by),
        "earliest_limited_by": (
            None
            if result.earliest_limited_by is None
            else rule_table(result.earliest_limited_by)
        ),
        "notes": [f.to_dict() for f in result.notes],
    }
    if args.format == "json":
        write_text(out, to_json(data, indent=2) + "\n")
        return 0
    if not result.allowed_now:
        room = "no dose allowed now"
    elif result.amount is None:
        room = "no amount limit applies"
    else:
        room = f"up to {result.amount}"
    lines = [f"{args.substance} at {moment(at)}: {room}\n"]
    if result.limited_by is not None:
        lines.append(f"limited now by {_rule_words(result.limited_by)}\n")
    if not result.allowed_now:
        days = "1 day" if args.horizon == 1 else f"{args.horizon} days"
        when = f"none within {days}" if earliest is None else moment(earliest)
        more = "" if at_earliest is None else f" (up to {at_earliest})"
        lines.append(f"earliest dose allowed: {when}{more}\n")
        if result.earliest_limited_by is not None:
            lines.append(f"earliest set by {_rule_words(result.earliest_limited_by)}\n")
    lines.extend(
        f"note ({f.severity.label}, {f.code}): {f.message}\n" for f in result.notes
    )
    write_text(out, "".join(lines))
    return 0


def _product(bundle: Bundle, name: str) -> Product:
    """Return the file's product called *name* (any case), or a clear error."""
    folded = name.strip().casefold()
    for product in bundle.products:
        if product.name.casefold() == folded:
            return product
    known = ", ".join(repr(p.name) for p in bundle.products) or "none"
    msg = f"--product: the file has no product {name!r} (its products: {known})"
    raise CommandError(msg)


def adherence_command(args: argparse.Namespace, out: Stream, stdin: Stream) -> int:
    from ._adherence import DEFAULT_TOLERANCE, adherence  # noqa: PLC0415

    bundle = read_bundle(args.file, stdin)
    if bundle.plan is None or bundle.log is None:
        msg = "adherence needs a file with both a plan and a log"
        raise CommandError(msg)
    at = _at(args.at, zone(bundle.plan.timezone))
    tolerance = (
        DEFAULT_TOLERANCE if args.tolerance is None else parse_duration(args.tolerance)
    )
    day_start = bundle.profile.day_start if bundle.profile else time(0)
    result = adherence(
        bundle.plan,
        bundle.log,
        at=at,
        tolerance=tolerance,
        on_time=min(tolerance, timedelta(minutes=30)),
        match_by=args.match_by,
        day_start=day_start,
        rebase=args.rebase,
    )
    if args.format == "json":
        text = to_json(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
    elif args.format == "csv":
        text = result.to_csv()
    elif args.format == "md":
        text = result.to_markdown()
    else:
        text = result.to_text()
    write_text(out, text)
    return 0


def _rule_words(rule: Rule) -> str:
    """Write a rule as its plan-file table reads: ``min-interval (kratom, interval 4 h)``."""
    table = dict(rule_table(rule))
    kind = table.pop("type", type(rule).__name__)
    parts = [f"{k} {v}" for k, v in table.items() if k not in ("repr", "source")]
    return f"{kind} ({', '.join(parts)})" if parts else str(kind)


def _log_zone(log: Timeline | None) -> tzinfo | None:
    """Return the one time zone a log's events share, if they share one."""
    zones = {e.at.tzinfo for e in log or ()}
    return zones.pop() if len(zones) == 1 else None
