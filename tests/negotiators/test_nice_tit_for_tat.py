"""NiceTitForTatNegotiator, its two policies and the opponent models it learns with.

Expected numbers are worked out by hand in the comments (and agree with
NegMAS 0.16 on the same inputs).
"""

from __future__ import annotations

import math
from types import SimpleNamespace
from typing import Any

import pytest

from palaver import SAOMechanism
from palaver.mechanisms import ResponseType
from palaver.negotiators import (
    ACCombi,
    CandidateEliminationModel,
    ConcessionRatioUFunModel,
    FrequencyLinearUFunModel,
    FrequencyUFunModel,
    KDEWeightUFunModel,
    LuceProfileClassifierModel,
    NiceTitForTatNegotiator,
    NiceTitForTatOfferingPolicy,
    PeekingOpponentModel,
    ToughNegotiator,
    UFunModel,
    ValueDifferenceUFunModel,
    ZeroSumModel,
    all_negotiator_types,
)
from palaver.outcomes import make_issue, make_os
from palaver.preferences import (
    AffineFun,
    IdentityFun,
    LinearAdditiveUtilityFunction,
    PreferencesChange,
    nash_point,
)

ACCEPT, REJECT = ResponseType.ACCEPT_OFFER, ResponseType.REJECT_OFFER


def at(step: int, time: float = 0.0) -> Any:
    """A stand-in state: the policies read only ``step`` and ``relative_time``."""
    return SimpleNamespace(step=step, relative_time=time)


def zero_sum(n: int = 10) -> tuple[LinearAdditiveUtilityFunction, LinearAdditiveUtilityFunction]:
    """Mine is a + b, the partner's (n-1-a) + (n-1-b): every outcome is Pareto-optimal."""
    issues = [make_issue(n, "a"), make_issue(n, "b")]
    mine = LinearAdditiveUtilityFunction(
        values=[IdentityFun(), IdentityFun()], issues=issues, reserved_value=0.0
    )
    theirs = LinearAdditiveUtilityFunction(
        values=[AffineFun(-1, bias=n - 1), AffineFun(-1, bias=n - 1)],
        issues=issues,
        reserved_value=0.0,
    )
    return mine, theirs


def wired(model: UFunModel, ufun: Any, **kwargs: Any) -> NiceTitForTatNegotiator:
    negotiator = NiceTitForTatNegotiator(name="n", opponent_model=model, **kwargs)
    negotiator.ufun = ufun
    negotiator.on_preferences_changed([PreferencesChange()])
    return negotiator


# --- opponent models -------------------------------------------------------------


def test_frequency_model_counts_whole_outcomes() -> None:
    mine, _ = zero_sum()
    model = FrequencyUFunModel()
    wired(model, mine)
    assert model.eval((9, 9)) == 0.5  # nothing seen yet: neutral
    for _ in range(5):
        model.before_responding(at(0), (9, 9))
    model.on_partner_proposal(at(0), "p", (0, 0))
    assert model.n_observed == 6
    assert model.eval((9, 9)) == 1.0  # the most offered
    assert model.eval((0, 0)) == pytest.approx(1 / 5)
    assert model.eval((5, 5)) == 0.0  # never offered
    assert model.eval_normalized(None) == 0.0
    assert model(None) == 0.0  # the reserved value of a model


def test_frequency_model_buckets_continuous_values_to_the_nearest_level() -> None:
    issues = [make_issue((0.0, 1.0), "x")]
    ufun = LinearAdditiveUtilityFunction(values=[IdentityFun()], issues=issues)
    model = FrequencyUFunModel(levels=5)  # levels 0, .25, .5, .75, 1
    wired(model, ufun)
    for x in (0.05, 0.1, 0.9):
        model.before_responding(at(0), (x,))
    assert model.eval((0.12,)) == 1.0  # level 0 was offered twice
    assert model.eval((0.95,)) == 0.5  # level 1 once
    assert model.eval((0.5,)) == 0.0


def test_frequency_linear_model_weighs_the_issue_the_partner_never_moves() -> None:
    issues = [make_issue(4, "a"), make_issue(4, "b")]
    ufun = LinearAdditiveUtilityFunction(values=[IdentityFun(), IdentityFun()], issues=issues)
    model = FrequencyLinearUFunModel()
    wired(model, ufun)
    assert model.eval((3, 3)) == 0.5
    for b in range(4):
        model.before_responding(at(b), (0, b))
    # a: always 0 -> entropy 0, weight 1; b: four values once each -> weight 0
    assert model.weights == {"a": 1.0, "b": 0.0}
    assert model.eval((0, 3)) == 1.0
    assert model.eval((1, 0)) == 0.0
    assert model.eval((2, 2)) == 0.0


def test_frequency_linear_model_mixes_weights_and_value_scores() -> None:
    issues = [make_issue(4, "a"), make_issue(4, "b")]
    ufun = LinearAdditiveUtilityFunction(values=[IdentityFun(), IdentityFun()], issues=issues)
    model = FrequencyLinearUFunModel()
    wired(model, ufun)
    for offer in [(0, 0), (0, 0), (0, 0), (1, 0)]:
        model.before_responding(at(0), offer)
    # a: {0: 3, 1: 1}: normalized entropy H = -(3/4 ln 3/4 + 1/4 ln 1/4) / ln 2
    h = -(0.75 * math.log(0.75) + 0.25 * math.log(0.25)) / math.log(2)
    w_a, w_b = 1 - h, 1.0
    assert model.weights["a"] == pytest.approx(w_a)
    assert model.weights["b"] == pytest.approx(w_b)
    # (1, 3): a=1 scores 1/3 (one of the three 0s), b=3 was never offered
    assert model.eval((1, 3)) == pytest.approx(w_a / 3 / (w_a + w_b))
    assert model.eval((0, 0)) == pytest.approx(1.0)


def test_frequency_linear_model_with_every_weight_zero_takes_the_plain_mean() -> None:
    issues = [make_issue(4, "a"), make_issue(4, "b")]
    ufun = LinearAdditiveUtilityFunction(values=[IdentityFun(), IdentityFun()], issues=issues)
    model = FrequencyLinearUFunModel()
    wired(model, ufun)
    for offer in [(0, 0), (1, 1)]:
        model.before_responding(at(0), offer)
    assert model.weights == {"a": 0.0, "b": 0.0}
    assert model.eval((0, 2)) == 0.5  # (1 + 0) / 2
    assert model.eval((1, 0)) == 1.0


def test_models_refuse_bad_levels() -> None:
    with pytest.raises(ValueError, match="levels must be an integer >= 2, got 1"):
        FrequencyUFunModel(levels=1)
    with pytest.raises(TypeError, match="levels"):
        FrequencyLinearUFunModel(levels=2.5)  # type: ignore[arg-type]


def test_peeking_model_reads_the_true_ufun() -> None:
    _, theirs = zero_sum()
    model = PeekingOpponentModel()
    assert model.eval((4, 5)) == 0.5  # no ufun yet
    model.ufun = theirs
    assert model.eval((0, 0)) == 1.0
    assert model.eval((9, 9)) == 0.0
    assert model.eval((4, 5)) == pytest.approx(0.5)
    assert model.eval_normalized((2, 7), above_reserve=False) == pytest.approx(0.5)
    assert model.eval_normalized(None) == 0.0


def test_zero_sum_model_mirrors_the_negotiator() -> None:
    mine, _ = zero_sum()
    model = ZeroSumModel()
    wired(model, mine)
    assert [model.eval(o) for o in [(0, 0), (9, 9), (4, 5)]] == [18.0, 0.0, 9.0]
    assert [model.eval_normalized(o) for o in [(0, 0), (9, 9), (4, 5)]] == [1.0, 0.0, 0.5]


def test_zero_sum_model_needs_the_negotiators_ufun() -> None:
    with pytest.raises(ValueError, match="ZeroSumModel needs the negotiator's utility function"):
        ZeroSumModel().eval((0, 0))


def test_the_model_is_published_as_opponent_ufun_unless_one_was_given() -> None:
    mine, theirs = zero_sum()
    model = FrequencyLinearUFunModel()
    negotiator = wired(model, mine)
    assert negotiator.opponent_ufun is model
    given = NiceTitForTatNegotiator(private_info={"opponent_ufun": theirs})
    given.ufun = mine
    given.on_preferences_changed([PreferencesChange()])
    assert given.opponent_ufun is theirs
    assert isinstance(given.opponent_model, FrequencyLinearUFunModel)


def six_by_six() -> LinearAdditiveUtilityFunction:
    issues = [make_issue(6, "a"), make_issue(6, "b")]
    return LinearAdditiveUtilityFunction(values=[IdentityFun(), IdentityFun()], issues=issues)


def test_concession_ratio_model_weighs_issues_by_how_rarely_they_change() -> None:
    model = ConcessionRatioUFunModel()
    wired(model, six_by_six())
    model.before_responding(at(0), (4, 0))
    # one offer: no pair yet, both issues weigh 1: (0 + 1) / 2 for (0, 0)
    assert model.weights == {} and model.eval((0, 0)) == 0.5
    for offer in [(4, 1), (4, 1), (4, 3)]:
        model.before_responding(at(0), offer)
    # 3 pairs: a never changed (weight 1), b changed twice (1 - 2/3)
    assert model.weights == pytest.approx({"a": 1.0, "b": 1 / 3})
    # b's scores: 1 offered twice -> 1, 0 once -> 1/2
    assert model.eval((4, 1)) == pytest.approx(1.0)
    assert model.eval((4, 0)) == pytest.approx((1 + 0.5 / 3) / (4 / 3))
    assert model.eval((0, 0)) == pytest.approx((0.5 / 3) / (4 / 3))


def test_value_difference_model_weighs_issues_by_how_far_they_move() -> None:
    issues = [make_issue(6, "a"), make_issue(6, "b"), make_issue(["x", "y", "z"], "c")]
    ufun = LinearAdditiveUtilityFunction(
        values=[IdentityFun(), IdentityFun(), {"x": 0.0, "y": 0.5, "z": 1.0}], issues=issues
    )
    model = ValueDifferenceUFunModel()
    wired(model, ufun)
    for offer in [(0, 0, "x"), (1, 5, "x"), (2, 0, "y")]:
        model.before_responding(at(0), offer)
    # a moves 1 of its width 5 each time: mean 0.2; b its whole width: 1;
    # c (categorical) changed once in two pairs: 0.5
    assert model.weights == pytest.approx({"a": 0.8, "b": 0.0, "c": 0.5})


def test_kde_weight_model_uses_a_gaussian_kernel_estimate() -> None:
    model = KDEWeightUFunModel()
    wired(model, six_by_six())
    for offer in [(0, 0), (0, 5), (1, 0)]:
        model.before_responding(at(0), offer)
    # b: moves 1, 1 (no spread): 1 - mean = 0. a: moves 0 and 0.2: Scott's
    # bandwidth sd * n^(-1/5) with the sample sd sqrt(0.02); weight = the mean
    # over the two kernels of their mass on [0, 0.1].
    sigma = math.sqrt(0.02) * 2 ** (-1 / 5)

    def cdf(x: float, centre: float) -> float:
        return 0.5 * (1 + math.erf((x - centre) / (sigma * math.sqrt(2))))

    mass = sum(cdf(0.1, m) - cdf(0.0, m) for m in (0.0, 0.2)) / 2
    assert mass == pytest.approx(0.22393, abs=1e-5)
    assert model.weights == pytest.approx({"a": mass, "b": 0.0})
    with pytest.raises(TypeError, match="threshold must be a finite number"):
        KDEWeightUFunModel(threshold="0.1")  # type: ignore[arg-type]


def test_luce_classifier_finds_the_partners_profile() -> None:
    issues = [make_issue(2, "a")]
    low = LinearAdditiveUtilityFunction(values=[AffineFun(-1, bias=1)], issues=issues)
    high = LinearAdditiveUtilityFunction(values=[IdentityFun()], issues=issues)
    model = LuceProfileClassifierModel(profiles=[low, high])
    wired(model, high)
    # uniform before any offer: the mean of the profiles' normalized utilities
    assert model.posterior == [0.5, 0.5] and model.eval((1,)) == 0.5
    # Each profile sums to 1 over the two outcomes, so an offer of (1,) has
    # likelihood 1 under `high` and 1e-12 (the floor) under `low`.
    model.before_responding(at(0), (1,))
    assert model.posterior == pytest.approx([1e-12, 1.0])
    assert model.eval((1,)) == pytest.approx(1.0) and model.eval((0,)) == pytest.approx(0.0)
    assert LuceProfileClassifierModel().eval((1,)) == 0.5  # no profiles: neutral
    with pytest.raises(TypeError, match=r"profiles\[0\] must be a utility function"):
        LuceProfileClassifierModel(profiles=[lambda o: 1.0])  # type: ignore[list-item]


def test_luce_classifier_with_use_map_takes_the_most_probable_profile() -> None:
    issues = [make_issue(3, "a")]
    ramps = [
        LinearAdditiveUtilityFunction(values=[IdentityFun()], issues=issues),
        LinearAdditiveUtilityFunction(values=[AffineFun(-1, bias=2)], issues=issues),
    ]
    model = LuceProfileClassifierModel(profiles=ramps, use_map=True)
    wired(model, ramps[0])
    # (1,) is worth 0.5 to both: the posterior stays even and the first profile decides
    model.before_responding(at(0), (1,))
    assert model.posterior == pytest.approx([0.5, 0.5])
    assert model.eval((2,)) == 1.0


def test_candidate_elimination_learns_from_offers_and_rejections() -> None:
    model = CandidateEliminationModel()
    negotiator = wired(model, six_by_six())
    assert model.eval((1, 1)) == 0.5  # no evidence yet
    model.after_proposing(at(0), (5, 5))  # its offer...
    model.before_responding(at(1), (0, 1))  # ...answered with a counter-offer
    # a=0, b=1 acceptable; a=5, b=5 suspect; the rest unseen
    assert model.eval((0, 1)) == 1.0
    assert model.eval((5, 5)) == 0.0
    assert model.eval((0, 5)) == 0.5
    assert model.eval((3, 1)) == 0.75
    model.note_rejected((3, 3))
    assert model.eval((3, 3)) == 0.0
    # an offer equal to its own last one does not reject it
    model.after_proposing(at(2), (2, 2))
    model.before_responding(at(3), (2, 2))
    assert model.eval((2, 2)) == 1.0
    # the negotiator tells the model of its offers
    proposed = negotiator.propose(at(4))
    assert model._last_proposed == proposed


# --- the offering policy -----------------------------------------------------------


def test_offering_follows_the_partners_concession_to_the_nash_point() -> None:
    mine, theirs = zero_sum()
    negotiator = wired(PeekingOpponentModel(theirs), mine)
    policy = negotiator.offering_policy
    # Nash on the zero-sum frontier u(1-u): u = 0.5. No partner offer yet: the
    # partner's "first offer" counts as 1.0, so my_nash = max(0.5, 0.5 * 1.4) = 0.7
    # and the target is 1 - 0.1 (the bonus) * (1 - 0.7) = 0.97: only (9, 9) is that good.
    assert policy(at(0)) == (9, 9)
    assert policy.target_utility == pytest.approx(0.97)
    # The partner opens with my worst: gap 1, my_nash = max(0.5, 0.5 * 0.8) = 0.5,
    # no concession yet: 1 - 0.1 * 0.5.
    policy.before_responding(at(1), (0, 0))
    assert policy(at(1)) == (9, 9)
    assert policy.target_utility == pytest.approx(0.95)
    # It concedes all the way to 0.5 (my Nash utility): so do I, and its offer is
    # as good as anything I would offer, so I offer it back.
    policy.before_responding(at(2), (4, 5))
    assert policy(at(2)) == (4, 5)
    assert policy.target_utility == pytest.approx(0.5)


def test_offering_picks_what_the_partner_likes_among_what_is_good_enough() -> None:
    # Mine: 2a + b over 3 x 3; the partner wants b high (and does not care about a).
    issues = [make_issue(3, "a"), make_issue(3, "b")]
    mine = LinearAdditiveUtilityFunction(
        values=[IdentityFun(), IdentityFun()], weights=[2.0, 1.0], issues=issues
    )
    theirs = LinearAdditiveUtilityFunction(
        values=[IdentityFun(), IdentityFun()], weights=[0.0, 1.0], issues=issues
    )
    negotiator = wired(PeekingOpponentModel(theirs), mine)
    policy = negotiator.offering_policy
    # Frontier (mine, theirs) on [0, 1]: (1, 1) at (2, 2) dominates everything:
    # Nash is (1, 1), my_nash = 1: the target stays 1 and (2, 2) is offered.
    assert policy(at(0)) == (2, 2)
    assert policy.target_utility == 1.0


def test_offering_plans_once_per_round() -> None:
    mine, theirs = zero_sum()
    policy = wired(PeekingOpponentModel(theirs), mine).offering_policy
    policy.before_responding(at(2), (0, 0))
    assert policy.propose(at(3)) == (9, 9)  # target 0.95 (see above)
    policy.before_responding(at(3), (4, 5))  # would make the plan (4, 5)...
    assert policy.propose(at(3)) == (9, 9)  # ...but the round's plan is kept
    assert policy.propose(at(4)) == (4, 5)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"target": "utilitarian"}, ValueError, "target must be one of nash, kalai"),
        ({"nash_refresh": 0}, ValueError, "nash_refresh must be an integer >= 1, got 0"),
        ({"levels": 1}, ValueError, "levels must be an integer >= 2"),
        ({"nash_min": "half"}, TypeError, "nash_min must be a finite number"),
    ],
)
def test_offering_refuses_bad_options(kwargs: dict[str, Any], error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        NiceTitForTatOfferingPolicy(**kwargs)
    with pytest.raises(error, match=match):
        NiceTitForTatNegotiator(**kwargs)


# --- ACCombi ---------------------------------------------------------------------


class Planned:
    """An offering policy that always plans the same outcome."""

    def __init__(self, outcome: Any) -> None:
        self.outcome = outcome

    def propose(self, state: Any) -> Any:
        return self.outcome


def accombi(plan: Any, **kwargs: Any) -> ACCombi:
    mine, theirs = zero_sum()
    negotiator = wired(PeekingOpponentModel(theirs), mine, **kwargs)
    acceptance = negotiator.acceptance_policy
    acceptance.offering_strategy = Planned(plan)
    return acceptance


def test_accombi_accepts_what_beats_its_next_offer() -> None:
    acceptance = accombi((4, 5))  # worth 9/18 = 0.5 to me
    assert acceptance(at(0), (4, 5), "p") == ACCEPT  # equal is enough
    assert acceptance(at(0), (9, 9), "p") == ACCEPT
    assert acceptance(at(0), (3, 5), "p") == REJECT  # 8/18
    assert acceptance(at(0), None, "p") == REJECT


def test_accombi_scale_and_offset() -> None:
    # (3, 3) is worth 6/18 = 1/3 against a planned 0.5
    assert accombi((4, 5))(at(0), (3, 3), "p") == REJECT
    assert accombi((4, 5), a=2.0)(at(0), (3, 3), "p") == ACCEPT  # 2/3
    assert accombi((4, 5), b=0.2)(at(0), (3, 3), "p") == ACCEPT  # 0.533
    assert accombi((3, 3), b=-0.2)(at(0), (4, 5), "p") == REJECT  # 0.3 < 1/3


def test_accombi_accepts_any_rational_offer_from_time_t() -> None:
    acceptance = accombi((9, 9), t=0.5)
    assert acceptance(at(0, 0.49), (0, 0), "p") == REJECT
    assert acceptance(at(0, 0.5), (0, 0), "p") == ACCEPT
    high = accombi((9, 9), t=0.5)
    high.negotiator.ufun.reserved_value = 1.0  # (0, 0) is worth 0 < 1: irrational
    assert high(at(0, 0.9), (0, 0), "p") == REJECT
    assert high(at(0, 0.9), (0, 1), "p") == ACCEPT


def test_accombi_without_a_plan_accepts_rational_offers() -> None:
    acceptance = accombi(None)
    acceptance.negotiator.ufun.reserved_value = 5.0
    assert acceptance(at(0), (2, 2), "p") == REJECT
    assert acceptance(at(0), (2, 3), "p") == ACCEPT


# --- the negotiator ----------------------------------------------------------------


def test_default_model_and_model_choices() -> None:
    assert isinstance(NiceTitForTatNegotiator().opponent_model, FrequencyLinearUFunModel)
    chosen = NiceTitForTatNegotiator(opponent_model_type=FrequencyUFunModel)
    assert type(chosen.opponent_model) is FrequencyUFunModel
    model = PeekingOpponentModel()
    given = NiceTitForTatNegotiator(opponent_model=model, opponent_model_type=FrequencyUFunModel)
    assert given.opponent_model is model
    assert model.negotiator is given
    assert NiceTitForTatNegotiator in all_negotiator_types()


def test_bad_models_and_samplers_are_refused() -> None:
    _, theirs = zero_sum()
    with pytest.raises(
        TypeError, match=r"opponent_model must be a palaver\.negotiators\.UFunModel "
    ):
        NiceTitForTatNegotiator(opponent_model=theirs)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="opponent_model_type must be a subclass"):
        NiceTitForTatNegotiator(opponent_model_type=dict)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="pareto_sampler_type must be None"):
        NiceTitForTatNegotiator(pareto_sampler_type=object)


def conflict() -> tuple[Any, LinearAdditiveUtilityFunction, LinearAdditiveUtilityFunction]:
    """a and b opposed, c shared; both on [0, 1] with reserved value 0: Nash at 4/7 each."""
    issues = [make_issue(7, "a"), make_issue(7, "b"), make_issue(5, "c")]
    weights = [0.4, 0.4, 0.2]
    u1 = LinearAdditiveUtilityFunction(
        values=[IdentityFun()] * 3, weights=weights, issues=issues, reserved_value=0.0
    )
    u2 = LinearAdditiveUtilityFunction(
        values=[AffineFun(-1, bias=6), AffineFun(-1, bias=6), IdentityFun()],
        weights=weights,
        issues=issues,
        reserved_value=0.0,
    )
    return make_os(issues), u1.normalize(), u2.normalize()


def test_two_nice_tit_for_tats_agree_on_the_nash_point() -> None:
    space, u1, u2 = conflict()
    nash = nash_point([u1, u2], space)
    assert nash is not None
    m = SAOMechanism(outcome_space=space, n_steps=80)
    m.add(NiceTitForTatNegotiator(name="A"), ufun=u1)
    m.add(NiceTitForTatNegotiator(name="B"), ufun=u2)
    state = m.run()
    assert state.agreement is not None
    assert (u1(state.agreement), u2(state.agreement)) == pytest.approx(nash.utilities)
    assert nash.utilities == pytest.approx((4 / 7, 4 / 7))
    # Both open with their best and hold it while the other holds too.
    assert m.history[0] == (0, "A", (6, 6, 4))
    assert m.history[1] == (0, "B", (0, 0, 4))


def test_it_accepts_a_tough_partners_rational_offer_only_at_the_end() -> None:
    space, u1, u2 = conflict()
    m = SAOMechanism(outcome_space=space, n_steps=100)
    m.add(NiceTitForTatNegotiator(name="nice"), ufun=u1)
    m.add(ToughNegotiator(name="tough"), ufun=u2)
    state = m.run()
    assert state.agreement == (0, 0, 4)  # the tough partner's best
    # ACtime: from relative time 0.98, i.e. the first round k (0-based) with
    # (k + 1) / 101 >= 0.98: k = 98, so 99 rounds ran; the ended state counts
    # round 98 as played, as NegMAS's does: (99 + 1) / 101
    assert state.step == 99
    assert state.relative_time == pytest.approx(100 / 101)


def test_it_never_accepts_below_its_reserved_value() -> None:
    space, u1, u2 = conflict()
    u1.reserved_value = 0.3  # the tough partner's offer is worth 0.2 to it
    m = SAOMechanism(outcome_space=space, n_steps=100)
    m.add(NiceTitForTatNegotiator(name="nice"), ufun=u1)
    m.add(ToughNegotiator(name="tough"), ufun=u2)
    state = m.run()
    assert state.agreement is None and state.timedout
    ufun1: Any = u1
    assert all(ufun1(o) >= 0.3 for _, who, o in m.history if who == "nice")


def test_the_model_learns_from_the_offers_it_answers() -> None:
    space, u1, u2 = conflict()
    nice = NiceTitForTatNegotiator(name="nice")
    m = SAOMechanism(outcome_space=space, n_steps=10)
    m.add(nice, ufun=u1)
    m.add(ToughNegotiator(name="tough"), ufun=u2)
    m.run()
    model = nice.opponent_model
    assert isinstance(model, FrequencyLinearUFunModel)
    # It answers the partner's offers of rounds 0 to 8 (the round-9 offer comes
    # after its last turn): once each, callbacks or not
    assert model.n_observed == 9
    assert model.eval((0, 0, 4)) == 1.0
    assert model.eval((6, 6, 0)) == 0.0


def test_it_negotiates_in_a_world_and_learns_per_negotiation() -> None:
    from palaver import Agent, World
    from palaver.preferences import LinearUtilityFunction

    issues = [make_issue(10, "price"), make_issue(5, "quantity")]
    made: list[NiceTitForTatNegotiator] = []

    class Market(World):
        def simulation_step(self, stage: int = 0) -> None:
            pass

        def get_private_state(self, agent: Any) -> dict[str, Any]:
            return {}

        def execute_action(self, action: Any, agent: Any, callback: Any = None) -> bool:
            return False

        def executable_contracts(self) -> list[Any]:
            return []

        def start_contract_execution(self, contract: Any) -> set[Any]:
            return set()

    def nice(ufun: Any) -> NiceTitForTatNegotiator:
        made.append(NiceTitForTatNegotiator(ufun=ufun))
        return made[-1]

    class Buyer(Agent):
        def step(self) -> None:
            partners = ["seller", self.id]
            req = self.create_negotiation_request(issues, partners, nice(self.ufun))
            self.awi.request_negotiation_about(issues, partners, req)

    class Seller(Agent):
        def respond_to_negotiation_request(self, initiator: Any, partners: Any, mechanism: Any):
            return nice(self.ufun)

    market = Market(n_steps=3, seed=1, neg_n_steps=100, force_signing=True)
    market.join(Buyer(id="buyer"), ufun=LinearUtilityFunction([-1.0, 1.0], bias=9.0))
    market.join(Seller(id="seller"), ufun=LinearUtilityFunction([1.0, 1.0]))
    market.run()
    assert len(made) == 6  # a fresh pair per step
    # The last step's request cannot run (the world ends): two negotiations, both
    # agreed by ACtime in round 98 (the first round at relative time 0.98).
    assert market.totals["n_negotiations_succeeded"] == 2
    assert market.totals["n_contracts_signed"] == 2
    # each model saw its own negotiation's offers: one per round it answered
    assert [n.opponent_model.n_observed for n in made] == [98, 98, 98, 98, 0, 0]


@pytest.mark.parametrize(
    "kind", [FrequencyLinearUFunModel, ConcessionRatioUFunModel, ValueDifferenceUFunModel]
)
def test_additive_models_eval_many_gives_evals_numbers(kind: type[UFunModel]) -> None:
    model = kind()
    ufun = six_by_six()
    wired(model, ufun)
    outcomes = ufun.outcome_space.enumerate()  # type: ignore[union-attr]
    assert list(model.eval_many(outcomes)) == [0.5] * 36
    for offer in [(0, 0), (0, 3), (1, 3), (0, 5), (2, 5)]:
        model.before_responding(at(0), offer)
    assert list(model.eval_many(outcomes)) == [model.eval(o) for o in outcomes]


class PlainSum:
    """A NegMAS-style ufun of one's own: no eval_normalized, a + b over 10 x 10."""

    reserved_value = 0.0

    def __init__(self) -> None:
        self.outcome_space = make_os([make_issue(10, "a"), make_issue(10, "b")])

    def eval(self, outcome: Any) -> float:
        return float(outcome[0] + outcome[1])

    def __call__(self, outcome: Any) -> float:
        return self.reserved_value if outcome is None else self.eval(outcome)


def test_a_ufun_without_eval_normalized_is_normalized_on_its_grid() -> None:
    negotiator = NiceTitForTatNegotiator(ufun=PlainSum())
    acceptance = negotiator.acceptance_policy
    acceptance.offering_strategy = Planned((4, 5))  # 9/18 = 0.5
    assert acceptance(at(0), (3, 3), "p") == REJECT  # 1/3
    assert acceptance(at(0), (2, 7), "p") == ACCEPT  # 0.5
    m = SAOMechanism(outcome_space=negotiator.ufun.outcome_space, n_steps=20)  # type: ignore[union-attr]
    m.add(NiceTitForTatNegotiator(name="plain", ufun=PlainSum()))
    m.add(ToughNegotiator(name="tough", ufun=PlainSum()))
    assert m.run().agreement == (9, 9)  # the same ufun: its first offer is accepted
