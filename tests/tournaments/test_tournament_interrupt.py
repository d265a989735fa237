"""A tournament process killed mid-run resumes to exactly the uninterrupted results."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import tournament_toys as toys

from palaver.tournaments import TournamentConfig, run_tournament

HERE = Path(__file__).resolve().parent

SCRIPT = """
import sys
from palaver.tournaments import run_tournament
from tournament_toys import slow_tournament
run_tournament(slow_tournament(), sys.argv[1], executor="serial", progress=False)
"""


def test_killed_tournament_resumes_where_it_stopped(tmp_path: Path) -> None:
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), *sys.path])}
    child = subprocess.Popen([sys.executable, "-c", SCRIPT, str(out)], env=env)
    try:
        deadline = time.monotonic() + 60
        while len(list((out / "worlds").glob("*.parquet"))) < 3:
            assert child.poll() is None, "the tournament ended before it could be killed"
            assert time.monotonic() < deadline, "the tournament made no progress"
            time.sleep(0.02)
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait()
    finished = len(list((out / "worlds").glob("*.parquet")))
    assert 3 <= finished < 12

    resumed = run_tournament(toys.slow_tournament(), out, executor="serial")
    assert resumed.manifest["runs"][1]["pending"] == 12 - finished
    assert resumed.counts()["done"] == 12
    clean = run_tournament(toys.slow_tournament(), tmp_path / "clean", executor="serial")
    pd.testing.assert_frame_equal(clean.scores(), resumed.scores())
    assert not list(out.rglob("*.tmp"))


def test_config_is_the_one_the_child_ran() -> None:
    assert isinstance(toys.slow_tournament(), TournamentConfig)
