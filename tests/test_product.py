"""Tests for Substance, Product, Dose and Meal."""

from __future__ import annotations

import pickle
from datetime import timedelta
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from regimen import Dose, Meal, Product, Quantity, Substance, UnitError

KRATOM = Substance("kratom", classes={"Botanical"}, aliases=["Mitragyna speciosa"])
KEFIR = Substance("kefir", classes={"probiotic"})
SUGAR = Substance("sugar")


def powder(**kwargs: object) -> Product:
    return Product(
        "Maeng Da",
        contents={KRATOM: "1 g"},
        per="1 g",
        equivalents=[("1 tsp", "2 g")],
        **kwargs,  # type: ignore[arg-type]
    )


class TestSubstance:
    def test_matches_name_alias_and_class_case_insensitively(self) -> None:
        """A term names a substance by name, alias or class, any case."""
        assert KRATOM.matches("KRATOM")
        assert KRATOM.matches(" mitragyna SPECIOSA ")
        assert KRATOM.matches("botanical")
        assert not KRATOM.matches("kefir")

    def test_names_are_stripped_and_required(self) -> None:
        """Names are stripped; empty names are rejected naming the field."""
        assert Substance("  kefir ").name == "kefir"
        with pytest.raises(ValueError, match=r"Substance\.name must not be empty"):
            Substance("   ")
        with pytest.raises(ValueError, match=r"Substance\.aliases"):
            Substance("x", aliases=["ok", " "])
        with pytest.raises(TypeError, match=r"Substance\.name must be a str"):
            Substance(3)  # type: ignore[arg-type]

    def test_onset_and_duration_must_be_positive_timedeltas(self) -> None:
        """Onset and duration are positive timedeltas or None."""
        assert Substance("k", onset=timedelta(minutes=45)).onset == timedelta(
            minutes=45
        )
        with pytest.raises(
            ValueError, match=r"Substance\.onset must be longer than zero"
        ):
            Substance("k", onset=timedelta(0))
        with pytest.raises(TypeError, match=r"Substance\.duration must be a timedelta"):
            Substance("k", duration=45)  # type: ignore[arg-type]

    def test_frozen_hashable_equal_by_value(self) -> None:
        """Equal substances hash alike; they cannot be changed."""
        twin = Substance(
            "kratom", classes={"botanical"}, aliases=("Mitragyna speciosa",)
        )
        assert twin == KRATOM
        assert hash(twin) == hash(KRATOM)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            KRATOM.name = "x"  # type: ignore[misc]
        assert pickle.loads(pickle.dumps(KRATOM)) == KRATOM


class TestProduct:
    def test_contents_of_same_unit_scales(self) -> None:
        """Contents scale with the amount in the units of ``per``."""
        kefir = Product(
            "milk kefir",
            contents={KEFIR: "1 fl oz", SUGAR: "1.5 g"},
            per="1 fl oz",
            tags={"Lactose"},
        )
        got = kefir.contents_of(Quantity.parse("6 fl oz"))
        assert got == {KEFIR: Quantity(6, "fl oz"), SUGAR: Quantity(9, "g")}
        assert kefir.tags == frozenset({"lactose"})
        assert kefir.substances == (KEFIR, SUGAR)

    def test_contents_of_through_equivalents(self) -> None:
        """A teaspoon (or any volume) is measured through the product's equivalent."""
        assert powder().contents_of("1/2 tsp") == {KRATOM: Quantity(1, "g")}
        assert powder().contents_of("1 fl oz") == {KRATOM: Quantity(12, "g")}
        assert powder().contents_of("2500 mg") == {KRATOM: Quantity("2.5", "g")}

    def test_contents_of_through_a_chain_of_equivalents(self) -> None:
        """Equivalents chain: capsules to grams to servings."""
        product = Product(
            "capsules",
            contents={KRATOM: "3 g"},
            per="1 serving",
            equivalents=[("1 serving", "3 g"), ("1 capsule", "500 mg")],
        )
        assert product.contents_of("2 capsules") == {KRATOM: Quantity(1, "g")}
        assert product.measures(Quantity(2, "capsule"))
        assert not product.measures(Quantity(2, "ml"))

    def test_unmeasurable_amount_names_product_and_units(self) -> None:
        """A UnitError names the product, both units and the fix."""
        with pytest.raises(UnitError) as info:
            powder().contents_of("2 capsules")
        text = str(info.value)
        assert "'Maeng Da'" in text
        assert "capsule does not convert to g" in text
        assert "add an equivalent" in text

    def test_invalid_products_cannot_be_built(self) -> None:
        """Empty contents, non-substance keys, zero amounts and bad equivalents fail."""
        with pytest.raises(ValueError, match="at least one substance"):
            Product("x", contents={})
        with pytest.raises(TypeError, match="keys must be Substance"):
            Product("x", contents={"kratom": "1 g"})  # type: ignore[dict-item]
        with pytest.raises(
            ValueError, match=r"contents\['kratom'\] must be more than zero"
        ):
            Product("x", contents={KRATOM: "0 g"})
        with pytest.raises(ValueError, match=r"Product\.per must be more than zero"):
            Product("x", contents={KRATOM: "1 g"}, per="0 g")
        with pytest.raises(ValueError, match="already convert"):
            Product("x", contents={KRATOM: "1 g"}, equivalents=[("1 g", "1000 mg")])
        with pytest.raises(ValueError, match="must be a pair"):
            Product("x", contents={KRATOM: "1 g"}, equivalents=["1 g"])  # type: ignore[list-item]
        with pytest.raises(ValueError, match="two amounts above zero"):
            Product("x", contents={KRATOM: "1 g"}, equivalents=[("0 tsp", "1 g")])
        with pytest.raises(TypeError, match="must map Substance"):
            Product("x", contents=[KRATOM])  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="lab_tested"):
            Product("x", contents={KRATOM: "1 g"}, lab_tested="yes")  # type: ignore[arg-type]

    def test_equal_products_hash_alike(self) -> None:
        """Products are hashable values (usable as dict keys)."""
        assert powder() == powder()
        assert hash(powder()) == hash(powder())
        assert len({powder(), powder(variant="white")}) == 2
        assert pickle.loads(pickle.dumps(powder())) == powder()

    @given(
        st.decimals(min_value=Decimal("0.001"), max_value=Decimal(1000), places=3),
        st.sampled_from(["g", "mg", "tsp"]),
    )
    def test_contents_scale_linearly(self, amount: Decimal, unit: str) -> None:
        """Twice the amount contains exactly twice the substance."""
        one = powder().contents_of(Quantity(amount, unit))[KRATOM]
        two = powder().contents_of(Quantity(amount * 2, unit))[KRATOM]
        assert two == one * 2


class TestDose:
    def test_contents_computed_once(self) -> None:
        """A dose knows what it contains."""
        dose = Dose(powder(), "1 tsp", meal="after", note="after lunch")
        assert dose.contents == {KRATOM: Quantity(2, "g")}
        assert dose.contents is dose.contents
        assert dose.meal is Meal.AFTER

    def test_meal_spellings(self) -> None:
        """Meals accept their values in any case, with spaces or underscores."""
        assert Dose(powder(), "1 g", meal="Empty stomach").meal is Meal.EMPTY_STOMACH
        with pytest.raises(ValueError, match=r"Dose\.meal must be a Meal or one of"):
            Dose(powder(), "1 g", meal="dinner")

    def test_amount_must_be_positive_and_measurable(self) -> None:
        """Zero, negative and unmeasurable amounts are rejected."""
        with pytest.raises(ValueError, match=r"Dose\.amount must be more than zero"):
            Dose(powder(), "0 g")
        with pytest.raises(ValueError, match=r"Dose\.amount must be more than zero"):
            Dose(powder(), "-1 g")
        with pytest.raises(UnitError, match="cannot measure 1 capsule"):
            Dose(powder(), "1 capsule")
        with pytest.raises(TypeError, match=r"Dose\.product"):
            Dose("powder", "1 g")  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"Dose\.amount"):
            Dose(powder(), 1)  # type: ignore[arg-type]

    def test_equal_doses_hash_alike(self) -> None:
        """Equality ignores the cached contents and agrees with hashing."""
        a, b = Dose(powder(), "1 tsp"), Dose(powder(), Quantity(1, "tsp"))
        assert a == b
        assert hash(a) == hash(b)
        assert pickle.loads(pickle.dumps(a)) == a
