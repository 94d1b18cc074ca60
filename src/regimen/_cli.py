"""The ``regimen`` command (also ``python -m regimen``).

Exit status: 0 when all is well, 1 when ``check`` finds an error, 2 for
unreadable input or bad usage. Problems go to standard error as one plain
line (a :class:`~regimen.LoadError` lists each problem of the file on a line
of its own), never as a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, tzinfo
from typing import IO, TYPE_CHECKING

from ._cli_io import (
    CommandError,
    Parser,
    days_in_range,
    flush,
    parse_date,
    parse_days,
    read_bundle,
    stamp_from,
    write_bytes,
    write_text,
)
from ._errors import RegimenError
from ._finding import Rule, rule_table
from ._format import moment, parse_duration
from ._limits import MAX_DATE, MIN_DATE, check_moment
from ._plan import Plan
from ._substance import Substance
from ._timeline import Timeline
from ._timezone import zone

if TYPE_CHECKING:
    from ._bundle import Bundle

__all__ = ["main"]

Stream = IO[str] | None


def _json(data: object, *, indent: int = 2, ensure_ascii: bool = True) -> str:
    """Write *data* as JSON (the json module is imported only for --format json)."""
    import json  # noqa: PLC0415 - keeps start-up light

    return json.dumps(data, indent=indent, ensure_ascii=ensure_ascii)


def _window(
    args: argparse.Namespace, plan: Plan | None
) -> tuple[date | None, date | None]:
    start: date | None = args.start
    if args.days is None:
        return start, None
    first = start or (plan.start if plan is not None else None)
    if first is None:
        if args.days < 1:
            days_in_range(MIN_DATE, args.days)  # says "1 or more"
        msg = "--days needs --from when the file has no plan"
        raise CommandError(msg)
    return first, days_in_range(first, args.days)


def _subject(bundle: Bundle, use_log: bool) -> Plan | Timeline:
    if use_log or bundle.plan is None:
        if bundle.log is None:
            msg = "the file has neither a plan nor a log to work on"
            raise CommandError(msg)
        return bundle.log
    return bundle.plan


def _inputs(
    args: argparse.Namespace, stdin: Stream
) -> tuple[Bundle, Plan | Timeline, date | None, date | None]:
    """Read the file and pick what to work on: the bundle, the subject, the window."""
    bundle = read_bundle(args.file, stdin)
    subject = _subject(bundle, args.log)
    start, end = _window(args, bundle.plan)
    return bundle, subject, start, end


def _check(args: argparse.Namespace, out: Stream, stdin: Stream) -> int:
    from ._validate import validate  # noqa: PLC0415 - each command imports its own

    bundle, subject, start, end = _inputs(args, stdin)
    report = validate(subject, bundle.profile, start=start, end=end)
    if args.format == "json":
        text = _json(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
    elif not report.findings:
        text = "no findings\n"
    else:
        lines = []
        for f in report.findings:
            at = "" if f.at is None else f" {moment(f.at)}"
            lines.append(f"{f.severity.label}{at} [{f.code}] {f.message}\n")
        counts = (len(report.errors), len(report.warnings), len(report.infos))
        lines.append(
            f"{counts[0]} error(s), {counts[1]} warning(s), {counts[2]} info\n"
        )
        text = "".join(lines)
    write_text(out, text)
    return 0 if report.ok else 1


def _summary(args: argparse.Namespace, out: Stream, stdin: Stream) -> int:
    from ._summary import summarize  # noqa: PLC0415 - each command imports its own

    bundle, subject, start, end = _inputs(args, stdin)
    summary = summarize(subject, bundle.profile, start=start, end=end)
    if args.format == "json":
        text = _json(summary.to_dict(), indent=2, ensure_ascii=False) + "\n"
    elif args.format == "md":
        text = summary.to_markdown()
    else:
        text = summary.to_text()
    write_text(out, text)
    return 0


def _ics(args: argparse.Namespace, out: Stream, stdin: Stream) -> int:
    from ._ics import to_ics  # noqa: PLC0415 - imports the icalendar extra

    stamp = stamp_from(args.stamp, dict(os.environ))
    reminder = (
        None
        if args.reminder is None
        else parse_duration(args.reminder, field="--reminder")
    )
    _, subject, start, end = _inputs(args, stdin)
    text = to_ics(subject, start=start, end=end, reminder=reminder, stamp=stamp)
    # RFC 5545 lines end in CRLF: bytes, so that no platform translates them.
    write_bytes(args.output, text.encode("utf-8"), out)
    return 0


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


def _allowance(args: argparse.Namespace, out: Stream, stdin: Stream) -> int:
    from ._allowance import allowance  # noqa: PLC0415 - each command imports its own
    from ._profile import Profile  # noqa: PLC0415

    bundle = read_bundle(args.file, stdin)
    tz = (
        zone(bundle.plan.timezone) if bundle.plan is not None else _log_zone(bundle.log)
    )
    at = _at(args.at, tz)
    if bundle.log is not None and (args.log or bundle.plan is None):
        timeline = bundle.log
    elif bundle.plan is not None:
        day = at.date()
        first = max(MIN_DATE, day - timedelta(days=8)) if day > MIN_DATE else day
        last = min(MAX_DATE, day + timedelta(days=8)) if day < MAX_DATE else day
        timeline = bundle.plan.timeline(first, last)
    else:
        msg = "the file has neither a plan nor a log to work on"
        raise CommandError(msg)
    asked = _asked(bundle, args.substance)
    result = allowance(timeline, bundle.profile or Profile(), asked, at=at)
    earliest = result.earliest
    at_earliest = result.amount_at_earliest
    data = {
        "substance": args.substance,
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
    }
    if args.format == "json":
        write_text(out, _json(data, indent=2) + "\n")
        return 0
    if result.amount is None:
        room = "no amount limit applies"
    else:
        room = f"up to {result.amount} more"
    lines = [f"{args.substance} at {moment(at)}: {room}\n"]
    if result.limited_by is not None:
        lines.append(f"limited now by {_rule_words(result.limited_by)}\n")
    if not result.allowed_now:
        when = "not before the end of 9998" if earliest is None else moment(earliest)
        more = "" if at_earliest is None else f" (up to {at_earliest})"
        lines.append(f"earliest dose allowed at {when}{more}\n")
        if result.earliest_limited_by is not None:
            lines.append(f"earliest set by {_rule_words(result.earliest_limited_by)}\n")
    write_text(out, "".join(lines))
    return 0


def _adherence(args: argparse.Namespace, out: Stream, stdin: Stream) -> int:
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
    )
    if args.format == "json":
        text = _json(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
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


def _schema(_args: argparse.Namespace, out: Stream, _stdin: Stream) -> int:
    from ._schema import schema  # noqa: PLC0415 - each command imports its own

    write_text(out, _json(schema(), indent=2) + "\n")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="regimen",
        description="Check, summarize and export intake plans. States facts; gives no advice.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=text, description=text)
        sub.add_argument(
            "file",
            metavar="FILE",
            help="a plan file (TOML or .json); - for standard input",
        )
        sub.add_argument(
            "--from",
            dest="start",
            type=parse_date,
            metavar="DATE",
            help="first day (ISO date)",
        )
        sub.add_argument(
            "--days",
            type=parse_days,
            metavar="N",
            help="how many days from --from (or the plan's start)",
        )
        sub.add_argument(
            "--log",
            action="store_true",
            help="work on the file's log instead of its plan",
        )
        return sub

    check = command("check", "check a plan or log against the file's profile")
    check.add_argument("--format", choices=["text", "json"], default="text")
    check.set_defaults(run=_check)
    summary = command("summary", "summarize a plan or log")
    summary.add_argument("--format", choices=["text", "md", "json"], default="text")
    summary.set_defaults(run=_summary)
    ics = command("ics", "export the dose events as iCalendar")
    ics.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help="file to write; - for standard output",
    )
    ics.add_argument(
        "--reminder",
        metavar="DURATION",
        help='an alarm that long before each dose, like "15 min"',
    )
    ics.add_argument(
        "--stamp",
        metavar="TIME",
        help="the DTSTAMP to write, an ISO date and time with offset "
        "(default: $SOURCE_DATE_EPOCH if set, else now)",
    )
    ics.set_defaults(run=_ics)
    allow = commands.add_parser(
        "allowance",
        help="what may still be taken of a substance at a moment",
        description="What may still be taken of a substance at a moment without breaking a rule.",
    )
    allow.add_argument("file", metavar="FILE")
    allow.add_argument("--substance", required=True, metavar="NAME")
    allow.add_argument("--at", metavar="TIME", help="ISO date and time (default: now)")
    allow.add_argument(
        "--log", action="store_true", help="count the file's log instead of its plan"
    )
    allow.add_argument("--format", choices=["text", "json"], default="text")
    allow.set_defaults(run=_allowance)
    adh = commands.add_parser(
        "adherence",
        help="what was taken, missed or late compared with the plan, and what is due",
        description="Compare the file's log with its plan at a moment: taken, "
        "early, late, missed, due, upcoming and extra doses.",
    )
    adh.add_argument("file", metavar="FILE")
    adh.add_argument("--at", metavar="TIME", help="ISO date and time (default: now)")
    adh.add_argument(
        "--tolerance",
        metavar="DURATION",
        help='how far from its time a logged dose still counts, like "2 h" (default)',
    )
    adh.add_argument(
        "--match-by",
        choices=["product", "substance"],
        default="product",
        help="match logged doses by product (default) or by substance (a strain swap)",
    )
    adh.add_argument("--format", choices=["text", "md", "json", "csv"], default="text")
    adh.set_defaults(run=_adherence)
    schema_cmd = commands.add_parser(
        "schema", help="print the JSON Schema of plan files"
    )
    schema_cmd.set_defaults(run=_schema)
    return parser


def _say(err: Stream, text: str) -> None:
    """Write one message to standard error, if there is one to write to."""
    if err is None or err.closed:
        return
    try:
        err.write(text + "\n")
        err.flush()
    except (OSError, ValueError):
        pass


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
    stdin: IO[str] | None = None,
) -> int:
    """Run the command line; return the exit status (see the module docstring).

    The streams default to :data:`sys.stdout`, :data:`sys.stderr` and
    :data:`sys.stdin`; a closed one is reported, not a crash.
    """
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    given = stdin if stdin is not None else sys.stdin
    try:
        args = _parser().parse_args(argv)
    except CommandError as exc:  # bad usage: the message names the command
        _say(err, str(exc))
        return 2
    except SystemExit as exc:  # --help and --version exit 0
        return int(exc.code or 0)
    try:
        status = int(args.run(args, out, given))
        flush(out)
    # Only errors caused by the input, the arguments or the streams: anything
    # else is a bug in regimen and keeps its traceback.
    except (RegimenError, ValueError, OSError) as exc:
        _say(err, f"regimen {args.command}: {exc}")
        return 2
    return status


def run() -> None:
    """Console-script entry point: exit with :func:`main`'s status."""
    sys.exit(main())
