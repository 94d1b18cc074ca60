"""regimen's modules import each other one way only: no circle at import time."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "regimen"


def _module(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


_PACKAGES = {
    ".".join(p.relative_to(SRC.parent).parts[:-1]) for p in SRC.rglob("__init__.py")
}


def _runtime_imports(path: Path) -> set[str]:
    """Return the regimen modules *path* imports at module level (not for type checkers)."""
    name = _module(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")
            base = base[: len(base) - node.level + 1]
            target = ".".join([*base, node.module] if node.module else base)
            if target in _PACKAGES:
                # ``from . import _decimal``: the package is already initialised
                # (Python imports it first); the edge is to the submodules.
                found.update(f"{target}.{a.name}" for a in node.names)
            else:
                found.add(target)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("regimen"))
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module(p): p for p in SRC.rglob("*.py")}
    return {
        name: {t for t in _runtime_imports(path) if t in modules and t != name}
        for name, path in modules.items()
    }


class TestImportGraph:
    def test_no_module_imports_itself_back(self) -> None:
        """Following module-level imports never leads back to where it started."""
        graph = _graph()
        # The package re-exports its modules; what they import of the package
        # itself would be a circle through __init__, and is checked too.
        circles = []
        for start in graph:
            stack: list[tuple[str, tuple[str, ...]]] = [(start, (start,))]
            seen: set[str] = set()
            while stack:
                node, path = stack.pop()
                for nxt in graph[node]:
                    if nxt == start:
                        circles.append(" -> ".join([*path, start]))
                    elif nxt not in seen:
                        seen.add(nxt)
                        stack.append((nxt, (*path, nxt)))
        assert circles == []

    def test_the_graph_sees_real_imports(self) -> None:
        """The parser finds known one-way edges (so an empty result means something)."""
        graph = _graph()
        assert "regimen._expand" in graph["regimen._plan"]
        assert "regimen._plan" not in graph["regimen._expand"]
        assert "regimen._errors" in graph["regimen._report"]
        assert (
            "regimen._files._text" in graph["regimen._io"]
            or "regimen._files" in graph["regimen._io"]
        )
