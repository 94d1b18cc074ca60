"""Tests for the range of amounts: clear errors at the edges, exact results inside."""

from __future__ import annotations

import decimal
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from regimen import Product, Quantity, Substance, Unit, UnitError
from regimen._decimal import (
    MAX_COMPUTED_DIGITS,
    brief,
    from_fraction,
    is_terminating,
    out_of_range,
    trim,
)

from .strategies import units

#: Amounts anywhere in the supported range: up to 40 digits, exponents at both edges.
EDGE_AMOUNTS = st.builds(
    lambda digits, exponent, negative: Decimal(
        (int(negative), tuple(int(d) for d in str(digits)), exponent)
    ),
    st.integers(min_value=0, max_value=10**40 - 1),
    st.integers(min_value=-439, max_value=300),
    st.booleans(),
).filter(lambda d: out_of_range(d) is None)


class TestConstructionLimits:
    def test_huge_int_is_refused_with_a_clear_message(self) -> None:
        """10**4400 is too large, said plainly (not Python's int-to-text digit limit)."""
        with pytest.raises(ValueError, match="too large") as caught:
            Quantity(10**4400, "g")
        message = str(caught.value)
        assert "integer string conversion" not in message
        assert message == (
            "Quantity.amount is too large: regimen handles numbers below 1e301 "
            "(got an int of about 4401 digits)"
        )

    @pytest.mark.parametrize(
        ("amount", "reason"),
        [
            ("1e301", "too large"),
            (-(10**301), "too large"),
            (1e308, "too large"),
            ("1e-401", "too small"),
            (Decimal("1e-401"), "too small"),
            ("2." + "0" * 500, "too many zeros"),
        ],
    )
    def test_out_of_range_amounts_are_refused(
        self, amount: str | int | float | Decimal, reason: str
    ) -> None:
        """Amounts outside 1e-400 .. 1e301 are refused at construction, naming the field."""
        with pytest.raises(ValueError, match=rf"^Quantity\.amount .*{reason}"):
            Quantity(amount, "g")

    def test_long_values_are_cut_in_messages(self) -> None:
        """A megabyte of digits gives a short message, not the megabyte."""
        for text in ("9" * 10**6, "x" * 10**6):
            with pytest.raises(ValueError, match="1000000 characters") as caught:
                Quantity(text, "g")
            assert len(str(caught.value)) < 250

    def test_huge_fraction_text_is_refused_clearly(self) -> None:
        """A 5,000-digit fraction is refused before Python's int-to-text digit limit."""
        with pytest.raises(ValueError, match="at most 80 digits") as caught:
            Quantity.parse("9" * 5000 + "/2 g")
        assert "integer string conversion" not in str(caught.value)

    @pytest.mark.parametrize("amount", ["1e300", "9.99e300", "1e-400", "-1e300"])
    def test_str_round_trips_at_the_edges(self, amount: str) -> None:
        """The largest and smallest amounts print as text that parses back equal."""
        q = Quantity(amount, "g")
        back = Quantity.parse(str(q))
        assert back == q
        assert back.amount == q.amount


class TestOperationLimits:
    def test_conversion_past_the_range_raises_unit_error(self) -> None:
        """1e300 kg in mcg is 1e309: a UnitError (a ValueError) says so, not decimal.InvalidOperation."""
        with pytest.raises(UnitError) as caught:
            Quantity("1e300", "kg").to("mcg")
        assert isinstance(caught.value, ValueError)
        assert str(caught.value) == (
            "cannot convert 1E+300 kg to mcg: the result, 1E+309 mcg, is too "
            "large: regimen handles numbers below 1e301"
        )

    def test_conversion_below_the_range_raises_unit_error(self) -> None:
        """1e-400 mcg in kg is 1e-409: too small, said plainly."""
        with pytest.raises(UnitError, match="1E-409 kg, is too small"):
            Quantity("1e-400", "mcg").to("kg")

    def test_conversion_inside_the_range_is_exact(self) -> None:
        """Near the edge, a conversion is still exact."""
        assert Quantity("1e290", "kg").to("mcg").amount == Decimal("1e299")
        assert Quantity("1e290", "kg").to("mcg") == Quantity("1e290", "kg")

    @pytest.mark.parametrize(
        ("compute", "words"),
        [
            (lambda: Quantity("9e300", "g") + Quantity("9e300", "g"), "cannot add"),
            (lambda: Quantity("-9e300", "g") - Quantity("9e300", "g"), "cannot add"),
            (lambda: Quantity("1e300", "g") * 100, r"cannot multiply 1E\+300 g by 100"),
            (lambda: Quantity("1e300", "g") / Decimal("1e-10"), "cannot divide"),
            (lambda: Quantity("1e-400", "g") / 10, "too small"),
        ],
    )
    def test_arithmetic_past_the_range_raises_unit_error(
        self, compute: object, words: str
    ) -> None:
        """Sums, products and quotients that leave the range raise UnitError naming the operation."""
        assert callable(compute)
        with pytest.raises(UnitError, match=words):
            compute()

    def test_sum_too_large_in_the_finer_unit_is_written_in_the_coarser(self) -> None:
        """1e300 kg + 1 mcg is 1e309 mcg, out of range, but exact in kg: the sum is in kg."""
        total = Quantity("1e300", "kg") + Quantity(1, "mcg")
        assert total.unit is Unit.KG
        assert Fraction(total.amount) == 10**300 + Fraction(1, 10**9)
        assert Quantity(1, "mcg") + Quantity("1e300", "kg") == total

    def test_sum_with_no_unit_to_write_it_in_raises_unit_error(self) -> None:
        """1e300 cups + 1 tsp is too large in tsp and inexact in cups: UnitError says both."""
        with pytest.raises(
            UnitError, match="cannot add 1E\\+300 cups and 1 tsp"
        ) as caught:
            Quantity("1e300", "cup") + Quantity(1, "tsp")
        assert "in cup the sum has no exact decimal amount" in str(caught.value)

    @pytest.mark.parametrize("one", [1, Decimal(1), 1.0, "1"])
    def test_division_by_one_is_the_same_amount(self, one: object) -> None:
        """Dividing by one gives the same amount in the same unit (a surviving mutant)."""
        q = Quantity("2.5", "mg")
        if isinstance(one, str):
            with pytest.raises(TypeError):
                q / one  # type: ignore[operator]
            return
        assert isinstance(one, int | float | Decimal)
        result = q / one
        assert result.amount == Decimal("2.5")
        assert result.unit is Unit.MG
        assert Quantity(7, "g") / 1 == Quantity(7, "g")
        assert Quantity(7, "g") / 2 == Quantity("3.5", "g")

    def test_division_by_zero_still_raises(self) -> None:
        """Zero stays the one divisor refused as ZeroDivisionError."""
        with pytest.raises(ZeroDivisionError, match="by zero"):
            Quantity(1, "g") / 0

    def test_contents_past_the_range_raise_unit_error(self) -> None:
        """A dose whose contents would leave the range raises UnitError naming the product."""
        product = Product(
            "p",
            contents={Substance("s"): Quantity("1e300", "kg")},
            per=Quantity("1e-300", "g"),
        )
        with pytest.raises(UnitError, match="cannot measure 1E-250 g of 'p'"):
            product.contents_of(Quantity("1e-250", "g"))

    @given(EDGE_AMOUNTS, units, units)
    @example(Decimal("1e300"), Unit.KG, Unit.MCG)
    @example(Decimal("1e-400"), Unit.MCG, Unit.KG)
    @example(Decimal("9.999e300"), Unit.CUP, Unit.ML)
    @example(Decimal("1e-400"), Unit.ML, Unit.CUP)
    def test_conversions_are_exact_or_raise_unit_error(
        self, amount: Decimal, unit: Unit, target: Unit
    ) -> None:
        """Anywhere in the range a conversion is exact (or 28 digits) or a UnitError, never another error."""
        q = Quantity(amount, unit)
        if not unit.converts_to(target):
            with pytest.raises(UnitError, match="cannot convert"):
                q.to(target)
            return
        oracle = Fraction(amount) * Fraction(unit.factor) / Fraction(target.factor)
        exact = is_terminating(oracle)
        wide = decimal.Context(
            prec=decimal.MAX_PREC if exact else 28,
            Emax=decimal.MAX_EMAX,
            Emin=decimal.MIN_EMIN,
        )
        expected = wide.divide(Decimal(oracle.numerator), Decimal(oracle.denominator))
        if out_of_range(expected, most=MAX_COMPUTED_DIGITS) is not None:
            with pytest.raises(UnitError, match="cannot convert"):
                q.to(target)
            return
        got = q.to(target)
        assert got.unit is target
        assert got.amount == expected


class TestDecimalHelpers:
    def test_from_fraction_is_exact_past_any_context(self) -> None:
        """A terminating fraction with thousands of digits is exact, never rounded by a context."""
        value = from_fraction(Fraction(1, 2**5000))
        assert Fraction(value) == Fraction(1, 2**5000)

    def test_from_fraction_of_a_huge_quotient_does_not_overflow(self) -> None:
        """A non-terminating quotient above 1e999 is rounded, not a decimal.Overflow."""
        value = from_fraction(Fraction(10**1200, 3))
        assert value.adjusted() == 1199
        assert str(value).startswith("3.333333333333333333333333333E+1199")

    @pytest.mark.parametrize(
        ("value", "trimmed"),
        [
            ("2.500", "2.5"),
            ("1E+3", "1000"),
            ("-0.00", "-0"),
            ("0E-50", "0"),
            ("100", "100"),
            ("1E+2500", "1" + "0" * 2500),
            ("1." + "0" * 3000, "1"),
        ],
    )
    def test_trim_is_exact_for_every_size(self, value: str, trimmed: str) -> None:
        """Trailing zeros go, exponent form goes, and no context limit applies."""
        with decimal.localcontext(decimal.Context(prec=5, Emax=10, Emin=-10)):
            got = trim(Decimal(value))
        assert str(got) == trimmed

    def test_computed_decimals_may_be_long_but_bounded(self) -> None:
        """A computed total keeps up to MAX_COMPUTED_DIGITS digits; more is refused."""
        total = Decimal("1e20") + Decimal("1e-20")
        assert Quantity(total, "g").amount == total
        long = Decimal("0." + "1" * (MAX_COMPUTED_DIGITS + 1))
        with pytest.raises(ValueError, match="significant digits"):
            Quantity(long, "g")

    def test_brief_keeps_messages_short(self) -> None:
        """Numbers in messages are short: scientific form past 30 characters."""
        assert brief(Decimal("2.5")) == "2.5"
        assert brief(Decimal("-1e300")) == "-1E+300"
        assert brief(Decimal(10**45 + 1)) == "1.00000000000...E+45"
