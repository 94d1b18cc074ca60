"""A structural fuzzer for plan files: ``python -m tests.fuzzing --seconds 600``.

It mutates the shipped examples (see :mod:`tests.fuzz_inputs`) and feeds
each case, as TOML or JSON, to a worker process that checks regimen's
promise: :func:`regimen.loads` gives a Bundle or a :class:`regimen.LoadError`
and nothing else; for a Bundle, ``validate``, ``summarize`` (and its
renderings) and ``to_ics`` (over the first week) raise nothing but
:class:`regimen.RegimenError` subclasses, each call within the time bound
(2 s), the whole input within the memory bound (200 MB: the worker's peak
resident memory during the input over what it held when the input began;
where the peak cannot be reset, over the worker's baseline). Both times are recorded; the bounds are judged on the worker's CPU
time, which equals wall-clock time on a quiet machine and does not grow
when other work shares it. A case that hangs is killed after a hard timeout,
so no input can hang the fuzzer. Every distinct escape is shrunk to a small
reproducer written under ``--out`` with its traceback; ``--replay FILE``
runs one file again in-process.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .fuzz_worker import Result, Worker, check, serve

__all__ = ["Result", "Stats", "check", "classify", "main", "run"]


# -- the run ----------------------------------------------------------------------


@dataclass
class Group:
    """Every input that failed the same way, and the reproducer of the first."""

    kind: str
    signature: str
    count: int = 0
    first: int = 0
    file: Path | None = None
    size: int = 0
    detail: str = ""


@dataclass
class Stats:
    """What a run found."""

    tried: int = 0
    bundles: int = 0
    rejected: int = 0
    groups: dict[str, Group] = field(default_factory=dict)
    slowest: dict[str, float] = field(default_factory=dict)
    slowest_cpu: dict[str, float] = field(default_factory=dict)
    peak_mb: float = 0.0
    restarts: int = 0
    seconds: float = 0.0
    shrunk: dict[str, int] = field(default_factory=dict)
    fuzzer_errors: int = 0

    def count(self, *kinds: str) -> int:
        """How many inputs failed in one of *kinds* (``escape``, ``slow``, ``memory``)."""
        return sum(g.count for g in self.groups.values() if g.kind in kinds)

    @property
    def escapes(self) -> int:
        """Inputs that raised anything but a RegimenError, or killed the worker."""
        return self.count("escape", "memory")

    @property
    def slow(self) -> int:
        """Inputs where one call took longer than the time bound."""
        return self.count("slow")

    def lines(self) -> list[str]:
        """Return the report a person reads, one line each."""
        out = [
            f"inputs tried: {self.tried} in {self.seconds:.0f} s "
            f"({self.bundles} bundles, {self.rejected} LoadError)",
            f"escapes: {self.escapes} ({len([g for g in self.groups.values() if g.kind != 'slow'])} distinct)",
            f"slow cases: {self.slow} ({len([g for g in self.groups.values() if g.kind == 'slow'])} distinct)",
            "slowest call per phase, wall-clock (CPU): "
            + ", ".join(
                f"{k} {v:.2f} s ({self.slowest_cpu.get(k, 0):.2f} s)"
                for k, v in sorted(self.slowest.items())
            ),
            f"largest memory growth of one input: {self.peak_mb:.0f} MB; worker restarts: {self.restarts}",
            f"cases the fuzzer failed to make (its own bugs): {self.fuzzer_errors}",
        ]
        for g in sorted(self.groups.values(), key=lambda g: (g.kind, -g.count)):
            where = f" -> {g.file}" if g.file else ""
            out.append(
                f"  [{g.kind}] x{g.count} {g.signature} (first #{g.first}, {g.size} bytes){where}"
            )
        return out


def classify(result: Result, time_bound: float) -> Result:
    """Turn a hang into a slow case, and a call over *time_bound* seconds into one.

    A call is slow when it used more than the bound in CPU time (where
    that was measured; wall-clock time otherwise): on a busy machine a call
    that waited for the CPU did no more work than on a quiet one, where the
    two times are equal.
    """
    if result.status not in ("bundle", "rejected"):
        kind = "slow" if result.status == "hang" else result.status
        return replace(result, status=kind)
    slow = {
        p: s for p, s in result.seconds.items() if result.cpu.get(p, s) > time_bound
    }
    if not slow:
        return result
    phase = max(slow, key=slow.__getitem__)
    detail = ", ".join(
        f"{p} {s:.2f} s (CPU {result.cpu.get(p, 0):.2f} s)"
        for p, s in result.seconds.items()
    )
    return replace(
        result,
        status="slow",
        phase=phase,
        signature=f"{phase}: over {time_bound:g} s",
        detail=detail,
    )


def run(
    *,
    seed: int = 0,
    seconds: float | None = None,
    count: int | None = None,
    start: int = 0,
    out: Path | None = None,
    minimize: bool = True,
    time_bound: float = 2.0,
    hard_timeout: float = 10.0,
    memory_bound_mb: float = 200.0,
    log: Callable[[str], None] | None = None,
) -> Stats:
    """Fuzz cases ``start, start+1, ...`` of *seed* until *seconds* pass or *count* are tried."""
    from . import fuzz_inputs, fuzz_shrink

    stats = Stats()
    worker = Worker(memory_bound_mb)
    began = last_note = time.monotonic()
    index = start
    try:
        while (count is None or stats.tried < count) and (
            seconds is None or time.monotonic() - began < seconds
        ):
            try:
                case = fuzz_inputs.generate(seed, index)
                data = fuzz_inputs.render(case)
            except Exception as exc:  # a bug of the fuzzer's: note it, go on
                stats.fuzzer_errors += 1
                if log is not None:
                    log(f"#{index}: the fuzzer failed to make the case: {exc!r}")
                index += 1
                continue
            result = classify(worker.check(data, case.format, hard_timeout), time_bound)
            stats.tried += 1
            stats.bundles += result.status == "bundle"
            stats.rejected += result.status == "rejected"
            for phase, s in result.seconds.items():
                stats.slowest[phase] = max(stats.slowest.get(phase, 0.0), s)
            for phase, s in result.cpu.items():
                stats.slowest_cpu[phase] = max(stats.slowest_cpu.get(phase, 0.0), s)
            if result.status not in ("bundle", "rejected"):
                key = result.signature
                if result.status == "slow":
                    key += f" [{'+'.join(sorted(set(case.mutations))) or 'tricks'}]"
                group = stats.groups.get(key)
                if group is None:
                    group = stats.groups[key] = Group(result.status, key, first=index)
                    group.size, group.detail = len(data), result.detail
                    # slow cases cost seconds per attempt: shrink two per call
                    shrunk = stats.shrunk.setdefault(
                        f"{result.status} {result.phase}", 0
                    )
                    if out is not None:
                        if minimize and (result.status != "slow" or shrunk < 2):
                            stats.shrunk[f"{result.status} {result.phase}"] += 1
                            case, data = fuzz_shrink.shrink(
                                case,
                                result,
                                worker,
                                time_bound=time_bound,
                                hard_timeout=hard_timeout,
                            )
                            group.size = len(data)
                        group.file = fuzz_shrink.write(
                            out,
                            len(stats.groups),
                            case=case,
                            data=data,
                            result=result,
                            seed=seed,
                            index=index,
                        )
                    if log is not None:
                        log(f"#{index} [{result.status}] {key}")
                group.count += 1
            index += 1
            if log is not None and time.monotonic() - last_note > 60:
                last_note = time.monotonic()
                log(
                    f"... {stats.tried} tried, {stats.escapes} escapes, {stats.slow} slow"
                )
    except KeyboardInterrupt:  # Ctrl-C ends a run by hand: report what it found
        if log is not None:
            log("interrupted")
    finally:
        stats.peak_mb, stats.restarts = worker.peak_mb, worker.restarts
        worker.close()
        stats.seconds = time.monotonic() - began
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        (out / "summary.txt").write_text(
            "\n".join(stats.lines()) + "\n", encoding="utf-8"
        )
    return stats


def _replay(path: Path) -> int:
    raw = path.read_bytes()
    data = raw if ".bytes" in path.suffixes else raw.decode("utf-8", "surrogatepass")
    fmt = "json" if path.suffix == ".json" else "toml"
    result = check(data, fmt)
    print(f"{result.status} {result.signature}".strip())
    print(
        ", ".join(
            f"{p} {s:.3f} s (CPU {result.cpu.get(p, 0):.3f} s)"
            for p, s in result.seconds.items()
        )
    )
    if result.detail:
        print(result.detail)
    return 0 if result.status in ("bundle", "rejected") else 1


def main(argv: list[str] | None = None) -> int:
    """Run the fuzzer from the command line; exit 1 when it found anything."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.fuzzing", description=__doc__
    )
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument(
        "--count", type=int, default=None, help="stop after this many inputs"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--start", type=int, default=0, help="first case index")
    parser.add_argument("--out", type=Path, default=Path("/tmp/regimen-fuzz"))
    parser.add_argument(
        "--time-bound", type=float, default=2.0, help="CPU seconds per call"
    )
    parser.add_argument(
        "--hard-timeout",
        type=float,
        default=10.0,
        help="CPU seconds per input before it is killed",
    )
    parser.add_argument(
        "--memory-bound", type=float, default=200.0, help="MB per input"
    )
    parser.add_argument("--no-minimize", action="store_true")
    parser.add_argument(
        "--replay", type=Path, help="run one file in-process and print what happened"
    )
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker is not None:
        serve(args.worker)
        return 0
    if args.replay is not None:
        return _replay(args.replay)
    stats = run(
        seed=args.seed,
        seconds=args.seconds,
        count=args.count,
        start=args.start,
        out=args.out,
        minimize=not args.no_minimize,
        time_bound=args.time_bound,
        hard_timeout=args.hard_timeout,
        memory_bound_mb=args.memory_bound,
        log=lambda line: print(line, file=sys.stderr, flush=True),
    )
    print("\n".join(stats.lines()))
    print(f"reproducers and summary.txt in {args.out}")
    return 1 if stats.escapes or stats.slow else 0


if __name__ == "__main__":
    sys.exit(main())
