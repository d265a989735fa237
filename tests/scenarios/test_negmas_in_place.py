"""NegMAS 0.16's in-place scenario transforms and its normalization defaults.

NegMAS code calls ``scenario.normalize()`` (and ``discretize``, ...) as a
statement and then uses ``scenario``; these tests fail if such code would run
the unchanged scenario, or if the numbers differ from NegMAS's documented
rules. Every expected number is worked out by hand in the comments.
"""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest

from palaver import (
    AspirationNegotiator,
    LinearAdditiveUtilityFunction,
    LinearUtilityFunction,
    MappingUtilityFunction,
    Scenario,
    make_issue,
    make_os,
)
from palaver.preferences import VOLATILE, ReservedValueWarning
from palaver.preferences.value_functions import AffineFun, TableFun
from palaver.scenarios import ScenarioError

SPACE = make_os([make_issue([0, 1, 2], "x"), make_issue(["a", "b"], "y")])
OUTCOMES = list(SPACE.enumerate())  # (0,a) (0,b) (1,a) (1,b) (2,a) (2,b)
SELLER = [1.0, 4.0, 3.0, 6.0, 5.0, 8.0]
BUYER = [4.0, 2.0, 3.0, 1.0, 2.0, 0.0]


def tables(rv: tuple[float, float] = (4.0, 1.0)) -> Scenario:
    """Seller spans [1, 8] (reserved 4), buyer [0, 4] (reserved 1)."""
    ufuns = [
        MappingUtilityFunction(dict(zip(OUTCOMES, column, strict=True)), reserved_value=r)
        for column, r in zip((SELLER, BUYER), rv, strict=True)
    ]
    return Scenario(SPACE, ufuns, name="tables")


def additive() -> Scenario:
    """The same utilities as :func:`tables`, as linear-additive functions."""
    seller = LinearAdditiveUtilityFunction(
        [AffineFun(2.0, 1.0), TableFun({"a": 0.0, "b": 3.0})], reserved_value=4.0
    )
    buyer = LinearAdditiveUtilityFunction(
        [AffineFun(-1.0, 2.0), TableFun({"a": 1.0, "b": 0.0})], [1.0, 2.0], reserved_value=1.0
    )
    return Scenario(SPACE, [seller, buyer], name="additive")


def columns(s: Scenario) -> list[list[float]]:
    return [[float(u(o)) for o in s.outcomes] for u in s.ufuns]


@pytest.mark.parametrize("make", [tables, additive])
def test_default_normalize_is_negmas_common_range_in_place(make) -> None:  # type: ignore[no-untyped-def]
    s = make()
    assert columns(s) == [SELLER, BUYER]
    before = s.stats.nash.outcome
    # NegMAS's code as is: a statement, then the scenario is used.
    assert s.normalize() is s
    # One scale for both, 1 / (8 - 0); each shifted so that its best is 1:
    # seller u / 8, buyer 1 - (4 - u) / 8. Reserved values take the same map.
    assert columns(s)[0] == pytest.approx([u / 8 for u in SELLER])
    assert columns(s)[1] == pytest.approx([1 - (4 - u) / 8 for u in BUYER])
    assert s.reserved_values == pytest.approx((0.5, 0.625))
    # Cached utilities and statistics follow the new functions.
    assert s.utilities[:, 0] == pytest.approx([u / 8 for u in SELLER])
    assert s.stats.nash.utilities == pytest.approx(tuple(s.utilities[s.stats.nash.index]))
    assert before in s.outcomes
    # NegMAS's check: the best of all is 1. No party reaches 0 here (the
    # common scale comes from the seller's 8 and the buyer's 0).
    assert s.is_normalized() and not s.is_normalized(to=(0.0, 1.0))
    assert s.utilities.min(axis=0) == pytest.approx([1 / 8, 0.5])


def test_normalize_independent_and_common_range_false_stretch_each_party() -> None:
    for kwargs in ({"independent": True}, {"common_range": False}):
        s = additive()
        if "independent" in kwargs:  # NegMAS's older name: works, deprecated as in NegMAS
            with pytest.warns(DeprecationWarning, match="'independent' keyword is deprecated"):
                s.normalize(**kwargs)  # type: ignore[arg-type]
        else:
            s.normalize(**kwargs)  # type: ignore[arg-type]
        # seller (u - 1) / 7, buyer u / 4, reserved 3 / 7 and 1 / 4.
        assert columns(s)[0] == pytest.approx([(u - 1) / 7 for u in SELLER])
        assert columns(s)[1] == pytest.approx([u / 4 for u in BUYER])
        assert s.reserved_values == pytest.approx((3 / 7, 0.25))
        assert s.is_normalized(to=(0.0, 1.0), common_range=False)


def test_normalize_other_ranges_ends_and_alignments() -> None:
    s = tables().normalize(to=(1.0, 3.0))  # scale 2 / 8, best at 3
    assert columns(s)[0] == pytest.approx([3 - (8 - u) / 4 for u in SELLER])
    assert s.reserved_values == pytest.approx((2.0, 2.25))
    low = tables().normalize(guarantee_max=False)  # scale 1 / 8, worst at 0
    assert np.allclose(columns(low), [[(u - 1) / 8 for u in SELLER], [u / 8 for u in BUYER]])
    assert low.reserved_values == pytest.approx((3 / 8, 1 / 8))
    top = tables().normalize(to=(None, 2.0))  # shift by 2 - 8: best of all at 2
    assert np.allclose(columns(top), [[u - 6 for u in SELLER], [u - 6 for u in BUYER]])
    assert top.reserved_values == pytest.approx((-2.0, -5.0))
    bottom = tables().normalize(to=(0.5, None))  # shift by .5 - 0: worst of all at .5
    assert columns(bottom)[1] == pytest.approx([u + 0.5 for u in BUYER])


def test_normalize_over_another_outcome_space() -> None:
    # Over x in {0, 1}: seller spans [1, 6], buyer [1, 4]; scale 1 / 5.
    sub = make_os([make_issue([0, 1], "x"), make_issue(["a", "b"], "y")])
    s = tables().normalize(outcome_space=sub)
    assert columns(s)[0] == pytest.approx([1 + (u - 6) / 5 for u in SELLER])
    assert columns(s)[1] == pytest.approx([1 + (u - 4) / 5 for u in BUYER])
    assert s.outcome_space == SPACE
    foreign = make_os([make_issue(["p", "q"], "colour")])
    t = tables()
    with pytest.raises(ScenarioError, match=r"cannot evaluate the outcomes of outcome_space"):
        t.normalize(outcome_space=foreign)
    assert columns(t) == [SELLER, BUYER]


def test_kept_functions_and_constants_follow_negmas() -> None:
    # A function already spanning exactly [0, 1] is kept even when another
    # one's wider range sets the common scale.
    unit = MappingUtilityFunction({o: k / 5 for k, o in enumerate(OUTCOMES)}, reserved_value=0.5)
    wide = MappingUtilityFunction({o: 2 - 2 * k / 5 for k, o in enumerate(OUTCOMES)})
    s = Scenario(SPACE, [unit, wide]).normalize()
    assert columns(s)[0] == pytest.approx([k / 5 for k in range(6)])
    assert columns(s)[1] == pytest.approx([1 - k / 5 for k in range(6)])
    # Without guarantee_min, functions inside [0, 1] with their best at 1 are
    # kept; with independent, NegMAS still stretches linear-additive ones.
    inside = MappingUtilityFunction({o: 0.3 + 0.14 * k for k, o in enumerate(OUTCOMES)})
    la = LinearAdditiveUtilityFunction([AffineFun(0.1, 0.2), TableFun({"a": 0.0, "b": 0.6})])
    kept = Scenario(SPACE, [inside, la]).normalize(guarantee_min=False)
    assert kept.utilities.min(axis=0) == pytest.approx([0.3, 0.2])
    ind = Scenario(SPACE, [inside, la]).normalize(common_range=False)
    assert ind.utilities.min(axis=0) == pytest.approx([0.3, 0.0])
    # All constant: utility 1 and reserved 0 unless the reserved value is
    # above the utility (then utility 0, reserved 1).
    flat = [MappingUtilityFunction({o: 2.0 for o in OUTCOMES}, reserved_value=r) for r in (1, 3)]
    c = Scenario(SPACE, flat).normalize()
    assert c.utilities[0].tolist() == [1.0, 0.0] and c.reserved_values == (0.0, 1.0)


def test_normalize_reserved_values_replaces_infinite_ones() -> None:
    s = tables(rv=(-math.inf, 1.0))
    with pytest.warns(ReservedValueWarning, match="not finite"):
        s.normalize(normalize_reserved_values=True, reserved_value_penalty=0.5)
    # -inf becomes the seller's lowest utility minus .5 (1 - .5), then / 8.
    assert s.reserved_values == pytest.approx((0.5 / 8, 0.625))
    plain = tables(rv=(-math.inf, 1.0)).normalize()
    assert plain.reserved_values[0] == -math.inf


def test_scale_max_and_scale_min_work_in_place_party_by_party() -> None:
    s = tables()
    assert s.scale_max(2.0) is s
    assert np.allclose(columns(s), [[u / 4 for u in SELLER], [u / 2 for u in BUYER]])
    assert s.reserved_values == pytest.approx((1.0, 0.5))
    t = tables()
    with pytest.raises(ScenarioError, match=r"scale_min: party 1 \('u1'\) has lowest utility 0"):
        t.scale_min(0.5)  # the buyer's lowest utility is 0: no factor makes it .5
    assert columns(t) == [SELLER, BUYER]  # refused as a whole: nothing changed
    one = Scenario(SPACE, [t.ufuns[0]]).scale_min(0.5)  # seller's lowest 1 -> .5
    assert columns(one)[0] == pytest.approx([u / 2 for u in SELLER])


def test_the_other_negmas_transforms_change_the_scenario_too() -> None:
    continuous = Scenario(
        [make_issue((0.0, 1.0), "p"), make_issue(2, "q")],
        [LinearUtilityFunction([1.0, 1.0]), LinearUtilityFunction([-1.0, 1.0])],
        discount_factors=[0.9, 0.8],
    )
    continuous.discretize(5)
    assert continuous.n_outcomes == 10
    utilities = continuous.utilities
    continuous.remove_discounting()
    assert continuous.discount_factors == (1.0, 1.0) and continuous.utilities is utilities
    continuous.remove_reserved_values(0.25)
    assert continuous.reserved_values == (0.25, 0.25)
    continuous.to_single_issue()
    assert continuous.issue_names == ["p-q"] and continuous.n_outcomes == 10


def test_copy_keeps_the_original_and_shares_nothing_mutable() -> None:
    s = tables()
    s.stats  # noqa: B018
    c = s.copy()
    assert c is not s and c.name == s.name and c.stats is s.stats
    c.normalize()
    assert columns(s) == [SELLER, BUYER] and s.reserved_values == (4.0, 1.0)
    c.ufuns[0].reserved_value = 0.0
    assert s.reserved_values == (4.0, 1.0)
    # A rotation shares the utility functions: transforming it in place
    # replaces its own, never the original's.
    r = s.rotate_ufuns(1)
    r.normalize()
    assert columns(s) == [SELLER, BUYER]
    assert pickle.loads(pickle.dumps(c)).reserved_values == c.reserved_values


def test_a_negmas_script_runs_the_normalized_scenario() -> None:
    s = additive()
    s.normalize()
    session = s.make_session(AspirationNegotiator, n_steps=20)
    held = [n.ufun for n in session.negotiators]
    assert held == list(s.ufuns)
    state = session.run()
    assert state.agreement is not None
    assert held[0](state.agreement) == pytest.approx(s.ufuns[0](state.agreement))
    assert 0.0 <= held[0](state.agreement) <= 1.0


def test_remove_dummy_issues_moves_their_constant_into_the_bias() -> None:
    space = make_os([make_issue(3, "x"), make_issue(["only"], "DUMMY_ISSUE"), make_issue(2, "z")])
    la = LinearAdditiveUtilityFunction(
        [AffineFun(1.0, 0.0), TableFun({"only": 2.0}), AffineFun(3.0, 1.0)],
        [1.0, 0.5, 2.0],
        bias=0.25,
        reserved_value=0.3,
    )
    s = Scenario(space, [la, LinearUtilityFunction([1.0, 0.0, -1.0], bias=1.0)])
    before = s.utilities.copy()
    assert s.remove_dummy_issues() is s
    assert s.issue_names == ["x", "z"] and s.reserved_values[0] == 0.3
    # x + .5 * 2 + 2 * (3z + 1) + .25 for the additive one: bias .25 + 1.
    assert s.ufuns[0].bias == pytest.approx(1.25)
    assert np.allclose(s.utilities, before)
    assert s.remove_dummy_issues() is s and s.n_issues == 2  # nothing left to drop
    table = MappingUtilityFunction({o: 1.0 for o in space.enumerate()})
    other = Scenario(space, [table])
    with pytest.raises(ScenarioError, match=r"party 0 \('u0'\) has a MappingUtilityFunction"):
        other.remove_dummy_issues()
    assert other.n_issues == 3


def test_is_normalized_follows_negmas_checks() -> None:
    s = tables()  # seller [1, 8], buyer [0, 4]
    assert not s.is_normalized()  # the best of all is 8, not 1
    assert s.is_normalized(to=(0.0, 8.0))  # within, some party at each end
    assert not s.is_normalized(to=(0.0, 8.0), common_range=False)
    assert not s.is_normalized(to=(1.0, 8.0))  # the buyer goes below 1
    inf = tables(rv=(-math.inf, 1.0))
    assert not inf.is_normalized(to=(0.0, 8.0), finite_reserved_value=True)
    below = MappingUtilityFunction({o: -1.0 + k for k, o in enumerate(OUTCOMES)})
    negative = Scenario(SPACE, [below])
    assert not negative.is_normalized(to=(None, 4.0))
    assert negative.is_normalized(to=(None, 4.0), positive=False)
    assert negative.is_normalized(to=(-1.0, 4.0), positive=False, tol=0.0)


def test_is_linear_and_stability() -> None:
    assert additive().is_linear and not tables().is_linear
    assert additive().normalize().is_linear  # a linear map keeps it linear
    wrapped = Scenario(SPACE, [MappingUtilityFunction(lambda o: o[0])]).normalize()
    assert not wrapped.is_linear
    assert additive().is_stationary() and not additive().is_volatile()
    volatile = MappingUtilityFunction({o: 1.0 for o in OUTCOMES}, stability=VOLATILE)
    mixed = Scenario(SPACE, [volatile, tables().ufuns[0]])
    assert mixed.is_volatile() and not mixed.has_stable_max and not mixed.is_stationary()
    assert additive().has_stable_min and additive().has_stable_ordering
