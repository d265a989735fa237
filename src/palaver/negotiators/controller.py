"""Controllers: one object deciding for several negotiators in several negotiations.

NegMAS's ``SAOController`` model: the controller makes negotiators
(:meth:`SAOController.create_negotiator`), each joins one negotiation, and a
:class:`ControlledSAONegotiator` hands every decision (``propose``,
``respond``, joining, start and end) to its controller with its own id, so
that one strategy can see and coordinate all of them (an agent buying the
same good from several sellers at once, say). A controller also manages
negotiators of any other type: those decide for themselves and the
controller keeps them in :attr:`SAOController.negotiators` (its registry).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any, ClassVar, NamedTuple

from palaver._util.checks import check_bool, check_optional_str
from palaver.mechanisms import (
    MechanismState,
    NegotiatorMechanismInterface,
    ResponseType,
)
from palaver.negotiators.base import Negotiator, SAONegotiator
from palaver.negotiators.ranking import DEFAULT_N_LEVELS
from palaver.outcomes import Outcome
from palaver.preferences.protocol import UtilityFunctionLike, resolve_ufun


class NegotiatorEntry(NamedTuple):
    """A negotiator a controller manages and the context it was created with."""

    negotiator: Negotiator
    context: Any


def resolve_negotiator_type(value: str | type[Negotiator], where: str) -> type[Negotiator]:
    """The negotiator class ``value`` names: a class, or its dotted path.

    A path into NegMAS (``"negmas.sao.AspirationNegotiator"``) names the
    Palaver class of that name, so that NegMAS code whose imports were
    changed still finds its strategies; any other path is imported. ``where``
    names the parameter, for the message.
    """
    if isinstance(value, type):
        if not issubclass(value, Negotiator):
            raise TypeError(f"{where} must be a Negotiator subclass; got {value.__qualname__}")
        return value
    if not isinstance(value, str) or "." not in value:
        raise TypeError(
            f"{where} must be a Negotiator subclass or its dotted path "
            f"('package.module.Class'); got {value!r:.80}"
        )
    module_name, _, class_name = value.rpartition(".")
    if module_name.split(".")[0] == "negmas":
        module_name = "palaver"
    try:
        found = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError):
        raise ValueError(f"{where}={value!r}: no class {class_name!r} in {module_name!r}") from None
    if not (isinstance(found, type) and issubclass(found, Negotiator)):
        raise TypeError(f"{where}={value!r} is not a Negotiator subclass")
    return found


class ControlledSAONegotiator(SAONegotiator):
    """An SAO negotiator whose every decision is made by its controller.

    It joins only when :meth:`SAOController.before_join` allows it, and hands
    ``propose``, ``respond``, ``on_negotiation_start`` and
    ``on_negotiation_end`` to its :attr:`parent` with its own id. Without a
    controller it makes no offers and rejects every offer (NegMAS's
    behaviour). It needs no utility function of its own: the controller's
    is what decides.

    Args:
        name, ufun, preferences, id, owner, private_info: As for
            :class:`SAONegotiator`.
        parent: The controller deciding for it (set by
            :meth:`SAOController.create_negotiator`).
    """

    needs_ufun: ClassVar[bool] = False
    uses_ranking: ClassVar[bool] = False

    def __init__(
        self,
        name: str | None = None,
        ufun: UtilityFunctionLike | None = None,
        preferences: UtilityFunctionLike | None = None,
        id: str | None = None,
        n_levels: int = DEFAULT_N_LEVELS,
        owner: Any = None,
        private_info: Mapping[str, Any] | None = None,
        parent: SAOController | None = None,
    ) -> None:
        super().__init__(
            name=name,
            ufun=ufun,
            preferences=preferences,
            id=id,
            n_levels=n_levels,
            owner=owner,
            private_info=private_info,
        )
        if parent is not None and not isinstance(parent, SAOController):
            raise TypeError(f"parent must be an SAOController or None; got {type(parent).__name__}")
        self.parent = parent
        # False while the controller asks this negotiator itself (SAOController.call):
        # its methods then run their own (empty) strategy instead of asking back.
        self._delegating = True

    def _controller(self) -> SAOController | None:
        parent = self.parent
        return parent if self._delegating and isinstance(parent, SAOController) else None

    def join(
        self,
        nmi: NegotiatorMechanismInterface,
        ufun: UtilityFunctionLike | None = None,
        role: str | None = None,
    ) -> bool:
        """Join when the controller's :meth:`~SAOController.before_join` allows it;
        then tell it (:meth:`~SAOController.after_join`)."""
        controller = self._controller()
        if controller is not None and not controller.before_join(self.id, nmi, ufun, role):
            return False
        if not super().join(nmi, ufun, role):
            return False
        if controller is not None:
            controller.after_join(self.id, nmi, ufun, role)
        return True

    def on_negotiation_start(self, state: MechanismState) -> None:
        """The controller's :meth:`~SAOController.on_negotiation_start` for this negotiator."""
        controller = self._controller()
        if controller is not None:
            controller.on_negotiation_start(self.id, state)

    def on_negotiation_end(self, state: MechanismState) -> None:
        """The controller's :meth:`~SAOController.on_negotiation_end` for this negotiator."""
        controller = self._controller()
        if controller is not None:
            controller.on_negotiation_end(self.id, state)

    def propose(self, state: MechanismState, dest: str | None = None) -> Outcome | None:
        """The controller's offer for this negotiator (none without a controller)."""
        controller = self._controller()
        return controller.propose(self.id, state) if controller is not None else None

    def respond(self, state: MechanismState, offer: Outcome) -> ResponseType:
        """The controller's answer for this negotiator (reject without a controller).

        The controller is given the proposer's id, as in NegMAS; the offer is
        ``state.current_offer``.
        """
        controller = self._controller()
        if controller is None:
            return ResponseType.REJECT_OFFER
        return controller.respond(self.id, state, getattr(state, "current_proposer", None))


class SAOController:
    """Manages several SAO negotiators and decides for the controlled ones (NegMAS's).

    :meth:`create_negotiator` makes a negotiator of ``default_negotiator_type``
    (a :class:`ControlledSAONegotiator` unless told otherwise) and keeps it in
    :attr:`negotiators`; add it to a mechanism as any negotiator. Controlled
    negotiators ask the controller for everything: a subclass overrides
    :meth:`propose` and :meth:`respond` (each given the negotiator's id) to
    decide for all of them at once. The base class's :meth:`propose` and
    :meth:`respond` run the negotiator's own strategy, which for a
    :class:`ControlledSAONegotiator` is none (no offer, reject). A negotiator
    of another type (an :class:`~palaver.negotiators.AspirationNegotiator`,
    say) decides for itself; the controller knows it and its context.

    With ``auto_kill`` (the default) a negotiator is forgotten
    (:meth:`kill_negotiator`) when its negotiation ends.

    Args:
        default_negotiator_type: The class :meth:`create_negotiator` makes
            (or its dotted path; ``"negmas.sao.X"`` names Palaver's ``X``).
        default_negotiator_params: Keyword arguments for every negotiator it
            makes (those given to :meth:`create_negotiator` win).
        parent: What this controller answers to (an agent or another
            controller), kept for user code.
        auto_kill: Forget a negotiator when its negotiation ends.
        name: A name (default: the class name).
        ufun: The controller's own utility function (``preferences`` is an alias).
        preferences: Alias of ``ufun``.
        id: An id (default: the name).
        owner: The agent it acts for, kept for user code.

    Attributes:
        name, id: Its name and id.
        parent, owner: As given.
    """

    def __init__(
        self,
        default_negotiator_type: str | type[Negotiator] | None = None,
        default_negotiator_params: Mapping[str, Any] | None = None,
        parent: Any = None,
        auto_kill: bool = True,
        name: str | None = None,
        ufun: UtilityFunctionLike | None = None,
        preferences: UtilityFunctionLike | None = None,
        id: str | None = None,
        owner: Any = None,
    ) -> None:
        self._default_type = resolve_negotiator_type(
            default_negotiator_type
            if default_negotiator_type is not None
            else ControlledSAONegotiator,
            "default_negotiator_type",
        )
        if default_negotiator_params is not None and not isinstance(
            default_negotiator_params, Mapping
        ):
            raise TypeError(
                "default_negotiator_params must be a dict or None; got "
                f"{type(default_negotiator_params).__name__}"
            )
        self._default_params = dict(default_negotiator_params or {})
        self._auto_kill = check_bool("auto_kill", auto_kill)
        check_optional_str("name", name)
        check_optional_str("id", id)
        self.name: str = name if name is not None else type(self).__name__
        self.id: str = id if id is not None else self.name
        self.parent = parent
        self.owner = owner
        self.ufun: UtilityFunctionLike | None = resolve_ufun(ufun, preferences)
        self._negotiators: dict[str, NegotiatorEntry] = {}

    @property
    def preferences(self) -> UtilityFunctionLike | None:
        """Alias of :attr:`ufun`."""
        return self.ufun

    @property
    def default_negotiator_type(self) -> type[Negotiator]:
        """The class :meth:`create_negotiator` makes when not told otherwise."""
        return self._default_type

    @property
    def auto_kill(self) -> bool:
        """Whether a negotiator is forgotten when its negotiation ends."""
        return self._auto_kill

    # -- the registry ---------------------------------------------------------

    @property
    def negotiators(self) -> dict[str, NegotiatorEntry]:
        """The negotiators it manages: id -> :class:`NegotiatorEntry` (negotiator, context)."""
        return self._negotiators

    def _where(self, started: bool | None, running: bool | None) -> dict[str, NegotiatorEntry]:
        found: dict[str, NegotiatorEntry] = {}
        for nid, entry in self._negotiators.items():
            nmi = entry.negotiator.nmi
            if nmi is None:
                continue
            state = nmi.state
            if started is not None and state.started != started:
                continue
            if running is not None and state.running != running:
                continue
            found[nid] = entry
        return found

    @property
    def to_start_negotiators(self) -> dict[str, NegotiatorEntry]:
        """Those in a negotiation that has not started yet."""
        return self._where(started=False, running=None)

    @property
    def started_negotiators(self) -> dict[str, NegotiatorEntry]:
        """Those in a negotiation that started (running or ended)."""
        return self._where(started=True, running=None)

    @property
    def unfinished_negotiators(self) -> dict[str, NegotiatorEntry]:
        """Those in a negotiation that is running."""
        return self._where(started=True, running=True)

    @property
    def finished_negotiators(self) -> dict[str, NegotiatorEntry]:
        """Those in a negotiation that ended (kept until killed: see ``auto_kill``)."""
        return self._where(started=True, running=False)

    @property
    def active_negotiators(self) -> dict[str, NegotiatorEntry]:
        """Those in a negotiation that is running or has not started yet."""
        return {
            nid: entry
            for nid, entry in self._where(started=None, running=None).items()
            if entry.negotiator.nmi is not None
            and (entry.negotiator.nmi.state.running or not entry.negotiator.nmi.state.started)
        }

    @property
    def states(self) -> dict[str, MechanismState]:
        """The state of each managed negotiator's negotiation (those that joined one)."""
        return {
            nid: entry.negotiator.nmi.state
            for nid, entry in self._negotiators.items()
            if entry.negotiator.nmi is not None
        }

    def is_clean(self) -> bool:
        """Whether it manages no negotiator."""
        return not self._negotiators

    def partner_negotiator_ids(self, negotiator_id: str) -> list[str] | None:
        """The ids of the others in ``negotiator_id``'s negotiation.

        ``None`` when it is not managed here or has not joined a negotiation.
        """
        entry = self._negotiators.get(negotiator_id)
        if entry is None or entry.negotiator.nmi is None:
            return None
        return [n for n in entry.negotiator.nmi.negotiator_ids if n != negotiator_id]

    def make_negotiator(
        self,
        negotiator_type: str | type[Negotiator] | None = None,
        name: str | None = None,
        **kwargs: Any,
    ) -> Negotiator:
        """Make a negotiator for this controller, not managed yet (see :meth:`add_negotiator`).

        The constructor gets ``default_negotiator_params`` updated with
        ``kwargs``, and ``parent=self`` when it takes ``parent`` (a negotiator
        of another type gets its :attr:`~palaver.negotiators.Negotiator.parent` set).
        """
        cls = (
            self._default_type
            if negotiator_type is None
            else resolve_negotiator_type(negotiator_type, "negotiator_type")
        )
        params = {**self._default_params, **kwargs}
        if issubclass(cls, ControlledSAONegotiator):
            params.setdefault("parent", self)
        negotiator = cls(name=name, **params)
        if negotiator.parent is None:
            negotiator.parent = self
        return negotiator

    def add_negotiator(self, negotiator: Negotiator, cntxt: Any = None) -> None:
        """Manage ``negotiator``, with ``cntxt`` as its context; it becomes its parent."""
        if not isinstance(negotiator, Negotiator):
            raise TypeError(f"negotiator must be a Negotiator; got {type(negotiator).__name__}")
        negotiator.parent = self
        self._negotiators[negotiator.id] = NegotiatorEntry(negotiator, cntxt)

    def create_negotiator(
        self,
        negotiator_type: str | type[Negotiator] | None = None,
        name: str | None = None,
        cntxt: Any = None,
        **kwargs: Any,
    ) -> Negotiator:
        """Make a negotiator (:meth:`make_negotiator`) and manage it (:meth:`add_negotiator`)."""
        negotiator = self.make_negotiator(negotiator_type, name, **kwargs)
        self.add_negotiator(negotiator, cntxt)
        return negotiator

    def kill_negotiator(self, negotiator_id: str, force: bool = False) -> None:
        """Forget a negotiator (its negotiation, if running, goes on without the controller).

        ``force`` is NegMAS's (whether to forget one that refuses to die);
        Palaver's negotiators never refuse, so it changes nothing.
        """
        entry = self._negotiators.pop(negotiator_id, None)
        if entry is not None and entry.negotiator.parent is self:
            entry.negotiator.parent = None

    def reset(self) -> None:
        """Forget every negotiator."""
        for negotiator_id in list(self._negotiators):
            self.kill_negotiator(negotiator_id, force=True)

    def _managed(self, negotiator_id: str) -> Negotiator:
        entry = self._negotiators.get(negotiator_id)
        if entry is None:
            raise ValueError(
                f"negotiator_id {negotiator_id!r} is not managed by {self.name!r} "
                f"(it manages {sorted(self._negotiators)})"
            )
        return entry.negotiator

    def call(self, negotiator: Negotiator, method: str, *args: Any, **kwargs: Any) -> Any:
        """Call ``negotiator.method(*args, **kwargs)`` as the negotiator's own, without its
        handing the call back to this controller (NegMAS's ``call``)."""
        if isinstance(negotiator, ControlledSAONegotiator):
            negotiator._delegating = False
            try:
                return getattr(negotiator, method)(*args, **kwargs)
            finally:
                negotiator._delegating = True
        return getattr(negotiator, method)(*args, **kwargs)

    # -- what the controlled negotiators ask ---------------------------------

    def before_join(
        self,
        negotiator_id: str,
        nmi: NegotiatorMechanismInterface,
        ufun: UtilityFunctionLike | None = None,
        role: str | None = None,
    ) -> bool:
        """Whether ``negotiator_id`` may join the negotiation of ``nmi`` (always, here)."""
        return True

    def after_join(
        self,
        negotiator_id: str,
        nmi: NegotiatorMechanismInterface,
        ufun: UtilityFunctionLike | None = None,
        role: str | None = None,
    ) -> None:
        """Called once ``negotiator_id`` joined the negotiation of ``nmi`` (does nothing here)."""

    def on_negotiation_start(self, negotiator_id: str, state: MechanismState) -> None:
        """``negotiator_id``'s negotiation started: its own ``on_negotiation_start`` runs."""
        negotiator = self._negotiators.get(negotiator_id)
        if negotiator is not None:
            self.call(negotiator.negotiator, "on_negotiation_start", state)

    def on_negotiation_end(self, negotiator_id: str, state: MechanismState) -> None:
        """``negotiator_id``'s negotiation ended: its own ``on_negotiation_end`` runs, then
        (with ``auto_kill``) it is forgotten."""
        negotiator = self._negotiators.get(negotiator_id)
        if negotiator is None:
            return
        self.call(negotiator.negotiator, "on_negotiation_end", state)
        if self._auto_kill:
            self.kill_negotiator(negotiator_id, force=True)

    def propose(self, negotiator_id: str, state: MechanismState) -> Outcome | None:
        """The offer ``negotiator_id`` makes now: its own strategy's, here (override to decide).

        Raises ``ValueError`` for a negotiator it does not manage.
        """
        offer: Outcome | None = self.call(self._managed(negotiator_id), "propose", state)
        return offer

    def respond(
        self, negotiator_id: str, state: MechanismState, source: str | None = None
    ) -> ResponseType:
        """``negotiator_id``'s answer to the standing offer ``state.current_offer``,
        made by ``source``: its own strategy's, here (override to decide).

        Raises ``ValueError`` for a negotiator it does not manage.
        """
        negotiator = self._managed(negotiator_id)
        offer = getattr(state, "current_offer", None)
        if offer is None:
            return ResponseType.REJECT_OFFER
        response: ResponseType = self.call(negotiator, "respond", state, offer)
        return response

    def __repr__(self) -> str:
        return f"{type(self).__name__}(id={self.id!r}, negotiators={len(self._negotiators)})"
