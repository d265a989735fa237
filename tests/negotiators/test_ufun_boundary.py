"""Utility functions are checked where they are handed over (constructor, add, join)."""

from __future__ import annotations

import pytest

from palaver.mechanisms import SAOMechanism
from palaver.negotiators import AspirationNegotiator
from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences import LinearUtilityFunction, MappingUtilityFunction

OTHER = OutcomeSpace([make_issue(10, "a"), make_issue(10, "b")])


def _mechanism() -> SAOMechanism:
    return SAOMechanism(issues=[make_issue(5, "c"), make_issue(["x", "y"], "d")], n_steps=10)


def test_add_refuses_a_ufun_bound_to_another_space_naming_both() -> None:
    m = _mechanism()
    u = LinearUtilityFunction([1, 2], outcome_space=OTHER)
    with pytest.raises(ValueError, match=r"IntegerIssue\(0, 9, name='a'\).*name='c'"):
        m.add(AspirationNegotiator(ufun=u))
    with pytest.raises(ValueError, match="not over the outcome space"):
        m.add(AspirationNegotiator(), ufun=u)
    assert m.negotiators == []


def test_join_refuses_a_ufun_bound_to_another_space_and_keeps_its_own() -> None:
    m = _mechanism()
    n = AspirationNegotiator()
    u = LinearUtilityFunction([1, 2], outcome_space=OTHER)
    with pytest.raises(ValueError, match="not over the outcome space"):
        n.join(m.nmi, u)
    assert n.ufun is None


def test_a_ufun_over_an_equal_space_is_accepted() -> None:
    m = _mechanism()
    equal = OutcomeSpace([make_issue(5, "c"), make_issue(["x", "y"], "d")])
    assert equal is not m.outcome_space
    u1 = MappingUtilityFunction(lambda o: float(o[0]), outcome_space=equal)
    u2 = MappingUtilityFunction(lambda o: 4.0 - o[0], outcome_space=m.outcome_space)
    assert m.add(AspirationNegotiator(ufun=u1))
    assert m.add(AspirationNegotiator(ufun=u2))
    assert m.run().agreement is not None


@pytest.mark.parametrize("where", ["ctor", "preferences", "add", "setter", "join"])
def test_a_plain_function_is_taken_as_negmas_takes_it(where: str) -> None:
    # NegMAS code passes ufun=lambda o: ...: a MappingUtilityFunction calling it.
    m = _mechanism()
    n = AspirationNegotiator()
    f = lambda o: float(o[0])  # noqa: E731
    if where == "ctor":
        n = AspirationNegotiator(ufun=f)
    elif where == "preferences":
        n = AspirationNegotiator(preferences=f)
    elif where == "add":
        m.add(n, ufun=f)
    elif where == "setter":
        n.ufun = f
    else:
        n.join(m.nmi, f)
    assert isinstance(n.ufun, MappingUtilityFunction) and n.ufun((3, "x")) == 3.0
    assert n.ufun(None) == float("-inf")


def test_a_callable_that_is_not_a_function_is_still_refused() -> None:
    class Pricing:  # a class is callable, but calling it makes an object
        pass

    with pytest.raises(TypeError, match=r"ufun must be a utility function.*MappingUtilityFunction"):
        AspirationNegotiator(ufun=Pricing)  # type: ignore[arg-type]


def test_a_non_callable_is_refused_with_its_value() -> None:
    with pytest.raises(TypeError, match=r"got 3 \(int, lacking __call__"):
        AspirationNegotiator(ufun=3)  # type: ignore[arg-type]


def test_a_wrapped_function_negotiates() -> None:
    m = _mechanism()
    m.add(AspirationNegotiator(ufun=MappingUtilityFunction(lambda o: float(o[0]))))
    m.add(AspirationNegotiator(ufun=MappingUtilityFunction(lambda o: 4.0 - o[0])))
    assert m.run().agreement is not None
