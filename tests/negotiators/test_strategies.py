"""The built-in strategies: behaviour, determinism, continuous issues."""

from __future__ import annotations

import inspect
import pickle

import pytest

from palaver.mechanisms import (
    NegotiatorError,
    ResponseType,
    SAOMechanism,
    SAOState,
    STVetoMechanism,
)
from palaver.negotiators import (
    ASPIRATION_EXPONENTS,
    AspirationNegotiator,
    BoulwareNegotiator,
    ConcederNegotiator,
    LinearNegotiator,
    MiCRO,
    NaiveTitForTat,
    NiceNegotiator,
    RandomNegotiator,
    SAONegotiator,
    ToughNegotiator,
    aspiration_exponent,
)
from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences import LinearUtilityFunction

SPACE = OutcomeSpace([make_issue(10, "x"), make_issue(10, "y"), make_issue(10, "z")])
SMALL = OutcomeSpace([make_issue(4, "x"), make_issue(4, "y")])


def seller(rv: float = 0.0) -> LinearUtilityFunction:
    return LinearUtilityFunction([0.5, 0.3, 0.2], reserved_value=rv)


def buyer(rv: float = 0.0) -> LinearUtilityFunction:
    return LinearUtilityFunction([-0.2, -0.3, -0.5], bias=9.0, reserved_value=rv)


def negotiate(a: SAONegotiator, b: SAONegotiator, space=SPACE, n_steps=100, seed=1):
    m = SAOMechanism(outcome_space=space, n_steps=n_steps, seed=seed)
    assert m.add(a) and m.add(b)
    return m, m.run()


def at(t: float) -> SAOState:
    return SAOState(relative_time=t, running=True, started=True)


def started(negotiator: SAONegotiator, space=SPACE) -> SAONegotiator:
    """A negotiator that has joined a (never run) mechanism and initialised."""
    m = SAOMechanism(outcome_space=space, n_steps=10, seed=0)
    m.add(negotiator)
    negotiator.on_negotiation_start(m.state)
    return negotiator


def test_aspiration_presets_and_exponents() -> None:
    assert ASPIRATION_EXPONENTS == {"boulware": 4.0, "linear": 1.0, "conceder": 0.25}
    assert BoulwareNegotiator(ufun=seller()).exponent == 4.0
    assert LinearNegotiator(ufun=seller()).exponent == 1.0
    assert ConcederNegotiator(ufun=seller()).exponent == 0.25
    assert AspirationNegotiator(ufun=seller(), aspiration_type=2).exponent == 2.0
    assert aspiration_exponent("Boulware") == 4.0
    for bad in ("stubborn", 0, -1.0, True):
        with pytest.raises(ValueError):
            aspiration_exponent(bad)  # type: ignore[arg-type]


def test_aspiration_curve_goes_from_best_to_reserved_value() -> None:
    curves = {}
    for kind in ("boulware", "linear", "conceder"):
        n = started(AspirationNegotiator(ufun=seller(rv=2.0), aspiration_type=kind))
        assert n.utility_at(0.0) == pytest.approx(9.0)  # the best outcome (9, 9, 9)
        assert n.utility_at(1.0) == pytest.approx(2.0)  # the reserved value
        values = [n.utility_at(t / 10) for t in range(11)]
        assert values == sorted(values, reverse=True)
        curves[kind] = n.utility_at(0.5)
    assert curves["boulware"] > curves["linear"] > curves["conceder"]


def test_aspiration_proposes_the_cheapest_outcome_meeting_its_aspiration() -> None:
    n = started(AspirationNegotiator(ufun=seller(), aspiration_type="linear"))
    assert n.propose(at(0.0)) == (9, 9, 9)
    for t in (0.2, 0.5, 0.9):
        offer = n.propose(at(t))
        level = n.utility_at(t)
        u = n.ufun(offer)
        assert u >= level - 1e-9
        # nothing on the grid lies strictly between the aspiration and the proposal
        assert not [o for o in SPACE.enumerate() if level <= n.ufun(o) < u - 1e-12]


def test_aspiration_accepts_offers_meeting_its_aspiration() -> None:
    n = started(AspirationNegotiator(ufun=seller(), aspiration_type="linear"))
    assert n.respond(at(0.1), (9, 9, 9)) is ResponseType.ACCEPT_OFFER
    assert n.respond(at(0.1), (0, 0, 0)) is ResponseType.REJECT_OFFER
    assert n.respond(at(0.99), (5, 5, 5)) is ResponseType.ACCEPT_OFFER


def test_aspiration_without_hope_ends_the_negotiation() -> None:
    n = started(AspirationNegotiator(ufun=seller(rv=100.0)))
    assert n.propose(at(0.1)) is None
    assert n.respond(at(0.1), (9, 9, 9)) is ResponseType.END_NEGOTIATION


def test_two_boulware_negotiators_agree_late_above_their_reserved_values() -> None:
    a, b = AspirationNegotiator(ufun=seller(rv=2.0)), AspirationNegotiator(ufun=buyer(rv=2.0))
    _, state = negotiate(a, b)
    assert state.agreement is not None and state.step > 50
    assert a.ufun(state.agreement) >= 2.0 and b.ufun(state.agreement) >= 2.0


def test_conceders_agree_sooner_than_boulwares() -> None:
    _, slow = negotiate(BoulwareNegotiator(ufun=seller()), BoulwareNegotiator(ufun=buyer()))
    _, fast = negotiate(ConcederNegotiator(ufun=seller()), ConcederNegotiator(ufun=buyer()))
    assert fast.agreement is not None and fast.step < slow.step


def test_tough_offers_only_its_best_and_accepts_nothing_less() -> None:
    n = started(ToughNegotiator(ufun=seller()))
    assert {n.propose(at(t / 10)) for t in range(10)} == {(9, 9, 9)}
    assert n.respond(at(0.99), (9, 9, 8)) is ResponseType.REJECT_OFFER
    assert n.respond(at(0.0), (9, 9, 9)) is ResponseType.ACCEPT_OFFER
    _, state = negotiate(ToughNegotiator(ufun=seller()), ToughNegotiator(ufun=buyer()), n_steps=20)
    assert state.timedout and state.agreement is None


def test_nice_accepts_anything_worth_its_reserved_value() -> None:
    n = started(NiceNegotiator(ufun=buyer(rv=4.0)))
    assert n.respond(at(0.0), (0, 0, 0)) is ResponseType.ACCEPT_OFFER
    assert n.respond(at(0.0), (5, 5, 5)) is ResponseType.ACCEPT_OFFER  # exactly 4.0
    assert n.respond(at(0.0), (9, 9, 9)) is ResponseType.REJECT_OFFER
    for _ in range(20):
        assert n.ufun(n.propose(at(0.5))) >= 4.0
    tough, nice = ToughNegotiator(ufun=seller()), NiceNegotiator(ufun=buyer())
    _, state = negotiate(tough, nice)
    assert state.agreement == (9, 9, 9) and state.step == 1


def test_random_negotiator_is_reproducible_from_the_seed() -> None:
    def run(seed: int) -> list:
        m, _ = negotiate(RandomNegotiator(), RandomNegotiator(p_acceptance=0.05), seed=seed)
        return [(r, o) for r, _, o in m.history]

    assert run(3) == run(3)
    assert run(3) != run(4)
    always, never = RandomNegotiator(p_acceptance=1.0), RandomNegotiator(p_acceptance=0.0)
    _, state = negotiate(never, always)
    assert state.agreement is not None and state.step == 1
    _, state = negotiate(RandomNegotiator(), RandomNegotiator(p_acceptance=0.0, p_ending=1.0))
    assert state.broken
    with pytest.raises(ValueError):
        RandomNegotiator(p_acceptance=0.8, p_ending=0.5)
    with pytest.raises(ValueError):
        RandomNegotiator(p_acceptance=1.5)


def test_micro_concedes_only_as_often_as_it_receives_new_offers() -> None:
    n = started(MiCRO(ufun=seller()))
    first = n.propose(at(0.0))
    assert first == (9, 9, 9)
    # no new offer received: it repeats
    assert n.propose(at(0.1)) == first
    n.respond(at(0.1), (0, 0, 0))
    second = n.propose(at(0.2))
    assert second != first and n.ufun(second) <= n.ufun(first)
    n.respond(at(0.2), (0, 0, 0))  # not new: no concession
    assert n.propose(at(0.3)) in {first, second}


def test_micro_agreement_on_a_small_space() -> None:
    a, b = (
        MiCRO(ufun=LinearUtilityFunction([1.0, 1.0])),
        MiCRO(ufun=LinearUtilityFunction([-1.0, -1.0], bias=6.0)),
    )
    _, state = negotiate(a, b, space=SMALL, n_steps=40)
    assert state.agreement is not None
    assert a.ufun(state.agreement) >= 0 and b.ufun(state.agreement) >= 0


def test_micro_accepts_what_it_would_offer_next() -> None:
    n = started(MiCRO(ufun=seller()))
    assert n.respond(at(0.0), (9, 9, 9)) is ResponseType.ACCEPT_OFFER
    assert n.respond(at(0.0), (9, 9, 8)) is ResponseType.REJECT_OFFER


def test_deterministic_replay_for_every_strategy() -> None:
    kinds = [AspirationNegotiator, NaiveTitForTat, MiCRO, NiceNegotiator, ToughNegotiator]

    def run(kind: type) -> tuple:
        m, state = negotiate(kind(ufun=seller()), NiceNegotiator(ufun=buyer(rv=3.0)), seed=11)
        return [(r, o) for r, _, o in m.history], state.agreement

    for kind in kinds:
        assert run(kind) == run(kind), kind


def test_continuous_issues_are_discretized_explicitly() -> None:
    space = OutcomeSpace([make_issue((0.0, 10.0), "price"), make_issue(3, "q")])
    a = AspirationNegotiator(ufun=LinearUtilityFunction([1.0, 1.0]), n_levels=5)
    b = ToughNegotiator(ufun=LinearUtilityFunction([-1.0, -1.0], bias=12.0), n_levels=3)
    m, _ = negotiate(a, b, space=space, n_steps=10)
    a_prices = {o[0] for _, who, o in m.history if who == a.id}
    assert a_prices <= {0.0, 2.5, 5.0, 7.5, 10.0}
    assert {o for _, who, o in m.history if who == b.id} == {(0.0, 0)}
    # offers off the grid are judged by the utility function itself
    nice = started(
        NiceNegotiator(ufun=LinearUtilityFunction([1.0, 0.0], reserved_value=3.3)), space
    )
    assert nice.respond(at(0.0), (3.31, 1)) is ResponseType.ACCEPT_OFFER
    assert nice.respond(at(0.0), (3.29, 1)) is ResponseType.REJECT_OFFER


def test_multilateral_with_three_aspiration_negotiators() -> None:
    space = OutcomeSpace([make_issue(5, "x"), make_issue(5, "y")])
    ufuns = [
        LinearUtilityFunction([2.0, 1.0]),
        LinearUtilityFunction([1.0, 2.0]),
        LinearUtilityFunction([-1.0, -1.0], bias=8.0),
    ]
    m = SAOMechanism(outcome_space=space, n_steps=60, seed=2)
    negotiators = [AspirationNegotiator(ufun=u) for u in ufuns]
    for n in negotiators:
        m.add(n)
    state = m.run()
    assert state.agreement is not None and state.n_acceptances == 3
    assert all(n.ufun(state.agreement) >= 0 for n in negotiators)


def test_builtin_negotiators_take_part_in_the_veto_mechanism() -> None:
    m = STVetoMechanism(outcome_space=SPACE, n_steps=60, seed=4)
    a, b = AspirationNegotiator(ufun=seller(rv=1.0)), NiceNegotiator(ufun=buyer(rv=1.0))
    m.add(a)
    m.add(b)
    state = m.run()
    assert state.agreement is not None
    assert a.ufun(state.agreement) >= 1.0 and b.ufun(state.agreement) >= 1.0
    assert a.is_better((9, 9, 9), (0, 0, 0)) is True
    assert a.is_better((0, 0, 0), (9, 9, 9)) is False
    assert a.is_better((1, 0, 0), (1, 0, 0)) is None


def test_strategies_need_a_ufun_but_random_does_not() -> None:
    m = SAOMechanism(outcome_space=SPACE, n_steps=5)
    with pytest.raises(NegotiatorError, match="needs a utility function"):
        m.add(AspirationNegotiator())
    assert m.add(RandomNegotiator())


def test_a_pickled_negotiation_with_builtins_resumes_exactly() -> None:
    space = OutcomeSpace([make_issue(6, "x"), make_issue((0.0, 1.0), "p")])

    def make() -> SAOMechanism:
        m = SAOMechanism(outcome_space=space, n_steps=60, seed=9)
        m.add(AspirationNegotiator(name="asp", ufun=LinearUtilityFunction([1.0, 2.0])))
        m.add(MiCRO(name="micro", ufun=LinearUtilityFunction([-1.0, -2.0], bias=7.0)))
        m.add(RandomNegotiator(name="rnd", p_acceptance=0.5))
        return m

    whole = make()
    whole.run()
    part = make()
    for _ in range(5):
        part.step()
    resumed = pickle.loads(pickle.dumps(part))
    resumed.run()
    assert resumed.history == whole.history
    assert resumed.agreement == whole.agreement


@pytest.mark.parametrize(
    "kind",
    [
        AspirationNegotiator,
        NaiveTitForTat,
        MiCRO,
        RandomNegotiator,
        ToughNegotiator,
        NiceNegotiator,
    ],
)
def test_every_strategy_votes_in_the_veto_mechanism(kind: type) -> None:
    m = STVetoMechanism(outcome_space=SPACE, n_steps=10, seed=1)
    m.add(kind(ufun=seller()))
    m.add(NiceNegotiator(ufun=buyer()))
    state = m.run()
    assert state.ended and not state.has_error


def test_planned_proposals_match_the_curve() -> None:
    n = started(AspirationNegotiator(ufun=seller(rv=1.0)))
    assert n.nmi is not None and n.nmi.n_steps == 10
    for k in range(10):
        t = (k + 1) * (1.0 / 11)  # the relative time SAO shows in round k
        planned = n.propose(at(t))
        assert planned == n.ranking.at_least(n.utility_at(t))
        assert n.ufun(planned) >= n.utility_at(t) - 1e-9


def test_presets_are_the_aspiration_negotiator_with_another_default() -> None:
    """One constructor: the presets only change ``default_aspiration``."""
    for preset in (BoulwareNegotiator, LinearNegotiator, ConcederNegotiator):
        assert "__init__" not in preset.__dict__
        params = inspect.signature(preset).parameters
        assert list(params)[:4] == ["name", "ufun", "preferences", "id"]
        assert params["n_levels"].kind is inspect.Parameter.KEYWORD_ONLY
    assert LinearNegotiator(ufun=seller(), aspiration_type=2.0).exponent == 2.0
    assert AspirationNegotiator(ufun=seller()).exponent == 4.0
    # A positional fifth argument was n_levels for the presets before: refused, not misread.
    with pytest.raises(TypeError):
        BoulwareNegotiator("b", seller(), None, None, 5)  # type: ignore[misc]

    class Hurried(AspirationNegotiator):
        default_aspiration = 0.5

    assert Hurried(ufun=seller()).exponent == 0.5
    Hurried.default_aspiration = "sometimes"
    with pytest.raises(ValueError, match="aspiration_type"):
        Hurried(ufun=seller())
