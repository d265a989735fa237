"""The Agent base class: identity, requests it made, and the world's callbacks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from palaver._util.snapshots import Checkpointing
from palaver.preferences import UtilityFunctionLike, resolve_ufun
from palaver.world.agent_rational import AgentRational
from palaver.world.agent_views import AgentViews, RunningNegotiationInfo
from palaver.world.contracts import (
    Breach,
    Contract,
    NegotiationInfo,
    NegotiationRequest,
    RenegotiationRequest,
)
from palaver.world.errors import CheckpointError, NegotiationRequestError
from palaver.world.kinds import are_issues, is_mapping
from palaver.world.returns import is_negotiator, own_negotiator_problem

if TYPE_CHECKING:
    from palaver.world.awi import AgentWorldInterface

__all__ = ["Agent"]


TAWI = TypeVar("TAWI", bound="AgentWorldInterface")


def _request_who(agent_id: str | None) -> str:
    """How the errors of ``create_negotiation_request`` name the agent and the call
    (made only for an error: every request passes there)."""
    return f"agent {agent_id!r}: create_negotiation_request's"


class Agent(AgentRational, AgentViews, Checkpointing, Generic[TAWI]):
    """An actor in a world. Subclass it and override the callbacks you need.

    Every callback has a harmless default: an agent that overrides nothing
    refuses negotiation requests, signs every contract and ignores news.
    NegMAS's read-only views (``type_name``, ``running_negotiations``,
    ``unsigned_contracts``, ...) come from :class:`AgentViews`.

    NegMAS's ``checkpoint(folder, info=...)``, ``Agent.from_checkpoint(file)``
    and ``Agent.checkpoint_info(file)`` save and load one agent (a pickle; an
    agent in a world is saved with its world). The step written with it is the
    first integer among NegMAS's step attributes on the agent, else the number
    of :meth:`step_` calls made by hand, else its world's current step.

    Args:
        name: A readable name (defaults to the id).
        ufun: The agent's utility function, if it has one.
        preferences: Alias of ``ufun``.
        id: A unique id. When ``None`` the world assigns ``"<Class><index>"`` at
            ``join`` (deterministic, unlike a random id).
        private_info: Information only this agent holds (NegMAS's
            ``private_info``), read back as :attr:`private_info` (alias
            :attr:`annotation`); the world never reads it. What the world shares
            with its agents is ``awi.annotation``.
        type_postfix: Appended to :attr:`type_name` (NegMAS's way to tell
            agents of one class apart in reports).
    """

    def __init__(
        self,
        name: str | None = None,
        ufun: UtilityFunctionLike | None = None,
        preferences: UtilityFunctionLike | None = None,
        id: str | None = None,
        private_info: Mapping[str, Any] | None = None,
        type_postfix: str = "",
    ) -> None:
        if private_info is not None and not isinstance(private_info, Mapping):
            raise TypeError(
                f"private_info must be a dict or None; got {private_info!r} "
                f"({type(private_info).__name__})"
            )
        if name is not None and not isinstance(name, str):
            # A name is text: it labels the agent's statistics and records.
            raise TypeError(f"name must be a str or None; got {name!r:.80} ({type(name).__name__})")
        if not isinstance(type_postfix, str):
            raise TypeError(
                f"type_postfix must be a str; got {type_postfix!r:.80} "
                f"({type(type_postfix).__name__})"
            )
        self._palaver_type_postfix = type_postfix
        # An agent written NegMAS-style may set ``self.id`` / ``self.name``
        # before calling this constructor; keep what it set.
        if id is not None or not hasattr(self, "_palaver_id"):
            self._palaver_id = id
        if name is not None or not hasattr(self, "_palaver_name"):
            self._palaver_name = name
        self.ufun = resolve_ufun(ufun, preferences)
        self._palaver_awi: TAWI | None = None
        self._palaver_requested_negotiations: dict[str, NegotiationRequest] = {}
        self._palaver_running_negotiations: dict[str, NegotiationInfo] = {}
        self._palaver_running: dict[str, RunningNegotiationInfo] = {}
        self._palaver_request_counter = 0
        self._palaver_private_info: dict[str, Any] = dict(private_info or {})

    @property
    def id(self) -> str:
        """The agent's unique id (assigned at ``join`` when not given)."""
        if self._palaver_id is None:
            raise AttributeError("this agent has no id yet: join it to a world first")
        return self._palaver_id

    @id.setter
    def id(self, value: str) -> None:
        if getattr(self, "_palaver_awi", None) is not None:
            raise AttributeError(f"agent {self._palaver_id!r} has joined a world: its id is fixed")
        if not isinstance(value, str) or not value:
            raise TypeError(f"an agent id must be a non-empty string; got {value!r}")
        self._palaver_id = value

    @property
    def name(self) -> str:
        """The readable name (the id when no name was given)."""
        return self._palaver_name if self._palaver_name is not None else self.id

    @name.setter
    def name(self, value: str) -> None:
        self._palaver_name = value

    @property
    def private_info(self) -> dict[str, Any]:
        """What only this agent knows (given as ``private_info=``; empty by default)."""
        return self._palaver_private_info

    @property
    def annotation(self) -> dict[str, Any]:
        """NegMAS's name for :attr:`private_info` (the same dict)."""
        return self._palaver_private_info

    @property
    def awi(self) -> TAWI:
        """The agent's interface to its world (set at ``join``), typed as the agent's AWI class.

        ``None`` before the agent joins a world, as in NegMAS (whose agents test
        ``if self.awi is None``); it is typed without ``None`` because an
        agent's callbacks run only once it has joined.
        """
        return cast("TAWI", self._palaver_awi)

    @awi.setter
    def awi(self, awi: TAWI) -> None:
        self._palaver_awi = awi

    @property
    def negotiation_requests(self) -> dict[str, NegotiationRequest]:
        """The requests this agent made that are not settled yet, by request id."""
        return self._palaver_requested_negotiations

    @property
    def negotiations(self) -> dict[str, NegotiationInfo]:
        """The negotiations this agent is taking part in right now, by negotiation id."""
        return self._palaver_running_negotiations

    def create_negotiation_request(
        self,
        issues: list[Any],
        partners: list[str],
        negotiator: Any,
        annotation: dict[str, Any] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> str:
        """Remember a request about to be made and return its id.

        The world uses ``negotiator`` to represent this agent when the request
        becomes a negotiation (the agent is not asked again; ``None``: it is
        asked, like its partners). NegMAS's positional order, ``(issues,
        partners, annotation, negotiator, extra)``, is recognised when the
        negotiator comes fourth. ``issues`` that are not a non-empty list of
        issues, ``partners`` that are not a list of ids, a ``negotiator`` that
        is neither a negotiator instance nor ``None``, and an ``annotation`` or
        ``extra`` that is not a dict (or ``None``) raise ``NegotiationRequestError``.
        """
        # A plain dict is never a negotiator: NegMAS's order is looked for otherwise.
        if (
            annotation is not None
            and type(annotation) is not dict
            and (negotiator is None or is_mapping(negotiator))
            and is_negotiator(annotation)
        ):
            # NegMAS's positional order, (issues, partners, annotation, negotiator,
            # extra): unambiguous, since neither value fits the other's place.
            negotiator, annotation = annotation, negotiator
        # Checked here, where the request is made: list(None) or dict([1]) below
        # raised Python's own TypeError, naming no argument. A list or a tuple
        # (what requests pass) is a sequence that is no string or mapping.
        kind: Any = type(issues)
        if (
            (
                (kind is not list and kind is not tuple)
                and (isinstance(issues, str | bytes | Mapping) or not isinstance(issues, Sequence))
            )
            or not issues
            or not are_issues(issues)
        ):
            raise NegotiationRequestError(
                f"{_request_who(self._palaver_id)} issues must be a non-empty list of issues "
                f"(make_issue); got {issues!r:.80}"
            )
        if isinstance(partners, str | bytes) or not isinstance(partners, list | tuple):
            raise NegotiationRequestError(
                f"{_request_who(self._palaver_id)} partners must be a list of agent ids; "
                f"got {partners!r:.80}"
            )
        for name, value in (("annotation", annotation), ("extra", extra)):
            if value is not None and not is_mapping(value):
                raise NegotiationRequestError(
                    f"{_request_who(self._palaver_id)} {name} must be a dict or None; "
                    f"got {value!r:.80}"
                )
        if negotiator is not None and not is_negotiator(negotiator):
            problem = own_negotiator_problem(
                _request_who(self._palaver_id), negotiator, "negotiator", none_ok=True
            )
            if problem is not None:
                raise NegotiationRequestError(problem)
        self._palaver_request_counter += 1
        req_id = f"{self.id}:r{self._palaver_request_counter}"
        step = self._palaver_awi.current_step if self._palaver_awi is not None else 0
        self._palaver_requested_negotiations[req_id] = NegotiationRequest(
            partners=list(partners),
            issues=list(issues),
            annotation=dict(annotation) if annotation else {},
            negotiator=negotiator,
            extra=dict(extra) if extra else {},
            requested_at=step,
            id=req_id,
        )
        return req_id

    def _request_negotiation(
        self,
        issues: list[Any],
        partners: list[str],
        roles: list[str | None] | None = None,
        annotation: dict[str, Any] | None = None,
        mechanism_name: str | None = None,
        mechanism_params: dict[str, Any] | None = None,
        negotiator: Any = None,
        extra: dict[str, Any] | None = None,
    ) -> bool:
        """NegMAS's one-call request: create the request and ask the world.

        With ``negotiator=None`` this agent is asked, like its partners,
        through ``_respond_to_negotiation_request`` when the request is made.
        Returns whether the negotiation was registered.
        """
        issues = list(issues)
        awi = self._palaver_awi
        if awi is None:
            raise RuntimeError(
                f"agent {self._palaver_id!r} has not joined a world: "
                "it cannot request a negotiation"
            )
        req_id = self.create_negotiation_request(issues, partners, negotiator, annotation, extra)
        return awi.request_negotiation_about(
            issues,
            list(partners),
            req_id,
            roles=roles,
            annotation=annotation,
            mechanism_name=mechanism_name,
            mechanism_params=mechanism_params,
        )

    def init(self) -> None:
        """Called once after joining, when :attr:`awi` is available."""

    def step(self) -> None:
        """Called once per step (the ``AgentSteps`` operation)."""

    def init_(self) -> None:
        """NegMAS's way to initialise an agent by hand: ``init()`` unless it has run
        (once per agent, as the world runs it: in a world under the world's
        options, before joining directly). Override ``init``, not this."""
        awi = self._palaver_awi
        if awi is not None:
            awi._world._palaver.roster.init(self)
        elif not getattr(self, "_palaver_initialised", False):
            self._palaver_initialised = True
            self.init()

    def step_(self) -> None:
        """NegMAS's way to step an agent by hand: ``init()`` first if it has not run
        (once per agent), then ``step()``.

        A world never calls it (it calls ``init`` and ``step`` itself); override
        ``step``, not this. In a world, ``init`` runs as the world would run it
        (exceptions under the world's options); before joining, it is called
        directly, and the world does not call it again.
        """
        self.init_()
        self.step()
        self._palaver_manual_steps = getattr(self, "_palaver_manual_steps", 0) + 1

    # NegMAS's checkpoint(), from_checkpoint() and checkpoint_info() come from
    # Checkpointing; an agent in a world is saved with its world (its AWI
    # refers to it).
    _palaver_checkpoint_error = CheckpointError

    def _palaver_checkpoint_identity(self) -> tuple[str, str]:
        # An agent not given an id has none until it joins a world.
        object_id = self._palaver_id if self._palaver_id is not None else type(self).__name__
        return object_id, self._palaver_name if self._palaver_name is not None else object_id

    def _palaver_checkpoint_step(self) -> int:
        # Steps made by hand with step_(), else its world's step (0 outside a world).
        awi = self._palaver_awi
        return getattr(self, "_palaver_manual_steps", 0) or (
            awi.current_step if awi is not None else 0
        )

    def _respond_to_negotiation_request(
        self,
        initiator: str,
        partners: list[str],
        issues: list[Any],
        annotation: dict[str, Any],
        mechanism: Any,
        role: str | None,
        req_id: str | None,
    ) -> Any:
        """The world asks whether to join a negotiation; return a negotiator to accept.

        The default forwards to :meth:`respond_to_negotiation_request`.
        """
        return self.respond_to_negotiation_request(initiator, partners, mechanism)

    def respond_to_negotiation_request(
        self, initiator: str, partners: list[str], mechanism: Any
    ) -> Any:
        """Return a negotiator to join the negotiation, or ``None`` to refuse (the default)."""
        return None

    def on_neg_request_rejected(self, req_id: str, by: list[str] | None) -> None:
        """A request this agent made was refused by ``by`` (``None``: by the world)."""

    def on_neg_request_accepted(self, req_id: str, mechanism: Any) -> None:
        """A request this agent made became the negotiation ``mechanism``."""

    def on_negotiation_failure(
        self,
        partners: list[str],
        annotation: dict[str, Any],
        mechanism: Any,
        state: Any,
    ) -> None:
        """A negotiation this agent took part in ended without agreement."""

    def on_negotiation_success(self, contract: Contract, mechanism: Any) -> None:
        """A negotiation this agent took part in produced ``contract``."""

    def sign_contract(self, contract: Contract) -> str | None:
        """Return a signature (this agent's id) to sign, ``None`` to refuse. Default: sign."""
        return self.id

    def sign_all_contracts(self, contracts: list[Contract]) -> list[str | None]:
        """Batch signing: one signature (or ``None``) per contract. Default: sign each."""
        return [self.sign_contract(c) for c in contracts]

    def on_contracts_finalized(
        self,
        signed: list[Contract],
        cancelled: list[Contract],
        rejectors: list[list[str]],
    ) -> None:
        """After a batch signing round: contracts now binding, and those cancelled with who refused.

        Called with ``batch_signing`` (the default) instead of the per-contract
        callbacks, as in NegMAS: this default calls :meth:`on_contract_signed`
        for each signed contract and :meth:`on_contract_cancelled` for each
        cancelled one, so an override that still wants those calls them (or
        ``super()``).
        """
        for contract in signed:
            self.on_contract_signed(contract)
        for contract, refused in zip(cancelled, rejectors, strict=True):
            self.on_contract_cancelled(contract, refused)

    def on_contract_signed(self, contract: Contract) -> None:
        """A contract of this agent became binding."""

    def on_contract_cancelled(self, contract: Contract, rejectors: list[str]) -> None:
        """A contract of this agent was cancelled because ``rejectors`` did not sign it."""

    def on_contract_nullified(self, contract: Contract) -> None:
        """A contract of this agent was nullified: the world did not execute it (no breach)."""

    def set_renegotiation_agenda(
        self, contract: Contract, breaches: list[Breach]
    ) -> RenegotiationRequest | None:
        """Propose how to resolve a breached contract, or ``None`` (the default) to pass."""
        return None

    def respond_to_renegotiation_request(
        self, contract: Contract, breaches: list[Breach], agenda: RenegotiationRequest
    ) -> Any:
        """Accept a resolution agenda by returning a negotiator (``None`` refuses)."""
        return None

    def on_contract_executed(self, contract: Contract) -> None:
        """A contract of this agent was executed without breaches."""

    def on_contract_breached(
        self, contract: Contract, breaches: list[Breach], resolution: Contract | None
    ) -> None:
        """A contract of this agent was breached; ``resolution`` is the agreed fix, if any."""

    def on_message(self, sender: str, message: Any) -> None:
        """Another agent sent this agent a message through its AWI."""

    def on_simulation_step_started(self) -> None:
        """NegMAS's hook: a step starts (called before its operations run)."""

    def on_simulation_step_ended(self) -> None:
        """NegMAS's hook: a step's operations have all run (called before its
        statistics row is made, so what this does is counted in that step)."""

    def _palaver_forget_request(self, req_id: str | None) -> NegotiationRequest | None:
        return (
            self._palaver_requested_negotiations.pop(req_id, None) if req_id is not None else None
        )

    def _palaver_bind(self, agent_id: str, awi: TAWI) -> None:
        self._palaver_id = agent_id
        self._palaver_awi = awi

    def __repr__(self) -> str:
        return f"{type(self).__name__}(id={self._palaver_id!r})"
