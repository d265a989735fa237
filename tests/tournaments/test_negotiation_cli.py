"""``palaver tournament run|show`` on [negotiation] files and ``palaver negotiate --scenario``."""

from __future__ import annotations

from pathlib import Path

import pytest
from flaky_helpers import Flaky
from negotiation_helpers import small_scenario
from typer.testing import CliRunner

from palaver.cli.app import app
from palaver.tournaments.negotiation import cartesian_tournament, load_negotiation_results
from palaver.tournaments.negotiation.competitors import NegotiationCompetitor
from palaver.tournaments.negotiation.config import NegotiationConfigError, load_negotiation_config

TOML = """
[negotiation]
competitors = ["boulware", "micro"]
scenarios = ["scen/*"]
n_repetitions = 2
n_steps = [5, 50]
seed = 4
detail = "offers"

[[negotiation.competitor]]
type = "palaver.negotiators:NaiveTitForTat"
name = "TfT"
params = { kindness = 0.05 }
"""


def _files(tmp_path: Path, text: str = TOML) -> Path:
    for i in range(2):
        small_scenario(i).dumpas(tmp_path / "scen" / f"s{i}.json")
    config = tmp_path / "t.toml"
    config.write_text(text)
    return config


def test_run_and_show_a_negotiation_tournament(tmp_path: Path) -> None:
    config = _files(tmp_path)
    out = tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(
        app, ["tournament", "run", str(config), "--out", str(out), "-e", "serial", "--no-progress"]
    )
    assert result.exit_code == 0, result.output
    assert "Ranking: mean advantage" in result.output and "TfT" in result.output
    results = load_negotiation_results(out)
    assert len(results) == 2 * 2 * 9 * 2  # scenarios x repetitions x pairings x rotations
    assert results.setup["competitors"] == ["BoulwareNegotiator", "MiCRO", "TfT"]
    shown = runner.invoke(app, ["tournament", "show", str(out)])
    assert shown.exit_code == 0 and "Win matrix" in shown.output and "Holm" in shown.output


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[negotiation]\ncompetitors = ['boulware']\nscenarios = ['scen/*']\nsteps = 3\n",
            "negotiation.steps: unknown key",
        ),
        ("[negotiation]\nscenarios = ['scen/*']\n", "negotiation.competitors"),
        ("[negotiation]\ncompetitors = ['boulware']\n", "negotiation.scenarios"),
        (
            "[negotiation]\ncompetitors = ['boulware']\nscenarios = ['nowhere/*']\n",
            "matches nothing",
        ),
        ("[negotiation]\ncompetitors = [3]\nscenarios = ['scen/*']\n", "negotiation.competitors"),
        ("[negotiation\n", "not valid TOML"),
        # Keys outside [negotiation] were dropped without a word.
        (
            "[negotiation]\ncompetitors = ['boulware']\nscenarios = ['scen/*']\n"
            "[negotiaton.generate]\nn_scenarios = 3\n",
            "negotiaton: unknown top-level key; every setting",
        ),
        (
            "n_steps = 3\n[negotiation]\ncompetitors = ['boulware']\nscenarios = ['scen/*']\n",
            "n_steps: unknown top-level key",
        ),
    ],
)
def test_bad_files_name_the_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    config = _files(tmp_path, text)
    with pytest.raises(NegotiationConfigError, match=message):
        load_negotiation_config(config)


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("n_steps = 1.5", "n_steps"),
        ("n_steps = [10, 5]", "n_steps"),
        ("time_limit = -1", "time_limit"),
        ("n_repetitions = 0", "n_repetitions"),
        ("seed = -1", "seed"),
        ("detail = 'everything'", "detail"),
        ("rotate_ufuns = 'no'", "rotate_ufuns"),
        ("hang_timeout = 0", "hang_timeout"),
        ("final_score = ['advantage', 'mode']", "final_score"),
        ("mechanism_params = { colour = 1 }", "mechanism_params"),
    ],
)
def test_a_bad_option_value_names_the_file_and_the_key(tmp_path: Path, line: str, key: str) -> None:
    text = f"[negotiation]\ncompetitors = ['boulware']\nscenarios = ['scen/*']\n{line}\n"
    config = _files(tmp_path, text)
    with pytest.raises(NegotiationConfigError) as error:
        load_negotiation_config(config)
    assert str(error.value).startswith(f"{config}: negotiation.{key}: ")


def test_negotiate_on_a_scenario_prints_the_distances(tmp_path: Path) -> None:
    small_scenario(1).to_genius_folder(tmp_path / "g")
    result = CliRunner().invoke(
        app, ["negotiate", "--scenario", str(tmp_path / "g"), "--strategy", "micro"]
    )
    assert result.exit_code == 0, result.output
    for word in ("Pareto frontier", "Nash", "Kalai", "advantage"):
        assert word in result.output
    missing = CliRunner().invoke(app, ["negotiate", "--scenario", str(tmp_path / "none")])
    assert missing.exit_code == 2 and "none" in missing.output


@pytest.mark.parametrize(
    ("params", "key", "message"),
    [
        ("params = { kindnes = 0.05 }", "competitor[0]", r"did you mean 'kindness'\?"),
        ('params = { kindness = "lots" }', "competitor[0]", r"raised TypeError: kindness"),
        ("params = { kindness = 0.05 }\n[negotiation.mechanism_params]\none_offer_per_step = 'yes'",
         "mechanism_params", r"one_offer_per_step must be True or False, got 'yes'"),
    ],
)  # fmt: skip
def test_competitor_and_mechanism_values_name_the_file_and_the_key(
    tmp_path: Path, params: str, key: str, message: str
) -> None:
    config = _files(tmp_path, TOML.replace("params = { kindness = 0.05 }", params))
    with pytest.raises(NegotiationConfigError, match=message) as error:
        load_negotiation_config(config)
    assert str(error.value).startswith(f"{config}: negotiation.{key}: ")


def test_allowed_packages_are_checked_before_a_competitor_is_imported(tmp_path: Path) -> None:
    text = TOML.replace('["boulware", "micro"]', '["boulware", "no_such_package_xyz:Agent"]')
    config = _files(tmp_path, text)
    with pytest.raises(NegotiationConfigError, match="cannot import"):
        load_negotiation_config(config)
    with pytest.raises(
        NegotiationConfigError,
        match=r"negotiation.competitors: competitor 'no_such_package_xyz:Agent' is from package "
        r"'no_such_package_xyz', which is not allowed",
    ):
        load_negotiation_config(config, allowed_packages=["mine"])
    config = _files(tmp_path)  # palaver's own competitors only
    assert len(load_negotiation_config(config, allowed_packages=["mine"])["competitors"]) == 3
    out = tmp_path / "out"
    text = TOML.replace('["boulware", "micro"]', '["boulware", "negotiation_helpers:Stubborn"]')
    result = CliRunner().invoke(
        app,
        ["tournament", "run", str(_files(tmp_path, text)), "--out", str(out), "--allow", "mine"],
    )
    assert result.exit_code != 0
    assert "package 'negotiation_helpers', which is not allowed" in result.output
    assert not out.exists()


def test_hang_timeout_false_turns_the_watchdog_off(tmp_path: Path) -> None:
    # TOML has no null: `false` is how a file says "no hang timeout".
    from palaver.tournaments.negotiation.arguments import check_arguments

    text = (
        "[negotiation]\ncompetitors = ['boulware']\nscenarios = ['scen/*']\nhang_timeout = false\n"
    )
    kwargs = load_negotiation_config(_files(tmp_path, text))
    assert kwargs["hang_timeout"] is False
    checked = check_arguments(
        n_repetitions=1, n_steps=10, time_limit=None, n_steps_per="negotiation",
        rotate_ufuns=True, self_play=True, path=None, executor="serial", workers=None,
        seed=1, detail="outcomes", hang_timeout=False, final_score=("advantage", "mean"),
        mechanism_params=None, progress=False,
    )  # fmt: skip
    assert checked.hang_timeout is None


@pytest.mark.parametrize("option", [["--record"], ["--overwrite"], ["--address", "ray://x:1"]])
def test_world_tournament_options_are_refused_for_a_negotiation_file(
    tmp_path: Path, option: list[str]
) -> None:
    # They were accepted and ignored: no recordings, no cluster, no fresh folder.
    config = _files(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["tournament", "run", str(config), "-o", str(out), "-e", "serial", *option]
    )
    assert result.exit_code == 2
    assert f"error: {option[0]}: not an option of a negotiation tournament" in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_a_config_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    config = tmp_path / "t.toml"
    config.write_bytes(b"\xff\xfe[negotiation]\n")
    result = CliRunner().invoke(app, ["tournament", "run", str(config), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "t.toml" in result.output and "is not UTF-8 text (byte 0)" in result.output


def test_show_lists_the_damaged_pieces_it_leaves_out(tmp_path: Path) -> None:
    # A damaged part was left out of the ranking without a word ("0 of 8 recorded").
    config = _files(tmp_path)
    out = tmp_path / "out"
    runner = CliRunner()
    run = ["tournament", "run", str(config), "-o", str(out), "-e", "serial", "--no-progress"]
    assert runner.invoke(app, run).exit_code == 0
    part = sorted((out / "parties").glob("*.parquet"))[0]
    part.write_bytes(part.read_bytes()[:100])
    shown = runner.invoke(app, ["tournament", "show", str(out)])
    assert shown.exit_code == 0, shown.output
    assert "1 damaged or missing piece(s)" in shown.output
    assert f"parties/{part.name}: damaged" in shown.output


def test_two_competitors_given_one_name_are_refused(tmp_path: Path) -> None:
    # A boulware and a conceder both named "X" were ranked as "X-1" and "X-2".
    text = TOML.replace('name = "TfT"', 'name = "X"') + (
        '\n[[negotiation.competitor]]\ntype = "conceder"\nname = "X"\n'
    )
    config = _files(tmp_path, text)
    with pytest.raises(
        NegotiationConfigError, match=r"t\.toml: negotiation\.competitor\[0\]\.name: 'X' names"
    ):
        load_negotiation_config(config)
    x = NegotiationCompetitor("conceder", {}, "X")
    with pytest.raises(ValueError, match=r"competitor names must be unique; \['X'\] given"):
        cartesian_tournament([x, NegotiationCompetitor("boulware", {}, "X")], [small_scenario(0)])


def test_two_scenarios_of_one_name_are_refused_naming_the_file_and_their_paths(
    tmp_path: Path,
) -> None:
    # The tournament refused them later, naming neither the file nor the paths, and
    # told a TOML user to rename them in code.
    text = "[negotiation]\ncompetitors = ['boulware']\nscenarios = ['scen/*', 'scen/s0.json']\n"
    config = _files(tmp_path, text)
    with pytest.raises(NegotiationConfigError) as error:
        load_negotiation_config(config)
    message = str(error.value)
    assert message.startswith(f"{config}: negotiation.scenarios: scenario name ")
    assert "is shared by 2 scenarios" in message
    assert message.count("scen/s0.json") == 2


def test_retry_failed_runs_again_the_batches_with_an_error(tmp_path: Path) -> None:
    # --retry-failed is rerun=["error", "hung", "timeout"] for a negotiation file.
    for i, size in enumerate((6, 5)):  # 36 and 25 outcomes: Flaky fails on the second
        small_scenario(i, n_values=size).dumpas(tmp_path / "scen" / f"s{i}.json")
    config = tmp_path / "t.toml"
    config.write_text(
        "[negotiation]\nscenarios = ['scen/*']\nn_steps = 15\nseed = 4\n"
        "competitors = ['boulware']\n"
        "[[negotiation.competitor]]\ntype = 'flaky_helpers:Flaky'\nname = 'Flaky'\n"
    )
    out = tmp_path / "out"
    run = ["tournament", "run", str(config), "-o", str(out), "-e", "serial", "--no-progress"]
    Flaky.fail = True
    try:
        first = CliRunner().invoke(app, run)
    finally:
        Flaky.fail = False
    assert first.exit_code == 0, first.output
    assert (load_negotiation_results(out).negotiations.result == "error").any()
    kept = CliRunner().invoke(app, run)
    assert kept.exit_code == 0, kept.output
    assert (load_negotiation_results(out).negotiations.result == "error").any()
    again = CliRunner().invoke(app, [*run, "--retry-failed"])
    assert again.exit_code == 0, again.output
    assert not (load_negotiation_results(out).negotiations.result == "error").any()
