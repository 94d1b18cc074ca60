"""Small, hashable attrs validators and converters with readable reprs.

Each is a frozen callable object, so a field's validator shows what it checks
(``positive()``) and every message names the class, the field, the value
given and what would be accepted.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import timedelta
from typing import Any, Generic, TypeVar

import attrs

__all__ = [
    "FrozenDict",
    "check_name",
    "check_unicode",
    "instance_of",
    "lone_surrogate",
    "optional_duration",
    "optional_text",
    "positive",
    "to_frozenset",
    "to_tuple",
]

K = TypeVar("K")
V = TypeVar("V")


def _where(inst: object, attribute: attrs.Attribute[Any]) -> str:
    return f"{type(inst).__name__}.{attribute.name.lstrip('_')}"


def lone_surrogate(value: str) -> int | None:
    r"""Return the position of the first lone surrogate in *value*, or None if there is none.

    >>> lone_surrogate("caf\u00e9"), lone_surrogate("x\ud800")
    (None, 1)
    """
    if value.isascii():
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return exc.start
    return None


def check_unicode(value: str, field: str) -> None:
    r"""Raise ``ValueError`` naming *field* when *value* holds a lone surrogate.

    Half of a UTF-16 pair (``"\ud800"``) is not a character: no plan file,
    calendar or terminal can hold it.

    >>> check_unicode("caf\u00e9", "Plan.name")
    >>> check_unicode("x\ud800", "Plan.name")
    Traceback (most recent call last):
    ValueError: Plan.name must be Unicode text (got 'x\ud800', with the lone ...
    """
    at = lone_surrogate(value)
    if at is not None:
        msg = (
            f"{field} must be Unicode text (got {value!r}, with the lone surrogate "
            f"{value[at]!r} at position {at}); remove it, or write the "
            "character it was meant to be"
        )
        raise ValueError(msg)


def check_name(value: object, field: str) -> str:
    """Return *value* stripped; raise naming *field* unless a non-empty str."""
    if not isinstance(value, str):
        msg = f"{field} must be a str (got {value!r})"
        raise TypeError(msg)
    check_unicode(value, field)
    stripped = value.strip()
    if not stripped:
        msg = f"{field} must not be empty (got {value!r}); give it a name"
        raise ValueError(msg)
    return stripped


@attrs.frozen(repr=False)
class _InstanceOf:
    cls: type

    def __call__(
        self, inst: object, attribute: attrs.Attribute[Any], value: object
    ) -> None:
        if not isinstance(value, self.cls):
            msg = (
                f"{_where(inst, attribute)} must be a {self.cls.__name__} "
                f"(got {value!r} that is a {type(value).__name__})"
            )
            raise TypeError(msg)
        if self.cls is str:
            check_unicode(value, _where(inst, attribute))  # type: ignore[arg-type]

    def __repr__(self) -> str:
        return f"instance_of({self.cls.__name__})"


def instance_of(cls: type) -> _InstanceOf:
    """Validate the type of a field, naming class, field and value on error."""
    return _InstanceOf(cls)


@attrs.frozen(repr=False)
class _Positive:
    allow_zero: bool

    def __call__(
        self, inst: object, attribute: attrs.Attribute[Any], value: Any
    ) -> None:
        if value is None:
            return
        zero: Any = timedelta(0) if isinstance(value, timedelta) else 0
        amount = getattr(value, "amount", value)
        if amount < zero or (amount == zero and not self.allow_zero):
            need = "zero or more" if self.allow_zero else "more than zero"
            msg = f"{_where(inst, attribute)} must be {need} (got {value})"
            raise ValueError(msg)

    def __repr__(self) -> str:
        return f"positive(allow_zero={self.allow_zero})"


def positive(*, allow_zero: bool = False) -> _Positive:
    """Validate that a number, Quantity or timedelta (or None) is above zero."""
    return _Positive(allow_zero)


@attrs.frozen(repr=False)
class _Duration:
    def __call__(
        self, inst: object, attribute: attrs.Attribute[Any], value: object
    ) -> None:
        if value is None:
            return
        if not isinstance(value, timedelta):
            msg = (
                f"{_where(inst, attribute)} must be a timedelta or None (got {value!r})"
            )
            raise TypeError(msg)
        if value <= timedelta(0):
            msg = f"{_where(inst, attribute)} must be longer than zero (got {value})"
            raise ValueError(msg)

    def __repr__(self) -> str:
        return "optional_duration()"


def optional_duration() -> _Duration:
    """Validate that a value is None or a positive timedelta."""
    return _Duration()


def to_frozenset(value: Iterable[str] | str) -> frozenset[str]:
    """Convert tags or classes to a frozenset of stripped, lower-case strings."""
    if isinstance(value, str):
        value = (value,)
    return frozenset(str(v).strip().lower() for v in value)


def to_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """Convert any iterable (a lone string counts as one item) to a tuple."""
    if isinstance(value, str):
        return (value,)
    return tuple(value)


class FrozenDict(Mapping[K, V], Generic[K, V]):
    """An immutable, hashable mapping that keeps insertion order.

    The hash is computed once and cached; pickling drops the cache (string
    hashes differ between processes) and works with every protocol.

    >>> import pickle
    >>> pickle.loads(pickle.dumps(FrozenDict({"a": 1}), protocol=0))
    FrozenDict({'a': 1})
    """

    __slots__ = ("_data", "_hash")

    def __init__(self, data: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        self._data: dict[K, V] = dict(data)
        self._hash: int | None = None

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __reduce__(self) -> tuple[type[FrozenDict[K, V]], tuple[dict[K, V]]]:
        # Only the items travel: the cached hash is rebuilt in the new process.
        return type(self), (self._data,)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self._data == dict(other.items())
        return NotImplemented

    def __repr__(self) -> str:
        return f"FrozenDict({self._data!r})"


def optional_text(value: str | None) -> str | None:
    """Convert to stripped text, or None for None and blank text (a ``source``)."""
    if value is None:
        return None
    if not isinstance(value, str):
        msg = f"source must be text or None (got {value!r})"
        raise TypeError(msg)
    check_unicode(value, "source")
    return value.strip() or None
