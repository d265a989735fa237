"""The modeller's tables: each agent's state per step, the model's values per step.

A recording holds each agent's observable state when recording started
(``initial_state.json``) and a ``state_change`` event per agent and step where
it changed. :func:`agent_states` replays them into the table a Mesa
``DataCollector`` gives: one row per step and agent, each field forward-filled
from the agent's last change (or its initial value). Rows are *states after a
number of completed steps*: the row of step ``s`` holds the state after ``s``
steps (a Mesa model's ``model.steps`` then; for a Palaver world, whose steps
count from 0, the state at the end of step ``s - 1``), and the first row holds
the state when recording started. An agent has rows from its first state until
it is removed.

Positions (``pos``, ``cell``) are given back as tuples, as Mesa keeps them
(JSON stores them as lists). Agent ids keep their type.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from palaver.recording.event import decode, encode

INITIAL_STATES = "initial_state.json"
_POSITIONS = frozenset({"pos", "cell"})
_LAYOUTS = ("wide", "long")
_LIBRARIES = ("pandas", "polars")


class InitialStates:
    """What recording started from: the step, the model's kind, and the initial
    state of each agent (in the model's order) and of the model itself."""

    def __init__(
        self,
        step: int,
        kind: str,
        agents: list[tuple[Any, dict[str, Any]]],
        model: dict[str, Any] | None,
    ) -> None:
        self.step = step
        self.kind = kind
        self.agents = agents
        self.model = model

    @property
    def offset(self) -> int:
        """Added to a ``state_change`` event's step to give its row: 1 for a
        world (its changes are recorded at the end of step ``s``, the state
        after ``s + 1`` steps), 0 for a Mesa model (recorded with ``steps``
        already counting the step)."""
        return 0 if self.kind == "mesa" else 1

    @classmethod
    def read(cls, folder: Path) -> InitialStates | None:
        """The initial states saved in a recording folder (``None`` if absent)."""
        path = folder / INITIAL_STATES
        if not path.is_file():
            return None
        data = decode(path.read_text(encoding="utf-8"))
        agents = [(a, dict(s)) for a, s in data.get("agents", [])]
        return cls(
            int(data.get("step", 0)), str(data.get("kind", "mesa")), agents, data.get("model")
        )


def _check(layout: str, library: str) -> None:
    if layout not in _LAYOUTS:
        raise ValueError(f"layout must be one of {_LAYOUTS}, not {layout!r}")
    if library not in _LIBRARIES:
        raise ValueError(f"library must be one of {_LIBRARIES}, not {library!r}")


def restored(name: str, value: Any) -> Any:
    """A field's value as the model holds it: positions (``pos``, ``cell``) as tuples."""
    if name in _POSITIONS and isinstance(value, list):
        return tuple(value)
    return value


def _timelines(
    initial: InitialStates | None, changes: Iterable[Any], model: bool
) -> tuple[list[Any], dict[Any, dict[str, Any]], dict[Any, dict[int, Any]], int]:
    """Agents in order, their initial states, their changes by row, and the first row."""
    first = 0 if initial is None else initial.step
    offset = 1 if initial is None else initial.offset
    order: list[Any] = []
    start: dict[Any, dict[str, Any]] = {}
    if initial is not None:
        if model:
            if initial.model is not None:
                order.append(None)
                start[None] = dict(initial.model)
        else:
            for agent_id, state in initial.agents:
                order.append(agent_id)
                start[agent_id] = dict(state)
    timeline: dict[Any, dict[int, Any]] = {}
    for event in changes:
        agent_id = event.agent_id
        if (agent_id is None) != model:
            continue
        if agent_id not in start and agent_id not in timeline:
            order.append(agent_id)
        row = event.step + offset
        content = event.content
        if content.get("removed"):
            timeline.setdefault(agent_id, {})[row] = None
            continue
        fields = {k: v["new"] for k, v in content.get("changes", {}).items()}
        timeline.setdefault(agent_id, {}).setdefault(row, {}).update(fields)
    return order, start, timeline, first


def state_table(
    initial: InitialStates | None,
    changes: Iterable[Any],
    last_row: int,
    model: bool = False,
) -> tuple[list[str], dict[str, list[Any]]]:
    """The forward-filled wide table as columns: ``step``, ``agent_id`` (unless
    ``model``) and one column per field (in first-seen order)."""
    order, start, timeline, first = _timelines(initial, changes, model)
    fields: dict[str, None] = {}
    for state in start.values():
        fields.update(dict.fromkeys(state))
    for rows in timeline.values():
        for change in rows.values():
            if change is not None:
                fields.update(dict.fromkeys(change))
        last_row = max([last_row, *rows])
    names = list(fields)
    columns: dict[str, list[Any]] = {"step": []}
    if not model:
        columns["agent_id"] = []
    for name in names:
        columns[name] = []
    current: dict[Any, dict[str, Any] | None] = {a: start.get(a) for a in order}
    steps, ids = columns["step"], columns.get("agent_id")
    for row in range(first, last_row + 1):
        for agent_id in order:
            change = timeline.get(agent_id, {}).get(row, False)
            if change is None:  # removed at this row
                current[agent_id] = None
                continue
            now = current[agent_id]
            if change is not False:
                now = current[agent_id] = {**(now or {}), **change}
            if now is None:
                continue
            steps.append(row)
            if ids is not None:
                ids.append(agent_id)
            for name in names:
                columns[name].append(restored(name, now.get(name)))
    return names, columns


def build_frame(columns: dict[str, list[Any]], index: list[str], layout: str, library: str) -> Any:
    """A pandas (indexed by ``index``) or polars frame of ``columns``; ``long``
    turns the field columns into ``field`` / ``value`` rows."""
    if layout == "long":
        keys = {k: columns[k] for k in index}
        fields = [k for k in columns if k not in keys]
        n = len(columns["step"])
        long: dict[str, list[Any]] = {k: [] for k in [*index, "field", "value"]}
        for i in range(n):
            for name in fields:
                for k in index:
                    long[k].append(keys[k][i])
                long["field"].append(name)
                long["value"].append(columns[name][i])
        if library == "polars":  # a polars column has one type: values as JSON text
            long["value"] = [encode(v) for v in long["value"]]
        columns = long
    if library == "polars":
        polars = importlib.import_module("polars")
        return polars.DataFrame(columns, strict=False)
    pandas = importlib.import_module("pandas")
    frame = pandas.DataFrame(columns)
    return frame.set_index(index) if layout == "wide" else frame


def check_options(layout: str, library: str) -> None:
    """Refuse an unknown ``layout`` or ``library`` (naming the allowed ones)."""
    _check(layout, library)


def event_table(events: Iterable[Any]) -> dict[str, list[Any]]:
    """One row per step of model events (the last one of a step wins), one
    column per content key: ``step`` and the keys in first-seen order."""
    by_step: dict[int, dict[str, Any]] = {}
    for event in events:
        if event.agent_id is None:
            by_step[event.step] = event.content
    keys: dict[str, None] = {}
    for content in by_step.values():
        keys.update(dict.fromkeys(content))
    steps = sorted(by_step)
    columns: dict[str, list[Any]] = {"step": steps}
    for key in keys:
        columns[key] = [by_step[s].get(key) for s in steps]
    return columns
