"""Calendar export and import speed and size (issue 13).

The ten-year wellness plan is ``examples/wellness.toml``'s plan run to
2036-12-31 (six daily entries, a break, about 21,900 dose events).

1. Recurring export: time and size. Goals: at most 50 ms and 50 KB. The
   export expands each entry with the plan's own expansion (the instants
   are what it writes), so Plan.timeline() is shown for comparison.
2. Per-dose export (``recurring=False``) against a minimal hand-written
   writer that produces the very same text (asserted), both expanding the
   plan. Goal: at most 3x.
3. Import of the recurring file back into a plan (unedited: the plan comes
   back whole). Goal: at most 100 ms. Also shown: the same file read from
   its events alone (as after an edit in a calendar app).

Run by hand: ``python benchmarks/bench_ics.py``. The figures depend on the
machine's load; the ratio is measured in one run.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import attrs
from _util import median_seconds

from regimen import Bundle, Plan, dumps, from_ics, load, to_ics

STAMP = datetime(2027, 1, 1, tzinfo=UTC)
EPOCH_2000 = datetime(2000, 1, 1, tzinfo=UTC)


def wellness_plan() -> Plan:
    """The example protocol over ten years."""
    plan = load(
        Path(__file__).resolve().parent.parent / "examples" / "wellness.toml"
    ).plan
    assert plan is not None
    return attrs.evolve(plan, end="2036-12-31")


def _fold(line: str) -> str:
    data = line.encode()
    if len(data) <= 75:
        return line + "\r\n"
    parts, start, size = [], 0, 75
    while start < len(data):
        end = min(start + size, len(data))
        while end < len(data) and data[end] & 0xC0 == 0x80:
            end -= 1
        parts.append(data[start:end].decode())
        start, size = end, 74
    return "\r\n ".join(parts) + "\r\n"


def _text(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\n", "\\n")
    )


def minimal_writer(plan: Plan) -> str:
    """Write the per-dose calendar with plain f-strings: the floor to compare with."""
    stamp = STAMP.strftime("%Y%m%dT%H%M%SZ")
    events = []
    seen: dict[str, int] = {}
    for event in plan.timeline():
        at = event.at.astimezone(UTC)
        base = f"{plan.name}|{event.product.name}|{event.amount}|{at.isoformat()}"
        n = seen.get(base, 0)
        seen[base] = n + 1
        uid = hashlib.sha256(f"{base}|{n}".encode()).hexdigest()[:32]
        lines = [
            "BEGIN:VEVENT",
            f"UID:{uid}@regimen",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{at.strftime('%Y%m%dT%H%M%SZ')}",
            "DURATION:PT5M",
            f"SUMMARY:{_text(f'{event.amount} {event.product.name}')}",
        ]
        if event.dose.note:
            lines.append(f"DESCRIPTION:{_text(event.dose.note)}")
        lines += [
            f"X-REGIMEN-PRODUCT:{_text(event.product.name)}",
            f"X-REGIMEN-AMOUNT:{_text(str(event.amount))}",
            "END:VEVENT",
        ]
        events.append("".join(_fold(line) for line in lines))
    data = json.dumps(
        json.loads(dumps(Bundle(plan), format="json")), separators=(",", ":")
    )
    kept = ("DTSTART", "RRULE", "EXDATE", "RDATE", "X-REGIMEN-")
    digests = sorted(
        hashlib.sha256(
            "\n".join(
                line
                for line in e.replace("\r\n ", "").split("\r\n")
                if line.startswith(kept)
            ).encode()
        ).hexdigest()
        for e in events
    )
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//regimen//regimen plan export//EN",
        "CALSCALE:GREGORIAN",
        f"NAME:{_text(plan.name)}",
        f"X-WR-CALNAME:{_text(plan.name)}",
        f"X-REGIMEN-PLAN:{_text(data)}",
        f"X-REGIMEN-DIGEST:{hashlib.sha256(chr(10).join(digests).encode()).hexdigest()}",
    ]
    return "".join(map(_fold, head)) + "".join(events) + "END:VCALENDAR\r\n"


def main() -> None:
    """Print the figures."""
    plan = wellness_plan()
    n = len(plan.timeline())
    recurring = to_ics(plan, stamp=STAMP)
    t_recurring = median_seconds(lambda: to_ics(plan, stamp=STAMP))
    t_expand = median_seconds(plan.timeline)
    print(
        f"plan: {n} dose events over ten years; Plan.timeline() {t_expand * 1000:.0f} ms"
    )
    print(
        f"recurring export: {t_recurring * 1000:.1f} ms, {len(recurring.encode()) / 1000:.1f} KB "
        f"({recurring.count('BEGIN:VEVENT')} VEVENTs) (goals <= 50 ms, <= 50 KB)"
    )

    per_dose = to_ics(plan, stamp=STAMP, recurring=False)
    assert per_dose == minimal_writer(plan), "the two writers disagree"
    t_ours = median_seconds(
        lambda: to_ics(plan, stamp=STAMP, recurring=False), repeat=5
    )
    t_floor = median_seconds(lambda: minimal_writer(plan), repeat=5)
    print(
        f"per-dose export: {t_ours * 1000:.0f} ms, {len(per_dose.encode()) / 1e6:.1f} MB; "
        f"minimal writer {t_floor * 1000:.0f} ms; ratio {t_ours / t_floor:.2f}x (goal <= 3x)"
    )

    assert from_ics(recurring).plan == plan
    t_import = median_seconds(lambda: from_ics(recurring))
    print(f"import of the recurring file: {t_import * 1000:.1f} ms (goal <= 100 ms)")
    edited = re.sub(r"X-REGIMEN-DIGEST:[^\r]*\r\n( [^\r]*\r\n)*", "", recurring)
    t_edited = median_seconds(lambda: from_ics(edited), repeat=3)
    print(f"  read from its events alone (after an edit): {t_edited * 1000:.0f} ms")


if __name__ == "__main__":
    main()
