"""Running the command line as a user would, and what the CLI tests look at."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

import pytest

from palaver.cli.app import main
from palaver.examples.trips import build_trips
from palaver.recording import SimulationRecorder


@dataclass
class Outcome:
    """What one invocation printed and returned."""

    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def palaver(
    *args: str, columns: int = 200, monkeypatch: pytest.MonkeyPatch | None = None
) -> Outcome:
    """Run ``palaver ARGS`` through the console script's entry point, in process.

    An exception escaping ``main`` fails the test (that would be a traceback).
    """
    out, err = io.StringIO(), io.StringIO()
    patch = monkeypatch or pytest.MonkeyPatch()
    patch.setenv("COLUMNS", str(columns))
    patch.setenv("TERM", "dumb")
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main(list(args))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        if monkeypatch is None:
            patch.undo()
    return Outcome(code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="session")
def small_recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A recorded 4-agent, 3-step TripsWorld."""
    out = tmp_path_factory.mktemp("rec")
    recorder = SimulationRecorder(None, output_dir=out)
    build_trips(n_agents=4, n_steps=3, seed=5, recorder=recorder).run()
    recorder.close()
    assert recorder.folder is not None
    return Path(recorder.folder)
