"""The ``palaver inspect`` and ``palaver export`` commands: look into a recording."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

import palaver.recording as recording
from palaver.recording import RecordingError, RecordingReader

_CONTRACT_TYPES = (
    "contract_concluded",
    "contract_signed",
    "contract_executed",
    "contract_breached",
    "contract_cancelled",
)
_MAX_BUCKETS = 20


def _open(path: Path) -> RecordingReader:
    try:
        return recording.open(path)
    except (RecordingError, FileNotFoundError) as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from None


def _summary(reader: RecordingReader, console: Console) -> None:
    manifest = reader.manifest
    console.print(
        f"[bold]{reader.path}[/bold]  simulation {reader.simulation_id}  "
        f"model {manifest.get('model_class') or '?'}  status {reader.status} "
        f"({reader.completion_status})"
    )
    per_agent, per_type = reader.counts()
    stats = reader.get_stats()
    console.print(
        f"{len(reader)} events, {len(per_agent)} agents, steps up to {stats['simulation_steps']}"
    )
    types = Table(title="Events per type")
    types.add_column("event type")
    types.add_column("events", justify="right")
    for name, n in sorted(per_type.items(), key=lambda kv: -kv[1]):
        types.add_row(name, str(n))
    console.print(types)
    agents = Table(title="Events per agent")
    agents.add_column("agent")
    agents.add_column("events", justify="right")
    for agent, n in sorted(per_agent.items(), key=lambda kv: str(kv[0])):
        agents.add_row(str(agent), str(n))
    console.print(agents)
    _contracts_over_time(reader, console)


def _contracts_over_time(reader: RecordingReader, console: Console) -> None:
    listing = ", ".join(f"'{t}'" for t in _CONTRACT_TYPES)
    rows = reader.sql(
        f"SELECT step, event_type, count(*) FROM events WHERE event_type IN ({listing}) "
        "GROUP BY ALL ORDER BY step"
    ).fetchall()
    if not rows:
        console.print("No contract events.")
        return
    first, last = rows[0][0], rows[-1][0]
    width = max(1, -(-(last - first + 1) // _MAX_BUCKETS))  # ceil: at most 20 rows
    buckets: dict[int, dict[str, int]] = {}
    for step, etype, n in rows:
        start = first + (step - first) // width * width
        bucket = buckets.setdefault(start, dict.fromkeys(_CONTRACT_TYPES, 0))
        bucket[etype] += n
    table = Table(title="Contracts and breaches over time")
    table.add_column("steps")
    for etype in _CONTRACT_TYPES:
        table.add_column(etype.removeprefix("contract_"), justify="right")
    for start, counts in sorted(buckets.items()):
        label = str(start) if width == 1 else f"{start}-{start + width - 1}"
        table.add_row(label, *(str(counts[t]) for t in _CONTRACT_TYPES))
    console.print(table)


def _timeline(reader: RecordingReader, agent: str, limit: int, console: Console) -> None:
    events = reader.get_agent_events(agent)
    if not len(events):
        typer.secho(f"error: no events for agent {agent!r} in {reader.path}", fg="red", err=True)
        raise typer.Exit(1)
    table = Table(title=f"Timeline of agent {agent} ({len(events)} events)")
    table.add_column("event id", no_wrap=True)
    table.add_column("step", justify="right", no_wrap=True)
    table.add_column("time (UTC)", no_wrap=True)
    table.add_column("type", no_wrap=True)
    table.add_column("content", no_wrap=True)
    # The content is cut to the width the other columns leave (about 72
    # characters with borders and padding), so that a narrow terminal shows
    # every column instead of shrinking them all to an ellipsis.
    room = max(12, console.width - 72)
    shown = events[:limit] if limit > 0 else events
    for event in shown:
        content = json.dumps(event.content, default=str)
        table.add_row(
            event.event_id,
            str(event.step),
            event.timestamp.strftime("%H:%M:%S.%f")[:-3],
            event.event_type,
            content if len(content) <= room else content[: room - 3] + "...",
        )
    console.print(table)
    if limit > 0 and len(events) > limit:
        console.print(f"... {len(events) - limit} more (use --limit 0 for all)")


def inspect(
    path: Annotated[Path, typer.Argument(help="A recording folder (or its manifest.json).")],
    agent: Annotated[
        str | None, typer.Option("--agent", help="Show this agent's timeline.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="Timeline rows to show (0: all).")] = 50,
) -> None:
    """Summarize a recording: events per type and per agent, contracts over time."""
    reader = _open(path)
    console = Console()
    if agent is None:
        _summary(reader, console)
    else:
        _timeline(reader, agent, limit, console)


def export(
    path: Annotated[Path, typer.Argument(help="A recording folder (or its manifest.json).")],
    json_file: Annotated[
        Path, typer.Option("--json", help="Write the documented JSON layout here.")
    ],
) -> None:
    """Export a recording to the recorder's documented JSON layout."""
    reader = _open(path)
    written = reader.export_json(json_file)
    typer.echo(f"wrote {len(reader)} events to {written}")


def register(app: typer.Typer) -> None:
    """Add ``inspect`` and ``export`` to ``app``."""
    app.command("inspect")(inspect)
    app.command("export")(export)
