"""The cheap forms of the request path's checks answer exactly as the plain ones."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from palaver.negotiators import AspirationNegotiator
from palaver.outcomes import Issue, make_issue
from palaver.preferences import LinearUtilityFunction
from palaver.world.kinds import are_issues, is_mapping
from palaver.world.returns import NEGOTIATOR_METHODS, is_negotiator


def _plain_is_negotiator(value: Any) -> bool:
    return not isinstance(value, type | str | bytes) and all(
        callable(getattr(value, m, None)) for m in NEGOTIATOR_METHODS
    )


class _Duck:
    def join(self, *args: Any) -> bool:
        return True

    def on_negotiation_start(self, state: Any) -> None:
        pass

    def on_negotiation_end(self, state: Any) -> None:
        pass


class _PropertyJoin(_Duck):
    @property
    def join(self) -> Any:  # type: ignore[override]
        return None


class _Routed(_Duck):
    def __getattribute__(self, name: str) -> Any:
        if name == "on_negotiation_end":
            return 3
        return super().__getattribute__(name)


class _Slotted:
    __slots__ = ("join",)

    def on_negotiation_start(self, state: Any) -> None:
        pass

    def on_negotiation_end(self, state: Any) -> None:
        pass


class _SlottedDuck:
    # Methods as plain functions, and no instance __dict__ at all.
    __slots__ = ("ufun",)

    def join(self, *args: Any) -> bool:
        return True

    def on_negotiation_start(self, state: Any) -> None:
        pass

    def on_negotiation_end(self, state: Any) -> None:
        pass


def _values() -> list[Any]:
    shadowed = AspirationNegotiator(ufun=LinearUtilityFunction([1.0]))
    shadowed.on_negotiation_end = None  # type: ignore[method-assign,assignment]
    given = _Duck()
    given.join = lambda *a: True  # type: ignore[method-assign]
    broken = _Duck()
    broken.on_negotiation_start = "no"  # type: ignore[method-assign,assignment]
    slotted = _Slotted()
    slotted.join = print  # type: ignore[assignment]
    return [
        AspirationNegotiator(ufun=LinearUtilityFunction([1.0])),
        AspirationNegotiator,
        shadowed,
        _Duck(),
        given,
        broken,
        _PropertyJoin(),
        _Routed(),
        slotted,
        _Slotted(),
        _SlottedDuck(),
        {},
        "join",
        None,
        3,
    ]


def test_is_negotiator_answers_as_the_plain_check() -> None:
    for value in _values() + _values():  # twice: the second time from the class cache
        assert is_negotiator(value) is _plain_is_negotiator(value), value


def test_is_negotiator_sees_a_method_shadowed_after_the_class_was_seen() -> None:
    negotiator = AspirationNegotiator(ufun=LinearUtilityFunction([1.0]))
    assert is_negotiator(negotiator)
    negotiator.join = 5  # type: ignore[method-assign,assignment]
    assert not is_negotiator(negotiator)


def test_is_negotiator_sees_a_method_replaced_on_the_class_after_it_was_seen() -> None:
    class Changing(_Duck):
        pass

    assert is_negotiator(Changing())
    Changing.on_negotiation_end = None  # type: ignore[assignment,method-assign]
    assert not is_negotiator(Changing())
    del Changing.on_negotiation_end  # the base's method again
    assert is_negotiator(Changing())


class _OddMapping(Mapping[str, int]):
    def __getitem__(self, key: str) -> int:
        raise KeyError(key)

    def __iter__(self) -> Any:
        return iter(())

    def __len__(self) -> int:
        return 0


class _VirtualIssue:
    pass


def test_are_issues_and_is_mapping_answer_as_isinstance() -> None:
    issue = make_issue(3, "a")
    assert are_issues([issue, make_issue((0.0, 1.0), "b")])
    assert are_issues([])
    assert not are_issues([issue, "a"])
    assert not are_issues([_VirtualIssue()])
    # A class registered later is an issue from then on (the class only this test uses).
    Issue.register(_VirtualIssue)
    assert are_issues([_VirtualIssue()]) is isinstance(_VirtualIssue(), Issue) is True
    for value in ({}, {"a": 1}, _OddMapping(), [], None, "x", dict):
        assert is_mapping(value) is isinstance(value, Mapping)


@pytest.mark.parametrize("annotation", [{}, {"k": 1}, None])
def test_create_negotiation_request_keeps_negmas_positional_order(annotation: Any) -> None:
    from palaver.world import Agent

    agent: Agent[Any] = Agent(name="a")
    agent.id = "a"
    issues = [make_issue(3, "x")]
    negotiator = AspirationNegotiator(ufun=LinearUtilityFunction([1.0]))
    # NegMAS's order: (issues, partners, annotation, negotiator, extra).
    negmas = agent.create_negotiation_request(issues, ["a", "b"], annotation, negotiator)  # type: ignore[arg-type]
    assert agent.negotiation_requests[negmas].negotiator is negotiator
    assert agent.negotiation_requests[negmas].annotation == dict(annotation or {})
    other = AspirationNegotiator(ufun=LinearUtilityFunction([1.0]))
    ours = agent.create_negotiation_request(issues, ["a", "b"], other, annotation)
    assert agent.negotiation_requests[ours].negotiator is other
    assert agent.negotiation_requests[ours].annotation == dict(annotation or {})


@pytest.mark.parametrize("seed", [0, 1, 7, 12345, 2**40 + 3])
def test_mechanism_seed_draws_what_integers_draws(seed: int) -> None:
    import numpy as np

    from palaver.world.seeds import mechanism_seed

    plain, fast = np.random.default_rng(seed), np.random.default_rng(seed)
    for k in range(3000):
        assert mechanism_seed(fast) == int(plain.integers(0, 2**63 - 1))
        if k % 5 == 0:  # other draws between (the 32-bit ones keep a buffered half)
            assert int(fast.integers(0, 10)) == int(plain.integers(0, 10))
            assert fast.random() == plain.random()
    assert fast.bit_generator.state == plain.bit_generator.state
    other = np.random.Generator(np.random.MT19937(seed))
    again = np.random.Generator(np.random.MT19937(seed))
    assert [mechanism_seed(other) for _ in range(50)] == [
        int(again.integers(0, 2**63 - 1)) for _ in range(50)
    ]


def test_mechanism_seed_asks_a_generator_subclass_its_own_integers() -> None:
    import numpy as np

    from palaver.world.seeds import mechanism_seed

    class Fixed(np.random.Generator):
        def integers(self, *args: Any, **kwargs: Any) -> Any:
            return 42

    assert mechanism_seed(Fixed(np.random.PCG64(1))) == 42
