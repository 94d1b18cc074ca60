"""What collects the problems, with their paths, while a document is built."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from .._terms import close_matches

__all__ = ["Builder", "T"]

T = TypeVar("T")


class Builder:
    """Collects problems with their paths while domain objects are built."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        #: Names defined in the file whose definitions had problems: a
        #: reference to one is not reported again as unknown.
        self.broken: set[str] = set()

    def attempt(self, where: str, build: Callable[[], T]) -> T | None:
        try:
            return build()
        except (ValueError, TypeError, ArithmeticError) as exc:
            self.problems.append(f"{where}: {exc}")
            return None

    def register(self, known: dict[str, Any], where: str, name: str, made: Any) -> None:
        """Add a definition by name; note a failed one (see :attr:`broken`) or a twin."""
        key = name.strip().casefold()
        if made is None:
            self.broken.add(key)
        elif key in known:
            self.problems.append(f"{where}.name: {made.name!r} is defined twice")
        else:
            known[key] = made

    def lookup(self, where: str, name: str, known: dict[str, T], what: str) -> T | None:
        found = known.get(name.strip().casefold())
        if found is not None or name.strip().casefold() in self.broken:
            return found
        names = {key: getattr(value, "name", key) for key, value in known.items()}
        close = close_matches(name.strip().casefold(), names, n=1)
        hint = f"; did you mean {names[close[0]]!r}?" if close else ""
        listed = ", ".join(repr(n) for n in list(names.values())[:8]) or "none defined"
        self.problems.append(
            f"{where}: unknown {what} {name!r}{hint} (known: {listed})"
        )
        return None
