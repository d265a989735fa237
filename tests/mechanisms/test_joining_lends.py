"""What a mechanism does to what joins it: lending its outcome space, unique ids."""

from __future__ import annotations

import pytest

from palaver.mechanisms import MechanismError, NegotiatorError, SAOMechanism
from palaver.negotiators import AspirationNegotiator, ToughNegotiator
from palaver.outcomes import make_issue
from palaver.preferences import LinearUtilityFunction


def _session(seed: int = 0, n_steps: int = 10) -> SAOMechanism:
    return SAOMechanism(issues=[make_issue(10, "price")], n_steps=n_steps, seed=seed)


def test_the_space_is_lent_from_the_start_to_the_end() -> None:
    mine, theirs = LinearUtilityFunction([1.0]), LinearUtilityFunction([-1.0], bias=9.0)
    m = _session()
    m.add(AspirationNegotiator(ufun=mine))
    m.add(AspirationNegotiator(ufun=theirs))
    assert mine.outcome_space is None and theirs.outcome_space is None
    m.step()
    assert mine.outcome_space is m.outcome_space and theirs.outcome_space is m.outcome_space
    m.run()
    assert mine.outcome_space is None and theirs.outcome_space is None


def test_a_function_given_with_add_is_lent_too() -> None:
    given = LinearUtilityFunction([1.0])
    m = _session()
    m.add(AspirationNegotiator(), ufun=given)
    m.add(ToughNegotiator(ufun=LinearUtilityFunction([-1.0], bias=9.0)))
    assert given.outcome_space is None
    m.step()
    assert given.outcome_space is m.outcome_space
    m.run()
    assert given.outcome_space is None


def test_a_function_bound_by_its_maker_keeps_its_space() -> None:
    m = _session()
    bound = LinearUtilityFunction([1.0], outcome_space=m.outcome_space)
    m.add(AspirationNegotiator(ufun=bound))
    m.add(AspirationNegotiator(ufun=LinearUtilityFunction([-1.0], bias=9.0)))
    m.run()
    assert bound.outcome_space is m.outcome_space


def test_a_function_shared_by_two_running_negotiations_keeps_the_space_until_both_end() -> None:
    shared = LinearUtilityFunction([1.0])
    short, long = _session(seed=1, n_steps=2), _session(seed=2, n_steps=8)
    for m in (short, long):
        m.add(ToughNegotiator(ufun=shared))
        m.add(ToughNegotiator(ufun=LinearUtilityFunction([-1.0], bias=9.0)))
    short.step()
    long.step()
    assert shared.outcome_space is short.outcome_space
    short.run()
    assert short.state.ended and long.state.running
    assert shared.outcome_space is short.outcome_space  # long still uses it
    long.run()
    assert shared.outcome_space is None


def test_a_space_set_by_user_code_during_the_run_is_kept() -> None:
    mine = LinearUtilityFunction([1.0])
    m = _session()
    m.add(ToughNegotiator(ufun=mine))
    m.add(ToughNegotiator(ufun=LinearUtilityFunction([-1.0], bias=9.0)))
    m.step()
    own = _session().outcome_space
    mine.outcome_space = own
    m.run()
    assert mine.outcome_space is own


def test_negotiators_named_alike_get_distinct_ids_unless_ids_were_given() -> None:
    m = _session()
    a, b, c = (ToughNegotiator(name="a1", ufun=LinearUtilityFunction([1.0])) for _ in range(3))
    assert m.add(a) and m.add(b) and m.add(c)
    assert [n.id for n in m.negotiators] == ["a1", "a1-1", "a1-2"]
    assert b.name == "a1" and not b.id_given
    given = ToughNegotiator(name="x", id="a1", ufun=LinearUtilityFunction([1.0]))
    assert given.id_given
    with pytest.raises(MechanismError, match="already has a negotiator with id 'a1'"):
        m.add(given)


class Greeter(ToughNegotiator):
    """Notes who joined after it (NegMAS's on_negotiator_entered)."""

    def __init__(self, name: str, fail: bool = False) -> None:
        super().__init__(name=name, ufun=LinearUtilityFunction([1.0]))
        self.entered: list[str] = []
        self.fail = fail

    def on_negotiator_entered(self, negotiator_id: str, state: object) -> None:
        if self.fail:
            raise RuntimeError("no visitors")
        self.entered.append(negotiator_id)


def test_those_already_in_hear_of_each_newcomer() -> None:
    m = _session()
    first, second, third = Greeter("a"), Greeter("b"), Greeter("c")
    for n in (first, second, third):
        assert m.add(n)
    assert first.entered == ["b", "c"] and second.entered == ["c"] and third.entered == []
    quiet = SAOMechanism(issues=[make_issue(10, "price")], n_steps=5, extra_callbacks=False)
    lone = Greeter("a")
    quiet.add(lone)
    quiet.add(Greeter("b"))
    assert lone.entered == []
    failing = _session()
    failing.add(Greeter("a", fail=True))
    with pytest.raises(NegotiatorError, match="'a' raised RuntimeError in on_negotiator_entered"):
        failing.add(Greeter("b"))
