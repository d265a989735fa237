"""Opponent models that weigh issues by how the partner's offers move between rounds.

NegMAS's three "issue weight" models after Baarslag et al.'s 2016 survey of
opponent modelling (section 5.3.1). Each is a linear-additive estimate
(:class:`~palaver.negotiators.AdditiveFrequencyModel`: a value scores by how
often the partner offered it) whose issue weights come from the changes
between each offer of the partner and its previous one: an issue the partner
keeps still is taken to matter to it. Before the second offer every issue
weighs 1. Each can be a :class:`~palaver.negotiators.NiceTitForTatNegotiator`'s
``opponent_model``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from palaver._util.checks import check_real
from palaver.negotiators.opponent_models import AdditiveFrequencyModel
from palaver.outcomes import Outcome

__all__ = ["ConcessionRatioUFunModel", "KDEWeightUFunModel", "ValueDifferenceUFunModel"]


def _span(grid: Sequence[Any] | None, values: Sequence[Any]) -> float | None:
    """The width of a numeric issue's values (1.0 when 0); ``None`` when not numeric."""
    try:
        numbers = [float(v) for v in (grid if grid is not None else values)]
    except (TypeError, ValueError):
        return None
    width = max(numbers) - min(numbers)
    return width if width > 0 else 1.0


class _SequentialModel(AdditiveFrequencyModel):
    """Keeps the partner's previous offer and hands each pair to :meth:`_step`."""

    default_weight = 1.0

    def __init__(self, above_reserve: bool = True, levels: int = 10) -> None:
        super().__init__(above_reserve, levels)
        self._previous: Outcome | None = None
        self._steps = 0

    def _learn(self, names: list[str], offer: Outcome) -> None:
        previous, self._previous = self._previous, offer
        if previous is not None:
            self._steps += 1
            self._step(names, previous, offer)

    def _distances(self, previous: Outcome, offer: Outcome) -> list[float]:
        """Per issue: the move over the issue's width (numeric), else 0 or 1, at most 1."""
        assert self._issues is not None
        out = []
        for issue, grid, a, b in zip(self._issues, self._grids, previous, offer, strict=True):
            span = _span(grid, issue.all_values if grid is None else ())
            if span is None:
                out.append(0.0 if a == b else 1.0)
            else:
                out.append(min(1.0, abs(float(b) - float(a)) / span))
        return out

    def _step(self, names: list[str], previous: Outcome, offer: Outcome) -> None:
        raise NotImplementedError


class ConcessionRatioUFunModel(_SequentialModel):
    """Weighs an issue by how rarely the partner changes it (Niemann and Lang).

    An issue's weight is ``1 - c``, ``c`` the share of the partner's
    consecutive offer pairs in which that issue's value changed.

    Args:
        above_reserve: Accepted for NegMAS's signature (changes nothing).
        levels: Values per continuous issue (at least 2; default 10).
    """

    def __init__(self, above_reserve: bool = True, levels: int = 10) -> None:
        super().__init__(above_reserve, levels)
        # Not _changes: the preferences keep their own changes under that name.
        self._issue_changes: dict[str, int] = {}

    def _step(self, names: list[str], previous: Outcome, offer: Outcome) -> None:
        for name, a, b in zip(names, previous, offer, strict=True):
            self._issue_changes[name] = self._issue_changes.get(name, 0) + (a != b)
        self._weights = {name: 1.0 - self._issue_changes[name] / self._steps for name in names}


class ValueDifferenceUFunModel(_SequentialModel):
    """Weighs an issue by how little the partner moves it (Carbonneau and Vahidov).

    An issue's weight is ``1 - d``, ``d`` the mean size of the partner's moves
    on it between consecutive offers: the change over the issue's width for a
    numeric issue, 0 or 1 (changed) for a categorical one.

    Args:
        above_reserve: Accepted for NegMAS's signature (changes nothing).
        levels: Values per continuous issue (at least 2; default 10).
    """

    def __init__(self, above_reserve: bool = True, levels: int = 10) -> None:
        super().__init__(above_reserve, levels)
        self._moved: dict[str, float] = {}

    def _step(self, names: list[str], previous: Outcome, offer: Outcome) -> None:
        for name, d in zip(names, self._distances(previous, offer), strict=True):
            self._moved[name] = self._moved.get(name, 0.0) + d
        self._weights = {name: 1.0 - self._moved[name] / self._steps for name in names}


class KDEWeightUFunModel(_SequentialModel):
    """Weighs an issue by how likely the partner is to keep it nearly still (Coehoorn and Jennings).

    The partner's moves on an issue between consecutive offers (sizes as in
    :class:`ValueDifferenceUFunModel`) are smoothed with a Gaussian kernel
    density estimate (Scott's bandwidth, as ``scipy.stats.gaussian_kde``); the
    issue's weight is the estimate's probability of a move of at most
    ``threshold``. While an issue's moves are fewer than two or all equal, its
    weight is 1 minus their mean.

    Args:
        above_reserve: Accepted for NegMAS's signature (changes nothing).
        levels: Values per continuous issue (at least 2; default 10).
        threshold: The largest move that counts as keeping still (default 0.1).
    """

    def __init__(
        self, above_reserve: bool = True, levels: int = 10, threshold: float = 0.1
    ) -> None:
        super().__init__(above_reserve, levels)
        self.threshold = check_real("threshold", threshold)
        self._moves: dict[str, list[float]] = {}

    def _step(self, names: list[str], previous: Outcome, offer: Outcome) -> None:
        for name, d in zip(names, self._distances(previous, offer), strict=True):
            self._moves.setdefault(name, []).append(d)
        self._weights = {name: self._still(self._moves[name]) for name in names}

    def _still(self, moves: list[float]) -> float:
        """The kernel estimate's probability of a move in ``[0, threshold]``."""
        n = len(moves)
        mean = sum(moves) / n
        variance = sum((m - mean) ** 2 for m in moves) / (n - 1) if n > 1 else 0.0
        if n < 2 or variance <= 1e-12:
            return 1.0 - mean
        sigma = math.sqrt(variance) * n ** (-1 / 5)

        def below(x: float, m: float) -> float:
            return 0.5 * (1.0 + math.erf((x - m) / (sigma * math.sqrt(2.0))))

        mass = sum(below(self.threshold, m) - below(0.0, m) for m in moves) / n
        return min(1.0, max(0.0, mass))
