"""The parts of NegMAS's World API that go beyond the tutorial (a World mixin):
``run_with_progress``, ``register_listener``, ``times``, the per-kind exception
tables and the ``log*`` methods."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
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

        remaining = self.n_steps - self._palaver_current_step
        with Progress(transient=True) as progress:
            task = progress.add_task(f"{self.name}", total=remaining)
            while True:
                step = self._palaver_current_step
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
        return dict(self._palaver_times)

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
        """Exceptions agents raised (and were ignored): agent id -> ``(step, text)``."""
        out: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for e in self.exceptions:
            if e.get("kind") == "agent":
                out[e["agent_id"]].append((e["step"], f"{e['exception']}: {e['message']}"))
        return dict(out)

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
