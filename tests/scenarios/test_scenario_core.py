"""Scenario: construction, cached statistics, rotation, normalisation, bad input."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest

from palaver import (
    LinearAdditiveUtilityFunction,
    LinearUtilityFunction,
    MappingUtilityFunction,
    Scenario,
    kalai_point,
    make_issue,
    make_os,
    nash_point,
    pareto_frontier,
)
from palaver.scenarios import AffineUtilityFunction, ScenarioError


def table_scenario(utils: list[tuple[float, float]], reserved=(0.0, 0.0)) -> Scenario:
    """A one-issue scenario whose outcome ``k`` gives ``utils[k]``."""
    space = make_os([make_issue(len(utils), "k")])
    ufuns = [
        MappingUtilityFunction({(k,): u[i] for k, u in enumerate(utils)}, reserved_value=r)
        for i, r in enumerate(reserved)
    ]
    return Scenario(space, ufuns, name="table")


def two_issue() -> Scenario:
    space = make_os([make_issue(["a", "b", "c"], "x"), make_issue(5, "y")])
    u0 = LinearAdditiveUtilityFunction(
        {"x": {"a": 0, "b": 0.5, "c": 1}, "y": None}, {"x": 0.6, "y": 0.025}, reserved_value=0.2
    )
    u1 = LinearAdditiveUtilityFunction(
        {"x": {"a": 1, "b": 0.3, "c": 0}, "y": lambda v: 1 - v / 4},
        {"x": 0.5, "y": 0.5},
        reserved_value=0.1,
    )
    return Scenario(space, [u0, u1], name="two", info={"roles": ["buyer", "seller"]})


def test_attributes_named_as_negmas() -> None:
    s = two_issue()
    assert s.outcome_space.issue_names == ["x", "y"]
    assert len(s.ufuns) == s.n_negotiators == 2
    assert s.n_issues == 2 and s.n_outcomes == 15
    assert s.reserved_values == (0.2, 0.1)
    assert s.discount_factors == (1.0, 1.0)
    assert s.ufun_names == ("u0", "u1")
    assert s.name == "two" and s.info == {"roles": ["buyer", "seller"]}
    assert all(u.outcome_space == s.outcome_space for u in s.ufuns)


def test_utilities_match_each_ufun_and_are_read_only() -> None:
    s = two_issue()
    utils = s.utilities
    assert utils.shape == (15, 2)
    for row, outcome in zip(utils, s.outcomes, strict=True):
        assert tuple(row) == pytest.approx((s.ufuns[0](outcome), s.ufuns[1](outcome)))
    with pytest.raises(ValueError):
        utils[0, 0] = 5.0
    assert s.utilities is utils  # cached


def test_stats_agree_with_the_preferences_solution_concepts() -> None:
    s = two_issue()
    st = s.stats
    assert s.stats is st  # cached
    front = pareto_frontier(list(s.ufuns))
    assert [p.outcome for p in front] == list(st.pareto_outcomes)
    assert np.allclose(st.pareto_utils, [p.utilities for p in front])
    assert st.nash is not None and st.nash.outcome == nash_point(list(s.ufuns)).outcome
    ks = kalai_point(list(s.ufuns))
    assert st.kalai_smorodinsky is not None and ks is not None
    assert st.kalai_smorodinsky.outcome == ks.outcome
    assert np.allclose(st.utility_ranges, [(0.0, 0.7), (0.0, 1.0)])
    assert st.nash_utils == [st.nash.utilities] and st.ks_outcomes == [ks.outcome]


def test_kalai_is_egalitarian_and_differs_from_kalai_smorodinsky() -> None:
    # Frontier (10, 1), (8, 2), (4, 3), (0, 4), reserved 0. Egalitarian (the
    # largest smallest gain): mins 1, 2, 3, 0 -> (4, 3). KS (best gains 10 and
    # 4): shares (1, .25), (.8, .5), (.4, .75), (0, 1) -> (8, 2). Nash:
    # products 10, 16, 12, 0 -> (8, 2).
    st = table_scenario([(10, 1), (8, 2), (4, 3), (0, 4), (1, 1)]).stats
    assert st.kalai is not None and st.kalai.utilities == (4.0, 3.0)
    assert st.kalai_smorodinsky is not None and st.kalai_smorodinsky.utilities == (8.0, 2.0)
    assert st.nash is not None and st.nash.utilities == (8.0, 2.0)
    assert st.rational_fraction == 1.0
    # A reserved value moves the candidates: only (4, 3) and (0, 4) give party 1 >= 3.
    moved = table_scenario([(10, 1), (8, 2), (4, 3), (0, 4)], reserved=(0.0, 3.0)).stats
    assert moved.nash is not None and moved.nash.utilities == (4.0, 3.0)
    assert moved.rational_fraction == pytest.approx(0.5)


def test_max_welfare_keeps_ties() -> None:
    st = table_scenario([(1, 2), (2, 1), (0, 0)]).stats
    assert sorted(p.index for p in st.max_welfare) == [0, 1]
    assert st.max_welfare_utils == [(1.0, 2.0), (2.0, 1.0)]


def test_opposition_definition() -> None:
    # Linear zero-sum split: nearest normalised point to (1, 1) is (.5, .5).
    n = 11
    zs = table_scenario([(k / (n - 1), 1 - k / (n - 1)) for k in range(n)])
    assert zs.stats.opposition == pytest.approx(math.sqrt(0.5))
    # One outcome best for both: no opposition.
    assert table_scenario([(1, 1), (0, 0.5)]).stats.opposition == 0.0
    # Opposition does not depend on reserved values (unlike NegMAS's, which skips
    # irrational outcomes).
    moved = zs.with_reserved_values([0.9, 0.9])
    assert moved.stats.opposition == zs.stats.opposition


def test_no_rational_outcome_gives_no_points() -> None:
    st = table_scenario([(1, 0), (0, 1)], reserved=(0.8, 0.8)).stats
    assert st.nash is None and st.kalai is None and st.kalai_smorodinsky is None
    assert st.nash_utils == [] and st.rational_fraction == 0.0
    assert len(st.pareto_indices) == 2


def test_changing_a_reserved_value_in_place_recomputes_stats() -> None:
    s = table_scenario([(10, 1), (6, 4), (3, 5), (0, 6)])
    assert s.stats.nash is not None and s.stats.nash.utilities == (6.0, 4.0)
    s.ufuns[1].reserved_value = 3.5
    assert s.stats.nash is not None and s.stats.nash.utilities == (3.0, 5.0)


def test_pareto_distance() -> None:
    st = table_scenario([(1, 0), (0, 1), (0, 0)]).stats
    assert st.pareto_distance([1.0, 0.0]) == 0.0
    assert st.pareto_distance([0.0, 0.0]) == pytest.approx(1.0)
    assert np.allclose(st.pareto_distance(np.array([[1, 0], [0.5, 0.5]])), [0, math.sqrt(0.5)])
    with pytest.raises(ValueError, match="2 values"):
        st.pareto_distance([1.0, 2.0, 3.0])


def test_rotation_moves_everything_of_a_role() -> None:
    s = two_issue()
    s.ufuns  # noqa: B018
    u0, u1 = s.ufuns
    base_stats = s.stats
    r = s.rotate_ufuns(1)
    assert r.ufuns == (u1, u0)
    assert r.reserved_values == (0.1, 0.2)
    assert r.ufun_names == ("u1", "u0")
    assert r.info["roles"] == ["seller", "buyer"]
    assert np.array_equal(r.utilities, s.utilities[:, ::-1])
    assert r.stats.nash is not None and base_stats.nash is not None
    assert r.stats.nash.outcome == base_stats.nash.outcome
    assert r.stats.nash.utilities == base_stats.nash.utilities[::-1]
    assert s.rotated(2).ufuns == s.ufuns and s.rotate_ufuns(-1).ufuns == r.ufuns
    assert [x.ufuns for x in s.rotations()] == [(u0, u1), (u1, u0)]
    assert s.ufuns == (u0, u1)  # unchanged


def test_three_party_rotation_goes_right() -> None:
    space = make_os([make_issue(3, "k")])
    ufuns = [LinearUtilityFunction([w], reserved_value=w) for w in (1.0, 2.0, 3.0)]
    s = Scenario(space, ufuns, discount_factors=[0.5, 0.6, 0.7])
    r = s.rotate_ufuns(1)
    assert r.reserved_values == (3.0, 1.0, 2.0)
    assert r.discount_factors == (0.7, 0.5, 0.6)


def test_normalize_maps_onto_the_range_and_keeps_rationality() -> None:
    s = two_issue()
    before = s.utilities
    rational = (before >= s.reserved_values).all(axis=1)
    # NegMAS's default check (common range, best of all at 1, none below 0)
    # already holds: u1 spans [0, 1] and u0 [0, .7]; each does not span [0, 1].
    assert s.is_normalized() and not s.is_normalized(to=(0.0, 1.0), common_range=False)
    assert not s.is_normalized(to=(0.0, 1.0), common_range=False)
    # NegMAS's default: one scale for both (u0 spans [0, .7], u1 [0, 1], so
    # the scale is 1), each shifted so that its best outcome is worth 1.
    n = s.copy().normalize()
    assert n.is_normalized() and n.is_normalized(to=(0.0, 1.0))
    assert not n.is_normalized(to=(0.0, 1.0), common_range=False)
    assert n.utilities.min(axis=0) == pytest.approx([0.3, 0])
    assert n.utilities.max(axis=0) == pytest.approx([1, 1])
    assert n.reserved_values == pytest.approx((0.5, 0.1))
    assert np.array_equal(rational, (n.utilities >= n.reserved_values).all(axis=1))
    assert all(type(u) is LinearAdditiveUtilityFunction for u in n.ufuns)
    # Each party on its own: u0's reserved value .2 maps to .2 / .7.
    ind = s.copy().normalize(common_range=False)
    assert ind.utilities.min(axis=0) == pytest.approx([0, 0])
    assert ind.utilities.max(axis=0) == pytest.approx([1, 1])
    assert ind.reserved_values == pytest.approx((0.2 / 0.7, 0.1))
    assert np.array_equal(rational, (ind.utilities >= ind.reserved_values).all(axis=1))
    wide = s.copy().normalize(to=(-1.0, 1.0), common_range=False)
    assert wide.is_normalized(to=(-1.0, 1.0), positive=False, common_range=False)
    assert np.array_equal(s.utilities, before)  # every copy left s as it was


def test_normalize_wraps_callables_and_keeps_other_kinds() -> None:
    space = make_os([make_issue(4, "k")])
    s = Scenario(
        space,
        [
            MappingUtilityFunction(lambda o: 2.0 * o[0] + 1, reserved_value=2.0),
            LinearUtilityFunction([-3.0], bias=2.0),
        ],
    )
    # Ranges [1, 7] and [-7, 2]: one scale 1 / 14, each best moved to 1.
    n = s.normalize()
    assert isinstance(n.ufuns[0], AffineUtilityFunction)
    assert type(n.ufuns[1]) is LinearUtilityFunction
    assert n.ufuns[0]((3,)) == pytest.approx(1.0) and n.ufuns[0]((0,)) == pytest.approx(1 - 6 / 14)
    assert n.ufuns[0].reserved_value == pytest.approx(1 - 5 / 14)
    assert n.ufuns[1]((0,)) == pytest.approx(1.0) and n.ufuns[1]((3,)) == pytest.approx(1 - 9 / 14)
    assert n.ufuns[0].minmax() == pytest.approx((1 - 6 / 14, 1.0))


def test_normalize_a_constant_party_goes_to_the_top() -> None:
    s = table_scenario([(1.0, 2.0), (1.0, 0.0)])
    n = s.normalize(common_range=False)
    assert np.allclose(n.utilities[:, 0], [1.0, 1.0])


def test_with_reserved_values_leaves_the_original_removals_change_it() -> None:
    s = two_issue()
    t = s.with_reserved_values([0.5, 0.6])
    assert t.reserved_values == (0.5, 0.6) and s.reserved_values == (0.2, 0.1)
    assert s.remove_reserved_values() is s
    assert s.reserved_values == (-math.inf, -math.inf)
    d = Scenario(s.outcome_space, s.ufuns, discount_factors=[0.5, 0.9])
    assert d.remove_discounting() is d and d.discount_factors == (1.0, 1.0)
    with pytest.raises(ScenarioError, match="value #1"):
        s.with_reserved_values([0.1, "x"])  # type: ignore[list-item]


def test_discounted_utility_follows_genius() -> None:
    s = Scenario(two_issue().outcome_space, two_issue().ufuns, discount_factors=[0.5, 1.0])
    o = ("c", 4)
    assert s.discounted_utility(0, o, 0.0) == pytest.approx(s.ufuns[0](o))
    assert s.discounted_utility(0, o, 1.0) == pytest.approx(0.5 * s.ufuns[0](o))
    assert s.discounted_utility(0, None, 1.0) == pytest.approx(0.1)
    with pytest.raises(ValueError, match="time"):
        s.discounted_utility(0, o, 2.0)


def test_continuous_and_astronomic_spaces_are_refused_before_enumeration() -> None:
    space = make_os([make_issue((0.0, 1.0), "price"), make_issue(3, "q")])
    s = Scenario(space, [LinearUtilityFunction([1.0, 0.0]), LinearUtilityFunction([-1.0, 1.0])])
    with pytest.raises(ScenarioError, match=r"\['price'\] are continuous.*discretise"):
        s.stats  # noqa: B018
    d = s.discretize(11)
    assert d is s and d.n_outcomes == 33 and d.stats.n_outcomes == 33
    huge = make_os([make_issue(1000, f"i{j}") for j in range(4)])
    big = Scenario(huge, [LinearUtilityFunction([1.0] * 4), LinearUtilityFunction([-1.0] * 4)])
    with pytest.raises(ScenarioError, match=r"1,000,000,000,000 outcomes.*sample"):
        big.outcomes  # noqa: B018
    with pytest.raises(ScenarioError, match="max_outcomes=10"):
        two_issue().calc_stats(max_outcomes=10)


def test_sampled_stats_for_large_or_continuous_spaces() -> None:
    space = make_os([make_issue((0.0, 1.0), "price")])
    s = Scenario(space, [LinearUtilityFunction([1.0]), LinearUtilityFunction([-1.0], bias=1.0)])
    st = s.calc_stats(sample=500, seed=3)
    assert st.sampled and st.n_outcomes == 500
    again = s.calc_stats(sample=500, seed=3)
    assert again.pareto_outcomes == st.pareto_outcomes
    assert st.opposition == pytest.approx(math.sqrt(0.5), abs=0.01)
    assert s.stats is again
    with pytest.raises(ScenarioError, match="sample must be a positive int"):
        s.calc_stats(sample=0)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"ufuns": []}, "ufuns is empty"),
        ({"ufuns": [object()]}, r"ufuns\[0\] is not a UtilityFunction"),
        ({"discount_factors": [1.0]}, "1 discount_factors for 2 ufuns"),
        ({"discount_factors": [1.0, 0.0]}, r"discount_factors\[1\] = 0.0"),
        ({"ufun_names": ["a", "a"]}, "distinct"),
        ({"name": 3}, "name must be a string"),
        ({"info": [1]}, "info must be a dict"),
    ],
)
def test_bad_construction_raises_scenario_error(kwargs: dict, match: str) -> None:
    base = two_issue()
    args = {"outcome_space": base.outcome_space, "ufuns": list(base.ufuns), **kwargs}
    with pytest.raises(ScenarioError, match=match):
        Scenario(**args)


def test_ufun_over_another_space_is_refused() -> None:
    other = LinearUtilityFunction([1.0], outcome_space=make_os([make_issue(3, "z")]))
    with pytest.raises(ScenarioError, match=r"ufuns\[1\] is defined over issues"):
        Scenario(two_issue().outcome_space, [two_issue().ufuns[0], other])
    assert issubclass(ScenarioError, ValueError)


def test_ufun_without_space_is_copied_not_changed() -> None:
    u = LinearUtilityFunction([1.0])
    s = Scenario([make_issue(3, "k")], [u, LinearUtilityFunction([-1.0])])
    assert u.outcome_space is None and s.ufuns[0].outcome_space == s.outcome_space


def test_pickles_with_its_cache() -> None:
    s = two_issue()
    s.ufuns[1].__class__  # noqa: B018
    plain = Scenario(
        s.outcome_space,
        [s.ufuns[0], LinearUtilityFunction([0.0, -1.0], outcome_space=s.outcome_space)],
    )
    plain.stats  # noqa: B018
    back = pickle.loads(pickle.dumps(plain))
    assert np.array_equal(back.utilities, plain.utilities)
    assert back.stats.nash == plain.stats.nash


def test_rotated_stats_equal_recomputed_ones() -> None:
    from palaver.scenarios.generators import anl_scenarios

    for s in anl_scenarios(8, n_outcomes=300, seed=5):
        s.stats  # noqa: B018
        for k in (1, 2):
            fast = s.rotate_ufuns(k).stats
            slow = Scenario(
                s.outcome_space, list(s.rotate_ufuns(k).ufuns), name=s.name
            ).calc_stats()
            assert np.array_equal(fast.pareto_indices, slow.pareto_indices)
            assert fast.nash == slow.nash and fast.kalai == slow.kalai
            assert fast.kalai_smorodinsky == slow.kalai_smorodinsky
            assert fast.max_welfare == slow.max_welfare
            assert fast.opposition == pytest.approx(slow.opposition)


def test_normalising_a_table_over_an_astronomic_space_is_refused_up_front() -> None:
    huge = make_os([make_issue(1000, f"i{j}") for j in range(3)])
    table = MappingUtilityFunction({(0, 0, 0): 1.0}, default=0.0)
    s = Scenario(huge, [table, LinearUtilityFunction([1.0, 1.0, 1.0])])
    with pytest.raises(ScenarioError, match="1,000,000,000 outcomes"):
        s.normalize()
    # The linear party alone is bounded issue by issue, without enumerating.
    linear = Scenario(huge, [LinearUtilityFunction([1.0, -1.0, 0.5])] * 2)
    assert linear.normalize(common_range=False).is_normalized(to=(0.0, 1.0), common_range=False)
