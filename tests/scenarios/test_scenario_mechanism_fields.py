"""NegMAS's ``mechanism_type``, ``mechanism_params`` and ``stats`` fields of a scenario."""

from __future__ import annotations

import pytest

from palaver.mechanisms import SAOMechanism
from palaver.negotiators import AspirationNegotiator
from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences import LinearAdditiveUtilityFunction
from palaver.scenarios import Scenario, ScenarioError
from palaver.tournaments.negotiation import cartesian_tournament
from palaver.tournaments.negotiation.scenario_info import mechanism_options, scenario_fingerprint


class SlowSAO(SAOMechanism):
    """An SAO subclass (a mechanism a scenario may name)."""


def scenario(name: str = "s", **kwargs: object) -> Scenario:
    space = OutcomeSpace([make_issue(4, "a"), make_issue(3, "b")])
    ufuns = [
        LinearAdditiveUtilityFunction(
            [{i: i / 3 for i in range(4)}, {i: (2 - i) / 2 for i in range(3)}],
            [0.5, 0.5],
            reserved_value=0.1,
            outcome_space=space,
        ),
        LinearAdditiveUtilityFunction(
            [{i: (3 - i) / 3 for i in range(4)}, {i: i / 2 for i in range(3)}],
            [0.5, 0.5],
            reserved_value=0.1,
            outcome_space=space,
        ),
    ]
    return Scenario(space, ufuns, name=name, **kwargs)  # type: ignore[arg-type]


def test_the_fields_default_as_negmas_and_travel_with_derived_scenarios() -> None:
    plain = scenario()
    assert plain.mechanism_type is SAOMechanism and plain.mechanism_params == {}
    s = scenario(mechanism_type=SlowSAO, mechanism_params={"one_offer_per_step": True})
    for derived in (s.rotate_ufuns(1), s.copy(), s.remove_reserved_values()):
        assert derived.mechanism_type is SlowSAO
        assert derived.mechanism_params == {"one_offer_per_step": True}
    copied = s.copy()
    copied.mechanism_params["one_offer_per_step"] = False
    assert s.mechanism_params == {"one_offer_per_step": True}  # not shared


def test_make_session_uses_them_and_its_own_arguments_win() -> None:
    s = scenario(mechanism_type=SlowSAO, mechanism_params={"n_steps": 7})
    session = s.make_session(AspirationNegotiator)
    assert type(session) is SlowSAO and session.nmi.n_steps == 7
    assert s.make_session(AspirationNegotiator, n_steps=3).nmi.n_steps == 3
    assert type(s.make_session(AspirationNegotiator, mechanism_type=SAOMechanism)) is SAOMechanism


def test_stats_given_are_kept_and_bad_fields_are_refused() -> None:
    stats = scenario().stats
    assert scenario(stats=stats).stats is stats
    with pytest.raises(ScenarioError, match="mechanism_type must be a mechanism class"):
        scenario(mechanism_type="sao")
    with pytest.raises(ScenarioError, match=r"with add\(\) and run\(\).*got <class 'int'>"):
        scenario(mechanism_type=int)
    with pytest.raises(ScenarioError, match="mechanism_params must be a dict"):
        scenario(mechanism_params=[("n_steps", 3)])
    with pytest.raises(ScenarioError, match="stats must be ScenarioStats"):
        scenario(stats={"pareto": []})


def test_a_tournament_passes_a_scenario_s_options_on_and_refuses_other_mechanisms() -> None:
    one = scenario("one", mechanism_params={"one_offer_per_step": True})
    r = cartesian_tournament(["boulware", "micro"], [one], n_steps=10, seed=1)
    assert len(r) == 8
    # What each negotiation's mechanism gets: the scenario's options, the tournament's on top.
    assert mechanism_options(one, {}) == {"one_offer_per_step": True}
    assert mechanism_options(one, {"one_offer_per_step": False}) == {"one_offer_per_step": False}
    # A resume notices options changed: they are part of the scenario's fingerprint.
    assert scenario_fingerprint(one) != scenario_fingerprint(scenario("one"))
    with pytest.raises(ValueError, match="scenario 'two': its mechanism_params"):
        cartesian_tournament(
            ["boulware"], [scenario("two", mechanism_params={"nope": 1})], n_steps=5
        )
    with pytest.raises(ValueError, match="scenario 'three': its mechanism_params must not hold"):
        cartesian_tournament(["boulware"], [scenario("three", mechanism_params={"n_steps": 5})])

    class NotSAO:
        """A mechanism of another protocol (it has what a session calls)."""

        def add(self, negotiator: object) -> None: ...

        def run(self) -> None: ...

    with pytest.raises(ValueError, match=r"names mechanism_type .*NotSAO.*plays SAO"):
        cartesian_tournament(["boulware"], [scenario("four", mechanism_type=NotSAO)])


def test_a_tournament_refuses_a_scenario_naming_an_sao_subclass() -> None:
    # Every negotiation is built as SAOMechanism itself: the subclass's overrides
    # would be dropped without a word, as the tournament's own mechanism_type refuses.
    with pytest.raises(ValueError, match=r"names mechanism_type .*SlowSAO.*nor a subclass"):
        cartesian_tournament(["boulware"], [scenario("five", mechanism_type=SlowSAO)], n_steps=5)
    plain = scenario("six", mechanism_type=SAOMechanism)
    assert len(cartesian_tournament(["boulware"], [plain], n_steps=5, seed=1)) == 2
