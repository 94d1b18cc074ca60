"""Tests for time zone names: nearest-name hints, legacy names refused, valid names kept."""

from __future__ import annotations

from datetime import date

import pytest

from regimen import LoadError, Plan, loads
from regimen._timezone import check_zone, nearest_zones

FILE = """
[plan]
name = "p"
timezone = "{zone}"
start = 2027-01-01
end = 2027-01-03
"""


def _problems(zone: str) -> list[str]:
    with pytest.raises(LoadError) as caught:
        loads(FILE.format(zone=zone))
    return list(caught.value.problems)


class TestHints:
    @pytest.mark.parametrize(
        "typed",
        [
            "New York",
            "new york",
            "New_York",
            "America/New York",
            "america/new_york",
            "AMERICA/NEW_YORK",
            "America/New-York",
            "America/NewYork",
            "America/New_Yrok",
        ],
    )
    def test_slips_of_new_york_point_to_the_iana_name(self, typed: str) -> None:
        """Case, space/underscore slips, a missing region and typos name America/New_York."""
        with pytest.raises(ValueError, match="did you mean") as caught:
            Plan("p", timezone=typed, start=date(2027, 1, 1))
        assert str(caught.value) == (
            f"Plan.timezone: unknown time zone {typed!r}; did you mean "
            "'America/New_York'?"
        )

    @pytest.mark.parametrize(
        ("typed", "hint"),
        [
            ("Berlin", "Europe/Berlin"),
            ("london", "Europe/London"),
            ("Sao Paulo", "America/Sao_Paulo"),
            ("Tokio", "Asia/Tokyo"),
            ("utc", "UTC"),
            ("us/eastern", "US/Eastern"),
            ("PST", "America/Los_Angeles"),
            ("CDT", "America/Chicago"),
            ("BST", "Europe/London"),
        ],
    )
    def test_cities_abbreviations_and_case(self, typed: str, hint: str) -> None:
        """A bare city, an abbreviation or a case slip gets the zone name first."""
        assert nearest_zones(typed)[0] == hint
        with pytest.raises(ValueError, match=f"did you mean '{hint}'"):
            check_zone(typed, field="Plan.timezone")

    @pytest.mark.parametrize(
        ("typed", "zone"),
        [("GMT+5", "Etc/GMT-5"), ("UTC-03:00", "Etc/GMT+3"), ("utc+1", "Etc/GMT-1")],
    )
    def test_offsets_get_the_inverted_etc_name(self, typed: str, zone: str) -> None:
        """An offset written as people mean it is refused with its Etc/ name and the sign warning."""
        with pytest.raises(ValueError, match="the sign is inverted") as caught:
            check_zone(typed, field="Plan.timezone")
        assert f"is {zone!r}" in str(caught.value)

    def test_nothing_near_keeps_the_plain_message(self) -> None:
        """A name near nothing says what a zone name looks like, without a guess."""
        with pytest.raises(ValueError, match="unknown time zone") as caught:
            check_zone("Mars/Olympus", field="Plan.timezone")
        assert str(caught.value) == (
            "Plan.timezone: unknown time zone 'Mars/Olympus'; use a name from the "
            "IANA database such as 'America/New_York' or 'UTC'"
        )

    def test_paths_are_still_refused_as_paths(self) -> None:
        """A path is not treated as a slip."""
        with pytest.raises(ValueError, match="must be an IANA time zone name"):
            check_zone("../../etc/passwd", field="Plan.timezone")

    def test_a_huge_name_gives_a_short_message(self) -> None:
        """A 10,000-character name is refused with a message that is cut short."""
        with pytest.raises(ValueError, match="10000 characters") as caught:
            check_zone("x" * 10_000, field="Plan.timezone")
        assert len(str(caught.value)) < 200

    def test_the_loader_reports_the_hint_with_its_path(self) -> None:
        """A plan file with 'New York' is refused with the path and the zone to use."""
        assert _problems("New York") == [
            "plan.timezone: unknown time zone 'New York'; did you mean "
            "'America/New_York'?"
        ]


class TestLegacyNames:
    @pytest.mark.parametrize(
        ("legacy", "use"),
        [
            ("EST", ["America/New_York", "Etc/GMT+5"]),
            ("MST", ["America/Denver", "America/Phoenix", "Etc/GMT+7"]),
            ("HST", ["Pacific/Honolulu", "Etc/GMT+10"]),
        ],
    )
    def test_fixed_offset_legacy_names_are_refused(
        self, legacy: str, use: list[str]
    ) -> None:
        """EST, MST and HST never change to daylight-saving time: refused with the city zone."""
        with pytest.raises(ValueError, match="no daylight-saving time") as caught:
            Plan("p", timezone=legacy, start=date(2027, 1, 1))
        message = str(caught.value)
        assert message.startswith(f"Plan.timezone: {legacy!r} is a legacy name")
        for name in use:
            assert repr(name) in message

    def test_lower_case_legacy_name_gets_the_same_advice(self) -> None:
        """'est' is not a zone either way; the hint is the city zone, not 'EST'."""
        with pytest.raises(ValueError, match="'America/New_York'") as caught:
            check_zone("est", field="Plan.timezone")
        assert "did you mean 'EST'" not in str(caught.value)

    def test_the_loader_refuses_est(self) -> None:
        """A plan file in 'EST' is refused with the path and America/New_York."""
        (problem,) = _problems("EST")
        assert problem.startswith("plan.timezone: 'EST' is a legacy name for UTC-05:00")
        assert "'America/New_York'" in problem

    @pytest.mark.parametrize(
        "name",
        ["localtime", "posixrules", "right/UTC", "posix/Europe/Berlin", "Factory"],
    )
    def test_machine_files_that_are_not_zones_are_refused(self, name: str) -> None:
        """Names that load from some machines' zoneinfo folder but are not IANA zones are refused."""
        with pytest.raises(ValueError, match=r"Plan\.timezone: "):
            check_zone(name, field="Plan.timezone")


class TestValidNames:
    @pytest.mark.parametrize(
        "name",
        [
            "UTC",
            "Etc/UTC",
            "GMT",
            "Etc/GMT+5",
            "Etc/GMT-14",
            "EST5EDT",
            "CST6CDT",
            "US/Eastern",
            "America/Phoenix",
            "Pacific/Honolulu",
            "America/Argentina/Buenos_Aires",
            "Europe/Kiev",
            "Europe/Kyiv",
        ],
    )
    def test_iana_names_stay_valid(self, name: str) -> None:
        """UTC, Etc/ offsets, the US DST-rule names and ordinary zones are accepted."""
        assert check_zone(f" {name} ", field="Plan.timezone") == name
        assert Plan("p", timezone=name, start=date(2027, 1, 1)).timezone == name
