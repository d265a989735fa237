"""A standalone mechanism recorded on its own: steps are rounds, agents are negotiators."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from palaver import recording
from palaver.mechanisms import SAOMechanism
from palaver.negotiators import AspirationNegotiator
from palaver.outcomes import make_issue
from palaver.preferences import LinearAdditiveUtilityFunction
from palaver.recording import SimulationRecorder


def _seller(p: float) -> float:
    return p / 100


def _buyer(p: float) -> float:
    return 1 - p / 100


def _negotiation(tmp_path: Path, **options: Any) -> tuple[SAOMechanism, SimulationRecorder]:
    mechanism = SAOMechanism(issues=[make_issue((0, 100), "price")], n_steps=10, seed=1)
    recorder = SimulationRecorder(mechanism, output_dir=tmp_path, **options)
    mechanism.add(AspirationNegotiator(name="s"), ufun=LinearAdditiveUtilityFunction([_seller]))
    mechanism.add(AspirationNegotiator(name="b"), ufun=LinearAdditiveUtilityFunction([_buyer]))
    mechanism.run()
    recorder.close()
    return mechanism, recorder


def test_offers_and_responses_sit_at_their_round_and_belong_to_their_negotiator(
    tmp_path: Path,
) -> None:
    mechanism, recorder = _negotiation(tmp_path)
    moves = [e for e in recorder.events if e.event_type in ("offer", "response")]
    assert moves, "the negotiation made offers"
    for event in moves:
        assert event.step == event.content["round"]
        assert event.agent_id == event.content["negotiator"]
    rounds = mechanism.state.step
    assert rounds > 1
    # Every round's events are found by step, and only those.
    for rnd in range(rounds):
        found = recorder.get_events_by_step(rnd)
        expected = [e for e in moves if e.content["round"] == rnd]
        assert [e.event_id for e in found if e.event_type in ("offer", "response")] == [
            e.event_id for e in expected
        ]
    assert recorder.get_stats()["events_per_agent"] == {
        "s": sum(e.agent_id == "s" for e in moves),
        "b": sum(e.agent_id == "b" for e in moves),
    }
    assert len(recorder.get_agent_events("s")) == sum(e.agent_id == "s" for e in moves)


def test_the_negotiation_events_sit_at_the_current_round(tmp_path: Path) -> None:
    mechanism, recorder = _negotiation(tmp_path)
    started = recorder.get_events_by_type("negotiation_started")
    ended = recorder.get_events_by_type("negotiation_ended")
    assert [e.step for e in started] == [0]
    assert [e.step for e in ended] == [mechanism.state.step]
    assert started[0].agent_id is None and ended[0].agent_id is None
    end = recorder.events[-1]
    assert end.event_type == "simulation_end"
    assert end.content["final_step"] == mechanism.state.step
    assert recorder.get_stats()["simulation_steps"] == mechanism.state.step


def test_events_recorded_by_hand_take_the_current_round(tmp_path: Path) -> None:
    mechanism = SAOMechanism(issues=[make_issue((0, 100), "price")], n_steps=6, seed=3)
    recorder = SimulationRecorder(mechanism, output_dir=tmp_path)
    mechanism.add(AspirationNegotiator(name="s"), ufun=LinearAdditiveUtilityFunction([_seller]))
    mechanism.add(AspirationNegotiator(name="b"), ufun=LinearAdditiveUtilityFunction([_buyer]))
    recorder.record_event("note", {"what": "before"}, agent_id="observer")
    mechanism.step()
    mechanism.step()
    recorder.record_event("note", {"what": "after two rounds"}, agent_id="observer")
    recorder.close()
    notes = recorder.get_events_by_type("note")
    assert [e.step for e in notes] == [0, 2]
    assert {e.agent_id for e in notes} == {"observer"}


@pytest.mark.parametrize("window", [7, 50_000])
def test_the_reopened_recording_agrees(tmp_path: Path, window: int) -> None:
    _, recorder = _negotiation(tmp_path, memory_window=window)
    live = [(e.step, e.agent_id, e.event_type) for e in recorder.events]
    reader = recording.open(recorder.folder)
    assert [(e.step, e.agent_id, e.event_type) for e in reader.events] == live
    by_round = dict(
        reader.sql(
            "SELECT step, count(*) FROM events WHERE event_type = 'offer' GROUP BY step"
        ).fetchall()
    )
    offers = [e for e in recorder.events if e.event_type == "offer"]
    assert by_round == {
        rnd: sum(e.content["round"] == rnd for e in offers)
        for rnd in {e.content["round"] for e in offers}
    }
    reader.close()


@pytest.mark.parametrize("kind", ["VetoSTMechanism", "HillClimbingSTMechanism"])
def test_negmas_single_text_mechanisms_are_recorded(tmp_path: Path, kind: str) -> None:
    from palaver import mechanisms
    from palaver.negotiators import BinaryComparatorNegotiator
    from palaver.preferences import MappingUtilityFunction

    mechanism = getattr(mechanisms, kind)(outcomes=40, n_steps=8, seed=5)
    recorder = SimulationRecorder(mechanism, output_dir=tmp_path)
    for i, ufun in enumerate(MappingUtilityFunction.generate_random(2, outcomes=40)):
        mechanism.add(BinaryComparatorNegotiator(name=f"a{i}"), preferences=ufun)
    state = mechanism.run()
    recorder.close()
    types = [e.event_type for e in recorder.events]
    assert types[0] == "negotiation_started" and "negotiation_ended" in types
    offers = [e for e in recorder.events if e.event_type == "offer"]
    assert offers and all(e.content["negotiator"] is None for e in offers)  # the mediator's
    answers = {e.agent_id for e in recorder.events if e.event_type == "response"}
    assert answers <= {n.id for n in mechanism.negotiators} and answers
    ended = next(e for e in recorder.events if e.event_type == "negotiation_ended")
    agreement = ended.content["agreement"]
    assert (None if agreement is None else tuple(agreement)) == state.agreement
    reader = recording.open(recorder.folder)
    assert [(e.event_type, e.agent_id) for e in reader.events] == [
        (e.event_type, e.agent_id) for e in recorder.events
    ]
    reader.close()
