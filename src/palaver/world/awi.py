"""The AgentWorldInterface: everything an agent may see of and do in its world."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from palaver.preferences import UtilityFunctionLike, resolve_ufun
from palaver.world.agent_views import RunningNegotiationInfo
from palaver.world.contracts import Action, Contract, NegotiationRequest
from palaver.world.returns import NO_PRIVATE_STATE

if TYPE_CHECKING:
    from palaver.world.agent import Agent
    from palaver.world.bulletin import BulletinBoard
    from palaver.world.world import World

__all__ = ["AgentWorldInterface"]


class AgentWorldInterface:
    """An agent's window on its world. Worlds subclass it to offer simpler methods.

    ``self._world`` is the world and ``self.agent`` the agent (the tutorial's AWI
    relies on both).
    """

    def __init__(self, world: World[Any, Any], agent: Agent[Any]) -> None:
        self._world = world
        self.agent = agent

    @property
    def current_step(self) -> int:
        """The current simulation step (0-based)."""
        return self._world.current_step

    @property
    def n_steps(self) -> int:
        """The number of steps of the simulation."""
        return self._world.n_steps

    @property
    def relative_time(self) -> float:
        """The fraction of the simulation done: ``current_step / n_steps``."""
        return self._world.relative_time

    @property
    def state(self) -> Any:
        """This agent's private state (the world's ``get_private_state``).

        The world's callback raising, or returning ``None`` (a forgotten
        ``return``), is the world's error: a ``SimulationError``, or with
        ``ignore_simulation_exceptions`` a recorded one (the state is then ``None``).
        """
        world = self._world
        guard = world._palaver.guard
        returned, state = guard.world_result(world.get_private_state, self.agent)
        if returned and state is None:
            guard.world_malformed("get_private_state", NO_PRIVATE_STATE)
        return state

    @property
    def annotation(self) -> dict[str, Any]:
        """The world's ``annotation`` merged with the one this agent joined with
        (``join(agent, annotation=...)``; the agent's keys win). A fresh dict."""
        return self._world.agent_annotation(self.agent.id)

    @property
    def settings(self) -> dict[str, Any]:
        """The world's public settings (the bulletin board's ``settings`` section)."""
        settings: dict[str, Any] = self._world.bulletin_board.read("settings")
        return settings

    @property
    def bulletin_board(self) -> BulletinBoard:
        """The world's bulletin board."""
        return self._world.bulletin_board

    @property
    def random(self) -> np.random.Generator:
        """A ``numpy.random.Generator`` for this agent, derived from the world's seed."""
        return self._world.agent_rng(self.agent.id)

    @property
    def running_negotiations(self) -> list[RunningNegotiationInfo]:
        """The agent's :attr:`~palaver.world.Agent.running_negotiations`."""
        return self.agent.running_negotiations

    @property
    def requested_negotiations(self) -> list[NegotiationRequest]:
        """The agent's :attr:`~palaver.world.Agent.requested_negotiations`."""
        return self.agent.requested_negotiations

    @property
    def running_mechanism_dicts(self) -> dict[str, RunningNegotiationInfo]:
        """NegMAS's name: :attr:`running_negotiations` by negotiation (mechanism) id;
        a copy (the world's ``_negotiations`` has the same keys for this agent)."""
        return dict(self.agent._palaver_running)

    @property
    def negotiation_requests(self) -> list[NegotiationRequest]:
        """NegMAS's name on the AWI: :attr:`requested_negotiations` (a list, where
        the agent's own ``negotiation_requests`` maps request ids to them)."""
        return self.agent.requested_negotiations

    @property
    def initialized(self) -> bool:
        """Whether the agent's ``init`` ran (its :attr:`~palaver.world.Agent.initialized`)."""
        return self.agent.initialized

    @property
    def accepted_negotiation_requests(self) -> list[NegotiationRequest]:
        """The agent's :attr:`~palaver.world.Agent.accepted_negotiation_requests` (empty)."""
        return self.agent.accepted_negotiation_requests

    @property
    def unsigned_contracts(self) -> list[Contract]:
        """The agent's :attr:`~palaver.world.Agent.unsigned_contracts`."""
        return self.agent.unsigned_contracts

    def request_negotiation_about(
        self,
        issues: list[Any],
        partners: list[str],
        req_id: str,
        roles: list[str | None] | None = None,
        annotation: dict[str, Any] | None = None,
        mechanism_name: str | None = None,
        mechanism_params: dict[str, Any] | None = None,
        group: str | None = None,
    ) -> bool:
        """Ask the world for a negotiation; ``True`` when it was registered.

        ``req_id`` comes from ``agent.create_negotiation_request``; the negotiator
        stored there represents this agent. One partner other than this agent
        (alone or in a list of one; agents stand for their ids) means this agent
        and that partner, this agent first, unless ``roles`` are given (as in
        NegMAS). Partners are asked right away; the
        negotiation runs in the world's ``Negotiations`` operation (or at once
        with ``start_negotiations_immediately``). Returns ``False`` when the
        world refuses it (quota exhausted) or a partner rejects it; the agent
        also hears that through ``on_neg_request_rejected``. Raises
        ``NegotiationRequestError`` for a malformed request and
        ``UnknownMechanismError`` for a mechanism the world does not allow.
        ``group`` (NegMAS's) is free text kept with the negotiation (in
        ``world._negotiations``); the world never reads it.
        """
        return self._world.request_negotiation_about(
            caller=self.agent,
            issues=issues,
            partners=partners,
            req_id=req_id,
            roles=roles,
            annotation=annotation,
            mechanism_name=mechanism_name,
            mechanism_params=mechanism_params,
            group=group,
        )

    def run_negotiation(
        self,
        issues: list[Any],
        partners: list[str],
        negotiator: Any,
        ufun: UtilityFunctionLike | None = None,
        caller_role: str | None = None,
        roles: list[str | None] | None = None,
        annotation: dict[str, Any] | None = None,
        mechanism_name: str | None = None,
        mechanism_params: dict[str, Any] | None = None,
        *,
        preferences: UtilityFunctionLike | None = None,
    ) -> tuple[Contract, Any] | None:
        """Run a negotiation to its end now, inside the caller's step.

        ``negotiator`` represents this agent (added to ``partners`` when
        missing: first for one partner without ``roles``, as in NegMAS, else
        last); ``ufun`` (or NegMAS's name for it, ``preferences``) is its
        utility function when it has none. Returns ``(contract, nmi)`` when the
        negotiation ended in an agreement, and ``None`` otherwise (no
        agreement, or the request refused), as NegMAS's AWI does; the world's
        own ``run_negotiation`` returns the pair in every case. The contract
        then goes through signing like any other, without
        ``default_signing_delay``: as in NegMAS, it is to be signed in this
        step (at its next ``ContractSigning``).
        """
        contract, nmi = self._world.run_negotiation(
            caller=self.agent,
            issues=issues,
            partners=partners,
            negotiator=negotiator,
            ufun=resolve_ufun(ufun, preferences),
            caller_role=caller_role,
            roles=roles,
            annotation=annotation,
            mechanism_name=mechanism_name,
            mechanism_params=mechanism_params,
        )
        return None if contract is None or nmi is None else (contract, nmi)

    def run_negotiations(
        self,
        issues: list[Any] | list[list[Any]],
        partners: list[list[str]],
        negotiators: list[Any],
        preferences: list[UtilityFunctionLike | None] | UtilityFunctionLike | None = None,
        caller_roles: list[str | None] | str | None = None,
        roles: list[list[str | None] | None] | None = None,
        annotations: list[dict[str, Any] | None] | dict[str, Any] | None = None,
        mechanism_names: list[str | None] | str | None = None,
        mechanism_params: list[dict[str, Any] | None] | dict[str, Any] | None = None,
        all_or_none: bool = False,
        *,
        ufuns: list[UtilityFunctionLike | None] | UtilityFunctionLike | None = None,
    ) -> list[tuple[Contract | None, Any]]:
        """Run several negotiations to their end now, inside the caller's step (NegMAS's).

        One negotiation per entry of ``partners``, with ``negotiators[i]`` for
        this agent; ``issues`` is one list for all or one per negotiation, and
        so may ``preferences`` (``ufuns``), ``caller_roles``, ``roles``,
        ``annotations``, ``mechanism_names`` and ``mechanism_params`` be. Every
        partner is asked first; then each negotiation runs to its end. Returns
        ``(contract, nmi)`` per negotiation, as :meth:`run_negotiation`
        (``(None, None)`` for a refused one), or ``[]`` when all were refused,
        or, with ``all_or_none``, when any was (the accepted ones are then
        cancelled before they start).
        """
        return self._world.run_negotiations(
            self.agent,
            issues,
            partners,
            negotiators,
            preferences,
            caller_roles,
            roles,
            annotations,
            mechanism_names,
            mechanism_params,
            all_or_none,
            ufuns=ufuns,
        )

    def execute(self, action: Action, callback: Any = None) -> bool:
        """Ask the world to execute ``action`` for this agent (``execute_action``)."""
        return self._world.execute(action, self.agent, callback)

    def send_message(self, receiver: str, message: Any) -> None:
        """Deliver ``message`` to another agent's ``on_message`` (recorded as an event)."""
        self._world.send_message(self.agent, receiver, message)

    def record_event(self, type: str, payload: dict[str, Any]) -> None:
        """Record a user event about this agent on the world's event bus."""
        self._world.record_event(type, payload, agent_id=self.agent.id)

    def bb_read(self, section: str, key: str | None = None) -> Any:
        """Read a bulletin-board section or record."""
        return self._world.bulletin_board.read(section, key)

    def bb_record(self, section: str, value: Any, key: str | None = None) -> str:
        """Post a record on the bulletin board; returns its key."""
        return self._world.bulletin_board.record(section, value, key)

    def bb_query(
        self,
        section: str | list[str] | None,
        query: Any = None,
        query_keys: bool = False,
        *,
        predicate: Any = None,
    ) -> dict[str, Any]:
        """The matching records of a section (or sections): ``predicate(key,
        value)``, or NegMAS's ``query`` (see :meth:`BulletinBoard.query`)."""
        return self._world.bulletin_board.query(section, query, query_keys, predicate=predicate)

    def bb_remove(
        self,
        section: str | list[str] | None,
        key: str | None = None,
        *,
        query: Any = None,
        query_keys: bool = False,
        value: Any = None,
    ) -> bool:
        """Remove a record, NegMAS's ``query`` or ``value`` matches, or (with none
        of these) a whole section from the bulletin board (see
        :meth:`BulletinBoard.remove`)."""
        return self._world.bulletin_board.remove(
            section, key, query=query, query_keys=query_keys, value=value
        )

    def log(self, message: str, level: int | str = "INFO") -> None:
        """Log a message from this agent through the world's logger."""
        self._world.log(f"[{self.agent.id}] {message}", level)

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

    # NegMAS's agent logs go to a file per agent; Palaver has one log, in which
    # every line an agent writes is tagged with its id.
    def logdebug_agent(self, message: str) -> None:
        """NegMAS's name of :meth:`logdebug` (the line is tagged with the agent's id)."""
        self.logdebug(message)

    def loginfo_agent(self, message: str) -> None:
        """NegMAS's name of :meth:`loginfo` (the line is tagged with the agent's id)."""
        self.loginfo(message)

    def logwarning_agent(self, message: str) -> None:
        """NegMAS's name of :meth:`logwarning` (the line is tagged with the agent's id)."""
        self.logwarning(message)

    def logerror_agent(self, message: str) -> None:
        """NegMAS's name of :meth:`logerror` (the line is tagged with the agent's id)."""
        self.logerror(message)

    @property
    def default_signing_delay(self) -> int:
        """Steps between concluding a contract and signing it (0 with ``force_signing``)."""
        signing = self._world.signing_config
        return 0 if signing.force_signing else signing.default_signing_delay

    @property
    def params(self) -> dict[str, Any]:
        """The world's settings by keyword (``world.params``), as NegMAS's AWI gives them."""
        params: dict[str, Any] = self._world.params
        return params
