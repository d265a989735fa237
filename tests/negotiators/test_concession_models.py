"""NegMAS's reservation-value, deadline and offering models (negotiators.concession_models)."""

from __future__ import annotations

import math

import pytest

from palaver.negotiators import (
    BayesianReservationValueModel,
    ConcessionExtrapolatingDeadlineModel,
    ConcessionExtrapolatingReservationModel,
    DerivativeOfferingModel,
    MarkovChainOfferingModel,
    PolynomialOfferingModel,
)


def fed(model, points):
    for t, u in points:
        model.update(t, u)
    return model


def test_reservation_models() -> None:
    line = [(t, 0.9 - 0.4 * t) for t in (0.0, 0.25, 0.5)]
    m = fed(ConcessionExtrapolatingReservationModel(min_observations=3), line)
    assert m.predict_reservation() == pytest.approx(0.5)
    thin = fed(ConcessionExtrapolatingReservationModel(), line[:2])
    assert math.isnan(thin.predict_reservation())
    # Conceding linearly from 1.0 towards 0.4 at the deadline.
    bayes = fed(
        BayesianReservationValueModel(candidates=51, sigma=0.05),
        [(t, 0.4 + 0.6 * (1 - t)) for t in (0.0, 0.2, 0.4, 0.6, 0.8)],
    )
    assert bayes.predict_reservation() == pytest.approx(0.4, abs=0.03)
    assert math.isnan(fed(BayesianReservationValueModel(), [(0.0, 1.0)]).predict_reservation())


def test_deadline_model() -> None:
    # u = 1 - t reaches 0.25 at t = 0.75; a flat partner has no deadline in sight.
    model = ConcessionExtrapolatingDeadlineModel(reserved_value=0.25)
    assert fed(model, [(0.0, 1.0), (0.2, 0.8), (0.4, 0.6)]).predict_deadline() == pytest.approx(
        0.75
    )
    flat = fed(ConcessionExtrapolatingDeadlineModel(), [(0.0, 0.7), (0.1, 0.7), (0.2, 0.7)])
    assert flat.predict_deadline() == math.inf
    # Already below: the last offer's time.
    low = fed(ConcessionExtrapolatingDeadlineModel(0.9), [(0.0, 0.8), (0.1, 0.7), (0.3, 0.5)])
    assert low.predict_deadline() == pytest.approx(0.3)


def test_offering_models() -> None:
    poly = fed(PolynomialOfferingModel(degree=2), [(t, 1 - t * t) for t in (0, 0.25, 0.5, 0.75)])
    assert poly.predict_utility(0.9) == pytest.approx(1 - 0.81)
    assert fed(PolynomialOfferingModel(), [(0.1, 0.6)]).predict_utility(0.9) == 0.6
    assert PolynomialOfferingModel().predict_utility(0.5) == 0.0
    # u = 1, .96, .84 at 0, .2, .4: slopes -0.2 then -0.6 (the last), their change
    # over the span 0.4 gives curvature -1: 0.84 - 0.6 * 0.2 - 0.5 * 0.04 at t = 0.6.
    deriv = fed(DerivativeOfferingModel(), [(t, 1 - t * t) for t in (0.0, 0.2, 0.4)])
    assert deriv.predict_utility(0.6) == pytest.approx(0.70)
    assert deriv.predict_utility(0.3) == pytest.approx(0.84)  # not after the last offer
    assert deriv.time_influence() == 1.0
    zigzag = fed(DerivativeOfferingModel(), [(0, 0.5), (0.1, 0.6), (0.2, 0.5), (0.3, 0.6)])
    assert zigzag.time_influence() == pytest.approx(2 / 3)
    # Alternating between bins 9 and 8: with no smoothing the chain is certain.
    chain = fed(
        MarkovChainOfferingModel(n_states=10, alpha=0.0),
        [(i / 10, 0.95 if i % 2 == 0 else 0.85) for i in range(5)],  # ends in bin 9
    )
    assert chain.predict_next_utility() == pytest.approx(0.85)  # bin 8's centre
    assert chain.predict_utility(0.6) == pytest.approx(0.95)  # two offers on: bin 9
    # A bin never left stays put without smoothing; alpha spreads it evenly.
    stuck = fed(MarkovChainOfferingModel(n_states=4, alpha=0.0), [(0.0, 0.9), (0.1, 0.1)])
    assert stuck.predict_next_utility() == pytest.approx(0.125)
    smooth = fed(MarkovChainOfferingModel(n_states=4, alpha=1.0), [(0.0, 0.9), (0.1, 0.1)])
    assert smooth.predict_next_utility() == pytest.approx(0.5)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="finite"):
        PolynomialOfferingModel().update(0.1, math.nan)
    with pytest.raises(ValueError, match="sigma"):
        BayesianReservationValueModel(sigma=0)
    with pytest.raises(ValueError, match="n_states"):
        MarkovChainOfferingModel(n_states=0)
    with pytest.raises(ValueError, match="min_observations"):
        ConcessionExtrapolatingReservationModel(min_observations=0)


def test_negmas_names() -> None:
    from palaver.negmas.models import BayesianReservationValueModel as FromNegmas

    assert FromNegmas is BayesianReservationValueModel
