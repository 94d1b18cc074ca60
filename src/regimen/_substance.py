"""What is taken: :class:`Substance`."""

from __future__ import annotations

from datetime import timedelta

import attrs

from ._format import parse_duration
from ._kinetics import Kinetics
from ._validators import (
    check_name,
    instance_of,
    optional_duration,
    optional_text,
    to_frozenset,
    to_tuple,
)

__all__ = ["Substance", "term_of"]


def _name(value: str) -> str:
    return check_name(value, "Substance.name")


def _aliases(value: object) -> tuple[str, ...]:
    items = to_tuple(value)  # type: ignore[arg-type]
    out = tuple(str(a).strip() for a in items)
    if any(not a for a in out):
        msg = f"Substance.aliases must not contain empty names (got {items!r})"
        raise ValueError(msg)
    return out


def _duration(value: timedelta | str | None, field: str) -> timedelta | None:
    """Accept a duration as text (``"45 min"``), as plan files write it."""
    return parse_duration(value, field=field) if isinstance(value, str) else value


def _onset(value: timedelta | str | None) -> timedelta | None:
    return _duration(value, "Substance.onset")


def _lasts(value: timedelta | str | None) -> timedelta | None:
    return _duration(value, "Substance.duration")


def _terms(self: Substance) -> frozenset[str]:
    return frozenset(
        {self.name.casefold(), *(a.casefold() for a in self.aliases), *self.classes}
    )


@attrs.frozen(kw_only=True, cache_hash=True)
class Substance:
    r"""A substance: kratom, kefir, alcohol, an SSRI.

    *classes* are lower-cased group names such as ``"opioid"``, ``"ssri"``,
    ``"probiotic"``; rules and interaction notes name a substance by its
    name, an alias or a class, case-insensitively (see :meth:`matches`).
    *onset* is how long a dose takes to act and *duration* how long it
    lasts, both positive :class:`~datetime.timedelta`\\ s or ``None``.
    *source* says where facts about it come from. *kinetics* (a
    :class:`~regimen.Kinetics`, with its own source) are the parameters
    :func:`~regimen.exposure` estimates with when none are given.

    >>> kratom = Substance("kratom", classes={"botanical"}, aliases=["Mitragyna speciosa"])
    >>> kratom.matches("BOTANICAL"), kratom.matches("mitragyna speciosa")
    (True, True)
    """

    name: str = attrs.field(kw_only=False, converter=_name)
    classes: frozenset[str] = attrs.field(default=frozenset(), converter=to_frozenset)
    aliases: tuple[str, ...] = attrs.field(default=(), converter=_aliases)
    onset: timedelta | None = attrs.field(
        default=None,
        converter=_onset,
        validator=optional_duration(),
    )
    duration: timedelta | None = attrs.field(
        default=None,
        converter=_lasts,
        validator=optional_duration(),
    )
    notes: str = attrs.field(default="", validator=instance_of(str))
    source: str | None = attrs.field(default=None, converter=optional_text)
    kinetics: Kinetics | None = attrs.field(
        default=None, validator=attrs.validators.optional(instance_of(Kinetics))
    )
    _terms: frozenset[str] = attrs.field(
        init=False, repr=False, eq=False, default=attrs.Factory(_terms, takes_self=True)
    )

    def matches(self, term: str) -> bool:
        """Tell whether *term* names this substance, an alias or one of its classes."""
        return term.strip().casefold() in self._terms


def term_of(value: str | Substance, *, who: str) -> str:
    """Return the name, alias or class a rule or note names (a Substance's name).

    Raises ``ValueError`` naming *who* for anything else.
    """
    if isinstance(value, Substance):
        return value.name
    if not isinstance(value, str) or not value.strip():
        msg = f"{who} needs a substance name, alias or class (got {value!r})"
        raise ValueError(msg)
    return value.strip()
