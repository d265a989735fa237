"""NegMAS's entry rules: requirements against capabilities, max_n_negotiators, dynamic_entry."""

from __future__ import annotations

from typing import Any

import pytest

from palaver.mechanisms import SAOMechanism
from palaver.mechanisms.entry import satisfies
from palaver.mechanisms.errors import MechanismTypeError, MechanismValueError
from palaver.negotiators import LimitedOutcomesNegotiator, RandomNegotiator
from palaver.preferences import MappingUtilityFunction


class Capable(RandomNegotiator):
    """A negotiator that declares capabilities."""

    def __init__(self, capabilities: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.capabilities = capabilities


def mechanism(**kwargs: Any) -> SAOMechanism:
    return SAOMechanism(outcomes=5, n_steps=5, **kwargs)


def ufun() -> MappingUtilityFunction:
    return MappingUtilityFunction(lambda o: 1.0)


@pytest.mark.parametrize(
    ("required", "offered", "ok"),
    [
        (None, None, True),  # None requires nothing, not even presence
        (None, "anything", True),
        ("x", None, False),  # anything else requires presence
        (3, 3, True),
        (3, 4, False),
        ("fast", "fast", True),
        ("fast", "slow", False),
        ((10, 20), 10, True),  # a pair of numbers is an inclusive range
        ((10, 20), 20.0, True),
        ((10, 20), 21, False),
        ((10, 20), (19, 30), True),  # overlapping ranges
        ((10, 20), (21, 30), False),
        ((10, 20), [1, 15], True),  # a number of the list inside
        ((10, 20), [1, 25], False),
        ((10, 20), "15", False),
        (12, (10, 20), True),  # a range offered, a number required
        (25, (10, 20), False),
        ([1, 25], (10, 20), False),
        ({7, 15}, (10, 20), True),
        ("a", (10, 20), False),
        ({1, 2}, [2, 3], True),  # two sets share a value
        ({1, 2}, [3, 4], False),
        ({1, 2}, 2, True),  # a value among the alternatives
        ({1, 2}, 5, False),
        (2, [1, 2], True),
        (5, [1, 2], False),
        (("a", "b"), ("a", "b"), True),  # a tuple of non-numbers is one value
        (("a", "b"), "a", False),
    ],
)
def test_one_requirement_against_one_capability(required: Any, offered: Any, ok: bool) -> None:
    capabilities = {} if offered is None else {"k": offered}
    assert satisfies({"k": required}, capabilities) is ok


def test_every_requirement_must_be_met() -> None:
    assert satisfies({}, {})
    assert satisfies({"a": 1, "b": None}, {"a": 1})
    assert not satisfies({"a": 1, "b": 2}, {"a": 1, "b": 3})


def test_requirements_are_set_added_and_removed_with_lists_kept_as_sets() -> None:
    m = mechanism()
    assert m.requirements == {}
    m.requirements = {"a": True, "b": [1, 2, 2]}
    assert m.requirements == {"a": True, "b": {1, 2}}
    m.add_requirements({"c": [3], "a": False})
    assert m.requirements == {"a": False, "b": {1, 2}, "c": {3}}
    m.remove_requirements(["a", "missing"])
    assert m.requirements == {"b": {1, 2}, "c": {3}}
    assert m.is_satisfying({"b": 2, "c": [3, 4]})
    assert not m.is_satisfying({"b": 2})


@pytest.mark.parametrize("bad", [[("a", 1)], "a", None])
def test_requirements_must_be_a_dict(bad: Any) -> None:
    m = mechanism()
    with pytest.raises(MechanismTypeError, match="requirements must be a dict"):
        m.requirements = bad
    with pytest.raises(MechanismTypeError, match="requirements must be a dict"):
        m.add_requirements(bad)
    with pytest.raises(MechanismTypeError, match="keys must be strings, got 1"):
        m.requirements = {1: True}


def test_can_participate_reads_the_negotiators_capabilities() -> None:
    m = mechanism()
    assert m.can_participate(RandomNegotiator())  # no requirements: anyone
    m.requirements = {"speed": (1, 5)}
    assert m.can_participate(Capable({"speed": 3}))
    assert not m.can_participate(Capable({"speed": 9}))
    assert not m.can_participate(RandomNegotiator())  # declares no capabilities
    with pytest.raises(MechanismTypeError, match=r"Capable.capabilities must be a dict.*\[3\]"):
        m.can_participate(Capable([3]))


def test_add_refuses_a_negotiator_that_cannot_participate() -> None:
    m = mechanism()
    m.requirements = {"speed": (1, 5)}
    slow, fast = Capable({"speed": 9}), Capable({"speed": 2})
    assert m.can_enter(fast) and not m.can_enter(slow)
    assert m.add(slow, ufun=ufun()) is False
    assert m.add(fast, ufun=ufun()) is True
    assert m.negotiators == [fast]


def test_max_n_negotiators_limits_who_joins() -> None:
    m = mechanism(max_n_negotiators=2)
    assert m.max_n_negotiators == 2 and mechanism().max_n_negotiators is None
    assert m.can_accept_more_negotiators()
    assert m.add(RandomNegotiator(), ufun=ufun())
    assert m.can_accept_more_negotiators()
    assert m.add(RandomNegotiator(), ufun=ufun())
    assert not m.can_accept_more_negotiators()
    third = RandomNegotiator()
    assert not m.can_enter(third)
    assert m.add(third, ufun=ufun()) is False and len(m.negotiators) == 2


@pytest.mark.parametrize(
    ("value", "error"),
    [(0, MechanismValueError), (-1, MechanismValueError), (2.0, MechanismTypeError)],
)
def test_max_n_negotiators_is_a_positive_int(value: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match="max_n_negotiators"):
        mechanism(max_n_negotiators=value)
    with pytest.raises(MechanismTypeError, match="max_n_negotiators"):
        mechanism(max_n_negotiators=True)


def test_can_leave_follows_dynamic_entry() -> None:
    static, dynamic = mechanism(), mechanism(dynamic_entry=True)
    a = LimitedOutcomesNegotiator(acceptance_probabilities=0.0)  # never ends it
    assert not static.can_leave(a)  # not in it
    assert dynamic.can_leave(a)
    static.add(a)
    static.add(LimitedOutcomesNegotiator(acceptance_probabilities=0.0))
    assert static.can_leave(a)  # in it, not running
    static.step()
    assert static.state.running and not static.can_leave(a)
    with pytest.raises(MechanismTypeError, match="dynamic_entry"):
        mechanism(dynamic_entry="yes")


def test_a_static_sao_with_one_negotiator_ends_without_starting_until_a_second_joins() -> None:
    m = mechanism()
    assert not m.state.ended_without_starting
    m.add(RandomNegotiator(), ufun=ufun())
    state = m.run()
    assert not state.started and not state.running and state.ended_without_starting
    assert m.step() is state and not state.started and not m.history
    m.add(RandomNegotiator(), ufun=ufun())
    state = m.run()
    assert state.started and state.ended and not state.ended_without_starting


def test_a_dynamic_sao_with_one_negotiator_waits_without_ending() -> None:
    m = mechanism(dynamic_entry=True)
    m.add(RandomNegotiator(), ufun=ufun())
    state = m.run()
    assert not state.started and not state.ended_without_starting


def test_a_static_sao_where_nobody_can_propose_ends_broken_at_the_start() -> None:
    from palaver.negotiators import LimitedOutcomesAcceptor

    m = mechanism()
    m.add(LimitedOutcomesAcceptor(name="x"))
    m.add(Capable({"propose": False}, name="y"), ufun=ufun())
    state = m.run()
    assert state.started and state.broken and state.has_error and state.step == 0
    assert "no negotiator of" in state.error_details and "can propose" in state.error_details
    assert not m.history
    mixed = mechanism()
    mixed.add(LimitedOutcomesAcceptor(name="x"))
    mixed.add(RandomNegotiator(name="r"), ufun=ufun())
    assert not mixed.run().has_error
    waiting = mechanism(dynamic_entry=True)
    waiting.add(LimitedOutcomesAcceptor(name="x"))
    waiting.add(LimitedOutcomesAcceptor(name="z"))
    assert not waiting.run().has_error  # others may still join: it plays on
