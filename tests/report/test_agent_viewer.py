"""The terminal agent viewer (palaver.report.agent_viewer): what it loads, refuses and shows."""

from __future__ import annotations

import io
import json
import pickle
from pathlib import Path
from typing import Any

import mesa
import pytest
from rich.console import Console

import palaver.report.agent_viewer as agent_viewer
from palaver.recording import SimulationRecorder
from palaver.report import AgentViewer, quick_agent_view
from palaver.report.event_text import format_event, time_order


class Talker(mesa.Agent):
    """Observes, plans, acts and greets the next agent at every step."""

    def __init__(self, model: mesa.Model) -> None:
        super().__init__(model)
        self.energy = 0

    def step(self) -> None:
        rec = self.model.recorder  # type: ignore[attr-defined]
        me = self.unique_id
        rec.record_event("observation", {"self_state": {"location": [me, 0]}}, agent_id=me)
        rec.record_event("plan", {"plan_content": {"content": f"greet {me % 3 + 1}"}}, agent_id=me)
        rec.record_event("action", {"action_type": "greet", "to": me % 3 + 1}, agent_id=me)
        rec.record_event("message", f"hi from {me}", agent_id=me, recipient_ids=[me % 3 + 1])
        self.energy += 1


class Chat(mesa.Model):
    def __init__(self, out: Path) -> None:
        super().__init__(seed=3)
        Talker.create_agents(self, 3)
        self.recorder = SimulationRecorder(self, output_dir=out)

    def step(self) -> None:
        self.agents.do("step")


@pytest.fixture
def chat(tmp_path: Path) -> SimulationRecorder:
    """A closed recording of three agents talking for two steps (ids 1, 2, 3)."""
    model = Chat(tmp_path / "rec")
    model.step()
    model.step()
    model.recorder.close()
    recorder: SimulationRecorder = model.recorder
    return recorder


def quiet(viewer: AgentViewer) -> io.StringIO:
    """Send the viewer's output to a string, without colours, wide enough for one line."""
    out = io.StringIO()
    viewer.console = Console(file=out, width=200, color_system=None)
    return out


def test_folder_manifest_parquet_and_json_export_load_the_same(
    chat: SimulationRecorder, tmp_path: Path
) -> None:
    folder = Path(chat.folder)
    exported = json.loads(chat.save("chat.json").read_text())
    parquet = chat.save("chat.parquet", format="parquet")
    for path in (folder, folder / "manifest.json", parquet, chat.output_dir / "chat.json"):
        viewer = AgentViewer(path)
        assert viewer.recording_path == path
        assert viewer.events == exported["events"]
        assert viewer.agent_summaries == exported["agent_summaries"]
    viewer = AgentViewer(str(folder))
    # Mesa's ids stay numbers, as in the JSON export; events without an agent are left out.
    assert sorted(viewer.agent_events) == [1, 2, 3]
    assert [e["event_type"] for e in viewer.agent_events[2]][:4] == [
        "observation",
        "plan",
        "action",
        "message",
    ]
    assert sum(map(len, viewer.agent_events.values())) == sum(
        e["agent_id"] is not None for e in viewer.events
    )


@pytest.mark.parametrize("name", ["run.pkl", "run.pickle", "run.json"])
def test_pickle_files_are_refused_naming_the_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(pickle.dumps({"events": []}))
    with pytest.raises(ValueError, match=r"run\.p?\w+ is a pickle file.*arbitrary code"):
        AgentViewer(path)


def test_what_is_not_a_recording_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no recording at"):
        AgentViewer(tmp_path / "absent.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(ValueError, match=r"broken\.json is not a JSON recording"):
        AgentViewer(broken)
    listing = tmp_path / "list.json"
    listing.write_text("[1, 2]")
    with pytest.raises(ValueError, match=r"list\.json is not a recording.*'events' list"):
        AgentViewer(listing)
    odd = tmp_path / "odd.json"
    odd.write_text(json.dumps({"events": [{"agent_id": [1], "event_type": "x"}]}))
    with pytest.raises(ValueError, match=r"event 0 has agent_id \[1\]"):
        AgentViewer(odd)
    with pytest.raises(TypeError, match="recording_path"):
        AgentViewer(3)  # type: ignore[arg-type]


def test_events_of_each_type_read_as_text() -> None:
    def text(kind: str, content: Any) -> str:
        return format_event({"event_type": kind, "content": content})

    assert text("message", {"message": "hi", "recipient_ids": [2]}) == "MESSAGE to [2]: hi"
    assert text("message", None) == "MESSAGE to []: None"
    observed = text("observation", {"self_state": {"location": [1, 2], "internal_state": ["a"]}})
    assert observed == "OBSERVATION\nPosition: [1, 2]\nInternal State: a"
    assert text("plan", {"plan_content": {"content": "go"}}) == "PLANNING\nReasoning: go"
    assert text("action", {"action_type": "move", "to": 2}) == "ACTION: move\nto: 2"
    assert text("action", "wait") == "ACTION: wait"
    assert text("action", {"data": {"direction": "north"}}) == "ACTION: direction=north"
    chosen = {"action": {"name": "speak", "arguments": {"to": [2]}, "rationale": "near"}}
    assert text("action", {**chosen, "result": {"ok": True}}) == (
        "ACTION: speak\nArguments: to=[2]\nRationale: near\nResult: ok=True"
    )
    assert text("action", {"action": {}}) == "ACTION: Unknown action"
    # The recorder's own comparison shows old and new values.
    change = {"changes": {"energy": {"old": 0, "new": 1}}}
    assert text("state_change", change) == "STATE CHANGE\nenergy: 0 -> 1"
    assert text("state_change", {"changes": {}, "removed": True}) == "STATE CHANGE\nremoved"
    assert text("state_change", {"energy": 95}) == "STATE CHANGE\nenergy: 95"
    assert text("simulation_end", {"status": "completed"}) == "SIMULATION END\nstatus: completed"
    assert text("offer", {"round": 3, "offer": [1, 2]}) == "OFFER: round=3, offer=[1, 2]"
    assert text("note", {"data": "x"}) == "NOTE: x"


def test_time_order_keeps_ties_and_unreadable_times_in_recorded_order() -> None:
    events = [
        {"timestamp": "2026-01-01T10:00:02Z"},
        {"timestamp": "2026-01-01T10:00:01+00:00"},
        {"timestamp": "2026-01-01T10:00:01"},  # no zone: UTC
    ]
    assert time_order(events) == [1, 2, 0]
    assert time_order([*events, {"timestamp": "soon"}]) == [0, 1, 2, 3]


def test_views_print_what_the_agent_did(chat: SimulationRecorder) -> None:
    viewer = AgentViewer(chat.folder)
    out = quiet(viewer)
    viewer.view_agent_timeline(2)
    shown = out.getvalue()
    # Four events per step and the recorder's state_change of its energy.
    assert "Timeline for Agent 2" in shown and "Showing 10 events" in shown
    assert shown.count("energy: 0 -> 1") == 1
    assert shown.count("MESSAGE to [3]: hi from 2") == 2
    assert "Reasoning: greet 3" in shown

    out = quiet(viewer)
    viewer.view_agent_conversations(2)
    shown = out.getvalue()
    assert shown.count("To agents [3]: hi from 2") == 2
    assert shown.count("From agent 1: hi from 1") == 2
    assert "hi from 3" not in shown

    out = quiet(viewer)
    viewer.view_agent_decisions(1)
    shown = out.getvalue()
    assert "Step 1 Decision Cycle" in shown and "Step 2 Decision Cycle" in shown
    assert shown.index("OBSERVATION") < shown.index("PLANNING") < shown.index("ACTION: greet")

    out = quiet(viewer)
    viewer.view_agent_summary(3)
    shown = out.getvalue()
    assert "Messages Sent" in shown and "Messages Received" in shown
    assert "State_Change" in shown  # the recorder's own state changes are counted too

    out = quiet(viewer)
    viewer.show_simulation_info()
    shown = out.getvalue()
    assert "Simulation Information" in shown and "Chat" in shown and chat.simulation_id in shown


def test_an_id_typed_as_text_finds_the_agent_and_unknown_ids_are_named(
    chat: SimulationRecorder,
) -> None:
    viewer = AgentViewer(chat.folder)
    out = quiet(viewer)
    viewer.view_agent_timeline("2")
    assert "Timeline for Agent 2" in out.getvalue()
    out = quiet(viewer)
    viewer.view_agent_summary(99)
    assert out.getvalue().strip() == "Agent 99 not found."


def test_text_from_the_recording_is_never_read_as_markup(tmp_path: Path) -> None:
    path = tmp_path / "run.json"
    event = {
        "event_id": "x_000000",
        "timestamp": "2026-01-01T10:00:00Z",
        "step": 0,
        "agent_id": "[bold]a",
        "event_type": "message",
        "content": {"message": "[red]hello[/red]", "recipient_ids": []},
        "metadata": None,
    }
    path.write_text(json.dumps({"events": [event]}))
    viewer = AgentViewer(path)
    out = quiet(viewer)
    viewer.view_agent_timeline("[bold]a")
    viewer.list_agents()
    assert "MESSAGE to []: [red]hello[/red]" in out.getvalue()
    assert "[bold]a" in out.getvalue()


def test_interactive_mode_takes_string_ids_and_ends_at_end_of_input(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    event = {"timestamp": "2026-01-01T10:00:00Z", "step": 0, "event_type": "offer", "content": {}}
    path = tmp_path / "world.json"
    path.write_text(json.dumps({"events": [{**event, "agent_id": "smart00"}]}))
    answers = iter(["TIMELINE smart00", "summary nobody", "decisions", "dance smart00"])

    def ask(*args: Any, **kwargs: Any) -> str:
        try:
            return next(answers)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr(agent_viewer.Prompt, "ask", ask)
    viewer = AgentViewer(path)
    out = quiet(viewer)
    viewer.interactive_mode()
    shown = out.getvalue()
    assert "Timeline for Agent smart00" in shown
    assert "Invalid agent ID: 'nobody' (the recorded agents: smart00)" in shown
    assert "Usage: decisions <agent_id>" in shown
    assert "Unknown command: dance" in shown
    assert shown.rstrip().endswith("Goodbye!")


def test_quick_agent_view_checks_the_view_type(chat: SimulationRecorder) -> None:
    with pytest.raises(ValueError, match=r"view_type must be one of summary, info, .*'sumary'"):
        quick_agent_view(chat.folder, agent_id=1, view_type="sumary")


def test_messages_are_printed_as_the_seed_prints_them(chat: SimulationRecorder) -> None:
    # Code written for mesa-llm's viewer mocks its console and checks the
    # call: the text and its style, as keywords (markup escaped only where
    # the text holds some).
    viewer = AgentViewer(chat.folder)
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    class Recording:
        def print(self, *args: Any, **kwargs: Any) -> None:
            calls.append((args, kwargs))

    viewer.console = Recording()  # type: ignore[assignment]
    viewer.view_agent_timeline(999)
    assert calls[-1] == (("Agent 999 not found.",), {"style": "red"})
    viewer.view_agent_summary("[b]x")
    assert calls[-1] == ((r"Agent \[b]x not found.",), {"style": "red"})
