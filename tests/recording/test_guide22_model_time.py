"""A Mesa model's own ``time`` attribute is one of its values.

Found by a model written from the recording guide: a Mesa 3 model keeping its
own clock in ``self.time`` (hours of the day) lost it from ``model_values()``
and from its ``state_change`` events without a word, because the recorder
dropped every model attribute named ``time`` (Mesa's clock on releases that
have no ``steps``). Mesa 3's ``Model`` has ``steps`` and no ``time``, so the
attribute is the model's own; it is left out only when the step is read from it.
"""

from __future__ import annotations

from typing import Any

import pytest

from palaver.recording import SimulationRecorder

mesa = pytest.importorskip("mesa")


class Day(mesa.Model):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__(seed=1)
        self.time = 6.0  # the hour of the day: the model's own clock
        self.temperature = 10
        self.recorder = SimulationRecorder(self, output_dir=None)

    def step(self) -> None:
        self.time += 0.5
        self.temperature += 1


def test_a_mesa_3_model_s_own_time_is_recorded() -> None:
    assert not hasattr(mesa.Model(), "time")  # Mesa's clock is `steps`
    day = Day()
    for _ in range(3):
        day.step()
    values = day.recorder.model_values()
    assert values["time"].tolist() == [6.0, 6.5, 7.0, 7.5]
    assert values["temperature"].tolist() == [10, 11, 12, 13]
    first = day.recorder.get_events_by_type("state_change")[0]
    assert first.agent_id is None and first.content["changes"]["time"] == {"old": 6.0, "new": 6.5}
    day.recorder.close()


class Timed:
    """A model of a Mesa release without ``steps``: its step is ``time``."""

    def __init__(self) -> None:
        self.time = 0
        self.agents: list[Any] = []
        self.level = 1

    def step(self) -> None:
        self.time += 1
        self.level += 1


def test_the_time_a_step_is_read_from_is_not_a_value() -> None:
    model = Timed()
    recorder = SimulationRecorder(model, output_dir=None)
    for _ in range(2):
        model.step()
    values = recorder.model_values()
    assert "time" not in values.columns and list(values.index) == [0, 1, 2]
    assert values["level"].tolist() == [1, 2, 3]
    changes = [e.content["changes"] for e in recorder.get_events_by_type("state_change")]
    assert changes == [{"level": {"old": 1, "new": 2}}, {"level": {"old": 2, "new": 3}}]
    recorder.close()
