"""Constraints on outcome spaces (NegMAS's ``constraints=``): ruled-out outcomes leave it."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from palaver.mechanisms.table import outcome_table
from palaver.outcomes import OutcomeSpace, SingletonOutcomeSpace, make_issue


def x_not_one(outcome: tuple[int, ...]) -> bool:
    return outcome[0] != 1


def small_sum(outcome: tuple[int, ...]) -> bool:
    return outcome[0] + outcome[1] <= 2


def space(*constraints: object) -> OutcomeSpace:
    return OutcomeSpace(
        [make_issue([0, 1, 2], "x"), make_issue([0, 1, 2], "y")],
        constraints=constraints,  # type: ignore[arg-type]
    )


def test_enumerate_keeps_only_allowed_outcomes_in_order() -> None:
    s = space(small_sum)
    assert s.enumerate() == [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (2, 0)]
    # cardinality counts every combination (NegMAS's rule for spaces over issues)
    assert s.cardinality == 9


def test_membership_and_canonical_follow_the_constraints() -> None:
    s = space(x_not_one)
    assert (0, 2) in s and (1, 0) not in s
    assert not s.is_valid((1, 1))
    assert s.canonical((2.0, 1)) == (2, 1)
    assert s.canonical((1, 1)) is None


def test_add_remove_clear() -> None:
    s = space()
    assert s.constraints == []
    s.add_constraint(x_not_one)
    assert s.constraints == [x_not_one] and len(s.enumerate()) == 6
    s.add_constraint(small_sum)
    assert s.enumerate() == [(0, 0), (0, 1), (0, 2), (2, 0)]
    s.remove_constraint(x_not_one)
    s.remove_constraint(x_not_one)  # not there: nothing happens
    assert s.constraints == [small_sum]
    s.clear_constraints()
    assert len(s.enumerate()) == 9
    with pytest.raises(TypeError, match=r"constraints\[0\] must be a callable.*got 3"):
        s.add_constraint(3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="constraints must be an iterable"):
        OutcomeSpace([make_issue(3)], constraints=len)  # type: ignore[arg-type]


def test_sampling_draws_only_allowed_outcomes() -> None:
    s = space(x_not_one)
    drawn = s.sample(np.random.default_rng(0), 200)
    assert len(drawn) == 200 and all(o[0] != 1 for o in drawn)
    assert all(o[0] != 1 for o in s.sample(50, with_replacement=True))  # NegMAS's form
    assert all(s.random_outcome(seed=k)[0] != 1 for k in range(30))
    distinct = s.sample(np.random.default_rng(1), 9, with_replacement=False)
    assert sorted(distinct) == s.enumerate()


def test_random_outcome_of_an_empty_constrained_space_raises() -> None:
    s = space(lambda o: False)
    with pytest.raises(ValueError, match="Could not generate a random outcome"):
        s.random_outcome(seed=0)
    assert s.enumerate() == []


def test_constraint_errors_propagate() -> None:
    def broken(outcome: tuple[int, ...]) -> bool:
        raise RuntimeError("broken constraint")

    with pytest.raises(RuntimeError, match="broken constraint"):
        space(broken).enumerate()


def test_equality_tables_pickling_and_discretizing_keep_constraints_apart() -> None:
    plain, constrained = space(), space(x_not_one)
    assert plain != constrained and hash(plain) == hash(constrained)
    assert constrained == space(x_not_one)
    t1, t2 = outcome_table(plain), outcome_table(constrained)
    assert t1 is not None and t2 is not None
    assert len(t1) == 9 and len(t2) == 6
    copy = pickle.loads(pickle.dumps(constrained))
    assert copy.constraints == [x_not_one] and copy.enumerate() == constrained.enumerate()
    cont = OutcomeSpace([make_issue((0.0, 2.0), "x")], constraints=[lambda o: o[0] < 1.5])
    assert cont.discretize(5).enumerate() == [(0.0,), (0.5,), (1.0,)]


def test_singleton_space_takes_constraints() -> None:
    s = SingletonOutcomeSpace(outcome=(1, 2), constraints=[x_not_one])
    assert s.constraints == [x_not_one] and s.enumerate() == []
