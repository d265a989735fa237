"""``@record_model`` on a model whose ``__init__`` runs more than once."""

from __future__ import annotations

from pathlib import Path
from unittest.mock import patch

import mesa
import pytest

from palaver.recording import RecordingError, record_model
from palaver.recording.decorator import _at_exit


def test_one_exit_handler_per_model(tmp_path: Path) -> None:
    @record_model(output_dir=str(tmp_path))
    class Village(mesa.Model):
        pass

    with patch("palaver.recording.decorator.atexit.register") as register:
        first, second = Village(), Village()
        first.__init__()  # type: ignore[misc]
    # (The first weakref.finalize of a process registers an exit hook too.)
    handlers = [c for c in register.call_args_list if c.args[0] is _at_exit]
    assert [c.args[1]() for c in handlers] == [first, second]
    assert first._atexit_registered is True and second._atexit_registered is True
    for model in (first, second):
        model.recorder.close()


def test_init_again_closes_the_recording_it_replaces(tmp_path: Path) -> None:
    @record_model(output_dir=str(tmp_path))
    class Ledger:
        """Not a Mesa model: its __init__ can run again safely (Mesa 3's own
        Model.__init__ cannot: its step wrapper would then recurse)."""

        def __init__(self) -> None:
            self.steps = 0
            self.agents: list[object] = []

        def step(self) -> None:
            self.steps += 1

    ledger = Ledger()
    ledger.step()
    old = ledger.recorder
    ledger.__init__()  # type: ignore[misc]
    assert ledger.recorder is not old
    with pytest.raises(RecordingError, match="closed"):
        old.record_event("late", {})
    ledger.step()
    # The old recorder let go of step(): only the new one sees this step.
    assert [e.event_type for e in old.events] == ["step_start", "step_end", "simulation_end"]
    assert [e.event_type for e in ledger.recorder.events] == ["step_start", "step_end"]
    ledger.recorder.close()
