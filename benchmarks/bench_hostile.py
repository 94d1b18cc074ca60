"""Hostile 1 MB plan files: load + check must take at most 2 s and 200 MB each.

Each case is a file of about 1 MB built to make regimen work hard: many
entries, many times a day, long plans covered by breaks, rare RRULEs over
millennia, deep nesting, long strings, many rules, a long log. Each runs in
a fresh process (so memory is that case's alone): ``regimen.load`` then
``regimen.validate`` of the plan (or log) with the file's profile, what
``regimen check FILE`` does. A ``RegimenError`` (``LoadError``,
``ExpansionError``) is a fine outcome; any other exception is a failure.
Peak memory is the growth of the process's maximum resident set during
load + check. Times are wall-clock and CPU; the goal is judged on CPU time,
which equals wall-clock time on a quiet machine and is not inflated by
other work on a busy one. The same process then times a plain
``tomllib.loads`` (or ``json.loads``) of the same text, and the table shows
the ratio of CPU times.

Run ``python benchmarks/bench_hostile.py`` (``--timeout S`` per case,
``--only NAME`` for one case).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SIZE = 990_000
GOAL_SECONDS = 2.0
GOAL_MB = 200.0

HEAD = """version = 1

[[substances]]
name = "kratom"
classes = ["botanical"]
onset = "45 min"

[[products]]
name = "Maeng Da"
per = "1 g"
contents = { kratom = "1 g" }

[profile]
day_start = "04:00"

[[profile.rules]]
type = "max-amount"
substance = "kratom"
amount = "8 g"
per = "24 h"

[[profile.rules]]
type = "max-doses"
substance = "kratom"
count = 3
per = "day"

[[profile.rules]]
type = "min-interval"
substance = "kratom"
interval = "4 h"

[[profile.rules]]
type = "break-cadence"
substance = "kratom"
days = 3
every = 31
"""


def _plan(start: str, end: str, *, breaks: str = "") -> str:
    text = (
        HEAD
        + f'\n[plan]\nname = "hostile"\ntimezone = "America/New_York"\nstart = {start}\nend = {end}\n'
    )
    return text + breaks


def _fill(head: str, item: Callable[[int], str], limit: int = 9_000) -> str:
    """Append up to *limit* items while the text stays under SIZE bytes.

    The limit keeps each case under the file's limits on items per list
    (10,000) and values (100,000), so regimen has to do the work.
    """
    parts = [head]
    size = len(head.encode())
    i = 0
    while True:
        piece = item(i)
        size += len(piece.encode())
        if size > SIZE or i == limit:
            return "".join(parts)
        parts.append(piece)
        i += 1


def _entry(schedule: str, amount: str = "1 g") -> Callable[[int], str]:
    return lambda i: (
        f'\n[[plan.entries]]\ndose = {{ product = "Maeng Da", amount = "{amount}" }}\n'
        f"schedule = {schedule}\n"
    )


_MINUTES = ", ".join(f'"{m // 60:02d}:{m % 60:02d}"' for m in range(1440))
_COVER = (
    '\n[[plan.breaks]]\nstart = 0002-01-01\nend = 9998-12-31\nreason = "all of it"\n'
)


def many_entries_year() -> str:
    """About 9,000 daily entries over one year (millions of events: over max_events)."""
    return _fill(
        _plan("2027-01-01", "2027-12-31"),
        _entry('{ kind = "daily", times = ["08:00"] }'),
    )


def many_entries_week() -> str:
    """About 9,000 daily entries over one week (tens of thousands of events to check)."""
    return _fill(
        _plan("2027-01-01", "2027-01-07"),
        _entry('{ kind = "daily", times = ["08:00"] }'),
    )


def minutes_year() -> str:
    """Sixty entries with 1,440 times a day over one year."""
    return _fill(
        _plan("2027-01-01", "2027-12-31"),
        _entry(f'{{ kind = "daily", times = [{_MINUTES}] }}'),
        limit=60,
    )


def minutes_covered() -> str:
    """Sixty entries with 1,440 times a day over 0002-9998, all covered by a break."""
    head = _plan("0002-01-01", "9998-12-31", breaks=_COVER)
    return _fill(head, _entry(f'{{ kind = "daily", times = [{_MINUTES}] }}'), limit=60)


def daily_covered() -> str:
    """Thousands of daily entries over 0002-9998, all covered by a break."""
    head = _plan("0002-01-01", "9998-12-31", breaks=_COVER)
    return _fill(head, _entry('{ kind = "daily", times = ["08:00"] }'))


def rare_rrule() -> str:
    """Thousands of entries with a rule matching once in 28 years, over 0002-9998."""
    rule = '{ kind = "rrule", rule = "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO", times = ["08:00"] }'
    return _fill(_plan("0002-01-01", "9998-12-31"), _entry(rule))


def impossible_rrule() -> str:
    """Thousands of entries with a rule that never matches (30 February), over 0002-9998."""
    rule = '{ kind = "rrule", rule = "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30", times = ["08:00"] }'
    return _fill(_plan("0002-01-01", "9998-12-31"), _entry(rule))


def distinct_impossible() -> str:
    """Thousands of distinct rules that never match (BYSETPOS varied), over 0002-9998."""

    def entry(i: int) -> str:
        day = (30, 31, -30, -31)[i // 732 % 4]
        position = f"{'-' if i // 366 % 2 else ''}{i % 366 + 1}"
        rule = f"FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY={day};BYSETPOS={position}"
        return _entry(f'{{ kind = "rrule", rule = "{rule}", times = ["08:00"] }}')(i)

    return _fill(_plan("0002-01-01", "9998-12-31"), entry)


def unreachable_rrule() -> str:
    """Thousands of distinct DTSTARTs whose INTERVAL never reaches BYMONTH: each scans to 9998."""

    def entry(i: int) -> str:
        rule = f"DTSTART:{2 + i // 28:04d}01{1 + i % 28:02d}\\nRRULE:FREQ=MONTHLY;INTERVAL=12;BYMONTH=2"
        return _entry(f'{{ kind = "rrule", rule = "{rule}", times = ["08:00"] }}')(i)

    return _fill(_plan("0002-01-01", "9998-12-31"), entry)


def many_breaks() -> str:
    """A ten-year plan with thousands of one-day breaks."""
    head = _plan("2027-01-01", "2036-12-31") + _entry(
        '{ kind = "daily", times = ["08:00", "20:00"] }'
    )(0)
    return _fill(
        head,
        lambda i: (
            f"\n[[plan.breaks]]\nstart = {2027 + i // 900}-01-{1 + i % 28:02d}\nend = {2027 + i // 900}-01-{1 + i % 28:02d}\n"
        ),
    )


def many_rules() -> str:
    """A ten-year plan of three doses a day checked against thousands of rules."""
    head = _plan("2027-01-01", "2036-12-31") + _entry(
        '{ kind = "daily", times = ["08:00", "14:00", "20:00"] }'
    )(0)
    rules = [
        'type = "max-amount"\nsubstance = "kratom"\namount = "{n} g"\nper = "{n} h"\n',
        'type = "max-doses"\nsubstance = "kratom"\ncount = {n}\nper = "{n} d"\n',
        'type = "min-interval"\nsubstance = "kratom"\ninterval = "{n} min"\n',
        'type = "max-consecutive-days"\nsubstance = "kratom"\ndays = {n}\n',
        'type = "rotation"\nsubstance = "kratom"\nmax_days = {n}\n',
    ]
    return _fill(
        head, lambda i: "\n[[profile.rules]]\n" + rules[i % 5].format(n=1 + i % 97)
    )


def long_log() -> str:
    """A log of about 8,000 doses (no plan)."""
    return _fill(
        HEAD,
        lambda i: (
            f'\n[[log]]\nat = "{2027 + i // 2000}-{1 + i // 170 % 12:02d}-{1 + i // 6 % 28:02d}T{6 + i % 6 * 3:02d}:00:00-05:00"\n'
            'timezone = "America/New_York"\ndose = { product = "Maeng Da", amount = "2 g" }\n'
        ),
    )


def deep_arrays() -> str:
    """Arrays nested half a million levels deep."""
    depth = (SIZE - 100) // 2
    return "version = 1\nx = " + "[" * depth + "]" * depth + "\n"


def deep_tables() -> str:
    """Inline tables nested about 100,000 levels deep."""
    depth = (SIZE - 100) // 8
    return "version = 1\nx = " + "{ a = " * depth + "1" + " }" * depth + "\n"


def long_strings() -> str:
    """A substance whose name and notes are about half a megabyte each."""
    name = "k" * (SIZE // 4 - 100)
    return (
        f'version = 1\n[[substances]]\nname = "{name}"\nnotes = "{"n" * (SIZE // 2 - 200)}"\n'
        f'[[products]]\nname = "p"\ncontents = {{ "{name}" = "1 g" }}\nper = "1 g"\n'
    )


def unknown_products() -> str:
    """About 9,000 entries naming a product the file does not define (every one a problem)."""
    entry = _entry('{ kind = "daily", times = ["08:00"] }')
    return _fill(
        _plan("2027-01-01", "2027-01-07"),
        lambda i: entry(i).replace("Maeng Da", f"Maeng Da {i}"),
    )


def long_numbers() -> str:
    """Entries whose amounts have 37 significant digits (day totals need more)."""
    amount = "1234567890.123456789012345678901234567 g"
    return _fill(
        _plan("2027-01-01", "2027-01-31"),
        _entry('{ kind = "daily", times = ["08:00"] }', amount),
    )


CASES: dict[str, Callable[[], str]] = {
    f.__name__.replace("_", "-"): f
    for f in (
        many_entries_year, many_entries_week, minutes_year, minutes_covered,
        daily_covered, rare_rrule, impossible_rrule, distinct_impossible,
        unreachable_rrule, many_breaks, many_rules,
        long_log, deep_arrays, deep_tables, long_strings, unknown_products, long_numbers,
    )
}  # fmt: skip


def _as_json(text: str) -> str:
    """The same document as JSON (when tomllib can read it)."""
    import tomllib

    return json.dumps(tomllib.loads(text), default=str)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(path: Path) -> None:
    """Measure one file in this process and print the figures as JSON."""
    import tomllib

    import regimen

    regimen.validate  # noqa: B018 - load the lazy modules before measuring
    raw = path.read_bytes()
    base = _rss_mb()
    began, began_cpu = time.perf_counter(), time.process_time()
    try:
        bundle = regimen.load(path)
        subject = bundle.plan if bundle.plan is not None else bundle.log
        outcome = "loaded"
        if subject is not None:
            report = regimen.validate(subject, bundle.profile)
            outcome = f"{len(report.findings)} findings"
    except regimen.RegimenError as exc:
        outcome = type(exc).__name__
    except Exception as exc:
        outcome = f"RAW {type(exc).__name__}"
    seconds = time.perf_counter() - began
    cpu = time.process_time() - began_cpu
    peak = _rss_mb() - base
    began = time.process_time()
    try:
        if path.suffix == ".json":
            json.loads(raw)
        else:
            tomllib.loads(raw.decode())
    except Exception:
        pass
    parse = time.process_time() - began
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu": cpu,
                "mb": peak,
                "outcome": outcome,
                "parse": parse,
            }
        )
    )


def _measure(path: Path, timeout: float) -> dict[str, Any] | str:
    """Run the child on *path*; its figures, or why there are none."""
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(path)],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"TIMEOUT (killed after {timeout:g} s)"
    try:
        figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    except (json.JSONDecodeError, IndexError):
        return "CRASHED: " + done.stderr.strip()[-200:]
    return figures


def main() -> None:
    """Build every case, measure each in its own process, print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per case")
    parser.add_argument("--only", action="append", choices=sorted(CASES))
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child)
        return
    over = 0
    print(
        f"{'case':18} {'form':4} {'bytes':>7} {'s':>6} {'cpu s':>6} {'MB':>4} {'ratio':>7}  outcome"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.only or CASES:
            text = CASES[name]()
            forms = [("toml", text)]
            if not name.startswith("deep"):
                forms.append(("json", _as_json(text)))
            for fmt, body in forms:
                path = Path(tmp) / f"{name}.{fmt}"
                path.write_text(body, encoding="utf-8")
                size = path.stat().st_size
                figures = _measure(path, args.timeout)
                if isinstance(figures, str):
                    over += 1
                    print(
                        f"{name:18} {fmt:4} {size:>7} {'-':>6} {'-':>6} {'-':>4} {'-':>7}  {figures}"
                    )
                    continue
                ratio = figures["cpu"] / max(figures["parse"], 1e-6)
                bad = (
                    figures["cpu"] > GOAL_SECONDS
                    or figures["mb"] > GOAL_MB
                    or figures["outcome"].startswith("RAW")
                )
                over += bad
                print(
                    f"{name:18} {fmt:4} {size:>7} {figures['seconds']:>6.2f} {figures['cpu']:>6.2f} "
                    f"{figures['mb']:>4.0f} {ratio:>6.1f}x  {figures['outcome']}{'  OVER GOAL' if bad else ''}"
                )
    print(
        f"goal: each case <= {GOAL_SECONDS:g} s and <= {GOAL_MB:g} MB; {over} over the goal"
    )
    print(
        "s: wall-clock load + check; cpu s: its CPU time, which the goal is judged on"
    )
    print(
        "(equal on a quiet machine; on a busy one wall-clock time measures the others)"
    )
    print("MB: growth of the process's peak resident memory during load + check")
    print("ratio: load + check CPU time / a plain tomllib.loads (json.loads for .json)")


if __name__ == "__main__":
    main()
