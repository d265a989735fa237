"""What utility functions made of other utility functions share: checking
their parts, and giving parts without an outcome space the whole's."""

from __future__ import annotations

import copy
from collections.abc import Iterable

from palaver._util.checks import check_items
from palaver.outcomes import OutcomeSpace
from palaver.preferences.base import UtilityFunction


def checked_parts(ufuns: Iterable[UtilityFunction], owner: str) -> list[UtilityFunction]:
    """``ufuns`` as a list, refused (naming ``owner``) when empty or when one is
    not a :class:`UtilityFunction`."""
    parts = check_items("ufuns", ufuns, "UtilityFunctions")
    for i, u in enumerate(parts):
        if not isinstance(u, UtilityFunction):
            raise TypeError(f"ufuns[{i}] must be a UtilityFunction, got {u!r:.80}")
    if not parts:
        raise ValueError(f"{owner} needs at least one utility function")
    return parts


def give_space(parts: list[UtilityFunction], outcome_space: OutcomeSpace | None) -> None:
    """Replace each part without an outcome space by a copy bound to
    ``outcome_space``: the caller's utility functions stay as they were."""
    if outcome_space is None:
        return
    for i, u in enumerate(parts):
        if u.outcome_space is None:
            parts[i] = copy.copy(u)
            parts[i].outcome_space = outcome_space
