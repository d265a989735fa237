"""NegMAS's World keyword arguments that Palaver maps onto its own, and the world
options read back as attributes (``world.negotiation_speed``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, MutableMapping
from typing import Any

from palaver.world.config import GROUPS
from palaver.world.errors import WorldParameterError
from palaver.world.files import plain_file_name
from palaver.world.validate import check_bool, check_event_type, check_int, check_mapping

__all__ = [
    "NEGMAS_KEYWORDS",
    "MonitorAdapter",
    "NegmasOptions",
    "OptionView",
    "checked_monitor",
    "install_negmas_views",
    "install_option_views",
    "take_negmas_options",
    "unregister_monitor",
]

_IGNORE_FLAGS = (
    "ignore_agent_exceptions",
    "ignore_mechanism_exceptions",
    "ignore_simulation_exceptions",
    "ignore_contract_execution_exceptions",
    "safe_stats_monitoring",
)


@dataclasses.dataclass(frozen=True)
class NegmasOptions:
    """The NegMAS-only World options a world was given (see ``docs/world.md``).

    Attributes:
        id: The world's id (default: its name).
        annotation: Free information kept with the world.
        debug: Every exception stops the run (all ``ignore_*`` options off).
        disable_agent_printing: Agents' prints are discarded.
        event_file_name: A file in ``log_folder`` that receives every event as JSON lines.
        event_types: The event types written there (``None``: all).
        saved_details_level: NegMAS's detail level; below 2, negotiation records are not kept.
        shuffle_negotiations: Step the registered negotiations in a fresh seeded
            random order at each ``Negotiations`` operation.
    """

    id: str | None = None
    annotation: dict[str, Any] = dataclasses.field(default_factory=dict)
    debug: bool = False
    disable_agent_printing: bool = False
    event_file_name: str | None = None
    event_types: frozenset[str] | None = None
    saved_details_level: int | None = None
    shuffle_negotiations: bool = False


def _refuse(name: str, value: Any, why: str) -> None:
    raise WorldParameterError(f"World does not take {name}={value!r}: {why}")


#: Every NegMAS World keyword :func:`take_negmas_options` takes (for suggestions).
NEGMAS_KEYWORDS: tuple[str, ...] = (
    *(f.name for f in dataclasses.fields(NegmasOptions)),
    "ignore_negotiation_exceptions",
    "storage_format",
    "genius_port",
)


def take_negmas_options(options: MutableMapping[str, Any]) -> NegmasOptions:
    """Remove NegMAS's World keywords from ``options``, mapping them onto Palaver's.

    ``ignore_negotiation_exceptions`` becomes ``ignore_mechanism_exceptions``;
    ``debug=True`` turns every ``ignore_*`` option off; ``saved_details_level``
    below 2 turns ``save_negotiations`` off unless it is given. ``storage_format``
    and a ``genius_port`` other than 0 are refused with the reason.
    """
    out: dict[str, Any] = {}
    if "ignore_negotiation_exceptions" in options:
        value = check_bool(
            "ignore_negotiation_exceptions", options.pop("ignore_negotiation_exceptions")
        )
        if options.get("ignore_mechanism_exceptions", value) != value:
            raise WorldParameterError(
                "ignore_negotiation_exceptions is NegMAS's name for ignore_mechanism_exceptions; "
                "give one of them"
            )
        options["ignore_mechanism_exceptions"] = value
    if "storage_format" in options:
        value = options.pop("storage_format")
        if value is not None:
            _refuse(
                "storage_format",
                value,
                "Palaver's logs are JSON lines; for Parquet tables attach a "
                "palaver.recording.SimulationRecorder (recorder=...)",
            )
    if "genius_port" in options:
        value = options.pop("genius_port")
        if value not in (None, 0):
            _refuse("genius_port", value, "Palaver has no Java bridge to Genius negotiators")
    if "id" in options:
        value = options.pop("id")
        if value is not None and (not isinstance(value, str) or not value):
            raise WorldParameterError(f"id must be a non-empty str or None; got {value!r}")
        out["id"] = value
    if "annotation" in options:
        out["annotation"] = dict(check_mapping("annotation", options.pop("annotation")) or {})
    for name in ("debug", "disable_agent_printing", "shuffle_negotiations"):
        if name in options:
            out[name] = check_bool(name, options.pop(name))
    if out.get("debug"):
        on = [f for f in _IGNORE_FLAGS if options.get(f)]
        if on:
            raise WorldParameterError(
                f"debug=True stops the run on every exception; it contradicts {on}"
            )
        for flag in _IGNORE_FLAGS:
            options[flag] = False
    if "saved_details_level" in options:
        level = check_int("saved_details_level", options.pop("saved_details_level"), 0)
        out["saved_details_level"] = level
        if level is not None and level < 2:
            options.setdefault("save_negotiations", False)
    if "event_types" in options:
        types = options.pop("event_types")
        if types is not None:
            if isinstance(types, str) or not all(isinstance(t, str) for t in types):
                raise WorldParameterError(
                    f"event_types must be a list of event type names; got {types!r}"
                )
            for t in types:
                check_event_type("event_types", t)
            out["event_types"] = frozenset(types)
    if "event_file_name" in options:
        name = options.pop("event_file_name")
        if name is not None:
            out["event_file_name"] = plain_file_name("event_file_name", name)
    return NegmasOptions(**out)


class OptionView:
    """A world option read back as an attribute (``world.neg_n_steps``).

    A non-data descriptor: a world subclass may assign the same name for its
    own purposes without changing the option.
    """

    def __init__(self, read: Callable[[Any], Any], doc: str) -> None:
        self._read = read
        self.__doc__ = doc

    def __get__(self, obj: Any, objtype: type | None = None) -> Any:
        if obj is None:
            return self
        return self._read(obj)


_CONFIG_ATTRIBUTE = {
    "negotiation": "negotiation_config",
    "signing": "signing_config",
    "logging": "logging_config",
    "save": "save_config",
    "exceptions": "exception_config",
    "checkpoints": "checkpoint_config",
}


def install_option_views(cls: type) -> None:
    """Give ``cls`` a read-only view of every config field it does not define itself."""

    def view(attribute: str, field: str) -> OptionView:
        return OptionView(
            lambda w: getattr(getattr(w, attribute), field),
            f"The world option ``{field}`` (``world.{attribute}.{field}``).",
        )

    for group, config_cls in GROUPS.items():
        attribute = _CONFIG_ATTRIBUTE[group]
        for f in dataclasses.fields(config_cls):
            if not hasattr(cls, f.name):
                setattr(cls, f.name, view(attribute, f.name))


_NEGMAS_VIEWS = {
    "annotation": "Free information given as ``annotation=`` (NegMAS).",
    "debug": "Whether every exception stops the run (NegMAS's ``debug=``).",
    "disable_agent_printing": "Whether agents' prints are discarded (NegMAS).",
    "shuffle_negotiations": "Whether negotiations are stepped in a shuffled order (NegMAS).",
    "saved_details_level": "NegMAS's ``saved_details_level`` as given (``None``: not given).",
    "event_file_name": "The file in ``log_folder`` receiving every event (NegMAS).",
    "event_types": "The event types written to ``event_file_name`` (``None``: all).",
}


def install_negmas_views(cls: type) -> None:
    """Give ``cls`` read-only views of the NegMAS-only options (``world.debug``, ...)."""

    def view(field: str, doc: str) -> OptionView:
        return OptionView(lambda w: getattr(w._palaver.negmas, field), doc)

    for field, doc in _NEGMAS_VIEWS.items():
        setattr(cls, field, view(field, doc))


class MonitorAdapter:
    """A NegMAS monitor as one of ``world.stats_monitors`` (called ``(row, world)``).

    ``kind`` is ``"stats"`` for NegMAS's ``StatsMonitor`` (``init`` / ``step``
    take the world's whole statistics and ``world_name``) or ``"world"`` for
    its ``WorldMonitor`` (they take the world). ``init``, when the monitor has
    one, is called once, just before its first ``step``.
    """

    __slots__ = ("kind", "monitor", "started")

    def __init__(self, monitor: Any, kind: str) -> None:
        self.monitor, self.kind, self.started = monitor, kind, False

    def __call__(self, row: dict[str, Any], world: Any) -> None:
        args: tuple[Any, ...] = (world,) if self.kind == "world" else (world.stats,)
        kwargs = {} if self.kind == "world" else {"world_name": world.name}
        if not self.started:
            self.started = True
            init = getattr(self.monitor, "init", None)
            if callable(init):
                init(*args, **kwargs)
        self.monitor.step(*args, **kwargs)


def checked_monitor(monitor: Any, kind: str) -> MonitorAdapter:
    """``monitor`` wrapped for ``world.stats_monitors``; ``TypeError`` without ``step``."""
    if not callable(getattr(monitor, "step", None)):
        signature = "step(world)" if kind == "world" else "step(stats, world_name)"
        raise TypeError(
            f"register_{kind}_monitor takes an object with a {signature} method "
            f"(NegMAS's {'WorldMonitor' if kind == 'world' else 'StatsMonitor'}); got {monitor!r}"
        )
    return MonitorAdapter(monitor, kind)


def unregister_monitor(monitors: list[Any], monitor: Any, kind: str) -> None:
    """Remove the adapter of ``monitor`` from ``monitors``; ``ValueError`` if absent."""
    for i, m in enumerate(monitors):
        if isinstance(m, MonitorAdapter) and m.monitor is monitor and m.kind == kind:
            del monitors[i]
            return
    raise ValueError(f"{monitor!r} is not a registered {kind} monitor of this world")
