"""The ``regimen`` command (also ``python -m regimen``).

Exit status: 0 when all is well, 1 when ``check`` finds an error, 2 for
unreadable input or bad usage. Problems go to standard error as plain
sentences, never as a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TextIO

from ._allowance import allowance
from ._bundle import Bundle
from ._errors import RegimenError
from ._format import moment, parse_duration
from ._io import MAX_BYTES, load, loads
from ._plan import Plan
from ._profile import Profile
from ._schema import schema
from ._summary import summarize
from ._timeline import Timeline
from ._timezone import zone
from ._validate import validate

__all__ = ["main"]


class _UsageError(RegimenError):
    """Bad arguments or input that does not fit the command."""


def _bundle(path: str, stdin: TextIO) -> Bundle:
    if path == "-":
        text = stdin.read(MAX_BYTES + 1)
        if text.lstrip().startswith("{"):
            return loads(text, format="json")
        return loads(text, format="toml")
    return load(Path(path))


def _window(
    args: argparse.Namespace, plan: Plan | None
) -> tuple[date | None, date | None]:
    start: date | None = args.start
    if args.days is None:
        return start, None
    if args.days < 1:
        msg = f"--days must be 1 or more (got {args.days})"
        raise _UsageError(msg)
    first = start or (plan.start if plan is not None else None)
    if first is None:
        msg = "--days needs --from when the file has no plan"
        raise _UsageError(msg)
    return first, first + timedelta(days=args.days - 1)


def _subject(bundle: Bundle, use_log: bool) -> Plan | Timeline:
    if use_log or bundle.plan is None:
        if bundle.log is None:
            msg = "the file has neither a plan nor a log to work on"
            raise _UsageError(msg)
        return bundle.log
    return bundle.plan


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        msg = f"not a date like 2027-01-31: {text!r}"
        raise argparse.ArgumentTypeError(msg) from None


def _inputs(
    args: argparse.Namespace, stdin: TextIO
) -> tuple[Bundle, Plan | Timeline, date | None, date | None]:
    """Read the file and pick what to work on: the bundle, the subject, the window."""
    bundle = _bundle(args.file, stdin)
    subject = _subject(bundle, args.log)
    start, end = _window(args, bundle.plan)
    return bundle, subject, start, end


def _check(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    bundle, subject, start, end = _inputs(args, stdin)
    report = validate(subject, bundle.profile, start=start, end=end)
    if args.format == "json":
        out.write(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n")
    elif not report.findings:
        out.write("no findings\n")
    else:
        for f in report.findings:
            at = "" if f.at is None else f" {moment(f.at)}"
            out.write(f"{f.severity.label}{at} [{f.code}] {f.message}\n")
        counts = (len(report.errors), len(report.warnings), len(report.infos))
        out.write(f"{counts[0]} error(s), {counts[1]} warning(s), {counts[2]} info\n")
    return 0 if report.ok else 1


def _summary(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    bundle, subject, start, end = _inputs(args, stdin)
    summary = summarize(subject, bundle.profile, start=start, end=end)
    if args.format == "json":
        out.write(json.dumps(summary.to_dict(), indent=2, ensure_ascii=False) + "\n")
    elif args.format == "md":
        out.write(summary.to_markdown())
    else:
        out.write(summary.to_text())
    return 0


def _ics(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    from ._ics import to_ics  # noqa: PLC0415 - imports the icalendar extra

    _, subject, start, end = _inputs(args, stdin)
    reminder = (
        None
        if args.reminder is None
        else parse_duration(args.reminder, field="--reminder")
    )
    text = to_ics(subject, start=start, end=end, reminder=reminder)
    if args.output == "-":
        out.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
    return 0


def _allowance(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    bundle = _bundle(args.file, stdin)
    tz = (
        zone(bundle.plan.timezone) if bundle.plan is not None else _log_zone(bundle.log)
    )
    if args.at is None:
        at = datetime.now(tz or None).astimezone(tz)
    else:
        try:
            at = datetime.fromisoformat(args.at)
        except ValueError:
            msg = f"--at must be an ISO date and time like 2027-01-03T16:00 (got {args.at!r})"
            raise _UsageError(msg) from None
        if at.tzinfo is not None and tz is not None:
            at = at.astimezone(tz)
        if at.tzinfo is None:
            if tz is None:
                msg = "--at needs a UTC offset (like 2027-01-03T16:00-05:00) when the file has no plan"
                raise _UsageError(msg)
            at = at.replace(tzinfo=tz)
    if bundle.log is not None and (args.log or bundle.plan is None):
        timeline = bundle.log
    elif bundle.plan is not None:
        day = at.date()
        timeline = bundle.plan.timeline(
            day - timedelta(days=8), day + timedelta(days=8)
        )
    else:
        msg = "the file has neither a plan nor a log to work on"
        raise _UsageError(msg)
    result = allowance(timeline, bundle.profile or Profile(), args.substance, at=at)
    data = {
        "substance": args.substance,
        "at": at.isoformat(),
        "amount": None if result.amount is None else str(result.amount),
        "allowed_now": result.allowed_now,
        "earliest": result.earliest.isoformat(),
        "limited_by": None if result.limited_by is None else repr(result.limited_by),
    }
    if args.format == "json":
        out.write(json.dumps(data, indent=2) + "\n")
        return 0
    if result.amount is None:
        room = "no amount limit applies"
    else:
        room = f"up to {result.amount} more"
    out.write(f"{args.substance} at {moment(at)}: {room}\n")
    if not result.allowed_now:
        out.write(f"earliest dose allowed at {moment(result.earliest)}\n")
    if result.limited_by is not None:
        out.write(f"limited by {result.limited_by!r}\n")
    return 0


def _log_zone(log: Timeline | None) -> tzinfo | None:
    """Return the one time zone a log's events share, if they share one."""
    zones = {e.at.tzinfo for e in log or ()}
    return zones.pop() if len(zones) == 1 else None


def _schema(_args: argparse.Namespace, out: TextIO, _stdin: TextIO) -> int:
    out.write(json.dumps(schema(), indent=2) + "\n")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
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
            type=_date,
            metavar="DATE",
            help="first day (ISO date)",
        )
        sub.add_argument(
            "--days",
            type=int,
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
    schema_cmd = commands.add_parser(
        "schema", help="print the JSON Schema of plan files"
    )
    schema_cmd.set_defaults(run=_schema)
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    stdin: TextIO | None = None,
) -> int:
    """Run the command line; return the exit status (see the module docstring)."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: usage errors exit 2, --help exits 0
        return int(exc.code or 0)
    try:
        return int(args.run(args, out, stdin or sys.stdin))
    except RegimenError as exc:
        err.write(f"regimen {args.command}: {exc}\n")
        return 2
    except (ValueError, OSError) as exc:
        err.write(f"regimen {args.command}: {exc}\n")
        return 2


def run() -> None:
    """Console-script entry point: exit with :func:`main`'s status."""
    sys.exit(main())
