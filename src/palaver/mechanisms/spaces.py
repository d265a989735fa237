"""The outcome spaces of mechanisms: shared between mechanisms, and their outcomes as event data."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from palaver.events import plain
from palaver.mechanisms.errors import MechanismError, MechanismTypeError
from palaver.outcomes import Issue, Outcome, OutcomeSpace
from palaver.outcomes.helpers import resolve_outcome_space

_PLAIN_SCALARS = (str, int, float, bool, type(None))


def outcome_copier(space: OutcomeSpace) -> Callable[[Any], Any] | None:
    """How an outcome of ``space`` becomes payload data: ``None`` when it can go as is.

    An outcome whose values are all plain scalars is an immutable tuple of
    plain data already, so events carry it without a copy (two per round on the
    negotiation hot path); other categorical values go through :func:`plain`.
    Known once per space (spaces are immutable; every mechanism asks).
    """
    hit = _COPIERS.get(space)
    if hit is not None:
        return hit[0]
    copier: Callable[[Any], Any] | None = None
    for issue in space.issues:
        if issue.is_continuous or getattr(issue, "is_numeric", False):
            continue
        if not all(isinstance(v, _PLAIN_SCALARS) for v in issue.all_values):
            copier = plain
            break
    if len(_COPIERS) >= _MAX_SPACES:
        del _COPIERS[next(iter(_COPIERS))]
    _COPIERS[space] = (copier,)
    return copier


_COPIERS: dict[OutcomeSpace, tuple[Callable[[Any], Any] | None]] = {}


# Issues are immutable: mechanisms created again and again from the same issue
# objects share one space (so its hash and its outcome table), found by identity.
_SPACES: dict[tuple[int, ...], tuple[tuple[Issue, ...], OutcomeSpace]] = {}
_MAX_SPACES = 64


def space_of(issues: Iterable[Issue]) -> OutcomeSpace:
    """The outcome space of ``issues``, the same object for the same issue objects."""
    if type(issues) is list or type(issues) is tuple:  # the common case, checked first
        hit = _SPACES.get(tuple(map(id, issues)))
        # A cached entry keeps its issues alive, so no other object can have
        # their ids: equal keys mean the very same issue objects.
        if hit is not None:
            return hit[1]
    if isinstance(issues, Issue):
        issues = (issues,)
    elif isinstance(issues, str | bytes | dict) or not isinstance(issues, Iterable):
        raise MechanismTypeError(
            f"issues must be an iterable of Issues (see make_issue), got {issues!r} "
            f"({type(issues).__name__})"
        )
    items = tuple(issues)
    key = tuple(map(id, items))
    hit = _SPACES.get(key)
    if hit is not None:
        return hit[1]
    space = OutcomeSpace(list(items))
    if len(_SPACES) >= _MAX_SPACES:
        del _SPACES[next(iter(_SPACES))]
    _SPACES[key] = (items, space)  # the issues stay alive, so their ids are not reused
    return space


def mechanism_space(
    outcome_space: OutcomeSpace | None,
    issues: Iterable[Issue] | None,
    outcomes: int | Sequence[Outcome] | None,
) -> OutcomeSpace:
    """The outcome space a mechanism is given by exactly one of its three spellings."""
    if issues is not None and outcome_space is None and outcomes is None:
        return space_of(issues)
    if (outcome_space is not None) + (issues is not None) + (outcomes is not None) != 1:
        raise MechanismError("give exactly one of outcome_space, issues and outcomes")
    if outcomes is not None:  # NegMAS's spelling: a count, or a cartesian list
        outcome_space = resolve_outcome_space(outcomes=outcomes)
    if not isinstance(outcome_space, OutcomeSpace):
        raise MechanismTypeError(
            f"outcome_space must be an OutcomeSpace (make_os(issues)), got {outcome_space!r} "
            f"({type(outcome_space).__name__})"
        )
    return outcome_space
