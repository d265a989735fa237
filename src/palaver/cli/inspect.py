"""The ``palaver inspect`` and ``palaver export`` commands: look into a recording."""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

import palaver.recording as recording
from palaver.cli.errors import FAILURE, check_range, fail, output_file
from palaver.events import EventType
from palaver.recording import RecordingError, RecordingReader

_CONTRACT_TYPES = (
    "contract_concluded",
    "contract_signed",
    "contract_executed",
    "contract_breached",
    "contract_cancelled",
    "contract_nullified",
    "contract_erred",
    "contract_unexecuted",
)
_MAX_BUCKETS = 20


def _agent_order(agent: object) -> tuple[int, float, str]:
    """Mesa's integer ids in numeric order (1, 2, 10), then the others as text."""
    if isinstance(agent, int) and not isinstance(agent, bool):
        return (0, agent, "")
    return (1, 0, str(agent))


def resolve_recording(path: Path) -> Path:
    """The recording ``path`` names: itself, or the one ``simulation_*`` folder in it
    (what ``palaver run --record DIR`` and a recorder's ``output_dir`` hold)."""
    if not path.exists():
        fail(f"{path} does not exist", FAILURE)
    if not path.is_dir() and not path.is_file():
        # A FIFO or a device: opening one would wait for a writer forever.
        fail(f"{path} is not a file or a folder (a FIFO, socket or device)", FAILURE)
    if not path.is_dir() or (path / "events").is_dir() or path.name == "manifest.json":
        return path
    found = sorted(p for p in path.glob("simulation_*") if (p / "events").is_dir())
    if len(found) == 1:
        return found[0]
    if found:
        listing = ", ".join(str(p) for p in found[:5]) + (" ..." if len(found) > 5 else "")
        fail(f"{path} holds {len(found)} recordings; name one of them: {listing}", FAILURE)
    if (path / "manifest.json").is_file() and (path / "worlds").is_dir():
        fail(f"{path} is a tournament results folder; use: palaver tournament show {path}", FAILURE)
    from palaver.cli.negotiation_tournament import is_negotiation_folder

    if is_negotiation_folder(path):
        fail(
            f"{path} is a negotiation tournament's folder; use: palaver tournament show {path}",
            FAILURE,
        )
    fail(
        f"{path} holds no Palaver recording (a folder of `palaver run --out` holds text logs); "
        "record a run with: palaver run trips --record DIR",
        FAILURE,
    )


def open_recording(path: Path) -> RecordingReader:
    """Open the recording at ``path`` or print one error line and exit."""
    try:
        return recording.open(resolve_recording(path))
    except (RecordingError, OSError) as exc:
        fail(str(exc), FAILURE)


def _status(reader: RecordingReader) -> str:
    status, completion = reader.status, reader.completion_status
    return status if completion in (status, "unknown") else f"{status} ({completion})"


def _summary(reader: RecordingReader, console: Console) -> None:
    manifest = reader.manifest
    header = Table.grid(padding=(0, 2))
    header.add_column(style="bold", no_wrap=True)
    header.add_column(overflow="fold")
    # What a recording holds is shown as text (Text), never read as rich markup: an
    # id or content such as "[/]" raised MarkupError, "[b]x[/b]" printed as a bold x.
    header.add_row("recording", Text(str(reader.path)))
    header.add_row("simulation", Text(str(reader.simulation_id)))
    header.add_row("model", Text(str(manifest.get("model_class") or "?")))
    header.add_row("status", _status(reader))
    per_agent, per_type = reader.counts()
    # The steps the events were recorded at (a world's run of 3 steps: 0 to 2; a
    # Mesa model's: 1 to 3), the same for a folder and its Parquet export.
    low, high = reader.step_range()
    steps = "no steps" if low is None else f"steps {low} to {high}"
    header.add_row(
        "size",
        f"{len(reader)} events, {len(per_agent)} agents, {steps}",
    )
    console.print(header)
    types = Table(title="Events per type")
    types.add_column("event type")
    types.add_column("events", justify="right")
    for name, n in sorted(per_type.items(), key=lambda kv: -kv[1]):
        types.add_row(Text(name), str(n))
    console.print(types)
    if per_agent:
        agents = Table(title="Events per agent")
        agents.add_column("agent")
        agents.add_column("events", justify="right")
        for agent, n in sorted(per_agent.items(), key=lambda kv: _agent_order(kv[0])):
            agents.add_row(Text(str(agent)), str(n))
        console.print(agents)
    else:
        console.print("No agent events.")
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


def _content_text(content: str) -> str:
    """An event's content on one line, non-ASCII as written (as it is stored), not
    as ``\\u`` escapes; a lone surrogate (read from a recording made before they
    were stored escaped) cannot be printed, so such content keeps the escapes."""
    data = json.loads(content)
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False, default=str)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(data, separators=(",", ":"), default=str)
    return text


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _known(reader: RecordingReader, column: str, option: str, value: str) -> None:
    """Refuse a filter value the recording never holds, suggesting close ones (for
    ``--type``, the built-in event types too: a recording without contracts
    still gets ``contract_signed`` suggested for ``contract_sined``)."""
    found = reader.sql(f"SELECT 1 FROM events WHERE {column} = {_quote(value)} LIMIT 1").fetchall()
    if found:
        return
    values = [
        str(v)
        for (v,) in reader.sql(
            f"SELECT DISTINCT {column} FROM events WHERE {column} IS NOT NULL LIMIT 100000"
        ).fetchall()
    ]
    candidates = sorted({*values, *map(str, EventType)}) if column == "event_type" else values
    close = difflib.get_close_matches(value, candidates, n=3)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    # Numeric ids (Mesa's) in numeric order: 1, 2, 10, not 1, 10, 2.
    ordered = sorted(values, key=lambda v: (0, int(v), v) if v.isdigit() else (1, 0, v))
    sample = ", ".join(ordered[:8]) + (" ..." if len(values) > 8 else "")
    fail(f"{option} {value!r}: not in {reader.path}{hint} (known: {sample or 'none'})", FAILURE)


def _agent_clause(agent: str) -> str:
    """The events of an agent's timeline: its own, and those of its negotiations
    and contracts, which name no agent (they concern several) but list it in
    their content (a negotiation's ``agents`` or the ``by`` that accepted it, a
    contract's ``partners``)."""
    a = _quote(agent)

    def listed(event_type: str, key: str) -> str:
        return (
            f"event_type = '{event_type}' AND list_contains("
            f"TRY_CAST(json_extract(content, '$.{key}') AS VARCHAR[]), {a})"
        )

    negotiations = (
        "SELECT negotiation_id FROM events WHERE negotiation_id IS NOT NULL AND ("
        f"{listed('negotiation_started', 'agents')} OR {listed('negotiation_accepted', 'by')})"
    )
    contracts = (
        "SELECT contract_id FROM events WHERE contract_id IS NOT NULL AND "
        f"{listed('contract_concluded', 'partners')}"
    )
    return (
        f"(agent_id = {a} OR (agent_id IS NULL AND (negotiation_id IN ({negotiations}) "
        f"OR contract_id IN ({contracts}))))"
    )


def _timeline(
    reader: RecordingReader,
    filters: dict[str, str | int],
    limit: int,
    console: Console,
) -> None:
    where = []
    for column, option in (
        ("agent_id", "--agent"),
        ("event_type", "--type"),
        ("negotiation_id", "--negotiation"),
    ):
        value = filters.get(column)
        if value is not None:
            _known(reader, column, option, str(value))
            if column == "agent_id":
                where.append(_agent_clause(str(value)))
            else:
                where.append(f"{column} = {_quote(str(value))}")
    step = filters.get("step")
    if step is not None:
        lo, hi = reader.sql("SELECT min(step), max(step) FROM events").fetchall()[0]
        if lo is None or not lo <= int(step) <= hi:
            # Like an agent or type the recording lacks: asked for, not there (exit 1).
            fail(f"--step {step}: the recording has steps {lo} to {hi}", FAILURE)
        where.append(f"step = {int(step)}")
    clause = " AND ".join(where) or "TRUE"
    total = reader.sql(f"SELECT count(*) FROM events WHERE {clause}").fetchall()[0][0]
    if not total:
        fail(
            f"no events match {' '.join(f'{k}={v}' for k, v in filters.items())} in {reader.path}",
            FAILURE,
        )
    cut = f" LIMIT {limit}" if limit > 0 else ""
    rows = reader.sql(
        'SELECT "index", step, timestamp, event_type, agent_id, '
        "coalesce(negotiation_id, contract_id), content "
        f'FROM events WHERE {clause} ORDER BY "index"{cut}'
    ).fetchall()
    wide = console.width >= 110
    names = {"agent_id": "agent", "event_type": "type", "negotiation_id": "negotiation"}
    described = ", ".join(f"{names.get(k, k)} {v}" for k, v in filters.items())
    counted = f"{total} events"
    agent = filters.get("agent_id")
    if agent is not None:
        own = reader.sql(
            f"SELECT count(*) FROM events WHERE ({clause}) AND agent_id = {_quote(str(agent))}"
        ).fetchall()[0][0]
        if own != total:
            counted += f" ({own} its own, {total - own} of its negotiations and contracts)"
    table = Table(
        title=escape(f"Timeline of {described}: {counted} (simulation {reader.simulation_id})"),
        expand=True,
    )
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("step", justify="right", no_wrap=True)
    if wide:
        table.add_column("time (UTC)", no_wrap=True)
    table.add_column("type", no_wrap=True)
    if "agent_id" not in filters:
        table.add_column("agent", no_wrap=True)
    if "negotiation_id" not in filters:
        table.add_column("neg/contr", no_wrap=True)
    # The content wraps (never cut): at 80 columns it gets the ~25 characters
    # the narrow columns leave, over as many lines as it needs.
    table.add_column("content", ratio=1, overflow="fold")
    for index, s, ts, etype, agent, thing, content in rows:
        cells: list[str | Text] = [str(index), str(s)]
        if wide:
            cells.append(ts.strftime("%H:%M:%S.%f")[:-3])
        cells.append(Text(etype))
        if "agent_id" not in filters:
            cells.append(Text(agent or "-"))
        if "negotiation_id" not in filters:
            cells.append(Text(thing or "-"))
        cells.append(Text(_content_text(content)))
        table.add_row(*cells)
    console.print(table)
    if limit > 0 and total > limit:
        console.print(f"... {total - limit} more (--limit 0 shows all)")


RECORDING_PATH_HELP = (
    "A recording folder, its manifest.json, or a Parquet export (save(format='parquet'))."
)


def inspect(
    path: Annotated[Path, typer.Argument(help=RECORDING_PATH_HELP)],
    agent: Annotated[str | None, typer.Option("--agent", help="Show this agent's events.")] = None,
    event_type: Annotated[
        str | None, typer.Option("--type", help="Show events of this type (e.g. offer).")
    ] = None,
    step: Annotated[
        int | None, typer.Option("--step", help="Show the events of this step.")
    ] = None,
    negotiation: Annotated[
        str | None, typer.Option("--negotiation", help="Show this negotiation's events.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="Event rows to show (0: all).")] = 50,
) -> None:
    """Summarize a recording, or list its events filtered by agent, type, step or negotiation."""
    check_range("--limit", limit, 0)
    check_range("--step", step, 0)
    reader = open_recording(path)
    console = Console()
    filters: dict[str, str | int] = {
        k: v
        for k, v in (
            ("agent_id", agent),
            ("event_type", event_type),
            ("step", step),
            ("negotiation_id", negotiation),
        )
        if v is not None
    }
    with reader:
        if filters:
            _timeline(reader, filters, limit, console)
        else:
            _summary(reader, console)


def export(
    path: Annotated[Path, typer.Argument(help=RECORDING_PATH_HELP)],
    json_file: Annotated[
        Path, typer.Option("--json", help="Write the documented JSON layout to this file.")
    ],
) -> None:
    """Export a recording to the recorder's documented JSON layout.

    A --json path that is a symbolic link is written through (the file it points
    to is replaced, the link stays); a folder, FIFO, socket or device is refused."""
    target = output_file("--json", json_file, "recording.json")
    reader = open_recording(path)
    with reader:
        try:
            written = reader.export_json(target)
        except OSError as exc:
            fail(f"--json {json_file}: cannot write ({exc.strerror or exc})")
        typer.echo(f"wrote {len(reader)} events to {written}")


def register(app: typer.Typer) -> None:
    """Add ``inspect`` and ``export`` to ``app``."""
    app.command("inspect")(inspect)
    app.command("export")(export)
