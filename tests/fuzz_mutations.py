"""The fuzzer's mutations: each changes a plan-file tree in place.

A mutation takes a seeded ``random.Random`` and the tree (what ``tomllib``
gives for a plan file) and returns whether it changed anything.
:data:`MUTATIONS` maps each name to its function and its weight.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from . import fuzz_values as v
from .fuzz_values import Deep, Pairs, Raw

__all__ = ["MUTATIONS", "TRICKS"]


def _either(rng: random.Random, good: list[Any], bad: list[Any]) -> Any:
    """Pick a value a file may well hold half of the time, a hostile one otherwise."""
    return rng.choice(good if rng.random() < 0.5 else bad)


def _quantity(rng: random.Random) -> str:
    return f"{_either(rng, v.GOOD_NUMBERS, v.NUMBERS)} {rng.choice(v.UNITS)}"


# -- walking the tree -------------------------------------------------------------

Slot = tuple[Any, Any]  # (container, key or index)


def _slots(tree: Any) -> list[Slot]:
    out: list[Slot] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for k, v in node.items():
                out.append((node, k))
                stack.append(v)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                out.append((node, i))
                stack.append(v)
    return out


def _list(table: dict[str, Any], key: str) -> list[Any]:
    """Return ``table[key]`` if it is a list (a mutation may have replaced it), else []."""
    value = table.get(key)
    return value if isinstance(value, list) else []


def _named(tree: Any, *names: str) -> list[Slot]:
    return [(c, k) for c, k in _slots(tree) if isinstance(c, dict) and k in names]


def _pick(rng: random.Random, slots: list[Slot]) -> Slot | None:
    return rng.choice(slots) if slots else None


def _set(slot: Slot | None, value: Any) -> bool:
    if slot is None:
        return False
    slot[0][slot[1]] = value
    return True


# -- the mutations ----------------------------------------------------------------

Mutation = Callable[[random.Random, dict[str, Any]], bool]


def _delete(rng: random.Random, doc: dict[str, Any]) -> bool:
    slot = _pick(rng, _slots(doc))
    if slot is None:
        return False
    del slot[0][slot[1]]
    return True


def _duplicate(rng: random.Random, doc: dict[str, Any]) -> bool:
    slot = _pick(rng, [s for s in _slots(doc) if isinstance(s[0][s[1]], dict | list)])
    if slot is None:
        return False
    value = slot[0][slot[1]]
    if isinstance(value, list):
        if value:
            value.insert(rng.randrange(len(value)), value[rng.randrange(len(value))])
        return True
    if not value:
        return False
    items = list(value.items())
    key, item = rng.choice(items)
    other = rng.choice(items)[1] if rng.random() < 0.5 else item
    slot[0][slot[1]] = Pairs((*items, (key, other)))
    return True


def _swap_type(rng: random.Random, doc: dict[str, Any]) -> bool:
    choices: list[Any] = [
        0, -1, 10**30, 1.5, float("nan"), float("inf"), True, "", "x", [], [1, "a"],
        {}, {"name": "x"}, date(2027, 1, 4), datetime(2027, 1, 4, 8, 0),
        time(8, 0), None, "2 g", "45 min", "08:00", "kratom", Raw("-0.0"),
    ]  # fmt: skip
    return _set(_pick(rng, _slots(doc)), rng.choice(choices))


def _number(rng: random.Random, doc: dict[str, Any]) -> bool:
    slot = _pick(rng, _named(doc, "amount", "per", "contents", "equivalents"))
    if slot is None:
        return False
    quantity = _quantity(rng)
    value = slot[0][slot[1]]
    if isinstance(value, dict) and value:
        value[rng.choice(list(value))] = quantity
        return True
    if isinstance(value, list) and value and isinstance(value[0], list):
        value[0] = [quantity, _quantity(rng)]
        return True
    return _set(slot, quantity)


def _integer(rng: random.Random, doc: dict[str, Any]) -> bool:
    names = (
        "count",
        "days",
        "every",
        "max_days",
        "n_days",
        "on_days",
        "off_days",
        "version",
    )
    return _set(_pick(rng, _named(doc, *names)), _either(rng, v.GOOD_INTS, v.INTS))


def _strings(doc: dict[str, Any]) -> list[Slot]:
    return [(c, k) for c, k in _slots(doc) if isinstance(c[k], str)]


def _long_string(rng: random.Random, doc: dict[str, Any]) -> bool:
    slot = _pick(rng, _strings(doc))
    if slot is None:
        return False
    size = rng.choice([1000, 65_536, 400_000])
    base = slot[0][slot[1]] or "x"
    return _set(slot, (base * (size // len(base) + 1))[:size])


def _unicode(rng: random.Random, doc: dict[str, Any]) -> bool:
    slot = _pick(rng, _strings(doc))
    if slot is None:
        return False
    s: str = slot[0][slot[1]]
    trick = rng.choice(v.STRING_TRICKS)
    how = rng.randrange(4)
    if how == 0:
        s = trick + s
    elif how == 1:
        s += trick
    elif how == 2:
        pos = rng.randrange(len(s) + 1)
        s = s[:pos] + trick + s[pos:]
    else:
        s = rng.choice([s.upper(), s.swapcase(), f"  {s}  ", s.replace("a", "а")])
    return _set(slot, s)


def _deep(rng: random.Random, doc: dict[str, Any]) -> bool:
    depth = rng.choice([31, 33, 100, 1000, 100_000])
    return _set(_pick(rng, _slots(doc)), Deep(depth, table=rng.random() < 0.5))


def _dates(rng: random.Random, doc: dict[str, Any]) -> bool:
    slot = _pick(rng, _named(doc, "start", "end"))
    value = rng.choice(v.EDGE_DATES) if rng.random() < 0.8 else rng.choice(v.BAD_DATES)
    if slot is not None and rng.random() < 0.5 and isinstance(slot[0], dict):
        slot[0]["start"], slot[0]["end"] = (
            rng.choice(v.FIRST_DATES),
            rng.choice(v.LAST_DATES),
        )
        return True
    return _set(slot, value)


def _moments(rng: random.Random, doc: dict[str, Any]) -> bool:
    return _set(_pick(rng, _named(doc, "at")), rng.choice(v.MOMENTS))


def _durations(rng: random.Random, doc: dict[str, Any]) -> bool:
    names = ("onset", "duration", "within", "interval", "per", "offset")
    return _set(
        _pick(rng, _named(doc, *names)), _either(rng, v.GOOD_DURATIONS, v.DURATIONS)
    )


def _zone(rng: random.Random, doc: dict[str, Any]) -> bool:
    return _set(
        _pick(rng, _named(doc, "timezone")), _either(rng, v.GOOD_ZONES, v.ZONES)
    )


def _schedules(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [c[k] for c, k in _named(doc, "schedule") if isinstance(c[k], dict)]


def _rrule(rng: random.Random, doc: dict[str, Any]) -> bool:
    found = _schedules(doc)
    if not found:
        return False
    schedule = rng.choice(found)
    times = schedule.get("times", ["08:00"])
    schedule.clear()
    schedule.update(
        kind="rrule", rule=_either(rng, v.GOOD_RRULES, v.RRULES), times=times
    )
    return True


def _times(rng: random.Random, doc: dict[str, Any]) -> bool:
    found = _schedules(doc)
    if not found:
        return False
    schedule = rng.choice(found)
    how = rng.randrange(4)
    if how == 0:
        step = rng.choice([1, 5, 60])
        schedule["times"] = [
            f"{m // 60:02d}:{m % 60:02d}" for m in range(0, 1440, step)
        ]
    elif how == 1:
        schedule["times"] = ["08:00"] * rng.choice([2, 1000])
    elif how == 2:
        schedule["times"] = [rng.choice(v.TIMES) for _ in range(rng.randint(0, 3))]
    else:
        schedule["offset"] = rng.choice([*v.DURATIONS, "23 h 59 min", "24 h", "-1 min"])
    return True


def _said_times(rng: random.Random, doc: dict[str, Any]) -> bool:
    """Turn a schedule into one spread over a window, at meals or every h hours."""
    found = _schedules(doc)
    if not found:
        return False
    schedule = rng.choice(found)
    how = rng.randrange(4)
    if how == 0:
        schedule.pop("times", None)
        schedule["spread"] = rng.choice([1, 3, 0, -1, 1441, 10**9, "3"])
        if rng.random() < 0.7:
            schedule["between"] = [
                rng.choice(v.TIMES) for _ in range(rng.choice([2, 2, 1, 3]))
            ]
    elif how == 1:
        schedule.pop("times", None)
        meals = [
            "wake",
            "breakfast",
            "lunch",
            "dinner",
            "bedtime",
            "BREAKFAST ",
            "tea",
            "",
        ]
        schedule["meals"] = [rng.choice(meals) for _ in range(rng.randint(0, 3))]
        if rng.random() < 0.7:
            schedule["meal_offset"] = rng.choice(
                ["-30 min", "+1 h", "0 min", "-12 h", "13 h", "- 5 min", "--1 h", "-"]
            )
    elif how == 2:
        schedule.clear()
        schedule["kind"] = "hours"
        schedule["every"] = rng.choice(
            ["8 h", "1 min", "5 h", "7 d", "8 d", "30 s", "0 min"]
        )
        if rng.random() < 0.7:
            schedule["first"] = rng.choice(v.TIMES)
    else:
        plan = doc.get("plan")
        if not isinstance(plan, dict):
            return False
        plan["meal_times"] = {
            rng.choice(["breakfast", "bedtime", "Lunch", "brunch"]): rng.choice(v.TIMES)
            for _ in range(rng.randint(0, 3))
        }
    return True


def _profile(doc: dict[str, Any]) -> dict[str, Any]:
    profile = doc.get("profile")
    if not isinstance(profile, dict):
        profile = doc["profile"] = {}
    return profile


def _day_start(rng: random.Random, doc: dict[str, Any]) -> bool:
    _profile(doc)["day_start"] = rng.choice([*v.TIMES, "23:59", "12:00"])
    return True


_RULE_KEYS = {
    "max-amount": ("amount", "per"),
    "max-doses": ("count", "per"),
    "min-interval": ("interval",),
    "max-consecutive-days": ("days",),
    "break-cadence": ("days", "every"),
    "rotation": ("max_days",),
    "avoid-tags": ("tags",),
}


def _rules(rng: random.Random, doc: dict[str, Any]) -> bool:
    rule: dict[str, Any] = {
        "type": rng.choice(
            ["max-amount", "max-doses", "min-interval", "max-consecutive-days",
             "break-cadence", "rotation", "avoid-tags", "nope", ""]
        ),
        "substance": rng.choice(["kratom", "kefir", "botanical", "", "nothing", "KRATOM"]),
    }  # fmt: skip
    extras = {
        "amount": _quantity(rng),
        "count": _either(rng, v.GOOD_INTS, v.INTS),
        "per": rng.choice(["dose", "day", "week", "24 h", *v.DURATIONS]),
        "interval": _either(rng, v.GOOD_DURATIONS, v.DURATIONS),
        "days": _either(rng, v.GOOD_INTS, v.INTS),
        "every": _either(rng, v.GOOD_INTS, v.INTS),
        "max_days": _either(rng, v.GOOD_INTS, v.INTS),
        "tags": rng.choice([[""], ["lactose"], [], ["x"] * 1000]),
        "day_start": rng.choice(v.TIMES),
        "severity": rng.choice(["error", "warning", "info", "fatal", ""]),
    }
    needs = _RULE_KEYS.get(rule["type"])
    if needs is not None and rng.random() < 0.5:  # a well-formed rule of that type
        good = {
            "amount": f"{rng.choice(v.GOOD_NUMBERS)} g",
            "count": rng.choice(v.GOOD_INTS),
            "per": rng.choice(["dose", "day", "week", *v.GOOD_DURATIONS]),
            "interval": rng.choice(v.GOOD_DURATIONS),
            "days": rng.choice(v.GOOD_INTS[:5]),
            "every": rng.choice(v.GOOD_INTS[4:]),
            "max_days": rng.choice(v.GOOD_INTS),
            "tags": ["lactose"],
        }
        names = [s.get("name") for s in _list(doc, "substances") if isinstance(s, dict)]
        rule["substance"] = rng.choice(
            [n for n in names if isinstance(n, str)] or ["x"]
        )
        rule.update({key: good[key] for key in needs})
        if rule["type"] == "avoid-tags":
            del rule["substance"]
    else:
        for key in rng.sample(list(extras), rng.randint(1, 4)):
            rule[key] = extras[key]
    rules = _profile(doc).setdefault("rules", [])
    if isinstance(rules, list):
        rules.append(rule)
    return True


def _tags(rng: random.Random, doc: dict[str, Any]) -> bool:
    profile = _profile(doc)
    if rng.random() < 0.5:
        profile["avoid_tags"] = rng.choice(
            [[""], [" "], ["lactose", "LACTOSE"], ["x" * 10_000]]
        )
    else:
        profile["medications"] = rng.choice(
            [[""], ["alcohol"], ["kratom"], ["opioid"] * 100]
        )
    return True


def _names(rng: random.Random, doc: dict[str, Any]) -> bool:
    """Make names collide: aliases equal to other names, case and fold twins."""
    subs = [s for s in _list(doc, "substances") if isinstance(s, dict)]
    prods = [p for p in _list(doc, "products") if isinstance(p, dict)]
    how = rng.randrange(4)
    if how == 0 and len(subs) > 1:
        a, b = rng.sample(subs, 2)
        a["aliases"] = [b.get("name", ""), *_list(a, "aliases")]
    elif how == 1 and subs:
        twin = dict(rng.choice(subs))
        twin["name"] = str(twin.get("name", "")).upper()
        subs.append(twin)
        doc["substances"] = subs
    elif how == 2 and prods:
        rng.choice(prods)["contents"] = {"": "1 g"} if rng.random() < 0.5 else {}
    elif subs:
        rng.choice(subs)["classes"] = [rng.choice(["kratom", "", "opioid", "alcohol"])]
    return True


def _many(rng: random.Random, doc: dict[str, Any]) -> bool:
    lists = [(c, k) for c, k in _slots(doc) if isinstance(c[k], list) and c[k]]
    slot = _pick(rng, lists)
    if slot is None:
        return False
    items: list[Any] = slot[0][slot[1]]
    # The largest item sets the count (an item may hold a long string), so
    # that the grown list stays near 1 MB: larger inputs only test the
    # refusal by length, and would measure the fuzzer's own memory.
    size = max(1, *(len(json.dumps(x, default=str)) for x in items))
    target = rng.choice([100, 10_000, 900_000]) // size + 1
    grown = [items[i % len(items)] for i in range(max(len(items), target))]
    if slot[1] in ("substances", "products"):
        grown = [
            {**x, "name": f"{x.get('name', '')}{i}"} if isinstance(x, dict) else x
            for i, x in enumerate(grown)
        ]
    slot[0][slot[1]] = grown
    return True


def _cover(rng: random.Random, doc: dict[str, Any]) -> bool:
    """Stretch the plan over millennia, mostly or entirely covered by a break."""
    plan = doc.get("plan")
    if not isinstance(plan, dict):
        return False
    first, last = rng.choice(v.FIRST_DATES), rng.choice(v.LAST_DATES)
    plan["start"], plan["end"] = first, last
    for entry in _list(plan, "entries"):
        if isinstance(entry, dict):
            entry.pop("start", None)
            entry.pop("end", None)
    brk: dict[str, Any] = {"start": first, "end": last}
    if rng.random() < 0.3:
        brk["start"] = first + timedelta(days=1)
    pattern = rng.random()
    if pattern < 0.4:  # a repeating break over the millennia, often open-ended
        brk.update(
            rng.choice(
                [
                    {"weekdays": rng.sample(_WEEKDAYS, rng.randint(1, 7))},
                    {"rule": rng.choice(_BREAK_RULES)},
                    {"on_days": 1, "off_days": 100_000},
                    {"on_days": 100_000, "off_days": 1},
                    {"on_days": rng.randint(1, 9), "off_days": rng.randint(1, 9)},
                ]
            )
        )
        if rng.random() < 0.5:
            del brk["end"]
    plan["breaks"] = [brk]
    return True


_WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
_BREAK_RULES = [
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",  # never matches
    "FREQ=DAILY",
    "FREQ=MONTHLY;BYMONTHDAY=1,2,3",
    "FREQ=WEEKLY;INTERVAL=10000;BYDAY=SU",
]


def _edge_plan(rng: random.Random, doc: dict[str, Any]) -> bool:
    """Move the plan to the first or last days regimen supports, in a far-off zone."""
    plan = doc.get("plan")
    if not isinstance(plan, dict):
        return False
    span = timedelta(days=rng.choice([0, 6, 30]))
    if rng.random() < 0.5:
        plan["start"] = rng.choice(v.FIRST_DATES)
        plan["end"] = plan["start"] + span
    else:
        plan["end"] = rng.choice(v.LAST_DATES)
        plan["start"] = plan["end"] - span
    plan["timezone"] = rng.choice(v.GOOD_ZONES)
    for entry in _list(plan, "entries"):
        if isinstance(entry, dict):
            entry.pop("start", None)
            entry.pop("end", None)
            if rng.random() < 0.3 and isinstance(entry.get("schedule"), dict):
                entry["schedule"]["offset"] = rng.choice(
                    ["23 h", "23 h 59 min", "-1 h"]
                )
    if rng.random() < 0.5:
        plan.pop("breaks", None)
    if rng.random() < 0.5:
        _profile(doc)["day_start"] = rng.choice(["23:59", "12:00", "04:00"])
    return True


MUTATIONS: dict[str, tuple[Mutation, int]] = {
    "delete": (_delete, 6),
    "duplicate": (_duplicate, 3),
    "swap-type": (_swap_type, 6),
    "number": (_number, 5),
    "integer": (_integer, 3),
    "long-string": (_long_string, 2),
    "unicode": (_unicode, 5),
    "deep": (_deep, 2),
    "dates": (_dates, 5),
    "moments": (_moments, 2),
    "durations": (_durations, 4),
    "zone": (_zone, 4),
    "rrule": (_rrule, 5),
    "times": (_times, 4),
    "said-times": (_said_times, 3),
    "day-start": (_day_start, 2),
    "rules": (_rules, 4),
    "tags": (_tags, 2),
    "names": (_names, 3),
    "many": (_many, 2),
    "cover": (_cover, 2),
    "edge-plan": (_edge_plan, 3),
}
TRICKS = ["bom", "bom-bytes", "utf16", "bad-utf8", "nul", "truncate", "crlf", "dup-line", "flip", "rtl"]  # fmt: skip
