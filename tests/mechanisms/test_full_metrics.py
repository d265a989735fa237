"""FullMetrics: the optimality, session and per-party metrics of a negotiation in one record."""

from __future__ import annotations

import math

import attrs
import pytest

from palaver.mechanisms import FullMetrics, calc_full_metrics
from palaver.negmas import (
    AspirationNegotiator,
    LinearAdditiveUtilityFunction,
    SAOMechanism,
    Scenario,
    make_issue,
    make_os,
)
from palaver.scenarios import OutcomeOptimality


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


def test_bundle_hand_computed_without_stats() -> None:
    fm = calc_full_metrics(
        [(0.9, 0.2), (0.3, 0.8), (0.7, 0.5)],
        (0.7, 0.5),
        (0.2, 0.1),
        utility_ranges=[(0.0, 1.0), (0.0, 1.0)],
        relative_time=0.5,
        last_step=3,
        pareto_utils=[(1.0, 0.2), (0.7, 0.5), (0.4, 0.95)],
    )
    assert fm.session.welfare == pytest.approx(0.6)
    assert fm.session.gains_from_trade == pytest.approx(0.9)
    # the best surplus on the frontier is (0.4 - 0.2) + (0.95 - 0.1) = 1.05
    assert fm.session.surplus_efficiency == pytest.approx(0.9 / 1.05)
    assert [n.utility for n in fm.negotiators] == pytest.approx([0.7, 0.5])
    assert fm.negotiators[0].advantage == pytest.approx(0.5 / 0.8)
    assert fm.negotiators[1].advantage == pytest.approx(0.4 / 0.9)
    # party 0 offered 0.9 then 0.7 (alternating from party 0): it conceded 0.2
    assert fm.negotiators[0].total_concession == pytest.approx(0.2)
    assert all(math.isnan(v) for v in attrs.asdict(fm.optimality).values())


def test_optimality_and_rational_surplus_from_stats() -> None:
    sc = split()
    stats = sc.calc_stats()
    fm = calc_full_metrics([], (0.25, 0.25), (0.0, 0.0), ufuns=list(sc.ufuns), stats=stats)
    gap = math.dist((0.25, 0.25), (0.5, 0.5))
    assert fm.optimality.pareto_optimality == pytest.approx(1 - gap / math.sqrt(2))
    assert fm.optimality.max_welfare_optimality == pytest.approx(0.5)
    # an explicit max_dist wins over the ufuns' estimate
    fm2 = calc_full_metrics([], (0.25, 0.25), (0.0, 0.0), stats=stats, max_dist=1.0)
    assert fm2.optimality.pareto_optimality == pytest.approx(1 - gap)
    # no max_dist and no ufuns: nothing to scale by, so NaN
    fm3 = calc_full_metrics([], (0.25, 0.25), (0.0, 0.0), stats=stats)
    assert math.isnan(fm3.optimality.pareto_optimality)


def test_surplus_efficiency_reads_only_the_rational_frontier() -> None:
    # reserved (0.3, 0.6): no outcome is rational, so the frontier is NegMAS's
    # empty one and the utility ranges give the best surplus: 0.7 + 0.4.
    stats = split(0.3, 0.6).calc_stats()
    fm = calc_full_metrics(
        [], (0.5, 0.5), (0.3, 0.6), utility_ranges=[(0.0, 1.0), (0.0, 1.0)], stats=stats
    )
    assert fm.session.surplus_efficiency == pytest.approx(0.1 / 1.1)


def test_to_dict_flattens_with_prefixes() -> None:
    fm = calc_full_metrics([(0.9, 0.2)], (0.7, 0.5), (0.2, 0.1))
    flat = fm.to_dict()
    n_party = len(attrs.fields(type(fm.negotiators[0])))
    n_all = len(attrs.fields(OutcomeOptimality)) + len(attrs.fields(type(fm.session)))
    assert len(flat) == n_all + 2 * n_party
    assert flat["welfare"] == pytest.approx(0.6)
    assert flat["neg1_utility"] == pytest.approx(0.5)
    named = fm.to_dict(negotiator_names=["buyer"])
    assert named["buyer_utility"] == pytest.approx(0.7)
    assert named["neg1_utility"] == pytest.approx(0.5)
    assert "neg0_utility" not in named


def test_opponent_ufuns_must_match_the_parties() -> None:
    with pytest.raises(ValueError, match="opponent_ufuns"):
        calc_full_metrics([], None, (0.0, 0.0), opponent_ufuns=[None])


def _run(sc: Scenario) -> SAOMechanism:
    m = SAOMechanism(outcome_space=sc.outcome_space, n_steps=20)
    for u in sc.ufuns:
        m.add(AspirationNegotiator(), ufun=u)
    m.run()
    return m


def test_mechanism_feeds_its_own_negotiation() -> None:
    sc = split(0.1, 0.1)
    m = _run(sc)
    fm = m.calc_full_metrics()
    assert isinstance(fm, FullMetrics)
    ufuns = list(sc.ufuns)
    ids = m.negotiator_ids
    trace = m.extended_trace
    assert trace
    expected = calc_full_metrics(
        [tuple(float(u(o)) for u in ufuns) for _, _, o in trace],
        None if m.agreement is None else [float(u(m.agreement)) for u in ufuns],
        (0.1, 0.1),
        utility_ranges=[(0.0, 1.0), (0.0, 1.0)],
        relative_time=m.relative_time,
        last_step=m.current_step,
        trace_parties=[ids.index(n) for _, n, _ in trace],
        trace_offers=[o for _, _, o in trace],
        outcome_space=m.outcome_space,
        ufuns=ufuns,
        stats=sc.calc_stats(),
    )
    assert fm.to_dict() == pytest.approx(expected.to_dict(), nan_ok=True)

    def same(a: object, b: object) -> bool:
        return attrs.asdict(a) == pytest.approx(attrs.asdict(b), nan_ok=True)  # type: ignore[arg-type]

    assert same(m.calc_session_metrics(), fm.session)
    assert same(m.calc_negotiator_metrics(1), fm.negotiators[1])
    assert same(m.calc_negotiator_metrics(ids[0]), fm.negotiators[0])


def test_mechanism_metrics_refuse_unknown_negotiator_and_missing_ufun() -> None:
    m = _run(split())
    with pytest.raises(ValueError, match="no negotiator has id"):
        m.calc_negotiator_metrics("nobody")
    empty = SAOMechanism(outcome_space=split().outcome_space, n_steps=2)
    with pytest.raises(ValueError, match="utility function"):
        empty.calc_full_metrics()


def test_infinite_reserved_value_is_the_lowest_utility() -> None:
    sc = split(-math.inf, 0.0)
    m = _run(sc)
    assert m.calc_full_metrics().negotiators[0].rationality == 1.0
    session = m.calc_session_metrics()
    u0 = 0.0 if m.agreement is None else float(sc.ufuns[0](m.agreement))
    u1 = 0.0 if m.agreement is None else float(sc.ufuns[1](m.agreement))
    assert session.gains_from_trade == pytest.approx(u0 - 0.0 + u1 - 0.0)
