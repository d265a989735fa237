"""NegMAS's interface members a negotiator's code reads, and its per-negotiator logs.

NegMAS-style strategies ask their interface how much is left
(``nmi.remaining_steps``, ``nmi.remaining_time``), how big the space is
(``nmi.cardinality``), how the protocol steps (``nmi.atomic_steps``,
``nmi.one_offer_per_step``, ``nmi.end_on_no_response``) and write notes with
``nmi.log_info(self.id, {...})``. Those notes are kept per negotiator, as
NegMAS keeps them, and can be read back: ``mechanism.negotiator_logs``
(NegMAS keeps them without a reader).
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING, Any

from palaver.mechanisms.errors import MechanismTypeError, MechanismValueError

if TYPE_CHECKING:
    from palaver.mechanisms.nmi import MechanismFacts
    from palaver.mechanisms.options import MechanismLimits

#: The levels of NegMAS's ``log_*`` members, as each entry's ``level`` says them.
LOG_LEVELS = ("debug", "info", "warning", "error", "critical")


def add_log(facts: MechanismFacts, nid: str, data: dict[str, Any], level: str) -> None:
    """Keep ``data`` as one note of negotiator ``nid`` with NegMAS's ``step``,
    ``relative_time``, ``time`` and ``level`` added (they win over keys of ``data``)."""
    if not isinstance(data, dict):
        raise MechanismTypeError(
            f"log data must be a dict (NegMAS's log_{level}(nid, data)), got "
            f"{type(data).__name__}: {data!r:.80}"
        )
    state = facts.state
    entry = dict(data)
    entry.update(step=state.step, relative_time=state.relative_time, time=state.time, level=level)
    logs = facts.logs
    if logs is None:
        logs = facts.logs = {}
    logs.setdefault(nid, []).append(entry)


class LogMembers:
    """NegMAS's ``log_*`` members: each keeps ``data`` as a note of negotiator
    ``nid`` at its level (read back with ``mechanism.negotiator_logs``)."""

    __slots__ = ()

    _facts: MechanismFacts

    def log_debug(self, nid: str, data: dict[str, Any]) -> None:
        """Keep ``data`` as a debug note of negotiator ``nid``."""
        add_log(self._facts, nid, data, "debug")

    def log_info(self, nid: str, data: dict[str, Any]) -> None:
        """Keep ``data`` as an info note of negotiator ``nid``."""
        add_log(self._facts, nid, data, "info")

    def log_warning(self, nid: str, data: dict[str, Any]) -> None:
        """Keep ``data`` as a warning of negotiator ``nid``."""
        add_log(self._facts, nid, data, "warning")

    def log_error(self, nid: str, data: dict[str, Any]) -> None:
        """Keep ``data`` as an error note of negotiator ``nid``."""
        add_log(self._facts, nid, data, "error")

    def log_critical(self, nid: str, data: dict[str, Any]) -> None:
        """Keep ``data`` as a critical note of negotiator ``nid``."""
        add_log(self._facts, nid, data, "critical")


class InterfaceMembers(LogMembers):
    """NegMAS's members of an interface, read from the shared :class:`MechanismFacts`."""

    __slots__ = ()

    # Set by NegotiatorMechanismInterface.__init__.
    _facts: MechanismFacts
    _limits: MechanismLimits | None

    @property
    def remaining_steps(self) -> int | None:
        """Rounds left of this interface's ``n_steps`` (never below 0), or ``None`` without one."""
        limits = self._limits or self._facts.limits
        n_steps = limits.n_steps
        return None if n_steps is None else max(0, n_steps - self._facts.state.step)

    @property
    def remaining_time(self) -> float | None:
        """Seconds left of this interface's ``time_limit`` (never below 0), or ``None``
        without one; the whole limit before the negotiation starts."""
        limits = self._limits or self._facts.limits
        limit = limits.time_limit
        if limit is None or math.isinf(limit):
            return None
        started = self._facts.started_at
        if started is None:
            return limit
        return max(0.0, limit - (time.perf_counter() - started))

    @property
    def cardinality(self) -> int | float:
        """The number of outcomes (``inf`` for a continuous space; NegMAS's ``cardinality``)."""
        n: int | float = self._facts.outcome_space.cardinality
        return n

    @property
    def atomic_steps(self) -> bool:
        """Whether a step is one negotiator's action (SAO's ``one_offer_per_step``)."""
        return self._facts.one_offer_per_step

    @property
    def one_offer_per_step(self) -> bool:
        """SAO's ``one_offer_per_step`` (``False`` for other mechanisms)."""
        return self._facts.one_offer_per_step

    @property
    def end_on_no_response(self) -> bool:
        """SAO's ``end_on_no_response`` (``False`` for other mechanisms)."""
        return self._facts.end_on_no_response

    def genius_id(self, id: str | None) -> str | None:
        """NegMAS's Genius id of a negotiator: its own id (Palaver runs no Genius bridge)."""
        return id


class MechanismLogs(LogMembers):
    """NegMAS's ``log`` and ``log_*`` members of a mechanism, and the notes read back."""

    __slots__ = ()

    # Set by Mechanism.__init__.
    _facts: MechanismFacts

    @property
    def negotiator_logs(self) -> dict[str, list[dict[str, Any]]]:
        """Each negotiator's notes (``nmi.log_info(...)`` and the like), oldest first: a copy."""
        logs = self._facts.logs
        return {} if logs is None else {nid: list(entries) for nid, entries in logs.items()}

    def log(self, nid: str, data: dict[str, Any], level: str) -> None:
        """Keep ``data`` as a note of negotiator ``nid`` at ``level`` (of :data:`LOG_LEVELS`)."""
        if level not in LOG_LEVELS:
            raise MechanismValueError(f"level must be one of {list(LOG_LEVELS)}, got {level!r}")
        add_log(self._facts, nid, data, level)
