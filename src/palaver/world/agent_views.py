"""NegMAS's read-only views of a situated agent (a base of :class:`~palaver.world.Agent`).

Type names, ``uuid``, ``initialized``, ``reserved_value`` and the lists of
negotiations and contracts that NegMAS's ``Agent`` (and its AWI) report,
computed from what the agent and its world already keep.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, NamedTuple

from palaver.world.contracts import Contract, NegotiationInfo, NegotiationRequest

if TYPE_CHECKING:
    from palaver.world.awi import AgentWorldInterface

__all__ = ["AgentViews", "RunningNegotiationInfo"]

# What NegMAS's short type names leave out, in the order it removes them.
_GENERIC_WORDS = ("factory_manager", "manager", "factory", "agent", "miner", "consumer")


class RunningNegotiationInfo(NamedTuple):
    """One negotiation an agent takes part in, as NegMAS's ``running_negotiations`` give it.

    Attributes:
        negotiator: The negotiator that represents the agent in it.
        annotation: The request's annotation.
        uuid: The request id when the agent requested it, else ``None``.
        extra: The request's ``extra`` when the agent requested it, else empty.
        my_request: Whether the agent requested it.
    """

    negotiator: Any
    annotation: dict[str, Any]
    uuid: str | None
    extra: dict[str, Any]
    my_request: bool


class AgentViews:
    """NegMAS's ``type_name``, ``short_type_name``, ``uuid``, ``initialized``,
    ``reserved_value``, ``running_negotiations``, ``requested_negotiations``,
    ``accepted_negotiation_requests`` and ``unsigned_contracts``."""

    _palaver_id: str | None
    _palaver_awi: AgentWorldInterface | None
    _palaver_requested_negotiations: dict[str, NegotiationRequest]
    _palaver_running_negotiations: dict[str, NegotiationInfo]
    _palaver_running: dict[str, RunningNegotiationInfo]
    id: str
    ufun: Any

    @property
    def type_name(self) -> str:
        """The class's full name, ``module.Class``, followed by the agent's ``type_postfix``."""
        cls = type(self)
        # An agent whose constructor never called Agent.__init__ has no postfix.
        postfix = getattr(self, "_palaver_type_postfix", "")
        return f"{cls.__module__}.{cls.__name__}{postfix}"

    @property
    def short_type_name(self) -> str:
        """The last part of :attr:`type_name` in lower case without NegMAS's generic
        words (``agent``, ``manager``, ``factory``, ``miner``, ``consumer``) nor edge
        underscores: ``"my"`` for ``MyAgent``, as NegMAS shortens it."""
        name = self.type_name.rsplit(".", 1)[-1].lower()
        for word in _GENERIC_WORDS:
            name = name.replace(word, "")
        return name.strip("_")

    @property
    def uuid(self) -> str:
        """NegMAS's other name for :attr:`id`."""
        return self.id

    @uuid.setter
    def uuid(self, value: str) -> None:
        self.id = value

    @property
    def initialized(self) -> bool:
        """Whether the agent's ``init`` has been called (by its world or by ``step_``)."""
        if getattr(self, "_palaver_initialised", False):
            return True
        awi = self._palaver_awi
        return awi is not None and self._palaver_id in awi._world._palaver.roster.initialised

    @property
    def reserved_value(self) -> float:
        """The reserved value of the agent's utility function; NaN without one, as in NegMAS."""
        value = getattr(self.ufun, "reserved_value", None)
        return math.nan if value is None else float(value)

    @property
    def running_negotiations(self) -> list[RunningNegotiationInfo]:
        """The negotiations the agent takes part in now, in registration order
        (:attr:`negotiations` has them by id with the world's details)."""
        return list(self._palaver_running.values())

    @property
    def requested_negotiations(self) -> list[NegotiationRequest]:
        """The requests the agent made that are not settled yet (a list, as in NegMAS;
        ``negotiation_requests`` has them by request id)."""
        return list(self._palaver_requested_negotiations.values())

    @property
    def accepted_negotiation_requests(self) -> list[NegotiationRequest]:
        """Requests of others the agent accepted whose negotiation has not started:
        always empty, since a world asks every partner when the request is made and
        registers (or refuses) the negotiation at once."""
        return []

    @property
    def unsigned_contracts(self) -> list[Contract]:
        """The agent's contracts concluded and waiting to be signed (empty outside a world)."""
        awi = self._palaver_awi
        if awi is None:
            return []
        aid = self._palaver_id
        return [c for c in awi._world._palaver.book.unsigned if aid in c.partners]

    def _palaver_enter(
        self, info: NegotiationInfo, negotiator: Any, req_id: str | None, my_request: bool
    ) -> None:
        # The world registered a negotiation this agent takes part in.
        self._palaver_running_negotiations[info.id] = info
        requests = self._palaver_requested_negotiations
        request = requests.get(req_id) if my_request and req_id is not None else None
        self._palaver_running[info.id] = RunningNegotiationInfo(
            negotiator=negotiator,
            annotation=info.annotation,
            uuid=req_id if my_request else None,
            extra=request.extra if request is not None else {},
            my_request=my_request,
        )

    def _palaver_leave(self, negotiation_id: str) -> None:
        # A negotiation of this agent ended.
        self._palaver_running_negotiations.pop(negotiation_id, None)
        self._palaver_running.pop(negotiation_id, None)
