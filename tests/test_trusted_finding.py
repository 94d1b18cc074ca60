"""Findings the built-in rules build without checks equal the checked Finding(...)."""

from __future__ import annotations

from hypothesis import given, settings

from regimen import Profile, Timeline, validate
from regimen import strategies as rst

from .helpers import checked_copy


@settings(max_examples=40)
@given(rst.timelines(max_events=200), rst.profiles())
def test_every_finding_is_what_its_checked_constructor_builds(
    timeline: Timeline, profile: Profile
) -> None:
    """Each field of each finding survives Finding(...)'s converters and validators unchanged."""
    for finding in validate(timeline, profile).findings:
        rebuilt = checked_copy(finding)
        assert rebuilt == finding
        assert type(finding.events) is tuple
        assert rebuilt.count_unit == finding.count_unit
        assert hash(rebuilt) == hash(finding)
