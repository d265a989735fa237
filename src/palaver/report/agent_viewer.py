"""A terminal viewer of what each agent of a recording did: timeline, conversations,
decisions and a summary, drawn with rich.

The API is that of mesa-llm's ``agent_analysis`` module (``AgentViewer``,
``quick_agent_view``), so code written for it runs after changing its imports.
A viewer reads a recording's JSON export (``recorder.save("run.json")``,
``palaver export PATH --json FILE``), a recording folder, its
``manifest.json`` or a Parquet export (read through
:func:`palaver.recording.open` and turned into the same layout as the JSON
export). Pickle files are refused: loading one can run arbitrary code.

The whole recording is loaded in memory, as the viewer is meant for reading a
run by eye; ``palaver.recording.open(path)`` answers queries on a long one
without loading it.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Hashable, Mapping
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.prompt import Prompt
from rich.table import Table
from rich.text import Text

import palaver.recording
from palaver.recording.checks import check_path
from palaver.report.event_text import (
    clock,
    format_event,
    is_recipient,
    message_text,
    sorted_ids,
    time_order,
)

__all__ = ["VIEW_TYPES", "AgentViewer", "quick_agent_view"]

VIEW_TYPES = ("summary", "info", "timeline", "conversations", "decisions")
"""The views :func:`quick_agent_view` can show (``view_type``)."""

_PICKLE_SUFFIXES = (".pkl", ".pickle")
_PICKLE_MAGIC = b"\x80"
"""First byte of every pickle written with protocol 2 or later."""
_PARQUET_MAGIC = b"PAR1"
_DECISION_TYPES = ("observation", "plan", "action")
"""The event types of a decision cycle, in the order an agent goes through them."""
_INFO_KEYS = (
    "simulation_id",
    "start_time",
    "end_time",
    "model_class",
    "total_steps",
    "total_events",
    "total_agents",
    "duration_minutes",
    "completion_status",
)
"""Metadata shown first by :meth:`AgentViewer.show_simulation_info`, in this order."""
_AGENT_COMMANDS = ("timeline", "conversations", "decisions", "summary")
_COMMANDS = {
    "info": "Show simulation information",
    "list": "Show all agents",
    "timeline <agent_id>": "View agent timeline",
    "conversations <agent_id>": "View agent conversations",
    "decisions <agent_id>": "View agent decision-making",
    "summary <agent_id>": "View agent summary",
    "quit": "Exit viewer",
}


def _pickle_refused(path: Path) -> ValueError:
    return ValueError(
        f"{path} is a pickle file: Palaver does not load pickles, as loading one can run "
        "arbitrary code. Load it with the program that wrote it and save it as JSON "
        "(a recorder's save(filename, format='json')), or view the recording folder"
    )


def _from_recording(path: Path) -> dict[str, Any]:
    """A recording folder (or its manifest, or a Parquet export) in the JSON export's layout.

    The export itself writes that layout (the same metadata, event ids,
    timestamps, agent ids and summaries as ``save()``), so it is written to a
    temporary file and read back rather than rebuilt here.
    """
    with palaver.recording.open(path) as reader, tempfile.TemporaryDirectory() as folder:
        exported = reader.export_json(Path(folder) / "recording.json")
        data: dict[str, Any] = json.loads(exported.read_bytes())
    return data


def _load(path: Path) -> dict[str, Any]:
    """The recording at ``path`` as the JSON export's dict (see :class:`AgentViewer`)."""
    if not path.exists():
        raise FileNotFoundError(f"no recording at {path}")
    if path.is_dir():
        return _from_recording(path)
    with path.open("rb") as f:
        head = f.read(4)
    if path.suffix.lower() in _PICKLE_SUFFIXES or head.startswith(_PICKLE_MAGIC):
        raise _pickle_refused(path)
    if head == _PARQUET_MAGIC or path.name == "manifest.json":
        return _from_recording(path)
    try:
        data = json.loads(path.read_bytes())
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(
            f"{path} is not a JSON recording ({exc}); the viewer reads a recorder's JSON "
            "export, a recording folder, its manifest.json or a Parquet export"
        ) from None
    _check_layout(path, data)
    return data  # type: ignore[no-any-return]


def _check_layout(path: Path, data: Any) -> None:
    """Refuse JSON that is not the export's layout, naming what is wrong and where."""
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise ValueError(
            f"{path} is not a recording: expected a JSON object with an 'events' list "
            "(the layout of a recorder's save())"
        )
    for name in ("metadata", "agent_summaries"):
        if not isinstance(data.get(name, {}), dict):
            raise ValueError(f"{path}: '{name}' must be a JSON object, got {data[name]!r}")
    for i, event in enumerate(data["events"]):
        if not isinstance(event, dict):
            raise ValueError(f"{path}: event {i} must be a JSON object, got {event!r}")
        if not isinstance(event.get("agent_id"), Hashable):
            raise ValueError(
                f"{path}: event {i} has agent_id {event['agent_id']!r}; "
                "an agent id is a number, a text or null"
            )


class AgentViewer:
    """Everything a recording says about its agents, shown in the terminal.

    ``AgentViewer(recording_path)`` loads a recorder's JSON export, a recording
    folder, its ``manifest.json`` or a Parquet export (the last three through
    :func:`palaver.recording.open`, in the JSON export's layout). A pickle file
    (``.pkl``, ``.pickle``, or any file starting as a pickle does) raises
    ``ValueError`` naming the file; a missing path ``FileNotFoundError``; a file
    that is not a recording ``ValueError`` (a damaged recording folder
    :class:`palaver.recording.CorruptRecordingError`).

    Attributes:
        recording_path: The path given, as a ``Path``.
        data: The whole recording: ``metadata``, ``events``, ``agent_summaries``.
        events: ``data["events"]``, each a dict (``event_id``, ``timestamp``
            as ISO text, ``step``, ``agent_id``, ``event_type``, ``content``,
            ``metadata``).
        metadata: ``data["metadata"]`` (``{}`` when absent).
        agent_summaries: ``data["agent_summaries"]`` (``{}`` when absent),
            keyed by the agent id's text.
        agent_events: Each agent's events (agent id as recorded -> events in
            time order); events without an agent are left out.
        console: The rich ``Console`` everything is printed to.
    """

    def __init__(self, recording_path: str | os.PathLike[str]) -> None:
        """Load the recording at ``recording_path`` (see the class)."""
        self.recording_path = Path(check_path("recording_path", recording_path))
        self.data: dict[str, Any] = _load(self.recording_path)
        self.events: list[dict[str, Any]] = self.data["events"]
        self.metadata: dict[str, Any] = self.data.get("metadata", {})
        self.agent_summaries: dict[str, Any] = self.data.get("agent_summaries", {})
        self.agent_events: dict[Any, list[dict[str, Any]]] = self._organize_events_by_agent()
        self.console = Console()

    def _organize_events_by_agent(self) -> dict[Any, list[dict[str, Any]]]:
        grouped: dict[Any, list[dict[str, Any]]] = {}
        for event in self.events:
            agent = event.get("agent_id")
            if agent is not None:
                grouped.setdefault(agent, []).append(event)
        return {agent: [events[i] for i in time_order(events)] for agent, events in grouped.items()}

    def _format_event(self, event: Mapping[str, Any]) -> str:
        """The text shown for ``event`` (see :func:`format_event`)."""
        return format_event(event)

    def _agent(self, agent_id: Any) -> Any:
        """The recorded id ``agent_id`` stands for (``"7"`` finds agent 7), or ``None``."""
        if isinstance(agent_id, Hashable) and agent_id in self.agent_events:
            return agent_id
        matches = [a for a in self.agent_events if str(a) == str(agent_id)]
        return matches[0] if len(matches) == 1 else None

    def _say(self, message: str, style: str | None = None) -> None:
        # The seed's call (text and style) with the text's markup escaped: an
        # agent id or a recorded value such as "[bold]" is shown as typed.
        if style is None:
            self.console.print(escape(message))
        else:
            self.console.print(escape(message), style=style)

    def _found(self, agent_id: Any) -> Any:
        agent = self._agent(agent_id)
        if agent is None:
            self._say(f"Agent {agent_id} not found.", "red")
        return agent

    def _agents_table(self, title: str | None = None) -> Table:
        table = Table(title=title, show_header=True, header_style="bold magenta")
        table.add_column("Agent ID", style="dim", min_width=12)
        table.add_column("Total Events", justify="right")
        table.add_column("Event Types", style="green")
        for agent in sorted_ids(self.agent_events):
            events = self.agent_events[agent]
            kinds = sorted({str(e.get("event_type")) for e in events})
            table.add_row(Text(str(agent)), str(len(events)), Text(", ".join(kinds)))
        return table

    def show_simulation_info(self) -> None:
        """Print the recording's metadata and one row per agent."""
        self.console.print("\nSimulation Information", style="bold blue")
        if self.metadata:
            table = Table(title="Simulation Metadata")
            table.add_column("Property", style="cyan")
            table.add_column("Value", style="green")
            keys = [k for k in _INFO_KEYS if k in self.metadata]
            keys += [k for k in self.metadata if k not in _INFO_KEYS]
            for key in keys:
                value = self.metadata[key]
                if isinstance(value, dict | list):
                    continue  # a nested section (a world's parameters) does not fit a cell
                if key == "duration_minutes" and isinstance(value, int | float):
                    shown = f"{value:.2f} minutes"
                else:
                    shown = str(value)
                table.add_row(key.replace("_", " ").title(), Text(shown))
            self.console.print(table)
        self.console.print("\nAgent Overview", style="bold blue")
        self.console.print(self._agents_table())

    def list_agents(self) -> None:
        """Print every agent with its number of events and its event types."""
        self.console.print("\nAvailable Agents", style="bold blue")
        self.console.print(self._agents_table())

    def view_agent_timeline(self, agent_id: Any) -> None:
        """Print each of the agent's events, in time order, one panel each."""
        agent = self._found(agent_id)
        if agent is None:
            return
        events = self.agent_events[agent]
        self._say(f"\nTimeline for Agent {agent}", "bold blue")
        self.console.print(f"Showing {len(events)} events\n", style="dim")
        for event in events:
            kind = str(event.get("event_type"))
            title = f"Step {event.get('step')} | {clock(event)} | {kind.title()}"
            border = "bright_blue" if kind == "message" else "white"
            self.console.print(
                Panel(
                    Text(format_event(event)),
                    title=Text(title),
                    title_align="left",
                    border_style=border,
                )
            )

    def _received(self, agent: Any) -> list[tuple[Any, dict[str, Any]]]:
        """The messages other agents sent to ``agent``, with their senders."""
        return [
            (sender, event)
            for sender, events in self.agent_events.items()
            if sender != agent
            for event in events
            if event.get("event_type") == "message" and is_recipient(agent, event)
        ]

    def view_agent_conversations(self, agent_id: Any) -> None:
        """Print the messages the agent sent and received, in time order."""
        agent = self._found(agent_id)
        if agent is None:
            return
        sent = [e for e in self.agent_events[agent] if e.get("event_type") == "message"]
        received = self._received(agent)
        self._say(f"\nConversations for Agent {agent}", "bold blue")
        if not sent and not received:
            self.console.print("No conversations found for this agent.", style="yellow")
            return
        talk = [(True, agent, e) for e in sent] + [(False, s, e) for s, e in received]
        talk = [talk[i] for i in time_order([event for _, _, event in talk])]
        for outgoing, sender, event in talk:
            when = f"Step {event.get('step')} | {clock(event)}"
            if outgoing:
                content = event.get("content")
                to = content.get("recipient_ids", []) if isinstance(content, dict) else []
                body, title, style = f"To agents {to}: ", f"SENT {when}", "green"
            else:
                body, title, style = f"From agent {sender}: ", f"RECEIVED {when}", "blue"
            body += str(message_text(event))
            self.console.print(
                Panel(Text(body), title=Text(title), title_align="left", border_style=style)
            )

    def view_agent_decisions(self, agent_id: Any) -> None:
        """Print the agent's observations, plans and actions, step by step."""
        agent = self._found(agent_id)
        if agent is None:
            return
        self._say(f"\nDecision-Making for Agent {agent}", "bold blue")
        by_step: dict[Any, list[dict[str, Any]]] = {}
        for event in self.agent_events[agent]:
            if event.get("event_type") in _DECISION_TYPES:
                by_step.setdefault(event.get("step"), []).append(event)
        if not by_step:
            self.console.print(
                "No observations, plans or actions recorded for this agent.", style="yellow"
            )
            return
        for step in sorted_ids(by_step):
            self._say(f"\nStep {step} Decision Cycle", "bold yellow")
            cycle = sorted(by_step[step], key=lambda e: _DECISION_TYPES.index(e["event_type"]))
            for event in cycle:
                title = Text(str(event["event_type"]).title())
                panel = Panel(Text(format_event(event)), title=title, border_style="cyan")
                self.console.print(panel)

    def view_agent_summary(self, agent_id: Any) -> None:
        """Print the agent's summary from the recording, and counts of what it did."""
        agent = self._found(agent_id)
        if agent is None:
            return
        events = self.agent_events[agent]
        self._say(f"\nAgent {agent} Summary", "bold blue")
        summary = self.agent_summaries.get(str(agent))
        if isinstance(summary, dict):
            table = Table(title="Summary Information")
            table.add_column("Metric", style="cyan")
            table.add_column("Value", style="green")
            table.add_row("Total Events", str(summary.get("total_events", 0)))
            types = summary.get("event_types", [])
            table.add_row("Event Types", Text(", ".join(map(str, types))))
            table.add_row("Active Steps", str(len(summary.get("active_steps", []))))
            for key, label in (("first_event", "First Event"), ("last_event", "Last Event")):
                if summary.get(key):
                    shown = clock({"timestamp": summary[key]}, "%Y-%m-%d %H:%M:%S")
                    table.add_row(label, shown if shown != "?" else Text(str(summary[key])))
            self.console.print(table)
        counts = Counter(str(e.get("event_type")) for e in events)
        table = Table(title="Activity Statistics")
        table.add_column("Metric", style="cyan")
        table.add_column("Value", style="green")
        table.add_row("Total Events", str(len(events)))
        table.add_row("Messages Sent", str(counts["message"]))
        table.add_row("Messages Received", str(len(self._received(agent))))
        table.add_row("Observations", str(counts["observation"]))
        table.add_row("Plans", str(counts["plan"]))
        table.add_row("Actions", str(counts["action"]))
        listed = {"message", *_DECISION_TYPES}
        for kind in sorted(k for k in counts if k not in listed):
            table.add_row(Text(kind.title()), str(counts[kind]))
        self.console.print(table)

    def _agent_from_text(self, text: str) -> Any:
        """The agent a typed id names: a recorded id with that text, else the
        number it spells (viewed as not found when no agent has it), else ``None``."""
        matches = [a for a in self.agent_events if str(a) == text]
        if len(matches) == 1:
            return matches[0]
        try:
            return int(text)
        except ValueError:
            return None

    def interactive_mode(self) -> None:
        """Ask for commands (``info``, ``list``, ``timeline ID``, ``conversations ID``,
        ``decisions ID``, ``summary ID``, ``quit``) until ``quit`` or end of input."""
        self.console.print("Welcome to the Palaver Agent Viewer!", style="bold green")
        self.console.print("Explore individual agent behaviour from your recorded simulation.\n")
        views: dict[str, Callable[[Any], None]] = {
            "timeline": self.view_agent_timeline,
            "conversations": self.view_agent_conversations,
            "decisions": self.view_agent_decisions,
            "summary": self.view_agent_summary,
        }
        while True:
            self.console.print("\nAvailable Commands:", style="bold blue")
            for command, description in _COMMANDS.items():
                self._say(f"• {command} - {description}")
            try:
                answer = Prompt.ask("\nEnter command", console=self.console)
            except (EOFError, KeyboardInterrupt):
                answer = "quit"
            words = str(answer).split()
            if not words:
                continue
            command = words[0].lower()
            if command in ("quit", "q", "exit"):
                self.console.print("Goodbye!", style="yellow")
                return
            if command == "info":
                self.show_simulation_info()
            elif command == "list":
                self.list_agents()
            elif command not in views:
                self._say(
                    f"Unknown command: {command} (one of: info, list, "
                    f"{', '.join(_AGENT_COMMANDS)}, quit)",
                    "red",
                )
            elif len(words) < 2:
                self._say(f"Usage: {command} <agent_id>", "red")
            else:
                typed = " ".join(words[1:])
                agent = self._agent_from_text(typed)
                if agent is None:
                    known = ", ".join(map(str, sorted_ids(self.agent_events)))
                    why = f"Invalid agent ID: {typed!r} (the recorded agents: {known})"
                    self._say(why, "red")
                else:
                    views[command](agent)


def quick_agent_view(
    recording_path: str | os.PathLike[str],
    agent_id: Any = None,
    view_type: str = "summary",
) -> None:
    """Print one view of a recording: its simulation information when
    ``agent_id`` is ``None`` or ``view_type`` is ``"info"``, else the agent's
    ``"summary"`` (the default), ``"timeline"``, ``"conversations"`` or
    ``"decisions"``. Another ``view_type`` raises ``ValueError`` naming it."""
    if view_type not in VIEW_TYPES:
        raise ValueError(f"view_type must be one of {', '.join(VIEW_TYPES)}; got {view_type!r}")
    viewer = AgentViewer(recording_path)
    if agent_id is None or view_type == "info":
        viewer.show_simulation_info()
    elif view_type == "timeline":
        viewer.view_agent_timeline(agent_id)
    elif view_type == "conversations":
        viewer.view_agent_conversations(agent_id)
    elif view_type == "decisions":
        viewer.view_agent_decisions(agent_id)
    else:
        viewer.view_agent_summary(agent_id)
