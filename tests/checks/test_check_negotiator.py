"""check_negotiator passes the built-ins and names each kind of broken negotiator."""

from __future__ import annotations

import random

import pytest

from palaver.checks import CheckFailed, CheckReport, check_negotiator
from palaver.mechanisms import ResponseType
from palaver.negotiators import (
    AspirationNegotiator,
    MiCRO,
    NaiveTitForTat,
    NiceNegotiator,
    RandomNegotiator,
    SAONegotiator,
    ToughNegotiator,
)


@pytest.mark.parametrize(
    "factory",
    [
        AspirationNegotiator,
        NaiveTitForTat,
        MiCRO,
        RandomNegotiator,
        ToughNegotiator,
        NiceNegotiator,
    ],
)
def test_builtin_negotiators_pass(factory: type) -> None:
    report = check_negotiator(factory)
    assert isinstance(report, CheckReport)
    assert "multilateral/deterministic" in report.passed
    assert len(report.passed) == 9


class GlobalRandom(SAONegotiator):
    """Offers drawn from the global generator: not reproducible from the mechanism seed."""

    def propose(self, state):  # type: ignore[no-untyped-def]
        space = (
            self.nmi.outcome_space.discretize(5)
            if not self.nmi.outcome_space.is_discrete
            else self.nmi.outcome_space
        )
        return random.choice(space.enumerate())

    def respond(self, state, offer):  # type: ignore[no-untyped-def]
        return ResponseType.REJECT_OFFER


class Outsider(SAONegotiator):
    def propose(self, state):  # type: ignore[no-untyped-def]
        return tuple(99 for _ in self.nmi.issues)

    def respond(self, state, offer):  # type: ignore[no-untyped-def]
        return ResponseType.REJECT_OFFER


class Mumbler(AspirationNegotiator):
    def respond(self, state, offer):  # type: ignore[no-untyped-def]
        return "yes"


class Crasher(AspirationNegotiator):
    def propose(self, state):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")


def failures(factory: type) -> list[str]:
    with pytest.raises(CheckFailed) as info:
        check_negotiator(factory)
    assert info.value.subject == f"negotiator {factory.__name__}"
    return info.value.problems


def test_global_random_state_is_caught() -> None:
    problems = failures(GlobalRandom)
    assert any(p.startswith("bilateral-discrete/deterministic") for p in problems)


def test_offers_outside_the_space_are_caught() -> None:
    problems = failures(Outsider)
    assert any("bilateral-discrete" in p and "InvalidOfferError" in p for p in problems)


def test_responses_that_are_not_response_types_are_caught() -> None:
    problems = failures(Mumbler)
    assert any("not a ResponseType" in p or "raised" in p for p in problems)


def test_exceptions_are_reported_with_scenario_and_message() -> None:
    problems = failures(Crasher)
    assert len(problems) == 3
    assert all("raised" in p and "boom" in p for p in problems)


def test_failure_message_lists_every_problem() -> None:
    err = CheckFailed("thing", ["a: one", "b: two"])
    assert "failed 2 check(s)" in str(err)
    assert "  - b: two" in str(err)


class _RareGlobalDraws(SAONegotiator):
    """Proposes from its own generator but draws from the global one each turn."""

    def propose(self, state: object) -> object:
        return self.nmi.random_outcome() if random.random() < 2 else None

    def respond(self, state: object, offer: object) -> ResponseType:
        return ResponseType.REJECT_OFFER if random.random() < 0.05 else ResponseType.ACCEPT_OFFER


def test_a_draw_from_the_global_generator_fails_even_when_the_runs_agree() -> None:
    # Short negotiations whose global draws happened to land alike passed as
    # deterministic: every scenario's two runs gave the same trace.
    with pytest.raises(CheckFailed) as failure:
        check_negotiator(_RareGlobalDraws)
    assert any(
        "deterministic: it draws from the global random" in p for p in failure.value.problems
    )


@pytest.mark.parametrize("factory", ["boulware", None, 3])
def test_a_factory_that_cannot_be_called_is_refused_naming_it(factory: object) -> None:
    # It was reported as a failure of the negotiator: "'str' object is not callable".
    with pytest.raises(TypeError, match=rf"factory must be a negotiator class .*got {factory!r}"):
        check_negotiator(factory)  # type: ignore[arg-type]


def test_a_factory_returning_no_negotiator_is_named_with_what_it_returned() -> None:
    # "'NoneType' object has no attribute 'propose'" named neither the factory nor None.
    with pytest.raises(CheckFailed) as failure:
        check_negotiator(lambda: None)
    assert all(
        "runs: raised TypeError: factory() returned None (NoneType), not a negotiator" in p
        for p in failure.value.problems
    )
