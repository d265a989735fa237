"""Scenarios handle NegMAS's canonical normalized linear-additive functions exactly."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences import (
    LinearAdditiveUtilityFunction,
    NormalizedLinearAdditiveUtilityFunction,
)
from palaver.scenarios import Scenario

SPACE = OutcomeSpace(
    [make_issue(5, "a"), make_issue(["x", "y"], "b"), make_issue(1, "DUMMY_ISSUE")]
)


def parties() -> list[LinearAdditiveUtilityFunction]:
    u1 = LinearAdditiveUtilityFunction(
        [None, {"x": 1.0, "y": 3.0}, None], [2.0, 1.0, 1.0], outcome_space=SPACE, reserved_value=2.0
    )
    u2 = LinearAdditiveUtilityFunction(
        [{i: 5.0 - i for i in range(5)}, None, None], [1.0, 0.5, 3.0], outcome_space=SPACE
    )
    return [u1, u2]


def test_saved_as_the_original_linear_additive_profile(tmp_path: Path) -> None:
    normalized = [u.normalize() for u in parties()]
    assert all(isinstance(u, NormalizedLinearAdditiveUtilityFunction) for u in normalized)
    Scenario(SPACE, normalized, name="deal").dumpas(tmp_path, type="json")
    written = json.loads((tmp_path / "deal.json").read_text())
    text = json.dumps(written)
    assert text.count('"linear_additive"') == 2  # not tabulated
    back = Scenario.load(tmp_path)
    outcomes = SPACE.enumerate()
    for u, v in zip(normalized, back.ufuns, strict=True):
        assert np.abs(u.eval_many(outcomes) - v.eval_many(outcomes)).max() < 1e-12


def test_dummy_issues_drop_from_normalized_functions() -> None:
    normalized = [u.normalize() for u in parties()]
    scenario = Scenario(SPACE, normalized, name="deal").remove_dummy_issues()
    assert scenario.outcome_space.issue_names == ["a", "b"]
    for before, after in zip(normalized, scenario.ufuns, strict=True):
        for a in range(5):
            for b in ("x", "y"):
                assert abs(before((a, b, 0)) - after((a, b))) < 1e-12
