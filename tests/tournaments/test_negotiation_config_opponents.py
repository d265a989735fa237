"""Fixed opponents declared in a negotiation tournament's TOML file."""

from __future__ import annotations

from pathlib import Path

import pytest

from palaver.tournaments.negotiation import cartesian_tournament
from palaver.tournaments.negotiation.config import NegotiationConfigError, load_negotiation_config

FILE = """
[negotiation]
competitors = ["micro"]
opponents = ["boulware"]
n_steps = 10
seed = 1
{extra}

[negotiation.generate]
n_scenarios = 2
n_outcomes = [20, 30]

[[negotiation.opponent]]
type = "palaver.negotiators:ConcederNegotiator"
name = "soft"
{opponent}
"""


def write(tmp_path: Path, extra: str = "", opponent: str = "") -> Path:
    path = tmp_path / "t.toml"
    path.write_text(FILE.format(extra=extra, opponent=opponent), encoding="utf-8")
    return path


def test_opponents_from_the_file_play_and_are_not_ranked(tmp_path: Path) -> None:
    kwargs = load_negotiation_config(write(tmp_path))
    assert len(kwargs["opponents"]) == 2
    results = cartesian_tournament(**kwargs)
    assert results.setup["opponents"] == ["BoulwareNegotiator", "soft"]
    assert list(results.ranking().competitor) == ["MiCRO"]
    assert len(results) == 2 * 2 * 2  # scenarios x opponents x rotations


@pytest.mark.parametrize(
    ("extra", "opponent", "message"),
    [
        ("", "params = { nope = 1 }", r"negotiation\.opponent\[0\]: opponent_params: opponent"),
        ("", "colour = 1", r"negotiation\.opponent\[0\]\.colour: unknown key"),
        ('opponent = "x"', "", r"negotiation\.opponent: must be a list"),
    ],
)
def test_a_bad_opponent_is_the_file_s_key_s_error(
    tmp_path: Path, extra: str, opponent: str, message: str
) -> None:
    path = write(tmp_path, extra, opponent)
    if extra.startswith("opponent ="):
        # A second `opponent` key would be a TOML error: replace the tables.
        text = path.read_text(encoding="utf-8").split("[[negotiation.opponent]]")[0]
        path.write_text(text, encoding="utf-8")
    with pytest.raises(NegotiationConfigError, match=message):
        load_negotiation_config(path)
