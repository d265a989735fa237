"""NegMAS's SessionMetrics / NegotiatorMetrics of one negotiation (palaver.mechanisms)."""

from __future__ import annotations

import math

import attrs
import pytest

from palaver.mechanisms import (
    NegotiatorMetrics,
    SessionMetrics,
    calc_negotiator_metrics,
    calc_session_metrics,
)
from palaver.outcomes import make_issue, make_os


def test_session_metrics_of_an_agreement_and_of_none() -> None:
    m = calc_session_metrics(
        (0.8, 0.5),
        (0.2, 0.1),
        utility_ranges=[(0.0, 1.0), (0.0, 0.9)],
        relative_time=0.25,
        last_step=4,
        pareto_utils=[(1.0, 0.2), (0.8, 0.5)],
    )
    assert m.welfare == pytest.approx(0.65) and m.welfare_agreed == pytest.approx(0.65)
    assert m.utility_sum == pytest.approx(1.3) and m.agreement_reached == 1.0
    assert m.utility_gap == pytest.approx(0.3)
    # advantages (0.8 - 0.2) / 0.8 = 0.75 and (0.5 - 0.1) / 0.8 = 0.5
    assert m.advantage_gap == pytest.approx(0.25)
    assert m.gains_from_trade == pytest.approx(1.0)
    assert m.surplus_efficiency == pytest.approx(1.0)  # the best Pareto surplus is 1.0
    assert m.agreement_speed == pytest.approx(0.75)
    assert m.relative_efficiency == pytest.approx(-0.3 / 4)
    none = calc_session_metrics(None, (0.2, 0.1), relative_time=1.0)
    assert none.welfare == pytest.approx(0.15) and math.isnan(none.welfare_agreed)
    assert none.agreement_speed == 0.0 and none.gains_from_trade == 0.0
    assert math.isnan(none.surplus_efficiency)  # neither a frontier nor ranges


def test_negotiator_metrics_from_a_trace() -> None:
    # Party 0 offers at 0, 2, 4 (alternating from it): its own utilities 1.0, 0.8, 0.8.
    trace = [(1.0, 0.0), (0.2, 0.9), (0.8, 0.3), (0.3, 0.8), (0.8, 0.4)]
    offers = [(4, 0), (1, 4), (3, 1), (1, 3), (3, 1)]
    space = make_os([make_issue(5, "a"), make_issue(5, "b")])
    m = calc_negotiator_metrics(
        trace, (0.8, 0.4), (0.0, 0.0), index=0, trace_offers=offers, outcome_space=space
    )
    assert m.utility == 0.8 and m.advantage == pytest.approx(0.8)  # raw surplus
    assert m.dominance == 1.0 and m.rationality == 1.0 and m.rational_agreement == 1.0
    assert m.surplus_share == pytest.approx(0.8 / 1.2)
    assert m.total_concession == pytest.approx(0.2)
    assert m.concession_rate == pytest.approx(0.1)
    assert m.temporal_patience == pytest.approx(1 / 3)  # dropped at its second offer
    assert m.monotonic_concession == 1.0 and m.first_offer_utility == 1.0
    assert m.relative_n_offers == pytest.approx(3 / 25)
    assert m.offer_variability == pytest.approx(2 / 3)
    assert m.outcome_space_exploration == pytest.approx(2 / 25)
    assert m.valid_offer_fraction == 1.0 and m.produced_any_offers == 1.0
    # The partner's utility of party 0's offers: 0.0 -> 0.3 -> 0.4.
    assert m.concession_toward_counterparty == pytest.approx(0.4)
    assert m.own_gain == pytest.approx(-0.2)
    assert math.isnan(m.opp_ndcg)  # no opponent model given
    other = calc_negotiator_metrics(trace, (0.8, 0.4), (0.0, 0.0), index=1)
    assert other.dominance == -1.0 and other.first_offer_utility == pytest.approx(0.9)


def test_irrational_acceptance_is_exploitation() -> None:
    m = calc_negotiator_metrics([], (0.1, 0.9), (0.3, 0.2), index=0)
    assert m.rationality == 0.0 and m.exploited == 1.0 and m.rational_agreement == 0.0
    assert math.isnan(m.produced_any_offers) and math.isnan(m.total_concession)
    walked_away = calc_negotiator_metrics([], None, (0.3, 0.2), index=0)
    assert walked_away.rationality == 1.0 and math.isnan(walked_away.utility_agreed)


def test_inconsistent_inputs_are_named() -> None:
    with pytest.raises(ValueError, match="index"):
        calc_negotiator_metrics([], None, (0.0, 0.0), index=2)
    with pytest.raises(ValueError, match="trace_utils"):
        calc_negotiator_metrics([(1.0,)], None, (0.0, 0.0))
    with pytest.raises(ValueError, match="agreement_utils"):
        calc_session_metrics((1.0,), (0.0, 0.0))
    with pytest.raises(ValueError, match="utility_ranges"):
        calc_session_metrics((1.0, 0.0), (0.0, 0.0), utility_ranges=[(0.0, 1.0)])


def test_field_sets_are_disjoint_attrs_classes() -> None:
    session = {f.name for f in attrs.fields(SessionMetrics)}
    negotiator = {f.name for f in attrs.fields(NegotiatorMetrics)}
    assert not session & negotiator and "welfare" in session and "dominance" in negotiator
    from palaver.negmas.preferences.ops import calc_session_metrics as from_negmas

    assert from_negmas is calc_session_metrics
