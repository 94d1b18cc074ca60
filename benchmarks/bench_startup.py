"""Start-up of the command and of the first ``load()``, in fresh processes.

Measures, in one run, side by side:

(a) whole processes: ``python -c 'import attrs'`` (the yardstick) against
    ``regimen summary examples/wellness.toml``, run in turn (A B A B ...), the
    ratio taken pair by pair so that drift of the machine's speed cancels;
    goal: at most 2.5x.
(b) the first :func:`regimen.load` of ``examples/wellness.toml`` in a fresh
    process, after ``import regimen``: the whole call (it imports what reading
    a file needs: the profile, rules and file modules), and the same call with
    those modules imported beforehand (the file machinery alone: parsing,
    structuring, building); goal: at most 25 ms for the whole call.

Figures are medians over the runs; both wall time and CPU time (user +
system, from the operating system's accounting of each child) are given,
since CPU time is steadier on a busy machine. ``--runs N`` changes the number
of runs (default 21); ``--compare SRC`` measures the package in another
source tree too (an older checkout's ``src/``), for a before/after in one run.

The children run with bytecode caching on (``PYTHONDONTWRITEBYTECODE`` is
removed from their environment), as an installed package runs; the cache
goes to a temporary ``PYTHONPYCACHEPREFIX``, not into the source tree, and
is filled by a warm-up run that is not counted.
"""

from __future__ import annotations

import argparse
import atexit
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "wellness.toml"

FIRST_LOAD = """
import sys, time
import regimen
if {warm}:
    import regimen._bundle, regimen._files
    try:
        import regimen._files._load
    except ImportError:  # an older checkout: one module
        pass
w, c = time.perf_counter(), time.process_time()
regimen.load(sys.argv[1])
print((time.perf_counter() - w) * 1000, (time.process_time() - c) * 1000)
"""


_CACHE = tempfile.mkdtemp(prefix="regimen-bench-pyc-")
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)
ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "PYTHONPYCACHEPREFIX": _CACHE,
}


def _command() -> list[str]:
    """The ``regimen`` command next to this interpreter, else ``python -m regimen``."""
    script = Path(sys.executable).with_name("regimen")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "regimen"]


def _env(src: str | None) -> dict[str, str]:
    """The children's environment; *src* puts another source tree first."""
    return ENV if src is None else {**ENV, "PYTHONPATH": src}


def _run(argv: list[str], src: str | None = None) -> tuple[float, float]:
    """Run *argv* to its end; return its wall and CPU seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, cwd=ROOT, env=_env(src))
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def whole_processes(runs: int, src: str | None = None) -> dict[str, float]:
    """Median seconds of both commands and the median pairwise ratios."""
    base = [sys.executable, "-c", "import attrs"]
    ours = [*_command(), "summary", str(EXAMPLE)]
    _run(base), _run(ours, src)  # warm the caches
    pairs = [(_run(ours, src), _run(base)) for _ in range(runs)]
    return {
        "ours_wall": statistics.median(a[0] for a, _ in pairs),
        "base_wall": statistics.median(b[0] for _, b in pairs),
        "ours_cpu": statistics.median(a[1] for a, _ in pairs),
        "base_cpu": statistics.median(b[1] for _, b in pairs),
        "ratio_wall": statistics.median(a[0] / b[0] for a, b in pairs),
        "ratio_cpu": statistics.median(a[1] / b[1] for a, b in pairs if b[1] > 0),
    }


def first_load(runs: int, *, warm: bool, src: str | None = None) -> tuple[float, float]:
    """Median wall and CPU milliseconds of the first load() in fresh processes."""
    code = FIRST_LOAD.format(warm=warm)
    walls, cpus = [], []
    for _ in range(runs + 1):
        out = subprocess.run(
            [sys.executable, "-c", code, str(EXAMPLE)],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=_env(src),
        ).stdout.split()
        walls.append(float(out[0]))
        cpus.append(float(out[1]))
    # The first run filled the bytecode cache: it is not counted.
    return statistics.median(walls[1:]), statistics.median(cpus[1:])


def report(runs: int, src: str | None, label: str) -> None:
    """Measure (a) and (b) for the code in *src* (None: this checkout) and print them."""
    whole = whole_processes(runs, src)
    cold = first_load(runs, warm=False, src=src)
    warm = first_load(runs, warm=True, src=src)
    print(f"== {label}")
    print(f"(a) whole processes, median of {runs} pairs (A B A B ...):")
    print(
        f"    python -c 'import attrs':           wall {whole['base_wall'] * 1000:6.1f} ms"
        f"   cpu {whole['base_cpu'] * 1000:6.1f} ms"
    )
    print(
        f"    regimen summary wellness.toml:      wall {whole['ours_wall'] * 1000:6.1f} ms"
        f"   cpu {whole['ours_cpu'] * 1000:6.1f} ms"
    )
    print(
        f"    ratio: wall {whole['ratio_wall']:.2f}x, cpu {whole['ratio_cpu']:.2f}x"
        " (goal <= 2.5x)"
    )
    print(f"(b) first load() in a fresh process, median of {runs}:")
    print(
        f"    whole call (imports what it needs): wall {cold[0]:6.1f} ms"
        f"   cpu {cold[1]:6.1f} ms (goal <= 25 ms)"
    )
    print(
        f"    modules imported beforehand:        wall {warm[0]:6.1f} ms"
        f"   cpu {warm[1]:6.1f} ms"
    )


def main(argv: list[str] | None = None) -> None:
    """Measure and print the figures (and those of another source tree, if asked)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument(
        "--compare",
        metavar="SRC",
        help="also measure the regimen package in SRC (e.g. an older checkout's src/)",
    )
    args = parser.parse_args(argv)
    report(args.runs, None, "this checkout")
    if args.compare:
        report(args.runs, args.compare, f"compared: {args.compare}")


if __name__ == "__main__":
    main()
