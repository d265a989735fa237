"""A negotiation tournament file's misspelt key gets the closest allowed one, as a
world tournament's does (docs/tournaments.md: "did you mean 'n_steps'")."""

from __future__ import annotations

from pathlib import Path

import pytest

from palaver.tournaments.negotiation.config import NegotiationConfigError, load_negotiation_config

BASE = """
[negotiation]
competitors = ["boulware", "micro"]
n_steps = 10
seed = 1
{top}

[negotiation.generate]
n_scenarios = 1
n_outcomes = [20, 30]
{generate}

[[negotiation.competitor]]
type = "palaver.negotiators:NaiveTitForTat"
name = "TfT"
{competitor}
"""


@pytest.mark.parametrize(
    ("where", "line", "message"),
    [
        ("top", "n_step = 10", r"negotiation\.n_step: unknown key; did you mean 'n_steps'\?"),
        (
            "generate",
            "n_scenario = 2",
            r"negotiation\.generate\.n_scenario: unknown key; did you mean 'n_scenarios'\?",
        ),
        (
            "competitor",
            "param = {}",
            r"negotiation\.competitor\[0\]\.param: unknown key; did you mean 'params'\?",
        ),
        ("top", "colour = 1", r"negotiation\.colour: unknown key; allowed: competitor, "),
    ],
)
def test_a_misspelt_key_is_named_with_the_closest(
    tmp_path: Path, where: str, line: str, message: str
) -> None:
    parts = {"top": "", "generate": "", "competitor": ""}
    parts[where] = line
    file = tmp_path / "league.toml"
    file.write_text(BASE.format(**parts))
    with pytest.raises(NegotiationConfigError, match=message):
        load_negotiation_config(file)
