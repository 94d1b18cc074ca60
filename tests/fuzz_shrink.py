"""Shrinking fuzz cases to small reproducers, and writing them down.

:func:`shrink` removes text tricks, list halves, keys and items and halves
long strings and deep nesting, keeping each change that still fails the
same way (same signature; for slow cases, still slow in the same call),
within a budget of attempts and seconds.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .fuzz_inputs import Case, Deep, render

if TYPE_CHECKING:
    from .fuzz_worker import Result, Worker

__all__ = ["shrink", "write"]

PathKey = tuple[Any, ...]


def _paths(tree: Any) -> list[PathKey]:
    out: list[PathKey] = []
    level: list[tuple[PathKey, Any]] = [((), tree)]
    while level:
        following: list[tuple[PathKey, Any]] = []
        for path, node in level:
            if isinstance(node, dict):
                children = list(node.items())
            elif isinstance(node, list):
                children = list(enumerate(node))
            else:
                continue
            for k, v in children:
                out.append((*path, k))
                following.append(((*path, k), v))
        level = following
    return out


def _get(tree: Any, path: PathKey) -> Any:
    for k in path:
        tree = tree[k]
    return tree


def _with(tree: Any, path: PathKey, value: Any, *, delete: bool = False) -> Any:
    """Copy *tree* with the node at *path* replaced (or deleted), sharing the rest."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(tree, dict):
        copy: Any = dict(tree)
    else:
        copy = list(tree)
    if rest:
        copy[head] = _with(tree[head], rest, value, delete=delete)
    elif delete:
        del copy[head]
    else:
        copy[head] = value
    return copy


def _candidates(case: Case) -> Iterator[Case]:
    for i in range(len(case.tricks)):
        yield replace(case, tricks=case.tricks[:i] + case.tricks[i + 1 :])
    paths = _paths(case.tree)
    for path in paths:
        node = _get(case.tree, path)
        if isinstance(node, list) and len(node) > 1:
            half = len(node) // 2
            yield replace(case, tree=_with(case.tree, path, node[:half]))
            yield replace(case, tree=_with(case.tree, path, node[half:]))
        yield replace(case, tree=_with(case.tree, path, None, delete=True))
    for path in paths:
        node = _get(case.tree, path)
        if isinstance(node, str) and len(node) > 8:
            yield replace(case, tree=_with(case.tree, path, node[: len(node) // 2]))
        elif isinstance(node, Deep) and node.depth > 40:
            yield replace(
                case, tree=_with(case.tree, path, Deep(node.depth // 2, node.table))
            )


def _same(target: Result, got: Result) -> bool:
    if target.status == "slow":
        return got.status == "slow" and got.phase == target.phase
    return got.status == target.status and got.signature == target.signature


def shrink(
    case: Case,
    target: Result,
    worker: Worker,
    *,
    time_bound: float,
    hard_timeout: float,
    attempts: int = 400,
    seconds: float = 60.0,
) -> tuple[Case, str | bytes]:
    """Return a smaller case that fails like *target*, and its text."""
    from .fuzzing import classify

    timeout = (
        min(hard_timeout, 1.5 * time_bound) if target.status == "slow" else hard_timeout
    )
    deadline = time.monotonic() + seconds
    best, best_data = case, render(case)
    improved = True
    while improved and attempts > 0 and time.monotonic() < deadline:
        improved = False
        for candidate in _candidates(best):
            if attempts <= 0 or time.monotonic() >= deadline:
                break
            data = render(candidate)
            if len(data) >= len(best_data) and candidate.tricks == best.tricks:
                continue
            attempts -= 1
            got = classify(worker.check(data, candidate.format, timeout), time_bound)
            if _same(target, got):
                best, best_data, improved = candidate, data, True
                break
    return best, best_data


def write(
    out: Path,
    number: int,
    *,
    case: Case,
    data: str | bytes,
    result: Result,
    seed: int,
    index: int,
) -> Path:
    """Write the reproducer and a note with the traceback; return the reproducer's path."""
    out.mkdir(parents=True, exist_ok=True)
    kind = "" if isinstance(data, str) else ".bytes"
    path = out / f"{number:03d}-{result.status}{kind}.{case.format}"
    if isinstance(data, str):
        path.write_bytes(data.encode("utf-8", "surrogatepass"))
    else:
        path.write_bytes(data)
    note = [
        f"{result.status}: {result.signature}",
        f"seed {seed}, case {index}; mutations {case.mutations}; tricks {case.tricks}",
        f"reproducer: {path.name} ({len(data)} {'chars' if isinstance(data, str) else 'bytes'})",
        f"replay: .venv/bin/python -m tests.fuzzing --replay {path}",
        "times: " + ", ".join(f"{p} {s:.3f} s" for p, s in result.seconds.items()),
        "",
        result.detail,
    ]
    path.with_suffix(".txt").write_text("\n".join(note), encoding="utf-8")
    return path
