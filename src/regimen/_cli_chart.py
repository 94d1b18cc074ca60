"""The ``regimen chart`` command: a PNG or SVG of totals, adherence or an exposure estimate.

Part of the ``regimen`` command (see :mod:`regimen._cli`); it imports the
charts (and matplotlib, extra ``regimen[plot]``) only when it runs.
"""

from __future__ import annotations

import argparse
import io
from datetime import UTC, date, time, timedelta
from typing import IO, TYPE_CHECKING, Any

from ._cli_io import CommandError, read_bundle, write_bytes
from ._limits import MAX_MOMENT

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ._bundle import Bundle
    from ._kinetics import Kinetics
    from ._quantity import Quantity
    from ._substance import Substance

__all__ = ["add_chart", "chart_command"]

Stream = IO[str] | None
_FORMATS = ("png", "svg")


def add_chart(commands: Any) -> None:
    """Add ``chart`` to *commands* (an ``add_subparsers()`` result)."""
    from ._cli_io import parse_date, parse_days  # noqa: PLC0415

    text = "draw a chart: daily totals, an adherence calendar or an exposure estimate"
    sub = commands.add_parser("chart", help=text, description=text)
    sub.add_argument("file", metavar="FILE", help="a plan file; - for standard input")
    sub.add_argument(
        "--kind", required=True, choices=["totals", "adherence", "exposure"]
    )
    sub.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help="file to write, .png or .svg; - for standard output (with --format)",
    )
    sub.add_argument("--format", choices=_FORMATS, help="default: from OUT's suffix")
    sub.add_argument(
        "--from", dest="start", type=parse_date, metavar="DATE", help="first day"
    )
    sub.add_argument("--days", type=parse_days, metavar="N", help="how many days")
    sub.add_argument(
        "--log", action="store_true", help="chart the file's log instead of its plan"
    )
    sub.add_argument(
        "--substance",
        metavar="NAME",
        help="exposure: the substance (default: the first with kinetics)",
    )
    sub.add_argument(
        "--at", metavar="TIME", help="adherence: as of this moment (default: now)"
    )
    sub.set_defaults(run=chart_command)


def _format(args: argparse.Namespace) -> str:
    if args.format is not None:
        return str(args.format)
    suffix = args.output.rsplit(".", 1)[-1].lower() if "." in args.output else ""
    if suffix not in _FORMATS:
        msg = "--output must end in .png or .svg (or give --format png|svg)"
        raise CommandError(msg)
    return suffix


def chart_command(args: argparse.Namespace, out: Stream, stdin: Stream) -> int:
    """Draw the chart ``--kind`` asks for and write it to ``--output``."""
    kind = _format(args)
    bundle = read_bundle(args.file, stdin)
    if args.kind == "adherence":
        figure = _adherence(args, bundle)
    elif args.kind == "exposure":
        figure = _exposure(args, bundle)
    else:
        figure = _totals(args, bundle)
    buffer = io.BytesIO()
    metadata = {"Software": None} if kind == "png" else {"Date": None}
    figure.savefig(buffer, format=kind, dpi=100, metadata=metadata)
    write_bytes(args.output, buffer.getvalue(), out)
    return 0


def _window(
    args: argparse.Namespace, bundle: Bundle
) -> tuple[date | None, date | None]:
    from ._cli import _window as window  # noqa: PLC0415 - shared with the other commands

    return window(args, bundle.plan)


def _totals(args: argparse.Namespace, bundle: Bundle) -> Figure:
    from ._cli import _subject  # noqa: PLC0415
    from .charts import totals_chart  # noqa: PLC0415 - imports matplotlib

    subject = _subject(bundle, args.log)
    start, end = _window(args, bundle)
    return totals_chart(subject, bundle.profile, start=start, end=end)


def _adherence(args: argparse.Namespace, bundle: Bundle) -> Figure:
    from ._adherence import adherence  # noqa: PLC0415
    from ._cli_moments import _at  # noqa: PLC0415
    from ._timezone import zone  # noqa: PLC0415
    from .charts import adherence_chart  # noqa: PLC0415 - imports matplotlib

    if bundle.plan is None or bundle.log is None:
        msg = "an adherence chart needs a file with both a plan and a log"
        raise CommandError(msg)
    at = _at(args.at, zone(bundle.plan.timezone))
    day_start = bundle.profile.day_start if bundle.profile else time(0)
    result = adherence(bundle.plan, bundle.log, at=at, day_start=day_start)
    return adherence_chart(result)


def _exposure(args: argparse.Namespace, bundle: Bundle) -> Figure:
    from ._cli import _subject  # noqa: PLC0415
    from ._exposure import exposure  # noqa: PLC0415
    from ._validate import window  # noqa: PLC0415
    from .charts import exposure_chart  # noqa: PLC0415 - imports matplotlib

    substance, kinetics, limit = _model(args, bundle)
    subject = _subject(bundle, args.log)
    start, end = _window(args, bundle)
    timeline = window(subject, start, end)
    if not timeline:
        msg = "no doses to estimate in the chosen window"
        raise CommandError(msg)
    first = timeline[0].at
    lasting = kinetics.half_life + (kinetics.absorption_half_life or timedelta(0))
    last = timeline[-1].at.astimezone(UTC)
    until = last + min(5 * lasting, MAX_MOMENT - last)
    span = until - first.astimezone(UTC)
    step = max(timedelta(minutes=10), span / 2000)
    step = timedelta(minutes=-(-step // timedelta(minutes=1)))
    series = exposure(
        timeline, substance, kinetics=kinetics, start=first, end=until, step=step
    )
    return exposure_chart(series, limit=limit)


def _model(
    args: argparse.Namespace, bundle: Bundle
) -> tuple[Substance, Kinetics, Quantity | None]:
    """Pick the substance, its model parameters and a limit from the file."""
    from ._rules_exposure import MaxExposure  # noqa: PLC0415

    rules = [
        r
        for r in (bundle.profile.rules if bundle.profile else ())
        if isinstance(r, MaxExposure)
    ]
    candidates = [
        s
        for s in bundle.substances
        if s.kinetics is not None or any(s.matches(r.substance) for r in rules)
    ]
    if args.substance is not None:
        folded = args.substance.strip().casefold()
        candidates = [s for s in bundle.substances if folded in s._terms]
        if not candidates:
            known = ", ".join(repr(s.name) for s in bundle.substances) or "none"
            msg = f"--substance: the file has no substance {args.substance!r} (its substances: {known})"
            raise CommandError(msg)
    for substance in candidates:
        rule = next((r for r in rules if substance.matches(r.substance)), None)
        kinetics = substance.kinetics or (rule.kinetics if rule is not None else None)
        if kinetics is not None:
            return substance, kinetics, None if rule is None else rule.amount
    msg = (
        "an exposure chart needs model parameters: give the substance a kinetics "
        "table (half_life and source), or a max-exposure rule with one"
    )
    raise CommandError(msg)
