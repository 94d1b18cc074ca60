"""Set up the development environment and run the project's commands.

Needs only Python 3.11+. Creates ``.venv`` beside this file (re-creating it
when ``pyproject.toml`` changes), installs the package with its ``dev``
dependency group, then:

* ``python3 dev.py test`` runs every check CI runs: ruff (lint and format),
  ``mypy --strict`` on ``src/`` and ``tests/``, pytest (unit, property and
  doctests of ``src/`` and ``docs/``) and a warnings-as-errors docs build;
* ``python3 dev.py run CMD ...`` runs a command inside the environment,
  e.g. ``python3 dev.py run regimen summary examples/wellness.toml``;
* ``python3 dev.py bench`` runs the benchmarks (installs the ``bench`` group);
* ``python3 dev.py fuzz --seconds 600`` runs the structural fuzzer
  (``tests/fuzzing.py``; ``--help`` lists its options);
* ``python3 dev.py mutate [--max-children N] [MODULE...]`` installs mutmut
  and runs it over the core modules (``[tool.mutmut]`` in ``pyproject.toml``),
  or only the named ones (``allowance``, ``expand``, ``quantity``, ``rrule``,
  ``rules``), with N worker processes (default: the CPU count, at most 4),
  then lists the surviving mutants (``.venv/bin/mutmut show NAME`` shows one).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
STAMP = VENV / ".regimen-stamp"


def _sh(*args: str | Path, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT, env=env)


def _ensure_env(*groups: str) -> None:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    digest.update(" ".join(groups).encode())
    want = digest.hexdigest()
    if STAMP.exists() and STAMP.read_text() == want and PY.exists():
        return
    if not PY.exists():
        print(f"creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    quiet = "--quiet"
    _sh(PY, "-m", "pip", "install", quiet, "--upgrade", "pip>=25.1")
    group_args: list[str] = []
    for group in groups:
        group_args += ["--group", group]
    _sh(PY, "-m", "pip", "install", quiet, "-e", ".[hypothesis,ics]", *group_args)
    STAMP.write_text(want)


def test() -> None:
    """Run every check: lint, format, types, tests with doctests, docs."""
    _ensure_env("dev")
    env = dict(os.environ)
    _sh(BIN / "ruff", "check", ".")
    _sh(BIN / "ruff", "format", "--check", ".")
    _sh(BIN / "mypy", "--strict", "src", "tests")
    _sh(PY, "-m", "pytest", env=env)
    _sh(
        BIN / "sphinx-build",
        "-W",
        "--keep-going",
        "-q",
        "-b",
        "html",
        "docs",
        "docs/_build/html",
    )


def run(args: list[str]) -> None:
    """Run a command inside the environment."""
    _ensure_env("dev")
    if not args:
        sys.exit("usage: python3 dev.py run CMD [ARGS...]")
    exe = BIN / args[0]
    command = [str(exe) if exe.exists() else args[0], *args[1:]]
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    sys.exit(subprocess.run(command, cwd=ROOT, env=env, check=False).returncode)


def bench(args: list[str]) -> None:
    """Run every benchmark script (or the ones named)."""
    _ensure_env("dev", "bench")
    scripts = args or sorted(
        str(p.relative_to(ROOT)) for p in (ROOT / "benchmarks").glob("bench_*.py")
    )
    for script in scripts:
        _sh(PY, script)


def fuzz(args: list[str]) -> None:
    """Run the structural fuzzer with the given options."""
    _ensure_env("dev")
    _sh(PY, "-m", "tests.fuzzing", *args)


MUTATED = ("allowance", "expand", "quantity", "rrule", "rules")
#: Modules mutated with a name of MUTATED besides those it starts.
MUTATED_WITH = {
    "expand": ("zone_table",),
    "rules": ("windows", "finding_lazy"),
}


def mutate(args: list[str]) -> None:
    """Run mutmut over the core modules, or the named ones, and list survivors."""
    children = min(os.cpu_count() or 1, 4)
    if "--max-children" in args:
        at = args.index("--max-children")
        value = args[at + 1] if at + 1 < len(args) else ""
        if not (value.isascii() and value.isdigit() and int(value) >= 1):
            sys.exit(
                f"mutate: --max-children needs a whole number >= 1 (got {value!r})"
            )
        children = int(value)
        args = args[:at] + args[at + 2 :]
    patterns: list[str] = []
    for arg in args:
        name = arg.removeprefix("regimen.").removeprefix("_").removesuffix(".py")
        if name not in MUTATED:
            sys.exit(
                f"mutate: unknown module {arg!r}; choose from {', '.join(MUTATED)}"
            )
        patterns.append(f"regimen._{name}*")
        patterns += [f"regimen._{also}*" for also in MUTATED_WITH.get(name, ())]
    _ensure_env("dev")
    _sh(PY, "-m", "pip", "install", "--quiet", "mutmut>=3.3")
    # mutmut keeps its results in mutants/, but (mutmut 3.8) re-tests every mutant
    # of the modules named here, and a changed test selection starts afresh.
    _sh(
        BIN / "mutmut",
        "run",
        "--max-children",
        str(children),
        *patterns,
    )
    result = subprocess.run(
        [str(BIN / "mutmut"), "results"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    survivors = [
        line for line in result.stdout.splitlines() if line.endswith("survived")
    ]
    print("\n".join(survivors) or "no surviving mutants")


def main() -> None:
    """Dispatch ``test``, ``run``, ``bench``, ``fuzz`` or ``mutate``."""
    commands = {"test", "run", "bench", "fuzz", "mutate"}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    command, rest = sys.argv[1], sys.argv[2:]
    try:
        if command == "test":
            test()
        elif command == "run":
            run(rest)
        elif command == "fuzz":
            fuzz(rest)
        elif command == "mutate":
            mutate(rest)
        else:
            bench(rest)
    except subprocess.CalledProcessError as exc:
        sys.exit(exc.returncode or 1)


if __name__ == "__main__":
    main()
