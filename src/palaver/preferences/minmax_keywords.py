"""NegMAS's keywords of ``minmax``, for every utility function class: ``issues=``
or ``outcomes=`` instead of the outcome space, a range kept between calls
(see :mod:`palaver.preferences.kept_extremes`) and the listed outcomes only of
an :class:`~palaver.outcomes.EnumeratingOutcomeSpace`. Kept apart from the
base classes, whose ``__init_subclass__`` applies it to each subclass.
"""

from __future__ import annotations

import functools
from typing import Any

from palaver.outcomes import EnumeratingOutcomeSpace, OutcomeSpace, OutcomeSpaceError
from palaver.outcomes.helpers import resolve_outcome_space
from palaver.preferences.kept_extremes import KeptExtremesMixin


def accept_minmax_keywords(cls: type) -> None:
    """Let ``cls.minmax`` take NegMAS's ``issues=`` or ``outcomes=`` instead of the space.

    ``issues=`` stands for ``outcome_space=OutcomeSpace(issues)``;
    ``outcomes=`` (a list of outcomes) gives the lowest and highest utility
    over exactly those outcomes; a count ``n`` stands for the outcomes
    ``(0,)``, ..., ``(n-1,)``. Applied to every utility function class.
    """
    minmax = cls.__dict__.get("minmax")
    if minmax is None or getattr(minmax, "_palaver_space_keywords", False):
        return

    @functools.wraps(minmax)
    def wrapped(
        self: Any, outcome_space: OutcomeSpace | None = None, **kwargs: Any
    ) -> tuple[float, float]:
        if not kwargs:
            own = getattr(self, "_outcome_space", None)
            # Only a utility function keeps its range (see kept_extremes).
            own_space = outcome_space is None or outcome_space is own
            keep = own_space and isinstance(self, KeptExtremesMixin)
            kept = self._kept_minmax() if keep else None
            if kept is not None:
                return kept  # type: ignore[no-any-return]
            # A user subclass may not have called Preferences.__init__ (no _outcome_space).
            listed = own if outcome_space is None else outcome_space
            if type(listed) is EnumeratingOutcomeSpace:
                # Only the listed outcomes count, not every combination of its issues'
                # values that a bound computed from the issues would cover.
                found = _listed_minmax(self, listed)
            else:
                found = minmax(self, outcome_space)
            if keep:
                self._keep_minmax(found)
            return found
        issues, outcomes = kwargs.pop("issues", None), kwargs.pop("outcomes", None)
        if kwargs:
            raise TypeError(f"minmax() got unexpected keyword arguments {sorted(kwargs)}")
        if outcomes is not None and not isinstance(outcomes, int):
            if outcome_space is not None or issues is not None:
                raise ValueError("give only one of outcome_space, issues and outcomes")
            utils = self.eval_many(list(outcomes))
            return float(utils.min()), float(utils.max())
        space = resolve_outcome_space(outcome_space, issues, outcomes)
        return minmax(self, space)  # type: ignore[no-any-return]

    wrapped._palaver_space_keywords = True  # type: ignore[attr-defined]
    cls.minmax = wrapped  # type: ignore[attr-defined]


def _listed_minmax(ufun: Any, space: EnumeratingOutcomeSpace) -> tuple[float, float]:
    outcomes = space.enumerate()
    if not outcomes:
        raise OutcomeSpaceError("minmax: the outcome space has no outcomes")
    utils = ufun.eval_many(outcomes)
    return float(utils.min()), float(utils.max())
