"""Findings worked out when read behave exactly like plain findings.

Every test runs twice: with each run's findings of the shared lazy class,
and with each run's findings of a class of the run's own (what runs of
``BULK`` findings or more get; issue 11).
"""

from __future__ import annotations

import copy
import os
import pickle
import subprocess
import sys
from datetime import timedelta

import attrs
import pytest

from regimen import (
    Dose,
    Entry,
    Finding,
    MaxAmount,
    MaxDoses,
    MinInterval,
    Plan,
    Product,
    Profile,
    Schedule,
    Substance,
    _finding_lazy,
    validate,
)
from regimen._finding_lazy import _LazyFinding

from .helpers import checked_copy

KRATOM = Substance("kratom")
POWDER = Product("Maeng Da", contents={KRATOM: "1 g"}, per="1 g")
PLAN = Plan(
    "p",
    timezone="America/New_York",
    start="2027-03-13",
    end="2027-03-15",
    entries=[Entry(Dose(POWDER, "3.5 g"), Schedule.daily("08:00", "10:00", "20:00"))],
)
RULES = [
    MaxAmount("kratom", "8 g", per=timedelta(hours=24)),
    MaxAmount("kratom", "6 g", per="day"),
    MaxAmount("kratom", "3 g", per="dose"),
    MaxAmount("kratom", "10 g", per="week"),
    MaxDoses("kratom", 2, per="day"),
    MinInterval("kratom", "4 h"),
]


@pytest.fixture(autouse=True, params=["shared class", "run's own class"])
def bulk(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Whether runs make findings of their own class (every run, here) or not (none)."""
    own: bool = request.param == "run's own class"
    monkeypatch.setattr(_finding_lazy, "BULK", 1 if own else 10**9)
    return own


def lazy_findings() -> list[Finding]:
    return list(validate(PLAN, Profile(rules=RULES)).findings)


def test_the_window_rules_make_lazy_findings(bulk: bool) -> None:
    found = lazy_findings()
    lazy = [f for f in found if isinstance(f, _LazyFinding)]
    assert {f.rule for f in lazy} >= set(RULES[:2])
    kinds = {type(f) for f in lazy}
    if bulk:  # a class per run: its run, code, severity and rule are the class's
        assert _LazyFinding not in kinds
        assert len(kinds) == len({id(f._run) for f in lazy}) > 1
        for f in lazy:
            fixed = {
                name: type(f).__dict__[name] for name in ("code", "severity", "rule")
            }
            assert fixed == {"code": f.code, "severity": f.severity, "rule": f.rule}
            assert type(f).__dict__["_run"] is f._run
    else:
        assert kinds == {_LazyFinding}


@pytest.mark.parametrize("which", range(6))
def test_equal_and_hash_like_a_plain_finding_both_ways(which: int) -> None:
    found = [f for f in lazy_findings() if f.rule is RULES[which]]
    assert found
    for f in found:
        p = checked_copy(f)
        assert type(p) is Finding
        assert f == p
        assert p == f
        assert (f != p) is False  # __ne__ both ways, not only __eq__
        assert (p != f) is False
        assert hash(f) == hash(p)
        assert repr(f) == repr(p)
        assert attrs.asdict(f) == attrs.asdict(p)


def test_unequal_when_a_field_differs() -> None:
    f = lazy_findings()[0]
    other = attrs.evolve(checked_copy(f), message=f.message + "!")
    assert f != other
    assert other != f


def test_read_before_or_after_hashing_gives_the_same() -> None:
    first, second = lazy_findings(), lazy_findings()
    hashes = [hash(f) for f in first]  # hashing works it out
    messages = [f.message for f in second]  # reading works it out
    assert hashes == [hash(f) for f in second]
    assert messages == [f.message for f in first]


def test_evolve_gives_a_checked_plain_finding() -> None:
    f = lazy_findings()[0]
    changed = attrs.evolve(f, severity="info")
    assert type(changed) is Finding
    assert changed.severity.label == "info"
    assert changed.message == f.message
    with pytest.raises(ValueError, match="kebab-case"):
        attrs.evolve(f, code="Not A Code")


def test_copies_and_pickles_are_plain_and_equal() -> None:
    for f in lazy_findings():
        for twin in (
            copy.copy(f),
            copy.deepcopy(f),
            *(
                pickle.loads(pickle.dumps(f, p))
                for p in range(pickle.HIGHEST_PROTOCOL + 1)
            ),
        ):
            assert type(twin) is Finding
            assert twin == f
            assert hash(twin) == hash(f)


def test_equal_and_same_hash_in_another_process() -> None:
    """A report pickled into a process with another hash seed stays equal, hashing alike."""
    report = validate(PLAN, Profile(rules=RULES))
    code = (
        "import pickle, sys\n"
        "report = pickle.loads(sys.stdin.buffer.read())\n"
        "from regimen import validate, Profile\n"
        "from tests.test_findings_lazy import PLAN, RULES\n"
        "fresh = validate(PLAN, Profile(rules=RULES))\n"
        "assert report == fresh\n"
        "assert [hash(f) for f in report.findings] == [hash(f) for f in fresh.findings]\n"
        "assert set(report.findings) == set(fresh.findings)\n"
        "print(len(report.findings))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=pickle.dumps(report),
        capture_output=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert int(done.stdout) == len(report.findings)


def test_ordering_does_not_work_findings_out() -> None:
    # One rule per code: no two findings tie on instant, severity and code.
    rules = [RULES[1], RULES[4], RULES[5]]
    report = validate(PLAN, Profile(rules=rules))
    lazy = [f for f in report.findings if isinstance(f, _LazyFinding)]
    assert {f.rule for f in lazy} == set(rules)
    # Sorting used instants, severities and codes only: nothing was worked out.
    assert all(not _worked_out(f) for f in lazy)
    assert report.ok is False
    assert report.to_dict()["counts"]["error"] == len(report.errors)
    assert all(_worked_out(f) for f in lazy)


def _worked_out(finding: Finding) -> bool:
    try:
        Finding.__dict__["message"].__get__(finding, None)
    except AttributeError:
        return False
    return True


def test_ties_are_ordered_by_message() -> None:
    # Three limits of one code whose worst windows end at the same dose.
    rules = [RULES[0], RULES[1], RULES[3]]
    report = validate(PLAN, Profile(rules=rules))
    same = [f for f in report.findings if f.at == report.findings[-1].at]
    assert len(same) > 1
    assert [f.message for f in same] == sorted(f.message for f in same)


def test_report_order_is_instant_severity_code_message() -> None:
    report = validate(PLAN, Profile(rules=RULES))
    keys = [
        (f.at.timestamp() if f.at else float("-inf"), -f.severity, f.code, f.message)
        for f in report.findings
    ]
    assert keys == sorted(keys)


@pytest.mark.parametrize("enabled", [True, False])
def test_making_findings_leaves_the_cycle_collector_as_it_was(enabled: bool) -> None:
    import gc

    was = gc.isenabled()
    try:
        if not enabled:
            gc.disable()
        assert lazy_findings()
        assert gc.isenabled() is enabled
    finally:
        if was:
            gc.enable()


def test_report_dicts_write_each_dose_once() -> None:
    report = validate(PLAN, Profile(rules=RULES))
    dicts = report.to_dict()["findings"]
    assert [d["events"] for d in dicts] == [
        f.to_dict()["events"] for f in report.findings
    ]
    listed = [e for d in dicts for e in d["events"]]
    doses = {e["at"] for e in listed}
    assert len(listed) > len(doses)  # some dose is in several findings
    # one dict per dose, shared by the findings that list it
    assert len({id(e) for e in listed}) == len(doses)
