"""``palaver negotiate --scenario`` prints a scenario's issue names and values as
written: a Genius or JSON file may name a value "a [/]" or an issue "Price [EUR]"."""

from __future__ import annotations

from pathlib import Path

from tests.cli.cli_helpers import palaver

from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences import LinearAdditiveUtilityFunction
from palaver.scenarios import Scenario


def test_markup_like_names_and_values_are_printed_as_text(tmp_path: Path) -> None:
    values = ["a [/]", "[b]bold", "c"]
    space = OutcomeSpace([make_issue(values, "Price [EUR]"), make_issue(3, "qty")])
    seller = LinearAdditiveUtilityFunction(
        [dict(zip(values, [0.0, 0.5, 1.0], strict=True)), lambda q: q / 2],
        [0.5, 0.5],
        outcome_space=space,
    )
    buyer = LinearAdditiveUtilityFunction(
        [dict(zip(values, [1.0, 0.5, 0.0], strict=True)), lambda q: 1 - q / 2],
        [0.5, 0.5],
        outcome_space=space,
    )
    file = tmp_path / "shop.json"
    Scenario(space, [seller, buyer], name="shop").to_json(file)
    # The value "a [/]" ended the command with "unexpected MarkupError" (exit 1).
    shown = palaver("negotiate", "--scenario", str(file), "--steps", "4")
    assert shown.code == 0, shown.output
    assert "Price [EUR], qty" in shown.stdout
    assert "a [/], 0" in shown.stdout and "[b]bold, 2" in shown.stdout
