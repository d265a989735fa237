"""NegMAS's scenario I/O details: GeniusWeb space names, use_reserved_outcome,
STATS_FILE_NAME, reserved_outcome and enumerate_or_sample_rational."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scenario_files import write_geniusweb

from palaver import LinearUtilityFunction, Scenario, make_issue, make_os
from palaver.scenarios import STATS_FILE_NAME, ScenarioError


def test_a_geniusweb_domain_names_its_outcome_space(tmp_path: Path) -> None:
    s = Scenario.from_geniusweb_folder(write_geniusweb(tmp_path / "h"), use_reserved_outcome=False)
    assert s.outcome_space.name == "holiday"
    # the reservation bid is a reserved value; no utility function has a reserved outcome
    assert s.reserved_values[0] == pytest.approx(0.5)
    assert all(u.reserved_outcome is None for u in s.ufuns)
    with pytest.raises(ScenarioError, match="use_reserved_outcome=True is not supported"):
        Scenario.from_geniusweb_folder(tmp_path / "h", use_reserved_outcome=True)
    with pytest.raises(ScenarioError, match="use_reserved_outcome must be True or False"):
        Scenario.from_geniusweb_folder(tmp_path / "h", use_reserved_outcome="yes")  # type: ignore[arg-type]


def test_dumpas_writes_the_statistics_to_stats_file_name(tmp_path: Path) -> None:
    space = make_os([make_issue(3, "x")])
    s = Scenario(
        space,
        [
            LinearUtilityFunction([0.5], outcome_space=space, reserved_value=0.0),
            LinearUtilityFunction([-0.5], bias=1.0, outcome_space=space, reserved_value=0.0),
        ],
        name="line",
    )
    s.dumpas(tmp_path, type="json", save_stats=True)
    assert STATS_FILE_NAME == "_stats.json"
    stats = json.loads((tmp_path / STATS_FILE_NAME).read_text())
    assert stats["n_outcomes"] == 3


def test_enumerate_or_sample_rational_keeps_what_the_aggregator_allows() -> None:
    space = make_os([make_issue(11, "x")])
    up = LinearUtilityFunction([0.1], outcome_space=space, reserved_value=0.75)
    down = LinearUtilityFunction([-0.1], bias=1.0, outcome_space=space, reserved_value=0.15)
    # up keeps x >= 8 (0.8 >= 0.75), down keeps x <= 8 (0.2 >= 0.15)
    assert space.enumerate_or_sample_rational([up, down]) == [(8,)]
    either = space.enumerate_or_sample_rational([up, down], aggregator=all)
    assert either == [(x,) for x in range(11)]
    assert space.enumerate_or_sample_rational([up], aggregator=lambda _: True) == []
    assert len(space.enumerate_or_sample_rational([up], aggregator=lambda _: False)) == 11
