"""Bad arguments of Scenario's methods and the generators: a ScenarioError naming the parameter."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from scenario_files import write_genius

from palaver import LinearUtilityFunction, Scenario, make_issue
from palaver.scenarios import MAX_OUTCOMES, ScenarioError
from palaver.scenarios import generators as g


def _scenario() -> Scenario:
    return Scenario(
        [make_issue(5, "a")],
        [LinearUtilityFunction([1.0]), LinearUtilityFunction([-1.0], bias=4.0)],
    )


def test_names_and_discounts_must_be_lists_not_strings() -> None:
    issues = [make_issue(5, "a")]
    ufuns = [LinearUtilityFunction([1.0]), LinearUtilityFunction([-1.0])]
    with pytest.raises(ScenarioError, match="ufun_names must be a list of 2 strings"):
        Scenario(issues, ufuns, ufun_names="ab")  # type: ignore[arg-type]
    with pytest.raises(ScenarioError, match="discount_factors must be a list of 2 numbers"):
        Scenario(issues, ufuns, discount_factors=0.9)  # type: ignore[arg-type]


def test_normalize_and_calc_stats_check_their_arguments() -> None:
    s = _scenario()
    with pytest.raises(ScenarioError, match=r"normalize: to must be a pair \(low, high\)"):
        s.normalize(to="ab")  # type: ignore[arg-type]
    with pytest.raises(ScenarioError, match="normalize: to must be a pair"):
        s.normalize(to=(0.0, 1.0, 2.0))  # type: ignore[arg-type]
    with pytest.raises(ScenarioError, match="calc_stats: seed must be an int"):
        s.calc_stats(sample=3, seed="x")  # type: ignore[arg-type]
    # numpy's "expected non-negative integer" named no parameter; 0 and -1 were not checked.
    with pytest.raises(ScenarioError, match=r"calc_stats: seed must be an int >= 0 .* got -1"):
        s.calc_stats(sample=3, seed=-1)
    for bad in (0, -1, 2.5, "10"):
        with pytest.raises(ScenarioError, match="calc_stats: max_outcomes must be a positive"):
            s.calc_stats(max_outcomes=bad)  # type: ignore[arg-type]
    # numpy said "Maximum allowed dimension exceeded".
    with pytest.raises(ScenarioError, match=r"calc_stats: sample must be at most max_outcomes"):
        s.calc_stats(sample=10**30)
    with pytest.raises(ScenarioError, match=r"at most max_outcomes \(10\), got 11"):
        s.calc_stats(sample=11, max_outcomes=10)


def test_rotated_and_with_reserved_values_name_their_own_parameters() -> None:
    s = _scenario()
    # rotated(k) said "rotate_ufuns: n must be an int"; a number for the reserved
    # values said "'float' object is not iterable".
    with pytest.raises(ScenarioError, match=r"^rotated: k must be an int, got 1\.5"):
        s.rotated(1.5)  # type: ignore[arg-type]
    for bad in (0.5, None, "ab"):
        with pytest.raises(ScenarioError, match=r"reserved_values must be a list of numbers"):
            s.with_reserved_values(bad)  # type: ignore[arg-type]
    assert s.with_reserved_values([0.5, 1.0]).reserved_values == (0.5, 1.0)


def test_discounted_utility_checks_party_time_and_outcome() -> None:
    s = _scenario()
    assert s.discounted_utility(1, {"a": 1}, 0.0) == 3.0
    with pytest.raises(ScenarioError, match=r"party must be an int in \[0, 1\], got 5"):
        s.discounted_utility(5, (1,), 0.5)
    with pytest.raises(ScenarioError, match=r"time must be in \[0, 1\], got nan"):
        s.discounted_utility(0, (1,), math.nan)
    with pytest.raises(ScenarioError, match=r"\(99,\) is not an outcome"):
        s.discounted_utility(0, (99,), 0.5)


@pytest.mark.parametrize(
    "make",
    [g.zero_sum_scenario, g.monotonic_scenario, g.curve_scenario, g.piecewise_linear_scenario],
)
def test_generators_refuse_astronomic_sizes_before_allocating(make: object) -> None:
    with pytest.raises(ScenarioError, match="n_outcomes=1,000,000,000,000 is more than"):
        make(10**12)  # type: ignore[operator]
    assert MAX_OUTCOMES == 1_000_000


def test_a_share_of_pareto_outcomes_above_one_is_refused() -> None:
    with pytest.raises(ScenarioError, match=r"a count .* or a share in \(0, 1\), got 1.5"):
        g.curve_scenario(10, n_pareto=1.5)
    assert len(g.curve_scenario(10, n_pareto=4.0, seed=1).stats.pareto_outcomes) == 4


def test_pareto_distance_checks_its_argument() -> None:
    stats = _scenario().stats
    with pytest.raises(ScenarioError, match="pareto_distance: utilities must be numbers"):
        stats.pareto_distance("ab")  # type: ignore[arg-type]
    with pytest.raises(ScenarioError, match="must not be NaN"):
        stats.pareto_distance([math.nan, 1.0])
    with pytest.raises(ScenarioError, match="2 values per row"):
        stats.pareto_distance(1.0)  # type: ignore[arg-type]
    assert stats.pareto_distance(list(stats.pareto_utils[0])) == 0.0


def test_constructor_checks_on_a_json_file_name_the_file(tmp_path: Path) -> None:
    good = _scenario()
    good.to_json(tmp_path / "s.json")
    data = json.loads((tmp_path / "s.json").read_text())
    data["ufuns"][1]["name"] = data["ufuns"][0]["name"]
    (tmp_path / "dup.json").write_text(json.dumps(data))
    with pytest.raises(ScenarioError, match=r"dup\.json: Scenario: ufun_names must be distinct"):
        Scenario.from_json(tmp_path / "dup.json")
    data = json.loads((tmp_path / "s.json").read_text())
    data["ufuns"][0]["discount_factor"] = 5
    (tmp_path / "df.json").write_text(json.dumps(data))
    with pytest.raises(ScenarioError, match=r"df\.json: Scenario: discount_factors\[0\] = 5"):
        Scenario.from_json(tmp_path / "df.json")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        # On/off options were read by truthiness: "no" ignored the discount factors.
        (
            lambda s, d: Scenario.from_genius_folder(d, ignore_discount="no"),
            r"from_genius_files: ignore_discount must be True or False, got 'no'",
        ),
        (
            lambda s, d: Scenario.load(d, normalize_weights="false"),
            r"load: normalize_weights must be True or False",
        ),
        (lambda s, d: Scenario.load(d, load_info="no"), r"load: load_info must be True or False"),
        (
            lambda s, d: s.dumpas(d / "out", save_stats="no"),
            r"dumpas: save_stats must be True or False",
        ),
        (
            lambda s, d: s.normalize(independent="no"),
            r"normalize: independent must be True or False",
        ),
        (
            lambda s, d: s.rotate_ufuns(1, rotate_info=0),
            r"rotate_ufuns: rotate_info must be True or False, got 0",
        ),
        # A NaN answered False whatever the utilities.
        (lambda s, d: s.is_normalized(tol=float("nan")), r"is_normalized: tol must be a finite"),
        (
            lambda s, d: s.is_normalized(to=(0.0, float("nan"))),
            r"is_normalized: to\[1\] must be finite, got nan",
        ),
        (lambda s, d: s.is_normalized(eps=-1.0), r"is_normalized: eps must be a finite"),
        (
            lambda s, d: s.normalize(independent=True, common_range=False),
            r"normalize: Cannot specify both common_range and independent",
        ),
        (
            lambda s, d: s.normalize(guarantee_min="yes"),
            r"normalize: guarantee_min must be True or False",
        ),
        (
            lambda s, d: s.normalize(to=(1.0, 0.0)),
            r"normalize: to must be \(low, high\) with low < high",
        ),
        (
            lambda s, d: s.normalize(normalize_reserved_values=True, reserved_value_penalty="x"),
            r"normalize: reserved_value_penalty must be a finite number",
        ),
        (lambda s, d: s.normalize(outcome_space=[1]), r"normalize: outcome_space must be"),
        (lambda s, d: s.scale_max(to="1"), r"scale_max: to must be a number, got '1'"),
        (
            lambda s, d: s.discretize(3, recalculate_stats="no"),
            r"discretize: recalculate_stats must be True or False",
        ),
        (lambda s, d: s.remove_dummy_issues(3), r"remove_dummy_issues: name must be a string"),
    ],
)
def test_options_of_the_wrong_type_are_refused_naming_the_method(
    tmp_path: Path, call: Any, message: str
) -> None:
    folder = write_genius(tmp_path / "g")
    scenario = Scenario.from_genius_folder(folder)
    with pytest.raises(ScenarioError, match=message):
        call(scenario, folder)
    assert not (folder / "out").exists()
