"""``LinearUtilityFunction.random`` and ``LinearAdditiveUtilityFunction.random``."""

from __future__ import annotations

import numpy as np
import pytest

from palaver.outcomes import make_issue, make_os
from palaver.preferences import (
    AffineFun,
    LinearAdditiveUtilityFunction,
    LinearUtilityFunction,
    MappingUtilityFunction,
    TableFun,
)

ISSUES = [make_issue(10, "price"), make_issue((1, 4), "qty"), make_issue((0.0, 2.0), "hours")]
CHOICE = [make_issue(10, "price"), make_issue(["red", "green", "blue"], "colour")]


def test_a_normalized_random_linear_function_spans_zero_to_one() -> None:
    for seed in range(20):
        ufun = LinearUtilityFunction.random(issues=ISSUES, seed=seed)
        low, high = ufun.minmax()
        assert low == pytest.approx(0.0, abs=1e-12) and high == pytest.approx(1.0)
        assert (ufun.weights >= 0).all()
        assert 0.0 <= ufun.reserved_value <= 1.0
        assert ufun.outcome_space == make_os(ISSUES)


def test_the_same_seed_gives_the_same_function_and_a_generator_is_drawn_from() -> None:
    a = LinearAdditiveUtilityFunction.random(make_os(CHOICE), seed=5)
    b = LinearAdditiveUtilityFunction.random(issues=CHOICE, seed=5)
    assert a.values == b.values and np.array_equal(a.weights, b.weights)
    assert a.reserved_value == b.reserved_value
    rng = np.random.default_rng(1)
    first = LinearUtilityFunction.random(ISSUES, seed=rng)
    second = LinearUtilityFunction.random(ISSUES, seed=rng)
    assert not np.array_equal(first.weights, second.weights)


def test_a_random_linear_additive_function_has_tables_and_affine_maps_in_zero_one() -> None:
    ufun = LinearAdditiveUtilityFunction.random(outcome_space=make_os(ISSUES + CHOICE[1:]), seed=2)
    kinds = [type(f) for f in ufun.values]
    assert kinds == [TableFun, TableFun, AffineFun, TableFun]
    assert ufun.weights.sum() == pytest.approx(1.0)
    for f, issue in zip(ufun.values, ufun.outcome_space.issues, strict=True):
        assert f.minmax(issue) == pytest.approx((0.0, 1.0))
    low, high = ufun.minmax()
    assert low == pytest.approx(0.0, abs=1e-12) and high == pytest.approx(1.0)


def test_reserved_value_is_a_number_or_a_range_to_draw_from() -> None:
    assert (
        LinearAdditiveUtilityFunction.random(issues=CHOICE, reserved_value=0.0).reserved_value
        == 0.0
    )
    drawn = LinearUtilityFunction.random(issues=ISSUES, reserved_value=(0.4, 0.5), seed=0)
    assert 0.4 <= drawn.reserved_value <= 0.5
    with pytest.raises(ValueError, match="low > high"):
        LinearUtilityFunction.random(issues=ISSUES, reserved_value=(1.0, 0.0))


def test_unnormalized_weights_may_be_negative_and_bad_calls_are_refused() -> None:
    signs = {
        bool(w < 0)
        for seed in range(10)
        for w in LinearUtilityFunction.random(ISSUES, normalized=False, seed=seed).weights
    }
    assert signs == {True, False}
    with pytest.raises(ValueError, match="one of the two"):
        LinearUtilityFunction.random()
    with pytest.raises(ValueError, match="seed"):
        LinearUtilityFunction.random(ISSUES, seed=-1)


def test_random_functions_negotiate() -> None:
    from palaver.mechanisms import SAOMechanism
    from palaver.negotiators import AspirationNegotiator

    session = SAOMechanism(issues=CHOICE, n_steps=50, seed=4)
    for seed in (1, 2):
        ufun = LinearAdditiveUtilityFunction.random(
            session.outcome_space, reserved_value=0.0, seed=seed
        )
        session.add(AspirationNegotiator(ufun=ufun))
    assert session.run().agreement is not None


def test_random_mapping_tables() -> None:
    from palaver.outcomes import OutcomeSpaceError
    from palaver.preferences import MappingUtilityFunction

    space = make_os(CHOICE)
    table = MappingUtilityFunction.random(space, reserved_value=0.25, seed=3)
    assert table.minmax() == (0.0, 1.0) and table.reserved_value == 0.25
    same = MappingUtilityFunction.random(CHOICE, reserved_value=0.25, seed=3)
    assert table.mapping == same.mapping
    raw = MappingUtilityFunction.random(space, normalized=False, seed=3)
    assert 0.0 <= raw.min() <= raw.max() <= 8.0
    with pytest.raises(OutcomeSpaceError):
        MappingUtilityFunction.random(make_os(ISSUES))  # a continuous issue
    first, second = MappingUtilityFunction.generate_random(2, 6, seed=1)
    assert first.outcome_space == make_os([make_issue(6, "0")])
    assert first.minmax() == (0.0, 1.0) and first.mapping != second.mapping
    odd = [(1, "a"), (2, "b")]  # not a cartesian product: no outcome space
    left, right = MappingUtilityFunction.generate_random_bilateral(odd, seed=2)
    assert left.outcome_space is None and set(right.mapping) == set(odd)


@pytest.mark.parametrize(
    ("n", "outcomes", "message"),
    [
        (-1, 3, r"^n must be an integer >= 1, got -1"),  # no table at all
        (2, -1, r"^outcomes must be a count in 1\.\.50,000,000"),  # empty tables
        (2, 10**30, r"^outcomes must be a count in 1\.\.50,000,000"),  # listed for ever
        (2, "xy", r"^outcomes must be a list of outcome tuples"),  # one outcome per letter
        (2, 3.5, r"^outcomes must be a list of outcome tuples"),  # "not iterable"
        (2, [1, 2], r"^outcomes must be outcome tuples, got 1"),
        (2, [], r"^outcomes must list at least one outcome"),
    ],
)
def test_generate_random_checks_its_counts_and_outcomes(
    n: object, outcomes: object, message: str
) -> None:
    with pytest.raises((TypeError, ValueError), match=message):
        MappingUtilityFunction.generate_random(n, outcomes)  # type: ignore[arg-type]
    assert len(MappingUtilityFunction.generate_random(2, np.int64(3), seed=1)[0].mapping) == 3


def test_negmas_generators_are_on_every_ufun_class_and_make_tables() -> None:
    from palaver.preferences import LinearAdditiveUtilityFunction, UtilityFunction

    first, second = LinearAdditiveUtilityFunction.generate_random_bilateral(8, seed=3)
    assert type(first) is MappingUtilityFunction and type(second) is MappingUtilityFunction
    assert first.minmax() == (0.0, 1.0) == second.minmax()
    again = UtilityFunction.generate_random_bilateral(8, seed=3)
    assert [first((k,)) for k in range(8)] == [again[0]((k,)) for k in range(8)]


@pytest.mark.parametrize(("level", "sign"), [(1.0, -1.0), (0.0, 1.0)])
def test_generate_bilateral_conflict_extremes(level: float, sign: float) -> None:
    from palaver.preferences import UtilityFunction

    one, two = UtilityFunction.generate_bilateral(
        30, conflict_level=level, conflict_delta=0.0, seed=5
    )
    a = np.array([one((k,)) for k in range(30)])
    b = np.array([two((k,)) for k in range(30)])
    assert np.corrcoef(a, b)[0, 1] == pytest.approx(sign)
    assert (a.min(), a.max(), b.min(), b.max()) == (0.0, 1.0, 0.0, 1.0)


def test_generate_bilateral_mid_conflict_and_bad_levels() -> None:
    from palaver.preferences import UtilityFunction

    one, two = UtilityFunction.generate_bilateral(200, conflict_level=0.8, seed=5)
    a = np.array([one((k,)) for k in range(200)])
    b = np.array([two((k,)) for k in range(200)])
    assert -1.0 < np.corrcoef(a, b)[0, 1] < -0.3  # opposed, not perfectly
    with pytest.raises(ValueError, match=r"conflict_level must be a number in \[0, 1\], got 1.5"):
        UtilityFunction.generate_bilateral(5, conflict_level=1.5)
    with pytest.raises(ValueError, match=r"conflict_delta must be a finite number >= 0, got -1"):
        UtilityFunction.generate_bilateral(5, conflict_delta=-1)
