"""The outcome ranking's sort and the aspiration negotiator's planned proposals."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from palaver.mechanisms import SAOMechanism
from palaver.negotiators import AspirationNegotiator, ranking
from palaver.negotiators.ranking import stable_argsort
from palaver.outcomes import make_issue
from palaver.preferences import LinearUtilityFunction

_SPECIAL = [0.0, -0.0, 1.0, np.inf, -np.inf, np.nan, 5e-324, 1e308, -1e308]


def _same_as_numpy(values: np.ndarray) -> None:
    expected = np.argsort(values, kind="stable")
    assert np.array_equal(stable_argsort(values), expected)
    # The two passes too, whatever the size above which they are used.
    default = ranking._MIN_TWO_PASS
    ranking._MIN_TWO_PASS = 2
    try:
        assert np.array_equal(stable_argsort(values), expected)
    finally:
        ranking._MIN_TWO_PASS = default


@settings(max_examples=60, deadline=None)
@given(
    arrays(
        np.float64,
        st.integers(0, 2000),
        elements=st.one_of(
            st.floats(allow_nan=True, allow_infinity=True),
            st.sampled_from(_SPECIAL),
            st.integers(-3, 3).map(float),  # many ties
        ),
    )
)
def test_stable_argsort_is_numpys_stable_argsort(values: np.ndarray) -> None:
    _same_as_numpy(values)


def test_stable_argsort_on_utilities_ties_and_odd_inputs() -> None:
    rng = np.random.default_rng(11)
    grid = np.array(np.meshgrid(range(10), range(10), range(10), indexing="ij")).reshape(3, -1).T
    for _ in range(20):
        _same_as_numpy(grid @ rng.normal(size=3))
    for values in (
        np.zeros(1000),
        np.round(rng.random(1000), 2),
        np.r_[np.zeros(500), np.full(500, 5e-324)],  # a span too small to scale
        np.r_[np.full(500, -1e308), np.full(500, 1e308)],  # a span that overflows
        rng.random(1000).astype(np.float32),
        rng.integers(0, 5, 1000),
    ):
        _same_as_numpy(rng.permutation(values))


def test_planned_proposals_equal_bisection_at_every_round() -> None:
    issues = [make_issue(6, "a"), make_issue(6, "b"), make_issue(6, "c")]
    m = SAOMechanism(issues=issues, n_steps=40, seed=2)
    n = AspirationNegotiator(ufun=LinearUtilityFunction([0.3, -0.2, 0.9]))
    m.add(n)
    m.add(AspirationNegotiator(ufun=LinearUtilityFunction([-0.3, 0.2, -0.9])))
    m.step()  # starts: the plan exists
    assert n.ranking is not None
    state = m.state.copy()
    for k in range(40):
        state.step, state.relative_time = k, (k + 1) / 41
        planned = n.propose(state)
        assert planned == n.ranking.at_least(n.utility_at(state.relative_time))
        state.step = 0  # a planned time shown in another round: found by bisection
        assert n.propose(state) == planned
