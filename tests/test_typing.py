"""The typing test: tests/typing/ checked by mypy --strict and by pyright.

``tests/typing/baseline.py`` uses the public API and pins its return types
with ``assert_type`` (pyright in strict mode); ``tests/typing/mistakes.py``
holds mistakes, each silenced by the exact error code for both checkers, so
a mistake that stops being an error fails the check. A canary file with an
ignore that silences nothing proves that both checkers still report unused
ignores with the configuration used here.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TYPING = ROOT / "tests" / "typing"
CANARY = """\
from regimen import Quantity


def canary(quantity: Quantity) -> None:
    quantity.to("mg")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
"""

pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="the checkers' output paths are POSIX here"
)


def _mypy(canary: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mypy", "--strict", str(TYPING), str(canary)]
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, check=False, timeout=300
    )


def _pyright(canary: Path) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-m",
        "pyright",
        "--outputjson",
        "--pythonpath",
        sys.executable,
        "-p",
        str(TYPING / "pyrightconfig.json"),
        str(TYPING),
        str(canary),
    ]
    env = {**os.environ, "PYRIGHT_PYTHON_IGNORE_WARNINGS": "1"}  # no version check
    return subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env=env,
    )


@pytest.fixture(scope="module")
def checked(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[list[tuple[str, int, str]], list[tuple[str, int, str]]]:
    """Run both checkers at once; return their errors as (file, line, code)."""
    pytest.importorskip("pyright", reason="pyright is in the dev dependency group")
    canary = tmp_path_factory.mktemp("typing") / "canary.py"
    canary.write_text(CANARY)
    with ThreadPoolExecutor(2) as pool:
        mypy_run = pool.submit(_mypy, canary)
        pyright_run = pool.submit(_pyright, canary)
        mypy_out, pyright_out = mypy_run.result(), pyright_run.result()
    mypy_errors = []
    for line in mypy_out.stdout.splitlines():
        found = re.match(r"(.+?):(\d+): error: .*\[([a-z-]+)\]$", line)
        if found:
            name = Path(found[1]).name
            mypy_errors.append((name, int(found[2]), found[3]))
    assert mypy_errors or mypy_out.returncode == 0, mypy_out.stdout + mypy_out.stderr
    try:
        report = json.loads(pyright_out.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"pyright did not run: {pyright_out.stdout}{pyright_out.stderr}")
    pyright_errors = [
        (
            Path(d["file"]).name,
            d["range"]["start"]["line"] + 1,
            d.get("rule", d["message"]),
        )
        for d in report["generalDiagnostics"]
        if d["severity"] == "error"
    ]
    return mypy_errors, pyright_errors


def _ignored_lines() -> list[tuple[int, str, str]]:
    """Lines of mistakes.py with the mypy and pyright codes they silence."""
    out = []
    for number, line in enumerate((TYPING / "mistakes.py").read_text().splitlines(), 1):
        mypy_codes = re.search(r"# type: ignore\[([^\]]+)\]", line)
        pyright_rules = re.search(r"# pyright: ignore\[([^\]]+)\]", line)
        if mypy_codes or pyright_rules:
            assert mypy_codes, f"mistakes.py:{number} has no mypy code"
            assert pyright_rules, f"mistakes.py:{number} has no pyright rule"
            out.append((number, mypy_codes[1], pyright_rules[1]))
    return out


class TestTyping:
    def test_mypy_accepts_usage_and_every_mistake_is_an_error(
        self, checked: tuple[list[tuple[str, int, str]], list[tuple[str, int, str]]]
    ) -> None:
        """Under mypy --strict, tests/typing passes and only the canary's unused ignore is flagged."""
        mypy_errors, _ = checked
        assert mypy_errors == [("canary.py", 5, "unused-ignore")]

    def test_pyright_accepts_usage_and_every_mistake_is_an_error(
        self, checked: tuple[list[tuple[str, int, str]], list[tuple[str, int, str]]]
    ) -> None:
        """Under pyright, tests/typing passes and only the canary's unused ignore is flagged."""
        _, pyright_errors = checked
        assert pyright_errors == [
            ("canary.py", 5, "reportUnnecessaryTypeIgnoreComment")
        ]

    def test_mistakes_cover_both_checkers(self) -> None:
        """Every mistake names a code for each checker, and the typo'd names are there."""
        lines = _ignored_lines()
        assert len(lines) >= 30
        text = (TYPING / "mistakes.py").read_text()
        for mistake in (
            "from regimen import validat  #",
            "regimen.valdate(plan)  #",
            "quantity.amount = Decimal(1)  #",
        ):
            assert mistake in text
