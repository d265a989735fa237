"""The default reserved value is -inf (NegMAS's): without one, any agreement beats none."""

from __future__ import annotations

import math

import pytest

from palaver.mechanisms import SAOMechanism
from palaver.negotiators import AspirationNegotiator, NaiveTitForTat
from palaver.outcomes import make_issue, make_os
from palaver.preferences import (
    LinearAdditiveUtilityFunction,
    LinearUtilityFunction,
    MappingUtilityFunction,
    RandomUtilityFunction,
)

SPACE = make_os([make_issue((1, 5), "a"), make_issue((1, 10), "b")])


@pytest.mark.parametrize(
    "ufun",
    [
        LinearUtilityFunction([1.0, 1.0]),
        LinearAdditiveUtilityFunction([None, None]),
        MappingUtilityFunction(lambda o: float(o[0])),
        RandomUtilityFunction(outcome_space=SPACE, seed=1),
    ],
    ids=lambda u: type(u).__name__,
)
def test_every_utility_function_defaults_to_minus_infinity(ufun) -> None:
    assert ufun.reserved_value == -math.inf and ufun(None) == -math.inf
    assert ufun.normalize(SPACE).reserved_value == -math.inf


@pytest.mark.parametrize("opponent", [AspirationNegotiator, NaiveTitForTat])
def test_negative_utilities_without_reserved_values_still_reach_agreement(opponent) -> None:
    # Both utility functions are negative over most of the space. With a
    # reserved value of 0 (the former default) neither side could concede
    # below 0 and no deal was found; NegMAS's code expects one.
    first = LinearUtilityFunction([-0.75, 0.25], outcome_space=SPACE)
    second = LinearUtilityFunction([0.5, -0.5], outcome_space=SPACE)
    m = SAOMechanism(outcome_space=SPACE, n_steps=200, seed=1)
    m.add(AspirationNegotiator(ufun=first))
    m.add(opponent(ufun=second))
    assert m.run().agreement is not None
    walk_away = SAOMechanism(outcome_space=SPACE, n_steps=200, seed=1)
    walk_away.add(
        AspirationNegotiator(ufun=LinearUtilityFunction([-0.75, 0.25], reserved_value=0.0))
    )
    walk_away.add(opponent(ufun=LinearUtilityFunction([0.5, -0.5], reserved_value=0.0)))
    assert walk_away.run().agreement is None


def test_a_ufun_made_from_a_list_of_outcomes_joins_a_negotiation_over_the_same_values() -> None:
    # NegMAS's way: a table over space.enumerate(), given as outcomes=.
    space = make_os([make_issue(12, "price")])
    outcomes = space.enumerate()
    rising = MappingUtilityFunction({o: o[0] / 11 for o in outcomes}, outcomes=outcomes)
    falling = MappingUtilityFunction({o: 1 - o[0] / 11 for o in outcomes}, outcomes=outcomes)
    assert rising.outcome_space != space  # issue "0", not "price"
    m = SAOMechanism(outcome_space=space, n_steps=50, seed=2)
    assert m.add(AspirationNegotiator(ufun=rising)) and m.add(AspirationNegotiator(ufun=falling))
    assert m.run().agreement is not None
    other = MappingUtilityFunction({(k,): 1.0 for k in range(5)}, outcomes=[(k,) for k in range(5)])
    with pytest.raises(ValueError, match="defined over"):
        SAOMechanism(outcome_space=space, n_steps=5).add(AspirationNegotiator(ufun=other))
    named = LinearUtilityFunction([1.0], outcome_space=make_os([make_issue(12, "cost")]))
    with pytest.raises(ValueError, match="defined over"):  # named issues must match by name
        SAOMechanism(outcome_space=space, n_steps=5).add(AspirationNegotiator(ufun=named))


def test_solution_concepts_refuse_a_list_that_is_not_outcomes() -> None:
    from palaver.preferences import max_welfare_points, pareto_frontier

    a = LinearUtilityFunction([1.0, 0.0], outcome_space=SPACE)
    b = LinearUtilityFunction([0.0, 1.0], outcome_space=SPACE)
    frontier_utilities = [(0.5, 0.25), (0.125, 0.75)]  # NegMAS's frontier: utilities
    with pytest.raises(ValueError, match="not an outcome"):
        max_welfare_points([a, b], frontier_utilities)
    assert [p.outcome for p in max_welfare_points([a, b], [(5, 1), (1, 10)])] == [(1, 10)]
    assert len(pareto_frontier([a, b], SPACE.enumerate())) == 1


def test_every_utility_function_takes_negmas_name_keyword() -> None:
    import pickle

    from palaver import MappingUtilityFunction, make_issue
    from palaver.preferences import LinearAdditiveUtilityFunction, LinearUtilityFunction

    linear = LinearUtilityFunction([1.0], issues=[make_issue(5)], name="buyer", reserved_value=0.2)
    assert linear.name == "buyer" and linear.reserved_value == 0.2
    assert linear.outcome_space is not None and linear((3,)) == 3.0
    table = MappingUtilityFunction(lambda o: float(o[0]), outcomes=4, name="seller")
    assert table.name == "seller" and table((2,)) == 2.0
    assert pickle.loads(pickle.dumps(linear)).name == "buyer"
    additive = LinearAdditiveUtilityFunction.random(linear.outcome_space)
    assert additive.name is None  # none given
    with pytest.raises(TypeError, match="name must be a string or None, got 7"):
        LinearUtilityFunction([1.0], name=7)
