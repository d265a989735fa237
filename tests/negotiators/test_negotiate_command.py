"""The ``palaver negotiate`` demo command."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from palaver.cli.app import app
from palaver.cli.negotiate import STRATEGIES, scenario


def test_demo_prints_trace_and_result() -> None:
    result = CliRunner().invoke(app, ["negotiate", "--seed", "3", "--steps", "40"])
    assert result.exit_code == 0, result.output
    assert "seller" in result.output and "buyer" in result.output
    assert "offers" in result.output and "result" in result.output


def test_demo_is_reproducible_and_rejects_unknown_strategies() -> None:
    runner = CliRunner()
    args = ["negotiate", "--seed", "5", "--strategy", "random", "--opponent", "nice"]
    assert runner.invoke(app, args).output == runner.invoke(app, args).output
    bad = runner.invoke(app, ["negotiate", "--opponent", "bogus"])
    assert bad.exit_code != 0 and "bogus" in bad.output


@pytest.mark.parametrize("name", sorted(STRATEGIES))
def test_every_demo_strategy_runs(name: str) -> None:
    result = CliRunner().invoke(app, ["negotiate", "--strategy", name, "--steps", "20"])
    assert result.exit_code == 0, result.output


def test_scenario_has_opposing_normalized_preferences() -> None:
    space, seller, buyer = scenario(0)
    assert space.issue_names == ["price", "quantity", "delivery"]
    assert seller((10, 5, "next week")) == pytest.approx(1.0)
    assert buyer((1, 1, "today")) == pytest.approx(1.0)
    assert seller.reserved_value == buyer.reserved_value == 0.2


def test_negotiate_on_a_scenario_prints_every_offer_unless_summary_only(tmp_path: Path) -> None:
    from palaver.outcomes import make_issue
    from palaver.preferences import LinearAdditiveUtilityFunction
    from palaver.scenarios import Scenario

    issues = [make_issue(10, "price")]
    ufuns = [
        LinearAdditiveUtilityFunction({"price": lambda p: p / 9}, reserved_value=0.2),
        LinearAdditiveUtilityFunction({"price": lambda p: 1 - p / 9}, reserved_value=0.2),
    ]
    Scenario(issues, ufuns, name="bike").to_genius_folder(tmp_path / "bike")
    args = ["negotiate", "--scenario", str(tmp_path / "bike"), "--steps", "20"]
    full = CliRunner().invoke(app, args)
    assert full.exit_code == 0, full.output
    assert "offers" in full.output and "round" in full.output
    assert "Pareto frontier" in full.output
    short = CliRunner().invoke(app, [*args, "--summary-only"])
    assert short.exit_code == 0, short.output
    assert "offers" not in short.output and "Pareto frontier" in short.output
