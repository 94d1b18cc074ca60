"""How long ``import regimen`` takes against its bare dependencies.

Runs ``python -X importtime`` in fresh interpreters, alternating between
``import regimen`` and the baseline ``import attrs, dateutil.rrule, zoneinfo,
decimal``, and compares the medians of the summed top-level cumulative
times. Goal: at most 2.5x the baseline, with no optional extra imported.

The interpreters run with bytecode caching on, as an installed package
runs (``PYTHONDONTWRITEBYTECODE`` is removed from their environment; the
cache goes to a temporary ``PYTHONPYCACHEPREFIX``, not into the source tree),
and a warm-up run that is not counted fills it.
"""

from __future__ import annotations

import atexit
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

RUNS = 15
OPTIONAL = ("hypothesis", "icalendar", "cattrs", "pandas")

_CACHE = tempfile.mkdtemp(prefix="regimen-bench-pyc-")
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)
ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "PYTHONPYCACHEPREFIX": _CACHE,
}


def _top_level(statement: str) -> dict[str, int]:
    """Top-level modules *statement* imports, with cumulative microseconds."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", statement],
        capture_output=True,
        text=True,
        check=True,
        env=ENV,
    )
    out = {}
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line[len("import time:") :].split("|")
        if not name.startswith("  "):  # nested imports are indented further
            out[name.strip()] = int(cumulative)
    return out


STARTUP = frozenset(_top_level("pass"))


def import_time_us(statement: str) -> int:
    """Import time of *statement* in microseconds, interpreter start-up excluded."""
    return sum(t for name, t in _top_level(statement).items() if name not in STARTUP)


def loaded_optional() -> list[str]:
    """Optional extras that ``import regimen`` pulls in (should be none)."""
    code = (
        "import sys, regimen; "
        f"print(' '.join(m for m in sys.modules if m.split('.')[0] in {OPTIONAL!r}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return out.split()


def main() -> None:
    """Measure and print the ratio."""
    ours, base = [], []
    import_time_us("import regimen")  # fills the bytecode cache
    for _ in range(RUNS):
        ours.append(import_time_us("import regimen"))
        base.append(import_time_us("import attrs, dateutil.rrule, zoneinfo, decimal"))
    m_ours, m_base = statistics.median(ours), statistics.median(base)
    print(f"import regimen:   median {m_ours / 1000:.1f} ms over {RUNS} runs")
    print(f"baseline imports: median {m_base / 1000:.1f} ms over {RUNS} runs")
    print(f"ratio: {m_ours / m_base:.2f}x (goal <= 2.5x)")
    extras = loaded_optional()
    print(f"optional extras imported: {extras or 'none'}")


if __name__ == "__main__":
    main()
