"""Substance terms (names, aliases, classes) and what a typo is nearest to.

A rule, a break or an :func:`~regimen.allowance` call names a substance by a
*term*; :func:`known_terms` lists what the substances at hand answer to and
:func:`unknown_term_message` writes the message for a term that matches none
of them, with the nearest known terms as the fix.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from itertools import islice
from typing import Final

from ._substance import Substance

__all__ = ["close_matches", "known_terms", "nearest", "unknown_term_message"]


def known_terms(substances: Iterable[Substance]) -> frozenset[str]:
    """Return every term (case-folded name, alias, class) the substances match.

    >>> known_terms([Substance("kratom", classes={"botanical"})]) == {"kratom", "botanical"}
    True
    """
    out: set[str] = set()
    for substance in substances:
        out.add(substance.name.casefold())
        out.update(alias.casefold() for alias in substance.aliases)
        out.update(substance.classes)
    return frozenset(out)


def nearest(term: str, known: Iterable[str], *, n: int = 3) -> list[str]:
    """Return up to *n* known terms nearest to *term*, closest first.

    >>> nearest("kratum", ["kratom", "kefir", "alcohol"])
    ['kratom']
    """
    return close_matches(term.strip().casefold(), sorted(known), n=n)


def unknown_term_message(term: str, known: Iterable[str]) -> str:
    """Return the message for a *term* that names no known substance.

    >>> unknown_term_message("kratum", {"kratom", "kefir"})
    "'kratum' names no known substance, alias or class; did you mean 'kratom'?"
    >>> unknown_term_message("tea", set())
    "'tea' names no known substance, alias or class; no substances are known here"
    """
    known = sorted(set(known))
    close = nearest(term, known)
    if close:
        hint = "did you mean " + " or ".join(repr(c) for c in close) + "?"
    elif known:
        shown = ", ".join(repr(k) for k in known[:8])
        more = ", ..." if len(known) > 8 else ""
        hint = f"known terms are {shown}{more}"
    else:
        hint = "no substances are known here"
    return f"{term.strip()!r} names no known substance, alias or class; {hint}"


#: At most this many names are compared with a word to suggest one.
MOST_COMPARED: Final = 500


def close_matches(
    word: str, choices: Iterable[str], *, n: int, cutoff: float = 0.6
) -> list[str]:
    """Return the choices nearest to *word* (difflib, imported only when asked).

    A hint, not a search, so its work is bounded: among more than
    :data:`MOST_COMPARED` choices, only the first of those that begin with
    the word's letter and are within three characters of its length are
    compared. The answer for a word and choices is kept, so a file naming
    one unknown product fifty times among thousands is answered once.

    >>> close_matches("cofee", ["coffee", "tea"], n=2)
    ['coffee']
    """
    pool = tuple(choices)
    if len(pool) > MOST_COMPARED:
        head = word[:1].casefold()
        near = (
            c for c in pool if c[:1].casefold() == head and abs(len(c) - len(word)) <= 3
        )
        pool = tuple(islice(near, MOST_COMPARED))
    return list(_close_matches(word, pool, n, cutoff))


@lru_cache(maxsize=64)
def _close_matches(
    word: str, pool: tuple[str, ...], n: int, cutoff: float
) -> tuple[str, ...]:
    import difflib  # noqa: PLC0415 - only needed to explain a mistake

    return tuple(difflib.get_close_matches(word, pool, n=n, cutoff=cutoff))
