"""NegMAS's ``make_rank_ufun``: a utility function of ranks, one step apart."""

from __future__ import annotations

import numpy as np

from palaver.outcomes import OutcomeSpaceError
from palaver.preferences.base import UtilityFunction
from palaver.preferences.mapping import MappingUtilityFunction
from palaver.preferences.protocol import checked_ranked_utilities

__all__ = ["make_rank_ufun"]


def make_rank_ufun(ufun: UtilityFunction, normalize: bool = False) -> MappingUtilityFunction:
    """A table ordering the outcomes (and no agreement) as ``ufun`` does, one step apart.

    Every outcome of ``ufun``'s discrete outcome space, and no agreement
    (the reserved value), gets its dense rank among their utilities: the
    worst gets 0, the next distinct utility 1, and so on; equal utilities
    share a rank. The answer is a :class:`MappingUtilityFunction` over the
    same space whose reserved value is the rank of no agreement. With
    ``normalize`` the ranks are divided by the largest, so they run from 0
    to 1 (all stay 0 when every utility is the same: NegMAS divides by zero
    there).

    ``ufun`` needs a discrete outcome space (``OutcomeSpaceError`` when it
    has none or it is continuous).
    """
    space = ufun.outcome_space
    if space is None or not space.is_discrete():
        raise OutcomeSpaceError(
            f"make_rank_ufun: the utility function needs a discrete outcome space, got {space!r}"
        )
    outcomes = space.enumerate()
    # np.unique gave a NaN the top rank, silently.
    utils = checked_ranked_utilities(ufun.eval_many(outcomes), ufun, outcomes)
    utilities = np.append(utils, ufun.reserved_value)
    _, ranks = np.unique(utilities, return_inverse=True)
    values = ranks.astype(float)
    top = float(values.max())
    if normalize and top > 0.0:
        values /= top
    table = dict(zip(outcomes, values[:-1].tolist(), strict=True))
    return MappingUtilityFunction(table, reserved_value=float(values[-1]), outcome_space=space)
