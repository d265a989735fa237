"""Ids and event types that are not valid text are refused where they enter the world.

A lone surrogate (``"\\ud800"``) cannot be written as UTF-8: reaching a
recorder, it made every later write of the recording fail, ``close()``
included, and the buffered events were lost.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from world_helpers import LedgerWorld, pair_world

from palaver.recording import SimulationRecorder
from palaver.world import Agent, WorldParameterError

LONE = "agent-\ud800"


def test_an_agent_id_with_a_lone_surrogate_is_refused_at_join() -> None:
    world = LedgerWorld()
    with pytest.raises(WorldParameterError, match="lone surrogate"):
        world.join(Agent(id=LONE))
    assert world.agents == {}
    world.join(Agent(id="agent-é"))  # other non-ASCII text is fine
    assert list(world.agents) == ["agent-é"]


@pytest.mark.parametrize("parameter", ["type", "agent_id", "negotiation_id", "contract_id"])
def test_record_event_refuses_text_with_a_lone_surrogate(tmp_path: Path, parameter: str) -> None:
    world, buyer, _ = pair_world()
    recorder = SimulationRecorder(world, output_dir=tmp_path)
    world.step()
    arguments = {"type": "note", "agent_id": buyer.id, parameter: LONE}
    with pytest.raises(WorldParameterError, match=f"{parameter}=.*lone surrogate"):
        world.record_event(payload={"x": 1}, **arguments)
    with pytest.raises(WorldParameterError, match="lone surrogate"):
        buyer.awi.record_event("note-\udfff", {"x": 1})
    world.record_event("note", {"x": 2}, agent_id=buyer.id)
    world.run()
    recorder.close()  # nothing poisoned the recording: it closes, with every event
    notes = [e for e in recorder.events if e.event_type == "note"]
    assert [e.content for e in notes] == [{"x": 2}]


@pytest.mark.parametrize(
    ("parameter", "value", "named"),
    [
        ("negotiation_id", 5, "negotiation_id=5 (int) must be a str or None"),
        ("contract_id", ["c1"], "contract_id=['c1'] (list) must be a str or None"),
        ("agent_id", 7, "agent_id=7 (int) must be a str or None"),
        ("agent_id", "the agent", "(give agent.id, not the agent)"),
    ],
)
def test_record_event_refuses_ids_that_are_not_text(
    tmp_path: Path, parameter: str, value: object, named: str
) -> None:
    # negotiation_id=5 reached the recorder and failed its every later write
    # inside pyarrow ("sequence item 0: expected str instance, int found"),
    # close() included; an agent given for agent_id was stored as its repr.
    world, buyer, _ = pair_world()
    recorder = SimulationRecorder(world, output_dir=tmp_path)
    world.step()
    given = buyer if value == "the agent" else value
    with pytest.raises(WorldParameterError, match=re.escape(named)):
        world.record_event("note", {"x": 1}, **{parameter: given})
    world.record_event("note", {"x": 2}, agent_id=buyer.id)
    world.run()
    recorder.close()
    notes = [e for e in recorder.events if e.event_type == "note"]
    assert [(e.content, e.agent_id) for e in notes] == [({"x": 2}, buyer.id)]
