"""Inputs for the structural fuzzer: seeds, mutations and the two text forms.

A case is a document tree (what ``tomllib`` gives for a plan file, plus a
few markers for things a tree cannot hold: duplicate keys, raw number text,
deep nesting) and a list of byte-level tricks applied after writing it as
TOML or JSON. :func:`generate` is deterministic: the same seed and index
give the same case, in any process.
"""

from __future__ import annotations

import json
import math
import random
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

__all__ = [
    "Case",
    "Deep",
    "Pairs",
    "Raw",
    "generate",
    "render",
    "seeds",
    "to_json",
    "to_toml",
]

from .fuzz_mutations import MUTATIONS, TRICKS
from .fuzz_values import (
    Deep,
    Pairs,
    Raw,
)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@dataclass
class Case:
    """One fuzz input: a tree, its format and the text tricks applied after."""

    tree: dict[str, Any]
    format: str
    tricks: list[str] = field(default_factory=list)
    mutations: list[str] = field(default_factory=list)
    salt: int = 0


# -- writing ----------------------------------------------------------------------

_TOML_ESCAPE = re.compile('[\x00-\x1f\x7f"\\\\\ud800-\udfff]')
_BARE = re.compile(r"[A-Za-z0-9_-]+")


def _toml_char(m: re.Match[str]) -> str:
    ch = m.group()
    if ch in '"\\':
        return "\\" + ch
    return f"\\u{ord(ch):04X}"


def _toml_str(s: str) -> str:
    return '"' + _TOML_ESCAPE.sub(_toml_char, s) + '"'


def _toml_key(k: str) -> str:
    return k if _BARE.fullmatch(k) else _toml_str(k)


def _toml_value(v: Any) -> str:
    if isinstance(v, Raw):
        return v.text
    if isinstance(v, Deep):
        if v.table:
            return "{ a = " * v.depth + "1" + " }" * v.depth
        return "[" * v.depth + "]" * v.depth
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if v in (float("inf"), float("-inf")):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, datetime | date | time):
        return v.isoformat()
    if isinstance(v, str):
        return _toml_str(v)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v if x is not None) + "]"
    if isinstance(v, dict | Pairs):
        inner = ", ".join(
            f"{_toml_key(k)} = {_toml_value(x)}" for k, x in _items(v) if x is not None
        )
        return "{ " + inner + " }" if inner else "{}"
    return _toml_str(repr(v))


def _items(v: dict[str, Any] | Pairs) -> Iterator[tuple[str, Any]]:
    return iter(v.items if isinstance(v, Pairs) else v.items())


def to_toml(tree: dict[str, Any] | Pairs) -> str:
    """Write *tree* as TOML: one ``key = value`` line per top-level key, tables inline."""
    return "".join(
        f"{_toml_key(k)} = {_toml_value(v)}\n" for k, v in _items(tree) if v is not None
    )


def _json_value(v: Any) -> str:
    if isinstance(v, Raw):
        return v.text
    if isinstance(v, Deep):
        if v.table:
            return '{"a": ' * v.depth + "1" + "}" * v.depth
        return "[" * v.depth + "]" * v.depth
    if isinstance(v, datetime | date | time):
        return json.dumps(v.isoformat())
    if isinstance(v, list):
        return "[" + ", ".join(_json_value(x) for x in v) + "]"
    if isinstance(v, dict | Pairs):
        return (
            "{"
            + ", ".join(f"{json.dumps(k)}: {_json_value(x)}" for k, x in _items(v))
            + "}"
        )
    return json.dumps(v)


def to_json(tree: dict[str, Any] | Pairs) -> str:
    """Write *tree* as JSON; lone surrogates become escapes like the JSON for U+D800."""
    return _json_value(tree) + "\n"


def _trick(text: str, name: str, rng: random.Random) -> str | bytes:
    pos = rng.randrange(len(text) + 1)
    if name == "bom":
        return "\ufeff" + text
    if name == "bom-bytes":
        return b"\xef\xbb\xbf" + text.encode("utf-8", "surrogatepass")
    if name == "utf16":
        return text.encode("utf-16", "surrogatepass")
    if name == "bad-utf8":
        raw = text.encode("utf-8", "surrogatepass")
        return raw[:pos] + b"\xff\xc0\x80" + raw[pos:]
    if name == "nul":
        return text[:pos] + "\x00" + text[pos:]
    if name == "truncate":
        return text[:pos]
    if name == "crlf":
        return text.replace("\n", "\r\n")
    if name == "dup-line":
        lines = text.splitlines(keepends=True) or [""]
        i = rng.randrange(len(lines))
        return "".join([*lines[: i + 1], lines[i], *lines[i + 1 :]])
    if name == "flip":
        return text[:pos] + rng.choice("{}[]\",=:\\\n#'") + text[pos + 1 :]
    if name == "rtl":
        return text[:pos] + "\u202e" + text[pos:]
    return text


def render(case: Case) -> str | bytes:
    """Write *case* in its format, then apply its text tricks in order."""
    text: str | bytes = (to_json if case.format == "json" else to_toml)(case.tree)
    rng = random.Random(case.salt)
    for name in case.tricks:
        if isinstance(text, bytes):
            break
        text = _trick(text, name, rng)
    return text


# -- seeds ------------------------------------------------------------------------


def _log_seed(wellness: dict[str, Any]) -> dict[str, Any]:
    doc = {k: v for k, v in wellness.items() if k != "plan"}
    zone = "America/New_York"
    log = []
    for day in range(3):
        for entry in wellness["plan"]["entries"]:
            hh, mm = map(int, entry["schedule"]["times"][0].split(":"))
            at = datetime(
                2027, 1, 4 + day, hh, mm, tzinfo=timezone(-timedelta(hours=5))
            )
            log.append({"at": at.isoformat(), "timezone": zone, "dose": entry["dose"]})
    log[-1]["as_needed"] = True
    log[-1]["note"] = "felt fine"
    doc["log"] = log
    return doc


def seeds() -> list[dict[str, Any]]:
    """Return the shipped examples as trees, plus an intake log made from one of them."""
    out = [
        tomllib.loads(p.read_text(encoding="utf-8"))
        for p in sorted(EXAMPLES.glob("*.toml"))
    ]
    wellness = next(
        d for d in out if d.get("plan", {}).get("name") == "wellness protocol"
    )
    return [*out, _log_seed(wellness)]


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


#: Most bytes a case may render to, roughly (shared items count each time):
#: inputs over 1 MB only test the refusal by length.
_MAX_VALUES = 4_000_000


def _larger_than(tree: Any, limit: int) -> bool:
    """Tell whether *tree* renders to more than about *limit* bytes, stopping as soon as it does."""
    size = 0
    stack = [tree]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
            size += sum(len(str(k)) for k in value)
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, str):
            size += len(value)
        elif isinstance(value, Raw):
            size += len(value.text)
        elif isinstance(value, Deep):  # written out as text, up to 8 bytes a level
            size += 8 * value.depth
        elif isinstance(value, Pairs):
            stack.extend(v for _k, v in value.items)
            size += sum(len(str(k)) for k, _v in value.items)
        size += 4
        if size > limit:
            return True
    return False


def generate(seed: int, index: int) -> Case:
    """Return the fuzz case number *index* of run *seed* (the same in every process)."""
    rng = random.Random(f"regimen-fuzz:{seed}:{index}")
    tree: dict[str, Any] = _copy(rng.choice(_SEEDS))
    names = list(MUTATIONS)
    weights = [MUTATIONS[n][1] for n in names]
    applied = []
    for _ in range(rng.choice([1, 1, 1, 1, 2, 2, 3])):
        name = rng.choices(names, weights)[0]
        before = _copy(tree)
        if MUTATIONS[name][0](rng, tree):
            if _larger_than(tree, _MAX_VALUES):
                # A grown list whose items share a list (or a string) grown
                # again renders as their product (gigabytes): keep it small.
                tree = before
            else:
                applied.append(name)
    tricks = []
    if rng.random() < 0.15:
        tricks.append(rng.choice(TRICKS))
    fmt = "json" if rng.random() < 0.4 else "toml"
    return Case(tree, fmt, tricks, applied, rng.randrange(2**32))


_SEEDS = seeds()
