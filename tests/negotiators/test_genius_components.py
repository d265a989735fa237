"""NegMAS's Genius BOA components: offering formulas, acceptance rules, models."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from palaver.mechanisms import ResponseType, SAOMechanism
from palaver.negotiators import (
    AspirationNegotiator,
    GACCombi,
    GACCombiAvg,
    GACCombiBestAvg,
    GACCombiMax,
    GACCombiMaxInWindow,
    GACConst,
    GACFalse,
    GACGap,
    GACNext,
    GACPrevious,
    GACTime,
    GACTrue,
    GAgentXFrequencyModel,
    GBayesianModel,
    GChoosingAllBids,
    GDefaultModel,
    GHardHeadedFrequencyModel,
    GHardlinerOffering,
    GNashFrequencyModel,
    GOppositeModel,
    GPerfectModel,
    GSmithFrequencyModel,
    GTimeDependentOffering,
    make_boa,
)
from palaver.outcomes import make_issue, make_os
from palaver.preferences import LinearUtilityFunction

ACCEPT, REJECT = ResponseType.ACCEPT_OFFER, ResponseType.REJECT_OFFER
SPACE = make_os([make_issue(11, "x")])


def ufun(reserved: float = 0.0) -> LinearUtilityFunction:
    """u(x) = x / 10."""
    return LinearUtilityFunction([0.1], outcome_space=SPACE, reserved_value=reserved)


def at(t: float, step: int = 0) -> SimpleNamespace:
    return SimpleNamespace(relative_time=t, step=step)


def owned(*components: object, reserved: float = 0.0) -> None:
    """Give the components a negotiator with u(x) = x / 10."""
    negotiator = make_boa(
        acceptance=GACFalse(),
        offering=GHardlinerOffering(),
        extra_components=list(components),
    )
    negotiator.ufun = ufun(reserved)


def test_time_dependent_formulas_and_offers() -> None:
    policy = GTimeDependentOffering(e=2.0, k=0.0)
    assert policy._f(0.25) == pytest.approx(0.5)
    assert GTimeDependentOffering(e=0, k=0.5)._f(0.7) == 0.5
    assert GTimeDependentOffering(e=1.0, k=0.5)._f(0.5) == pytest.approx(0.75)
    linear = GTimeDependentOffering(e=1.0)
    owned(linear, reserved=0.25)
    assert linear(at(0.0)) == (10,)
    # rational outcomes: x = 3..10 -> Pmin 0.3, Pmax 1.0
    assert (linear._pmin, linear._pmax) == pytest.approx((0.3, 1.0))
    # target(0.5) = 0.3 + 0.7 * 0.5 = 0.65: the worst outcome worth at least it
    assert linear(at(0.5)) == (7,)
    assert linear(at(1.0)) == (3,)


@pytest.mark.parametrize(
    ("kwargs", "word"), [({"e": -1.0}, "e must"), ({"k": 1.5}, "k must"), ({"e": "x"}, "e must")]
)
def test_time_dependent_refuses_bad_parameters(kwargs: dict[str, object], word: str) -> None:
    with pytest.raises((TypeError, ValueError), match=word):
        GTimeDependentOffering(**kwargs)  # type: ignore[arg-type]


def test_simple_acceptance_rules() -> None:
    const, time_ac = GACConst(c=0.5), GACTime(t=0.9)
    owned(const, time_ac)
    assert const(at(0.0), (6,), "p") is ACCEPT
    assert const(at(0.0), (5,), "p") is REJECT  # strictly above c
    assert time_ac(at(0.95), (0,), "p") is ACCEPT and time_ac(at(0.9), (0,), "p") is REJECT
    assert GACTrue()(at(0.0), (0,), "p") is ACCEPT and GACTrue()(at(0.0), None, "p") is REJECT
    with pytest.raises(TypeError, match="offering_policy must be an OfferingPolicy"):
        GACNext(offering_policy="boulware")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="t must be a relative time"):
        GACTime(t=2.0)


def test_next_and_combi_compare_with_the_next_offer() -> None:
    offering = GTimeDependentOffering(e=1.0)
    next_ac = GACNext(offering_policy=offering, a=1.0, b=0.0)
    combi = GACCombi(offering_policy=offering, t=0.95)
    owned(offering, next_ac, combi)
    # at t = 0.5 the next offer is x = 5 (target 0.5)
    assert next_ac(at(0.5, 1), (5,), "p") is ACCEPT
    assert next_ac(at(0.5, 1), (4,), "p") is REJECT
    assert combi(at(0.5, 1), (4,), "p") is REJECT
    assert combi(at(0.96, 2), (0,), "p") is ACCEPT


def test_previous_and_gap_use_the_negotiators_last_offer() -> None:
    previous, gap = GACPrevious(), GACGap(c=0.1)
    owned(previous, gap)
    assert previous(at(0.1), (9,), "p") is REJECT  # no own offer yet
    for part in (previous, gap):
        part.after_proposing(at(0.1), (7,))
    assert previous(at(0.2), (7,), "p") is ACCEPT and previous(at(0.2), (6,), "p") is REJECT
    assert gap(at(0.2), (6,), "p") is ACCEPT and gap(at(0.2), (5,), "p") is REJECT


def test_end_game_rules_after_t() -> None:
    hard = GHardlinerOffering()  # next offer always x = 10: AC_next never accepts below
    rules = {
        "max": GACCombiMax(offering_policy=hard, t=0.9),
        "avg": GACCombiAvg(offering_policy=hard, t=0.9),
        "bestavg": GACCombiBestAvg(offering_policy=hard, t=0.9),
        "window": GACCombiMaxInWindow(offering_policy=hard, t=0.9),
    }
    owned(hard, *rules.values())
    for step, x in enumerate((2, 8, 4, 6)):
        answers = {k: rule(at(0.5, step), (x,), "p") for k, rule in rules.items()}
        assert set(answers.values()) == {REJECT}  # before t: AC_next only
    late = {k: rule(at(0.95, 9), (7,), "p") for k, rule in rules.items()}
    # utilities 0.2 0.8 0.4 0.6 0.7: max 0.8, mean 0.54, mean of those >= 0.7 is 0.75
    assert late == {"max": REJECT, "avg": ACCEPT, "bestavg": REJECT, "window": ACCEPT}


def test_models_default_opposite_and_frequency() -> None:
    assert GDefaultModel().eval((3,)) == 0.5 and GDefaultModel().eval(None) == 0.0
    opposite = GOppositeModel()
    owned(opposite)
    assert opposite.eval((3,)) == pytest.approx(0.7)
    space = make_os([make_issue(3, "a"), make_issue(3, "b")])
    model = GHardHeadedFrequencyModel(learning_coef=0.5)
    negotiator = make_boa(acceptance=GACFalse(), offering=GHardlinerOffering(), model=model)
    negotiator.ufun = LinearUtilityFunction([1.0, 1.0], outcome_space=space)
    for step, offer in enumerate(((0, 2), (1, 2), (2, 2))):
        state = at(0.1, step)
        # both reports of one offer (in the mechanism's order) count once
        model.on_partner_proposal(state, "p", offer)
        model.before_responding(state, offer, "p")
    # issue b unchanged twice: weights (1/2, 1/2) -> (0.5, 1.0)/1.5 -> (1/3, 7/6)/(3/2)
    assert model._issue_weights[1] == pytest.approx((2 / 3 + 0.5) / 1.5)
    assert sum(model._issue_weights.values()) == pytest.approx(1.0)
    # counts: a -> 2 each (default 1 + 1), b: 2 -> 4; value of (0, 2): w_a * 1 + w_b * 1
    assert model.eval((0, 2)) == pytest.approx(1.0)
    assert model.eval((0, 0)) == pytest.approx(
        model._issue_weights[0] + model._issue_weights[1] / 4
    )
    assert negotiator.private_info["opponent_ufun"] is model
    smith = GSmithFrequencyModel()
    owned_smith = make_boa(acceptance=GACFalse(), offering=GHardlinerOffering(), model=smith)
    owned_smith.ufun = LinearUtilityFunction([1.0, 1.0], outcome_space=space)
    smith.on_partner_proposal(None, "p", (1, 1))
    assert smith.eval((1, 1)) == pytest.approx(1.0)
    assert smith.eval((0, 1)) == pytest.approx((0.5 + 1.0) / 2)


def test_choosing_all_bids_cycles_best_first() -> None:
    offering = GChoosingAllBids()
    negotiator = make_boa(acceptance=GACFalse(), offering=offering)
    mechanism = SAOMechanism(outcome_space=SPACE, n_steps=5)
    mechanism.add(negotiator, ufun=ufun())
    offers = [offering(at(0.0)) for _ in range(12)]
    assert offers[:3] == [(10,), (9,), (8,)] and offers[11] == (10,)


def test_a_genius_boa_negotiator_reaches_a_rational_agreement() -> None:
    space = make_os([make_issue(10, "a"), make_issue(10, "b")])
    mine = LinearUtilityFunction([0.05, 0.05], outcome_space=space, reserved_value=0.2)
    theirs = LinearUtilityFunction(
        [-0.05, -0.05], bias=0.9, outcome_space=space, reserved_value=0.2
    )
    offering = GTimeDependentOffering(e=1.0)
    negotiator = make_boa(
        offering=offering,
        acceptance=GACNext(offering_policy=offering),
        model=GHardHeadedFrequencyModel(),
    )
    mechanism = SAOMechanism(outcome_space=space, n_steps=50)
    mechanism.add(negotiator, ufun=mine)
    mechanism.add(AspirationNegotiator(), ufun=theirs)
    agreement = mechanism.run().agreement
    assert agreement is not None and mine(agreement) >= 0.2 and theirs(agreement) >= 0.2


def _learner(model: object) -> None:
    space = make_os([make_issue(3, "a"), make_issue(3, "b")])
    negotiator = make_boa(acceptance=GACFalse(), offering=GHardlinerOffering(), model=model)
    negotiator.ufun = LinearUtilityFunction([1.0, 1.0], outcome_space=space)


def test_nash_and_agentx_weight_rules() -> None:
    nash, agentx = GNashFrequencyModel(unchanged_issue_weight_addition=0.2), GAgentXFrequencyModel()
    for model in (nash, agentx):
        _learner(model)
        model.on_partner_proposal(None, "p", (0, 2))
        model.on_partner_proposal(None, "p", (1, 2))
    # Nash: b gains 0.2 -> (0.5, 0.7) / 1.2
    assert nash._issue_weights[1] == pytest.approx(0.7 / 1.2)
    # AgentX: b -> 0.5 + 0.25 * 0.5 = 0.625, a -> 0.5 * (1 - 0.125) = 0.4375
    assert agentx._issue_weights[1] == pytest.approx(0.625 / 1.0625)
    with pytest.raises(ValueError, match="learning_rate must be a non-negative"):
        GAgentXFrequencyModel(learning_rate=-1.0)


def test_bayesian_model_moves_towards_the_hypothesis_that_explains_the_offers() -> None:
    model = GBayesianModel(n_hypotheses=4, rationality=20.0)
    _learner(model)
    before = model.eval((1, 1))
    utilities = model._utilities((2, 2))
    model.on_partner_proposal(None, "p", (2, 2))
    best = max(range(4), key=lambda h: utilities[h])
    assert model._hypothesis_probs[best] > 0.25
    assert sum(model._hypothesis_probs) == pytest.approx(1.0)
    assert model.eval((2, 2)) >= sum(utilities) / 4 and 0.0 <= before <= 1.0
    with pytest.raises(ValueError, match="n_hypotheses"):
        GBayesianModel(n_hypotheses=0)


def test_perfect_model_reads_the_true_utility_function() -> None:
    truth = ufun()
    assert GPerfectModel(ufun=truth).eval_normalized((7,)) == pytest.approx(0.7)
    assert GPerfectModel().eval_normalized((7,)) == 0.5


def test_components_take_attributes_their_classes_do_not_declare() -> None:
    # NegMAS-style code keeps its own notes on a part.
    gap = GACGap(c=0.1)
    gap._history = [(0.6, (0,))]  # type: ignore[attr-defined]
    assert gap._history == [(0.6, (0,))] and gap.c == 0.1  # type: ignore[attr-defined]


@pytest.mark.parametrize("extra_callbacks", [True, False])
def test_a_boa_model_counts_each_partner_offer_once(extra_callbacks: bool) -> None:
    # A BOA negotiator hands its model before_responding and on_partner_proposal
    # for the same offer: each partner offer must be counted once.
    from palaver.negotiators import FrequencyLinearUFunModel, TimeBasedOfferingPolicy

    space = make_os([make_issue(6, "a"), make_issue(6, "b")])
    for model in (FrequencyLinearUFunModel(), GHardHeadedFrequencyModel()):
        offering = TimeBasedOfferingPolicy()
        boa = make_boa(acceptance=GACNext(offering_policy=offering), offering=offering, model=model)
        m = SAOMechanism(outcome_space=space, n_steps=10, extra_callbacks=extra_callbacks)
        m.add(boa, ufun=LinearUtilityFunction([0.1, 0.1], outcome_space=space, reserved_value=0.9))
        m.add(
            AspirationNegotiator(name="o"),
            ufun=LinearUtilityFunction([-0.1, -0.1], bias=1.0, outcome_space=space),
        )
        m.run()
        offers = len(m.negotiator_offers("o"))
        # Without extra callbacks the model hears the offers it answers (not the last).
        expected = offers if extra_callbacks else offers - 1
        if isinstance(model, FrequencyLinearUFunModel):
            assert model.n_observed == expected
        else:
            counts = model._value_weights[0]
            assert sum(counts.values()) - len(counts) == expected
