"""Tests for Quantity and Unit: parsing, exact conversion, arithmetic."""

from __future__ import annotations

import decimal
import pickle
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regimen import Dimension, Quantity, Unit, UnitError
from regimen._decimal import is_terminating

from .strategies import amounts, mass_units, quantities_in, units, volume_units


class TestParse:
    @pytest.mark.parametrize(
        ("text", "amount", "unit"),
        [
            ("2.5 g", "2.5", Unit.G),
            ("1/2 tsp", "0.5", Unit.TSP),
            ("1 1/2 tsp", "1.5", Unit.TSP),
            ("6 fl oz", "6", Unit.FL_OZ),
            ("6 fl. oz.", "6", Unit.FL_OZ),
            ("500 mg", "500", Unit.MG),
            ("2 capsule", "2", Unit.CAPSULE),
            ("2 capsules", "2", Unit.CAPSULE),
            ("250 µg", "250", Unit.MCG),
            ("250 μg", "250", Unit.MCG),
            ("1 cup", "1", Unit.CUP),
            ("3 cups", "3", Unit.CUP),
            ("  .5   L ", "0.5", Unit.L),
            ("1 teaspoon", "1", Unit.TSP),
            ("-3/4 tbsp", "-0.75", Unit.TBSP),
        ],
    )
    def test_reads_what_people_write(self, text: str, amount: str, unit: Unit) -> None:
        """Decimals, fractions, mixed numbers, plurals and symbols parse exactly."""
        q = Quantity.parse(text)
        assert q.amount == Decimal(amount)
        assert q.unit is unit

    @pytest.mark.parametrize("text", ["2 oz", "2 ounces", "1 OZ"])
    def test_bare_ounce_is_ambiguous(self, text: str) -> None:
        """Bare ``oz`` is rejected with a message that suggests ``fl oz``."""
        with pytest.raises(UnitError, match=r"ambiguous unit .* write 'fl oz'"):
            Quantity.parse(text)

    def test_unknown_unit_lists_known_ones(self) -> None:
        """An unknown unit names the text and the units that exist."""
        with pytest.raises(UnitError, match=r"unknown unit 'scoops'.*known units: mcg"):
            Quantity.parse("2 scoops")

    @pytest.mark.parametrize("text", ["", "g", "2", "two g", "1/0 g", "nan g", "inf g"])
    def test_unreadable_text_is_a_value_error(self, text: str) -> None:
        """Text without an amount and a unit raises ValueError naming the text."""
        with pytest.raises(ValueError, match=repr(text).replace("(", r"\(")):
            Quantity.parse(text)

    def test_non_terminating_fraction_suggests_smaller_unit(self) -> None:
        """A fraction with no exact decimal is refused with an exact alternative."""
        with pytest.raises(ValueError, match=r"e\.g\. '16 tsp'"):
            Quantity.parse("1/3 cup")
        with pytest.raises(ValueError, match="as a decimal amount"):
            Quantity.parse("1/3 mcg")

    def test_parse_rejects_non_text(self) -> None:
        """Only text is parsed."""
        with pytest.raises(TypeError, match="text like"):
            Quantity.parse(2)  # type: ignore[arg-type]

    @given(quantities_in(units))
    def test_str_round_trips(self, q: Quantity) -> None:
        """``parse(str(q)) == q`` and keeps the unit."""
        back = Quantity.parse(str(q))
        assert back == q
        assert back.unit is q.unit
        assert back.amount == q.amount


class TestConstruction:
    def test_float_goes_through_shortest_repr(self) -> None:
        """A float amount becomes the decimal it prints as."""
        assert Quantity(0.1, "g").amount == Decimal("0.1")

    @pytest.mark.parametrize(
        "bad", [Decimal("NaN"), Decimal("Infinity"), float("inf"), "nan"]
    )
    def test_non_finite_amounts_rejected(self, bad: object) -> None:
        """NaN and infinities raise ValueError naming the field."""
        with pytest.raises(
            ValueError, match=r"Quantity\.amount must be a finite number"
        ):
            Quantity(bad, "g")  # type: ignore[arg-type]

    def test_absurd_precision_rejected(self) -> None:
        """More than 40 significant digits is refused, not rounded."""
        with pytest.raises(
            ValueError, match="has 46 significant digits; regimen keeps at most 40"
        ):
            Quantity("1." + "1" * 45, "g")

    def test_bool_and_other_types_rejected(self) -> None:
        """Booleans and arbitrary objects are not amounts; units must be units."""
        with pytest.raises(TypeError, match="bool"):
            Quantity(True, "g")
        with pytest.raises(TypeError, match="list"):
            Quantity([1], "g")  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"Quantity\.unit"):
            Quantity(1, 3)  # type: ignore[arg-type]

    def test_immutable_and_pickles(self) -> None:
        """Quantities are frozen and survive pickling."""
        q = Quantity.parse("2.5 g")
        with pytest.raises(AttributeError):
            q.amount = Decimal(3)  # type: ignore[misc]
        assert pickle.loads(pickle.dumps(q)) == q

    def test_repr_evaluates_back(self) -> None:
        """``repr`` is a constructor call that rebuilds the quantity."""
        q = Quantity.parse("6 fl oz")
        assert repr(q) == "Quantity('6', 'fl oz')"
        assert eval(repr(q)) == q

    def test_unit_spellings(self) -> None:
        """``Unit(...)`` accepts spellings and dimensions are right."""
        assert Unit("µg") is Unit.MCG
        assert Unit("Fluid Ounces") is Unit.FL_OZ
        assert Unit.CUP.dimension is Dimension.VOLUME
        with pytest.raises(ValueError, match="is not a valid Unit"):
            Unit("oz")
        with pytest.raises(TypeError, match="must be a Unit or a str"):
            Unit.parse(3)  # type: ignore[arg-type]


class TestConversion:
    def test_us_customary_factors_are_exact(self) -> None:
        """1 fl oz is 29.5735295625 ml; tsp, tbsp, cup follow from it exactly."""
        assert Quantity(1, "fl oz").to("ml").amount == Decimal("29.5735295625")
        assert Quantity(6, "tsp") == Quantity(1, "fl oz")
        assert Quantity(2, "tbsp") == Quantity(1, "fl oz")
        assert Quantity(1, "cup") == Quantity(8, "fl oz")
        assert Quantity(3, "tsp") == Quantity(1, "tbsp")

    def test_non_terminating_conversion_rounds_to_28_digits(self) -> None:
        """Where no exact decimal exists, the result has 28 significant digits."""
        tsp = Quantity(1, "ml").to("tsp")
        assert tsp.amount == Decimal("0.2028841362110579830117631398")

    def test_counts_never_convert(self) -> None:
        """Capsules are not tablets; mass is not volume."""
        with pytest.raises(UnitError, match="capsule"):
            Quantity(2, "capsule").to("tablet")
        with pytest.raises(UnitError, match="mass in g does not convert to volume"):
            Quantity(2, "g").to("ml")

    @given(quantities_in(mass_units), mass_units)
    def test_mass_conversion_there_and_back_is_exact(
        self, q: Quantity, unit: Unit
    ) -> None:
        """Metric mass converts both ways without loss."""
        there = q.to(unit)
        assert there == q
        assert there.to(q.unit).amount == q.amount

    @given(quantities_in(units), st.data())
    def test_conversion_to_finer_unit_and_back_is_exact(
        self, q: Quantity, data: st.DataObject
    ) -> None:
        """Converting where the unit ratio is a finite decimal, and back, is exact."""
        finer = [
            u
            for u in Unit
            if q.unit.converts_to(u)
            and is_terminating(Fraction(q.unit.factor) / Fraction(u.factor))
        ]
        unit = data.draw(st.sampled_from(finer))
        there = q.to(unit)
        assert there == q
        assert there.to(q.unit).amount == q.amount

    @given(quantities_in(units), units)
    def test_conversion_outside_the_dimension_raises(
        self, q: Quantity, unit: Unit
    ) -> None:
        """``to`` raises UnitError exactly when the units do not convert."""
        if q.unit.converts_to(unit):
            assert q.to(unit).unit is unit
        else:
            with pytest.raises(UnitError, match="cannot convert"):
                q.to(unit)


class TestArithmetic:
    @given(quantities_in(volume_units), quantities_in(volume_units))
    def test_add_then_subtract_is_identity(self, a: Quantity, b: Quantity) -> None:
        """``(a + b) - b == a`` exactly, across units of one dimension."""
        assert (a + b) - b == a

    @given(st.lists(amounts(min_value="0", max_value="10", places=3), max_size=200))
    def test_sums_of_many_small_amounts_are_exact(self, values: list[Decimal]) -> None:
        """Summing many amounts loses nothing (the exact total is kept)."""
        total = Quantity(0, "g")
        for v in values:
            total = total + Quantity(v, "mg")
        exact = sum(values, Decimal(0))
        assert total == Quantity(exact, "mg")
        assert total.to("mg").amount == exact

    def test_sum_of_tenths_is_exact(self) -> None:
        """Ten times 0.1 g is exactly 1 g (a float sum is not)."""
        total = Quantity(0, "g")
        for _ in range(10):
            total += Quantity(0.1, "g")
        assert total.amount == 1

    def test_mixed_units_add_in_a_unit_that_keeps_them_exact(self) -> None:
        """Sums are written in the finer unit, or in ml when no exact ratio exists."""
        assert repr(Quantity(1, "g") + Quantity(1, "mg")) == "Quantity('1001', 'mg')"
        assert (
            repr(Quantity(1, "l") + Quantity(1, "tsp"))
            == "Quantity('1004.92892159375', 'ml')"
        )
        assert (
            repr(Quantity(1, "cup") + Quantity(1, "tbsp")) == "Quantity('17', 'tbsp')"
        )

    def test_scalar_multiplication_and_division(self) -> None:
        """Multiplying and dividing by numbers is exact where possible."""
        q = Quantity("2.5", "g")
        assert q * 3 == Quantity("7.5", "g")
        assert 2 * q == Quantity(5, "g")
        assert q * 0.1 == Quantity("0.25", "g")
        assert q / 4 == Quantity("0.625", "g")
        assert (Quantity(1, "g") / 3).amount == Decimal(
            "0.3333333333333333333333333333"
        )
        assert -q == Quantity("-2.5", "g")
        assert abs(-q) == q
        assert +q is q

    def test_ratio(self) -> None:
        """``ratio`` divides two quantities of one dimension."""
        assert Quantity(1, "cup").ratio(Quantity(1, "tbsp")) == 16
        with pytest.raises(ZeroDivisionError):
            Quantity(1, "g").ratio(Quantity(0, "mg"))
        with pytest.raises(TypeError, match="ratio"):
            Quantity(1, "g") / Quantity(1, "g")  # type: ignore[operator]
        with pytest.raises(ZeroDivisionError):
            Quantity(1, "g") / 0

    def test_mixing_dimensions_raises(self) -> None:
        """Adding or ordering mass and volume raises UnitError; equality is False."""
        g, ml = Quantity(1, "g"), Quantity(1, "ml")
        with pytest.raises(UnitError, match="cannot add"):
            g + ml
        with pytest.raises(UnitError, match="cannot compare"):
            _ = g < ml
        assert g != ml
        assert Quantity(1, "capsule") != Quantity(1, "tablet")

    def test_unsupported_operands(self) -> None:
        """Numbers are not quantities."""
        with pytest.raises(TypeError):
            Quantity(1, "g") + 1  # type: ignore[operator]
        with pytest.raises(TypeError):
            Quantity(1, "g") * Quantity(1, "g")  # type: ignore[operator]
        with pytest.raises(TypeError):
            _ = Quantity(1, "g") < 1  # type: ignore[operator]
        assert Quantity(1, "g").__eq__(1) is NotImplemented

    @given(quantities_in(mass_units), quantities_in(mass_units))
    def test_equality_hashing_ordering_agree_with_to(
        self, a: Quantity, b: Quantity
    ) -> None:
        """``==``, ``hash`` and ``<`` are what comparing in one unit says."""
        a_mg, b_mg = a.to("mcg").amount, b.to("mcg").amount
        assert (a == b) == (a_mg == b_mg)
        assert (a < b) == (a_mg < b_mg)
        assert (a <= b) == (a_mg <= b_mg)
        assert (a > b) == (a_mg > b_mg)
        assert (a >= b) == (a_mg >= b_mg)
        if a == b:
            assert hash(a) == hash(b)

    @given(quantities_in(units))
    def test_equal_across_units_hash_equal(self, q: Quantity) -> None:
        """A quantity and its conversion to the base unit hash alike."""
        base = {Dimension.MASS: "mcg", Dimension.VOLUME: "ml"}.get(q.unit.dimension)
        other = q.to(base) if base else q
        assert other == q
        assert hash(other) == hash(q)

    def test_global_decimal_context_is_untouched(self) -> None:
        """Arithmetic does not read or change the global decimal context."""
        with decimal.localcontext() as ctx:
            ctx.prec = 3
            ctx.traps[decimal.Inexact] = True
            total = Quantity("1.23456789", "g") + Quantity("1", "mg")
            assert total.amount == Decimal("1235.56789")
            assert decimal.getcontext().prec == 3
