"""The parts of NegMAS's World API that go beyond the tutorial (a World mixin):
``run_with_progress``, ``register_listener``, ``times``, the per-kind exception
tables and the ``log*`` methods."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from palaver.events import Event

__all__ = ["NegmasApiMixin"]


class _Listener:
    """Forwards bus events to a NegMAS-style listener's ``on_event(event, sender)``."""

    def __init__(self, listener: Any, event_type: str | None, sender: Any) -> None:
        self.listener = listener
        self.sender = sender
        self.event_types = None if event_type is None else frozenset((event_type,))

    def emit(self, event: Event) -> None:
        self.listener.on_event(event, self.sender)


class NegmasApiMixin:
    """Mixed into :class:`~palaver.world.World`."""

    def run_with_progress(self, callback: Callable[[int], None] | None = None) -> None:
        """Run the remaining steps showing a progress bar (``rich``); ``callback(step)``
        is called after each step with the number of the step that ran."""
        from rich.progress import Progress

        remaining = self.n_steps - self._palaver_clock.step
        with Progress(transient=True) as progress:
            task = progress.add_task(f"{self.name}", total=remaining)
            while True:
                step = self._palaver_clock.step
                if not self.step():
                    break
                progress.advance(task)
                if callback is not None:
                    callback(step)

    def register_listener(self, event_type: str | None, listener: Any) -> None:
        """Call ``listener.on_event(event, world)`` for every event of ``event_type``
        (``None``: every event) this world's bus carries, as NegMAS's ``register_listener``.

        The event is a :class:`palaver.events.Event`: its ``payload`` holds what a
        NegMAS event keeps in ``data``.
        """
        if not callable(getattr(listener, "on_event", None)):
            raise TypeError(
                f"a listener needs an on_event(event, sender) method; got {type(listener)!r}"
            )
        if event_type is not None and not isinstance(event_type, str):
            raise TypeError(f"event_type must be an event type name or None; got {event_type!r}")
        self.bus.add_sink(_Listener(listener, event_type, self))

    @property
    def times(self) -> dict[str, float]:
        """Wall-clock seconds spent in each agent's callbacks so far, by agent id
        (its negotiators' time inside mechanisms is not included)."""
        return dict(self._palaver_guard.agent_times)

    def _palaver_exceptions_of(self, kind: str) -> dict[int, list[str]]:
        out: dict[int, list[str]] = defaultdict(list)
        for e in self.exceptions:
            if e.get("kind") == kind:
                out[e["step"]].append(f"{e['exception']}: {e['message']}")
        return dict(out)

    @property
    def simulation_exceptions(self) -> dict[int, list[str]]:
        """Exceptions the world's own callbacks raised (and were ignored), by step."""
        return self._palaver_exceptions_of("simulation")

    @property
    def mechanism_exceptions(self) -> dict[int, list[str]]:
        """Exceptions mechanisms raised (and were ignored), by step."""
        return self._palaver_exceptions_of("mechanism")

    @property
    def contract_exceptions(self) -> dict[int, list[str]]:
        """Exceptions raised while executing contracts (and ignored), by step."""
        return self._palaver_exceptions_of("contract")

    @property
    def agent_exceptions(self) -> dict[str, list[tuple[int, str]]]:
        """Exceptions agents raised (and were ignored): agent id -> ``(step, text)``
        (a ``defaultdict``: an agent without exceptions reads as ``[]``)."""
        return self._palaver_by_agent("agent")

    @property
    def negotiator_exceptions(self) -> dict[str, list[tuple[int, str]]]:
        """Exceptions agents' negotiators raised (and were ignored): agent -> ``(step, text)``."""
        return self._palaver_by_agent("negotiator")

    def _palaver_by_agent(self, kind: str) -> dict[str, list[tuple[int, str]]]:
        out: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for e in self.exceptions:
            if e.get("kind") == kind and e.get("agent_id") is not None:
                out[e["agent_id"]].append((e["step"], f"{e['exception']}: {e['message']}"))
        return out

    def _palaver_count_by_step(self, *kinds: str) -> dict[int, int]:
        out: dict[int, int] = defaultdict(int)
        for e in self.exceptions:
            if e.get("kind") in kinds:
                out[e["step"]] += 1
        return dict(out)

    def _palaver_count_by_agent(self, *kinds: str) -> dict[str, int]:
        out: dict[str, int] = dict.fromkeys(self.agents, 0)
        for e in self.exceptions:
            if e.get("kind") in kinds and e.get("agent_id") in out:
                out[e["agent_id"]] += 1
        return out

    @property
    def n_simulation_exceptions(self) -> dict[int, int]:
        """The number of ignored simulation exceptions, by step."""
        return self._palaver_count_by_step("simulation")

    @property
    def n_contract_exceptions(self) -> dict[int, int]:
        """The number of ignored contract-execution exceptions, by step."""
        return self._palaver_count_by_step("contract")

    @property
    def n_mechanism_exceptions(self) -> dict[int, int]:
        """The number of ignored mechanism exceptions, by step."""
        return self._palaver_count_by_step("mechanism")

    @property
    def n_total_simulation_exceptions(self) -> dict[int, int]:
        """Simulation, contract and mechanism exceptions together, by step."""
        return self._palaver_count_by_step("simulation", "contract", "mechanism")

    @property
    def n_agent_exceptions(self) -> dict[str, int]:
        """The number of ignored exceptions each agent raised (its negotiators' aside)."""
        return self._palaver_count_by_agent("agent")

    @property
    def n_negotiator_exceptions(self) -> dict[str, int]:
        """The number of ignored exceptions each agent's negotiators raised."""
        return self._palaver_count_by_agent("negotiator")

    @property
    def n_total_agent_exceptions(self) -> dict[str, int]:
        """Agent and negotiator exceptions together, by agent."""
        return self._palaver_count_by_agent("agent", "negotiator")

    @classmethod
    def from_config(
        cls, config: Mapping[str, Any] | str | Path, scope: Any = None, **overrides: Any
    ) -> Any:
        """A world built from a dict of its constructor's keyword arguments, or from a
        JSON file holding one (NegMAS's ``from_config``; ``scope`` is accepted and unused:
        values are taken as they are, nothing is evaluated). ``overrides`` win."""
        if isinstance(config, str | Path):
            path = Path(config)
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as e:
                raise ValueError(f"cannot read a world config from {path}: {e}") from e
            config = loaded
        if not isinstance(config, Mapping):
            raise TypeError(f"a world config is a dict of keyword arguments; got {config!r}")
        return cls(**{**dict(config), **overrides})

    @classmethod
    def checkpoint_info(cls, file_name: str | Path) -> dict[str, Any]:
        """The information saved next to a checkpoint (``<file>.json``), as NegMAS returns it:
        ``type``, ``id``, ``name``, ``step``, ``time``, ``filename``, ``seed``,
        ``format_version`` and the checkpoint's ``extra`` / ``info`` keys."""
        path = Path(file_name)
        sidecar = path.with_name(path.name + ".json")
        try:
            info = json.loads(sidecar.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise FileNotFoundError(f"no checkpoint information at {sidecar}") from None
        except ValueError as e:
            raise ValueError(f"{sidecar} is not valid JSON: {e}") from e
        extra = info.get("extra") or {}
        return {**extra, **{k: v for k, v in info.items() if k != "extra"}}

    def logdebug(self, message: str) -> None:
        """Log at DEBUG level."""
        self.log(message, "DEBUG")

    def loginfo(self, message: str) -> None:
        """Log at INFO level."""
        self.log(message, "INFO")

    def logwarning(self, message: str) -> None:
        """Log at WARNING level."""
        self.log(message, "WARNING")

    def logerror(self, message: str) -> None:
        """Log at ERROR level."""
        self.log(message, "ERROR")
