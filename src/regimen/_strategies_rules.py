"""Strategies for rules, interaction notes and profiles (re-exported by :mod:`regimen.strategies`).

Every rule strategy takes ``terms``: a strategy of the substance terms
(names, aliases, classes) its rules may name. A term that matches nothing
known is an ``unknown-term`` error under validation, a ``LoadError`` in a
file and a ``ValueError`` from :func:`~regimen.allowance`, so to draw rules
that are meaningful for a given plan, draw the terms from its substances
(:func:`regimen.strategies.bundles` does). The default is the names and
classes :func:`regimen.strategies.substances` uses.
"""

from __future__ import annotations

import functools
from datetime import time, timedelta
from typing import Any

from hypothesis import strategies as st

from ._finding import Severity
from ._interaction import Interaction
from ._profile import Profile
from ._rules import (
    AvoidTags,
    BreakCadence,
    MaxAmount,
    MaxConsecutiveDays,
    MaxDoses,
    MinInterval,
    Rotation,
)
from ._rules_exposure import MaxExposure
from ._strategies_base import (
    CLASSES,
    NAMES,
    TAGS,
    check,
    check_strategy,
    kinetics,
    mass,
    positive,
    substances,
)
from ._substance import Substance

__all__ = [
    "avoid_tags",
    "break_cadences",
    "interactions",
    "max_amounts",
    "max_consecutive_days",
    "max_doses",
    "max_exposures",
    "min_intervals",
    "profiles",
    "rotations",
    "rules",
]


_DEFAULT_TERMS = st.sampled_from(NAMES + CLASSES)


def _default_terms() -> st.SearchStrategy[str]:
    return _DEFAULT_TERMS


def _terms(terms: st.SearchStrategy[str] | None) -> st.SearchStrategy[str]:
    """Return *terms*, or the default, as a strategy checked when first drawn."""
    return _default_terms() if terms is None else _checked_terms(terms)


@st.composite
def _checked_terms(draw: st.DrawFn, terms: st.SearchStrategy[str]) -> str:
    check_strategy(terms, "terms")
    term = draw(terms)
    check(
        isinstance(term, str) and bool(term.strip()),
        f"terms must draw non-empty strings (drew {term!r})",
    )
    return term


_OPTIONS: dict[str, st.SearchStrategy[Any]] = {
    "severity": st.sampled_from(list(Severity)),
    "day_start": st.none() | st.sampled_from([time(0), time(4)]),
    "source": st.none() | st.just("the user's own limit"),
}


def _options() -> dict[str, st.SearchStrategy[Any]]:
    return _OPTIONS


_PER: st.SearchStrategy[Any] = st.sampled_from(
    ["dose", "day", "week"]
) | st.sampled_from([timedelta(hours=24), timedelta(hours=6), timedelta(minutes=90)])


def _per() -> st.SearchStrategy[Any]:
    return _PER


def max_amounts(
    *, terms: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[MaxAmount]:
    """MaxAmount rules over every kind of window, naming one of *terms*."""
    return st.builds(
        MaxAmount,
        _terms(terms),
        positive(mass(), max_value=20),
        per=_per(),
        **_options(),
    )


def max_exposures(
    *, terms: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[MaxExposure]:
    """MaxExposure rules with drawn model parameters, naming one of *terms*."""
    return st.builds(
        MaxExposure,
        _terms(terms),
        positive(mass(), max_value=20),
        kinetics=kinetics(),
        **_options(),
    )


def max_doses(
    *, terms: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[MaxDoses]:
    """MaxDoses rules per day, week or rolling window, naming one of *terms*."""
    return st.builds(
        MaxDoses,
        _terms(terms),
        st.integers(1, 6),
        per=_per().filter(lambda p: p != "dose"),
        **_options(),
    )


def min_intervals(
    *, terms: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[MinInterval]:
    """MinInterval rules, naming one of *terms*."""
    return st.builds(
        MinInterval,
        _terms(terms),
        st.integers(1, 24 * 60).map(lambda m: timedelta(minutes=m)),
        **_options(),
    )


def max_consecutive_days(
    *, terms: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[MaxConsecutiveDays]:
    """MaxConsecutiveDays rules, naming one of *terms*."""
    return st.builds(
        MaxConsecutiveDays, _terms(terms), st.integers(1, 14), **_options()
    )


def break_cadences(
    *, terms: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[BreakCadence]:
    """BreakCadence rules (every >= days), naming one of *terms*."""
    return _break_cadences(_terms(terms))


@st.composite
def _break_cadences(draw: st.DrawFn, terms: st.SearchStrategy[str]) -> BreakCadence:
    days = draw(st.integers(1, 7))
    every = draw(st.integers(days, 40))
    return BreakCadence(
        draw(terms),
        days=days,
        every=every,
        **{k: draw(v) for k, v in _options().items()},
    )


def rotations(
    *, terms: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[Rotation]:
    """Rotation rules, naming one of *terms*."""
    return st.builds(Rotation, _terms(terms), max_days=st.integers(1, 14), **_options())


def avoid_tags() -> st.SearchStrategy[AvoidTags]:
    """AvoidTags rules (tags are not substance terms)."""
    return st.builds(
        AvoidTags, st.frozensets(st.sampled_from(TAGS), min_size=1), **_options()
    )


def rules(*, terms: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Any]:
    """Any built-in rule; those that name a substance name one of *terms*.

    With ``terms=st.nothing()`` only rules that name no substance are drawn.
    """
    if terms is None or isinstance(terms, st.SearchStrategy):
        return _rules(terms)
    return _rules.__wrapped__(
        terms
    )  # not hashable, perhaps: InvalidArgument when drawn


@functools.lru_cache(maxsize=256)
def _rules(terms: st.SearchStrategy[str] | None) -> st.SearchStrategy[Any]:
    """Build the rules strategy once per *terms* (building one per draw is slow)."""
    if isinstance(terms, st.SearchStrategy) and terms.is_empty:
        return avoid_tags()
    return st.one_of(
        max_amounts(terms=terms),
        max_doses(terms=terms),
        min_intervals(terms=terms),
        max_consecutive_days(terms=terms),
        break_cadences(terms=terms),
        rotations(terms=terms),
        avoid_tags(),
        max_exposures(terms=terms),
    )


def interactions(
    *, terms: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[Interaction]:
    """Interaction notes between names or classes (any terms: notes are exempt)."""
    pick = _terms(terms)
    return st.builds(
        Interaction,
        pick,
        pick,
        severity=st.sampled_from(list(Severity)),
        within=st.sampled_from([timedelta(0), timedelta(hours=1), timedelta(hours=12)]),
        note=st.just("listed as a combination to avoid (test data)"),
        source=st.none() | st.just("test data"),
    )


@st.composite
def profiles(
    draw: st.DrawFn,
    *,
    max_rules: int = 4,
    medications: st.SearchStrategy[list[Substance | str]] | None = None,
    terms: st.SearchStrategy[str] | None = None,
) -> Profile:
    """Profiles with rules, interaction notes, medications and a day start.

    The rules name one of *terms* (default: the names and classes
    :func:`~regimen.strategies.substances` draws); pass the terms of the
    substances a test checks, so that no rule is an ``unknown-term``.
    ``terms=st.nothing()`` draws only rules that name no substance
    (AvoidTags). Interaction notes name any of the default terms: a note
    may be there for a substance not taken yet.
    """
    check(
        isinstance(max_rules, int) and max_rules >= 0,
        f"max_rules must be 0 or more (got {max_rules!r})",
    )
    if medications is not None:
        check_strategy(medications, "medications")
    if terms is not None:
        check_strategy(terms, "terms")
    meds = (
        medications
        if medications is not None
        else st.lists(
            st.sampled_from(["sertraline", "warfarin"]) | substances(), max_size=2
        )
    )
    return Profile(
        rules=draw(st.lists(rules(terms=terms), max_size=max_rules)),
        interactions=draw(st.lists(interactions(), max_size=2)),
        medications=draw(meds),
        avoid_tags=draw(st.frozensets(st.sampled_from(TAGS), max_size=1)),
        day_start=draw(st.sampled_from([time(0), time(4)])),
    )
