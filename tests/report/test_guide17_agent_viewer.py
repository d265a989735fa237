"""The agent viewer's headings name an agent as recorded, even when its id looks
like rich markup (docs/recording.md: content is shown as text, never as markup)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from rich.console import Console

from palaver.report import AgentViewer


def test_headings_show_a_markup_like_agent_id_as_text(tmp_path: Path) -> None:
    path = tmp_path / "run.json"
    event = {
        "event_id": "x_000000",
        "timestamp": "2026-01-01T10:00:00Z",
        "step": 0,
        "agent_id": "[b]ag[/b]",
        "event_type": "action",
        "content": {"action": "wait"},
        "metadata": None,
    }
    path.write_text(json.dumps({"events": [event]}))
    viewer = AgentViewer(path)
    out = io.StringIO()
    viewer.console = Console(file=out, width=200, color_system=None)
    viewer.view_agent_timeline("[b]ag[/b]")
    viewer.view_agent_conversations("[b]ag[/b]")
    viewer.view_agent_decisions("[b]ag[/b]")
    viewer.view_agent_summary("[b]ag[/b]")
    viewer.view_agent_summary("[/]")  # unknown: the "not found" line names it as typed
    shown = out.getvalue()
    for heading in (
        "Timeline for Agent [b]ag[/b]",
        "Conversations for Agent [b]ag[/b]",
        "Decision-Making for Agent [b]ag[/b]",
        "Agent [b]ag[/b] Summary",
        "Agent [/] not found.",
    ):
        assert heading in shown, heading
