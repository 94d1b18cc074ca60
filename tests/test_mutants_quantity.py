"""Tests that pin regimen._quantity exactly enough to kill its mutants (issue 10)."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from regimen import Quantity, UnitError
from regimen._units import Dimension, Unit

KNOWN = (
    "known units: mcg, mg, g, kg, ml, l, tsp, tbsp, fl oz, cup, capsule, tablet, "
    "serving, drop, piece"
)

OPS: dict[str, Callable[[Any, Any], object]] = {
    "+": operator.add,
    "-": operator.sub,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def q(text: str) -> Quantity:
    """Read '2 g' or, for exponents, '1e300 kg' (Quantity.parse takes no exponent)."""
    amount, _, unit = text.partition(" ")
    return Quantity(amount, unit) if "e" in amount else Quantity.parse(text)


def raises(kind: type[Exception], message: str) -> pytest.RaisesExc[Exception]:
    return pytest.raises(kind, match="^" + re.escape(message) + "$")


class TestDivision:
    @pytest.mark.parametrize(
        ("divisor", "expected"),
        [
            (1, Quantity("2.5", "g")),
            (Decimal("0.5"), Quantity("5", "g")),
            (4, Quantity("0.625", "g")),
            (2.5, Quantity("1", "g")),
        ],
    )
    def test_divides_exactly(
        self, divisor: int | Decimal | float, expected: Quantity
    ) -> None:
        """Dividing by a number (one included) gives the exact quotient in the same unit."""
        result = Quantity("2.5", "g") / divisor
        assert result == expected
        assert result.unit is Unit.G

    def test_inexact_quotient_is_rounded_to_28_digits(self) -> None:
        """A quotient with no finite expansion keeps 28 significant digits."""
        assert (Quantity("1", "g") / 3).amount == Decimal("0." + "3" * 28)

    def test_zero_divisor_names_the_quantity(self) -> None:
        """Division by zero raises ZeroDivisionError naming the dividend."""
        with raises(ZeroDivisionError, "cannot divide 1 g by zero"):
            Quantity("1", "g") / 0

    def test_quantity_divisor_points_to_ratio(self) -> None:
        """Dividing by a Quantity is refused with the method to use instead."""
        with raises(TypeError, "use Quantity.ratio(other) to divide two quantities"):
            Quantity("1", "g") / Quantity("1", "g")  # type: ignore[operator]

    @pytest.mark.parametrize("bad", [True, "2"])
    def test_bool_and_text_divisors_are_unsupported(self, bad: object) -> None:
        """A bool or a string divisor is not a number here (NotImplemented)."""
        with pytest.raises(TypeError, match="unsupported operand"):
            Quantity("1", "g") / bad  # type: ignore[operator]

    def test_out_of_range_quotient_says_what_was_computed(self) -> None:
        """A quotient too large raises UnitError with the operation and the limit."""
        with raises(
            UnitError,
            "cannot divide 1E+300 kg by 0.0000000001: the result, 1E+310 kg, "
            "is too large: regimen handles numbers below 1e301",
        ):
            Quantity("1e300", "kg") / Decimal("1e-10")


class TestMultiplication:
    def test_multiplies_both_ways(self) -> None:
        """A quantity times a number, or a number times it, is exact."""
        assert Quantity("1", "g") * 2.5 == Quantity("2.5", "g")
        assert 3 * Quantity("1.5", "mg") == Quantity("4.5", "mg")

    def test_bool_factor_is_unsupported(self) -> None:
        """True is not a factor (NotImplemented, so a TypeError)."""
        with pytest.raises(TypeError, match="unsupported operand"):
            Quantity("1", "g") * True

    def test_out_of_range_product(self) -> None:
        """A product too large raises UnitError with the operation."""
        with raises(
            UnitError,
            "cannot multiply 1E+300 kg by 100: the result, 1E+302 kg, is too "
            "large: regimen handles numbers below 1e301",
        ):
            Quantity("1e300", "kg") * 100


class TestAddition:
    @pytest.mark.parametrize(
        ("a", "b", "total"),
        [
            ("1 g", "1 g", Quantity("2", "g")),
            ("1 g", "1 mg", Quantity("1001", "mg")),
            ("1 mg", "1 g", Quantity("1001", "mg")),
            ("1 tsp", "1 tbsp", Quantity("4", "tsp")),
            ("1 tsp", "1 ml", Quantity("5.92892159375", "ml")),
            ("1 cup", "1 l", Quantity("1236.5882365", "ml")),
        ],
    )
    def test_sum_is_written_in_the_finer_exact_unit(
        self, a: str, b: str, total: Quantity
    ) -> None:
        """A sum is in the finer unit when exact there, else in the base unit."""
        result = q(a) + q(b)
        assert result.unit is total.unit
        assert result.amount == total.amount

    def test_difference(self) -> None:
        """Subtraction is addition of the negation."""
        result = q("1 g") - q("1 mg")
        assert (result.amount, result.unit) == (Decimal(999), Unit.MG)

    def test_falls_back_to_the_coarser_unit(self) -> None:
        """A sum too large in the finer unit is written in the coarser one when exact."""
        for a, b in [("1e300 kg", "1 mcg"), ("1 mcg", "1e300 kg")]:
            result = q(a) + q(b)
            assert result.unit is Unit.KG
            assert result.amount == Decimal("1" + "0" * 300 + ".000000001")

    @pytest.mark.parametrize(
        ("a", "b", "first"),
        [
            ("1e300 cup", "1 ml", "1E+300 cups and 1 ml"),
            ("1 ml", "1e300 cup", "1 ml and 1E+300 cups"),
        ],
    )
    def test_no_exact_unit_for_the_sum(self, a: str, b: str, first: str) -> None:
        """When neither unit holds the sum exactly, UnitError says both reasons."""
        with raises(
            UnitError,
            f"cannot add {first}: the result, 2.365882365E+302 ml, is too "
            "large: regimen handles numbers below 1e301, and in cup the sum has "
            "no exact decimal amount",
        ):
            q(a) + q(b)

    def test_same_unit_overflow(self) -> None:
        """A same-unit sum too large raises UnitError naming both terms."""
        with raises(
            UnitError,
            "cannot add 9E+300 g and 9E+300 g: the result, 1.8E+301 g, is too "
            "large: regimen handles numbers below 1e301",
        ):
            q("9e300 g") + q("9e300 g")

    def test_across_dimensions(self) -> None:
        """Mass plus volume raises UnitError with both dimensions."""
        with raises(
            UnitError,
            "cannot add 1 g and ml: mass in g does not convert to volume in ml",
        ):
            q("1 g") + q("1 ml")

    def test_count_families_do_not_mix(self) -> None:
        """Capsules and tablets are different counts."""
        with raises(
            UnitError,
            "cannot add 1 capsule and tablet: count in capsule does not convert "
            "to count in tablet",
        ):
            q("1 capsule") + q("1 tablet")

    @pytest.mark.parametrize("op", ["+", "-"])
    def test_numbers_are_unsupported(self, op: str) -> None:
        """Adding or subtracting a plain number is a TypeError."""
        with pytest.raises(TypeError, match="unsupported operand"):
            OPS[op](q("1 g"), 1)


class TestSigns:
    def test_negation_absolute_and_plus(self) -> None:
        """-q, abs(q) and +q keep the unit and change only the sign as expected."""
        m = Quantity("-1.5", "mg")
        assert (-m).amount == Decimal("1.5")
        assert abs(m).amount == Decimal("1.5")
        assert abs(m).unit is Unit.MG
        assert +m is m


class TestConversion:
    def test_to_same_unit_is_identity(self) -> None:
        """Converting to the unit it is in returns the same object."""
        g = q("1 g")
        assert g.to("g") is g

    def test_to_smaller_and_larger_units(self) -> None:
        """Conversions are exact in both directions."""
        assert q("2.5 g").to("mg").amount == Decimal(2500)
        assert q("1 g").to("kg").amount == Decimal("0.001")
        assert q("1 g").to(Unit.KG).unit is Unit.KG

    def test_to_other_dimension(self) -> None:
        """Converting a mass to a volume raises UnitError with the verb 'convert'."""
        with raises(
            UnitError,
            "cannot convert 1 g and ml: mass in g does not convert to volume in ml",
        ):
            q("1 g").to("ml")

    def test_to_out_of_range(self) -> None:
        """A conversion whose result is too large raises UnitError, not InvalidOperation."""
        with raises(
            UnitError,
            "cannot convert 1E+300 kg to mcg: the result, 1E+309 mcg, is too "
            "large: regimen handles numbers below 1e301",
        ):
            q("1e300 kg").to("mcg")

    def test_unit_must_be_a_unit_or_text(self) -> None:
        """A unit of another type is a TypeError naming the value."""
        with raises(TypeError, "Quantity.unit must be a Unit or its spelling (got 5)"):
            q("1 g").to(5)  # type: ignore[arg-type]

    def test_dimension(self) -> None:
        """The dimension is the unit's."""
        assert q("1 g").dimension is Dimension.MASS
        assert q("1 tsp").dimension is Dimension.VOLUME


class TestRatioAndComparison:
    def test_ratio(self) -> None:
        """ratio() is exact when it can be, and 28 digits otherwise."""
        assert q("1 cup").ratio(q("1 tbsp")) == Decimal(16)
        assert q("1 g").ratio(q("3 g")) == Decimal("0." + "3" * 28)
        assert q("1 g").ratio(q("250 mg")) == Decimal(4)

    def test_ratio_by_zero(self) -> None:
        """ratio() by a zero quantity raises ZeroDivisionError naming both."""
        with raises(ZeroDivisionError, "cannot divide 1 g by 0 mg"):
            q("1 g").ratio(q("0 mg"))

    def test_ratio_across_dimensions(self) -> None:
        """ratio() across dimensions raises UnitError with the verb 'divide'."""
        with raises(
            UnitError,
            "cannot divide 1 g and ml: mass in g does not convert to volume in ml",
        ):
            q("1 g").ratio(q("1 ml"))

    def test_ordering_across_units(self) -> None:
        """<, <=, >, >= compare values across units, with equality as the boundary."""
        one_g, thousand_mg, two_g = q("1 g"), q("1000 mg"), q("2 g")
        assert not one_g < thousand_mg
        assert one_g <= thousand_mg
        assert not one_g > thousand_mg
        assert one_g >= thousand_mg
        assert one_g < two_g
        assert not two_g < one_g
        assert two_g > one_g
        assert not one_g > two_g
        assert not two_g <= one_g
        assert not one_g >= two_g

    @pytest.mark.parametrize("op", ["<", "<=", ">", ">="])
    def test_ordering_with_numbers_is_unsupported(self, op: str) -> None:
        """Comparing with a plain number is a TypeError, not a result."""
        with pytest.raises(TypeError, match="not supported between"):
            OPS[op](q("1 g"), 1)

    @pytest.mark.parametrize("op", ["<", "<=", ">", ">="])
    def test_ordering_across_dimensions(self, op: str) -> None:
        """Ordering a mass against a volume raises UnitError with the verb 'compare'."""
        with raises(
            UnitError,
            "cannot compare 1 g and ml: mass in g does not convert to volume in ml",
        ):
            OPS[op](q("1 g"), q("1 ml"))

    def test_equality_and_hash(self) -> None:
        """Equal values across units are equal and hash alike; counts of other kinds differ."""
        assert q("1 g") == q("1000 mg")
        assert hash(q("1 g")) == hash(q("1000 mg"))
        assert q("1 g") != q("1 ml")
        assert q("1 capsule") != q("1 tablet")
        assert hash(q("1 capsule")) != hash(q("1 tablet"))
        assert q("1 g") != 1
        assert q("2 capsules") == Quantity(2, "capsule")


class TestText:
    def test_str_and_repr(self) -> None:
        """str() writes the amount and a singular or plural label; repr() is evaluable."""
        assert str(Quantity("1", "capsule")) == "1 capsule"
        assert str(Quantity("2", "capsule")) == "2 capsules"
        assert str(Quantity("1E+3", "g")) == "1000 g"
        assert repr(Quantity("1E+3", "g")) == "Quantity('1000', 'g')"


class TestParse:
    @pytest.mark.parametrize(
        ("text", "amount", "unit"),
        [
            ("1/2 tsp", "0.5", Unit.TSP),
            ("+1/2 tsp", "0.5", Unit.TSP),
            ("1 / 4 tsp", "0.25", Unit.TSP),
            ("1 1/2 tsp", "1.5", Unit.TSP),
            ("-1 1/2 g", "-1.5", Unit.G),
            ("2 1/2 g", "2.5", Unit.G),
            ("1/8 cup", "0.125", Unit.CUP),
            ("2.5g", "2.5", Unit.G),
            (" 2 capsules ", "2", Unit.CAPSULE),
        ],
    )
    def test_reads_fractions_and_mixed_numbers(
        self, text: str, amount: str, unit: Unit
    ) -> None:
        """Fractions, mixed numbers, signs and plurals are read exactly."""
        result = q(text)
        assert (result.amount, result.unit) == (Decimal(amount), unit)

    def test_a_quantity_is_returned_as_is(self) -> None:
        """parse() of a Quantity returns it unchanged."""
        g = q("1 g")
        assert Quantity.parse(g) is g  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            (
                "1/3 cup",
                "'1/3 cup' has no exact decimal amount; write it in a "
                "smaller unit, e.g. '16 tsp'",
            ),
            (
                "1/6 cup",
                "'1/6 cup' has no exact decimal amount; write it in a "
                "smaller unit, e.g. '8 tsp'",
            ),
            (
                "1/3 tbsp",
                "'1/3 tbsp' has no exact decimal amount; write it in a "
                "smaller unit, e.g. '1 tsp'",
            ),
            (
                "1/7 cup",
                "'1/7 cup' has no exact decimal amount; write it as a decimal amount",
            ),
            (
                "1/3 g",
                "'1/3 g' has no exact decimal amount; write it as a decimal amount",
            ),
            ("1/0 g", "cannot read '1/0 g': a fraction's denominator is 0"),
            (
                "g",
                "cannot read 'g' as a quantity; write an amount and a unit, "
                "e.g. '2.5 g', '1/2 tsp' or '6 fl oz'",
            ),
            (
                "1/" + "1" * 81 + " g",
                "cannot read '1/111111111111111111111111111"
                "1111111111...' (85 characters): write a fraction with at most 80 "
                "digits above and below the line",
            ),
            (
                "1" * 81 + "/2 g",
                "cannot read '11111111111111111111111111111111"
                "1111111...' (85 characters): write a fraction with at most 80 "
                "digits above and below the line",
            ),
            (
                "1" * 81 + " 1/2 g",
                "cannot read '111111111111111111111111111111"
                "111111111...' (87 characters): write a fraction with at most 80 "
                "digits above and below the line",
            ),
        ],
    )
    def test_unreadable_text(self, text: str, message: str) -> None:
        """Unreadable amounts raise ValueError with the exact message and fix."""
        with raises(ValueError, message):
            q(text)

    def test_eighty_digits_are_allowed(self) -> None:
        """A fraction with exactly 80 digits below the line is read (the limit is inclusive)."""
        with raises(
            ValueError,
            f"'1/{'1' * 80} g' has no exact decimal amount; write it as a decimal amount",
        ):
            q("1/" + "1" * 80 + " g")
        assert q("5" * 80 + "/5 g").amount == Decimal("1" * 80)

    def test_unknown_unit_names_the_text(self) -> None:
        """An unknown unit raises UnitError listing the known ones and the input."""
        with raises(UnitError, f"unknown unit 'zz'; {KNOWN} (in '2 zz')"):
            q(" 2 zz ")

    def test_not_text(self) -> None:
        """A non-string is a TypeError naming the value."""
        with raises(TypeError, "a quantity must be text like '2.5 g' (got 5)"):
            Quantity.parse(5)  # type: ignore[arg-type]


class TestMoreMessages:
    @pytest.mark.parametrize("bad", [float("nan"), float("inf")])
    def test_non_finite_factor_and_divisor_are_named(self, bad: float) -> None:
        """A NaN or infinite factor or divisor is refused naming which it is."""
        with raises(ValueError, f"factor must be a finite number (got {bad})"):
            q("1 g") * bad
        with raises(ValueError, f"divisor must be a finite number (got {bad})"):
            q("1 g") / bad

    def test_ratio_by_one(self) -> None:
        """ratio() by a quantity of exactly one base unit is that amount."""
        assert q("1 g").ratio(q("1 g")) == Decimal(1)
        assert q("2.5 g").ratio(q("1000 mg")) == Decimal("2.5")

    def test_computed_sums_may_have_many_digits(self) -> None:
        """A sum too large is reported as too large, not as having 41 digits."""
        with raises(
            UnitError,
            "cannot add 9E+300 g and 9.99999999999...E+300 g: the result, "
            "1.89999999999...E+301 g, is too large: regimen handles numbers below 1e301",
        ):
            q("9e300 g") + q("9.999999999999999999999999999999999999999e300 g")

    def test_singular_label_in_messages(self) -> None:
        """Messages write one capsule in the singular."""
        with raises(
            UnitError,
            "cannot divide 1 capsule by 1E-301: the result, 1E+301 capsule, is too "
            "large: regimen handles numbers below 1e301",
        ):
            Quantity(1, "capsule") / Decimal("1e-301")

    def test_sum_too_large_in_the_coarser_unit(self) -> None:
        """A cross-unit sum too large even in the coarser unit says what was added."""
        with raises(
            UnitError,
            "cannot add 9.999E+300 kg and 9E+300 g: the result, 1.0008E+301 kg, is "
            "too large: regimen handles numbers below 1e301",
        ):
            q("9.999e300 kg") + q("9e300 g")
