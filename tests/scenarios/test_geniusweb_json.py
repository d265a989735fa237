"""GeniusWeb JSON profiles: reading, round trips, bad input."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scenario_files import GW_ALICE, GW_DOMAIN, write_geniusweb

from palaver import LinearAdditiveUtilityFunction, Scenario, make_issue, make_os
from palaver.outcomes import CategoricalIssue, DiscretizedIssue, IntegerIssue
from palaver.scenarios import ScenarioError


def test_reads_discrete_and_number_utilities_and_the_reservation_bid(tmp_path: Path) -> None:
    s = Scenario.from_geniusweb_folder(write_geniusweb(tmp_path / "holiday"))
    place, days = s.issues
    assert isinstance(place, CategoricalIssue) and isinstance(days, IntegerIssue)
    assert s.name == "holiday" and s.ufun_names == ("alice", "bob")
    alice, bob = s.ufuns
    assert alice(("beach", 5)) == pytest.approx(1.0)
    assert alice(("city", 3)) == pytest.approx(0.6 * 0.5 + 0.4 * 0.5)
    assert bob(("mountains", 2)) == pytest.approx(0.5 * 0.6 + 0.5 * 0.75)
    # The reservation bid (city, 3) sets alice's reserved value; bob has none.
    assert s.reserved_values == pytest.approx((0.5, 0.0))
    assert s.discount_factors == (1.0, 1.0)


def test_files_form_and_options(tmp_path: Path) -> None:
    folder = write_geniusweb(tmp_path / "h")
    s = Scenario.from_geniusweb_files(
        folder / "holiday.json",
        [folder / "bob.json", folder / "alice.json"],
        name="x",
        ignore_reserved=True,
    )
    assert s.name == "x" and s.ufun_names == ("bob", "alice")
    assert s.reserved_values == (-np.inf, -np.inf)
    with pytest.raises(ScenarioError, match=r"profiles must list at least two .*got 1"):
        Scenario.from_geniusweb_files(folder / "holiday.json", [folder / "bob.json"])


def test_round_trip(tmp_path: Path) -> None:
    s = Scenario.from_geniusweb_folder(write_geniusweb(tmp_path / "in"))
    s.to_geniusweb_folder(tmp_path / "out")
    back = Scenario.from_geniusweb_folder(tmp_path / "out")
    assert back.outcome_space == s.outcome_space
    assert np.allclose(back.utilities, s.utilities, atol=1e-12)
    assert back.reserved_values == pytest.approx(s.reserved_values)
    assert back.ufun_names == s.ufun_names
    data = json.loads((tmp_path / "out" / "alice.json").read_text())
    body = data["LinearAdditiveUtilitySpace"]
    assert body["reservationBid"] == {"issuevalues": {"place": "city", "days": 3}}
    assert body["issueUtilities"]["days"]["numberutils"]["highValue"] == 5


def test_discretized_and_numeric_values(tmp_path: Path) -> None:
    ds = make_os([DiscretizedIssue([0.0, 0.5, 1.0], "share"), make_issue(["x", "y"], "kind")])
    u = LinearAdditiveUtilityFunction([None, {"x": 1.0, "y": 0.0}], weights=[0.5, 0.5])
    s = Scenario(ds, [u, u.__class__([None, {"x": 0.0, "y": 1.0}], weights=[0.2, 0.8])])
    s.to_geniusweb_folder(tmp_path / "d")
    back = Scenario.from_geniusweb_folder(tmp_path / "d")
    assert back.outcome_space == ds
    assert np.allclose(back.utilities, s.utilities)


def test_continuous_issues_and_non_linear_profiles_are_refused(tmp_path: Path) -> None:
    cont = make_os([make_issue((0.0, 1.0), "p")])
    u = LinearAdditiveUtilityFunction([None])
    with pytest.raises(ScenarioError, match="continuous; GeniusWeb has no continuous"):
        Scenario(cont, [u, u]).to_geniusweb_folder(tmp_path / "c")


def _mutated(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(GW_ALICE)
    change(data["LinearAdditiveUtilitySpace"])
    return data


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (
            lambda b: b["issueUtilities"]["place"]["discreteutils"]["valueUtilities"].pop("city"),
            r"\['city'\] of the domain have no utility",
        ),
        (
            lambda b: b["issueUtilities"]["place"]["discreteutils"]["valueUtilities"].update(sea=1),
            r"\['sea'\] are not values of the domain.*another domain",
        ),
        (lambda b: b["issueWeights"].update(place=0.7), "sum to 1.1"),
        (
            lambda b: b["issueWeights"].update(place="heavy"),
            r"issueWeights\['place'\] must be a number",
        ),
        (
            lambda b: b["issueUtilities"].update(colour={"discreteutils": {"valueUtilities": {}}}),
            "'colour' is not in the domain.*another domain",
        ),
        (lambda b: b["domain"].update(name="travel"), "profile is for domain 'travel'"),
        (lambda b: b["reservationBid"]["issuevalues"].update(days=9), "reservationBid: 9"),
        (
            lambda b: b["issueUtilities"]["place"]["discreteutils"]["valueUtilities"].update(
                city=2
            ),
            "outside",
        ),
        (
            lambda b: b["issueUtilities"]["days"].clear(),
            "neither 'discreteutils' nor 'numberutils'",
        ),
        (
            lambda b: b["issueUtilities"]["days"]["numberutils"].update(highValue=1),
            "lowValue equals",
        ),
        (lambda b: b.update(issueUtilities=[]), "issueUtilities must be a JSON object"),
    ],
)
def test_bad_profiles(tmp_path: Path, change: Any, match: str) -> None:
    folder = write_geniusweb(tmp_path / "bad", alice=_mutated(change))
    with pytest.raises(ScenarioError, match=match) as info:
        Scenario.from_geniusweb_folder(folder)
    assert "alice.json" in str(info.value)


def test_malformed_json_and_bad_domains(tmp_path: Path) -> None:
    folder = write_geniusweb(tmp_path / "m")
    (folder / "bob.json").write_text('{"LinearAdditiveUtilitySpace": {')
    with pytest.raises(ScenarioError, match=r"bob.json: malformed JSON: .*line 1"):
        Scenario.from_geniusweb_folder(folder)
    domain = copy.deepcopy(GW_DOMAIN)
    domain["issuesValues"]["days"] = {"range": {"low": 1, "high": 5}}
    bad = write_geniusweb(tmp_path / "d")
    (bad / "holiday.json").write_text(json.dumps(domain))
    with pytest.raises(ScenarioError, match=r"holiday.json: issuesValues\['days'\].range.step"):
        Scenario.from_geniusweb_folder(bad)
    domain["issuesValues"]["days"] = {"values": ["a", 1]}
    (bad / "holiday.json").write_text(json.dumps(domain))
    with pytest.raises(ScenarioError, match="all strings or all numbers"):
        Scenario.from_geniusweb_folder(bad)
    empty = tmp_path / "e"
    empty.mkdir()
    with pytest.raises(ScenarioError, match="no GeniusWeb domain file"):
        Scenario.from_geniusweb_folder(empty)


def test_an_integer_issue_valued_by_a_table_on_a_line_is_a_number_range(tmp_path: Path) -> None:
    space = make_os([make_issue((1, 5), "days"), make_issue(["a", "b"], "place")])
    days = {d: (d - 1) / 4 for d in range(1, 6)}  # a table, but on a line (as NegMAS writes)
    u = LinearAdditiveUtilityFunction([days, {"a": 1.0, "b": 0.0}], [0.6, 0.4])
    v = LinearAdditiveUtilityFunction([None, {"a": 0.0, "b": 1.0}], [0.5, 0.5])
    s = Scenario(space, [u, v], ufun_names=["u", "v"])
    s.to_geniusweb_folder(tmp_path / "g")
    body = json.loads((tmp_path / "g" / "u.json").read_text())["LinearAdditiveUtilitySpace"]
    # GeniusWeb values a range (its domain has one) only by numberutils.
    assert body["domain"]["issuesValues"]["days"] == {"range": {"low": 1, "high": 5, "step": 1}}
    assert body["issueUtilities"]["days"] == {
        "numberutils": {"lowValue": 1, "lowUtility": 0.0, "highValue": 5, "highUtility": 1.0}
    }
    back = Scenario.from_geniusweb_folder(tmp_path / "g")
    assert back.outcome_space == space
    assert np.allclose(back.utilities[:, 0], s.utilities[:, 0], atol=1e-12)
    # v (days up to 5) is rescaled into GeniusWeb's scale: a positive affine map of itself.
    slope, offset = np.polyfit(s.utilities[:, 1], back.utilities[:, 1], 1)
    assert slope > 0
    assert np.allclose(back.utilities[:, 1], slope * s.utilities[:, 1] + offset, atol=1e-12)


@pytest.mark.parametrize(
    ("days", "match"),
    [
        ({1: 0.0, 2: 1.0, 3: 0.2}, r"ufun 'u': integer issue 'days' is valued by a table "
         r"that is not a line \(value 2"),
        (None, r"ufun 'u': issue 'days' has a single value"),
    ],
)  # fmt: skip
def test_what_a_geniusweb_range_cannot_hold_is_refused_before_writing(
    tmp_path: Path, days: dict[int, float] | None, match: str
) -> None:
    issue = make_issue((1, 3) if days else (4, 4), "days")
    space = make_os([issue, make_issue(["a", "b"], "place")])
    u = LinearAdditiveUtilityFunction([days, {"a": 1.0, "b": 0.0}], [0.5, 0.5])
    s = Scenario(space, [u, u], ufun_names=["u", "w"])
    with pytest.raises(ScenarioError, match=match):
        s.to_geniusweb_folder(tmp_path / "g")
    assert not (tmp_path / "g").exists()
