"""allowance()'s argument errors and its amounts rounded down (issue 10).

A mutation run of ``regimen._allowance`` on this stop's code found that no
test read the messages of allowance()'s argument checks, nor the rounding
of an amount that has no finite decimal form.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from fractions import Fraction
from typing import Any

import pytest

from regimen import MaxAmount, Profile, Quantity, Timeline, allowance
from regimen._allowance import _quantity
from regimen._units import Unit

AT = datetime(2027, 1, 4, 8, tzinfo=UTC)
PROFILE = Profile(rules=[MaxAmount("kratom", "8 g", per="day")])


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"log": []}, TypeError, "allowance() needs a Timeline as the log (got []); build one with Timeline([...])"),
        ({"profile": None}, TypeError, "allowance() needs a Profile (got None)"),
        ({"plan": "p"}, TypeError, "allowance() plan must be a Plan or None (got 'p')"),
        ({"product": "x"}, TypeError, "allowance() product must be a Product or None (got 'x')"),
        ({"at": datetime(2027, 1, 4, 8)}, ValueError, "allowance() at must be an aware datetime (got datetime.datetime(2027, 1, 4, 8, 0))"),
    ],
)  # fmt: skip
def test_each_argument_error_says_what_was_given(
    change: dict[str, Any], error: type[Exception], message: str
) -> None:
    args: dict[str, Any] = {"log": Timeline([]), "profile": PROFILE, "at": AT}
    args.update(change)
    log, profile = args.pop("log"), args.pop("profile")
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        allowance(log, profile, "kratom", **args)


def test_amounts_without_a_finite_decimal_are_rounded_down_to_six_places() -> None:
    assert _quantity(None, Unit.G) is None
    assert _quantity(Fraction(1, 4), Unit.G) == Quantity("0.25", "g")
    third = _quantity(Fraction(2, 3), Unit.MG)
    assert third == Quantity("0.666666", "mg")
    assert third is not None
    assert third.unit is Unit.MG
    assert _quantity(Fraction(-1, 3), Unit.G) == Quantity("-0.333334", "g")
