"""What a recording holds, in words and as the agents' last state (plain data, no plots).

A report says first what kind of recording it is looking at, so that a Mesa
model's recording (events, agents and their state, no negotiations) or an
empty one is not mistaken for a world in which nothing happened.
"""

from __future__ import annotations

from typing import Any

from palaver.recording.errors import QueryError
from palaver.report.world_data import LIFECYCLE, WorldSummary

#: The agents and fields shown in the table of the agents' last state.
STATE_ROWS = 50
STATE_FIELDS = 12


def holdings(summary: WorldSummary) -> str:
    """One sentence on what the recording holds: its events by type, its steps and
    agents, and whether it has negotiations and contracts."""
    total = sum(summary.event_totals.values())
    activity = {t: n for t, n in summary.event_totals.items() if t not in LIFECYCLE}
    if not activity:
        kinds = ", ".join(f"{t} {n}" for t, n in summary.event_totals.items()) or "none"
        return (
            f"This recording holds {total} event(s), none beyond the run's start, steps "
            f"and end ({kinds}): no agent did anything that was recorded, so there is "
            "nothing to plot."
        )
    steps = summary.steps
    span = f"step {steps[0]}" if len(steps) == 1 else f"steps {steps[0]} to {steps[-1]}"
    shown = list(activity.items())[:8]
    kinds = ", ".join(f"{t} {n:,}" for t, n in shown)
    if len(activity) > len(shown):
        rest = sum(activity.values()) - sum(n for _, n in shown)
        kinds += f" and {len(activity) - len(shown)} other type(s) ({rest:,} events)"
    # The listed counts add up to the total: the run's own markers are counted too.
    markers = total - sum(activity.values())
    if markers:
        kinds += f", and {markers:,} marking the run's start, steps and end"
    text = (
        f"This recording holds {total:,} events over {span} from "
        f"{summary.n_agents} agent(s): {kinds}."
    )
    if not (summary.has_negotiations or summary.has_contracts):
        text += (
            " It holds no negotiations and no contracts (a Mesa or mesa-llm model's "
            "recording, or a world in which none happened), so only the plots of its "
            "events and agents are shown."
        )
    return text


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    try:
        if value != value:  # pandas' missing value (NaN, NA)
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def last_agent_states(reader: Any) -> tuple[list[str], list[list[Any]], str] | None:
    """Each agent's last recorded state: (header, rows, caption), at most
    :data:`STATE_ROWS` agents and :data:`STATE_FIELDS` fields; ``None`` when the
    recording holds no agent state. Read with ``reader.agent_states()``, which
    needs pandas: without it the caption says so and there are no rows."""
    folder = reader.path if reader.path.is_dir() else None
    initial = folder is not None and (folder / "initial_state.json").exists()
    if not initial and not reader.counts()[1].get("state_change"):
        return None
    try:
        frame = reader.agent_states()
    except ImportError:
        return [], [], "pip install pandas to see the agents' last state here"
    except QueryError:  # a standalone mechanism's recording: negotiators have no state
        return None
    if not len(frame):
        return None
    flat = frame.reset_index()
    # Gaps of nullable columns (pd.NA, which has no truth value) as None.
    flat = flat.astype(object).where(flat.notna(), None)
    last = flat.groupby("agent_id", sort=False).tail(1)
    fields = [c for c in flat.columns if c not in ("step", "agent_id")]
    header = ["agent", "step", *fields[:STATE_FIELDS]]
    rows = [
        [_cell(row["agent_id"]), _cell(row["step"]), *(_cell(row[f]) for f in header[2:])]
        for _, row in last.head(STATE_ROWS).iterrows()
    ]
    caption = (
        f"{len(last)} agent(s); the last row of each in reader.agent_states() "
        "(the state observed at that step)"
    )
    if len(last) > STATE_ROWS:
        caption += f"; the first {STATE_ROWS} shown"
    if len(fields) > STATE_FIELDS:
        caption += f"; {STATE_FIELDS} of {len(fields)} fields shown"
    return header, rows, caption
