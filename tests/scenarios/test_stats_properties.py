"""Scenario statistics against brute force on random utility tables."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from palaver import MappingUtilityFunction, Scenario, make_issue, make_os

utility = st.integers(0, 6).map(float)  # small integers: many ties, exact arithmetic


@st.composite
def tables(draw: st.DrawFn) -> Scenario:
    k = draw(st.integers(2, 3))
    n = draw(st.integers(1, 12))
    rows = [tuple(draw(utility) for _ in range(k)) for _ in range(n)]
    reserved = [draw(st.sampled_from([0.0, 1.0, 2.5, -math.inf])) for _ in range(k)]
    space = make_os([make_issue(n, "k")])
    ufuns = [
        MappingUtilityFunction({(i,): r[j] for i, r in enumerate(rows)}, reserved_value=reserved[j])
        for j in range(k)
    ]
    return Scenario(space, ufuns)


def dominated(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.all(b >= a) and np.any(b > a))


@settings(max_examples=150, deadline=None)
@given(tables())
def test_stats_match_brute_force(s: Scenario) -> None:
    u = s.utilities
    n, k = u.shape
    st_ = s.stats
    front = {i for i in range(n) if not any(dominated(u[i], u[j]) for j in range(n))}
    assert set(st_.pareto_indices.tolist()) == front
    d = np.array(
        [r if math.isfinite(r) else u[:, j].min() for j, r in enumerate(s.reserved_values)]
    )
    rational = [i for i in sorted(front) if np.all(u[i] >= d)]
    if not rational:
        assert st_.nash is None and st_.kalai is None and st_.kalai_smorodinsky is None
    else:
        assert st_.nash is not None and st_.kalai is not None and st_.kalai_smorodinsky is not None
        gains = {i: u[i] - d for i in rational}
        best_product = max(np.prod(g) for g in gains.values())
        assert np.prod(gains[st_.nash.index]) == best_product
        best_min = max(g.min() for g in gains.values())
        assert gains[st_.kalai.index].min() == best_min
        top = np.max(np.array(list(gains.values())), axis=0)

        def share(g: np.ndarray) -> float:
            ratios = [g[j] / top[j] for j in range(k) if top[j] > 0]
            return min(ratios) if ratios else math.inf

        assert share(gains[st_.kalai_smorodinsky.index]) == max(share(g) for g in gains.values())
        # NegMAS's variants: no reserved value subtracted, and relative welfare.
        assert st_.modified_kalai is not None and st_.modified_kalai_smorodinsky is not None
        assert u[st_.modified_kalai.index].min() == max(u[i].min() for i in rational)
        hi_all = u.max(axis=0)

        def raw_share(i: int) -> float:
            return min(u[i][j] / hi_all[j] if hi_all[j] > 0 else u[i][j] for j in range(k))

        assert math.isclose(
            raw_share(st_.modified_kalai_smorodinsky.index), max(raw_share(i) for i in rational)
        )
        e = np.maximum(d, u.min(axis=0))
        width = np.where(hi_all - e > 0, hi_all - e, 1.0)
        rel = {i: float(((u[i] - e) / width).sum()) for i in rational}
        assert {p.index for p in st_.max_relative_welfare} == {
            i for i, v in rel.items() if math.isclose(v, max(rel.values()))
        }
        assert st_.modified_ks_utils == [st_.modified_kalai_smorodinsky.utilities]
        assert st_.max_relative_welfare_outcomes == [p.outcome for p in st_.max_relative_welfare]
    if not rational:
        assert st_.modified_kalai is None and st_.max_relative_welfare == ()
        assert st_.modified_kalai_utils == [] and st_.max_relative_welfare_utils == []
    assert st_.has_pareto_frontier == bool(front)
    welfare = u.sum(axis=1)
    assert {p.index for p in st_.max_welfare} == set(np.flatnonzero(welfare == welfare.max()))
    lo, hi = u.min(axis=0), u.max(axis=0)
    scaled = np.where(hi > lo, (u - lo) / np.where(hi > lo, hi - lo, 1), 1.0)
    best = min(math.dist(row, [1.0] * k) for row in scaled)
    assert math.isclose(st_.opposition, best)
    assert st_.rational_fraction == np.mean([np.all(row >= d) for row in u])
    for perm_k in range(1, k):
        r = s.rotate_ufuns(perm_k).stats
        assert set(r.pareto_indices.tolist()) == front
    assert list(st_.pareto_outcomes) == [s.outcomes[i] for i in st_.pareto_indices]
