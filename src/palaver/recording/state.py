"""Observable agent state and its changes between steps.

The *observable state* of an agent is, in this order of precedence:

1. whatever ``agent.observable_state()`` returns, if the agent defines it
   (the value of ``agent.observable_state`` if that is a property);
2. for a Palaver world, ``world.get_private_state(agent)`` (what the world
   itself shows the agent about its own state; a mapping, else a ``TypeError``);
3. otherwise the agent's public instance attributes (``vars(agent)``, names
   not starting with ``_``) that hold plain data: ``None``, bool, int, float,
   str, and lists, tuples, sets and dicts of those (numpy values count as
   their plain form, an enum member as its value, as in Mesa's own examples'
   ``State.INFECTED``). ``model`` and ``unique_id`` are left out, and so are
   attributes holding other objects (the model, other agents): they are
   references, not state. A Mesa agent's position is state: ``pos`` (old-style
   spaces, a tuple or a numpy array) and, for an agent in a discrete cell
   space, ``cell``, the coordinate of its cell.

Comparing states is the recorder's per-step cost, so it is cheap: scalar
fields (None, bool, int, float, str: immutable) are kept as they are and
compared by identity, then by type and value; other fields are kept as their
JSON text (a copy) and compared as text. JSON text is built only for the
fields that changed. An agent read from its attributes whose kept values cannot
change in place (scalars, tuples of scalars, its Mesa cell) is first compared
with a shallow copy of its attributes from the last read, as one C-level dict
comparison: unchanged, it is not read again (a third of the cost per agent).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from enum import Enum
from typing import Any

from palaver.recording.event import decode, encode

_SCALARS = (type(None), bool, int, float, str)
_SCALAR_TYPES = frozenset(_SCALARS)
_SKIPPED = frozenset({"model", "unique_id"})
#: A Mesa model's attributes that are Mesa's (its step counter, its run flag,
#: the run length mesa-llm reads), not values of the model.
_MESA_OWNED = frozenset({"steps", "running", "max_steps"})
_MISSING = object()
Snapshot = dict[Any, dict[str, Any]]
"""Per agent id, field -> kept value (a scalar, or a container's JSON text in a
:class:`_Text`)."""


class _Text(str):
    """A container field's JSON text (told apart from a str field's value)."""

    __slots__ = ()


def _is_plain(value: Any, depth: int = 0) -> bool:
    if isinstance(value, _SCALARS):
        return True
    if depth > 8:
        return False
    # Loops that call only for items that are not exactly scalars: a list of
    # a hundred ids (a model's attribute, read every step) is then one pass.
    scalars = _SCALAR_TYPES
    if isinstance(value, list | tuple | set | frozenset):
        for item in value:
            if type(item) not in scalars and not _is_plain(item, depth + 1):
                return False
        return True
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, _SCALARS):
                return False
            if type(item) not in scalars and not _is_plain(item, depth + 1):
                return False
        return True
    if isinstance(value, Enum):
        # A value, not a reference (a model's State.INFECTED): kept as its value.
        return type(value.value) in scalars
    return type(value).__module__ == "numpy" and callable(getattr(value, "tolist", None))


def _position(agent: Any, fields: dict[str, Any]) -> None:
    # Mesa's positions: ``pos`` (a tuple, or a numpy array in a continuous
    # space) and a discrete-space agent's cell, kept by Mesa in ``_mesa_cell``.
    pos = fields.get("pos", _MISSING)
    if pos is not _MISSING and pos is not None and not isinstance(pos, _SCALARS):
        tolist = getattr(pos, "tolist", None)
        if callable(tolist):
            fields["pos"] = tolist()
    cell = getattr(agent, "_mesa_cell", None)
    coordinate = getattr(cell, "coordinate", None)
    if coordinate is not None:
        fields["cell"] = coordinate


def observable_state(agent: Any, model: Any = None) -> dict[str, Any]:
    """The observable state of ``agent`` as a dict of field -> value (see module doc)."""
    # Methods are looked up on the type: a test double's (a Mock's) invented
    # attributes are not methods the model defined.
    if getattr(type(agent), "observable_state", None) is not None:
        # A method, or a property: either is the agent's own say (a property
        # must not be passed over for the attributes).
        state = agent.observable_state
        if callable(state):
            state = state()
        if not isinstance(state, Mapping):
            raise TypeError(
                f"{type(agent).__name__}.observable_state() must return a mapping of "
                f"field -> value, got {type(state).__name__}"
            )
        return dict(state)
    if model is not None and callable(getattr(type(model), "get_private_state", None)):
        try:
            state = model.get_private_state(agent)
        except NotImplementedError:
            state = _MISSING  # the world shows no private state: the attributes are read
        if isinstance(state, Mapping):
            return dict(state)
        if state is not _MISSING:
            # Reading the attributes instead would record states the world never
            # showed (a Palaver agent's are mostly private: an empty state).
            raise TypeError(
                f"{type(model).__name__}.get_private_state() must return a mapping of "
                f"field -> value, got {type(state).__name__} {state!r:.80}"
            )
    try:
        attributes = vars(agent)
    except TypeError:  # __slots__ objects without a __dict__
        return {}
    fields = {
        k: v
        for k, v in attributes.items()
        if (type(v) in _SCALAR_TYPES or _is_plain(v))
        and not k.startswith("_")
        and k not in _SKIPPED
    }
    _position(agent, fields)
    return fields


def iter_agents(model: Any) -> Iterator[tuple[Any, Any]]:
    """``(agent_id, agent)`` for a Palaver world (dict of agents) or a Mesa model
    (an AgentSet of agents with ``unique_id``); nothing when there are no agents
    (or ``agents`` is not a collection, as on a test double)."""
    agents = getattr(model, "agents", None)
    if agents is None:
        return
    if isinstance(agents, Mapping):
        yield from agents.items()
        return
    try:
        iterator = iter(agents)
    except TypeError:
        return
    for agent in iterator:
        agent_id = getattr(agent, "unique_id", _MISSING)
        if agent_id is _MISSING:  # read only then: a default argument would be read for each agent
            agent_id = getattr(agent, "id", None)
        yield agent_id, agent


def _kept(value: Any) -> Any:
    """What the tracker keeps of a field's value (see :data:`Snapshot`)."""
    if type(value) in _SCALAR_TYPES:
        return value
    return _Text(encode(value))


def _text(kept: Any) -> str:
    return kept if type(kept) is _Text else encode(kept)


def _same(old: Any, new: Any) -> bool:
    if old is new:
        return True
    if type(old) is not type(new):
        return False
    if old == new:
        return True
    return type(new) is float and new != new and old != old  # NaN stays NaN


def _immutable(attributes: dict[str, Any], name: str) -> bool:
    """Whether the container field ``name`` of an agent read from ``attributes``
    cannot change without its attributes changing: a tuple of scalars, or the
    ``cell`` coordinate of the Mesa cell the agent is in (moving changes the cell)."""
    if name == "cell" and attributes.get("_mesa_cell") is not None:
        return True
    value = attributes.get(name)
    if isinstance(value, Enum):
        return True  # a member's value is a scalar (see _is_plain)
    return type(value) is tuple and all(type(item) in _SCALAR_TYPES for item in value)


def plain_state(kept: dict[str, Any]) -> dict[str, Any]:
    """A snapshot entry back as field -> plain value (containers decoded)."""
    return {k: decode(v) if type(v) is _Text else v for k, v in kept.items()}


class StateTracker:
    """Remembers each agent's observable state and reports what changed.

    ``include_model`` also tracks the model's own public plain attributes
    (except its step counter) under the agent id ``None``: the model-level
    values of a Mesa model.

    This runs once per step for every agent, so the usual case is made cheap:
    an agent read from its attributes is read in one pass over its
    ``__dict__`` (names ruled out by their name alone are remembered), and an
    agent whose kept state equals the previous one as a dict (one C-level
    comparison) is not looked at field by field. A value replaced by an equal
    value of another type (``1`` by ``1.0``) therefore counts as unchanged.
    """

    def __init__(
        self,
        model: Any,
        include_model: bool = False,
        previous: Snapshot | None = None,
        value_limit: int | None = None,
    ) -> None:
        self.model = model
        self.include_model = include_model
        #: The longest JSON text of a field's value that is compared and
        #: recorded (``None``: no limit); see :meth:`changes`.
        self.value_limit = value_limit
        #: Per agent id, the fields no longer tracked because a value of theirs
        #: was longer than ``value_limit``.
        self.untracked: dict[Any, set[str]] = {}
        #: ``(agent_id, field, length)`` for each field :meth:`changes` stopped
        #: tracking since the recorder last took them (it records a
        #: ``warning`` event for each).
        self.oversized: list[tuple[Any, str, int]] = []
        self._skip: set[str] = set(_SKIPPED)
        self._custom: dict[type, bool] = {}
        self._private = model is not None and callable(
            getattr(type(model), "get_private_state", None)
        )
        #: ``(agent_id, exception)`` for each agent whose state could not be
        #: read since the recorder last took them (it records them as
        #: ``exception`` events).
        self.errors: list[tuple[Any, Exception]] = []
        #: The model's attributes that are Mesa's, not the model's own values:
        #: ``time`` only when the step is read from it (a Mesa release without
        #: ``steps``); otherwise it is the model's own clock, tracked as any value.
        self._mesa_owned = _MESA_OWNED if hasattr(model, "steps") else _MESA_OWNED | {"time"}
        #: Per agent read from its attributes whose kept values cannot change
        #: in place: a shallow copy of its ``__dict__`` when it was read (see
        #: :meth:`_remember` and :meth:`_states`).
        self._raw: dict[Any, dict[str, Any]] = {}
        #: What an agent whose state cannot be read keeps (``previous``: an
        #: earlier tracker's last states), then the states as last compared.
        self.previous: Snapshot = previous or {}
        self.previous = self.snapshot()

    def _kept_state(self, agent: Any, untracked: set[str] | None = None) -> dict[str, Any]:
        """The agent's observable state, as kept for comparison (see :data:`Snapshot`),
        without the ``untracked`` fields."""
        kind = type(agent)
        custom = self._custom.get(kind)
        if custom is None:
            custom = self._custom[kind] = getattr(kind, "observable_state", None) is not None
        if custom or self._private:
            state = observable_state(agent, self.model)
            if untracked:
                state = {k: v for k, v in state.items() if k not in untracked}
            return {str(k): _kept(v) for k, v in state.items()}
        try:
            attributes = agent.__dict__
        except AttributeError:  # __slots__ objects without a __dict__
            return {}
        # An untracked field is not even encoded: its value grew past the limit.
        skip = self._skip if not untracked else self._skip | untracked
        scalars = _SCALAR_TYPES
        kept: dict[str, Any] = {}
        for name, value in attributes.items():
            if name in skip:
                continue
            if name[0] == "_":
                skip.add(name)
            elif type(value) in scalars:
                kept[name] = value
            elif _is_plain(value):
                kept[name] = _Text(encode(value))
        cell = attributes.get("_mesa_cell")
        if cell is not None:
            coordinate = getattr(cell, "coordinate", None)
            if coordinate is not None:
                kept["cell"] = _Text(encode(coordinate))
        return kept

    def _read(self) -> tuple[Snapshot, list[Any]]:
        """Every agent's kept state now, and the ids of the agents read afresh
        (the model's ``None`` included): the others' attributes are those of
        their last read, so their state is the last one, the same object."""
        model = self.model
        current: Snapshot = {}
        fresh: list[Any] = []
        untracked = self.untracked
        if self.include_model:
            dropped = untracked.get(None, ())
            own = {str(k): _kept(v) for k, v in observable_state(model).items() if k not in dropped}
            for name in self._mesa_owned:
                own.pop(name, None)
            current[None] = own
            fresh.append(None)
        kept_state = self._kept_state
        previous = self.previous
        raw = self._raw
        for agent_id, agent in iter_agents(model):
            before = raw.get(agent_id)
            if before is not None:
                # The usual case, one C-level comparison of the agent's
                # attributes with its last read, values by identity first (see
                # _remember); a comparison that raises (a numpy array) or any
                # difference sends the agent through the field-by-field read.
                try:
                    unchanged = agent.__dict__ == before
                except Exception:
                    unchanged = False
                if unchanged:
                    current[agent_id] = previous[agent_id]
                    continue
            fresh.append(agent_id)
            try:
                state = kept_state(agent, untracked.get(agent_id) if untracked else None)
            except Exception as exc:
                # A user's observable_state() (or get_private_state) that fails or
                # returns no mapping: reported (see errors), the state kept as it was.
                self.errors.append((agent_id, exc))
                state = previous.get(agent_id, {})
                raw.pop(agent_id, None)
            else:
                self._remember(agent_id, agent, state)
            current[agent_id] = state
        return current, fresh

    def _remember(self, agent_id: Any, agent: Any, kept: dict[str, Any]) -> None:
        # Only an agent read from its attributes whose kept values cannot
        # change in place (scalars, tuples of scalars, its Mesa cell's
        # coordinate): a list could, unseen by comparing it with itself.
        raw = self._raw
        attributes = getattr(agent, "__dict__", None)
        if (
            attributes is None
            or self._custom.get(type(agent))
            or self._private
            or not all(_immutable(attributes, name) for name, v in kept.items() if type(v) is _Text)
        ):
            raw.pop(agent_id, None)
        else:
            raw[agent_id] = dict(attributes)

    def snapshot(self) -> Snapshot:
        """Every agent's observable state, as kept for comparison."""
        return self._read()[0]

    def changes(self) -> list[tuple[Any, str]]:
        """``(agent_id, content_json)`` per agent whose observable state changed since
        the last call. The content is ``{"changes": {field: {"old": ..., "new": ...}}}``;
        a new agent has ``"old": null`` for every field, a removed one is reported
        as ``{"changes": {}, "removed": true}``.

        A field whose new value's JSON text is longer than ``value_limit`` is no
        longer tracked for that agent: it is reported as gone (``"new": null``)
        and listed in :attr:`oversized`. A value stored whole at every change
        (a list that grows each step) would make the recording grow with the
        square of the run's length.
        """
        previous = self.previous
        current, fresh = self._read()
        out: list[tuple[Any, str]] = []
        limit = self.value_limit
        # Only the agents read afresh can have changed.
        for agent_id in dict.fromkeys(fresh):
            kept = current[agent_id]
            before = previous.get(agent_id)
            if kept == before:
                continue
            parts: list[str] | None = None
            for name, new in list(kept.items()):
                old = _MISSING if before is None else before.get(name, _MISSING)
                if old is new or (old is not _MISSING and _same(old, new)):
                    continue
                if parts is None:
                    parts = []
                new_text = _text(new)
                if limit is not None and len(new_text) > limit:
                    self._untrack(agent_id, kept, name, len(new_text))
                    if old is _MISSING:
                        continue
                    new_text = "null"
                old_text = "null" if old is _MISSING else _text(old)
                parts.append(f'{encode(str(name))}:{{"old":{old_text},"new":{new_text}}}')
            if before is not None and before.keys() - kept.keys():
                parts = parts or []
                done = self.untracked.get(agent_id, ())
                parts.extend(
                    f'{encode(name)}:{{"old":{_text(before[name])},"new":null}}'
                    for name in before
                    if name not in kept and name not in done
                )
            if parts:
                out.append((agent_id, '{"changes":{' + ",".join(parts) + "}}"))
        gone = (
            [] if previous.keys() <= current.keys() else [a for a in previous if a not in current]
        )
        out.extend((agent_id, '{"changes":{},"removed":true}') for agent_id in gone)
        for agent_id in gone:
            self._raw.pop(agent_id, None)
        self.previous = current
        return out

    def _untrack(self, agent_id: Any, kept: dict[str, Any], name: str, length: int) -> None:
        """Stop tracking ``name`` for ``agent_id`` (see :meth:`changes`)."""
        del kept[name]
        self.untracked.setdefault(agent_id, set()).add(name)
        self.oversized.append((agent_id, name, length))
        self._raw.pop(agent_id, None)
