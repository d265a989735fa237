"""NegMAS's Scenario.make_session, and palaver.mechanisms.make_session (SAO by default)."""

from __future__ import annotations

import pytest

from palaver.mechanisms import SAOMechanism, STVetoMechanism, make_session
from palaver.negotiators import AspirationNegotiator
from palaver.outcomes import make_issue
from palaver.preferences import LinearUtilityFunction
from palaver.scenarios import Scenario, ScenarioError


def trade() -> Scenario:
    issues = [make_issue(10, "price"), make_issue(5, "quantity")]
    seller = LinearUtilityFunction([1.0, 0.5], issues=issues)
    buyer = LinearUtilityFunction([-1.0, 1.0], bias=9.0, issues=issues)
    return Scenario(issues, [seller, buyer], name="trade", ufun_names=["seller", "buyer"])


def test_a_negotiator_class_makes_one_negotiator_per_party() -> None:
    scenario = trade()
    session = make_session(scenario, AspirationNegotiator, n_steps=30)
    assert isinstance(session, SAOMechanism) and session.n_steps == 30
    assert [n.name for n in session.negotiators] == ["seller", "buyer"]
    assert [n.ufun for n in session.negotiators] == list(scenario.ufuns)
    by_hand = SAOMechanism(outcome_space=scenario.outcome_space, n_steps=30)
    by_hand.add(AspirationNegotiator(name="seller"), ufun=scenario.ufuns[0])
    by_hand.add(AspirationNegotiator(name="buyer"), ufun=scenario.ufuns[1])
    assert session.run().agreement == by_hand.run().agreement is not None
    assert session.history == by_hand.history


def test_a_list_of_negotiators_roles_and_the_mechanism_alone() -> None:
    scenario = trade()
    a, b = AspirationNegotiator(name="a"), AspirationNegotiator(name="b")
    session = scenario.make_session(
        [a, b], n_steps=20, roles=["seller", "buyer"], mechanism_type=SAOMechanism, seed=3
    )
    assert session.negotiators == [a, b] and a.ufun is scenario.ufuns[0]
    alone = make_session(scenario, time_limit=5.0)
    assert alone.negotiators == [] and alone.outcome_space is scenario.outcome_space
    assert isinstance(
        make_session(scenario, n_steps=4, mechanism_type=STVetoMechanism), STVetoMechanism
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda s: s.make_session(AspirationNegotiator, n_steps=5, mechanism_type="SAO"),
            "mechanism_type must be",
        ),
        (lambda s: make_session(s, [AspirationNegotiator()], n_steps=5), "1 negotiators for the 2"),
        (lambda s: make_session(s, AspirationNegotiator, 5, share_ufuns=True), "share_ufuns"),
        (
            lambda s: make_session(s, AspirationNegotiator, 5, roles=["x"]),
            "roles must be a list of 2",
        ),
        (lambda s: make_session(s, 7, n_steps=5), "negotiators must be a list"),
    ],
)
def test_what_cannot_be_made_is_refused_by_name(call, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ScenarioError, match=message):
        call(trade())
    with pytest.raises(TypeError, match=r"scenario must be a palaver\.scenarios\.Scenario"):
        make_session("trade.xml", AspirationNegotiator, n_steps=5)  # type: ignore[arg-type]


def test_the_scenario_method_runs_sao_by_default_as_in_negmas() -> None:
    session = trade().make_session(AspirationNegotiator, n_steps=30)
    assert isinstance(session, SAOMechanism) and session.n_steps == 30
    assert (
        session.run().agreement
        == make_session(trade(), AspirationNegotiator, n_steps=30).run().agreement
    )


def test_negmas_genius_loaders(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import warnings

    from scenario_files import write_genius

    from palaver import load_genius_domain, load_genius_domain_from_folder
    from palaver.scenarios import ScenarioWarning

    folder = write_genius(tmp_path / "holiday")
    loaded = load_genius_domain_from_folder(folder)
    again = Scenario.from_genius_folder(folder)
    assert loaded.outcome_space == again.outcome_space and loaded.name == again.name == "holiday"
    assert loaded.ufun_names == again.ufun_names
    assert loaded.make_session(AspirationNegotiator, n_steps=20).run().started
    files = sorted(folder.glob("*.xml"))
    domain = next(f for f in files if "negotiation_template" in f.read_text())
    profiles = [f for f in files if f != domain]
    by_files = load_genius_domain(domain, profiles, ignore_reserved=True)
    assert by_files.outcome_space == loaded.outcome_space
    assert all(u.reserved_value == float("-inf") for u in by_files.ufuns)
    with pytest.warns(ScenarioWarning, match=r"\['n_discretization'\] ignored"):
        load_genius_domain_from_folder(folder, n_discretization=10)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_genius_domain_from_folder(str(folder), ignore_discount=True)


def test_to_single_issue_keeps_every_utility() -> None:
    scenario = trade()
    one = scenario.copy().to_single_issue()
    assert one.issue_names == ["price-quantity"] and one.n_outcomes == scenario.n_outcomes
    assert one.issues[0].values[:2] == ("v0", "v1")
    for k, outcome in enumerate(scenario.outcomes):
        for party in range(2):
            assert one.ufuns[party]((f"v{k}",)) == pytest.approx(scenario.ufuns[party](outcome))
    assert one.reserved_values == scenario.reserved_values
    assert one.discount_factors == scenario.discount_factors
    assert one.stats.nash.utilities == pytest.approx(scenario.stats.nash.utilities)
    assert scenario.n_issues == 2  # the copy changed, the original did not
    assert one.to_single_issue() is one
    numeric = scenario.copy().to_single_issue(numeric=True)
    assert numeric.issues[0] == make_issue(50, "price-quantity")
    assert scenario.copy().to_single_issue(stringify=False).issues[0].values[1] == (0, 1)
    assert one.make_session(AspirationNegotiator, n_steps=30).run().agreement is not None
    with pytest.raises(ScenarioError, match="randomize"):
        scenario.to_single_issue(randomize=True)
    with pytest.raises(ScenarioError, match="numeric must be True or False"):
        scenario.to_single_issue(numeric="yes")  # type: ignore[arg-type]
    continuous = Scenario(
        [make_issue((0.0, 1.0), "x"), make_issue(2, "y")],
        [LinearUtilityFunction([1.0, 1.0]), LinearUtilityFunction([-1.0, 1.0])],
    )
    with pytest.raises(ScenarioError, match="discretize"):
        continuous.to_single_issue()
    assert continuous.discretize(3).to_single_issue().n_outcomes == 6
    # As in NegMAS, the scenario itself changed: a statement is enough.
    scenario.to_single_issue()
    assert scenario.issue_names == ["price-quantity"] and scenario.n_outcomes == 50
