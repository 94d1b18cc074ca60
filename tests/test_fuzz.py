"""The structural fuzzer: a short fixed run in the suite, and tests of the fuzzer itself."""

from __future__ import annotations

import json
import random
import sys
import tomllib
from copy import deepcopy
from pathlib import Path
from typing import Any

import pytest

import regimen

from . import fuzz_inputs, fuzz_shrink, fuzz_worker, fuzzing
from .fuzz_inputs import Case, Deep, Pairs, Raw
from .fuzz_mutations import MUTATIONS

#: The suite's run: a few seconds when nothing escapes. On the code of
#: 2026-12-01 18:17 these cases found three escapes (a 4,301-digit integer
#: in TOML and in JSON, a log time at 0001-01-01 with a +14:00 offset).
SUITE_SEED = 6
SUITE_CASES = 120


def test_fixed_run_finds_no_escape() -> None:
    """A fixed-seed run: every input gives a Bundle or a LoadError and every call ends in time."""
    stats = fuzzing.run(
        seed=SUITE_SEED, count=SUITE_CASES, time_bound=10.0, hard_timeout=10.0
    )
    assert stats.tried == SUITE_CASES
    assert stats.fuzzer_errors == 0
    assert stats.bundles > 0
    assert stats.rejected > 0
    found = [line for line in stats.lines() if line.startswith("  [")]
    assert (stats.escapes, stats.slow) == (0, 0), "\n".join(found)


class TestInputs:
    def test_generate_is_deterministic(self) -> None:
        """The same seed and index give the same text, so a case can be replayed."""
        for index in range(20):
            first = fuzz_inputs.render(fuzz_inputs.generate(7, index))
            assert fuzz_inputs.render(fuzz_inputs.generate(7, index)) == first

    def test_seeds_round_trip_through_both_writers(self) -> None:
        """Unmutated seeds written as TOML and JSON read back as the same documents."""
        for tree in fuzz_inputs.seeds():
            assert tomllib.loads(fuzz_inputs.to_toml(tree)) == tree
            back = json.loads(fuzz_inputs.to_json(tree))
            assert back == json.loads(json.dumps(tree, default=str))

    def test_seeds_load_as_bundles(self) -> None:
        """Every seed is a valid plan file in both forms, so mutations start from valid input."""
        for tree in fuzz_inputs.seeds():
            assert isinstance(regimen.loads(fuzz_inputs.to_toml(tree)), regimen.Bundle)
            text = fuzz_inputs.to_json(tree)
            assert isinstance(regimen.loads(text, format="json"), regimen.Bundle)

    def test_markers_are_written_verbatim(self) -> None:
        """Raw text, repeated keys, deep nesting and lone surrogates reach the text as intended."""
        tree: dict[str, Any] = {
            "n": Raw("9" * 50),
            "t": Pairs((("a", 1), ("a", 2))),
            "d": Deep(3),
            "s": "\ud800",
        }
        assert fuzz_inputs.to_json(tree) == (
            '{"n": '
            + "9" * 50
            + ', "t": {"a": 1, "a": 2}, "d": [[[]]], "s": "\\ud800"}\n'
        )
        assert fuzz_inputs.to_toml(tree) == (
            f'n = {"9" * 50}\nt = {{ a = 1, a = 2 }}\nd = [[[]]]\ns = "\\uD800"\n'
        )

    def test_every_mutation_changes_some_seed(self) -> None:
        """Each mutation applies to at least one seed, so none is dead weight."""
        rng = random.Random(0)
        for name, (mutate, _) in MUTATIONS.items():
            changed = False
            for tree in fuzz_inputs.seeds():
                before = fuzz_inputs.render(Case(tree, "json"))
                copy = deepcopy(tree)
                if (
                    mutate(rng, copy)
                    and fuzz_inputs.render(Case(copy, "json")) != before
                ):
                    changed = True
            assert changed, name


class TestChecks:
    def test_a_raw_exception_is_an_escape(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """An exception other than RegimenError from a phase is reported with its phase and place."""

        def broken(*args: object, **kwargs: object) -> None:
            raise KeyError("boom")

        monkeypatch.setattr(regimen, "summarize", broken)
        text = (fuzz_inputs.EXAMPLES / "taper.toml").read_text()
        result = fuzzing.check(text, "toml")
        assert result.status == "escape"
        assert result.signature.startswith("summarize: KeyError in ")
        assert "boom" in result.detail

    def test_regimen_errors_are_allowed(self) -> None:
        """A LoadError is a rejection and an ExpansionError after loading is no escape."""
        assert fuzzing.check("plan = 1", "toml").status == "rejected"
        open_plan = (fuzz_inputs.EXAMPLES / "taper.toml").read_text()
        open_plan = open_plan.replace("end = 2027-05-23\n", "", 1)
        result = fuzzing.check(open_plan, "toml")
        assert result.status == "bundle"
        assert set(result.seconds) == {"loads", "validate", "summarize", "to_ics"}

    def test_a_call_over_the_time_bound_is_slow(self) -> None:
        """classify() turns a call over the bound, or a killed worker, into a slow case."""
        done = fuzzing.Result("bundle", seconds={"loads": 0.1, "validate": 3.0})
        slow = fuzzing.classify(done, 2.0)
        assert (slow.status, slow.phase) == ("slow", "validate")
        assert fuzzing.classify(done, 5.0).status == "bundle"
        hang = fuzzing.Result("hang", "summarize", "summarize: over 20 s")
        assert fuzzing.classify(hang, 2.0).status == "slow"

    def test_a_call_that_waited_for_the_cpu_is_not_slow(self) -> None:
        """A call over the bound in wall-clock time but under it in CPU time waited for others."""
        busy = fuzzing.Result(
            "bundle", seconds={"validate": 3.0}, cpu={"validate": 1.9}
        )
        assert fuzzing.classify(busy, 2.0).status == "bundle"
        work = fuzzing.Result(
            "bundle", seconds={"validate": 3.0}, cpu={"validate": 2.9}
        )
        assert fuzzing.classify(work, 2.0).status == "slow"

    def test_another_regimen_error_from_loads_is_an_escape(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """loads() promises a LoadError: a UnitError from it is reported, not accepted."""

        def unit_error(*args: object, **kwargs: object) -> None:
            raise regimen.UnitError("mixed units")

        monkeypatch.setattr(regimen, "loads", unit_error)
        result = fuzzing.check("version = 1", "toml")
        assert result.status == "escape"
        assert result.signature.startswith("loads: UnitError in ")


def test_a_hanging_input_is_killed_and_the_worker_replaced() -> None:
    """An input that never finishes is reported as a hang; the next input runs in a new worker."""
    worker = fuzz_worker.Worker(200.0)
    try:
        hang = worker.check(fuzz_worker.SPIN, "toml", 1.0)
        assert (hang.status, hang.phase) == ("hang", "loads")
        assert "killed" in hang.detail
        done = worker.check("version = 1", "toml", 10.0)
        assert done.status == "bundle"
        assert worker.restarts == 1
    finally:
        worker.close()


def test_an_inputs_memory_is_what_it_added_not_what_earlier_ones_left() -> None:
    """The memory bound is judged on the growth during one input, from its start.

    A worker that still holds 60 MB from earlier inputs is not charged for
    them; an input that touches 80 MB more (and frees it) is charged 80 MB.
    Where the peak cannot be reset (no Linux ``/proc``), the lifetime peak
    over the baseline is all there is.
    """
    if sys.platform != "linux":
        assert fuzz_worker._peak_reset() is None
        return
    baseline = fuzz_worker._status_mb("VmRSS")
    assert baseline is not None
    earlier = b"x" * (60 << 20)
    before = fuzz_worker._peak_reset()
    assert before is not None
    assert fuzz_worker._grown(before, baseline)[0] < 10
    more = b"y" * (80 << 20)
    del more
    grown, held = fuzz_worker._grown(before, baseline)
    assert 75 < grown < 100
    assert held >= 55  # the 60 MB still held count towards a restart
    del earlier


class _FakeWorker:
    """Fails like a library bug whenever the document holds a key named 'boom'."""

    def __init__(self) -> None:
        self.calls = 0

    def check(self, data: str | bytes, fmt: str, timeout: float) -> fuzzing.Result:
        self.calls += 1
        tree = json.loads(data)
        found = "boom" in json.dumps(tree)
        if found:
            return fuzzing.Result("escape", "loads", "loads: KeyError in x", "tb")
        return fuzzing.Result("rejected")


def test_shrink_keeps_only_what_fails(tmp_path: Path) -> None:
    """shrink() removes everything the failure does not need; write() saves it with its note."""
    tree = next(
        t for t in fuzz_inputs.seeds() if len(t.get("plan", {}).get("entries", [])) > 1
    )
    tree["plan"]["entries"][1]["dose"]["boom"] = "x" * 100
    case = Case(tree, "json", ["crlf"])
    target = fuzzing.Result("escape", "loads", "loads: KeyError in x", "tb")
    worker = _FakeWorker()
    small, data = fuzz_shrink.shrink(
        case,
        target,
        worker,  # type: ignore[arg-type]
        time_bound=2.0,
        hard_timeout=5.0,
    )
    assert json.loads(data) == {"plan": {"entries": [{"dose": {"boom": "x" * 6}}]}}
    assert small.tricks == []
    path = fuzz_shrink.write(
        tmp_path, 1, case=small, data=data, result=target, seed=0, index=5
    )
    assert path.read_text() == data
    assert "seed 0, case 5" in path.with_suffix(".txt").read_text()


def test_markers_count_towards_the_size_of_a_case() -> None:
    """A nested or raw value counts as the text it is written as, each time it is shared.

    Case 122210 of seed 0 ('many' then 'deep') shared one 100,000-level
    nesting among thousands of items: counted as 4 bytes each, it rendered to
    gigabytes and the fuzzer itself was killed for memory.
    """
    deep = Deep(100_000)
    assert fuzz_inputs._larger_than([deep] * 4, 4_000_000) is False
    assert fuzz_inputs._larger_than([deep] * 10, 9_000_000) is False
    assert fuzz_inputs._larger_than([deep] * 100, 4_000_000) is True
    assert fuzz_inputs._larger_than([Raw("9" * 1000)] * 5000, 4_000_000) is True
    assert fuzz_inputs._larger_than(Pairs((("a", Raw("x" * 5_000_000)),)), 4_000_000)
    case = fuzz_inputs.generate(0, 122_210)
    assert len(fuzz_inputs.render(case)) < 8_000_000
