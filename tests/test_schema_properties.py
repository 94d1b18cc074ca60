"""Properties tying ``regimen schema`` to the loader: generated files, every kind and type, every text form."""

from __future__ import annotations

import copy
import json
import string
import tomllib
from typing import Any

import jsonschema
import pytest
from hypothesis import given, reject
from hypothesis import strategies as st

from regimen import Bundle, LoadError, _schema_text, dumps, loads
from regimen._schema import instance, schema
from regimen._units import _SPELLINGS
from regimen.strategies import bundles

VALIDATOR = jsonschema.Draft202012Validator(
    schema(), format_checker=jsonschema.FormatChecker()
)

BASE: dict[str, Any] = {
    "substances": [{"name": "kratom"}],
    "products": [
        {
            "name": "powder",
            "per": "1 g",
            "contents": {"kratom": "1 g"},
            "equivalents": [["1 tsp", "2 g"]],
        }
    ],
    "plan": {
        "name": "p",
        "timezone": "UTC",
        "start": "2027-01-04",
        "entries": [
            {
                "dose": {"product": "powder", "amount": "2 g"},
                "schedule": {"kind": "daily", "times": ["08:00"]},
            }
        ],
    },
}


def loader_accepts(document: dict[str, Any]) -> bool:
    """Tell whether the loader reads *document*, written as JSON."""
    try:
        loads(json.dumps(document), format="json")
    except LoadError:
        return False
    return True


def changed(path: str, value: Any) -> dict[str, Any]:
    """Return a copy of BASE with the value at a dotted *path* (list indexes as numbers) set."""
    document = copy.deepcopy(BASE)
    *parents, last = path.split(".")
    node: Any = document
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node.setdefault(key, {})
    node[int(last) if isinstance(node, list) else last] = value
    return document


class TestGeneratedFiles:
    @given(bundles())
    def test_every_dumped_bundle_is_valid(self, bundle: Bundle) -> None:
        """What dumps writes for a generated bundle, TOML or JSON, passes the schema."""
        try:
            toml_text, json_text = dumps(bundle), dumps(bundle, format="json")
        except ValueError:
            # dumps may refuse a bundle no file can hold (a clash of names);
            # nothing is written, so there is no file to check.
            reject()
        documents = [instance(tomllib.loads(toml_text)), json.loads(json_text)]
        for document in documents:
            errors = [
                f"{e.json_path}: {e.message}" for e in VALIDATOR.iter_errors(document)
            ]
            assert errors == []

    def test_the_schema_is_valid_draft_2020_12(self) -> None:
        """The schema itself passes the draft 2020-12 meta-schema."""
        jsonschema.Draft202012Validator.check_schema(schema())


SCHEDULE_KEYS = {
    "days": ["MO"],
    "n_days": 2,
    "on_days": 5,
    "off_days": 2,
    "rule": "FREQ=WEEKLY;BYDAY=MO",
}
KINDS = {
    "daily": (),
    "weekly": ("days",),
    "every": ("n_days",),
    "cycle": ("on_days", "off_days"),
    "rrule": ("rule",),
}


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("key", list(SCHEDULE_KEYS))
@pytest.mark.parametrize("how", ["toggle", "null"])
def test_schedule_keys_per_kind(kind: str, key: str, how: str) -> None:
    """Each kind's keys: dropping a needed one, adding a foreign one, or giving null, is judged alike."""
    schedule: dict[str, Any] = {"kind": kind, "times": ["08:00"]}
    schedule.update({k: SCHEDULE_KEYS[k] for k in KINDS[kind]})
    base = changed("plan.entries.0.schedule", dict(schedule))
    assert VALIDATOR.is_valid(base)
    assert loader_accepts(base)
    if how == "null":
        schedule[key] = None
    elif key in schedule:
        del schedule[key]
    else:
        schedule[key] = SCHEDULE_KEYS[key]
    document = changed("plan.entries.0.schedule", schedule)
    assert VALIDATOR.is_valid(document) is loader_accepts(document)


RULE_KEYS: dict[str, Any] = {
    "substance": "kratom",
    "amount": "8 g",
    "count": 2,
    "per": "day",
    "interval": "4 h",
    "days": 2,
    "every": 30,
    "max_days": 3,
    "tags": ["lactose"],
    "kinetics": {"half_life": "5 h", "source": "test data"},
}
TYPES = {
    "max-amount": ("substance", "amount", "per"),
    "max-doses": ("substance", "count", "per"),
    "min-interval": ("substance", "interval"),
    "max-consecutive-days": ("substance", "days"),
    "break-cadence": ("substance", "days", "every"),
    "rotation": ("substance", "max_days"),
    "avoid-tag": ("tags",),
    "max-exposure": ("substance", "amount", "kinetics"),
}


@pytest.mark.parametrize("kind", list(TYPES))
@pytest.mark.parametrize("key", [*RULE_KEYS, "severity", "day_start"])
@pytest.mark.parametrize("how", ["toggle", "null"])
def test_rule_keys_per_type(kind: str, key: str, how: str) -> None:
    """Each rule type's keys: dropping a needed one, adding a foreign one, or giving null, is judged alike."""
    rule: dict[str, Any] = {"type": kind, **{k: RULE_KEYS[k] for k in TYPES[kind]}}
    assert VALIDATOR.is_valid({"profile": {"rules": [rule]}})
    assert loader_accepts({"profile": {"rules": [rule]}})
    extra = {"severity": "warning", "day_start": "04:00", **RULE_KEYS}
    if how == "null":
        rule[key] = None
    elif key in rule:
        del rule[key]
    else:
        rule[key] = extra[key]
    document = {"profile": {"rules": [rule]}}
    assert VALIDATOR.is_valid(document) is loader_accepts(document)


def test_the_rule_types_are_the_loaders() -> None:
    """The schema knows exactly the rule types and schedule kinds this test covers."""
    defs = schema()["$defs"]
    assert defs["rule"]["properties"]["type"]["enum"] == list(TYPES)
    assert defs["schedule"]["properties"]["kind"]["enum"] == list(KINDS)


def _cased(words: list[str]) -> st.SearchStrategy[str]:
    """Words with each letter's case drawn, blanks around, and now and then a typo."""

    def vary(word: str, flips: list[bool]) -> str:
        return "".join(
            c.swapcase() if f else c for c, f in zip(word, flips, strict=False)
        )

    word = st.sampled_from(words)
    varied = st.builds(vary, word, st.lists(st.booleans(), min_size=30, max_size=30))
    padded = st.tuples(
        st.sampled_from(["", " ", "\t"]), varied, st.sampled_from(["", " "])
    )
    return st.one_of(
        padded.map("".join),
        st.builds(lambda w, c: w[:-1] + c, varied, st.sampled_from("xz-. ")),
        st.text(alphabet="mofrsatuwhe-y ", max_size=9),
    )


NUMBER = st.from_regex(
    r"\A[+-]?(?:[0-9]{1,3}(?:[._][0-9]{0,2})?|\.[0-9]|(?:[0-9] )?[0-9]{1,2} ?/ ?[0-9]{1,2})\Z"
)
UNIT = _cased([*_SPELLINGS, "oz", "ounce", "gramm", "f l oz"])
DURATION = st.lists(
    st.tuples(
        st.from_regex(r"\A[0-9]{1,8}\Z"),
        st.sampled_from(["", " "]),
        _cased(["s", "min", "h", "hrs", "d", "days", "w", "us", "m", "hours"]),
    ),
    min_size=1,
    max_size=3,
).map(lambda parts: " ".join("".join(p) for p in parts))
FIELDS: dict[str, tuple[str, st.SearchStrategy[str], bool]] = {
    # path in the document, texts to try, whether the schema is exact there
    "time": ("plan.entries.0.schedule.times.0", st.from_regex(r"\A\s?[0-9]{1,3}:[0-9]{1,3}(?::[0-9]{1,2}(?:\.[0-9]{0,7})?)?\s?\Z"), True),
    "weekday": ("plan.entries.0.schedule.days.0", _cased(["MO", "TU", "WE", "TH", "FR", "SA", "SU", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon"]), True),
    "meal": ("plan.entries.0.dose.meal", _cased(["before", "with", "after", "empty-stomach", "empty stomach"]), True),
    "severity": ("profile.rules.0.severity", _cased(["error", "warning", "info", "fatal"]), True),
    "quantity": ("plan.entries.0.dose.amount", st.builds(lambda n, s, u: n + s + u, NUMBER, st.sampled_from(["", " ", "  "]), UNIT), False),
    "dose_range": ("plan.entries.0.dose.amount", st.builds(lambda a, u1, d, b, u2: a + u1 + d + b + u2, NUMBER, st.sampled_from(["", " g", " mg", " tsp"]), st.sampled_from(["-", "\u2013", " - ", "--", "/"]), NUMBER, st.sampled_from([" g", "g", " tsp", " capsules", " oz"])), False),
    "duration": ("profile.rules.0.interval", DURATION, False),
    "date": ("plan.start", st.from_regex(r"\A\s?[0-9]{4}-?(?:[0-1][0-9]-?[0-3][0-9]|W[0-5][0-9](?:-?[0-9])?)\s?\Z"), False),
    "datetime": ("log.0.at", st.from_regex(r"\A[0-9]{4}-[01][0-9]-[0-3][0-9](?:[T ][0-2][0-9](?::[0-6][0-9]){0,2}(?:[.,][0-9]{1,7})?(?:Z|[+-][0-2][0-9](?::?[0-5][0-9])?)?)?\Z"), False),
    "rrule": ("plan.entries.0.schedule.rule", st.from_regex(r"\A(?:RRULE:)?FREQ=(?:DAILY|WEEKLY|MONTHLY|HOURLY|yearly)(?:;(?:INTERVAL=[0-9]{1,5}|BYDAY=[+-]?[0-9]{0,2}(?:MO|FR)|BYMONTH=[+-]?[0-9]{1,3}|COUNT=2|WKST=SU))*\Z"), False),
}  # fmt: skip


def _document(field: str, text: str) -> dict[str, Any]:
    """Return BASE with *text* in *field*, and what that field needs around it."""
    document = copy.deepcopy(BASE)
    entry = document["plan"]["entries"][0]
    if field == "weekday":
        entry["schedule"].update(kind="weekly", days=[text])
    elif field == "rrule":
        entry["schedule"].update(kind="rrule", rule=text)
    elif field in {"severity", "duration"}:
        rule = {"type": "rotation", "substance": "kratom", "max_days": 3}
        if field == "duration":
            rule = {"type": "min-interval", "substance": "kratom"}
        document["profile"] = {"rules": [rule]}
        rule["severity" if field == "severity" else "interval"] = text
    elif field == "datetime":
        dose = {"product": "powder", "amount": "1 g"}
        document["log"] = [{"at": text, "timezone": "UTC", "dose": dose}]
    else:
        return changed(FIELDS[field][0], text)
    return document


@pytest.mark.parametrize("field", list(FIELDS))
@given(data=st.data())
def test_text_forms_agree(field: str, data: st.DataObject) -> None:
    """Every text the loader reads in a field, the schema accepts; where the schema is exact, nothing more."""
    _path, texts, exact = FIELDS[field]
    text = data.draw(texts, label=field)
    document = _document(field, text)
    loaded, valid = loader_accepts(document), VALIDATOR.is_valid(document)
    if loaded:
        assert valid, f"the schema refuses {text!r}, which the loader reads"
    elif exact:
        assert not valid, f"the schema accepts {text!r}, which the loader refuses"


def _all_characters() -> list[str]:
    return [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]


def test_the_case_tables_are_complete() -> None:
    """Every non-ASCII character that Python folds into ASCII letters is in the schema's tables."""
    letters = set(string.ascii_letters)
    upper: dict[str, str] = {}
    lower: dict[str, str] = {}
    for c in _all_characters():
        if c.isascii():
            continue
        if set(c.upper()) <= letters:
            upper[c] = c.upper()
        if set(c.lower()) <= letters:
            lower[c] = c.lower()
    twins = {c: k for k, cs in _schema_text.UPPER_TWINS.items() for c in cs}
    ligatures = {c: k for k, cs in _schema_text.UPPER_LIGATURES.items() for c in cs}
    assert upper == twins | ligatures
    assert lower == {
        c: k for k, cs in _schema_text.LOWER_TWINS.items() for c in cs if k.isascii()
    }
    micro = {c for c in _all_characters() if c.lower().replace("μ", "µ") == "µ"}
    assert micro == {"µ", *_schema_text.LOWER_TWINS["µ"]}


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("profile.rules.0.severity", "ıNFO"),
        ("plan.entries.0.dose.amount", "1 \u212ag"),
        ("plan.entries.0.dose.amount", "2 ΜG"),
        ("plan.entries.0.schedule.days.0", "ſu"),
        ("plan.entries.0.schedule.rule", "FREQ=WEEKLY;WKﬆ=SU"),
    ],
)
def test_letters_python_folds_to_ascii(path: str, text: str) -> None:
    """The loader reads a dotless i, a Kelvin sign, a capital mu, a long s and a ligature; so does the schema."""
    field = {
        "severity": "severity",
        "amount": "quantity",
        "0": "weekday",
        "rule": "rrule",
    }[path.rsplit(".", maxsplit=1)[-1]]
    document = _document(field, text)
    assert loader_accepts(document)
    assert VALIDATOR.is_valid(document)  # fmt: skip


def test_lists_longer_than_the_loader_reads_are_refused() -> None:
    """A list of more than 10,000 items is refused by both."""
    document = changed("plan.entries.0.schedule.times", ["08:00"] * 10_001)
    assert not loader_accepts(document)
    assert not VALIDATOR.is_valid(document)
