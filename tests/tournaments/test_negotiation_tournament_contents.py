"""A tournament folder remembers what its scenarios held: resuming it with a scenario
of the same name but other contents is refused, naming the scenario."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from negotiation_helpers import small_scenario
from typer.testing import CliRunner

from palaver.cli.app import app
from palaver.scenarios import Scenario
from palaver.tournaments import TournamentWarning
from palaver.tournaments.integrity import write_checked_json
from palaver.tournaments.negotiation import cartesian_tournament
from palaver.tournaments.negotiation.scenario_info import scenario_fingerprint

KW = dict(n_steps=10, seed=1)


def _with_reserved(s: Scenario, r: float) -> Scenario:
    return s.with_reserved_values([r, r])


def test_a_changed_reserved_value_is_refused_naming_the_scenario(tmp_path: Path) -> None:
    first = _with_reserved(small_scenario(0), 0.0)
    path = tmp_path / "f"
    cartesian_tournament(["boulware", "conceder"], [first], path=path, **KW)
    changed = _with_reserved(small_scenario(0), 0.5)
    with pytest.raises(ValueError, match=r"scenario 't0'.*contents"):
        cartesian_tournament(["boulware", "conceder"], [changed], path=path, **KW)
    again = cartesian_tournament(["boulware", "conceder"], [first], path=path, **KW)
    assert set(again.parties.reserved_value) == {0.0}


@pytest.mark.parametrize(
    "change",
    ["discount", "ufun", "issue", "ufun_name"],
)
def test_every_part_of_a_scenario_counts(change: str) -> None:
    s = small_scenario(3)
    if change == "discount":
        other = Scenario(s.outcome_space, s.ufuns, name=s.name, discount_factors=[0.9, 1.0])
    elif change == "ufun":
        other = Scenario(s.outcome_space, s.ufuns[::-1], name=s.name)
    elif change == "issue":
        other = small_scenario(3, n_values=7)
    else:
        other = Scenario(s.outcome_space, s.ufuns, name=s.name, ufun_names=["a", "b"])
    assert scenario_fingerprint(other) != scenario_fingerprint(s)
    # The name and the free info are not contents: they do not change the play.
    renamed = Scenario(s.outcome_space, s.ufuns, name="else", info={"x": 1})
    assert scenario_fingerprint(renamed) == scenario_fingerprint(s)


def test_the_fingerprint_is_the_same_in_another_process() -> None:
    code = (
        "import sys; sys.path.insert(0, 'tests/tournaments');"
        "from negotiation_helpers import small_scenario;"
        "from palaver.tournaments.negotiation.scenario_info import scenario_fingerprint;"
        "print(scenario_fingerprint(small_scenario(2)))"
    )
    seen = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        seen.add(out.stdout.strip())
    assert seen == {scenario_fingerprint(small_scenario(2))}


def test_a_folder_written_before_fingerprints_is_resumed_and_gets_them(tmp_path: Path) -> None:
    s = small_scenario(0)
    path = tmp_path / "old"
    cartesian_tournament(["boulware", "conceder"], [s], path=path, **KW)
    setup = json.loads((path / "tournament.json").read_text())
    del setup["scenario_fingerprints"], setup["sha256"]
    write_checked_json(path / "tournament.json", setup)
    with pytest.warns(TournamentWarning, match="no scenario fingerprints"):
        cartesian_tournament(["boulware", "conceder"], [s], path=path, **KW)
    assert "scenario_fingerprints" in json.loads((path / "tournament.json").read_text())
    with pytest.raises(ValueError, match=r"scenario 't0'"):
        cartesian_tournament(["boulware", "conceder"], [_with_reserved(s, 0.5)], path=path, **KW)


def test_the_cli_refuses_an_edited_genius_reservation(tmp_path: Path) -> None:
    small_scenario(1).to_genius_folder(tmp_path / "scen" / "g")
    config = tmp_path / "t.toml"
    config.write_text(
        "[negotiation]\ncompetitors = ['boulware', 'conceder']\nscenarios = ['scen/*']\n"
        "n_steps = 10\nseed = 1\n"
    )
    args = ["tournament", "run", str(config), "--out", str(tmp_path / "out"), "-e", "serial",
            "--no-progress"]  # fmt: skip
    assert CliRunner().invoke(app, args).exit_code == 0
    profiles = (tmp_path / "scen" / "g").glob("*.xml")
    profile = next(p for p in profiles if "<reservation" in p.read_text())
    text = profile.read_text()
    start = text.index("<reservation")
    end = text.index("/>", start) + 2
    profile.write_text(text[:start] + '<reservation value="0.5"/>' + text[end:])
    result = CliRunner().invoke(app, args)
    assert result.exit_code != 0
    assert "contents" in result.output or "contents" in str(result.exception)


def test_a_scenario_without_a_json_form_is_fingerprinted_by_its_utilities() -> None:
    import numpy as np

    from palaver.outcomes import CategoricalIssue, OutcomeSpace
    from palaver.preferences import MappingUtilityFunction

    def make(reserved: float) -> Scenario:
        # numpy values have no JSON form: the utilities over every outcome stand in.
        space = OutcomeSpace([CategoricalIssue([np.int64(1), np.int64(2)], "x")])
        ufuns = [
            MappingUtilityFunction(lambda o: float(o[0]), reserved_value=reserved),
            MappingUtilityFunction(lambda o: 3.0 - float(o[0]), reserved_value=0.0),
        ]
        return Scenario(space, ufuns, name="np")

    assert scenario_fingerprint(make(0.5)) == scenario_fingerprint(make(0.5))
    assert scenario_fingerprint(make(0.5)) != scenario_fingerprint(make(0.7))


def _as_older_palaver(path: Path, keep_batches: int) -> None:
    """Make ``path`` look written by a Palaver before metrics_version, with its first
    ``keep_batches`` batches recorded (the others as if interrupted)."""
    setup = json.loads((path / "tournament.json").read_text())
    setup.pop("metrics_version", None)
    write_checked_json(path / "tournament.json", setup)
    manifest = path / "manifest.jsonl"
    lines = manifest.read_text().splitlines(keepends=True)
    manifest.write_text("".join(lines[:keep_batches]))


def test_a_folder_scored_by_the_older_rules_for_infinite_reserved_values_is_refused(
    tmp_path: Path,
) -> None:
    scenarios = [small_scenario(0).remove_reserved_values(), small_scenario(1)]
    path = tmp_path / "old"
    cartesian_tournament(["boulware", "tough"], scenarios, path=path, **KW)
    assert json.loads((path / "tournament.json").read_text())["metrics_version"] == 2
    _as_older_palaver(path, keep_batches=1)
    with pytest.raises(ValueError, match=r"no metrics_version.*'t0' \(u0, u1\).*mix") as error:
        cartesian_tournament(["boulware", "tough"], scenarios, path=path, **KW)
    assert "'t1'" not in str(error.value)  # its reserved values are finite: same rules
    # Nothing recorded yet: nothing to mix, and the folder gets the version.
    _as_older_palaver(path, keep_batches=0)
    cartesian_tournament(["boulware", "tough"], scenarios, path=path, **KW)
    assert json.loads((path / "tournament.json").read_text())["metrics_version"] == 2


def test_a_folder_of_the_older_rules_resumes_when_they_agree_and_a_newer_one_is_refused(
    tmp_path: Path,
) -> None:
    scenarios = [small_scenario(0), small_scenario(1)]
    path = tmp_path / "old"
    cartesian_tournament(["boulware", "conceder"], scenarios, path=path, **KW)
    _as_older_palaver(path, keep_batches=1)
    resumed = cartesian_tournament(["boulware", "conceder"], scenarios, path=path, **KW)
    assert resumed.setup["metrics_version"] == 2 and not resumed.problems
    setup = json.loads((path / "tournament.json").read_text())
    setup["metrics_version"] = 3
    write_checked_json(path / "tournament.json", setup)
    with pytest.raises(ValueError, match=r"metrics_version 3.*newer Palaver"):
        cartesian_tournament(["boulware", "conceder"], scenarios, path=path, **KW)


def test_reading_a_folder_scored_by_the_older_rules_warns_naming_the_scenarios(
    tmp_path: Path,
) -> None:
    import warnings

    from palaver.tournaments.negotiation import load_negotiation_results

    scenarios = [small_scenario(0).remove_reserved_values(), small_scenario(1)]
    path = tmp_path / "old"
    cartesian_tournament(["boulware", "tough"], scenarios, path=path, **KW)
    with warnings.catch_warnings():
        warnings.simplefilter("error", TournamentWarning)
        assert len(load_negotiation_results(path).parties)  # today's rules: no warning
    _as_older_palaver(path, keep_batches=2)
    with pytest.warns(TournamentWarning, match=r"no metrics_version.*concerned: \['t0'\]"):
        assert len(load_negotiation_results(path).parties)
