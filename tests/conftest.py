"""Test configuration: Hypothesis settings profiles.

The ``default`` profile is quick, for local runs; ``ci`` (selected when the
environment has ``CI=true``) tries many more examples and has no deadline;
``mutation`` (chosen with ``--hypothesis-profile=mutation``, as the mutmut
configuration in ``pyproject.toml`` does) tries few, derandomized examples and
stops at the first failing one (no shrinking), so that each mutant's run is
quick and repeatable.

Every test starts with empty recurrence caches (the periods of
:data:`regimen._rrule_scan._SHAPES` and the verdicts of
:data:`regimen._rrule_occur._EVER`) and no cached zone tables
(:func:`regimen._zone_table._table`): a test's outcome then does not depend
on the tests before it, and under mutmut, whose workers are forked from the
process that ran the unmutated tests, each test really runs the mutated
scanning and tabling code instead of reading what the unmutated code cached
(and mutmut's per-test coverage sees every test that scans or tables).
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, Phase, settings

from regimen import _rrule_occur, _rrule_scan, _zone_table

settings.register_profile("default", max_examples=60, deadline=None)
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile(
    "mutation",
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    # mutmut runs the same tests more than once in one process
    suppress_health_check=[HealthCheck.differing_executors, HealthCheck.too_slow],
    # A mutant is killed by the first failing example: shrinking it (and
    # explaining it) only takes time, often past mutmut's timeout, which
    # would then report a killed mutant as a timeout.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    report_multiple_bugs=False,
)
settings.load_profile("ci" if os.environ.get("CI", "").lower() == "true" else "default")


@pytest.fixture(autouse=True)
def _empty_period_cache() -> None:
    """Start every test with empty recurrence caches and no zone tables."""
    _rrule_scan._SHAPES.clear()
    _rrule_occur._EVER.clear()
    _zone_table._table.cache_clear()
