"""BinaryComparatorNegotiator (NegMAS's name) and Negotiator.is_acceptable_as_agreement."""

from __future__ import annotations

import pytest

from palaver.mechanisms import STVetoMechanism, VetoSTMechanism
from palaver.negotiators import AspirationNegotiator, BinaryComparatorNegotiator
from palaver.outcomes import make_issue
from palaver.preferences import MappingUtilityFunction


def table(reserved_value: float = float("-inf")) -> MappingUtilityFunction:
    return MappingUtilityFunction(
        {(0,): 0.0, (1,): 0.5, (2,): 0.5 + 1e-12, (3,): 1.0}, reserved_value=reserved_value
    )


def test_is_better_answers_true_false_or_none_within_epsilon() -> None:
    n = BinaryComparatorNegotiator(name="n", preferences=table())
    assert n.is_better((3,), (1,)) is True
    assert n.is_better((0,), (1,)) is False
    assert n.is_better((1,), (1,)) is None
    assert n.is_better((2,), (1,)) is None  # 1e-12 apart: within the default 1e-10
    assert n.is_better((2,), (1,), epsilon=0.0) is True
    assert n.is_better((3,), (1,), epsilon=0.5) is None
    assert n.is_better((3,), (1,), epsilon=0.4) is True
    assert n.is_better((0,), None) is True  # no agreement is worth the reserved value


def test_is_better_refuses_a_bad_epsilon_and_a_missing_ufun() -> None:
    n = BinaryComparatorNegotiator(name="n", ufun=table())
    with pytest.raises(ValueError, match=r"epsilon.*>= 0.*-0\.1"):
        n.is_better((0,), (1,), epsilon=-0.1)
    with pytest.raises(ValueError, match="epsilon"):
        n.is_better((0,), (1,), epsilon=float("nan"))
    with pytest.raises(TypeError, match="epsilon"):
        n.is_better((0,), (1,), epsilon="tiny")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"'lonely'.*without a utility function"):
        BinaryComparatorNegotiator(name="lonely").is_better((0,), (1,))


def test_is_acceptable_as_agreement_compares_with_the_reserved_value() -> None:
    n = BinaryComparatorNegotiator(name="n", ufun=table(reserved_value=0.5))
    assert n.is_acceptable_as_agreement((1,)) is True
    assert n.is_acceptable_as_agreement((0,)) is False
    assert BinaryComparatorNegotiator(name="none").is_acceptable_as_agreement((1,)) is False
    assert AspirationNegotiator(name="a", ufun=table(0.9)).is_acceptable_as_agreement((0,)) is False


def test_it_negotiates_in_both_single_text_mechanisms() -> None:
    issues = [make_issue(4, "x")]
    for cls in (VetoSTMechanism, STVetoMechanism):
        m = cls(issues=issues, n_steps=20, seed=1)
        assert m.add(BinaryComparatorNegotiator(name="a", ufun=table()))
        assert m.add(BinaryComparatorNegotiator(name="b", ufun=table()))
        assert m.run().agreement == (3,), cls.__name__  # both want (3,): the text climbs there
