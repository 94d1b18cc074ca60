"""The JSON Schema of the plan file format (``regimen schema``)."""

from __future__ import annotations

from typing import Any

from ._rules import BUILTIN

__all__ = ["schema"]

_TEXT: dict[str, Any] = {"type": "string"}
_NAME: dict[str, Any] = {"type": "string", "minLength": 1}
_QUANTITY: dict[str, Any] = {
    "type": "string",
    "description": 'An amount and a unit as a person writes it: "2.5 g", "1/2 tsp", "6 fl oz".',
    "pattern": r"^\s*[+-]?[0-9.]",
}
_DURATION: dict[str, Any] = {
    "type": "string",
    "description": 'A duration like "45 min", "24 h", "7 d" or "1 h 30 min".',
    "pattern": r"^\s*[0-9]",
}
_DATE: dict[str, Any] = {
    "type": "string",
    "format": "date",
    "description": "ISO date, 2027-01-31.",
}
_TIME: dict[str, Any] = {
    "type": "string",
    "pattern": r"^[0-9]{1,2}:[0-9]{2}(:[0-9]{2})?$",
    "description": 'A wall-clock time, "08:30".',
}
_ZONE: dict[str, Any] = {
    "type": "string",
    "pattern": r"^[A-Za-z0-9_+\-]+(/[A-Za-z0-9_+\-]+)*$",
    "description": "An IANA time zone name, like America/New_York.",
}
_SEVERITY: dict[str, Any] = {"enum": ["error", "warning", "info"]}
_SOURCE: dict[str, Any] = {
    "type": "string",
    "description": "Where the numbers or the note come from.",
}


def _list(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": item}


def _table(
    properties: dict[str, Any], required: tuple[str, ...] = ()
) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
    }


def schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) that plan files follow.

    TOML files are checked after reading them into the same structure (TOML
    dates become ISO strings first). The schema checks shapes; regimen's
    loader checks the rest (units, zone names against the database,
    references by name) and reports every problem with its path.

    >>> schema()["$schema"]
    'https://json-schema.org/draft/2020-12/schema'
    """
    substance = _table(
        {
            "name": _NAME,
            "classes": _list(_TEXT),
            "aliases": _list(_NAME),
            "onset": _DURATION,
            "duration": _DURATION,
            "notes": _TEXT,
            "source": _SOURCE,
        },
        ("name",),
    )
    product = _table(
        {
            "name": _NAME,
            "variant": _TEXT,
            "form": _TEXT,
            "per": _QUANTITY,
            "contents": {
                "type": "object",
                "description": "Substance name -> amount in `per` of the product.",
                "additionalProperties": _QUANTITY,
                "minProperties": 1,
            },
            "equivalents": _list(
                {"type": "array", "items": _QUANTITY, "minItems": 2, "maxItems": 2}
            ),
            "tags": _list(_TEXT),
            "lab_tested": {"type": "boolean"},
            "notes": _TEXT,
            "source": _SOURCE,
        },
        ("name", "contents"),
    )
    schedule = _table(
        {
            "kind": {"enum": ["daily", "weekly", "every", "cycle", "rrule"]},
            "times": {**_list(_TIME), "minItems": 1},
            "days": _list({"enum": ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]}),
            "n_days": {"type": "integer", "minimum": 1},
            "on_days": {"type": "integer", "minimum": 1},
            "off_days": {"type": "integer", "minimum": 0},
            "rule": {
                "type": "string",
                "description": "An RFC 5545 RRULE that selects dates.",
            },
            "offset": _DURATION,
        },
        ("kind", "times"),
    )
    dose = _table(
        {
            "product": _NAME,
            "amount": _QUANTITY,
            "meal": {"enum": ["before", "with", "after", "empty-stomach"]},
            "note": _TEXT,
        },
        ("product", "amount"),
    )
    entry = _table(
        {
            "dose": dose,
            "schedule": schedule,
            "start": _DATE,
            "end": _DATE,
            "as_needed": {"type": "boolean"},
            "source": _SOURCE,
        },
        ("dose", "schedule"),
    )
    pause = _table(
        {"start": _DATE, "end": _DATE, "substances": _list(_NAME), "reason": _TEXT},
        ("start", "end"),
    )
    plan = _table(
        {
            "name": _NAME,
            "timezone": _ZONE,
            "start": _DATE,
            "end": _DATE,
            "entries": _list(entry),
            "breaks": _list(pause),
        },
        ("name", "timezone", "start"),
    )
    rule = _table(
        {
            "type": {"enum": [cls.code for cls in BUILTIN]},
            "substance": _NAME,
            "amount": _QUANTITY,
            "count": {"type": "integer", "minimum": 1},
            "per": {
                "type": "string",
                "description": '"dose", "day", "week" or a window like "24 h".',
            },
            "interval": _DURATION,
            "days": {"type": "integer", "minimum": 1},
            "every": {"type": "integer", "minimum": 1},
            "max_days": {"type": "integer", "minimum": 1},
            "tags": _list(_TEXT),
            "severity": _SEVERITY,
            "day_start": _TIME,
            "source": _SOURCE,
        },
        ("type",),
    )
    interaction = _table(
        {
            "a": _NAME,
            "b": _NAME,
            "severity": _SEVERITY,
            "within": _DURATION,
            "note": _NAME,
            "source": _SOURCE,
        },
        ("a", "b", "severity", "within", "note"),
    )
    profile = _table(
        {
            "rules": _list(rule),
            "medications": _list(_NAME),
            "avoid_tags": _list(_TEXT),
            "day_start": _TIME,
        }
    )
    log = _table(
        {
            "at": {
                "type": "string",
                "description": "ISO date and time, with an offset or a timezone.",
            },
            "timezone": _ZONE,
            "dose": dose,
            "note": _TEXT,
            "as_needed": {"type": "boolean"},
        },
        ("at", "dose"),
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "regimen plan file",
        "description": "Substances, products, interaction notes, a plan, a profile and a log.",
        **_table(
            {
                "version": {"const": 1},
                "substances": _list(substance),
                "products": _list(product),
                "interactions": _list(interaction),
                "plan": plan,
                "profile": profile,
                "log": _list(log),
            }
        ),
    }
