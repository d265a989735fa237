"""``@record_model`` on a Mesa 3 model whose ``__init__`` runs again, as
docs/recording.md promises: the old recording is closed and a new one starts."""

from __future__ import annotations

from pathlib import Path

import mesa

from palaver.recording import open as open_recording
from palaver.recording import record_model


def test_a_mesa_model_initialised_again_steps_and_records_anew(tmp_path: Path) -> None:
    @record_model(output_dir=str(tmp_path))
    class Counter(mesa.Model):
        def __init__(self, seed: int = 1) -> None:
            super().__init__(seed=seed)
            self.calls = 0

        def step(self) -> None:
            self.calls += 1

    model = Counter()
    model.step()
    model.step()
    old = model.recorder
    model.__init__(seed=2)  # type: ignore[misc]
    # Mesa's Model.__init__ took its own step wrapper for the user's step:
    # this step recursed until RecursionError.
    model.step()
    assert model.calls == 1 and model.steps == 1
    assert model.recorder is not old
    new = [(e.event_type, e.step) for e in model.recorder.events if e.event_type.startswith("step")]
    assert new == [("step_start", 1), ("step_end", 1)]
    model.recorder.close()
    assert old.folder is not None and model.recorder.folder != old.folder
    with open_recording(old.folder) as reader:
        assert [e.event_type for e in reader.events if e.event_type != "state_change"] == [
            "step_start",
            "step_end",
            "step_start",
            "step_end",
            "simulation_end",
        ]
