"""Truth values that can also be called, for NegMAS-style ``issue.is_continuous()``."""

from __future__ import annotations

__all__ = ["FALSE", "TRUE", "Flag", "flag"]


class Flag(int):
    """A bool-like ``0``/``1`` that returns itself as a ``bool`` when called.

    Palaver reads ``issue.is_continuous`` as a property; NegMAS code calls
    ``issue.is_continuous()``. A ``Flag`` serves both: it is truthy or falsy
    like a bool, equals ``True``/``False``, and ``flag()`` is ``bool(flag)``.
    """

    __slots__ = ()

    def __call__(self) -> bool:
        return bool(self)

    def __repr__(self) -> str:
        return "True" if self else "False"

    __str__ = __repr__


TRUE = Flag(1)
FALSE = Flag(0)


def flag(value: object) -> Flag:
    """``TRUE`` or ``FALSE`` for the truth of ``value``."""
    return TRUE if value else FALSE
