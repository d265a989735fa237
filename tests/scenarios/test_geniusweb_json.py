"""GeniusWeb JSON profiles: reading, round trips, bad input."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scenario_files import GW_ALICE, GW_DOMAIN, write_geniusweb

from palaver import LinearAdditiveUtilityFunction, Scenario, make_issue, make_os
from palaver.outcomes import CategoricalIssue, DiscretizedIssue, IntegerIssue
from palaver.scenarios import ScenarioError, geniusweb
from palaver.scenarios.canonical import LinearValue


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
    (tmp_path / "info.json").write_text('{"year": 2021}')  # info from a file, as for Genius
    profiles = [folder / "alice.json", folder / "bob.json"]
    s = Scenario.from_geniusweb_files(
        folder / "holiday.json", profiles, info=tmp_path / "info.json"
    )
    assert s.info == {"year": 2021}
    (tmp_path / "info.json").write_text("[1]")
    with pytest.raises(ScenarioError, match=r"info.json: expected a JSON object"):
        Scenario.from_geniusweb_files(
            folder / "holiday.json", profiles, info=tmp_path / "info.json"
        )


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
    with pytest.raises(ScenarioError, match=r"continuous \(0.0 to 1.0\); GeniusWeb has no cont"):
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
        # NaN and Infinity parse as numbers, and int() raised on them: a bare ValueError.
        (
            lambda b: b["reservationBid"]["issuevalues"].update(days="NaN"),
            "reservationBid: 'NaN' is not a value of issue 'days'",
        ),
        (
            lambda b: b["reservationBid"]["issuevalues"].update(days="-Infinity"),
            "reservationBid: '-Infinity' is not a value",
        ),
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


def _real_valued() -> Scenario:
    space = make_os(
        [make_issue((0.0, 1.0), "price"), make_issue([1, 2, 5], "n"), make_issue((0, 3), "days")]
    )
    u = LinearAdditiveUtilityFunction(
        [None, {1: 0.2, 2: 1.0, 5: 0.0}, None], [0.5, 0.3, 0.2], reserved_value=0.4
    )
    w = LinearAdditiveUtilityFunction(
        [LinearValue(-1.0, 1.0), {1: 1.0, 2: 0.0, 5: 0.5}, None],
        [0.2, 0.3, 0.5],
        reserved_value=0.3,
    )
    return Scenario(space, [u, w], ufun_names=["u", "w"])


def test_real_valued_issues_are_written_in_geniusweb_s_own_value_sets(tmp_path: Path) -> None:
    """GeniusWeb's discrete values are strings and its numbers come as ranges
    (low, high, step, read as decimals), valued by a line through low and high
    (numberutils, which fit only a range): a discretized real issue is a range."""
    s = _real_valued().discretize(11)
    s.to_geniusweb_folder(tmp_path / "g")
    domain = json.loads((tmp_path / "g" / "domain.json").read_text())["issuesValues"]
    assert domain == {
        "price": {"range": {"low": 0.0, "high": 1.0, "step": 0.1}},
        "n": {"values": ["1", "2", "5"]},
        "days": {"range": {"low": 0, "high": 3, "step": 1}},
    }
    body = json.loads((tmp_path / "g" / "u.json").read_text())["LinearAdditiveUtilitySpace"]
    price = body["issueUtilities"]["price"]["numberutils"]
    assert (price["lowValue"], price["highValue"]) == (0.0, 1.0)  # the range's own ends
    assert body["issueUtilities"]["n"] == {
        "discreteutils": {"valueUtilities": {"1": 0.2, "2": 1.0, "5": 0.0}}
    }
    for name in ("u", "w"):
        profile = json.loads((tmp_path / "g" / f"{name}.json").read_text())
        bid = profile["LinearAdditiveUtilitySpace"].get("reservationBid", {"issuevalues": {}})
        for issue, value in bid["issuevalues"].items():
            spec = domain[issue]
            if "values" in spec:
                assert value in spec["values"]
            else:  # on the decimal grid low + k * step
                k = (Decimal(repr(value)) - Decimal(repr(spec["range"]["low"]))) / Decimal(
                    repr(spec["range"]["step"])
                )
                assert k == int(k)
    back = Scenario.from_geniusweb_folder(tmp_path / "g")
    # np.linspace's 0.30000000000000004 comes back as the range's 0.3
    assert back.issues[0].values == tuple(float(Decimal(k) / 10) for k in range(11))
    assert back.issues[1].values == ("1", "2", "5")
    assert back.n_outcomes == s.n_outcomes
    for i in range(2):  # the same preferences: an exact positive affine image
        x, y = s.utilities[:, i], back.utilities[:, i]
        slope, offset = np.polyfit(x, y, 1)
        assert slope > 0 and np.allclose(slope * x + offset, y, atol=1e-12)
        r = s.ufuns[i].reserved_value
        assert back.ufuns[i].reserved_value == pytest.approx(slope * r + offset)


@pytest.mark.parametrize(
    ("issue", "values", "match"),
    [
        (DiscretizedIssue([0.0, 0.1, 0.5], "p"), None, r"issue 'p': values \[0.0, 0.1, 0.5\] "
         r"are not evenly spaced \(value 0.1, the range's 0.25\); GeniusWeb holds numbers only "
         r"as a range"),
        (DiscretizedIssue([0.5], "p"), None, r"issue 'p' has a single value \(0.5\)"),
        (DiscretizedIssue([0.0, 0.5, 1.0], "p"), {0.0: 0.0, 0.5: 1.0, 1.0: 0.0},
         r"ufun 'u': discretized issue 'p' is valued by a table that is not a line"),
        (CategoricalIssue([1, "1"], "p"), None, r"values \[1, '1'\] are not distinct as text"),
    ],
)  # fmt: skip
def test_what_geniusweb_cannot_hold_of_real_issues_is_refused_before_writing(
    tmp_path: Path, issue: Any, values: Any, match: str
) -> None:
    space = make_os([issue, make_issue(["a", "b"], "place")])
    fn = values
    if fn is None and not issue.is_numeric:
        fn = dict.fromkeys(issue.values, 0.5)
    u = LinearAdditiveUtilityFunction([fn, {"a": 1.0, "b": 0.0}], [0.5, 0.5])
    s = Scenario(space, [u, u], ufun_names=["u", "w"])
    with pytest.raises(ScenarioError, match=match):
        s.to_geniusweb_folder(tmp_path / "g")
    assert not (tmp_path / "g").exists()


def test_reading_a_range_is_geniusweb_s_decimal_grid(tmp_path: Path) -> None:
    # GeniusWeb's own example: 12.2 to 12.6 by 0.3 holds 12.2 and 12.5 (high is a bound)
    domain = {
        "name": "d",
        "issuesValues": {"x": {"range": {"low": 12.2, "high": 12.6, "step": 0.3}}},
    }
    (tmp_path / "d.json").write_text(json.dumps(domain))
    space, _ = geniusweb.read_domain(tmp_path / "d.json")
    assert space.issues[0].values == (12.2, 12.5)
    domain["issuesValues"]["x"]["range"] = {"low": 0, "high": 1, "step": 1e-9}
    (tmp_path / "d.json").write_text(json.dumps(domain))
    with pytest.raises(
        ScenarioError, match=r"d.json: issuesValues\['x'\].range has 1,000,000,001 values"
    ):
        geniusweb.read_domain(tmp_path / "d.json")


def test_weights_can_be_normalised_on_request_as_for_genius(tmp_path: Path) -> None:
    folder = write_geniusweb(
        tmp_path / "w", alice=_mutated(lambda b: b["issueWeights"].update(place=0.7))
    )
    with pytest.raises(
        ScenarioError, match=r"alice.json: issueWeights sum to 1.1.*normalize_weights"
    ):
        Scenario.load(folder)
    for back in (
        Scenario.from_geniusweb_folder(folder, normalize_weights=True),
        Scenario.load(folder, normalize_weights=True),
    ):
        ufun = back.ufuns[back.ufun_names.index("alice")]
        assert sum(ufun.weights.tolist()) == pytest.approx(1.0)  # type: ignore[attr-defined]
        assert ufun.weights[0] == pytest.approx(0.7 / 1.1)  # type: ignore[attr-defined]


def test_a_reserved_value_above_every_outcome_is_refused_not_lowered(tmp_path: Path) -> None:
    space = make_os([make_issue(["a", "b", "c"], "place")])
    u = LinearAdditiveUtilityFunction([{"a": 1.0, "b": 0.5, "c": 0.0}], [1.0], reserved_value=0.6)
    picky = LinearAdditiveUtilityFunction(
        [{"a": 1.0, "b": 0.5, "c": 0.0}], [1.0], reserved_value=1.2
    )
    Scenario(space, [u, u], ufun_names=["u", "w"]).to_geniusweb_folder(tmp_path / "ok")
    back = Scenario.from_geniusweb_folder(tmp_path / "ok")
    assert back.reserved_values == (1.0, 1.0)  # the worst acceptable outcome: 'a'
    assert back.stats.rational_fraction == pytest.approx(1 / 3)  # the same outcomes acceptable
    with pytest.raises(
        ScenarioError, match=r"ufun 'w': the reserved value \(1.2 .*above every outcome's utility"
    ):
        Scenario(space, [u, picky], ufun_names=["u", "w"]).to_geniusweb_folder(tmp_path / "no")
    assert not (tmp_path / "no").exists()


def test_the_largest_range_read_is_written_back(tmp_path: Path) -> None:
    n = geniusweb.MAX_RANGE_VALUES
    for size in (n + 1, n):
        rng = {"low": 0, "high": (size - 1) / 2, "step": 0.5}  # size values
        domain = {"name": "d", "issuesValues": {"x": {"range": rng}}}
        (tmp_path / "d.json").write_text(json.dumps(domain))
        if size > n:
            with pytest.raises(ScenarioError, match=r"range has 100,001 values"):
                geniusweb.read_domain(tmp_path / "d.json")
    space, _ = geniusweb.read_domain(tmp_path / "d.json")
    assert space.issues[0].cardinality == n
    u = LinearAdditiveUtilityFunction([LinearValue(1 / n, 0.0)], [1.0])
    Scenario(space, [u, u]).to_geniusweb_folder(tmp_path / "out")  # no "discretise" refusal
    assert Scenario.from_geniusweb_folder(tmp_path / "out").issues[0].cardinality == n
