"""What a user's IDE sees: ``mypy --strict`` on a realistic user world, agent and negotiator.

The file is also executed, so that the code it type-checks is known to run.
"""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
USAGE = HERE / "world_usage.py"


def test_user_world_types_as_documented() -> None:
    pytest.importorskip("mypy")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--follow-imports=silent",
            "--no-error-summary",
            "--cache-dir",
            str(HERE.parent.parent / ".mypy_cache"),
            str(USAGE),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_user_world_runs() -> None:
    namespace = runpy.run_path(str(USAGE))
    world = namespace["world"]
    assert world.current_step == 3
    assert list(world.agents) == [namespace["customer"].id]


def _strict_packages() -> list[str]:
    makefile = (HERE.parent.parent / "Makefile").read_text()
    line = next(x for x in makefile.splitlines() if x.startswith("MYPY_STRICT :="))
    return line.split(":=", 1)[1].split()


def test_strict_packages_are_clean() -> None:
    """The packages the Makefile lists as clean stay ``mypy --strict`` clean."""
    pytest.importorskip("mypy")
    root = HERE.parent.parent
    packages = _strict_packages()
    assert packages == ["src/palaver"], "the whole package is held to mypy --strict"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(root / ".mypy_cache"),
            *packages,
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root / "src")},
    )
    assert result.returncode == 0, result.stdout + result.stderr
