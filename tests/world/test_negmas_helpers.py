"""NegMAS-style helpers beyond the tutorial (issue #9), tested from NegMAS's public docs."""

from __future__ import annotations

import pytest

from palaver.mechanisms import ResponseType, SAOMechanism, SAOResponse
from palaver.negotiators import (
    AspirationNegotiator,
    LimitedOutcomesNegotiator,
    TopFractionNegotiator,
)
from palaver.outcomes import (
    OutcomeSpaceError,
    dict2outcome,
    enumerate_issues,
    generate_issues,
    make_issue,
    outcome_is_valid,
    unique_name,
)
from palaver.preferences import (
    LinearUtilityFunction,
    MappingUtilityFunction,
    RandomUtilityFunction,
)

ISSUES = [make_issue((0.5, 2.0), "price"), make_issue(["a", "b", "c"], "date"), make_issue(20, "n")]


def test_issue_flags_are_properties_and_callable() -> None:
    price, date, n = ISSUES
    assert price.is_continuous() is True and price.is_discrete() is False
    assert date.is_discrete() is True and n.is_continuous() is False
    assert price.is_continuous and not price.is_discrete  # Palaver's property use
    assert repr(date.is_continuous) == "False" and date.is_continuous == False  # noqa: E712


def test_outcome_is_valid() -> None:
    assert outcome_is_valid((1.0, "a", 3), ISSUES)
    assert outcome_is_valid({"price": 1.0, "date": "b", "n": 19}, ISSUES)
    assert not outcome_is_valid({"price": 3.0, "date": "a", "n": 1}, ISSUES)
    assert not outcome_is_valid({"price": 1.0, "date": "d", "n": 1}, ISSUES)
    assert not outcome_is_valid({"price": 1.0}, ISSUES)  # incomplete
    assert not outcome_is_valid((1.0, "a"), ISSUES)
    assert not outcome_is_valid((1.0, "a", 21), ISSUES)
    assert not outcome_is_valid("abc", ISSUES)


def test_enumerate_issues() -> None:
    issues = [make_issue(2, "x"), make_issue(["a", "b"], "y")]
    assert enumerate_issues(issues) == [(0, "a"), (0, "b"), (1, "a"), (1, "b")]
    three = [make_issue(3, "x"), make_issue(["a", "b"], "y")]
    sample = enumerate_issues(three, max_cardinality=4)
    assert len(sample) == 4 and len(set(sample)) == 4
    assert set(sample) <= set(enumerate_issues(three))
    assert enumerate_issues(three, max_cardinality=4) == sample  # seeded
    with pytest.raises(OutcomeSpaceError):
        enumerate_issues([make_issue((0.0, 1.0), "c")])


def test_generate_issues() -> None:
    issues = generate_issues([3, (1, 4), ["a", "b"], (0.0, 1.0)])
    assert [i.name for i in issues] == ["0", "1", "2", "3"]
    assert list(issues[0].values) == [0, 1, 2] and list(issues[1].values) == [1, 2, 3, 4]
    assert issues[3].is_continuous()
    repeated = generate_issues([3], counts=[2])
    assert len(repeated) == 2 and [i.name for i in repeated] == ["0", "1"]
    named = generate_issues([3, 2], names=["p", "q"])
    assert [i.name for i in named] == ["p", "q"]
    with pytest.raises(TypeError, match="callable"):
        generate_issues([lambda: 1])


def test_dict2outcome() -> None:
    d = {"n": 3, "price": 1.0, "date": "a"}
    assert dict2outcome(d, ISSUES) == (1.0, "a", 3)
    assert dict2outcome(d, ["price", "date", "n"]) == (1.0, "a", 3)
    assert dict2outcome(None, ISSUES) is None
    assert dict2outcome((1.0, "a", 3), ISSUES) == (1.0, "a", 3)
    with pytest.raises(KeyError, match="date"):
        dict2outcome({"price": 1.0, "n": 1}, ISSUES)


def test_unique_name() -> None:
    a, b = unique_name("base"), unique_name("base")
    assert a != b and a.startswith("base/")
    assert len(unique_name("", add_time=False)) == 8
    short = unique_name("x", add_time=False, rand_digits=4, sep="-")
    assert short.startswith("x-") and len(short) == 6


def test_issues_and_outcomes_keywords() -> None:
    issues = [make_issue(5, "p"), make_issue(3, "q")]
    u = LinearUtilityFunction([1.0, 2.0], issues=issues)
    assert u.outcome_space is not None and u.outcome_space.issue_names == ["p", "q"]
    m = MappingUtilityFunction({(0,): 1.0, (1,): 2.0}, outcomes=2)
    assert m((1,)) == 2.0 and m.outcome_space.cardinality == 2
    mech = SAOMechanism(outcomes=10, n_steps=5)
    assert mech.outcome_space.cardinality == 10
    listed = SAOMechanism(outcomes=[(a, b) for a in range(2) for b in "xy"], n_steps=5)
    assert listed.outcome_space.cardinality == 4
    with pytest.raises(OutcomeSpaceError, match="issues="):
        SAOMechanism(outcomes=[(0, "x"), (1, "y")], n_steps=5)
    with pytest.raises(ValueError, match="only one"):
        LinearUtilityFunction([1.0], issues=issues[:1], outcomes=3)


def test_sao_response_holds_a_response_and_an_offer() -> None:
    r = SAOResponse(ResponseType.REJECT_OFFER, (1, 2))
    assert r.response is ResponseType.REJECT_OFFER and r.outcome == (1, 2) and r.data is None
    assert SAOResponse().response is ResponseType.NO_RESPONSE


def test_limited_outcomes_negotiator() -> None:
    issues = [make_issue(5, "p"), make_issue(3, "q")]
    mech = SAOMechanism(issues=issues, n_steps=20, seed=4)
    picky = LimitedOutcomesNegotiator(acceptable_outcomes=[(4, 2)], proposable_outcomes=[(4, 2)])
    mech.add(picky)
    mech.add(AspirationNegotiator(ufun=LinearUtilityFunction([1.0, 1.0])))
    state = mech.run()
    assert state.agreement == (4, 2)  # the best for the other side too: accepted at once
    never = SAOMechanism(issues=issues, n_steps=10, seed=4)
    never.add(LimitedOutcomesNegotiator(acceptable_outcomes=[(0, 0)], acceptance_probabilities=0.0))
    never.add(LimitedOutcomesNegotiator(acceptable_outcomes=[(1, 1)], acceptance_probabilities=0.0))
    assert never.run().agreement is None  # nothing accepted, nothing proposed but its own
    quitter = SAOMechanism(issues=issues, n_steps=10, seed=4)
    quitter.add(LimitedOutcomesNegotiator(p_ending=1.0))
    quitter.add(LimitedOutcomesNegotiator(p_ending=1.0))
    state = quitter.run()
    assert state.agreement is None and state.result == "failure" and state.step <= 2
    with pytest.raises(ValueError, match="same length"):
        LimitedOutcomesNegotiator(acceptance_probabilities=[0.5, 0.5])
    with pytest.raises(ValueError, match="p_ending"):
        LimitedOutcomesNegotiator(p_ending=1.5)


def test_top_fraction_negotiator_accepts_only_its_top_outcomes() -> None:
    issues = [make_issue(10, "p")]
    ufun = LinearUtilityFunction([1.0])
    mech = SAOMechanism(issues=issues, n_steps=40, seed=1)
    top = TopFractionNegotiator(ufun=ufun, min_utility=None, top_fraction=0.3)
    mech.add(top)
    mech.add(AspirationNegotiator(ufun=LinearUtilityFunction([-1.0], bias=9.0)))
    state = mech.run()
    assert state.agreement is not None and state.agreement[0] >= 7  # the top 3 of 10
    offers = [o for _, who, o in mech.history if who == top.id]
    assert offers == sorted(offers, reverse=True)  # best first: never increasing
    floored = TopFractionNegotiator(ufun=ufun, min_utility=8.0, top_fraction=1.0)
    mech = SAOMechanism(issues=issues, n_steps=10, seed=1)
    mech.add(floored)
    mech.add(AspirationNegotiator(ufun=LinearUtilityFunction([-1.0], bias=9.0)))
    state = mech.run()
    assert state.agreement is None or state.agreement[0] >= 8
    with pytest.raises(ValueError, match="top_fraction"):
        TopFractionNegotiator(top_fraction=0.0)


def test_random_utility_function() -> None:
    issues = [make_issue(4, "p"), make_issue(3, "q")]
    u = RandomUtilityFunction(rng=(2.0, 5.0), issues=issues, seed=7)
    values = [u(o) for o in enumerate_issues(issues)]
    assert all(2.0 <= v <= 5.0 for v in values) and len(set(values)) == 12
    again = RandomUtilityFunction(rng=(2.0, 5.0), issues=issues, seed=7)
    assert [again(o) for o in enumerate_issues(issues)] == values
    assert u({"p": 1, "q": 2}) == u((1, 2))
    with pytest.raises(OutcomeSpaceError, match="discrete"):
        RandomUtilityFunction(issues=[make_issue((0.0, 1.0), "c")])
    with pytest.raises(ValueError, match="rng"):
        RandomUtilityFunction(rng=(3.0, 1.0))
