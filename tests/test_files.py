"""Tests for the plan file format: round trips, every problem reported, fuzzing."""

from __future__ import annotations

import json
import pickle
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regimen import Bundle, LoadError, dumps, load, loads

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.toml"))

MINIMAL = """
[[substances]]
name = "kratom"

[[products]]
name = "Maeng Da"
contents = { kratom = "1 g" }
per = "1 g"

[plan]
name = "p"
timezone = "America/New_York"
start = 2027-01-01
end = 2027-01-03

[[plan.entries]]
dose = { product = "Maeng Da", amount = "2 g" }
schedule = { kind = "daily", times = ["08:00"] }

[[plan.entries]]
dose = { product = "Maeng Da", amount = "1 g" }
schedule = { kind = "weekly", days = ["MO"], times = ["20:00"] }

[[plan.entries]]
dose = { product = "Maeng Da", amount = "1 g" }
schedule = { kind = "every", n_days = 2, times = ["12:00"] }
"""


def problems(text: str | bytes, fmt: str = "toml") -> list[str]:
    with pytest.raises(LoadError) as info:
        loads(text, format=fmt)  # type: ignore[arg-type]
    return list(info.value.problems)


class TestRoundTrip:
    @pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
    @pytest.mark.parametrize("fmt", ["toml", "json"])
    def test_examples_round_trip(self, path: Path, fmt: str) -> None:
        """Dumping then loading every example gives back an equal bundle."""
        bundle = load(path)
        assert loads(dumps(bundle, format=fmt), format=fmt) == bundle  # type: ignore[arg-type]

    def test_written_form_is_what_a_person_writes(self) -> None:
        """Quantities, times and durations are written as text a person would type."""
        text = dumps(load(EXAMPLES[-1]))
        data = tomllib.loads(text)
        entry = data["plan"]["entries"][0]
        assert entry["dose"]["amount"] == "6 fl oz"
        assert entry["schedule"] == {"kind": "daily", "times": ["08:00"]}
        assert data["substances"][-1]["onset"] == "45 min"

    def test_load_reads_json_by_suffix(self, tmp_path: Path) -> None:
        """load() picks JSON by the file's suffix."""
        bundle = loads(MINIMAL)
        path = tmp_path / "plan.json"
        path.write_text(dumps(bundle, format="json"))
        assert load(path) == bundle

    def test_every_example_carries_sources(self) -> None:
        """Bundled example data says where its numbers and notes come from."""
        for path in EXAMPLES:
            data = tomllib.loads(path.read_text())
            for key in ("substances", "products", "interactions"):
                for item in data.get(key, []):
                    assert item.get("source"), (
                        f"{path.name}: {key} {item.get('name')} has no source"
                    )
            for entry in data.get("plan", {}).get("entries", []):
                assert entry.get("source"), f"{path.name}: an entry has no source"
            for rule in data.get("profile", {}).get("rules", []):
                assert rule.get("source"), f"{path.name}: a rule has no source"
            lowered = path.read_text().lower()
            for phrase in ("you should", "we recommend", "consult your", "safe dose"):
                assert phrase not in lowered


class TestProblems:
    def test_design_example_message(self) -> None:
        """A bare 'oz' in the third entry is reported at its path with the fix."""
        text = MINIMAL.replace(
            'amount = "1 g" }\nschedule = { kind = "every"',
            'amount = "1 oz" }\nschedule = { kind = "every"',
        )
        (problem,) = problems(text)
        assert problem.startswith(
            "plan.entries[2].dose.amount: ambiguous unit 'oz' — write 'fl oz'"
        )

    def test_every_problem_at_once(self) -> None:
        """Unknown keys, bad values and bad zone names are all listed together."""
        text = (
            MINIMAL.replace('name = "kratom"', 'name = "kratom"\ncolour = "green"')
            .replace("America/New_York", "../../etc/passwd")
            .replace('times = ["08:00"]', 'times = ["25:00"]')
        )
        found = problems(text)
        assert found == [
            "substances[0]: unknown key 'colour'; the keys here are name, classes, aliases, onset, duration, notes, source, kinetics",
            "plan.timezone: must be an IANA time zone name like 'Europe/Berlin' (got '../../etc/passwd')",
            "plan.entries[0].schedule.times[0]: time must be a time of day like '08:30' (got '25:00')",
        ]

    def test_unknown_references_suggest_a_name(self) -> None:
        """References by name that do not resolve name what exists and the closest match."""
        text = MINIMAL.replace(
            'contents = { kratom = "1 g" }', 'contents = { kratm = "1 g" }'
        )
        assert problems(text) == [
            "products[0].contents.kratm: unknown substance 'kratm'; did you mean 'kratom'? (known: 'kratom')"
        ]
        text = MINIMAL.replace(
            'product = "Maeng Da", amount = "2 g"', 'product = "Maeng", amount = "2 g"'
        )
        assert problems(text) == [
            "plan.entries[0].dose.product: unknown product 'Maeng'; did you mean 'Maeng Da'? (known: 'Maeng Da')"
        ]

    @pytest.mark.parametrize(
        ("old", "new", "expected"),
        [
            (
                "America/New_York",
                "Mars/Olympus",
                "plan.timezone: unknown time zone 'Mars/Olympus'",
            ),
            ("America/New_York", "", "plan.timezone: must be an IANA time zone name"),
            (
                'kind = "daily", times = ["08:00"]',
                'kind = "rrule", rule = "FREQ=DAILY;INTERVAL=0", times = ["08:00"]',
                "plan.entries[0].schedule: recurrence rule 'FREQ=DAILY;INTERVAL=0': INTERVAL must be",
            ),
            (
                'kind = "daily", times = ["08:00"]',
                'kind = "daily", n_days = 2, times = ["08:00"]',
                "plan.entries[0].schedule: n_days does not apply to kind 'daily'",
            ),
            (
                'kind = "daily", times = ["08:00"]',
                'kind = "hourly", times = ["08:00"]',
                "plan.entries[0].schedule: kind must be one of",
            ),
            (
                'kind = "every", n_days = 2',
                'kind = "every"',
                "plan.entries[2].schedule: kind 'every' needs n_days",
            ),
            (
                'kind = "every", n_days = 2',
                'kind = "every", n_days = "2"',
                "plan.entries[2].schedule.n_days: expected a whole number (got '2')",
            ),
            (
                'kind = "every", n_days = 2',
                'kind = "every", n_days = true',
                "plan.entries[2].schedule.n_days: expected a whole number (got True)",
            ),
            (
                'amount = "2 g"',
                "amount = 2",
                'plan.entries[0].dose.amount: expected an amount like "2.5 g" or a range like "2-3 g" (got 2)',
            ),
            (
                'amount = "2 g"',
                'amount = "-2 g"',
                "plan.entries[0].dose: Dose.amount must be more than zero (got -2 g)",
            ),
            (
                'amount = "2 g"',
                'amount = "2 capsules"',
                "plan.entries[0].dose: cannot measure 2 capsules of 'Maeng Da'",
            ),
            (
                "end = 2027-01-03",
                "end = 2026-01-03",
                "plan: Plan.end (2026-01-03) is before Plan.start (2027-01-01)",
            ),
            (
                "end = 2027-01-03",
                'end = "yesterday"',
                "plan.end: expected a date like 2027-01-31 (got 'yesterday')",
            ),
            (
                'per = "1 g"',
                "per = nan",
                "products[0].per: nan is not a number; write amounts as text",
            ),
            (
                'per = "1 g"',
                "per = inf",
                "products[0].per: inf is infinite; write amounts as text",
            ),
            (
                'per = "1 g"',
                "per = 1.5",
                "products[0].per: 1.5 is a bare number; write amounts as text",
            ),
            (
                'per = "1 g"',
                "per = 99999999999",
                "products[0].per: 99999999999 is out of range",
            ),
            ('name = "p"', 'name = "  "', "plan: Plan.name must not be empty"),
        ],
    )
    def test_bad_values(self, old: str, new: str, expected: str) -> None:
        """Each bad value is reported with its path and what would be accepted."""
        assert old in MINIMAL
        found = problems(MINIMAL.replace(old, new, 1))
        assert any(p.startswith(expected) for p in found), found

    def test_broken_definitions_are_not_reported_again_as_unknown(self) -> None:
        """A product with a problem is reported once, not again wherever it is used."""
        found = problems(
            MINIMAL.replace('per = "1 g"', 'per = "1 g"\nequivalents = [["1 tsp"]]')
        )
        assert found == [
            "products[0]: Product.equivalents[0] must be a pair like ('1 tsp', '2 g') (got (Quantity('1', 'tsp'),))"
        ]

    def test_defined_twice(self) -> None:
        """Two substances with one name are an error, not a silent overwrite."""
        found = problems(
            MINIMAL.replace(
                '[[substances]]\nname = "kratom"',
                '[[substances]]\nname = "kratom"\n[[substances]]\nname = "Kratom"',
            )
        )
        assert found == ["substances[1].name: 'Kratom' is defined twice"]

    def test_rules_are_checked_by_type(self) -> None:
        """Rule tables need their type's keys and nothing else."""
        text = (
            MINIMAL
            + '\n[[profile.rules]]\ntype = "max-amount"\nsubstance = "kratom"\namount = "8 g"\n'
        )
        assert problems(text) == ["profile.rules[0]: a 'max-amount' rule needs per"]
        text = (
            MINIMAL
            + '\n[[profile.rules]]\ntype = "min-interval"\nsubstance = "kratom"\ninterval = "4 h"\ncount = 2\n'
        )
        assert problems(text) == [
            "profile.rules[0]: count does not apply to a 'min-interval' rule"
        ]
        text = MINIMAL + '\n[[profile.rules]]\ntype = "max-fun"\n'
        assert problems(text)[0].startswith(
            "profile.rules[0]: type must be one of max-amount"
        )

    def test_log_needs_a_zone(self) -> None:
        """A log time without an offset needs a zone from the entry or the plan."""
        text = '[[substances]]\nname = "k"\n[[products]]\nname = "p"\ncontents = { k = "1 g" }\n[[log]]\nat = "2027-01-01T08:00"\ndose = { product = "p", amount = "1 serving" }\n'
        assert problems(text)[0].startswith("log[0].at: give a UTC offset")
        ok = loads(
            text.replace(
                'at = "2027-01-01T08:00"',
                'at = "2027-01-01T08:00"\ntimezone = "Asia/Tokyo"',
            )
        )
        assert ok.log is not None
        assert ok.log[0].at.utcoffset() is not None
        assert str(ok.log[0].at.tzinfo) == "Asia/Tokyo"

    @pytest.mark.parametrize(
        ("text", "fmt", "expected"),
        [
            (
                '{"version": 1, "version": 2}',
                "json",
                "(input): key 'version' appears twice in one object",
            ),
            ('{"plan": NaN}', "json", "(input): NaN is not a number regimen accepts"),
            ("[1, 2]", "json", "(top level): expected a table of sections (got list)"),
            ("plan = ", "toml", "(input): not valid TOML"),
            ("{", "json", "(input): not valid JSON"),
            (
                "[" * 100_000 + "]" * 100_000,
                "json",
                "(input): nested more than 32 levels deep",
            ),
            ('{"a":' * 40 + "1" + "}" * 40, "json", "a.a.a"),
            ("x = 1", "yaml", ""),
        ],
    )
    def test_unreadable_input(self, text: str, fmt: str, expected: str) -> None:
        """Malformed, hostile and deeply nested input is a LoadError (or ValueError for a bad format)."""
        if fmt == "yaml":
            with pytest.raises(ValueError, match="format must be 'toml' or 'json'"):
                loads(text, format=fmt)  # type: ignore[arg-type]
            return
        found = problems(text, fmt)
        assert found[0].startswith(expected), found

    def test_size_cap(self, tmp_path: Path) -> None:
        """Input over the documented size cap is refused before parsing."""
        assert problems("#" * 1_000_001)[0].startswith(
            "(input): 1000001 characters is over the 1000000-byte limit"
        )
        big = tmp_path / "big.toml"
        big.write_text("#" * 1_000_001)
        with pytest.raises(LoadError, match="over the 1000000-byte limit"):
            load(big)
        with pytest.raises(LoadError, match="cannot read the file"):
            load(tmp_path / "missing.toml")
        assert problems(b"\xff\xfe") == [
            "(input): not UTF-8 text (invalid start byte at byte 0)"
        ]

    def test_load_error_pickles(self) -> None:
        """A LoadError from a real file survives pickling with its problems."""
        with pytest.raises(LoadError) as info:
            loads(MINIMAL.replace("2 g", "2 oz"))
        back = pickle.loads(pickle.dumps(info.value))
        assert back.problems == info.value.problems


def _json_values(max_leaves: int = 30) -> st.SearchStrategy[Any]:
    leaves = (
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
    )
    return st.recursive(
        leaves,
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=10), children, max_size=4)
        ),
        max_leaves=max_leaves,
    )


def _outcome(text: str) -> Bundle | LoadError:
    """Load JSON text; return the LoadError instead of raising it (anything else escapes)."""
    try:
        return loads(text, format="json")
    except LoadError as exc:
        return exc


def _mutate(data: Any, path: list[Any], value: Any) -> Any:
    """Replace (or add) the value at *path* in a copy of *data*."""
    if not path:
        return value
    head, *rest = path
    if isinstance(data, dict):
        key = (
            head
            if isinstance(head, str)
            else (sorted(data)[head % len(data)] if data else "x")
        )
        out = dict(data)
        out[key] = _mutate(data.get(key), rest, value)
        return out
    if isinstance(data, list) and data:
        out_list = list(data)
        index = head % len(data) if isinstance(head, int) else 0
        out_list[index] = _mutate(data[index], rest, value)
        return out_list
    return value


class TestFuzz:
    @given(_json_values())
    @settings(max_examples=200)
    def test_arbitrary_documents(self, data: Any) -> None:
        """Arbitrary JSON gives a Bundle or a LoadError listing problems, never anything else."""
        result = _outcome(json.dumps(data))
        if isinstance(result, LoadError):
            assert result.problems
            assert all(isinstance(p, str) and p for p in result.problems)
        else:
            assert isinstance(result, Bundle)

    @given(
        st.sampled_from(EXAMPLES),
        st.lists(
            st.one_of(
                st.integers(0, 50),
                st.sampled_from(
                    [
                        "plan",
                        "products",
                        "entries",
                        "dose",
                        "schedule",
                        "amount",
                        "times",
                        "profile",
                        "rules",
                        "log",
                        "at",
                    ]
                ),
            ),
            max_size=5,
        ),
        _json_values(max_leaves=5),
    )
    def test_mutated_examples(self, path: Path, where: list[Any], value: Any) -> None:
        """Examples with any value replaced still give a Bundle or a LoadError."""
        data = json.loads(dumps(load(path), format="json"))
        mutated = _mutate(data, where, value)
        result = _outcome(json.dumps(mutated))
        if isinstance(result, LoadError):
            assert result.problems
        else:
            assert isinstance(result, Bundle)


JSON_DOC = {
    "substances": [{"name": "k"}],
    "products": [{"name": "p", "contents": {"k": "1 g"}, "per": "1 g"}],
    "plan": {
        "name": "x",
        "timezone": "UTC",
        "start": "2027-01-01",
        "end": "2027-01-02",
        "entries": [
            {
                "dose": {"product": "p", "amount": "1 g"},
                "schedule": {"kind": "weekly", "days": ["MO"], "times": ["08:00"]},
            }
        ],
    },
    "profile": {
        "rules": [{"type": "max-doses", "substance": "k", "count": 2, "per": "day"}]
    },
    "log": [
        {"at": "2027-01-01T08:00:00+00:00", "dose": {"product": "p", "amount": "1 g"}}
    ],
}


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (["plan", "start"], 5, "plan.start: expected a date like 2027-01-31 (got 5)"),
        (
            ["plan", "start"],
            "2027-13-01",
            "plan.start: expected a date like 2027-01-31 (got '2027-13-01')",
        ),
        (
            ["plan", "entries", 0, "schedule", "times"],
            [800],
            'plan.entries[0].schedule.times[0]: expected a time like "08:30" (got 800)',
        ),
        (
            ["plan", "entries", 0, "schedule", "days"],
            ["XX"],
            "plan.entries[0].schedule.days[0]: expected a weekday like \"MO\" (got 'XX')",
        ),
        (
            ["plan", "entries", 0, "dose", "meal"],
            "brunch",
            "plan.entries[0].dose.meal: expected one of before, with, after, empty-stomach (got 'brunch')",
        ),
        (
            ["plan", "entries", 0, "dose", "amount"],
            ["1 g"],
            'plan.entries[0].dose.amount: expected an amount like "2.5 g" or a range like "2-3 g" (got [\'1 g\'])',
        ),
        (
            ["log", 0, "at"],
            5,
            "log[0].at: expected a date and time like 2027-01-03T08:30:00-05:00 (got 5)",
        ),
        (
            ["log", 0, "at"],
            "noon",
            "log[0].at: expected a date and time like 2027-01-03T08:30:00-05:00 (got 'noon')",
        ),
        (
            ["profile", "rules", 0, "severity"],
            3,
            "profile.rules[0].severity: expected 'error', 'warning' or 'info' (got 3)",
        ),
        (
            ["profile", "rules", 0, "severity"],
            "fatal",
            "profile.rules[0].severity: severity must be one of 'error', 'warning', 'info' (got 'fatal')",
        ),
        (["version"], 2, "version: this reader knows format version 1 (got 2)"),
        (["products", 0, "contents"], ["k"], "products[0].contents: expected a table"),
        (["plan", "entries"], {"a": 1}, "plan.entries: expected a list (got {'a': 1})"),
        (["plan"], "x", "plan: expected a table"),
    ],
)
def test_wrong_types_are_named(path: list[Any], value: Any, expected: str) -> None:
    """A value of the wrong type is reported at its path with what is expected."""
    doc = json.loads(json.dumps(JSON_DOC))
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    found = problems(json.dumps(doc), "json")
    assert expected in found, found
    assert loads(json.dumps(JSON_DOC), format="json").log is not None
