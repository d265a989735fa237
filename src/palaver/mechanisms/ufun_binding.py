"""Lending a negotiation's outcome space to utility functions defined without one.

A utility function made without an outcome space (``outcome_space=None``) is
given the negotiation's when the negotiation starts, and has it taken back
when the negotiation ends, as NegMAS does: between negotiations it is again a
function of no particular space, free to join a negotiation over another one.

A utility function can be used by several negotiations at once (one agent's
function in each of its negotiations). The space is taken back only when the
last negotiation that lent it ends, so one ending never leaves a running one
with an unbound function. The count lives here, per process, keyed by the
function's identity (the entry holds the function, so its id is not reused
while counted).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from palaver.outcomes import OutcomeSpace
from palaver.preferences import Preferences

# id(ufun) -> [ufun, the space lent, the number of running negotiations that lent it]
_lent: dict[int, list[Any]] = {}


def lend_space(ufuns: Iterable[Any], space: OutcomeSpace) -> list[Any]:
    """Give ``space`` to each of ``ufuns`` that has none; return those given it.

    A function already lent this space by another running negotiation is
    counted again (and returned), so that it keeps the space until both end.
    """
    lent: list[Any] = []
    for ufun in ufuns:
        if ufun is None:
            continue
        entry = _lent.get(id(ufun))
        if (
            entry is not None
            and entry[0] is ufun
            and getattr(ufun, "outcome_space", None) is entry[1]
        ):
            entry[2] += 1
            lent.append(ufun)
            continue
        if getattr(ufun, "outcome_space", space) is not None:
            continue  # bound by its maker (or not a function with a space at all)
        ufun.outcome_space = space
        _lent[id(ufun)] = [ufun, space, 1]
        lent.append(ufun)
    return lent


def take_back_space(ufuns: Iterable[Any]) -> None:
    """End one lending of each of ``ufuns`` (from :func:`lend_space`); unbind at the last.

    A function whose space was changed since (by user code) keeps the new one.
    """
    for ufun in ufuns:
        entry = _lent.get(id(ufun))
        if entry is None or entry[0] is not ufun:
            continue
        entry[2] -= 1
        if entry[2] > 0:
            continue
        del _lent[id(ufun)]
        if getattr(ufun, "outcome_space", None) is entry[1]:
            ufun.outcome_space = None


def bind_owners(negotiators: Iterable[Any]) -> None:
    """Make each negotiator the ``owner`` of its preferences for the negotiation
    (NegMAS's rule: set when the negotiation starts, before any callback).

    A discounted utility function reads its owner's state (see
    :mod:`palaver.preferences.discounted`).
    """
    for negotiator in negotiators:
        ufun = getattr(negotiator, "ufun", None)
        if isinstance(ufun, Preferences):
            ufun.owner = negotiator


def release_owners(negotiators: Iterable[Any]) -> None:
    """Clear the ``owner`` of each negotiator's preferences when the negotiation ends.

    Only where the negotiator is still the owner: a function shared with a
    negotiation that started later belongs to that one now.
    """
    for negotiator in negotiators:
        ufun = getattr(negotiator, "ufun", None)
        if isinstance(ufun, Preferences) and ufun.owner is negotiator:
            ufun.owner = None
