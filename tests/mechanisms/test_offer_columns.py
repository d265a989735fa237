"""Mechanism.offer_columns() holds the history's offers, planned segments included."""

from __future__ import annotations

import numpy as np
import pytest

from palaver.mechanisms import SAOMechanism
from palaver.mechanisms.table import outcome_table
from palaver.negotiators import AspirationNegotiator, MiCRO
from palaver.outcomes import make_issue
from palaver.preferences import LinearUtilityFunction


def _mechanism(seed: int, n: int, micro: bool) -> SAOMechanism:
    rng = np.random.default_rng(seed)
    issues = [make_issue(6, "a"), make_issue(5, "b")]
    m = SAOMechanism(issues=issues, n_steps=[1, 4, 30, 200][seed % 4], seed=seed)
    for i in range(n):
        w = list(rng.random(2) * (1 if i % 2 == 0 else -1))
        make = MiCRO if micro and i == 1 else AspirationNegotiator
        m.add(make(ufun=LinearUtilityFunction(w, reserved_value=-9.0), id=f"n{i}"))
    return m


@pytest.mark.parametrize("n", [2, 3])
@pytest.mark.parametrize("micro", [False, True])
@pytest.mark.parametrize("stepwise", [False, True])
def test_offer_columns_equal_the_history(n: int, micro: bool, stepwise: bool) -> None:
    for seed in range(30):
        m = _mechanism(seed, n, micro)
        index = outcome_table(m.outcome_space).index  # type: ignore[union-attr]
        while m.state.running or not m.state.started:
            m.step() if stepwise else m.run()
            rounds, who, outcomes = m.offer_columns()
            history = m.history  # read after the columns: the segments are settled here
            assert rounds.tolist() == [r for r, _, _ in history]
            assert who.tolist() == [int(x[1:]) for _, x, _ in history]
            assert outcomes.tolist() == [index[o] for _, _, o in history]
            assert m.offer_columns()[0].tolist() == rounds.tolist()  # same after settling


def test_history_read_mid_negotiation_keeps_the_order() -> None:
    m = _mechanism(2, 2, False)
    m.step()
    m.step()
    early = list(m.history)
    m.run()
    assert m.history[: len(early)] == early
    assert m.extended_trace == m.history
    assert m.offers == [o for _, _, o in m.history]
    assert m.trace == [(x, o) for _, x, o in m.history]
    assert m.negotiator_offers("n1") == [o for _, x, o in m.history if x == "n1"]
    assert m.nmi.history is m.history


def test_offer_columns_need_an_index_on_a_continuous_space() -> None:
    m = SAOMechanism(issues=[make_issue((0.0, 1.0), "x")], n_steps=5)
    with pytest.raises(ValueError, match="offer_columns"):
        m.offer_columns()


def test_a_pickled_mechanism_keeps_its_planned_offers() -> None:
    import pickle

    for stepwise in (False, True):
        m = _mechanism(6, 2, False)
        m.step() if stepwise else m.run()
        assert m._pending  # planned offers not made into tuples yet
        copy = pickle.loads(pickle.dumps(m))
        if stepwise:
            m.run()
            copy.run()
        assert copy.history == m.history and copy.history
        assert copy.nmi.history == m.history
