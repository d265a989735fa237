"""make_issue([numbers]) is NegMAS's DiscreteCardinalIssue: numbers read as themselves.

The expected values were observed on NegMAS 0.16.0 with the same code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from palaver.negmas import (
    CategoricalIssue,
    DiscreteCardinalIssue,
    DiscreteOrdinalIssue,
    LinearUtilityFunction,
    MappingUtilityFunction,
    SAOMechanism,
    Scenario,
    ToughNegotiator,
    make_issue,
    make_os,
)
from palaver.outcomes import InvalidIssueError, OutcomeSpaceError


def test_a_list_of_numbers_is_a_cardinal_issue_in_its_given_order() -> None:
    issue = make_issue([10, 5, 1], "price")
    assert type(issue) is DiscreteCardinalIssue and isinstance(issue, DiscreteOrdinalIssue)
    assert issue.type == "discretecardinal" and issue.is_numeric()
    assert list(issue.all) == [10, 5, 1] and issue.values == (10, 5, 1)
    assert (issue.min_value, issue.max_value) == (1, 10)
    assert type(issue.min_value) is int
    assert issue.numeric_bounds() == (1.0, 10.0)
    assert issue == make_issue([10, 5, 1], "price") != make_issue([1, 5, 10], "price")
    assert issue.with_name("p") == DiscreteCardinalIssue([10, 5, 1], "p")
    # Anything else stays categorical (NegMAS: [1, "a"] is categorical too).
    assert type(make_issue([1, "a"], "x")) is CategoricalIssue
    assert type(make_issue(["a", "b"], "x")) is CategoricalIssue
    assert type(make_issue([1.0, float("inf")], "x")) is CategoricalIssue


def test_a_linear_utility_function_reads_the_values_not_their_index() -> None:
    u = LinearUtilityFunction(weights=[1.0], issues=[make_issue([1, 5, 10], "x")])
    assert [u((v,)) for v in (1, 5, 10)] == [1.0, 5.0, 10.0] and u.minmax() == (1.0, 10.0)
    issues = [make_issue([0, 5, 10], "x"), make_issue([0, 2, 4], "y")]
    u = LinearUtilityFunction(weights=[1.0, 0.0], issues=issues)
    assert u.minmax() == (0.0, 10.0) and u((5, 2)) == 5.0
    u = LinearUtilityFunction(weights=[2.0], issues=[make_issue([1.5, 4.5], "x")])
    assert [u((v,)) for v in (1.5, 4.5)] == [3.0, 9.0]


def test_codes_are_the_values_and_decode_to_the_values_as_given() -> None:
    space = make_os([make_issue([10, 5, 1], "x"), make_issue(["a", "b"], "y")])
    outcomes = [(5, "b"), (1, "a"), (10, "a")]
    array = space.to_array(outcomes)
    assert array[:, 0].tolist() == [5.0, 1.0, 10.0]
    back = space.from_array(array)
    assert back == outcomes and all(type(o[0]) is int for o in back)
    issue = space.issues[0]
    assert [issue.from_numeric(x) for x in (10.0, 4.0, 0.0)] == [10, 5, 1]
    with pytest.raises(OutcomeSpaceError, match=r"2\.0"):
        issue.indices(np.array([5.0, 2.0]))
    with pytest.raises(OutcomeSpaceError, match="7"):
        issue.to_numeric(7)
    with pytest.raises(OutcomeSpaceError, match="'5'"):
        issue.to_numeric("5")


def test_numpy_numbers_become_python_numbers() -> None:
    issue = make_issue([np.int64(3), np.int64(7)], "x")
    assert type(issue) is DiscreteCardinalIssue
    assert [type(v) for v in issue.all_values] == [int, int] and 3 in issue


def test_bad_values_are_refused_by_name() -> None:
    with pytest.raises(InvalidIssueError, match=r"'x'.*'a'"):
        DiscreteCardinalIssue([1, "a"], "x")  # type: ignore[list-item]
    with pytest.raises(InvalidIssueError, match="duplicate value 1"):
        DiscreteCardinalIssue([1, 1.0], "x")


def test_a_negotiation_over_listed_outcomes_hands_them_over_as_given() -> None:
    # NegMAS's test_tft_propose: a utility function that indexes a list by the value.
    outcomes = [(i,) for i in range(10)]
    utilities = 22.0 - np.linspace(0.0, 22.0, len(outcomes))
    seen: list[Any] = []

    def u(outcome: tuple[int]) -> float:
        seen.append(outcome[0])
        return float(utilities[outcome[0]])

    m = SAOMechanism(outcomes=outcomes, n_steps=10)
    m.add(ToughNegotiator(name="a"), preferences=MappingUtilityFunction(u, outcomes=outcomes))
    m.add(ToughNegotiator(name="b"), preferences=MappingUtilityFunction(u, outcomes=outcomes))
    m.step()
    assert seen and all(type(v) is int for v in seen)
    assert m.negotiator_offers("a")[0] == (0,)


def test_a_scenario_of_listed_numbers_scales_and_round_trips_geniusweb(tmp_path: Path) -> None:
    issues = (make_issue([1, 5, 10], "x"),)
    scenario = Scenario(
        outcome_space=make_os(issues),
        ufuns=(
            LinearUtilityFunction(weights=[1.0], issues=issues),
            LinearUtilityFunction(weights=[2.0], issues=issues),
        ),
    )
    scenario.scale_min(to=5.0)  # NegMAS's test: the lowest utilities are 1 and 2
    assert [uf.minmax()[0] for uf in scenario.ufuns] == pytest.approx([5.0, 5.0])
    scenario.to_geniusweb_folder(tmp_path / "g")
    back = Scenario.from_geniusweb_folder(tmp_path / "g")
    # GeniusWeb's discrete values are text; each is valued as the line valued it.
    for before, after in zip(scenario.ufuns, back.ufuns, strict=True):
        ratios = [after((str(v),)) / before((v,)) for v in (1, 5, 10)]
        assert ratios == pytest.approx([ratios[0]] * 3)


def test_palavers_json_format_keeps_a_cardinal_issue(tmp_path: Path) -> None:
    issues = (make_issue([10, 5, 1], "x"), make_issue(["a", "b"], "y"))
    scenario = Scenario(
        outcome_space=make_os(issues),
        ufuns=(LinearUtilityFunction(weights=[1.0, 2.0], issues=issues),),
    )
    path = tmp_path / "s.json"
    scenario.to_json(path)
    assert '"type": "cardinal"' in path.read_text()
    back = Scenario.from_json(path)
    assert back.outcome_space.issues[0] == issues[0]
    assert back.ufuns[0]((5, "b")) == scenario.ufuns[0]((5, "b")) == 7.0
