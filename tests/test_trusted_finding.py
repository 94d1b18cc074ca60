"""Findings the built-in rules build without checks equal the checked Finding(...)."""

from __future__ import annotations

from hypothesis import given, settings

from regimen import Finding, Profile, Timeline, validate
from regimen import strategies as rst


@settings(max_examples=40)
@given(rst.timelines(max_events=200), rst.profiles())
def test_every_finding_is_what_its_checked_constructor_builds(
    timeline: Timeline, profile: Profile
) -> None:
    """Each field of each finding survives Finding(...)'s converters and validators unchanged."""
    for finding in validate(timeline, profile).findings:
        rebuilt = Finding(
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
        assert rebuilt == finding
        assert type(finding.events) is tuple
        assert rebuilt.count_unit == finding.count_unit
        assert hash(rebuilt) == hash(finding)
