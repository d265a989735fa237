"""Observable agent state and its changes between steps.

The *observable state* of an agent is, in this order of precedence:

1. whatever ``agent.observable_state()`` returns, if the agent defines it;
2. for a Palaver world, ``world.get_private_state(agent)`` (what the world
   itself shows the agent about its own state);
3. otherwise the agent's public instance attributes (``vars(agent)``, names
   not starting with ``_``) that hold plain data: ``None``, bool, int, float,
   str, and lists, tuples, sets and dicts of those. ``model`` and
   ``unique_id`` are left out, and so are attributes holding other objects
   (the model, cells, other agents): they are references, not state.

Each field is kept as its JSON text, which is both a copy and a cheap way to
compare values of any plain type.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from palaver.recording.event import encode

_SCALARS = (type(None), bool, int, float, str)
_SKIPPED = frozenset({"model", "unique_id"})
Snapshot = dict[Any, dict[str, str]]


def _is_plain(value: Any, depth: int = 0) -> bool:
    if isinstance(value, _SCALARS):
        return True
    if depth > 8:
        return False
    if isinstance(value, list | tuple | set | frozenset):
        return all(_is_plain(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, _SCALARS) and _is_plain(v, depth + 1) for k, v in value.items())
    return False


def observable_state(agent: Any, model: Any = None) -> dict[str, Any]:
    """The observable state of ``agent`` as a dict of field -> value (see module doc)."""
    custom = getattr(agent, "observable_state", None)
    if callable(custom):
        return dict(custom())
    private = getattr(model, "get_private_state", None)
    if callable(private):
        try:
            state = private(agent)
        except NotImplementedError:
            state = None
        if isinstance(state, Mapping):
            return dict(state)
    try:
        fields = vars(agent)
    except TypeError:  # __slots__ objects without a __dict__
        return {}
    return {
        k: v
        for k, v in fields.items()
        if not k.startswith("_") and k not in _SKIPPED and _is_plain(v)
    }


def iter_agents(model: Any) -> Iterator[tuple[Any, Any]]:
    """``(agent_id, agent)`` for a Palaver world (dict of agents) or a Mesa model
    (an AgentSet of agents with ``unique_id``); nothing when there are no agents."""
    agents = getattr(model, "agents", None)
    if agents is None:
        return
    if isinstance(agents, Mapping):
        yield from agents.items()
        return
    for agent in agents:
        yield getattr(agent, "unique_id", getattr(agent, "id", None)), agent


class StateTracker:
    """Remembers each agent's observable state and reports what changed."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.previous: Snapshot = self.snapshot()

    def snapshot(self) -> Snapshot:
        """Every agent's observable state, as field -> JSON text."""
        return {
            agent_id: {str(k): encode(v) for k, v in observable_state(agent, self.model).items()}
            for agent_id, agent in iter_agents(self.model)
        }

    def changes(self) -> list[tuple[Any, str]]:
        """``(agent_id, content_json)`` per agent whose observable state changed since
        the last call. The content is ``{"changes": {field: {"old": ..., "new": ...}}}``;
        a new agent has ``"old": null`` for every field, a removed one is reported
        as ``{"changes": {}, "removed": true}``."""
        current = self.snapshot()
        out: list[tuple[Any, str]] = []
        for agent_id, fields in current.items():
            before = self.previous.get(agent_id)
            parts = []
            for name, text in fields.items():
                old = None if before is None else before.get(name)
                if old != text:
                    parts.append(f'{encode(name)}:{{"old":{old or "null"},"new":{text}}}')
            if before is not None:
                parts.extend(
                    f'{encode(name)}:{{"old":{text},"new":null}}'
                    for name, text in before.items()
                    if name not in fields
                )
            if parts:
                out.append((agent_id, '{"changes":{' + ",".join(parts) + "}}"))
        out.extend(
            (agent_id, '{"changes":{},"removed":true}')
            for agent_id in self.previous
            if agent_id not in current
        )
        self.previous = current
        return out
