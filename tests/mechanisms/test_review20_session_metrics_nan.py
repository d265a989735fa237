"""Session metrics with a NaN utility (review of session 20): the gaps were
made up, and depended on the parties' order (Python's max/min and NaN)."""

from __future__ import annotations

import math

import pytest

from palaver.mechanisms.negotiator_metrics import calc_negotiator_metrics
from palaver.mechanisms.session_metrics import calc_session_metrics

ORDERS = [[math.nan, 0.5, 0.2], [0.5, math.nan, 0.2], [0.5, 0.2, math.nan]]


@pytest.mark.parametrize("utils", ORDERS)
def test_a_nan_utility_makes_the_gaps_nan_whatever_the_order(utils: list[float]) -> None:
    metrics = calc_session_metrics(utils, [0.0, 0.0, 0.0], relative_time=0.5, last_step=3)
    assert math.isnan(metrics.utility_gap)
    assert math.isnan(metrics.advantage_gap)
    assert math.isnan(metrics.relative_efficiency)
    assert metrics.agreement_reached == 1.0  # what does not read the utilities stays


def test_the_gaps_without_nan_are_unchanged() -> None:
    metrics = calc_session_metrics([0.5, 0.9, 0.2], [0.0, 0.1, 0.0], last_step=2)
    assert metrics.utility_gap == pytest.approx(0.7)
    assert metrics.advantage_gap == pytest.approx(0.8 - 0.2)
    assert metrics.relative_efficiency == pytest.approx(-0.35)


@pytest.mark.parametrize("utils", ORDERS)
def test_dominance_is_nan_when_an_advantage_is_nan(utils: list[float]) -> None:
    # Party 0 with its own NaN was said to lose (-1); a NaN partner was skipped
    # or not by position.
    metrics = calc_negotiator_metrics([], utils, [0.0, 0.0, 0.0], index=0)
    assert math.isnan(metrics.dominance)
    assert calc_negotiator_metrics([], [0.5, 0.2, 0.4], [0.0] * 3, index=0).dominance == 1.0
