"""Writing a Bundle as TOML or JSON, the way a person writes a plan file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, time, timedelta
from typing import Any, Final

from .._bundle import Bundle
from .._dose import Dose
from .._errors import RegimenError
from .._finding import Severity
from .._format import duration
from .._interaction import Interaction
from .._plan import Plan
from .._product import Product
from .._profile import Profile
from .._quantity import Quantity
from .._schedule import Schedule
from .._schedule_fields import _Kind
from .._substance import Substance
from .._terms import known_terms
from ._docs import RULES, term_problems

__all__ = ["DumpError", "dumps"]


def _drop_defaults(data: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v
        for k, v in data.items()
        if v is not None and v not in ("", []) and v is not False
    }


def _time_text(t: time) -> str:
    if t.microsecond:
        return t.isoformat()
    return t.isoformat("seconds" if t.second else "minutes")


def _plain(value: Any) -> Any:
    if isinstance(value, Quantity):
        return str(value)
    if isinstance(value, timedelta):
        return duration(value)
    if isinstance(value, time):
        return _time_text(value)
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, Severity):
        return value.label
    return value


def _substance_dict(s: Substance) -> dict[str, Any]:
    return _drop_defaults(
        {
            "name": s.name,
            "classes": sorted(s.classes),
            "aliases": list(s.aliases),
            "onset": _plain(s.onset),
            "duration": _plain(s.duration),
            "notes": s.notes,
            "source": s.source,
            "dose_classes": [t.to_table() for t in s.dose_classes],
            "kinetics": None if s.kinetics is None else dict(s.kinetics.to_table()),
        }
    )


def _product_dict(p: Product) -> dict[str, Any]:
    out = _drop_defaults(
        {
            "name": p.name,
            "variant": p.variant,
            "form": p.form,
            "per": str(p.per),
            "package": None if p.package is None else str(p.package),
            "contents": {s.name: str(q) for s, q in p.contents.items()},
            "equivalents": [[str(a), str(b)] for a, b in p.equivalents],
            "tags": sorted(p.tags),
            "lab_tested": p.lab_tested,
            "notes": p.notes,
            "source": p.source,
        }
    )
    if p.lab_tested is False:
        out["lab_tested"] = False
    return out


def _schedule_dict(s: Schedule) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": s.kind.value}
    if s.kind is _Kind.WEEKLY:
        data["days"] = [d.value for d in sorted(s.days, key=lambda d: d.index)]
    elif s.kind is _Kind.EVERY:
        data["n_days"] = s.interval
    elif s.kind is _Kind.CYCLE:
        data["on_days"], data["off_days"] = s.on_days, s.off_days
    elif s.kind is _Kind.RRULE:
        assert s.rule is not None
        data["rule"] = s.rule.text
    if s.period is not None:
        data["every"], data["first"] = duration(s.period), _time_text(s.times[0])
    elif s.meals:
        data["meals"] = list(s.meals)
        if s.meal_offset:
            data["meal_offset"] = duration(s.meal_offset)
    elif s.rule is None or s.rule.times_given:  # else the rule says them
        data["times"] = [_time_text(t) for t in s.times]
    if s.offset:
        data["offset"] = duration(s.offset)
    return data


def _dose_dict(dose: Dose) -> dict[str, Any]:
    return _drop_defaults(
        {
            "product": dose.product.name,
            "amount": dose.amount_text,
            "meal": None if dose.meal is None else dose.meal.value,
            "note": dose.note,
        }
    )


def _plan_dict(plan: Plan) -> dict[str, Any]:
    entries = [
        _drop_defaults(
            {
                "dose": _dose_dict(e.dose),
                "start": e.start,
                "end": e.end,
                "as_needed": e.as_needed,
                "source": e.source,
                "clock": None if e.clock == "local" else e.clock,
                "schedule": _schedule_dict(e.schedule),
            }
        )
        for e in plan.entries
    ]
    breaks = [
        _drop_defaults(
            {
                "start": k.start,
                "end": k.end,
                "weekdays": [
                    w.value for w in sorted(k.weekdays, key=lambda w: w.index)
                ],
                "rule": None if k.rule is None else k.rule.text,
                "on_days": k.on_days or None,
                "off_days": k.off_days or None,
                "substances": None if k.substances is None else list(k.substances),
                "reason": k.reason,
            }
        )
        for k in plan.breaks
    ]
    return _drop_defaults(
        {
            "name": plan.name,
            "timezone": plan.timezone,
            "start": plan.start,
            "end": plan.end,
            "entries": entries,
            "breaks": breaks,
            "stays": [
                _drop_defaults(
                    {
                        "start": k.start,
                        "end": k.end,
                        "timezone": k.timezone,
                        "name": k.name,
                    }
                )
                for k in plan.stays
            ],
            "meal_times": plan.meal_times.changed() or None,
        }
    )


def _rule_dict(rule: Any) -> dict[str, Any]:
    """Return a built-in rule's table, as the rule writes it (one code for both ways)."""
    return dict(rule.to_table())


def _interaction_dict(n: Interaction) -> dict[str, Any]:
    return dict(n.to_table())


def _profile_dict(p: Profile) -> dict[str, Any]:
    return _drop_defaults(
        {
            "day_start": None if p.day_start == time(0) else _time_text(p.day_start),
            "medications": [
                m.name if isinstance(m, Substance) else m for m in p.medications
            ],
            "avoid_tags": sorted(p.avoid_tags),
            "rules": [_rule_dict(r) for r in p.rules],
        }
    )


class DumpError(RegimenError, ValueError):
    """A bundle that no file can hold so that it loads back equal; nothing is written.

    Two different substances (or products) share a name, or a rule or break
    names a substance term the file would not know.
    """


def _check_writable(bundle: Bundle) -> None:
    """Refuse, before writing, a bundle whose file would not load back equal.

    Names must tell substances and products apart (a file refers to them by
    name), and the terms of rules and breaks must name something the file
    knows, as :func:`regimen.loads` requires.
    """
    problems: list[str] = []
    for what, items in (("substance", bundle.substances), ("product", bundle.products)):
        seen: dict[str, Any] = {}
        for item in items:
            key = item.name.strip().casefold()
            first = seen.setdefault(key, item)
            if first is not item and first != item:
                problems.append(
                    f"two different {what}s are named {item.name!r}: "
                    f"{first!r} and {item!r}; a file refers to a {what} by name, "
                    f"so give them different names (or use one {what})"
                )
    named = {s.name.strip().casefold(): s for s in bundle.substances}
    for med in bundle.profile.medications if bundle.profile is not None else ():
        if isinstance(med, str) and med.strip().casefold() in named:
            problems.append(
                f"the medication {med!r} is a name, but the substance "
                f"{named[med.strip().casefold()]!r} has it and would be read back "
                "in its place; list the Substance itself as the medication"
            )
    terms: list[tuple[str, str]] = []
    for i, k in enumerate(bundle.plan.breaks if bundle.plan is not None else ()):
        terms.extend(
            (f"plan.breaks[{i}].substances[{j}]", t)
            for j, t in enumerate(k.substances or ())
        )
    for i, rule in enumerate(bundle.profile.rules if bundle.profile else ()):
        term = getattr(rule, "substance", None)
        if isinstance(term, str):
            terms.append((f"profile.rules[{i}].substance", term))
    medications = bundle.profile.medications if bundle.profile is not None else ()
    known = known_terms(bundle.substances) | {
        m.strip().casefold() for m in medications if isinstance(m, str)
    }
    problems.extend(term_problems(terms, known))
    if problems:
        raise DumpError("cannot write the bundle: " + "; ".join(problems))


def _unstructure(bundle: Bundle) -> dict[str, Any]:
    substances, products = bundle.substances, bundle.products
    out: dict[str, Any] = {"version": 1}
    out["substances"] = [_substance_dict(s) for s in substances]
    out["products"] = [_product_dict(p) for p in products]
    if bundle.profile and bundle.profile.interactions:
        out["interactions"] = [
            _interaction_dict(n) for n in bundle.profile.interactions
        ]
    if bundle.plan is not None:
        out["plan"] = _plan_dict(bundle.plan)
    if bundle.profile is not None:
        out["profile"] = _profile_dict(bundle.profile)
    log: list[dict[str, Any]] = []
    if bundle.log is not None and len(bundle.log):
        log = [
            _drop_defaults(
                {
                    "at": e.at.isoformat(),
                    "timezone": getattr(e.at.tzinfo, "key", None),
                    "dose": _dose_dict(e.dose),
                    "note": e.note,
                    "as_needed": e.as_needed,
                }
            )
            for e in bundle.log
        ]
    for kind, records in (("refill", bundle.refills), ("stock", bundle.stock_counts)):
        log += [
            _drop_defaults(
                {
                    "at": r.at.isoformat(),
                    "timezone": getattr(r.at.tzinfo, "key", None),
                    kind: {"product": r.product.name, "amount": str(r.amount)},
                    "note": r.note,
                }
            )
            for r in records
        ]
    out["log"] = log
    return _drop_defaults(out)


def dumps(bundle: Bundle, *, format: str = "toml") -> str:
    """Write a Bundle as text; see :func:`regimen.dumps`."""
    if not isinstance(bundle, Bundle):
        msg = f"dumps() writes a Bundle (got {bundle!r})"
        raise TypeError(msg)
    _check_writable(bundle)
    builtin = {entry[0] for entry in RULES.values()}
    for rule in bundle.profile.rules if bundle.profile else ():
        if type(rule) not in builtin:
            msg = (
                f"cannot write the rule {rule!r}: only built-in rules have a file form"
            )
            raise ValueError(msg)
    data = _unstructure(bundle)
    if format == "json":
        return (
            json.dumps(data, indent=2, ensure_ascii=False, default=_json_default) + "\n"
        )
    if format == "toml":
        return "".join(_toml(data)).lstrip("\n")
    msg = f"format must be 'toml' or 'json' (got {format!r})"
    raise ValueError(msg)


def _json_default(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    msg = f"cannot write {value!r}"  # pragma: no cover - only dates reach here
    raise TypeError(msg)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(
            f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()
        )
        return "{ " + inner + " }"
    msg = f"cannot write {value!r} as TOML"  # pragma: no cover - the format has no other types
    raise TypeError(msg)


def _toml_key(key: str) -> str:
    if key and key.isascii() and all(c.isalnum() or c in "-_" for c in key):
        return key
    return json.dumps(key, ensure_ascii=False)


#: Keys whose tables are written inline (they read better on one line).
_INLINE: Final = frozenset(
    {"contents", "dose", "refill", "schedule", "stock", "thresholds"}
)


def _toml(data: dict[str, Any], prefix: str = "") -> Iterator[str]:
    """Write tables as a person would: plain keys first, then sub-tables in order."""

    def is_table(key: str, value: Any) -> bool:
        return isinstance(value, dict) and key not in _INLINE

    def is_array(value: Any) -> bool:
        return (
            isinstance(value, list)
            and bool(value)
            and all(isinstance(x, dict) for x in value)
        )

    for key, value in data.items():
        if not is_table(key, value) and not is_array(value):
            yield f"{_toml_key(key)} = {_toml_value(value)}\n"
    for key, value in data.items():
        name = f"{prefix}{_toml_key(key)}"
        if is_table(key, value):
            only_tables = value and all(
                is_table(k, v) or is_array(v) for k, v in value.items()
            )
            if not only_tables:  # an empty table is written too: it is there
                yield f"\n[{name}]\n"
            yield from _toml(value, name + ".")
        elif is_array(value):
            for item in value:
                yield f"\n[[{name}]]\n"
                yield from _toml(item, name + ".")
