"""``palaver tournament run`` and ``palaver tournament show``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from palaver.cli.app import app

CONFIG = """
name = "cli-toys"
world = "tournament_toys:ToyWorld"
seed = 4
lineup_size = 2
repetitions = 2
world_params = { noise = 0.1 }

[[competitors]]
type = "tournament_toys:Strong"

[[competitors]]
type = "tournament_toys:Crasher"

[[competitors]]
type = "tournament_toys:Weak"
"""

runner = CliRunner()


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "toys.toml"
    path.write_text(CONFIG)
    return path


def run(*args: str) -> tuple[int, str]:
    # Wide enough that rich does not wrap the lines the tests look for.
    result = runner.invoke(app, ["tournament", *args], env={"COLUMNS": "250"})
    return result.exit_code, result.output


def test_run_then_show(config: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = run("run", str(config), "--out", str(out), "-e", "serial", "--no-progress")
    # Worlds failed (the Crasher's), so the run exits 1 after showing the results.
    assert code == 1, output
    assert "error: 4 world(s) failed and 0 timed out" in output
    assert "6 worlds planned, 2 done, 4 failed, 0 timed out" in output
    assert "Strong" in output and "Ranking" in output and "Win matrix" in output
    assert "4 world(s) did not finish; --failures lists them." in output
    code, output = run("show", str(out), "--failures")
    assert code == 0, output
    assert "RuntimeError: the crasher agent crashed" in output
    assert output.count("failed: RuntimeError") == 4


def test_rerun_resumes_and_other_tournament_needs_overwrite(config: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "out")
    # Exit 1: the Crasher's worlds fail (the resume re-runs nothing and still says so).
    assert run("run", str(config), "--out", out, "-e", "serial", "--no-progress")[0] == 1
    assert run("run", str(config), "--out", out, "-e", "serial", "--no-progress")[0] == 1
    config.write_text(CONFIG.replace("seed = 4", "seed = 5"))
    code, output = run("run", str(config), "--out", out, "-e", "serial", "--no-progress")
    assert code == 2 and "holds another tournament" in output
    args = ("run", str(config), "--out", out, "-e", "serial", "--no-progress", "--overwrite")
    code, output = run(*args)
    assert code == 1 and "root seed 5" in output


def test_bad_input_exits_with_a_message(config: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "out")
    config.write_text(CONFIG.replace("tournament_toys:Weak", "tournament_toys:Nobody"))
    code, output = run("run", str(config), "--out", out, "-e", "serial")
    assert code == 2 and "has no attribute 'Nobody'" in output
    code, output = run("run", "no-such-config", "--out", out)
    assert code == 2 and "shipped configs ['trips']" in output
    code, output = run("run", "trips", "--out", out, "-e", "threads")
    assert code == 2 and "unknown executor 'threads'" in output
    code, output = run("show", str(tmp_path))
    assert code == 2 and "holds no tournament" in output


def test_ray_missing_is_explained(
    config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)
    code, output = run("run", str(config), "--out", str(tmp_path / "out"), "-e", "ray")
    assert code == 2 and "pip install 'palaver[ray]'" in output


def test_run_imports_modules_of_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A user's config names a module next to it; the `palaver` console script does
    # not put the working folder on sys.path as `python -m` does, so it was
    # "No module named 'my_league'" (exit 2) unless PYTHONPATH was set.
    toys = Path(__file__).with_name("tournament_toys.py").read_text()
    (tmp_path / "my_league.py").write_text(toys)
    (tmp_path / "league.toml").write_text(
        CONFIG.replace("tournament_toys", "my_league").replace(
            '[[competitors]]\ntype = "my_league:Crasher"\n\n', ""
        )
    )
    monkeypatch.chdir(tmp_path)
    path = [p for p in sys.path if p not in ("", str(tmp_path))]
    monkeypatch.setattr(sys, "path", list(path))
    monkeypatch.delitem(sys.modules, "my_league", raising=False)
    code, output = run("run", "league.toml", "--out", "out", "-e", "serial", "--no-progress")
    assert code == 0, output
    assert "2 worlds planned, 2 done, 0 failed" in output
    # appended, so the working folder never shadows an installed module
    assert sys.path[:-1] == path and sys.path[-1] == str(tmp_path)
    sys.modules.pop("my_league", None)
