"""@record_model hands agents their ``recorder``: that attribute is no state.

Found by a model written from the recording guide: agents declaring
``self.recorder = None`` (mesa-llm's pattern, which the decorator fills in)
stepped by an ``ABMSimulator`` set up in the model's ``__init__`` got a
``recorder`` field in their starting state, a ``recorder`` column in
``agent_states()`` and a spurious ``{"recorder": {"old": None, "new": None}}``
in every agent's first ``state_change``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

mesa = pytest.importorskip("mesa")
devs = pytest.importorskip("mesa.experimental.devs")

from palaver.recording import record_model  # noqa: E402


class Walker(mesa.Agent):  # type: ignore[misc]
    def __init__(self, model: Any) -> None:
        super().__init__(model)
        self.recorder = None  # filled in by @record_model
        self.energy = 0

    def step(self) -> None:
        self.energy += 1
        self.recorder.record_event("action", {"energy": self.energy}, agent_id=self.unique_id)


def _model(tmp_path: Path, simulator: Any) -> Any:
    @record_model(output_dir=str(tmp_path))
    class Walk(mesa.Model):  # type: ignore[misc]
        def __init__(self, simulator: Any = None) -> None:
            super().__init__(seed=1)
            if simulator is not None:
                simulator.setup(self)  # before the decorator's recorder, as Mesa's examples do
            Walker.create_agents(self, 2)

        def step(self) -> None:
            self.agents.do("step")

    return Walk(simulator=simulator)


@pytest.mark.parametrize("with_simulator", [True, False])
def test_the_recorder_attribute_is_not_recorded_as_state(
    tmp_path: Path, with_simulator: bool
) -> None:
    simulator = devs.ABMSimulator() if with_simulator else None
    model = _model(tmp_path, simulator)
    if simulator is not None:
        simulator.run_for(3)
    else:
        for _ in range(3):
            model.step()
    recorder = model.recorder
    assert all(a.recorder is recorder for a in model.agents)
    start = {"pos": None, "energy": 0}  # a Mesa agent without a space has pos None
    assert recorder.initial_states == {1: start, 2: start}
    changes = [e.content["changes"] for e in recorder.get_events_by_type("state_change")]
    assert changes and all(set(c) == {"energy"} for c in changes)
    table = recorder.agent_states()
    assert "recorder" not in table.columns
    assert table.loc[(3, 1), "energy"] == 3
    recorder.close()
