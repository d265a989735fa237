"""NegMAS's random table generators: inputs that gave wrong tables silently
(review of session 20)."""

from __future__ import annotations

import math

import pytest

from palaver.preferences import MappingUtilityFunction


@pytest.mark.parametrize("delta", [math.inf, math.nan, -0.1])
def test_generate_bilateral_refuses_a_conflict_delta_that_is_not_finite(delta: float) -> None:
    # inf made the second table all ones (a constant table, no conflict at all).
    with pytest.raises(ValueError, match=r"conflict_delta must be a finite number >= 0"):
        MappingUtilityFunction.generate_bilateral(5, conflict_level=0.9, conflict_delta=delta)


@pytest.mark.parametrize("make", ["generate_random", "generate_bilateral"])
def test_a_repeated_outcome_is_refused(make: str) -> None:
    # The table kept one entry for it (the later draw): a normalized table could
    # then have no outcome at 0 or at 1.
    outcomes = [(1,), (2,), (1,)]
    args = (1, outcomes) if make == "generate_random" else (outcomes,)
    with pytest.raises(ValueError, match=r"outcomes must not repeat an outcome, got \(1,\) twice"):
        getattr(MappingUtilityFunction, make)(*args, seed=3)
