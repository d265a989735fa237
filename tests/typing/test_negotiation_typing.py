"""What a user's IDE sees of a standalone negotiation: ``mypy --strict`` on negotiation_usage.py.

The file is also executed, so that the code it type-checks is known to run.
"""

from __future__ import annotations

import runpy
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
USAGE = HERE / "negotiation_usage.py"


def test_user_negotiation_types_as_documented() -> None:
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


def test_user_negotiation_runs() -> None:
    namespace = runpy.run_path(str(USAGE))
    assert namespace["state"].agreement is not None
    # lent the negotiation's space while it ran, taken back at its end (as in NegMAS)
    assert namespace["buyer"].ufun.outcome_space is None
