"""A NaN or infinite time given to a concession model is a ValueError naming the
parameter and the value (review of session 20: predict_utility clipped it)."""

from __future__ import annotations

import math

import pytest

from palaver.negotiators import (
    ConcessionExtrapolatingDeadlineModel,
    DerivativeOfferingModel,
    MarkovChainOfferingModel,
    OpponentOfferingModel,
    PolynomialOfferingModel,
)

OFFERS = [(0.0, 0.9), (0.2, 0.8), (0.4, 0.7), (0.6, 0.65)]


def _fed(model: OpponentOfferingModel) -> OpponentOfferingModel:
    for t, u in OFFERS:
        model.update(t, u)
    return model


@pytest.mark.parametrize(
    "make", [PolynomialOfferingModel, DerivativeOfferingModel, MarkovChainOfferingModel]
)
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_a_forecast_time_that_is_not_finite_is_refused(
    make: type[OpponentOfferingModel], bad: float
) -> None:
    model = make()
    fed = _fed(model)
    name = type(model).__name__
    with pytest.raises(
        ValueError,
        match=rf"{name}.predict_utility: relative_time must be a finite number, got {bad!r}",
    ):
        fed.predict_utility(bad)
    assert 0.0 <= fed.predict_utility(0.8) <= 1.0  # a finite time still forecasts


def test_update_names_the_bad_observation() -> None:
    model = PolynomialOfferingModel()
    with pytest.raises(ValueError, match=r"update: relative_time must be a finite number, got inf"):
        model.update(math.inf, 0.5)
    with pytest.raises(
        ValueError, match=r"update: opponent_utility must be a finite number, got nan"
    ):
        model.update(0.1, math.nan)
    with pytest.raises(ValueError, match=r"relative_time must be a finite number, got True"):
        model.update(True, 0.5)  # type: ignore[arg-type]
    assert model.n_observations == 0


def test_a_deadline_model_refuses_a_reserved_value_that_is_not_finite() -> None:
    with pytest.raises(ValueError, match=r"reserved_value must be a finite number, got nan"):
        ConcessionExtrapolatingDeadlineModel(reserved_value=math.nan)
