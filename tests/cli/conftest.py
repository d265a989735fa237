"""A small recording the CLI tests look at."""

from __future__ import annotations

from pathlib import Path

import pytest

from palaver.examples.trips import build_trips
from palaver.recording import SimulationRecorder


@pytest.fixture(scope="session")
def small_recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A recorded 4-agent, 3-step TripsWorld."""
    out = tmp_path_factory.mktemp("rec")
    recorder = SimulationRecorder(None, output_dir=out)
    build_trips(n_agents=4, n_steps=3, seed=5, recorder=recorder).run()
    recorder.close()
    assert recorder.folder is not None
    return Path(recorder.folder)
