"""The pieces of the plan-file JSON Schema: shared shapes, schedules, pauses and rules.

:mod:`regimen._schema` puts them together into the whole schema.
"""

from __future__ import annotations

from typing import Any, Final

import attrs

from . import _schema_text as text
from ._rules import BUILTIN
from ._rules_classes import DoseClassLimit
from ._rules_exposure import MaxExposure
from ._schedule_fields import KIND_KEYS

#: Longest list the loader reads, and the largest whole number.
_MAX_ITEMS: Final = 10_000
_MAX_INT: Final = 10**9
_RULE_OPTIONS: Final = ("severity", "day_start", "source")
#: Text that is not blank as ``str.strip()`` sees it (ECMA-262 counts U+FEFF
#: as white space, Python does not).
_NONBLANK: Final = r"[\S\ufeff]"


def _text(pattern: str, description: str) -> dict[str, Any]:
    return {"type": "string", "pattern": pattern, "description": description}


def _equivalent() -> dict[str, Any]:
    """Return the schema of an equivalent: two amounts in units that do not convert."""
    same = [
        {"prefixItems": [{"pattern": p}, {"pattern": p}]}
        for p in map(text.quantity, text.unit_families())
    ]
    return {
        "type": "array",
        "items": _ref("quantity"),
        "minItems": 2,
        "maxItems": 2,
        "not": {"anyOf": same},
        "description": "Two amounts of this product that weigh the same, in units that "
        'do not convert to each other: ["1 tsp", "2 g"].',
    }


_TEXT: Final[dict[str, Any]] = {"type": "string"}
_BOOL: Final[dict[str, Any]] = {"type": "boolean"}
_NULL: Final[dict[str, Any]] = {"type": "null"}
_SOURCE: Final[dict[str, Any]] = {
    "type": ["string", "null"],
    "description": "Where the numbers or the note come from.",
}


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/$defs/{name}"}


def _maybe(item: dict[str, Any]) -> dict[str, Any]:
    """*item* or JSON null (the loader reads null as "not given")."""
    return {"anyOf": [item, _NULL]}


def _list(item: dict[str, Any], *, min_items: int = 0) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "array", "items": item, "maxItems": _MAX_ITEMS}
    if min_items:
        out["minItems"] = min_items
    return out


def _table(
    properties: dict[str, Any], required: tuple[str, ...] = ()
) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
    }


def _when(key: str, value: str, then: dict[str, Any]) -> dict[str, Any]:
    return {
        "if": {"properties": {key: {"const": value}}, "required": [key]},
        "then": then,
    }


def _given(key: str) -> dict[str, Any]:
    """Return the condition that *key* is present and not null (the loader's "given")."""
    return {"required": [key], "properties": {key: {"not": _NULL}}}


def _times_of_day() -> list[dict[str, Any]]:
    """Return the rules for where a schedule's times come from (see the loader's ``_times_of``).

    Kind ``hours`` has ``every`` and ``first``; the other kinds take exactly
    one of ``times``, ``spread`` (with an optional ``between``) or ``meals``
    (with an optional ``meal_offset``), except that an ``rrule`` may take
    none of them when its rule gives the times.
    """
    others = ("times", "spread", "between", "meals", "meal_offset")
    return [
        {
            "if": {"properties": {"kind": {"const": "hours"}}, "required": ["kind"]},
            "then": {"properties": dict.fromkeys(others, _NULL)},
            "else": {
                "properties": {"first": _NULL},
                "anyOf": [
                    {"oneOf": [_given("times"), _given("spread"), _given("meals")]},
                    # An RRULE may give its own times (BYHOUR, DTSTART's time).
                    {
                        "properties": {"kind": {"const": "rrule"}},
                        "not": {
                            "anyOf": [
                                _given("times"),
                                _given("spread"),
                                _given("meals"),
                            ]
                        },
                    },
                ],
            },
        },
        {"if": _given("between"), "then": _given("spread")},
        {"if": _given("meal_offset"), "then": _given("meals")},
    ]


def _schedule(count: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, dict[str, Any]] = {
        "days": _list(_ref("weekday"), min_items=1),
        "n_days": count,
        "on_days": count,
        "off_days": {**count, "minimum": 0},
        "rule": _ref("rrule"),
        "every": _ref("duration"),
    }
    uses = KIND_KEYS
    out = _table(
        {
            "kind": {"enum": list(uses)},
            "times": _maybe(_list(_ref("time"), min_items=1)),
            "days": _list(_ref("weekday")),
            **{k: _maybe(v) for k, v in fields.items() if k != "days"},
            "offset": _maybe(_ref("duration0")),
            "spread": _maybe({"type": "integer", "minimum": 1, "maximum": 1440}),
            "between": _maybe(
                {"type": "array", "items": _ref("time"), "minItems": 2, "maxItems": 2}
            ),
            "meals": _maybe(
                _list(
                    _text(text.anchor(), "wake, breakfast, lunch, dinner or bedtime"),
                    min_items=1,
                )
            ),
            "meal_offset": _maybe(
                _text(
                    text.signed_duration(),
                    'Time from the meal, negative before it: "-30 min", "1 h".',
                )
            ),
            "first": _maybe(_ref("time")),
        },
        ("kind",),
    )
    out["allOf"] = [
        *_times_of_day(),
        *(
            _when(
                "kind",
                kind,
                {
                    "required": list(needs),
                    "properties": {
                        k: fields[k] if k in needs else _none(k) for k in fields
                    },
                },
            )
            for kind, needs in uses.items()
        ),
    ]
    return out


def _pause() -> dict[str, Any]:
    """Return the schema of a break: once (start to end) or repeating, by one pattern."""
    out = _table(
        {
            "start": _ref("date"),
            "end": _maybe(_ref("date")),
            "weekdays": _list(_ref("weekday")),
            "rule": _maybe(_ref("date-rule")),
            "on_days": _maybe(_ref("count")),
            "off_days": _maybe(_ref("count")),
            "substances": _maybe(_list(_ref("name"), min_items=1)),
            "reason": _TEXT,
        },
        ("start",),
    )
    given = {
        "weekdays": {
            "properties": {"weekdays": {"minItems": 1}},
            "required": ["weekdays"],
        },
        "rule": {"properties": {"rule": {"type": "string"}}, "required": ["rule"]},
        "on_days": {
            "properties": {"on_days": {"type": "integer"}},
            "required": ["on_days"],
        },
        "off_days": {
            "properties": {"off_days": {"type": "integer"}},
            "required": ["off_days"],
        },
    }
    kinds = ("weekdays", "rule", "on_days")
    out["allOf"] = [
        # One pattern at most; a cycle needs both counts.
        *(
            {"not": {"allOf": [given[a], given[b]]}}
            for i, a in enumerate(kinds)
            for b in (*kinds[i + 1 :], "off_days")
            if b != a and not (a == "on_days" and b == "off_days")
        ),
        {"if": given["on_days"], "then": given["off_days"]},
        {"if": given["off_days"], "then": given["on_days"]},
        # A one-off break needs its last day.
        {
            "anyOf": [
                *(given[k] for k in kinds),
                {"properties": {"end": _ref("date")}, "required": ["end"]},
            ]
        },
    ]
    out["description"] = (
        "Days off: start to end, or repeating from start on weekdays, by an "
        "RRULE, or as on_days of use then off_days off (end may then be left out)."
    )
    return out


def _none(key: str) -> dict[str, Any]:
    """Return what a key that does not apply may hold: nothing (an empty list for days)."""
    return {"type": "array", "maxItems": 0} if key == "days" else _NULL


def _rule() -> dict[str, Any]:
    fields: dict[str, dict[str, Any]] = {
        "substance": _ref("name"),
        "amount": _ref("quantity"),
        "count": {"type": "integer", "minimum": 1, "maximum": _MAX_INT},
        "per": {
            "anyOf": [{"enum": ["dose", "day", "week"]}, _ref("duration")],
            "description": '"dose", "day", "week" or a rolling window like "24 h".',
        },
        "interval": _ref("duration"),
        "days": {"type": "integer", "minimum": 1, "maximum": _MAX_INT},
        "every": {"type": "integer", "minimum": 1, "maximum": _MAX_INT},
        "max_days": {"type": "integer", "minimum": 1, "maximum": _MAX_INT},
        "tags": _list({"type": "string", "pattern": _NONBLANK}, min_items=1),
        "above": _ref("name"),
        "according_to": _ref("name"),
        "kinetics": _ref("kinetics"),
    }
    optional = {DoseClassLimit.code: ("according_to",)}
    kinds = {
        cls.code: tuple(
            f.name
            for f in attrs.fields(cls)
            if f.init and f.name not in _RULE_OPTIONS and f.default is attrs.NOTHING
        )
        for cls in (*BUILTIN, DoseClassLimit, MaxExposure)
    }
    out = _table(
        {
            "type": {"enum": list(kinds)},
            **{k: _maybe(v) for k, v in fields.items()},
            "severity": _ref("severity"),
            "day_start": _maybe(_ref("time")),
            "source": _SOURCE,
        },
        ("type",),
    )
    out["allOf"] = [
        _when(
            "type",
            code,
            {
                "required": list(needs),
                "properties": {
                    k: fields[k]
                    if k in needs
                    else _maybe(fields[k])
                    if k in optional.get(code, ())
                    else _NULL
                    for k in fields
                },
            },
        )
        for code, needs in kinds.items()
    ]
    return out
