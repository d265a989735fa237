"""``@record_model`` on a model whose ``__init__`` runs more than once."""

from __future__ import annotations

from pathlib import Path
from unittest.mock import patch

import mesa
import pytest

from palaver.recording import RecordingError, record_model
from palaver.recording import open as open_recording
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


def test_a_decorated_subclass_of_a_decorated_model_records_once(tmp_path: Path) -> None:
    """One recorder (the subclass's options) and one step_start/step_end per
    step, whether the subclass inherits its base's step or calls it: the base's
    wrappers used to build a second recorder, left open, and record each step
    boundary twice."""

    @record_model(output_dir=str(tmp_path / "base"))
    class Base(mesa.Model):
        def step(self) -> None:
            pass

    @record_model(output_dir=str(tmp_path / "inherits"))
    class Inherits(Base):
        pass

    @record_model(output_dir=str(tmp_path / "calls"))
    class Calls(Base):
        def __init__(self) -> None:
            super().__init__()

        def step(self) -> None:
            super().step()

    for kind in (Inherits, Calls):
        model = kind()
        model.step()
        model.step()
        events = [(e.event_type, e.step) for e in model.recorder.events]
        assert events == [("step_start", 1), ("step_end", 1), ("step_start", 2), ("step_end", 2)]
        model.recorder.close()
    assert not (tmp_path / "base").exists()
    assert len(list((tmp_path / "inherits").iterdir())) == 1
    assert len(list((tmp_path / "calls").iterdir())) == 1


def test_a_step_that_closes_its_recorder_ends_the_recording(tmp_path: Path) -> None:
    # The guide's batch-run pattern (a model closes its recorder when its run
    # ends) raised RecordingError from the decorator's step_end on a decorated model.
    @record_model(output_dir=str(tmp_path))
    class Run(mesa.Model):
        def step(self) -> None:
            if self.steps >= 2:
                self.running = False
                self.recorder.close()

    for _ in range(2):
        Run().run_model()  # what batch_run does with each model
    for folder in sorted(tmp_path.iterdir()):
        types = [e.event_type for e in open_recording(folder).events]
        assert types == ["step_start", "step_end", "step_start", "simulation_end"]
