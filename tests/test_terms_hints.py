"""Suggestions for unknown names do bounded work (issue 10).

A fuzzed file of 920 KB with 5,172 products and 48 log entries naming an
unknown product took 2 s to load, almost all of it in difflib comparing
each of the 48 names with every product. A suggestion is a hint: among many
names only some are compared, and the answer for a name is kept.
"""

from __future__ import annotations

import difflib
from unittest import mock

import pytest

import regimen
from regimen import _terms
from regimen._terms import MOST_COMPARED, close_matches


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    _terms._close_matches.cache_clear()


def spy() -> mock.MagicMock:
    return mock.MagicMock(side_effect=difflib.get_close_matches)


def test_among_many_names_only_some_are_compared() -> None:
    """Names of the word's first letter and about its length, at most MOST_COMPARED."""
    choices = [f"espresso{i}" for i in range(20_000)] + ["cofee", "coffee"]
    with mock.patch.object(difflib, "get_close_matches", spy()) as called:
        assert close_matches("coffe", choices, n=2) == ["coffee", "cofee"]
    (pool,) = [c.args[1] for c in called.call_args_list]
    assert list(pool) == ["cofee", "coffee"]
    many = [f"c{i:05}" for i in range(3 * MOST_COMPARED)]
    with mock.patch.object(difflib, "get_close_matches", spy()) as called:
        close_matches("c00000", many, n=1)
    (pool,) = [c.args[1] for c in called.call_args_list]
    assert list(pool) == many[:MOST_COMPARED]


def test_few_names_are_all_compared() -> None:
    """Up to MOST_COMPARED names, each is compared, whatever its letter or length."""
    choices = [f"x{i}" for i in range(MOST_COMPARED - 1)] + ["kratom extract"]
    with mock.patch.object(difflib, "get_close_matches", spy()) as called:
        assert close_matches("kratom extrct", choices, n=1) == ["kratom extract"]
    assert list(called.call_args.args[1]) == choices
    exactly = [f"x{i}" for i in range(MOST_COMPARED)]
    with mock.patch.object(difflib, "get_close_matches", spy()) as called:
        close_matches("k", exactly, n=1)
    assert list(called.call_args.args[1]) == exactly


def test_the_answer_for_a_name_is_kept() -> None:
    choices = ["coffee", "tea", "kefir"]
    with mock.patch.object(difflib, "get_close_matches", spy()) as called:
        first = close_matches("cofee", choices, n=2)
        assert close_matches("cofee", choices, n=2) == first == ["coffee"]
        close_matches("te", choices, n=2)
    assert called.call_count == 2


def test_a_file_naming_one_unknown_product_often_among_thousands() -> None:
    """Each distinct unknown name is compared once, with at most MOST_COMPARED names."""
    products = ", ".join(
        f'{{ name = "coffee{i}", per = "1 cup", contents = {{ caffeine = "95 mg" }} }}'
        for i in range(3000)
    )
    log = ", ".join(
        f'{{ at = 2027-01-01T{h:02}:00:00Z, dose = {{ product = "coffee", amount = "1 cup" }} }}'
        for h in range(24)
    )
    text = f'substances = [{{ name = "caffeine" }}]\nproducts = [{products}]\nlog = [{log}]\n'
    with (
        mock.patch.object(difflib, "get_close_matches", spy()) as called,
        pytest.raises(regimen.LoadError) as raised,
    ):
        regimen.loads(text, format="toml")
    assert "unknown product 'coffee'" in str(raised.value)
    assert len(raised.value.problems) == 24
    assert called.call_count == 1
    assert len(called.call_args.args[1]) == MOST_COMPARED
