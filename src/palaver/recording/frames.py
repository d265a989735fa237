"""The modeller's tables: each agent's state per step, the model's values per step.

A recording holds each agent's observable state when recording started
(``initial_state.json``) and a ``state_change`` event per agent and step where
it changed. :func:`state_table` replays them into the table a Mesa
``DataCollector`` gives: one row per step and agent, each field forward-filled
from the agent's last change (or its initial value). An agent has rows from
its first state until it is removed.

The ``step`` of a row, in this table and in the model's values, is the step at
which the values were observed, the step the events of that moment carry. So
both tables, and the recorded events, can be joined on ``step``:

- on a Mesa model, ``model.steps`` (as the ``DataCollector``'s ``Step``): the
  first row is the state when recording started (``0`` for a recorder built in
  the model's ``__init__``), row ``s`` the state after the model's ``s``-th step;
- on a Palaver world, the world step at whose end the values were observed:
  row ``s`` holds the state at the end of step ``s``, when the world computes
  the ``stats`` of step ``s``. The state when recording started is what the
  first row is forward-filled from, not a row of its own (it precedes the
  step recording started in), and a step that has not ended has no row.

Positions (``pos``, ``cell``) are given back as tuples, as Mesa keeps them
(JSON stores them as lists). Agent ids keep their type.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from palaver._util.optional import frame_library
from palaver.recording.errors import CorruptRecordingError
from palaver.recording.event import decode, encode
from palaver.recording.integrity import FileRecord, check_regular

INITIAL_STATES = "initial_state.json"
SEALED_KEY = "initial_state_sealed"
"""The manifest key saying that the recording's ``initial_state.json`` carries its
own checksum (see :func:`seal_initial`): one without it is damaged."""
_SEAL = re.compile(r',"checksum":"sha256:([0-9a-f]{64})"\}\s*$')
_POSITIONS = frozenset({"pos", "cell"})
_LAYOUTS = ("wide", "long")
_LIBRARIES = ("pandas", "polars")


def seal_initial(body: str) -> str:
    """``initial_state.json``'s text: ``body`` (a JSON object) with a last key,
    ``checksum``, the SHA-256 of ``body``'s UTF-8 bytes.

    The manifest lists the file with its SHA-256 too, but a recording never
    closed may hold a newer file than its last manifest lists (the file is
    rewritten when the run starts, the manifest when a part or log is made):
    the file's own checksum tells such a rewrite from damage.
    """
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    return f'{body[:-1]},"checksum":"sha256:{digest}"}}'


def _unsealed(text: str, path: Path, sealed: bool) -> None:
    """Check the checksum :func:`seal_initial` put in ``text`` (read from ``path``);
    ``sealed``: the manifest says the file has one."""
    found = _SEAL.search(text)
    if found is None:
        if sealed:
            raise CorruptRecordingError(
                f"{path} is damaged: it has no checksum, which its recorder wrote"
            )
        return  # written before files carried their checksum
    body = text[: found.start()] + "}"
    if hashlib.sha256(body.encode("utf-8")).hexdigest() != found.group(1):
        raise CorruptRecordingError(f"{path} does not match its checksum (it was modified)")


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

    def last_row(self, steps: int) -> int:
        """The last row of a recording made over ``steps`` completed steps: the
        step counter itself on a Mesa model (its value after those steps), the
        last step that ended (``steps - 1``) on a world."""
        return steps if self.kind == "mesa" else steps - 1

    @classmethod
    def read(
        cls, folder: Path, record: FileRecord | None = None, sealed: bool = False
    ) -> InitialStates | None:
        """The initial states saved in a recording folder (``None`` if absent).

        ``record`` is the file's entry in the manifest; ``sealed`` says that the
        file carries its own checksum (see :func:`seal_initial`). A file that
        differs from either, is not a regular file or does not decode raises
        :class:`CorruptRecordingError` naming it (never silently wrong frames).
        """
        path = folder / INITIAL_STATES
        if record is not None:
            problem = record.problem(folder)
            if problem is not None:
                raise CorruptRecordingError(f"{path}: {problem}")
        elif not path.exists() and not path.is_symlink():
            return None
        check_regular(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CorruptRecordingError(f"{path} is damaged ({exc})") from None
        _unsealed(text, path, sealed)
        return cls.decode(text, path)

    @classmethod
    def decode(cls, text: str, source: Path | str) -> InitialStates:
        """The initial states from ``initial_state.json``'s text (kept in a
        file named ``source``, which a :class:`CorruptRecordingError` names)."""
        try:
            data = decode(text)
            agents = [(a, dict(s)) for a, s in data.get("agents", [])]
            return cls(
                int(data.get("step", 0)), str(data.get("kind", "mesa")), agents, data.get("model")
            )
        except (ValueError, TypeError, AttributeError, RecursionError) as exc:
            raise CorruptRecordingError(f"{source} is damaged ({exc})") from None


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
    """Agents in order, their initial states, their changes by row (a change's
    row is its event's step), and the first row."""
    first = 0 if initial is None else initial.step
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
        row = event.step
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
    steps: int,
    model: bool = False,
) -> tuple[list[str], dict[str, list[Any]]]:
    """The forward-filled wide table as columns: ``step``, ``agent_id`` (unless
    ``model``) and one column per field (in first-seen order; a field named
    ``step`` or ``agent_id`` is the column ``state_step`` / ``state_agent_id``),
    over a recording of ``steps`` completed steps (see the module doc for the
    rows)."""
    order, start, timeline, first = _timelines(initial, changes, model)
    last_row = steps if initial is None else initial.last_row(steps)
    fields: dict[str, None] = {}
    for state in start.values():
        fields.update(dict.fromkeys(state))
    for rows in timeline.values():
        for change in rows.values():
            if change is not None:
                fields.update(dict.fromkeys(change))
        last_row = max([last_row, *rows])
    names = list(fields)
    step_column: list[Any] = []
    ids: list[Any] | None = None if model else []
    columns: dict[str, list[Any]] = {"step": step_column}
    if ids is not None:
        columns["agent_id"] = ids
    values: dict[str, list[Any]] = {}
    for name in names:
        # A field named like a key column (a private state holding its own
        # "step", an agent's "agent_id" attribute) would overwrite that column.
        column = f"state_{name}" if name in columns else name
        values[name] = columns[column] = []
    current: dict[Any, dict[str, Any] | None] = {a: start.get(a) for a in order}
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
            step_column.append(row)
            if ids is not None:
                ids.append(agent_id)
            for name in names:
                values[name].append(restored(name, now.get(name)))
    return names, columns


def _one_type(values: list[Any]) -> list[Any]:
    """A wide polars column: a polars column has one type, and polars would turn
    a field holding values of several types (``2`` then ``"x"``) into their
    ``str()``, the number ``2`` then reading as the text ``"2"``. Such a
    column holds each value's JSON text instead (``2``, ``"x"``), as the long
    layout does; numbers of both kinds (ints and floats) stay numbers."""
    kinds = {type(v) for v in values if v is not None}
    if len(kinds) < 2 or kinds <= {int, float}:
        return values
    return [None if v is None else encode(v) for v in values]


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
        polars = frame_library(
            "polars", "library='polars'", "library='pandas' gives the same table with pandas"
        )
        try:
            return polars.DataFrame({k: _one_type(v) for k, v in columns.items()}, strict=False)
        except UnicodeEncodeError:  # rare: checked only then (see _not_unicode)
            return polars.DataFrame(
                [
                    polars.Series(k, v, dtype=polars.Object)
                    if _not_unicode(v)
                    else polars.Series(k, _one_type(v), strict=False)
                    for k, v in columns.items()
                ]
            )
    pandas = frame_library(
        "pandas",
        "a pandas frame (library='pandas')",
        "library='polars' gives the same table with polars; reader.sql() needs neither",
    )
    plain = {k: _nullable_ints(pandas, v) if k not in index else v for k, v in columns.items()}
    try:
        frame = pandas.DataFrame(plain)
    except UnicodeEncodeError:
        frame = pandas.DataFrame(
            {
                k: pandas.Series(v, dtype=object) if _not_unicode(v) else plain[k]
                for k, v in columns.items()
            }
        )
    return frame.set_index(index) if layout == "wide" else frame


def _not_unicode(values: list[Any]) -> bool:
    """Whether a column holds text that is not valid Unicode (a lone surrogate,
    kept as recorded): pandas' and polars' string columns are UTF-8 and refuse
    it, so such a column is made of Python objects (``object``, ``Object``)."""
    for value in values:
        if type(value) is str and not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return True
    return False


_INT64 = range(-(2**63), 2**63)


def _nullable_ints(pandas: Any, values: list[Any]) -> Any:
    """``values`` as pandas' nullable ``Int64`` when they are integers with
    gaps (an agent's field before it first appears): a list pandas would
    otherwise turn into floats (``1`` into ``1.0``, a gap into NaN). Other
    lists are left to pandas (integers without gaps stay ``int64``, a field
    that is always ``None`` stays ``None``)."""
    gaps = ints = False
    for value in values:
        if value is None:
            gaps = True
        elif type(value) is not int or value not in _INT64:
            return values
        else:
            ints = True
    return pandas.array(values, dtype="Int64") if gaps and ints else values


def check_options(layout: str, library: str) -> None:
    """Refuse an unknown ``layout`` or ``library`` (naming the allowed ones)."""
    _check(layout, library)


def event_table(events: Iterable[Any]) -> dict[str, list[Any]]:
    """One row per step of model events (the last one of a step wins), one
    column per content key: ``step`` and the keys in first-seen order.

    A content key ``step`` (``record_model_event("step_end", {"step": n})``)
    is the row's own step when it equals the event's step in every row, and
    is then the ``step`` column itself; otherwise (a model's own clock) it is
    kept as the column ``content_step``, never written over the events' steps."""
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
        values = [by_step[s].get(key) for s in steps]
        if key == "step":
            if values == steps:
                continue
            key = "content_step"
        columns[key] = values
    return columns
