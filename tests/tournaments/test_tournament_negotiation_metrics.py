"""The session and per-party metrics a tournament records (``negotiation_metrics``)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pytest
from negotiation_helpers import small_scenario

from palaver.mechanisms import ResponseType, SAOMechanism
from palaver.negmas import NEGOTIATOR_METRIC_COLS, SESSION_METRIC_COLS
from palaver.negmas import cartesian_tournament as negmas_tournament
from palaver.negotiators import AspirationNegotiator, BoulwareNegotiator, MiCRO, SAONegotiator
from palaver.outcomes import ExtendedOutcome, make_issue, make_os
from palaver.preferences import LinearUtilityFunction
from palaver.scenarios import Scenario
from palaver.tournaments.negotiation import cartesian_tournament
from palaver.tournaments.negotiation.negotiation_metrics import metric_columns, negotiation_metrics
from palaver.tournaments.negotiation.scenario_info import scenario_info


def same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, abs=1e-12)


class Talker(SAONegotiator):
    """Offers 9, 8, 7, ... ; from round 2 on sends a data-only message (no offer)."""

    def propose(self, state: Any, dest: str | None = None) -> Any:
        if state.step >= 2:
            return ExtendedOutcome(None, data={"text": "still thinking"})
        return (9 - state.step,)

    def respond(self, state: Any, offer: Any) -> ResponseType:
        return ResponseType.REJECT_OFFER


def test_data_only_messages_are_no_offers_for_the_mechanism_nor_the_tournament() -> None:
    space = make_os([make_issue(10, "x")])
    scenario = Scenario(
        outcome_space=space,
        ufuns=(
            LinearUtilityFunction([0.1], outcome_space=space),
            LinearUtilityFunction([-0.1], bias=1.0, outcome_space=space),
        ),
    )
    mech = SAOMechanism(outcome_space=space, n_steps=6, allow_none_with_data=True)
    mech.add(Talker(id="t"), ufun=scenario.ufuns[0])
    mech.add(AspirationNegotiator(id="a"), ufun=scenario.ufuns[1])
    mech.run()
    assert any(offer is None for _, _, offer in mech.extended_trace)  # messages were sent
    talker = mech.calc_negotiator_metrics(0)
    # its offers are 9 and 8 only: utilities 0.9 then 0.8
    assert talker.total_concession == pytest.approx(0.1)
    assert talker.relative_n_offers == pytest.approx(2 / 10)
    assert talker.valid_offer_fraction == 1.0
    info = scenario_info(scenario)
    agreement = mech.state.agreement
    rows = negotiation_metrics(
        mech, info, [0, 1], None if agreement is None else info.index[agreement]
    )
    for p, row in enumerate(rows):
        values = dict(zip(metric_columns(), row, strict=True))
        party = attrs.asdict(mech.calc_negotiator_metrics(p))
        for f in NEGOTIATOR_METRIC_COLS:
            assert same(values[f"neg_{f}"], party[f]), f


@pytest.mark.parametrize("ufun_of", [[0, 1], [1, 0]])
def test_the_values_are_the_mechanism_s_own_metrics(ufun_of: list[int]) -> None:
    scenario = small_scenario(2)
    scenario.ufuns[1].reserved_value = -math.inf  # taken as the lowest utility
    mech = SAOMechanism(outcome_space=scenario.outcome_space, n_steps=25, seed=4)
    for p, j in enumerate(ufun_of):
        mech.add(AspirationNegotiator(id=f"a{p}"), ufun=scenario.ufuns[j])
    state = mech.run()
    info = scenario_info(scenario)
    position = None if state.agreement is None else info.index[state.agreement]
    rows = negotiation_metrics(mech, info, ufun_of, position)
    session = attrs.asdict(mech.calc_session_metrics())  # its own stats and frontier
    for p, row in enumerate(rows):
        values = dict(zip(metric_columns(), row, strict=True))
        party = attrs.asdict(mech.calc_negotiator_metrics(p))
        for f in SESSION_METRIC_COLS:
            assert same(values[f"session_{f}"], session[f]), f
        for f in NEGOTIATOR_METRIC_COLS:
            assert same(values[f"neg_{f}"], party[f]), f
    assert not all(math.isnan(v) for v in rows[0])
    assert all(math.isnan(v) for v in negotiation_metrics(None, info, ufun_of, None)[1])


def test_palaver_records_them_only_when_asked() -> None:
    args = ([BoulwareNegotiator, MiCRO], [small_scenario(0)])
    plain = cartesian_tournament(*args, n_steps=15, seed=2)
    assert not [c for c in plain.parties.columns if c.startswith(("session_", "neg_"))]
    full = cartesian_tournament(*args, n_steps=15, seed=2, negotiation_metrics=True)
    parties = full.parties
    assert [c for c in parties.columns if c.startswith(("session_", "neg_"))] == metric_columns()
    # The session's values are the negotiation's: the same in each of its rows.
    assert (parties.groupby("negotiation_id").session_welfare.nunique() == 1).all()
    assert np.allclose(parties.neg_utility, parties.utility)
    assert full.setup["negotiation_metrics"] is True
    with pytest.raises(ValueError, match="negotiation_metrics must be True or False"):
        cartesian_tournament(*args, n_steps=15, negotiation_metrics="yes")  # type: ignore[arg-type]


def test_negmas_view_has_scalar_session_and_listed_party_columns() -> None:
    r = negmas_tournament(
        [BoulwareNegotiator, MiCRO], [small_scenario(0)], n_steps=15, njobs=-1, verbosity=0, seed=2
    )
    details, scores = r.details, r.scores
    for f in SESSION_METRIC_COLS:
        assert f"session_{f}" in details.columns and f"session_{f}" in scores.columns
    for f in NEGOTIATOR_METRIC_COLS:
        assert all(len(v) == 2 for v in details[f"neg_{f}"])
        assert scores[f"neg_{f}"].map(lambda v: isinstance(v, float)).all()
    first = details.iloc[0]
    rows = scores[scores.negotiator_id.isin(first.negotiator_ids)].iloc[:2]
    assert rows.neg_dominance.tolist() == list(first.neg_dominance)
    assert rows.session_welfare.tolist() == [first.session_welfare] * 2
    off = negmas_tournament(
        [BoulwareNegotiator, MiCRO], [small_scenario(0)], n_steps=15, njobs=-1, verbosity=0,
        seed=2, negotiation_metrics=False,
    )  # fmt: skip
    assert not [c for c in off.scores.columns if c.startswith(("session_", "neg_"))]


def test_a_folder_written_without_them_resumes_as_it_was(tmp_path: Path) -> None:
    kwargs = {"n_steps": 15, "njobs": -1, "verbosity": 0, "path": tmp_path / "t"}
    old = negmas_tournament(
        [BoulwareNegotiator, MiCRO], [small_scenario(0)], negotiation_metrics=False, **kwargs
    )
    again = negmas_tournament([BoulwareNegotiator, MiCRO], [small_scenario(0)], **kwargs)
    assert "neg_utility" not in again.scores.columns
    assert again.final_scores.score.tolist() == old.final_scores.score.tolist()
    fresh = negmas_tournament(
        [BoulwareNegotiator, MiCRO], [small_scenario(0)], **{**kwargs, "path": tmp_path / "u"}
    )
    assert "neg_utility" in fresh.scores.columns
