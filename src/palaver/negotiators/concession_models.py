"""Models of a partner's concession: its reservation value, deadline and future offers.

NegMAS's ``negmas.models`` reservation-value, deadline and offering-strategy
models (from Baarslag et al.'s 2016 survey of opponent modelling). Each one is
fed ``update(relative_time, opponent_utility)`` once per partner offer: the
relative time of the offer (0 at the start, 1 at the deadline) and what that
offer is worth to the partner, estimated (an opponent model's ``eval``) or any
proxy that moves with its concession. Utilities are taken to lie in [0, 1].
They are plain estimators: nothing here reads a mechanism, so a negotiator
calls them from ``respond`` (or an offering policy) with what it believes.

A bad observation or forecast time (a time or utility that is not a finite
number) is a ``ValueError`` naming it and its value: a NaN would otherwise
poison every later estimate, or be clipped into a plausible-looking forecast.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from numbers import Real

import numpy as np

__all__ = [
    "BayesianReservationValueModel",
    "ConcessionExtrapolatingDeadlineModel",
    "ConcessionExtrapolatingReservationModel",
    "DeadlineModel",
    "DerivativeOfferingModel",
    "MarkovChainOfferingModel",
    "OpponentOfferingModel",
    "PolynomialOfferingModel",
    "ReservationValueModel",
]


def _clip01(value: float) -> float:
    return float(min(1.0, max(0.0, value)))


def _finite(where: str, name: str, value: object) -> float:
    """``value`` as a float; a ``ValueError`` naming ``where``, ``name`` and the value
    when it is not a finite real number (a bool is not a number here)."""
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        raise ValueError(f"{where}: {name} must be a finite number, got {value!r:.60}")
    return float(value)


def _positive_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    return value


class _Observations:
    """The ``(relative_time, opponent_utility)`` pairs a model was fed, in order."""

    def __init__(self) -> None:
        self._times: list[float] = []
        self._utils: list[float] = []

    def update(self, relative_time: float, opponent_utility: float) -> None:
        """Record one partner offer: when it came and what it is worth to the partner."""
        where = f"{type(self).__name__}.update"
        t = _finite(where, "relative_time", relative_time)
        u = _finite(where, "opponent_utility", opponent_utility)
        self._times.append(t)
        self._utils.append(u)

    @property
    def n_observations(self) -> int:
        """How many offers were recorded."""
        return len(self._times)

    def _line(self) -> tuple[float, float]:
        """Slope and intercept of the least-squares line through the observations."""
        slope, intercept = np.polyfit(np.asarray(self._times), np.asarray(self._utils), 1)
        return float(slope), float(intercept)


class ReservationValueModel(_Observations, ABC):
    """Estimates the utility below which the partner would rather not agree."""

    @abstractmethod
    def predict_reservation(self) -> float:
        """The estimated reservation value in [0, 1]; NaN while evidence is too thin."""


class ConcessionExtrapolatingReservationModel(ReservationValueModel):
    """The partner's concession line (least squares), read at the deadline (t = 1).

    Args:
        min_observations: Offers needed before estimating (NaN before).
    """

    def __init__(self, min_observations: int = 3) -> None:
        super().__init__()
        self.min_observations = _positive_int("min_observations", min_observations)

    def predict_reservation(self) -> float:
        """The line's value at t = 1, clipped to [0, 1]."""
        if self.n_observations < max(2, self.min_observations):
            return math.nan
        slope, intercept = self._line()
        return _clip01(slope + intercept)


class BayesianReservationValueModel(ReservationValueModel):
    """A posterior over a grid of candidate reservation values (Zeng and Sycara).

    Under candidate ``v`` the partner is taken to concede linearly from its first
    offer's utility ``u0`` to ``v`` at the deadline, so an offer at time ``t``
    should be worth ``v + (u0 - v)(1 - t)``; each offer multiplies a candidate's
    weight by a Gaussian likelihood (``sigma``) of the gap, and a candidate
    above an offer's utility is ruled out. The estimate is the posterior mean.

    Args:
        candidates: Number of candidate values, evenly spread over [0, 1].
        sigma: The likelihood's standard deviation (> 0).
        min_observations: Offers needed before estimating (NaN before).
    """

    def __init__(
        self, candidates: int = 21, sigma: float = 0.15, min_observations: int = 2
    ) -> None:
        super().__init__()
        if not (isinstance(sigma, int | float) and sigma > 0 and math.isfinite(sigma)):
            raise ValueError(f"sigma must be a finite number > 0, got {sigma!r}")
        self.sigma = float(sigma)
        self.min_observations = _positive_int("min_observations", min_observations)
        self._grid = np.linspace(0.0, 1.0, _positive_int("candidates", candidates))
        self._log_weights = np.zeros(len(self._grid))

    def update(self, relative_time: float, opponent_utility: float) -> None:
        """Record the offer and reweigh the candidates."""
        super().update(relative_time, opponent_utility)
        t, u = self._times[-1], self._utils[-1]
        first = self._utils[0]
        gap = (u - (self._grid + (first - self._grid) * (1.0 - t))) / self.sigma
        self._log_weights -= 0.5 * gap * gap
        # Offering below a candidate contradicts it (kept finite: a ruled-out grid stays usable).
        self._log_weights[self._grid > u + 1e-9] -= 1e6

    def predict_reservation(self) -> float:
        """The posterior mean of the candidates."""
        if self.n_observations < self.min_observations:
            return math.nan
        weights = np.exp(self._log_weights - self._log_weights.max())
        return float((weights * self._grid).sum() / weights.sum())


class DeadlineModel(_Observations, ABC):
    """Estimates the relative time at which the partner reaches its reservation value.

    Args:
        reserved_value: The partner's (estimated) reservation value.
    """

    def __init__(self, reserved_value: float = 0.0) -> None:
        super().__init__()
        self.reserved_value = _finite(type(self).__name__, "reserved_value", reserved_value)

    @abstractmethod
    def predict_deadline(self) -> float:
        """The estimated deadline as a relative time (>= 1: not before ours;
        ``inf``: not enough evidence or no concession seen)."""


class ConcessionExtrapolatingDeadlineModel(DeadlineModel):
    """Where the partner's concession line (least squares) meets its reservation value.

    Args:
        reserved_value: The partner's (estimated) reservation value.
        min_observations: Offers needed before estimating (``inf`` before).
    """

    def __init__(self, reserved_value: float = 0.0, min_observations: int = 3) -> None:
        super().__init__(reserved_value)
        self.min_observations = _positive_int("min_observations", min_observations)

    def predict_deadline(self) -> float:
        """The crossing time; the last offer's time when the line crossed already;
        ``inf`` while the partner does not concede."""
        if self.n_observations < max(2, self.min_observations):
            return math.inf
        slope, intercept = self._line()
        if slope >= -1e-9:
            return math.inf
        return max(self._times[-1], (self.reserved_value - intercept) / slope)


class OpponentOfferingModel(_Observations, ABC):
    """Forecasts what the partner's offers will be worth to it at a later time."""

    def _last(self) -> float:
        return self._utils[-1] if self._utils else 0.0

    def _time(self, relative_time: float) -> float:
        """The forecast time, checked: a NaN or infinite one was clipped into a forecast."""
        return _finite(f"{type(self).__name__}.predict_utility", "relative_time", relative_time)

    @abstractmethod
    def predict_utility(self, relative_time: float) -> float:
        """The forecast utility of the partner's offer at ``relative_time``."""


class PolynomialOfferingModel(OpponentOfferingModel):
    """A least-squares polynomial through the partner's concession (Papaioannou et al.).

    Args:
        degree: The polynomial's degree (at most one less than the offers seen).
        min_observations: Offers needed before fitting (default ``degree + 1``);
            before, the last offer's utility (0 with none).
    """

    def __init__(self, degree: int = 3, min_observations: int | None = None) -> None:
        super().__init__()
        self.degree = _positive_int("degree", degree)
        self.min_observations = (
            degree + 1
            if min_observations is None
            else _positive_int("min_observations", min_observations)
        )

    def predict_utility(self, relative_time: float) -> float:
        """The polynomial at ``relative_time``, clipped to [0, 1]."""
        relative_time = self._time(relative_time)
        n = self.n_observations
        if n < max(2, self.min_observations):
            return self._last()
        coefficients = np.polyfit(
            np.asarray(self._times), np.asarray(self._utils), min(self.degree, n - 1)
        )
        return _clip01(float(np.polyval(coefficients, relative_time)))


class DerivativeOfferingModel(OpponentOfferingModel):
    """A second-order Taylor step from the last offer (Brzostowski et al.).

    The first derivative comes from the last two offers, the second from the
    last three; with fewer than ``min_observations`` offers the step is linear.

    Args:
        min_observations: Offers needed for the second-order step (>= 3 to have one).
    """

    def __init__(self, min_observations: int = 3) -> None:
        super().__init__()
        self.min_observations = _positive_int("min_observations", min_observations)

    def predict_utility(self, relative_time: float) -> float:
        """The extrapolated utility at ``relative_time``, clipped to [0, 1] (the last
        offer's for a time not after it)."""
        relative_time = self._time(relative_time)
        n, t, u = self.n_observations, self._times, self._utils
        if n < 2:
            return self._last()
        ahead = relative_time - t[-1]
        if ahead <= 0:
            return _clip01(u[-1])
        slope = (u[-1] - u[-2]) / (t[-1] - t[-2]) if t[-1] != t[-2] else 0.0
        if n < max(3, self.min_observations):
            return _clip01(u[-1] + slope * ahead)
        earlier = (u[-2] - u[-3]) / (t[-2] - t[-3]) if t[-2] != t[-3] else slope
        span = t[-1] - t[-3]
        curvature = (slope - earlier) / span if span != 0 else 0.0
        return _clip01(u[-1] + slope * ahead + 0.5 * curvature * ahead * ahead)

    def time_influence(self) -> float:
        """How consistently the partner's utility moved one way, in [0, 1] (1: every
        change had the same sign); NaN with fewer than three offers."""
        if self.n_observations < 3:
            return math.nan
        changes = np.diff(np.asarray(self._utils))
        changes = changes[np.abs(changes) > 1e-12]
        if not len(changes):
            return 1.0
        up = int((changes > 0).sum())
        return max(up, len(changes) - up) / len(changes)


class MarkovChainOfferingModel(OpponentOfferingModel):
    """A Markov chain over utility bins of the partner's offers (Narayanan and Jennings).

    Utilities fall into ``n_states`` equal bins of [0, 1]; transitions between
    consecutive offers are counted (each count starting at ``alpha``, Laplace's
    smoothing) and the chain is rolled forward from the last offer's bin. A bin
    stands for its centre.

    Args:
        n_states: Number of bins.
        alpha: The pseudo-count of every transition (>= 0).
    """

    def __init__(self, n_states: int = 10, alpha: float = 1.0) -> None:
        super().__init__()
        self.n_states = _positive_int("n_states", n_states)
        if not (isinstance(alpha, int | float) and alpha >= 0 and math.isfinite(alpha)):
            raise ValueError(f"alpha must be a finite number >= 0, got {alpha!r}")
        self.alpha = float(alpha)
        self._counts = np.zeros((n_states, n_states))
        self._centres = (np.arange(n_states) + 0.5) / n_states
        self._state: int | None = None

    def update(self, relative_time: float, opponent_utility: float) -> None:
        """Record the offer and the transition into its bin."""
        super().update(relative_time, opponent_utility)
        state = min(self.n_states - 1, max(0, int(self._utils[-1] * self.n_states)))
        if self._state is not None:
            self._counts[self._state, state] += 1
        self._state = state

    def _transitions(self) -> np.ndarray:
        counts = self._counts + self.alpha
        totals = counts.sum(axis=1, keepdims=True)
        # alpha 0 and a bin never left: stay in it.
        return np.where(totals > 0, counts / np.where(totals > 0, totals, 1), np.eye(self.n_states))

    def predict_next_utility(self) -> float:
        """The expected utility of the partner's next offer (the last one's before any)."""
        if self._state is None:
            return self._last()
        return float(self._transitions()[self._state] @ self._centres)

    def predict_utility(self, relative_time: float) -> float:
        """The expected utility after as many offers as fit before ``relative_time`` at
        the partner's average pace (the last offer's for a time not after it)."""
        relative_time = self._time(relative_time)
        t = self._times
        if self._state is None or len(t) < 2:
            return self._last()
        pace = (t[-1] - t[0]) / (len(t) - 1)
        ahead = relative_time - t[-1]
        if ahead <= 0 or pace <= 0:
            return self._utils[-1]
        steps = max(1, round(ahead / pace))
        distribution = np.linalg.matrix_power(self._transitions(), steps)[self._state]
        return float(distribution @ self._centres)
