"""Tests for the loader's check that every substance term names something known."""

from __future__ import annotations

import io

import pytest

from regimen import LoadError, loads
from regimen._cli import main

HEAD = """
[[substances]]
name = "kratom"
aliases = ["ketum"]
classes = ["botanical"]

[[substances]]
name = "kefir"

[[products]]
name = "Maeng Da"
contents = { kratom = "1 g" }
per = "1 g"

[plan]
name = "p"
timezone = "America/New_York"
start = 2027-01-01
end = 2027-01-10

[[plan.entries]]
dose = { product = "Maeng Da", amount = "2 g" }
schedule = { kind = "daily", times = ["08:00"] }
"""


def _rule(term: str) -> str:
    return f"""
[[profile.rules]]
type = "max-amount"
substance = "{term}"
amount = "8 g"
per = "day"
"""


def _break(*terms: str) -> str:
    listed = ", ".join(f'"{t}"' for t in terms)
    return f"""
[[plan.breaks]]
start = 2027-01-05
end = 2027-01-06
substances = [{listed}]
"""


def problems(text: str) -> list[str]:
    with pytest.raises(LoadError) as info:
        loads(text)
    return list(info.value.problems)


class TestUnknownTerms:
    def test_typo_in_a_rule(self) -> None:
        """A rule's substance that names nothing is a problem with its path and the nearest name."""
        assert problems(HEAD + _rule("kratum")) == [
            "profile.rules[0].substance: 'kratum' names no known substance, alias "
            "or class; did you mean 'kratom' or 'ketum'?"
        ]

    def test_typo_in_a_break(self) -> None:
        """A break's substance that names nothing is a problem with its path."""
        (problem,) = problems(HEAD + _break("kratom", "kefri"))
        assert problem.startswith(
            "plan.breaks[0].substances[1]: 'kefri' names no known"
        )
        assert "did you mean 'kefir'?" in problem

    def test_every_unknown_term_at_once(self) -> None:
        """Unknown terms in breaks and rules are all reported, with other problems."""
        text = HEAD.replace('kind = "daily"', 'kind = "weekly"')
        found = problems(text + _break("tea") + _rule("kratum") + _rule("coffee"))
        assert [p.split(":")[0] for p in found] == [
            "plan.entries[0].schedule",
            "plan.breaks[0].substances[0]",
            "profile.rules[0].substance",
            "profile.rules[1].substance",
        ]

    @pytest.mark.parametrize(
        "term", ["kratom", "KRATOM ", "ketum", "botanical", "kefir"]
    )
    def test_names_aliases_and_classes_match(self, term: str) -> None:
        """A name, an alias or a class of a file's substance is known, in any case."""
        bundle = loads(HEAD + _break(term) + _rule(term))
        assert bundle.profile is not None

    def test_medications_are_known(self) -> None:
        """A medication of the profile is a known term, for rules and breaks."""
        text = HEAD + _break("sertraline") + '[profile]\nmedications = ["sertraline"]\n'
        assert loads(text + _rule("sertraline")).plan is not None

    def test_notes_and_tags_are_exempt(self) -> None:
        """Interaction notes and avoided tags may name what the file does not hold."""
        text = (
            HEAD
            + '[[interactions]]\na = "kratom"\nb = "alcohol"\nseverity = "error"\n'
            + 'within = "12 h"\nnote = "avoid"\n'
            + '[profile]\navoid_tags = ["lactose"]\n'
        )
        assert loads(text).profile is not None

    def test_profile_on_its_own(self) -> None:
        """A file with no substances at all has nothing to check a rule against."""
        assert loads(_rule("kratom")).profile is not None

    def test_broken_substance_is_not_reported_twice(self) -> None:
        """When a substance's definition fails, its terms are not reported as unknown."""
        text = HEAD.replace(
            'aliases = ["ketum"]', 'aliases = ["ketum"]\nonset = "soon"'
        )
        found = problems(text + _rule("ketum"))
        assert [p.split(":")[0] for p in found] == ["substances[0].onset"]

    def test_check_command_refuses_the_file(self) -> None:
        """``regimen check`` exits 2 with the problem, not 0 with a silent pass."""
        out, err = io.StringIO(), io.StringIO()
        code = main(
            ["check", "-"],
            stdout=out,
            stderr=err,
            stdin=io.StringIO(HEAD + _rule("kratum")),
        )
        assert code == 2
        assert "profile.rules[0].substance: 'kratum' names no known" in err.getvalue()
