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
def test_a_plain_function_is_refused_where_it_is_given(where: str) -> None:
    m = _mechanism()
    f = lambda o: 1.0  # noqa: E731
    with pytest.raises(
        TypeError,
        match=r"(ufun|preferences) must be a utility function.*"
        r"function.*MappingUtilityFunction",
    ):
        if where == "ctor":
            AspirationNegotiator(ufun=f)
        elif where == "preferences":
            AspirationNegotiator(preferences=f)
        elif where == "add":
            m.add(AspirationNegotiator(), ufun=f)
        elif where == "setter":
            AspirationNegotiator().ufun = f
        else:
            AspirationNegotiator().join(m.nmi, f)
    assert m.negotiators == []


def test_a_non_callable_is_refused_with_its_value() -> None:
    with pytest.raises(TypeError, match=r"got 3 \(int, lacking __call__"):
        AspirationNegotiator(ufun=3)  # type: ignore[arg-type]


def test_a_wrapped_function_negotiates() -> None:
    m = _mechanism()
    m.add(AspirationNegotiator(ufun=MappingUtilityFunction(lambda o: float(o[0]))))
    m.add(AspirationNegotiator(ufun=MappingUtilityFunction(lambda o: 4.0 - o[0])))
    assert m.run().agreement is not None
