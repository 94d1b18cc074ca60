"""Shared test fixtures: a few substances and products from the source articles."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import attrs

from regimen import Dose, Finding, Product, Severity, Substance, Timeline

KRATOM = Substance(
    "kratom",
    classes={"botanical"},
    aliases=["Mitragyna speciosa"],
    onset=timedelta(minutes=45),
)
KEFIR = Substance("kefir", classes={"probiotic"})
SUGAR = Substance("sugar", classes={"added sugar"})

MAENG_DA = Product(
    "Maeng Da",
    variant="white",
    contents={KRATOM: "1 g"},
    per="1 g",
    equivalents=[("1 tsp", "2 g")],
)
GREEN_MALAY = Product(
    "Green Malay", variant="green", contents={KRATOM: "1 g"}, per="1 g"
)
RED_BALI = Product("Red Bali", variant="red", contents={KRATOM: "1 g"}, per="1 g")
MILK_KEFIR = Product(
    "milk kefir",
    contents={KEFIR: "1 fl oz", SUGAR: "1.5 g"},
    per="1 fl oz",
    tags={"lactose"},
)


def kratom(grams: str = "2 g") -> Dose:
    return Dose(MAENG_DA, grams)


def kefir(amount: str = "6 fl oz") -> Dose:
    return Dose(MILK_KEFIR, amount)


@attrs.frozen
class NoDosesAtNight:
    """A rule of a user's own: no kratom from 01:00 to 05:00 New York time."""

    severity: Severity = Severity.ERROR

    def check(self, timeline: Timeline) -> list[Finding]:
        """Report each kratom dose taken at night."""
        return [
            Finding(
                "night-dose",
                self.severity,
                f"dose at night: {e.at.isoformat()}",
                at=e.at,
                events=(e,),
                rule=self,
            )
            for e in timeline
            if e.involves("kratom")
            and 1 <= e.at.astimezone(ZoneInfo("America/New_York")).hour < 5
        ]


def checked_copy(finding: Finding) -> Finding:
    """Build the same finding through the public, checked ``Finding(...)`` constructor."""
    return Finding(
        finding.code,
        finding.severity,
        finding.message,
        at=finding.at,
        events=finding.events,
        rule=finding.rule,
        as_needed_only=finding.as_needed_only,
        upper_end_only=finding.upper_end_only,
        measured=finding.measured,
        limit=finding.limit,
        count_unit=finding.count_unit,
        key=finding.key,
    )
