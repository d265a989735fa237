"""NegMAS's helper functions refuse wrong arguments naming them (no interpreter messages)."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import palaver.negmas as n
from palaver import LinearUtilityFunction, Scenario, make_issue, make_os
from palaver.scenarios import ScenarioError

ISSUES = [make_issue(5, "x"), make_issue(["a", "b"], "y")]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: n.outcome2dict((1, "a"), 5), TypeError, r"issues must be a list of issues or"),
        (lambda: n.outcome2dict((1, "a"), [1, 2]), TypeError, r"issues\[0\] must be an Issue or"),
        (lambda: n.outcome2dict(5, ISSUES), TypeError, r"outcome must be a tuple, a list"),
        (lambda: n.dict2outcome({"x": 1, "y": "a"}, "xy"), TypeError, r"issues must be a list"),
        (lambda: n.outcome_is_valid((1, "a"), None), TypeError, r"issues must be a list of"),
        (lambda: n.outcome_is_valid((1, "a"), [5]), TypeError, r"issues\[0\] must be an Issue"),
        (
            lambda: n.issues_from_outcomes([(1, 2)], numeric_as_ranges=1),
            TypeError,
            r"numeric_as_ranges must be True or False, got 1",
        ),
        (lambda: n.os_or_none(5, None, None), TypeError, r"outcome_space must be an Outcome"),
        (lambda: n.shortest_unique_names(5), TypeError, r"strs must be a list of strings, got 5"),
        (lambda: n.shortest_unique_names([1, 2]), TypeError, r"strs\[0\] must be a str, got 1"),
        (lambda: n.get_class(5), TypeError, r"class_name must be a class, a callable or a"),
        (lambda: n.instantiate(5), TypeError, r"class_name must be a class"),
        (lambda: n.has_needed_files(5, ["a"]), TypeError, r"path must be a non-empty str or path"),
        (lambda: n.is_nonzero_file(3), TypeError, r"fpath must be a non-empty str or path"),
        (lambda: n.estimate_max_dist(5), ScenarioError, r"ufuns must be a list of utility"),
        (lambda: n.estimate_max_dist(["a"]), ScenarioError, r"ufuns\[0\] must be a Utility"),
        (lambda: n.calc_outcome_optimality(5, None, 1.0), ScenarioError, r"dists must be the"),
        (lambda: n.calc_outcome_distances((1.0, 2.0), 5), ScenarioError, r"stats must be a"),
    ],
)
def test_wrong_arguments_are_named(
    call: Callable[[], Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        call()


def test_outcome_is_complete_of_something_that_is_no_outcome_is_false() -> None:
    for value in (None, 5, "ab"):
        assert n.outcome_is_complete(value, ISSUES) is False  # type: ignore[arg-type]
    assert n.outcome_is_complete((1, "a"), ISSUES) is True


def test_calc_outcome_optimality_checks_its_stats_and_max_dist() -> None:
    space = make_os([make_issue(5, "x")])
    s = Scenario(space, [LinearUtilityFunction([1.0]), LinearUtilityFunction([-1.0])])
    stats = s.calc_stats()
    dists = n.calc_outcome_distances((1.0, 2.0), stats)
    with pytest.raises(ScenarioError, match="stats must be a ScenarioStats"):
        n.calc_outcome_optimality(dists, None, 1.0)  # type: ignore[arg-type]
    for bad in ("1.5", True, None):
        with pytest.raises(ScenarioError, match=r"max_dist must be a number"):
            n.calc_outcome_optimality(dists, stats, bad)  # type: ignore[arg-type]
    good = n.calc_outcome_optimality(dists, stats, np.float64(n.estimate_max_dist(s.ufuns)))
    assert 0.0 <= good.pareto_optimality <= 1.0


def test_working_calls_still_work(tmp_path: Path) -> None:
    assert n.get_class(LinearUtilityFunction) is LinearUtilityFunction
    assert n.get_class(make_issue) is make_issue  # a factory function is kept
    assert n.shortest_unique_names(["a.b.cat", "d.e.f"]) == ["cat", "f"]
    assert n.is_nonzero_file("") is False
    assert n.has_needed_files(tmp_path / "missing", ["a"]) == []
    assert n.outcome2dict((1, "a"), ["x", "y"]) == {"x": 1, "y": "a"}
    assert n.dict2outcome({"x": 1, "y": "a"}, ISSUES) == (1, "a")
    assert n.os_or_none(None, ISSUES, None) is not None


def test_dump_of_data_that_is_not_plain_names_the_file_and_writes_nothing(tmp_path: Path) -> None:
    for name in ("d.json", "d.yaml"):
        target = tmp_path / "sub" / name
        with pytest.raises(TypeError, match=rf"dump to '.*{name}': d must be plain data"):
            n.dump({"a": object()}, target)
        assert not (tmp_path / "sub").exists()
    n.dump({"a": [1, math.pi]}, tmp_path / "ok.json")
    assert n.load(tmp_path / "ok.json") == {"a": [1, math.pi]}
