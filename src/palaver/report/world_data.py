"""What a world recording says per step, per agent and per contract, as plain data.

Everything is read with SQL over the recording (see docs/recording.md) and
aggregated in DuckDB, so the cost grows with the number of negotiations and
contracts, not with the number of offers. Needs no plotting library.
"""

from __future__ import annotations

import json
import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

NEGOTIATION_SERIES = ("requested", "started", "agreed", "failed")
# How contracts end, as the world names it in events, stats and the guide
# (a contract still due when the run ends is "unexecuted", not "cancelled").
CONTRACT_SERIES = (
    "signed",
    "executed",
    "breached",
    "cancelled",
    "nullified",
    "erred",
    "unexecuted",
)
#: Event types that mark the run's course rather than what happened in it.
LIFECYCLE = frozenset(
    {"simulation_start", "simulation_end", "step_start", "step_end", "checkpoint"}
)
#: How many items of one kind the step view lists for one step (the rest are counted).
STEP_LIST_LIMIT = 40


@dataclass
class AgentValues:
    """Each agent's value of one quantity over the steps (``name`` says which)."""

    name: str
    source: str
    steps: np.ndarray
    values: dict[str, np.ndarray] = field(default_factory=dict)


@dataclass
class WorldSummary:
    """Per-step counts, per-agent values and the contract graph of a recording."""

    steps: np.ndarray
    negotiations: dict[str, np.ndarray]
    contracts: dict[str, np.ndarray]
    events_by_type: dict[str, np.ndarray]
    agent_values: AgentValues | None
    breaches_by_agent: dict[str, int]
    edges: dict[tuple[str, str], int]
    agents: list[dict[str, Any]]
    step_details: list[dict[str, Any]]
    busiest_negotiation: str | None
    event_totals: dict[str, int] = field(default_factory=dict)

    @property
    def has_negotiations(self) -> bool:
        """Whether the recording holds any negotiation event or count (a Mesa
        model's does not)."""
        return any(t.startswith("negotiation_") for t in self.event_totals) or any(
            int(series.sum()) for series in self.negotiations.values()
        )

    @property
    def has_contracts(self) -> bool:
        """Whether the recording holds any contract event."""
        return any(t.startswith("contract_") for t in self.event_totals)

    @property
    def has_activity(self) -> bool:
        """Whether the recording holds an event beyond the run's start, steps and end."""
        return any(t not in LIFECYCLE for t in self.event_totals)

    @property
    def n_agents(self) -> int:
        """The run's agents: those the world listed when the run started, and
        any other that has an event."""
        return len(self.agents)


def _scalar(reader: Any, query: str) -> list[tuple[Any, ...]]:
    return list(reader.sql(query).fetchall())


def _series(
    rows: list[tuple[Any, ...]], steps: np.ndarray, names: tuple[str, ...]
) -> dict[str, np.ndarray]:
    out = {n: np.zeros(len(steps), dtype=int) for n in names}
    first = int(steps[0]) if len(steps) else 0
    for step, name, n in rows:
        if name in out and 0 <= step - first < len(steps):
            out[name][step - first] += int(n)
    return out


def _agent_values_from_stats(
    reader: Any, agents: list[str], steps: np.ndarray
) -> AgentValues | None:
    """Per-agent stats are named ``<quantity>_<agent id>`` (the TripsWorld's
    ``total_utility_smart00``); the quantity held by most agents is used."""
    stats = reader.stats()
    if not stats.num_rows:
        return None
    names = set(stats.column("name").to_pylist())
    by_quantity: dict[str, dict[str, str]] = defaultdict(dict)
    for name in names:
        for agent in agents:
            if name.endswith("_" + agent):
                by_quantity[name[: -len(agent) - 1]][agent] = name
    if not by_quantity:
        return None
    quantity, columns = max(by_quantity.items(), key=lambda kv: (len(kv[1]), kv[0]))
    data = stats.to_pydict()
    first = int(steps[0])
    values = {a: np.full(len(steps), np.nan) for a in columns}
    wanted = {name: agent for agent, name in columns.items()}
    for step, stat, value in zip(data["step"], data["name"], data["value"], strict=True):
        owner = wanted.get(stat)
        if owner is not None and 0 <= step - first < len(steps):
            values[owner][step - first] = value
    return AgentValues(quantity, "per-step stats", steps, values)


def _agent_values_from_state(
    reader: Any, agents: list[str], steps: np.ndarray
) -> AgentValues | None:
    """Fallback: numeric agent state recorded as ``state_change`` events, the
    field named like a utility or score first, carried forward between changes."""
    rows = _scalar(
        reader,
        "SELECT step, agent_id, content FROM events WHERE event_type = 'state_change' "
        'AND agent_id IS NOT NULL ORDER BY "index"',
    )
    changes: dict[str, list[tuple[int, str, float, float]]] = defaultdict(list)
    fields: Counter[str] = Counter()
    for step, agent, content in rows:
        for name, change in (json.loads(content).get("changes") or {}).items():
            old, new = change.get("old"), change.get("new")
            if isinstance(new, int | float) and not isinstance(new, bool):
                start = float(old) if isinstance(old, int | float) else float("nan")
                changes[str(agent)].append((int(step), name, start, float(new)))
                fields[name] += 1
    if not fields:
        return None
    preferred = [f for f in fields if "util" in f.lower() or "score" in f.lower()]
    chosen = max(preferred or list(fields), key=lambda f: fields[f])
    first = int(steps[0])
    values: dict[str, np.ndarray] = {}
    for agent, items in changes.items():
        mine = [(s, old, new) for s, name, old, new in items if name == chosen]
        if not mine:
            continue
        series = np.full(len(steps), mine[0][1])
        for step, _, new in mine:
            if 0 <= step - first < len(steps):
                series[step - first :] = new
        values[agent] = series
    # An agent whose value never changed has no state_change event: its value all
    # along is the one recorded when recording started (initial_state.json).
    for agent, state in _initial_states(reader).items():
        initial = state.get(chosen)
        if isinstance(initial, int | float) and not isinstance(initial, bool):
            values.setdefault(str(agent), np.full(len(steps), float(initial)))
    # A recording without initial states (made before they were kept): when every
    # other agent started from the same value, it is that value all along.
    starts = {float(v[0]) for v in values.values() if not np.isnan(v[0])}
    if len(starts) == 1:
        for agent in agents:
            values.setdefault(agent, np.full(len(steps), next(iter(starts))))
    return AgentValues(chosen, "agent state changes", steps, values)


def _initial_states(reader: Any) -> dict[Any, dict[str, Any]]:
    """The agents' states when recording started, or none when the reader cannot
    give them (damaged, or a reader without them)."""
    from palaver.recording import RecordingError

    try:
        states = getattr(reader, "initial_states", None)
    except (RecordingError, OSError, ValueError):  # a damaged initial_state.json:
        return {}  # the state changes still draw
    return states if isinstance(states, dict) else {}


def _state_changes(reader: Any, details: list[dict[str, Any]], first: int) -> None:
    """Each step's agent state changes (the first :data:`STEP_LIST_LIMIT`, the rest
    counted), as ``[agent, "field old -> new, ..."]``."""
    rows = _scalar(
        reader,
        "SELECT step, agent_id, content, count(*) OVER (PARTITION BY step) FROM events "
        "WHERE event_type = 'state_change' AND agent_id IS NOT NULL "
        'QUALIFY row_number() OVER (PARTITION BY step ORDER BY "index") <= '
        f"{STEP_LIST_LIMIT}",
    )
    for step, agent, content, total in rows:
        if not 0 <= step - first < len(details):
            continue
        d = details[step - first]
        payload = json.loads(content)
        parts = [
            f"{name} {_short(change.get('old'))} -> {_short(change.get('new'))}"
            for name, change in (payload.get("changes") or {}).items()
            if isinstance(change, dict)
        ]
        if payload.get("removed"):
            parts.append("removed")
        d["states"].append([str(agent), ", ".join(parts)])
        d["more"]["states"] = int(total) - min(int(total), STEP_LIST_LIMIT)
    for d in details:
        d["states"].sort(key=lambda item: item[0])


def _short(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    text = json.dumps(value, default=str) if not isinstance(value, str) else value
    return text if len(text) <= 40 else text[:37] + "..."


def _step_details(
    reader: Any,
    steps: np.ndarray,
    parties: dict[str, list[str]],
    by_type: list[tuple[Any, ...]],
) -> list[dict[str, Any]]:
    rows = _scalar(
        reader,
        "SELECT step, event_type, negotiation_id, contract_id, content FROM events "
        "WHERE event_type IN ('negotiation_requested', 'negotiation_ended', 'contract_signed', "
        "'contract_executed', 'contract_breached', 'contract_cancelled', 'contract_nullified', "
        "'contract_erred', 'contract_unexecuted') ORDER BY \"index\"",
    )
    first = int(steps[0]) if len(steps) else 0
    details = [
        {
            "step": int(s),
            "requested": 0,
            "negotiations": [],
            "contracts": [],
            "breaches": [],
            "states": [],
            "more": {"negotiations": 0, "contracts": 0, "breaches": 0, "states": 0},
            "counts": {},
            "types": {},
        }
        for s in steps
    ]
    for step, etype, n in by_type:
        if 0 <= step - first < len(details):
            details[step - first]["types"][str(etype)] = int(n)
    _state_changes(reader, details, first)
    # A contract_breached event names no partners (only perpetrators and victims):
    # the step player shows the partners its contract was signed with.
    partners: dict[Any, list[Any]] = {}
    for step, etype, neg, contract, content in rows:
        payload = json.loads(content)
        if contract is not None and payload.get("partners"):
            partners.setdefault(contract, payload["partners"])
        if not 0 <= step - first < len(details):
            continue
        d = details[step - first]
        if etype == "negotiation_requested":
            d["requested"] += 1
            continue
        if etype == "negotiation_ended":
            kind, item = "negotiations", [neg, payload.get("result"), parties.get(neg, [])]
        elif etype == "contract_breached":
            for breach in payload.get("breaches") or []:
                _add(
                    d,
                    "breaches",
                    [
                        contract,
                        breach.get("perpetrator"),
                        breach.get("type"),
                        breach.get("victims") or [],
                    ],
                )
            kind, item = "contracts", [contract, "breached", partners.get(contract, [])]
        else:
            kind = "contracts"
            item = [contract, etype.removeprefix("contract_"), payload.get("partners") or []]
        _add(d, kind, item)
    return details


def _add(detail: dict[str, Any], kind: str, item: list[Any]) -> None:
    if kind != "breaches":
        label = f"{kind} {item[1]}"
        detail["counts"][label] = detail["counts"].get(label, 0) + 1
    if len(detail[kind]) < STEP_LIST_LIMIT:
        detail[kind].append(item)
    else:
        detail["more"][kind] += 1


_WORLD_COUNTS = {
    "n_negotiations_requested": "requested",
    "n_negotiations_started": "started",
    "n_negotiations_succeeded": "agreed",
    "n_negotiations_failed": "failed",
}
"""A Palaver world's per-step stats for the negotiation series."""


def _negotiations_from_stats(reader: Any, steps: np.ndarray) -> dict[str, np.ndarray] | None:
    """The negotiation series from a world's own per-step counters, when its
    stats hold them: they exist at every detail level (a ``detail="contracts"``
    recording has no negotiation events) and count as the world does
    (renegotiations of a contract are not negotiations, see docs/world.md)."""
    names = ", ".join(f"'{name}'" for name in _WORLD_COUNTS)
    rows = _scalar(reader, f"SELECT step, name, value FROM stats WHERE name IN ({names})")
    if {name for _, name, _ in rows} != set(_WORLD_COUNTS):
        return None
    return _series(
        [(int(step), _WORLD_COUNTS[name], int(value)) for step, name, value in rows],
        steps,
        NEGOTIATION_SERIES,
    )


def _agents_at_start(reader: Any) -> list[str]:
    """The agents a world listed in its ``simulation_start`` event (none for a
    model that does not list them)."""
    rows = _scalar(
        reader, "SELECT content FROM events WHERE event_type = 'simulation_start' LIMIT 1"
    )
    if not rows:
        return []
    agents = json.loads(rows[0][0]).get("agents")
    return [str(a) for a in agents] if isinstance(agents, list) else []


def summarize_world(reader: Any) -> WorldSummary:
    """Everything the world plots and the report's step view need, from a reader
    (``palaver.recording.open``) or the path of a recording, opened here."""
    if isinstance(reader, str | os.PathLike):
        from palaver.recording import open as open_recording

        reader = open_recording(reader)
    elif not callable(getattr(reader, "sql", None)):
        raise TypeError(
            "reader must be a recording reader (palaver.recording.open(path)) or a "
            f"recording's path, got {reader!r} ({type(reader).__name__})"
        )
    last = _scalar(reader, "SELECT min(step), max(step) FROM events")[0]
    lo, hi = (int(last[0]), int(last[1])) if last[0] is not None else (0, -1)
    steps = np.arange(max(lo, 0), hi + 1)
    by_type_rows = _scalar(reader, "SELECT step, event_type, count(*) FROM events GROUP BY ALL")
    totals: Counter[str] = Counter()
    for _, t, n in by_type_rows:
        totals[t] += n
    events_by_type = _series(by_type_rows, steps, tuple(t for t, _ in totals.most_common()))
    kinds = {
        "negotiation_requested": "requested",
        "negotiation_started": "started",
        "contract_signed": "signed",
        "contract_executed": "executed",
        "contract_breached": "breached",
        "contract_cancelled": "cancelled",
        "contract_nullified": "nullified",
        "contract_erred": "erred",
        "contract_unexecuted": "unexecuted",
    }
    renamed = [(s, kinds[t], n) for s, t, n in by_type_rows if t in kinds]
    ended = _scalar(
        reader,
        "SELECT step, CASE WHEN json_extract_string(content, '$.result') = 'agreement' "
        "THEN 'agreed' ELSE 'failed' END, count(*) FROM events "
        "WHERE event_type = 'negotiation_ended' GROUP BY ALL",
    )
    negotiations = _negotiations_from_stats(reader, steps) or _series(
        renamed + ended, steps, NEGOTIATION_SERIES
    )
    contracts = _series(renamed, steps, CONTRACT_SERIES)

    parties: dict[str, list[str]] = {}
    for neg, content in _scalar(
        reader,
        "SELECT negotiation_id, content FROM events WHERE event_type = 'negotiation_started'",
    ):
        payload = json.loads(content)
        parties[neg] = [str(a) for a in (payload.get("agents") or payload.get("negotiators") or [])]

    edges: Counter[tuple[str, str]] = Counter()
    signed_by: Counter[str] = Counter()
    for (content,) in _scalar(
        reader, "SELECT content FROM events WHERE event_type = 'contract_signed'"
    ):
        partners = sorted(str(p) for p in json.loads(content).get("partners") or [])
        for p in partners:
            signed_by[p] += 1
        for i, a in enumerate(partners):
            for b in partners[i + 1 :]:
                edges[(a, b)] += 1
    breaches: Counter[str] = Counter()
    for (content,) in _scalar(
        reader, "SELECT content FROM events WHERE event_type = 'contract_breached'"
    ):
        for breach in json.loads(content).get("breaches") or []:
            breaches[str(breach.get("perpetrator"))] += 1

    activity = _scalar(
        reader,
        "SELECT agent_id, count(*) AS events, "
        "count(*) FILTER (WHERE event_type = 'negotiation_requested') AS requested, "
        "count(*) FILTER (WHERE event_type = 'offer') AS offers "
        "FROM events WHERE agent_id IS NOT NULL GROUP BY agent_id ORDER BY events DESC, agent_id",
    )
    # The agents the world listed at the start with no event of their own at
    # this detail level count too, with no events.
    seen = {str(a) for a, *_ in activity}
    quiet = [(a, 0, 0, 0) for a in dict.fromkeys(_agents_at_start(reader)) if a not in seen]
    agents = [
        {
            "agent": str(a),
            "events": int(n),
            "requested": int(r),
            "offers": int(o),
            "contracts signed": signed_by.get(str(a), 0),
            "breaches": breaches.get(str(a), 0),
        }
        for a, n, r, o in [*activity, *quiet]
    ]
    names = [str(row["agent"]) for row in agents]
    values = _agent_values_from_stats(reader, names, steps) if len(steps) else None
    if values is None and len(steps):
        values = _agent_values_from_state(reader, names, steps)
    busiest = _scalar(
        reader,
        "SELECT negotiation_id FROM events WHERE event_type = 'offer' AND negotiation_id IN "
        "(SELECT negotiation_id FROM events WHERE event_type = 'negotiation_ended' "
        "AND json_extract_string(content, '$.result') = 'agreement') "
        "GROUP BY negotiation_id ORDER BY count(*) DESC, negotiation_id LIMIT 1",
    )
    return WorldSummary(
        steps=steps,
        negotiations=negotiations,
        contracts=contracts,
        events_by_type=events_by_type,
        agent_values=values,
        breaches_by_agent=dict(breaches.most_common()),
        edges=dict(edges),
        agents=agents,
        step_details=_step_details(reader, steps, parties, by_type_rows),
        busiest_negotiation=str(busiest[0][0]) if busiest else None,
        event_totals=dict(totals.most_common()),
    )
