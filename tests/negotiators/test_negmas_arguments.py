"""NegMAS 0.16's constructor arguments of the shipped negotiators, with NegMAS's meaning."""

from __future__ import annotations

from typing import Any

import pytest

from palaver.mechanisms import SAOMechanism
from palaver.negotiators import (
    AspirationNegotiator,
    MiCRONegotiator,
    NaiveTitForTatNegotiator,
    NiceNegotiator,
    ToughNegotiator,
)
from palaver.outcomes import make_issue
from palaver.preferences import (
    AffineFun,
    BruteForceInverseUtilityFunction,
    IdentityFun,
    PresortingInverseUtilityFunction,
    SamplingInverseUtilityFunction,
)
from palaver.preferences import LinearAdditiveUtilityFunction as LUFun

ISSUES = [make_issue(10, "price"), make_issue(5, "quantity")]


def ufuns() -> tuple[Any, Any]:
    seller = LUFun({"price": IdentityFun(), "quantity": AffineFun(0.5)}, issues=ISSUES)
    buyer = LUFun({"price": AffineFun(-1.0, bias=9.0), "quantity": IdentityFun()}, issues=ISSUES)
    return seller.normalize(), buyer.normalize()


def session(a: Any, b: Any, n_steps: int = 30, seed: int | None = None) -> SAOMechanism:
    m = SAOMechanism(issues=ISSUES, n_steps=n_steps, seed=seed)
    seller, buyer = ufuns()
    m.add(a, ufun=seller)
    m.add(b, ufun=buyer)
    m.run()
    return m


def test_max_aspiration_starts_lower_as_in_negmas() -> None:
    # NegMAS 0.16 on this scenario: the seller's first offer is (7, 4), the
    # agreement (4, 4) in round 24 after 47 offers (run side by side).
    m = session(AspirationNegotiator(name="s", max_aspiration=0.8), AspirationNegotiator(name="b"))
    offers = [(who, o) for _, who, o in m.history]
    assert offers[0] == ("s", (7, 4))
    assert m.state.agreement == (4, 4) and m.state.step == 24 and len(offers) == 47
    full = session(AspirationNegotiator(name="s"), AspirationNegotiator(name="b"))
    assert full.history[0][2] == (9, 4)
    neg = m.negotiators[0]
    assert neg.utility_at(0.0) == pytest.approx(0.8)  # normalized: floor 0, best 1
    assert neg.utility_at(1.0) == pytest.approx(0.0)


def test_tolerance_lowers_what_it_offers_and_accepts() -> None:
    seller, _ = ufuns()  # normalized: (9, 4) is 1, (9, 3) 10.5/11, (8, 4) 10/11
    exact = AspirationNegotiator(name="e", ufun=seller)
    loose = AspirationNegotiator(name="l", ufun=seller, tolerance=0.05)
    m = SAOMechanism(issues=ISSUES, n_steps=10)
    m.add(exact)
    m.add(loose)
    state = m.state
    for n in (exact, loose):
        n.on_negotiation_start(state)
    assert exact.utility_at(0.0) == loose.utility_at(0.0) == pytest.approx(1.0)
    assert exact.respond(state, (9, 3)).name == "REJECT_OFFER"
    assert loose.respond(state, (9, 3)).name == "ACCEPT_OFFER"  # within 0.05 of 1
    assert loose.respond(state, (8, 4)).name == "REJECT_OFFER"
    assert exact.propose(state) == (9, 4)
    assert loose.propose(state) == (9, 3)  # the worst outcome worth at least 1 - 0.05


def test_stochastic_draws_among_the_outcomes_meeting_the_aspiration() -> None:
    def offers(seed: int) -> list[Any]:
        m = session(
            AspirationNegotiator(name="s", stochastic=True, aspiration_type="linear"),
            ToughNegotiator(name="b"),
            n_steps=40,
            seed=seed,
        )
        return [(o, m.negotiators[0].ufun(o)) for _, who, o in m.history if who == "s"]

    first = offers(3)
    assert first == offers(3)  # seeded: replays exactly
    assert len({o for o, _ in first}) > len(first) // 3  # draws, not one outcome per level
    m = SAOMechanism(issues=ISSUES, n_steps=40)
    probe = AspirationNegotiator(name="p", stochastic=True, ufun=ufuns()[0])
    m.add(probe)
    m.add(ToughNegotiator(name="t", ufun=ufuns()[1]))
    probe.on_negotiation_start(m.state)
    assert probe.round_plan(40) is None  # nothing known in advance
    for _ in range(20):
        assert probe.ufun(probe.propose(m.state)) >= probe.utility_at(m.state.relative_time)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_aspiration": 1.5}, r"max_aspiration must be .* in \[0, 1\], got 1.5"),
        ({"max_aspiration": "high"}, "max_aspiration must be a finite number, got 'high'"),
        ({"tolerance": -0.1}, r"tolerance must be a number >= 0, got -0.1"),
        # Integers are named as given, not as the floats they are read as.
        ({"max_aspiration": 2}, r"in \[0, 1\], got 2$"),
        ({"tolerance": -1}, r">= 0, got -1$"),
        ({"stochastic": 1}, "stochastic must be True or False, got 1"),
        ({"presort": False}, "presort must be True"),
        ({"ufun_inverter": 5}, "ufun_inverter must be None or an inverse utility function"),
    ],
)
def test_unsupported_aspiration_arguments_are_refused_by_name(
    kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises((ValueError, TypeError), match=message):
        AspirationNegotiator(**kwargs)


def test_negmas_defaults_spelled_out_change_nothing() -> None:
    plain = session(AspirationNegotiator(name="s"), AspirationNegotiator(name="b"))
    spelled = session(
        AspirationNegotiator(
            name="s", max_aspiration=1.0, stochastic=False, presort=True, ufun_inverter=None
        ),
        AspirationNegotiator(name="b"),
    )
    assert plain.history == spelled.history


def test_a_presorting_inverter_proposes_what_the_own_ranking_does() -> None:
    # The same offers, round by round: the inverter's worst_in of the range from
    # the aspiration up is the ranking's least outcome meeting the aspiration.
    plain = session(AspirationNegotiator(name="s"), AspirationNegotiator(name="b"))
    inverted = session(
        AspirationNegotiator(name="s", ufun_inverter=PresortingInverseUtilityFunction),
        AspirationNegotiator(name="b", ufun_inverter=BruteForceInverseUtilityFunction),
    )
    assert inverted.history == plain.history
    assert inverted.agreement == plain.agreement is not None


def test_a_sampling_inverter_concedes_and_agrees() -> None:
    seller, _ = ufuns()
    a = AspirationNegotiator(name="s", ufun_inverter=SamplingInverseUtilityFunction)
    b = AspirationNegotiator(name="b", ufun_inverter=SamplingInverseUtilityFunction)
    m = session(a, b, n_steps=60)
    assert m.agreement is not None
    offers = [outcome for _, who, outcome in m.history if who == a.id]
    assert len(offers) > 2 and seller(offers[0]) > seller(offers[-1])  # it conceded


def test_micro_accept_same() -> None:
    seller, _ = ufuns()
    same = MiCRONegotiator(name="s", ufun=seller)
    strict = MiCRONegotiator(name="t", ufun=seller, accept_same=False)
    m = SAOMechanism(issues=ISSUES, n_steps=10)
    m.add(same)
    m.add(strict)
    for n in (same, strict):
        n.on_negotiation_start(m.state)
    best = (9, 4)  # what each would offer first
    assert same.respond(m.state, best).name == "ACCEPT_OFFER"
    assert strict.respond(m.state, best).name == "REJECT_OFFER"
    with pytest.raises(TypeError, match="accept_same must be True or False, got 'yes'"):
        MiCRONegotiator(accept_same="yes")  # type: ignore[arg-type]


def test_tough_can_propose() -> None:
    m = session(ToughNegotiator(name="s", can_propose=False), NiceNegotiator(name="b"), seed=1)
    assert [who for _, who, _ in m.history] and all(who == "b" for _, who, _ in m.history)
    assert m.state.agreement is None or m.negotiators[0].ufun(m.state.agreement) == 1.0
    with pytest.raises(TypeError, match="can_propose must be True or False, got None"):
        ToughNegotiator(can_propose=None)  # type: ignore[arg-type]


def test_tit_for_tat_takes_negmas_options_at_their_defaults() -> None:
    NaiveTitForTatNegotiator(
        punish=False,
        initial_concession="min",
        rank_only=False,
        stochastic=False,
        must_concede=True,
        no_concession_step=0,
        kindness_start_step=3,
        min_concession_eps=1e-12,
    )
    NaiveTitForTatNegotiator(initial_concession=0)
    NaiveTitForTatNegotiator(initial_concession=0.2, must_concede=False)  # both supported
    NaiveTitForTatNegotiator(punish=True, stochastic=True, kindness_start_step=5)
    with pytest.raises(ValueError, match=r"rank_only=True is not supported .* allowed: "):
        NaiveTitForTatNegotiator(rank_only=True)


def test_a_negmas_style_respond_gets_the_proposers_id_as_source() -> None:
    """NegMAS 0.16 calls respond(state, source) with the proposer's id; Palaver's
    own signature, respond(state, offer), still gets the offer."""
    from palaver.mechanisms import ResponseType
    from palaver.negotiators import SAONegotiator

    heard: list[tuple[str, Any, Any]] = []

    class NegmasStyle(SAONegotiator):
        def propose(self, state: Any, dest: str | None = None) -> Any:
            return (9, 4)

        def respond(self, state: Any, source: str | None = None) -> ResponseType:
            heard.append(("negmas", source, state.current_offer))
            return ResponseType.REJECT_OFFER

    class PalaverStyle(NegmasStyle):
        def respond(self, state: Any, offer: Any) -> ResponseType:
            heard.append(("palaver", offer, state.current_offer))
            return ResponseType.REJECT_OFFER

    session(NegmasStyle(name="n"), PalaverStyle(name="p"), n_steps=3)
    assert heard
    for kind, got, current in heard:
        if kind == "negmas":
            assert got == "p" and current == (9, 4)
        else:
            assert got == current == (9, 4)
