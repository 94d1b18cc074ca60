"""Tests for round trips through plan files: ``loads(dumps(bundle)) == bundle``."""

from __future__ import annotations

import re

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import regimen.strategies as rst
from regimen import (
    Break,
    Bundle,
    Dose,
    Entry,
    MaxAmount,
    Plan,
    Product,
    Profile,
    RegimenError,
    Schedule,
    Substance,
    Timeline,
    dumps,
    loads,
)
from regimen._files._write import DumpError
from regimen._terms import known_terms
from regimen._timeline import DoseEvent

FORMATS = ["toml", "json"]

KRATOM = Substance("kratom", classes={"botanical"})
MAENG_DA = Product("Maeng Da", contents={KRATOM: "1 g"}, per="1 g")


def _plan(product: Product = MAENG_DA) -> Plan:
    return Plan(
        "p",
        timezone="America/New_York",
        start="2027-01-01",
        end="2027-01-03",
        entries=[Entry(Dose(product, "2 g"), Schedule.daily("08:00"))],
    )


def _round_trip(bundle: Bundle, fmt: str) -> Bundle:
    return loads(dumps(bundle, format=fmt), format=fmt)  # type: ignore[arg-type]


def _known(bundle: Bundle) -> frozenset[str]:
    meds = bundle.profile.medications if bundle.profile else ()
    return known_terms(bundle.substances) | {
        m.casefold() for m in meds if isinstance(m, str)
    }


def _writable(bundle: Bundle) -> Bundle:
    """Drop the rules and breaks that name a term the bundle does not know."""
    known = _known(bundle)
    if not known:
        return bundle

    def ok(term: object) -> bool:
        return not isinstance(term, str) or term.casefold() in known

    plan, profile = bundle.plan, bundle.profile
    if plan is not None:
        kept = [k for k in plan.breaks if all(map(ok, k.substances or ()))]
        plan = attrs.evolve(plan, breaks=kept)
    if profile is not None:
        rules = [r for r in profile.rules if ok(getattr(r, "substance", None))]
        profile = attrs.evolve(profile, rules=rules)
    return attrs.evolve(bundle, plan=plan, profile=profile)


#: Generated bundles are costly to draw; the examples count comes from the
#: loaded profile (60 locally, the thorough ``ci`` profile's 400 in CI).
ROUND_TRIP = settings(suppress_health_check=[HealthCheck.too_slow])


class TestProperty:
    @ROUND_TRIP
    @given(rst.bundles(), st.sampled_from(FORMATS))
    def test_generated_bundles_round_trip(self, bundle: Bundle, fmt: str) -> None:
        """A drawn bundle whose terms all name something known is written and read back equal."""
        bundle = _writable(bundle)
        assert _round_trip(bundle, fmt) == bundle

    @ROUND_TRIP
    @given(st.from_type(Bundle), st.sampled_from(FORMATS))
    def test_bundles_from_type_round_trip(self, bundle: Bundle, fmt: str) -> None:
        """Every drawn bundle loads back equal, or dumps refuses it for an unknown term."""
        if _writable(bundle) != bundle:
            with pytest.raises(DumpError, match="names no known substance"):
                dumps(bundle, format=fmt)  # type: ignore[arg-type]
        else:
            assert _round_trip(bundle, fmt) == bundle


class TestImplicitParts:
    @pytest.mark.parametrize("fmt", FORMATS)
    def test_bundle_of_a_plan_alone(self, fmt: str) -> None:
        """A bundle of only a plan loads back equal: it lists the plan's products and substances."""
        bundle = Bundle(_plan())
        assert bundle.products == (MAENG_DA,)
        assert bundle.substances == (KRATOM,)
        assert _round_trip(bundle, fmt) == bundle

    def test_order_is_given_then_used(self) -> None:
        """Parts given come first, then those used, each once, at its first place."""
        kefir = Substance("kefir")
        sugar = Substance("sugar")
        drink = Product(
            "kefir", contents={kefir: "1 fl oz", sugar: "1 g"}, per="1 fl oz"
        )
        event = DoseEvent(_plan().timeline()[0].at, Dose(drink, "6 fl oz"))
        bundle = Bundle(
            _plan(),
            Profile(medications=[sugar, KRATOM]),
            substances=[sugar, sugar],
            log=Timeline([event]),
        )
        assert bundle.products == (MAENG_DA, drink)
        assert bundle.substances == (sugar, KRATOM, kefir)

    @pytest.mark.parametrize("fmt", FORMATS)
    def test_text_medication(self, fmt: str) -> None:
        """A medication given by name loads back equal."""
        bundle = Bundle(profile=Profile(medications=["sertraline"]))
        assert _round_trip(bundle, fmt) == bundle


class TestUnknownTerms:
    def test_rule_naming_nothing_known(self) -> None:
        """A rule about a substance the bundle does not know is refused before writing."""
        bundle = Bundle(_plan(), Profile(rules=[MaxAmount("kratum", "8 g", per="day")]))
        with pytest.raises(
            RegimenError, match=re.escape("profile.rules[0].substance: 'kratum'")
        ):
            dumps(bundle)

    def test_break_naming_nothing_known(self) -> None:
        """A break naming a substance the bundle does not know is refused before writing."""
        pause = Break("2027-01-02", "2027-01-02", substances=["kefir"])
        bundle = Bundle(attrs.evolve(_plan(), breaks=[pause]))
        with pytest.raises(DumpError, match=re.escape("plan.breaks[0].substances[0]")):
            dumps(bundle, format="json")

    def test_profile_on_its_own(self) -> None:
        """A profile with nothing to check its terms against is written and read back."""
        bundle = Bundle(profile=Profile(rules=[MaxAmount("kratom", "8 g", per="day")]))
        assert loads(dumps(bundle)) == bundle


class TestNameClashes:
    def test_two_substances_one_name(self) -> None:
        """Two different substances named alike are refused, naming the clash."""
        other = Substance("Kratom", classes={"opioid"})
        bundle = Bundle(substances=[KRATOM, other])
        with pytest.raises(
            RegimenError, match="two different substances are named 'Kratom'"
        ):
            dumps(bundle)

    def test_two_products_one_name(self) -> None:
        """Two different products named alike (in the plan and the log) are refused."""
        twin = Product("maeng da", contents={KRATOM: "2 g"}, per="1 g")
        bundle = Bundle(_plan(), products=[twin])
        with pytest.raises(RegimenError, match="two different products are named"):
            dumps(bundle, format="json")

    def test_substance_clash_inside_products(self) -> None:
        """A product holding another substance of a known name is refused."""
        other = Substance("kratom", aliases=("ketum",))
        bundle = Bundle(
            _plan(Product("other", contents={other: "1 g"}, per="1 g")),
            substances=[KRATOM],
        )
        with pytest.raises(RegimenError, match="substances are named 'kratom'"):
            dumps(bundle)

    def test_equal_twins_are_one(self) -> None:
        """Equal objects given twice are not a clash: the bundle lists them once."""
        bundle = Bundle(
            _plan(), substances=[KRATOM, Substance("kratom", classes={"botanical"})]
        )
        assert bundle.substances == (KRATOM,)
        assert loads(dumps(bundle)) == bundle

    def test_medication_named_like_another_substance(self) -> None:
        """A medication named like a different substance of the bundle is refused (it would read back as that one)."""
        ssri = Substance("sertraline", classes={"ssri"})
        bundle = Bundle(profile=Profile(medications=["sertraline"]), substances=[ssri])
        with pytest.raises(DumpError, match="sertraline"):
            dumps(bundle)
