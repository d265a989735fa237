"""The ranking's two-pass sort when the scaled top value lands a hair above the top key."""

from __future__ import annotations

import numpy as np

from palaver.negotiators.ranking import stable_argsort


def test_a_top_key_rounded_above_the_last_level_still_sorts_stably() -> None:
    lo, hi = 3.3675362604319474e-05, 4.960312135953229e-05
    span = hi - lo
    # The case itself: scaling the top value overshoots 65535 by an ulp.
    assert (np.array([hi]) - lo)[0] * (65535.0 / span) > 65535.0
    rng = np.random.default_rng(5)
    inside = lo + span * rng.random(998)
    values = rng.permutation(np.r_[inside, inside[:100], lo, hi, hi])
    assert np.array_equal(stable_argsort(values), np.argsort(values, kind="stable"))
