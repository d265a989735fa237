"""NegMAS module paths of the preferences and outcome names added for its test files."""

from __future__ import annotations

import importlib

import pytest

from palaver import preferences
from palaver.outcomes import CallableIssue, ContinuousInfiniteIssue, OptionalIssue
from palaver.scenarios import estimate_max_dist_using_outcomes


@pytest.mark.parametrize(
    ("module", "name", "expected"),
    [
        ("preferences.ops", "make_rank_ufun", preferences.make_rank_ufun),
        ("preferences.ops", "pareto_frontier_convex_hull", preferences.pareto_frontier_convex_hull),
        (
            "preferences.ops",
            "dist_to_convex_hull_frontier",
            preferences.dist_to_convex_hull_frontier,
        ),
        (
            "preferences.ops",
            "estimate_max_dist_using_outcomes",
            estimate_max_dist_using_outcomes,
        ),
        ("preferences.adapters", "UFunConstraint", preferences.UFunConstraint),
        (
            "preferences.complex",
            "ComplexNonlinearUtilityFunction",
            preferences.ComplexNonlinearUtilityFunction,
        ),
        ("helpers.prob", "ScipyDistribution", preferences.ScipyDistribution),
        ("helpers.prob", "Real", preferences.Real),
        (
            "preferences.prob.mapping",
            "ProbMappingUtilityFunction",
            preferences.ProbMappingUtilityFunction,
        ),
        ("outcomes", "ContinuousInfiniteIssue", ContinuousInfiniteIssue),
        ("outcomes.callable_issue", "CallableIssue", CallableIssue),
        ("outcomes.optional_issue", "OptionalIssue", OptionalIssue),
    ],
)
def test_negmas_paths(module: str, name: str, expected: object) -> None:
    assert getattr(importlib.import_module(f"palaver.negmas.{module}"), name) is expected
