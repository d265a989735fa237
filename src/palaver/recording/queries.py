"""The query methods shared by the recorder and the reader."""

from __future__ import annotations

import difflib
from collections import Counter
from typing import TYPE_CHECKING, Any

from palaver._util.checks import check_int
from palaver.events import EventType
from palaver.recording.checks import check_agent_id, check_event_type
from palaver.recording.errors import QueryError
from palaver.recording.frames import (
    INITIAL_STATES,
    SEALED_KEY,
    InitialStates,
    build_frame,
    check_options,
    event_table,
    state_table,
)
from palaver.recording.views import EventView

if TYPE_CHECKING:
    from pathlib import Path

    from palaver.recording.storage import EventStore

_BUILT_IN = frozenset(str(t) for t in EventType)


class EventQueries:
    """``events``, ``get_agent_events``, ``get_events_by_type``,
    ``get_events_by_step`` and ``export_agent_memory`` over an event store.

    Subclasses provide ``_store`` and ``simulation_id``, and may override
    :meth:`_view` (the recorder flushes first and adds its end marker).
    """

    _store: EventStore
    simulation_id: str

    def _view(self, kind: str | None = None, key: Any = None) -> EventView:
        return EventView(self._store, self.simulation_id, self._store.agents, kind, key)

    @property
    def events(self) -> EventView:
        """Every event, in order: indexable, ``len()``-able, iterable (lazy)."""
        return self._view()

    def get_agent_events(self, agent_id: Any) -> EventView:
        """Events of one agent, in order (a lazy view; see :class:`EventView`).
        ``None`` gives the model events (those recorded without an agent)."""
        return self._view("agent", None if agent_id is None else str(check_agent_id(agent_id)))

    def get_events_by_type(self, event_type: str) -> EventView:
        """Events of one type, in order (a lazy view).

        A type the recording holds no event of is an empty view, unless it is
        a near miss of a built-in type or of a type the recording holds
        (``"ofer"``, ``"contract_sined"``): that is a :class:`QueryError`
        naming the closest type, as a misspelt name would otherwise select
        nothing, silently.
        """
        name = check_event_type(event_type)
        view = self._view("type", name)
        if name not in _BUILT_IN and not len(view):
            recorded = sorted(t for t, n in self._counters()[1].items() if n)
            known = sorted({*_BUILT_IN, *recorded})
            # difflib rates a swap of two letters in a short name low ("tikc" and
            # "tick": 0.75): swaps are looked for as well.
            close = [t for t in known if _swapped(name, t)] or difflib.get_close_matches(
                name, known, n=1, cutoff=0.8
            )
            if close:
                raise QueryError(
                    f"event_type={name!r} is no event type of this recording; did you mean "
                    f"{close[0]!r}? Recorded types: {recorded} (a user event type may use "
                    "any other name, not one this close to a known one)"
                )
        return view

    def get_events_by_step(self, step: int) -> EventView:
        """Events of one step, in order (a lazy view)."""
        return self._view("step", check_int("step", step))

    def export_agent_memory(self, agent_id: Any) -> dict[str, Any]:
        """An agent's events (as dicts) and their summary: ``total_events``,
        ``event_types``, ``active_steps``, ``first_event``, ``last_event``."""
        events = list(self.get_agent_events(agent_id))
        return {
            "agent_id": agent_id,
            "events": [e.to_dict() for e in events],
            "summary": {
                "total_events": len(events),
                "event_types": list(dict.fromkeys(e.event_type for e in events)),
                "active_steps": sorted({e.step for e in events}),
                "first_event": events[0].timestamp.isoformat() if events else None,
                "last_event": events[-1].timestamp.isoformat() if events else None,
            },
        }

    # ------------------------------------------------------------------ frames
    def _initial_states(self) -> InitialStates | None:
        """What recording started from (the reader reads it from the folder)."""
        folder: Path | None = getattr(self, "path", None)
        embedded: str | None = getattr(self, "_embedded_initial", None)
        if folder is not None and embedded is not None:  # an exported Parquet file
            return InitialStates.decode(embedded, folder)
        if folder is None or not folder.is_dir():
            return None
        store = getattr(self, "_store", None)
        record = None if store is None else store.files.get(INITIAL_STATES)
        manifest = getattr(self, "manifest", None) or {}
        return InitialStates.read(folder, record, manifest.get(SEALED_KEY) is True)

    def _final_row(self) -> int:
        """The number of steps completed when the recording was last written."""
        manifest = getattr(self, "manifest", {})
        steps = manifest.get("counts", {}).get("steps")
        return int(steps) if isinstance(steps, int) else 0

    def _states_untracked(self) -> bool:
        """Whether the recording was made with ``record_state_changes=False``
        (the recorder's flag, or the reader's manifest; unknown counts as tracked)."""
        flag = getattr(self, "record_state_changes", None)
        if flag is None:
            manifest = getattr(self, "manifest", None) or {}
            flag = (manifest.get("recorder") or {}).get("record_state_changes")
        return flag is False

    def _steps_done(self, initial: InitialStates | None) -> int:
        """The number of steps completed, for the frames' last row.

        A recording never closed (a killed or running recorder) has a manifest
        last written when a part or log was made: the events recorded since say
        how far the run got (a Mesa model's step counter; on a world, the last
        ``step_end``), or the frames would stop at that manifest's step.
        """
        done = self._final_row()
        manifest = getattr(self, "manifest", None)
        if initial is None or manifest is None or manifest.get("status") != "recording":
            return done
        if initial.kind == "mesa":
            highs = [s.step_max for s in self._store.segments() if s.step_max is not None]
            high = max(highs, default=None)
        else:
            ends = self.get_events_by_type("step_end")
            high = ends[len(ends) - 1].step + 1 if len(ends) else None
        return done if high is None else max(done, high)

    def agent_states(self, layout: str = "wide", library: str = "pandas") -> Any:
        """Each agent's observable state at each step, as a data frame.

        One row per step and agent (``step``, ``agent_id``, then one column per
        field), every field forward-filled from the agent's last recorded
        change, starting from its state when recording started: the table a
        Mesa ``DataCollector`` collects, from a recording made with
        ``record_state_changes=True``. ``layout="long"`` gives one row per
        step, agent and field (``field``, ``value``). ``library`` is
        ``"pandas"`` (indexed by ``step``, ``agent_id`` in the wide layout) or
        ``"polars"``. A step's row is the state observed at that step, the step
        :meth:`model_values` uses too (a Mesa model's ``steps``; on a world,
        the end of that world step): see :mod:`palaver.recording.frames`.
        """
        check_options(layout, library)
        if self._states_untracked():
            # An empty table would read as "no agent, or no state": say why instead.
            raise QueryError(
                "agent_states() needs the agents' tracked state, and this recording was "
                "made with record_state_changes=False: no state was recorded. Record "
                "with record_state_changes=True (the default) to get this table"
            )
        initial = self._initial_states()
        changes = self.get_events_by_type("state_change")
        if self._stateless_source(initial, len(changes)):
            raise QueryError(
                f"agent_states() tabulates the agents' tracked state, and this recording "
                f"of a {self._model_class()} (a standalone mechanism or event source) has "
                "none: its negotiators are not agents with a state. Read what each did "
                "with get_agent_events(id) or get_events_by_type('offer')"
            )
        _, columns = state_table(initial, changes, self._steps_done(initial))
        return build_frame(columns, ["step", "agent_id"], layout, library)

    def _model_class(self) -> str:
        metadata = getattr(self, "simulation_metadata", None) or {}
        return str(metadata.get("model_class", "model"))

    @staticmethod
    def _stateless_source(initial: InitialStates | None, n_changes: int) -> bool:
        """Whether the recording is of an event source (a standalone mechanism)
        that had no agent or model state to track: its state tables would be
        empty frames, which read as "no agents"."""
        return (
            initial is not None
            and initial.kind == "source"
            and not initial.agents
            and initial.model is None
            and not n_changes
        )

    def model_values(
        self, event_type: str | None = None, layout: str = "wide", library: str = "pandas"
    ) -> Any:
        """Model-level values per step, as a data frame indexed by ``step``.

        Without ``event_type``: a Mesa model's own public plain attributes
        (forward-filled like :meth:`agent_states`), and a Palaver world's
        per-step ``stats``, at the same ``step`` as :meth:`agent_states` gives
        the agents' state observed with them. With ``event_type``: one row per step holding the
        content of the model events (recorded without an agent) of that type,
        the last one of a step winning, e.g. what
        ``record_model_event("metrics", {...})`` recorded each step.
        """
        check_options(layout, library)
        initial = self._initial_states()
        if event_type is None and initial is not None and initial.kind == "mesa":
            changes = self.get_events_by_type("state_change")
            _, columns = state_table(initial, changes, self._steps_done(initial), model=True)
        else:
            stats = self.get_events_by_type(event_type or "stats")
            if (
                event_type is None
                and not len(stats)
                and self._stateless_source(initial, len(self.get_events_by_type("state_change")))
            ):
                raise QueryError(
                    f"model_values() without event_type reads a world's stats events or a "
                    f"Mesa model's tracked values, and this recording of a "
                    f"{self._model_class()} (a standalone mechanism or event source) holds "
                    "neither. Pass event_type= to tabulate the model events of one type "
                    "(e.g. model_values(event_type='negotiation_ended'))"
                )
            if event_type is None and not len(stats) and self._states_untracked():
                raise QueryError(
                    "model_values() without event_type reads a Mesa model's values from its "
                    "tracked state, which this recording does not hold "
                    "(record_state_changes=False), or a world's stats events, of which it "
                    "holds none. Pass event_type= to tabulate the model events of one type "
                    "(e.g. what record_model_event('metrics', {...}) recorded), or record "
                    "with record_state_changes=True"
                )
            columns = event_table(stats)
            if event_type is not None and len(stats) and not columns["step"]:
                raise QueryError(
                    f"model_values(event_type={event_type!r}) tabulates the model events of "
                    f"that type (recorded without an agent_id), but each of the {len(stats)} "
                    f"{event_type!r} events was recorded with an agent; read them with "
                    f"get_events_by_type({event_type!r}), or record them with "
                    "record_model_event()"
                )
        return build_frame(columns, ["step"], layout, library)

    def _counters(self) -> tuple[Counter[str], Counter[str]]:
        """Events per agent key and per type, from the segment counters."""
        in_parts = self._store.part_counts()
        agents, types = Counter(in_parts[0]), Counter(in_parts[1])
        live = self._store.live
        if live.rows:
            agents.update(live.agents)
            types.update(live.types)
        return agents, types


def _swapped(a: str, b: str) -> bool:
    """Whether ``b`` is ``a`` with two neighbouring letters swapped."""
    if len(a) != len(b) or a == b:
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and a[diff[0]] == b[diff[1]]
        and a[diff[1]] == b[diff[0]]
    )
