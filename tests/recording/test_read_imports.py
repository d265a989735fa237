"""Reading events back does not import pandas (0.7 s and 40 MB the first time)
unless a frame is asked for: a process recording a model without Mesa stays
without it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"

SCRIPT = """
import sys, tempfile
import palaver.recording as recording

class Model:
    steps = 0
    max_steps = 10
    agents = []

with tempfile.TemporaryDirectory() as tmp:
    model = Model()
    rec = recording.SimulationRecorder(model, output_dir=tmp, memory_window=50)
    for i in range(200):
        model.steps = i // 20
        rec.record_event("action", {"i": i}, agent_id=i % 3)
        rec.record_model_event("tick", {"i": i})
    events = list(rec.get_agent_events(1)) + list(rec.events)
    rec.close()
    reader = recording.open(rec.folder)
    events += list(reader.events) + list(reader.get_events_by_step(3))
    assert len(events) > 400
    print("pandas" in sys.modules)
"""


def test_reading_events_back_does_not_import_pandas() -> None:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SRC)},
        timeout=120,
        check=True,
    )
    assert out.stdout.strip() == "False", out.stderr
