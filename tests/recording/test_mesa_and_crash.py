"""Mesa 3 models: step reading, state changes; and a run killed with SIGKILL."""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import textwrap
import weakref
from pathlib import Path

import mesa
import pytest
from mesa.experimental.devs import ABMSimulator
from recording_helpers import WalkModel

import palaver.recording as recording
from palaver.recording import (
    MissingEvents,
    RecordingWarning,
    SimulationRecorder,
    observable_state,
)
from palaver.recording.verify import verify


def test_observable_state_of_a_mesa_agent(walk_model: WalkModel) -> None:
    agent = next(iter(walk_model.agents))
    agent.friend = next(iter(walk_model.agents))  # a reference, not state
    agent.tags = ["x", {"k": (1, 2)}]
    agent._private = 3
    assert observable_state(agent) == {
        "energy": 0,
        "pos_x": 0,
        "pos": None,
        "tags": ["x", {"k": (1, 2)}],
    }


def test_custom_observable_state() -> None:
    class Custom:
        def observable_state(self) -> dict[str, int]:
            return {"hp": 3}

    assert observable_state(Custom()) == {"hp": 3}


def test_mesa_state_changes_and_unwrap(tmp_path: Path, walk_model: WalkModel) -> None:
    wrapped = walk_model.step
    rec = SimulationRecorder(walk_model, output_dir=tmp_path)
    walk_model.step()
    walk_model.step()
    changes = list(rec.get_events_by_type("state_change"))
    assert [(e.step, e.agent_id) for e in changes] == [(s, a) for s in (1, 2) for a in (1, 2, 3, 4)]
    assert changes[0].content == {"changes": {"energy": {"old": 0, "new": 1}}}
    assert changes[1].content == {
        "changes": {"energy": {"old": 0, "new": 1}, "pos_x": {"old": 0, "new": 1}}
    }
    rec.close()
    assert walk_model.step == wrapped
    walk_model.step()
    assert walk_model.steps == 3


@pytest.mark.parametrize("first_closed", [0, 1])
def test_two_recorders_of_one_model_close_in_any_order(
    tmp_path: Path, walk_model: WalkModel, first_closed: int
) -> None:
    """Closing one recorder leaves the other recording every step: with nested
    wrappers, closing the first put back the model's own step, and the second
    silently recorded no state change after that."""
    wrapped = walk_model.step
    recorders = [SimulationRecorder(walk_model, output_dir=tmp_path / str(i)) for i in (0, 1)]
    walk_model.step()
    recorders[first_closed].close()
    walk_model.step()
    walk_model.step()
    still = recorders[1 - first_closed]
    assert sorted({e.step for e in still.get_events_by_type("state_change")}) == [1, 2, 3]
    assert walk_model.step is not wrapped  # the open recorder still wraps it (equal by design)
    still.close()
    assert walk_model.step == wrapped
    again = SimulationRecorder(walk_model, output_dir=tmp_path / "again")
    walk_model.step()
    assert {e.step for e in again.get_events_by_type("state_change")} == {4}
    again.close()
    assert walk_model.step == wrapped


def test_agents_added_and_removed(tmp_path: Path, walk_model: WalkModel) -> None:
    rec = SimulationRecorder(walk_model, output_dir=tmp_path)
    walk_model.step()
    next(a for a in walk_model.agents if a.unique_id == 4).remove()
    walk_model.step()
    last = list(rec.get_events_by_step(2))
    removed = [e for e in last if e.agent_id == 4]
    assert removed[0].content == {"changes": {}, "removed": True}


CHILD = textwrap.dedent(
    """
    import sys
    import mesa
    from palaver.recording import SimulationRecorder

    class Trader(mesa.Agent):
        def __init__(self, model):
            super().__init__(model)
            self.cash = 0

    class Market(mesa.Model):
        def __init__(self, seed):
            super().__init__(seed=seed)
            Trader.create_agents(self, 5)
            self.max_steps = 12

        def step(self):
            for i, agent in enumerate(self.agents):
                if self.steps == STOP_AT and i == 2:
                    print("READY", flush=True)
                    sys.stdin.readline()
                agent.cash += self.random.randint(0, 3)
                rec.record_event("trade", {"price": self.random.random()}, agent_id=agent.unique_id)

    STOP_AT = int(sys.argv[2])
    model = Market(seed=42)
    rec = SimulationRecorder(model, output_dir=sys.argv[1])
    print(rec.folder, flush=True)
    for _ in range(12):
        model.step()
    rec.close()
    """
)


def _signature(reader: recording.RecordingReader) -> list[tuple]:
    return [(e.step, e.agent_id, e.event_type, e.content) for e in reader.events]


def test_sigkill_loses_at_most_the_step_in_progress(tmp_path: Path) -> None:
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    full = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "full"), "0"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        timeout=60,
    )
    complete = recording.open(full.stdout.splitlines()[0])
    proc = subprocess.Popen(
        [sys.executable, str(script), str(tmp_path / "killed"), "7"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    folder = proc.stdout.readline().strip()
    assert proc.stdout.readline().strip() == "READY"  # paused inside step 7
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    killed = recording.open(folder)
    assert killed.completion_status == "interrupted"
    got, want = _signature(killed), _signature(complete)
    assert got == want[: len(got)]  # nothing invented, nothing reordered
    assert [s for s in got if s[0] <= 6] == [s for s in want if s[0] <= 6]  # steps 1-6 whole
    assert all(s[0] <= 7 for s in got)
    assert sum(1 for s in got if s[2] == "trade") >= 6 * 5


def test_a_killed_run_whose_log_was_cut_reports_what_is_lost(tmp_path: Path) -> None:
    # Killed inside step 12 with every event in the log (no part yet), then
    # the log cut to half its bytes (a truncated copy): whole completed steps
    # are gone, and the reader cannot tell how many batches followed the cut.
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    proc = subprocess.Popen(
        [sys.executable, str(script), str(tmp_path / "killed"), "12"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    folder = Path(proc.stdout.readline().strip())
    assert proc.stdout.readline().strip() == "READY"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    [log] = (folder / "events").glob("wal-*.arrows")
    assert not list((folder / "events").glob("part-*"))
    whole = len(recording.open(folder))
    data = log.read_bytes()
    log.write_bytes(data[: len(data) // 2])
    for strict in (True, False):
        with pytest.warns(RecordingWarning) as caught:
            reader = recording.open(folder, strict=strict)
        assert len(reader) < whole
        assert reader.missing == [
            MissingEvents(
                start=len(reader),
                stop=None,
                steps=None,
                seqs=None,
                files=("events/wal-00000.arrows",),
                reason=reader.missing[0].reason,
            )
        ]
        [message] = [str(w.message) for w in caught]
        assert f"events {len(reader)}..(end unknown) missing" in message
        assert "ends inside a batch" in message and "any after it are lost" in message
        assert "step in progress" not in message
    report = verify(folder)
    assert not report.ok and report.missing == reader.missing


def test_buffered_events_reach_disk_at_normal_exit(tmp_path: Path) -> None:
    script = tmp_path / "forgetful.py"
    script.write_text(
        textwrap.dedent(
            """
            import sys
            from palaver.recording import SimulationRecorder

            class Clock:
                steps = 0

            rec = SimulationRecorder(Clock(), output_dir=sys.argv[1])
            for i in range(10):
                rec.record_event("tick", {"i": i})
            print(rec.folder)
            """
        )
    )
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    reader = recording.open(done.stdout.strip())
    assert [e.content["i"] for e in reader.events] == list(range(10))
    assert reader.status == "recording"  # never closed


def test_an_unclosed_recorder_and_its_model_are_collected(tmp_path: Path) -> None:
    """Nothing of the recorder's keeps the model alive: the step wrapper's hooks
    were in a module-level table and the store held the recorder's bound method
    (itself kept by the recorder's finalizer), so an unclosed recorder, its
    model and its open log lived until the process exited. Collected, its
    finalizer writes the buffered events to the log."""

    class Ticker(mesa.Model):
        # No agents: Mesa 3.3 keeps every model that made agents (Agent._ids).
        def __init__(self) -> None:
            super().__init__(seed=1)
            self.recorder = SimulationRecorder(self, output_dir=tmp_path)

        def step(self) -> None:
            self.recorder.record_model_event("tick", {"n": self.steps})

    model = Ticker()
    model.step()
    model.recorder.record_model_event("late", {})  # buffered, not flushed
    folder = model.recorder.folder
    recorder = weakref.ref(model.recorder)
    del model
    gc.collect()
    assert recorder() is None
    reader = recording.open(folder)
    assert [e.event_type for e in reader.events] == ["tick", "late"]


def test_a_model_set_up_with_its_simulator_before_its_recorder_runs_every_step(
    tmp_path: Path,
) -> None:
    """Mesa's ABMSimulator schedules the next step only when the step it runs
    ``== model.step``: once the recorder had replaced model.step, a model whose
    simulator was set up first (Mesa's own examples do) ran one step and
    stopped. The first step, run without the recorder's wrapper, is recorded
    as a change too."""

    class Counter(mesa.Agent):
        def __init__(self, model: mesa.Model) -> None:
            super().__init__(model)
            self.count = 0

        def step(self) -> None:
            self.count += 1

    class Simulated(mesa.Model):
        def __init__(self, simulator: ABMSimulator) -> None:
            super().__init__(seed=1)
            self.simulator = simulator
            simulator.setup(self)
            Counter.create_agents(self, 2)
            self.recorder = SimulationRecorder(self, output_dir=tmp_path)

        def step(self) -> None:
            self.agents.do("step")

    simulator = ABMSimulator()
    model = Simulated(simulator)
    simulator.run_for(3)
    assert model.steps == 3
    states = model.recorder.agent_states()
    assert states["count"].tolist() == [0, 0, 1, 1, 2, 2, 3, 3]
    model.recorder.close()


class _Counting(mesa.Agent):
    def __init__(self, model: mesa.Model) -> None:
        super().__init__(model)
        self.count = 0

    def step(self) -> None:
        self.count += 1


class _ClosedMidRun(mesa.Model):
    """A model run by an ABMSimulator whose recorder is closed at step 2 (kept
    in a module-level list, not on the model, so that the model pickles)."""

    def __init__(self, simulator: ABMSimulator, folder: Path, simulator_first: bool) -> None:
        super().__init__(seed=1)
        if simulator_first:
            simulator.setup(self)
        _Counting.create_agents(self, 2)
        _OPEN.append(SimulationRecorder(self, output_dir=folder))
        if not simulator_first:
            simulator.setup(self)

    def step(self) -> None:
        self.agents.do("step")
        if self.steps == 2:
            _OPEN.pop().close()


_OPEN: list[SimulationRecorder] = []


@pytest.mark.parametrize("simulator_first", [True, False])
def test_closing_the_recorder_leaves_the_simulator_running(
    tmp_path: Path, simulator_first: bool
) -> None:
    """The simulator holds the step it runs next by a weak reference: the
    recorder's wrapper, put away when the recorder closed, was collected and the
    simulator stopped at the step the recorder was closed in."""
    import copy
    import pickle

    simulator = ABMSimulator()
    model = _ClosedMidRun(simulator, tmp_path, simulator_first)
    simulator.run_for(3)
    gc.collect()
    simulator.run_for(3)
    assert model.steps == 6
    assert [a.count for a in model.agents] == [6, 6]
    [folder] = tmp_path.iterdir()
    assert recording.open(folder).step_range() == (1, 2)  # steps after close() unrecorded

    # A model whose recorder was closed pickles, as it did before the wrapper was kept.
    for twin in (pickle.loads(pickle.dumps(model)), copy.deepcopy(model)):
        twin.step()
        assert twin.steps == 7 and model.steps == 6

    # A new recorder takes the kept wrapper back and the simulator keeps running.
    again = SimulationRecorder(model, output_dir=tmp_path / "again")
    simulator.run_for(2)
    assert model.steps == 8
    assert {e.step for e in again.get_events_by_type("state_change")} == {7, 8}
    again.close()
    simulator.run_for(1)
    assert model.steps == 9
