"""Scenario.calc_session_metrics / calc_negotiator_metrics / calc_full_metrics
(NegMAS's scenario metric methods): equal to the mechanism's own on the same
negotiation, with or without an agreement, and refusing bad arguments by name."""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np
import pytest

from palaver.mechanisms import SAOMechanism
from palaver.mechanisms.errors import MechanismValueError
from palaver.negotiators import AspirationNegotiator, RandomNegotiator, SAONegotiator
from palaver.outcomes import make_issue, make_os
from palaver.preferences import LinearAdditiveUtilityFunction
from palaver.scenarios import Scenario, ScenarioError

TRACE: dict[str, Any] = {"trace_utils": [(0.0, 1.0), (1.0, 0.0)]}


def split(r0: float = 0.0, r1: float = 0.0) -> Scenario:
    """x in 0..4 split between two parties: u0 = x/4, u1 = 1 - x/4."""
    space = make_os([make_issue(5, "x")])
    u0 = LinearAdditiveUtilityFunction(
        values={"x": lambda x: x / 4}, outcome_space=space, reserved_value=r0
    )
    u1 = LinearAdditiveUtilityFunction(
        values={"x": lambda x: 1 - x / 4}, outcome_space=space, reserved_value=r1
    )
    return Scenario(outcome_space=space, ufuns=(u0, u1))


def run(sc: Scenario, n_steps: int = 20) -> SAOMechanism:
    m = SAOMechanism(outcome_space=sc.outcome_space, n_steps=n_steps)
    for u in sc.ufuns:
        m.add(AspirationNegotiator(), ufun=u)
    m.run()
    return m


def same(a: Any, b: Any) -> bool:
    """Every field equal, NaN matching NaN."""
    return bool(attrs.asdict(a) == pytest.approx(attrs.asdict(b), nan_ok=True))


def trace_of(sc: Scenario, m: SAOMechanism) -> dict[str, Any]:
    """The mechanism's offers as the scenario's trace arguments."""
    trace = m.extended_trace
    ids = m.negotiator_ids
    return {
        "trace_utils": [tuple(float(u(o)) for u in sc.ufuns) for _, _, o in trace],
        "trace_parties": [ids.index(n) for _, n, _ in trace],
        "trace_offers": [o for _, _, o in trace],
    }


# reserved (0.1, 0.1) agrees; (0.8, 0.8) cannot (no outcome gives both 0.8)
@pytest.mark.parametrize(("reserved", "agrees"), [((0.1, 0.1), True), ((0.8, 0.8), False)])
def test_scenario_methods_equal_the_mechanisms(reserved: tuple[float, float], agrees: bool) -> None:
    sc = split(*reserved)
    m = run(sc)
    assert (m.agreement is not None) is agrees
    timing = {"relative_time": m.relative_time, "last_step": m.current_step}
    session = sc.calc_session_metrics(agreement=m.agreement, **timing)
    assert same(session, m.calc_session_metrics())
    assert session.agreement_reached == (1.0 if agrees else 0.0)
    trace = trace_of(sc, m)
    for i in range(2):
        mine = sc.calc_negotiator_metrics(index=i, agreement=m.agreement, **trace)
        assert same(mine, m.calc_negotiator_metrics(i))
    full = sc.calc_full_metrics(agreement=m.agreement, **timing, **trace)
    assert full.to_dict() == pytest.approx(m.calc_full_metrics().to_dict(), nan_ok=True)
    assert math.isnan(full.optimality.pareto_optimality) is not agrees


def test_no_agreement_gives_each_party_its_reserved_value() -> None:
    sc = split(0.2, 0.3)
    session = sc.calc_session_metrics()
    assert session.agreement_reached == 0.0
    assert session.welfare == pytest.approx(0.25)
    assert math.isnan(session.welfare_agreed)
    assert session.agreement_speed == 0.0
    party = sc.calc_negotiator_metrics(index=1)
    assert party.utility == pytest.approx(0.3)
    # no trace given: the trace metrics are NaN, not made up
    assert math.isnan(party.total_concession)
    assert all(math.isnan(v) for v in attrs.asdict(sc.calc_full_metrics().optimality).values())


def test_agreement_index_and_time_mean_what_negmas_says() -> None:
    sc = split()
    # index names the owner of ufuns[index]; (3,) gives u0 = 0.75, u1 = 0.25
    assert sc.calc_negotiator_metrics(index=0, agreement=(3,)).utility == pytest.approx(0.75)
    assert sc.calc_negotiator_metrics(index=1, agreement=(3,)).utility == pytest.approx(0.25)
    # a dict by issue name and agreement_utils say the same as the tuple
    by_name = sc.calc_session_metrics(agreement={"x": 3}, relative_time=0.25)
    by_utils = sc.calc_session_metrics(agreement_utils=(0.75, 0.25), relative_time=0.25)
    assert same(by_name, by_utils)
    assert by_name.agreement_speed == pytest.approx(0.75)
    assert by_name.relative_rounds == pytest.approx(0.25)
    # given reserved values replace the scenario's
    given = sc.calc_session_metrics(agreement=(3,), reserved_values=(0.5, 0.0))
    assert given.gains_from_trade == pytest.approx(0.25 + 0.25)


@pytest.mark.parametrize(
    ("call", "named"),
    [
        (lambda sc: sc.calc_negotiator_metrics(index=2), "index"),
        (lambda sc: sc.calc_negotiator_metrics(index=-1), "index"),
        (lambda sc: sc.calc_negotiator_metrics(index=True), "index"),
        (lambda sc: sc.calc_session_metrics(agreement=(9,)), "agreement"),
        (lambda sc: sc.calc_full_metrics(agreement={"y": 1}), "agreement"),
        (lambda sc: sc.calc_negotiator_metrics(index=0, agreement="3"), "agreement"),
        (lambda sc: sc.calc_session_metrics(agreement_utils=(0.5,)), "agreement_utils"),
        (lambda sc: sc.calc_session_metrics(agreement=(1,), agreement_utils=(0.5, 0.5)), "both"),
        (lambda sc: sc.calc_full_metrics(reserved_values=(0.1, "a")), "reserved_values"),
        (lambda sc: sc.calc_session_metrics(relative_time=1.5), "relative_time"),
        (lambda sc: sc.calc_full_metrics(relative_time=math.nan), "relative_time"),
        (lambda sc: sc.calc_session_metrics(last_step=-1), "last_step"),
        (lambda sc: sc.calc_negotiator_metrics(index=0, first_offer_party="a"), "first_offer"),
        (lambda sc: sc.calc_full_metrics(first_offer_party=7), "first_offer_party"),
        (lambda sc: sc.calc_negotiator_metrics(index=0, **TRACE, trace_parties=[0, 5]), "parties"),
        (lambda sc: sc.calc_full_metrics(**TRACE, trace_parties=[0]), "trace_parties"),
        (lambda sc: sc.calc_full_metrics(**TRACE, trace_parties="01"), "trace_parties"),
        (lambda sc: sc.calc_negotiator_metrics(index=0, eps=-1), "eps"),
        (lambda sc: sc.calc_full_metrics(eps="x"), "eps"),
        (lambda sc: sc.calc_negotiator_metrics(index=0, opponent_ufun=3), "opponent_ufun"),
        (lambda sc: sc.calc_full_metrics(opponent_ufuns=[None, 3]), r"opponent_ufuns\[1\]"),
        (lambda sc: sc.calc_full_metrics(opponent_ufuns=[None]), "opponent_ufuns"),
        (lambda sc: sc.calc_session_metrics(stats="x"), "stats"),
        (lambda sc: sc.calc_full_metrics(stats=3), "stats"),
        (lambda sc: sc.calc_full_metrics(agreement=(1,), max_dist=-1.0), "max_dist"),
        (lambda sc: sc.calc_full_metrics(agreement=(1,), max_dist=math.nan), "max_dist"),
        (lambda sc: sc.calc_session_metrics(agreement_utils=(math.nan, 0.5)), "agreement_utils"),
        (lambda sc: sc.calc_full_metrics(agreement_utils=(0.5, math.inf)), "agreement_utils"),
        (lambda sc: sc.calc_session_metrics(reserved_values=(0.1, math.nan)), "reserved_values"),
        (lambda sc: sc.calc_session_metrics(last_step=np.float64(3)), "last_step"),
    ],
)
def test_bad_arguments_are_refused_by_name(call: Any, named: str) -> None:
    with pytest.raises(ScenarioError, match=named) as caught:
        call(split())
    assert isinstance(caught.value, ValueError)


def test_numpy_integers_and_vectors_are_accepted_and_infinite_reserved_is_the_lowest() -> None:
    sc = split(0.1, 0.1)
    plain = sc.calc_full_metrics(agreement_utils=[0.5, 0.5], last_step=3, **TRACE)
    numpy = sc.calc_full_metrics(
        agreement_utils=np.array([0.5, 0.5]),
        last_step=np.int64(3),
        trace_parties=np.array([0, 1]),
        first_offer_party=np.int64(0),
        **TRACE,
    )
    assert same(plain.session, numpy.session)
    assert same(plain.negotiators[1], numpy.negotiators[1])
    one = sc.calc_negotiator_metrics(index=np.int64(1), agreement_utils=(0.5, 0.5), **TRACE)
    assert same(one, plain.negotiators[1])
    # u0 = x / 4 has lowest utility 0: an infinite reserved value is that, as the
    # scenario's own infinite reserved values are
    for infinite in (-math.inf, math.inf):
        got = sc.calc_full_metrics(agreement=(2,), reserved_values=(infinite, 0.1))
        low = sc.calc_full_metrics(agreement=(2,), reserved_values=(0.0, 0.1))
        assert got.to_dict() == pytest.approx(low.to_dict(), nan_ok=True)


def test_mechanism_metrics_without_preferences_are_a_value_error_naming_them() -> None:
    # these negotiators join without a utility function, so metrics are reachable
    m = SAOMechanism(outcome_space=split().outcome_space, n_steps=3)
    m.add(SAONegotiator())
    m.add(RandomNegotiator(), ufun=split().ufuns[0])
    for calc in (m.calc_session_metrics, m.calc_full_metrics, lambda: m.calc_negotiator_metrics(1)):
        with pytest.raises(MechanismValueError, match=m.negotiator_ids[0]) as caught:
            calc()
        assert isinstance(caught.value, ValueError)
        assert m.negotiator_ids[1] not in str(caught.value)
    with pytest.raises(MechanismValueError, match="no negotiators"):
        SAOMechanism(outcome_space=split().outcome_space, n_steps=3).calc_session_metrics()


def test_old_mechanism_paths_still_export_the_calculators() -> None:
    from palaver.mechanisms import calc_full_metrics as via_package
    from palaver.mechanisms.full_metrics import calc_full_metrics as via_old_path
    from palaver.mechanisms.session_metrics import SessionMetrics
    from palaver.negmas import SessionMetrics as negmas_name
    from palaver.scenarios.metrics_full import calc_full_metrics

    assert via_package is via_old_path is calc_full_metrics
    assert negmas_name is SessionMetrics


def test_convex_hull_uses_negmas_mixture_stats_without_caching_them() -> None:
    from palaver.negmas import calc_scenario_stats

    sc = split(0.1, 0.1)
    before = sc.stats
    hull = sc.calc_full_metrics(agreement=(1,), convex_hull=True)
    given = sc.calc_full_metrics(
        agreement=(1,), stats=calc_scenario_stats(list(sc.ufuns), convex_hull=True)
    )
    assert hull.to_dict() == pytest.approx(given.to_dict(), nan_ok=True)
    assert sc.stats is before
    with pytest.raises(ScenarioError, match="convex_hull"):
        sc.calc_session_metrics(convex_hull=1)  # type: ignore[arg-type]


def test_convex_hull_with_three_parties_names_the_method_called() -> None:
    space = make_os([make_issue(3, "x")])
    ufuns = tuple(
        LinearAdditiveUtilityFunction(values={"x": lambda x, k=k: (x + k) % 3}, outcome_space=space)
        for k in range(3)
    )
    sc = Scenario(outcome_space=space, ufuns=ufuns)
    for name in ("calc_session_metrics", "calc_full_metrics"):
        with pytest.raises(ScenarioError, match=f"Scenario.{name}: convex_hull") as caught:
            getattr(sc, name)(convex_hull=True)
        assert "calc_scenario_stats" not in str(caught.value)
