"""The JSON Schema of the plan file format (``regimen schema``).

The schema accepts every file the loader accepts and refuses what the loader
refuses wherever JSON Schema can say so: kind-specific and type-specific
required and forbidden keys, ranges of whole numbers, and the text forms of
quantities, durations, dates, times, weekdays, meals, severities and
recurrence rules, each as a pattern built from the loader's own tables (see
:mod:`regimen._schema_text`), equivalents in units that do not convert, and a
log time with no offset in a file with no plan and no ``timezone``. Where a
pattern cannot be exact it is permissive.

Only the loader can check these (JSON Schema cannot express them):

* names that must match something: a product a dose names, a substance a
  product contains, duplicate names, and (as the loader adds it) a rule's or
  a break's substance term that matches no substance, alias or class;
* order between values: an end before its start, a break cadence whose
  ``every`` is less than its ``days``, stays that share a date, dose-class
  thresholds that do not rise or do not share a dimension;
* whether a time zone name is in the IANA database (the schema checks the
  shape of a name only), and legacy names the loader refuses;
* sums and sizes: a duration longer than ten years, a schedule ``offset``
  over 24 hours, more than 1,440 distinct times, amounts with more than 40
  significant digits, fractions with no exact decimal (``1/3 cup``), the
  file's size in bytes and its count of values;
* what an amount means for a product (a dose in units its product cannot be
  measured in), a week 53 in a year that has none, the combinations of parts
  in a recurrence rule;
* a log time outside the supported range once its offset applies, and
  ``as_needed`` on a log's refill or stock count (it applies to doses);
* value types JSON erases: a whole number written ``2.0``, a TOML date
  where text is expected, a key that appears twice.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from . import _schema_text as text
from ._dose import Meal
from ._schedule_fields import _MAX_DAYS
from ._schema_parts import (
    _BOOL,
    _NONBLANK,
    _NULL,
    _SOURCE,
    _TEXT,
    _equivalent,
    _given,
    _list,
    _maybe,
    _pause,
    _ref,
    _rule,
    _schedule,
    _table,
    _text,
)

__all__ = ["instance", "schema"]


def _defs() -> dict[str, Any]:
    count = {"type": "integer", "minimum": 1, "maximum": _MAX_DAYS}
    return {
        "name": {
            "type": "string",
            "pattern": _NONBLANK,
            "description": "A name: any text that is not blank.",
        },
        "quantity": _text(
            text.quantity(),
            'An amount above zero and a unit as a person writes it: "2.5 g", '
            '"1/2 tsp", "1 1/2 teaspoons", "6 fl oz", "2 capsules".',
        ),
        "dose_amount": _text(
            text.dose_amount(),
            'A dose: an amount above zero as a person writes it ("2.5 g", '
            '"1/2 tsp"), or a range of two, smaller first, in units that convert '
            'to each other: "2-3 g", "2–3 g", "1/2-1 tsp", "500 mg-1 g".',
        ),
        "equivalent": _equivalent(),
        "duration": _text(
            text.duration(positive=True),
            'A duration above zero, like "45 min", "24 h", "7 d" or "1 h 30 min".',
        ),
        "duration0": _text(
            text.duration(positive=False),
            'A duration, zero or more, like "0 min", "45 min" or "1 h 30 min".',
        ),
        "date": _text(
            text.date(),
            "An ISO date from 0002-01-01 to 9998-12-31: 2027-01-31 (also 20270131, "
            "or a week date 2027-W05-1).",
        ),
        "time": _text(
            text.time(), 'A wall-clock time, "08:30", "08:30:15" or "08:30:15.250".'
        ),
        "datetime": _text(
            text.datetime(),
            "An ISO date and time, with an offset (2027-01-03T08:30:00-05:00) or "
            "without one (then the entry's timezone or the plan's applies).",
        ),
        "zone": _text(text.zone(), "An IANA time zone name, like America/New_York."),
        "weekday": _text(text.weekday(), 'A weekday: "MO", "th", "Monday" (any case).'),
        "meal": _text(
            text.meal(),
            "How the dose relates to a meal (any case): "
            + ", ".join(m.value for m in Meal)
            + ".",
        ),
        "severity": _text(
            text.severity(), 'How serious: "error", "warning" or "info" (any case).'
        ),
        "rrule": _text(
            text.rrule(),
            "An RFC 5545 recurrence rule, like FREQ=WEEKLY;BYDAY=MO,WE,FR, or "
            "iCalendar lines as a calendar writes them (DTSTART, RRULE, EXDATE, "
            "RDATE); without times, BYHOUR/BYMINUTE or DTSTART's time give them.",
        ),
        "date-rule": _text(
            text.date_rule(),
            "An RFC 5545 RRULE that selects dates, like FREQ=MONTHLY;BYMONTHDAY=1,2,3 "
            "(no DTSTART, COUNT, UNTIL or BYHOUR: the break's dates bound it).",
        ),
        "count": count,
        "dose": _table(
            {
                "product": _ref("name"),
                "amount": _ref("dose_amount"),
                "meal": _maybe(_ref("meal")),
                "note": _TEXT,
            },
            ("product", "amount"),
        ),
        "schedule": _schedule(count),
        "kinetics": _table(
            {
                "half_life": _ref("duration"),
                "absorption_half_life": _maybe(_ref("duration")),
                "bioavailability": _text(
                    r"^\s*(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*$",
                    'The fraction of a dose absorbed, above 0 and at most 1, as text: "0.99".',
                ),
                "source": {
                    "type": "string",
                    "pattern": _NONBLANK,
                    "description": "Where the model's parameters come from (required).",
                },
            },
            ("half_life", "source"),
        )
        | {
            "description": "A one-compartment model's parameters, for exposure estimates."
        },
        "rule": _rule(),
    }


def schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) that plan files follow.

    A JSON file is checked as it is; a TOML file after :func:`instance`
    turns its dates and times into ISO text. See the module docstring for
    what only the loader checks.

    >>> schema()["$schema"]
    'https://json-schema.org/draft/2020-12/schema'
    """
    substance = _table(
        {
            "name": _ref("name"),
            "classes": _list(_TEXT),
            "aliases": _list(_ref("name")),
            "onset": _maybe(_ref("duration")),
            "duration": _maybe(_ref("duration")),
            "notes": _TEXT,
            "source": _SOURCE,
            "dose_classes": _list(
                _table(
                    {
                        "source": _ref("name"),
                        "thresholds": {
                            "type": "object",
                            "description": "Class name -> the amount in one dose "
                            "it begins at, lightest first, rising.",
                            "propertyNames": {"pattern": _NONBLANK},
                            "additionalProperties": _ref("quantity"),
                            "minProperties": 1,
                        },
                    },
                    ("source", "thresholds"),
                )
            ),
            "kinetics": _maybe(_ref("kinetics")),
        },
        ("name",),
    )
    product = _table(
        {
            "name": _ref("name"),
            "variant": {"type": ["string", "null"]},
            "form": {"type": ["string", "null"]},
            "per": _ref("quantity"),
            "package": _maybe(_ref("quantity")),
            "contents": {
                "type": "object",
                "description": "Substance name -> amount in `per` of the product.",
                "propertyNames": {"pattern": _NONBLANK},
                "additionalProperties": _ref("quantity"),
                "minProperties": 1,
            },
            "equivalents": _list(_ref("equivalent")),
            "tags": _list(_TEXT),
            "lab_tested": {"type": ["boolean", "null"]},
            "notes": _TEXT,
            "source": _SOURCE,
        },
        ("name", "contents"),
    )
    entry = _table(
        {
            "dose": _ref("dose"),
            "schedule": _ref("schedule"),
            "start": _maybe(_ref("date")),
            "end": _maybe(_ref("date")),
            "as_needed": _BOOL,
            "source": _SOURCE,
            "clock": {
                "enum": ["local", "home"],
                "description": "Wall-clock times on a stay's dates: in the stay's "
                'zone ("local", the default) or the plan\'s ("home").',
            },
        },
        ("dose", "schedule"),
    )
    pause = _pause()
    plan = _table(
        {
            "name": _ref("name"),
            "timezone": _ref("zone"),
            "start": _ref("date"),
            "end": _maybe(_ref("date")),
            "entries": _list(entry),
            "breaks": _list(pause),
            "stays": _list(
                _table(
                    {
                        "start": _ref("date"),
                        "end": _ref("date"),
                        "timezone": _ref("zone"),
                        "name": _TEXT,
                    },
                    ("start", "end", "timezone"),
                )
            ),
            "meal_times": _maybe(
                {
                    "type": "object",
                    "description": "When the person wakes, eats and goes to bed.",
                    "propertyNames": {"pattern": text.anchor()},
                    "additionalProperties": _ref("time"),
                }
            ),
        },
        ("name", "timezone", "start"),
    )
    interaction = _table(
        {
            "a": _ref("name"),
            "b": _ref("name"),
            "severity": _ref("severity"),
            "within": _ref("duration0"),
            "note": _ref("name"),
            "source": _SOURCE,
        },
        ("a", "b", "severity", "within", "note"),
    )
    profile = _table(
        {
            "rules": _list(_ref("rule")),
            "medications": _list(_ref("name")),
            "avoid_tags": _list(_TEXT),
            "day_start": _ref("time"),
        }
    )
    stocked = _table(
        {"product": _ref("name"), "amount": _ref("quantity")}, ("product", "amount")
    )
    zero = {"type": "string", "pattern": r"^\s*0+(?:\.0*)?\s*[^\s0-9]"}
    counted = _table(
        {
            "product": _ref("name"),
            "amount": {
                "anyOf": [_ref("quantity"), zero],
                "description": "An amount, zero or more, and a unit: what was on hand.",
            },
        },
        ("product", "amount"),
    )
    log = _table(
        {
            "at": _ref("datetime"),
            "timezone": _maybe(_ref("zone")),
            "dose": _maybe(_ref("dose")),
            "refill": _maybe(stocked),
            "stock": _maybe(counted),
            "note": _TEXT,
            "as_needed": _BOOL,
        },
        ("at",),
    )
    log["oneOf"] = [
        _given_alone(kind, ("dose", "refill", "stock"))
        for kind in ("dose", "refill", "stock")
    ]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "regimen plan file",
        "description": "Substances, products, interaction notes, a plan, a profile and a log.",
        **_table(
            {
                "version": {"type": "integer", "const": 1},
                "substances": _list(substance),
                "products": _list(product),
                "interactions": _list(interaction),
                "plan": _maybe(plan),
                "profile": _maybe(profile),
                "log": _list(log),
            }
        ),
        "allOf": [_log_without_plan()],
        "$defs": _defs(),
    }


def _given_alone(key: str, keys: tuple[str, ...]) -> dict[str, Any]:
    """Return the rule that *key* is given (not null) and the other *keys* are not."""
    given = _given(key)
    given["properties"] |= {k: _NULL for k in keys if k != key}
    return given


def _log_without_plan() -> dict[str, Any]:
    """Return the rule that, with no plan, a log time needs an offset or a timezone."""
    naive = {"properties": {"timezone": _NULL}}
    aware = {"properties": {"at": {"pattern": text.aware_datetime()}}}
    return {
        "if": {"properties": {"plan": {"not": {"type": "object"}}}},
        "then": {"properties": {"log": {"items": {"if": naive, "then": aware}}}},
    }


def instance(data: Any) -> Any:
    """Return parsed TOML as the JSON value the schema checks: dates and times as ISO text.

    >>> instance({"start": date(2027, 1, 31), "times": [time(8, 30)]})
    {'start': '2027-01-31', 'times': ['08:30:00']}
    """
    if isinstance(data, dict):
        return {k: instance(v) for k, v in data.items()}
    if isinstance(data, list):
        return [instance(v) for v in data]
    if isinstance(data, datetime | date | time):
        return data.isoformat()
    return data
