"""The schema of ``regimen schema`` and the loader agree on hand-written plan files.

Each case is a small file with what both must say: ``"ok"`` (both accept),
``"refused"`` (both refuse) or ``"loader"`` (the loader refuses, and the
check is one JSON Schema cannot express: see the ``regimen._schema`` docstring).
"""

from __future__ import annotations

import json
import tomllib
from typing import Any, Literal

import jsonschema
import pytest

from regimen import LoadError, loads
from regimen._schema import instance, schema

VALIDATOR = jsonschema.Draft202012Validator(
    schema(), format_checker=jsonschema.FormatChecker()
)
Verdict = Literal["ok", "refused", "loader"]
Format = Literal["toml", "json"]

HEAD = """
[[substances]]
name = "kratom"

[[products]]
name = "powder"
per = "1 g"
contents = { kratom = "1 g" }
equivalents = [["1 tsp", "2 g"]]
"""
PLAN = (
    HEAD
    + """
[plan]
name = "mornings"
timezone = "America/New_York"
start = 2027-01-04
end = 2027-01-10
"""
)


def entry(schedule: str, dose: str = 'product = "powder", amount = "2 g"') -> str:
    """Return a file with one plan entry: *schedule* and *dose* are inline-table bodies."""
    return (
        PLAN + f"\n[[plan.entries]]\ndose = {{ {dose} }}\nschedule = {{ {schedule} }}\n"
    )


def rule(body: str) -> str:
    """Return a file with one profile rule, *body* its keys as TOML lines."""
    return HEAD + f"\n[[profile.rules]]\n{body}\n"


def js(doc: dict[str, Any]) -> str:
    """Return a JSON file: the base substance and product plus *doc*'s sections."""
    base: dict[str, Any] = {
        "substances": [{"name": "kratom"}],
        "products": [{"name": "powder", "per": "1 g", "contents": {"kratom": "1 g"}}],
    }
    return "json:" + json.dumps({**base, **doc})


def js_plan(**changes: Any) -> str:
    """Return a JSON file with a plan (one daily entry), its keys replaced by *changes*."""
    plan = {
        "name": "p",
        "timezone": "UTC",
        "start": "2027-01-04",
        "entries": [
            {
                "dose": {"product": "powder", "amount": "2 g"},
                "schedule": {"kind": "daily", "times": ["08:00"]},
            }
        ],
        **changes,
    }
    return js({"plan": plan})


CASES: list[tuple[str, str, Verdict]] = [
    # Accepted by the loader: the schema must accept them too.
    ("weekday code in lower case", entry('kind = "weekly", days = ["th"], times = ["08:00"]'), "ok"),
    ("weekday names, any case", entry('kind = "weekly", days = ["Monday", "FRIDAY", " sa "], times = ["08:00"]'), "ok"),
    ("meal in title case", entry('kind = "daily", times = ["08:00"]', 'product = "powder", amount = "2 g", meal = "After"'), "ok"),
    ("meal empty-stomach in capitals", entry('kind = "daily", times = ["08:00"]', 'product = "powder", amount = "2 g", meal = "EMPTY-STOMACH"'), "ok"),
    ("rule severity in title case", rule('type = "max-doses"\nsubstance = "kratom"\ncount = 2\nper = "day"\nseverity = "Warning"'), "ok"),
    ("interaction severity in capitals", HEAD + '\n[[interactions]]\na = "kratom"\nb = "alcohol"\nseverity = "INFO"\nwithin = "0 min"\nnote = "n"\n', "ok"),
    ("times with fractional seconds", entry('kind = "daily", times = ["08:30:15.25", "20:00:00.000001"]'), "ok"),
    ("times as TOML local times", entry('kind = "daily", times = [08:30:00, 20:00:00.5]'), "ok"),
    ("a time with one hour digit and blanks", entry('kind = "daily", times = [" 8:05 "]'), "ok"),
    ("JSON dates in basic and week form", js_plan(start="20270104", end="2027-W02-7"), "ok"),
    ("JSON week date without a day", js_plan(start="2027W01"), "ok"),
    ("JSON dates with blanks around", js_plan(start=" 2028-02-29 "), "ok"),
    ("JSON null for keys that are optional", js_plan(end=None, breaks=[{"start": "2027-01-05", "end": "2027-01-06", "substances": None}]), "ok"),
    ("JSON null plan and profile", js({"plan": None, "profile": None}), "ok"),
    ("durations in several spellings", HEAD.replace('name = "kratom"', 'name = "kratom"\nonset = "1 h 30 min"\nduration = "2Hours"') + rule('type = "min-interval"\nsubstance = "kratom"\ninterval = "90MIN"').removeprefix(HEAD), "ok"),
    ("a rolling window for per", rule('type = "max-amount"\nsubstance = "kratom"\namount = "8 g"\nper = "24 h"'), "ok"),
    ("quantities as people write them", entry('kind = "daily", times = ["08:00"]', 'product = "powder", amount = "1 1/2 Teaspoons"'), "ok"),
    ("decimal quantities with underscores and a leading point", entry('kind = "daily", times = ["08:00"]', 'product = "powder", amount = "+.5 G"'), "ok"),
    ("micrograms with a micro sign", entry('kind = "daily", times = ["08:00"]', 'product = "powder", amount = "1_500 µg"'), "ok"),
    ("a daily schedule with an empty days list", entry('kind = "daily", days = [], times = ["08:00"]'), "ok"),
    ("a cycle with no days off", entry('kind = "cycle", on_days = 5, off_days = 0, times = ["08:00"]'), "ok"),
    ("an RRULE in lower case with a prefix", entry('kind = "rrule", rule = "rrule:freq=monthly;byday=-1fr;bymonth=1,+6", times = ["09:00"]'), "ok"),
    ("an RRULE with COUNT", entry('kind = "rrule", rule = "FREQ=DAILY;COUNT=3", times = ["08:00"]'), "ok"),
    ("an RRULE that gives its own times", entry('kind = "rrule", rule = "FREQ=HOURLY;INTERVAL=8;UNTIL=20270110T120000Z"'), "ok"),
    ("iCalendar lines in a multi-line string", entry('kind = "rrule", rule = """\n  DTSTART;TZID=America/New_York:20270104T090000\n  RRULE:FREQ=WEEKLY;BYDAY=MO,TH;\n COUNT=5\n  EXDATE;TZID=America/New_York:20270107T090000\n"""'), "ok"),
    ("an offset of a whole day", entry('kind = "daily", times = ["23:30"], offset = "24 h"'), "ok"),
    ("a log time without offset, the plan's zone applies", PLAN + '\n[[log]]\nat = "2027-01-04T08:00"\ndose = { product = "powder", amount = "2 g" }\n', "ok"),
    ("a log time as a TOML datetime", HEAD + '\n[[log]]\nat = 2027-01-04T08:00:00-05:00\ndose = { product = "powder", amount = "2 g" }\n', "ok"),
    ("a log time with a comma fraction and Z", HEAD + '\n[[log]]\nat = "20270104T083015,5Z"\ndose = { product = "powder", amount = "2 g" }\n', "ok"),
    ("the last supported date", js_plan(start="9998-12-31"), "ok"),
    ("a log time without offset, in its own zone", HEAD + '\n[[log]]\nat = "2027-01-04T08:00"\ntimezone = "Europe/Berlin"\ndose = { product = "powder", amount = "2 g" }\n', "ok"),
    ("an equivalent between two count units", HEAD.replace('[["1 tsp", "2 g"]]', '[["1 capsule", "2 tablets"]]'), "ok"),
    # Refused by the loader, and JSON Schema can say why.
    ("weekly without days", entry('kind = "weekly", times = ["08:00"]'), "refused"),
    ("weekly with an empty days list", entry('kind = "weekly", days = [], times = ["08:00"]'), "refused"),
    ("daily with days", entry('kind = "daily", days = ["MO"], times = ["08:00"]'), "refused"),
    ("every without n_days", entry('kind = "every", times = ["08:00"]'), "refused"),
    ("every with on_days", entry('kind = "every", n_days = 2, on_days = 1, times = ["08:00"]'), "refused"),
    ("cycle without off_days", entry('kind = "cycle", on_days = 5, times = ["08:00"]'), "refused"),
    ("rrule without a rule", entry('kind = "rrule", times = ["08:00"]'), "refused"),
    ("daily with a rule", entry('kind = "daily", rule = "FREQ=DAILY", times = ["08:00"]'), "refused"),
    ("kind is case-sensitive", entry('kind = "Daily", times = ["08:00"]'), "refused"),
    ("no times", entry('kind = "daily", times = []'), "refused"),
    ("hour 24", entry('kind = "daily", times = ["24:00"]'), "refused"),
    ("minute 60", entry('kind = "daily", times = ["08:60"]'), "refused"),
    ("second 60", entry('kind = "daily", times = ["08:00:60"]'), "refused"),
    ("seven digits of a second", entry('kind = "daily", times = ["08:00:00.1234567"]'), "refused"),
    ("n_days zero", entry('kind = "every", n_days = 0, times = ["08:00"]'), "refused"),
    ("n_days over the limit", entry('kind = "every", n_days = 100001, times = ["08:00"]'), "refused"),
    ("an RRULE that is not one", entry('kind = "rrule", rule = "every day", times = ["08:00"]'), "refused"),
    ("a daily schedule without times", entry('kind = "daily"'), "refused"),
    ("an RRULE without FREQ", entry('kind = "rrule", rule = "BYDAY=MO", times = ["08:00"]'), "refused"),
    ("an RRULE with INTERVAL=0", entry('kind = "rrule", rule = "FREQ=DAILY;INTERVAL=0", times = ["08:00"]'), "refused"),
    ("a weekday abbreviation the API does not know", entry('kind = "weekly", days = ["Mon"], times = ["08:00"]'), "refused"),
    ("an unknown meal", entry('kind = "daily", times = ["08:00"]', 'product = "powder", amount = "2 g", meal = "later"'), "refused"),
    ("a max-amount rule without its amount", rule('type = "max-amount"\nsubstance = "kratom"\nper = "day"'), "refused"),
    ("a max-amount rule without per", rule('type = "max-amount"\nsubstance = "kratom"\namount = "8 g"'), "refused"),
    ("a max-doses rule with an amount", rule('type = "max-doses"\nsubstance = "kratom"\ncount = 2\nper = "day"\namount = "8 g"'), "refused"),
    ("an avoid-tag rule with a substance", rule('type = "avoid-tag"\ntags = ["lactose"]\nsubstance = "kratom"'), "refused"),
    ("an avoid-tag rule with a blank tag", rule('type = "avoid-tag"\ntags = [" "]'), "refused"),
    ("an unknown severity", rule('type = "rotation"\nsubstance = "kratom"\nmax_days = 3\nseverity = "fatal"'), "refused"),
    ("per in title case", rule('type = "max-doses"\nsubstance = "kratom"\ncount = 2\nper = "Day"'), "refused"),
    ("an unknown rule type", rule('type = "max-grams"\nsubstance = "kratom"'), "refused"),
    ("a zero interval", rule('type = "min-interval"\nsubstance = "kratom"\ninterval = "0 h"'), "refused"),
    ("a duration in an unknown unit", rule('type = "min-interval"\nsubstance = "kratom"\ninterval = "4 fortnights"'), "refused"),
    ("an amount without a unit", entry('kind = "daily", times = ["08:00"]', 'product = "powder", amount = "2"'), "refused"),
    ("an ambiguous ounce", entry('kind = "daily", times = ["08:00"]', 'product = "powder", amount = "2 oz"'), "refused"),
    ("a zero amount", entry('kind = "daily", times = ["08:00"]', 'product = "powder", amount = "0 g"'), "refused"),
    ("a negative amount", entry('kind = "daily", times = ["08:00"]', 'product = "powder", amount = "-1 g"'), "refused"),
    ("a bare number as an amount", entry('kind = "daily", times = ["08:00"]', 'product = "powder", amount = 2.5'), "refused"),
    ("February 29 of a common year", js_plan(start="2027-02-29"), "refused"),
    ("month 13", js_plan(start="2027-13-01"), "refused"),
    ("week 54", js_plan(start="2027-W54-1"), "refused"),
    ("a time zone name with a space", js_plan(timezone="America/New York"), "refused"),
    ("a product without contents", HEAD + '\n[[products]]\nname = "empty"\ncontents = {}\n', "refused"),
    ("a break naming no substances", PLAN + '\n[[plan.breaks]]\nstart = 2027-01-05\nend = 2027-01-06\nsubstances = []\n', "refused"),
    ("a blank plan name", PLAN.replace('name = "mornings"', 'name = "  "'), "refused"),
    ("an empty interaction note", HEAD + '\n[[interactions]]\na = "kratom"\nb = "alcohol"\nseverity = "info"\nwithin = "1 h"\nnote = ""\n', "refused"),
    ("an unknown key", PLAN.replace('end = 2027-01-10', 'end = 2027-01-10\ncolour = "red"'), "refused"),
    ("an unknown key in a schedule", entry('kind = "daily", times = ["08:00"], at = "08:00"'), "refused"),
    ("format version 2", "version = 2\n" + HEAD, "refused"),
    ("JSON null where a value is required", js({"profile": {"day_start": None}}), "refused"),
    ("JSON null days", js_plan(entries=[{"dose": {"product": "powder", "amount": "2 g"}, "schedule": {"kind": "daily", "times": ["08:00"], "days": None}}]), "refused"),
    ("a log time with hour 25", HEAD + '\n[[log]]\nat = "2027-01-04T25:00Z"\ndose = { product = "powder", amount = "2 g" }\n', "refused"),
    ("a log time with no zone to apply", HEAD + '\n[[log]]\nat = "2027-01-04T08:00"\ndose = { product = "powder", amount = "2 g" }\n', "refused"),
    ("a date before year 2", js_plan(start="0001-12-31"), "refused"),
    ("an equivalent between two masses", HEAD.replace('[["1 tsp", "2 g"]]', '[["1 g", "1000 mg"]]'), "refused"),
    ("an equivalent between one count unit", HEAD.replace('[["1 tsp", "2 g"]]', '[["1 capsule", "2 Capsules"]]'), "refused"),
    # Refused by the loader only: JSON Schema cannot express the check.
    ("an unknown product", entry('kind = "daily", times = ["08:00"]', 'product = "pwoder", amount = "2 g"'), "loader"),
    ("a plan that ends before it starts", PLAN.replace("end = 2027-01-10", "end = 2027-01-01"), "loader"),
    ("a time zone not in the database", js_plan(timezone="Mars/Olympus_Mons"), "loader"),
    ("a break cadence with every below days", rule('type = "break-cadence"\nsubstance = "kratom"\ndays = 7\nevery = 3'), "loader"),
    ("a fraction with no exact decimal", entry('kind = "daily", times = ["08:00"]', 'product = "powder", amount = "1/3 g"'), "loader"),
    ("a dose in a unit the product cannot be measured in", entry('kind = "daily", times = ["08:00"]', 'product = "powder", amount = "2 capsules"'), "loader"),
    ("a whole number written with a fraction", js_plan(entries=[{"dose": {"product": "powder", "amount": "2 g"}, "schedule": {"kind": "every", "n_days": 2.0, "times": ["08:00"]}}]), "loader"),
    ("an RRULE that repeats within a day and times", entry('kind = "rrule", rule = "FREQ=HOURLY", times = ["08:00"]'), "loader"),
    ("iCalendar lines with an EXRULE", entry('kind = "rrule", rule = "DTSTART:20270104T090000\\nEXRULE:FREQ=DAILY"'), "loader"),
    ("two products with one name", HEAD + '\n[[products]]\nname = "Powder"\ncontents = { kratom = "1 g" }\n', "loader"),
]  # fmt: skip


def _parse(text: str) -> tuple[Any, str, Format]:
    """Return (document to validate, text to load, format) for a case."""
    if text.startswith("json:"):
        body = text.removeprefix("json:")
        return json.loads(body), body, "json"
    return instance(tomllib.loads(text)), text, "toml"


def loader_accepts(text: str, fmt: Format) -> bool:
    """Tell whether regimen.loads reads *text* without a LoadError."""
    try:
        loads(text, format=fmt)
    except LoadError:
        return False
    return True


@pytest.mark.parametrize(
    ("text", "verdict"),
    [pytest.param(text, verdict, id=name) for name, text, verdict in CASES],
)
def test_schema_agrees_with_the_loader(text: str, verdict: Verdict) -> None:
    """Both accept, both refuse, or the loader alone refuses what the schema cannot express."""
    document, body, fmt = _parse(text)
    errors = [e.message for e in VALIDATOR.iter_errors(document)]
    assert loader_accepts(body, fmt) is (verdict == "ok")
    if verdict == "refused":
        assert errors, "the schema accepts a file the loader refuses"
    else:
        assert errors == []


def test_the_table_is_large_enough() -> None:
    """At least 30 hand-written files, with cases of each verdict."""
    verdicts = [verdict for _name, _text, verdict in CASES]
    assert len(CASES) >= 30
    assert {"ok", "refused", "loader"} <= set(verdicts)
    assert len({name for name, _text, _verdict in CASES}) == len(CASES)
