"""Negotiator base classes: :class:`Negotiator`, NegMAS's :class:`GBNegotiator`
and :class:`SAONegotiator`, which every SAO strategy derives from.

What they lean on lives beside them: the utility function's handling
(:class:`~palaver.negotiators.preference_handling.NegotiatorPreferences`, a
base of ``Negotiator``), default ids (:mod:`.ids`), reading the offer asked
about (:mod:`.reading`) and NegMAS-style ``__call__`` (:mod:`.negmas_call`);
the public names among them are re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from palaver._util.checks import check_int, check_optional_str
from palaver._util.snapshots import Checkpointing
from palaver.mechanisms import (
    MechanismState,
    NegotiatorMechanismInterface,
    ResponseType,
    SAOResponse,
)
from palaver.negotiators.callbacks import NegotiatorCallbacks
from palaver.negotiators.ids import (
    IdCounter,
    check_name_and_id,
    id_scope,
    negotiator_id_scope,
    process_ids,
)
from palaver.negotiators.negmas_call import adapt_negmas_respond, answer_through_call
from palaver.negotiators.negmas_views import NegotiatorNegMASViews
from palaver.negotiators.preference_handling import NegotiatorPreferences
from palaver.negotiators.ranking import DEFAULT_N_LEVELS, OutcomeRanking, ranking_for
from palaver.negotiators.reading import offer_of, state_dependent
from palaver.outcomes import Outcome
from palaver.preferences.protocol import (
    UtilityFunctionLike,
    check_ufun_space,
    checked_ufun,
    resolve_ufun,
)

__all__ = [
    "GBNegotiator",
    "IdCounter",
    "Negotiator",
    "SAONegotiator",
    "negotiator_id_scope",
    "offer_of",
    "state_dependent",
]


class Negotiator(NegotiatorCallbacks, NegotiatorPreferences, NegotiatorNegMASViews, Checkpointing):
    """Takes part in negotiations on behalf of an agent.

    Args:
        name: A human-readable name (default: the class name and a number).
        ufun: The utility function to negotiate with (``preferences`` is an
            alias). A mechanism's ``add(negotiator, ufun=...)`` may replace it.
        preferences: Alias of ``ufun``.
        id: A unique id (default: ``name`` when given, else the generated name).
        owner: The agent this negotiator acts for (NegMAS's ``owner``); the
            world sets it when the negotiator joins one of its negotiations.
        private_info: What only this negotiator knows (NegMAS's
            ``private_info``); its ``"opponent_ufun"`` is :attr:`opponent_ufun`.

    Attributes:
        name: The name.
        id: The id used in events and the offer history.
        owner_id: The id of the agent this negotiator acts for; set by the world,
            ``None`` outside a world.
        nmi: The interface of the mechanism it joined, or ``None``.
        role: The role given when it joined, if any.
        parent: The controller managing it (NegMAS's ``parent``), set by
            :meth:`~palaver.negotiators.SAOController.add_negotiator`; ``None`` otherwise.
    """

    #: Whether the negotiator needs a utility function to negotiate.
    needs_ufun: ClassVar[bool] = True

    def _palaver_checkpoint_step(self) -> int | None:
        # checkpoint() writes the round of the negotiation it takes part in, if any.
        return self.nmi.state.step if self.nmi is not None else None

    def __init__(
        self,
        name: str | None = None,
        ufun: UtilityFunctionLike | None = None,
        preferences: UtilityFunctionLike | None = None,
        id: str | None = None,
        owner: Any = None,
        private_info: Mapping[str, Any] | None = None,
    ) -> None:
        self._ufun = resolve_ufun(ufun, preferences)
        if private_info is not None and not isinstance(private_info, Mapping):
            raise TypeError(
                f"private_info must be a dict or None; got {private_info!r:.80} "
                f"({type(private_info).__name__})"
            )
        if name is not None and type(name) is not str:
            check_optional_str("name", name)
        if id is not None and type(id) is not str:
            check_optional_str("id", id)
        if name == "" or id == "":
            # An empty id would be the agent id of its events and the key of
            # its offers in the history: refused, whatever NegMAS lets through.
            raise ValueError(f"a negotiator's {'name' if name == '' else 'id'} must not be empty")
        if (name is not None and not name.isascii()) or (id is not None and not id.isascii()):
            check_name_and_id(name, id)
        if name is None:
            name = f"{type(self).__name__}-{id_scope.get(process_ids).take()}"
        self.name: str = name
        self.id: str = id if id is not None else name
        self._id_given = id is not None
        self.owner_id: str | None = None
        self.nmi: NegotiatorMechanismInterface | None = None
        self.role: str | None = None
        self.parent: Any = None
        cls = type(self)
        if owner is None and cls.owner is _OWNER and cls.__setattr__ is _SETATTR:
            # The usual case: the setter would only look for an id on None.
            self._owner = None
        else:
            self.owner = owner
        self._private_info: dict[str, Any] = {} if private_info is None else dict(private_info)

    @property
    def owner(self) -> Any:
        """The agent this negotiator acts for, ``None`` outside a world (NegMAS's ``owner``).

        Setting an agent also sets :attr:`owner_id` to its id.
        """
        return self._owner

    @owner.setter
    def owner(self, value: Any) -> None:
        self._owner = value
        owner_id = getattr(value, "id", None)
        if isinstance(owner_id, str):
            self.owner_id = owner_id

    @property
    def id_given(self) -> bool:
        """Whether the id was given (``id=``) rather than taken from the name.

        A mechanism that already has a negotiator with this id renames one
        whose id was not given (``"a1"`` becomes ``"a1-1"``): NegMAS's ids
        are unique whatever the names, so NegMAS code may give two
        negotiators of one negotiation the same name.
        """
        return self._id_given

    @property
    def private_info(self) -> dict[str, Any]:
        """What only this negotiator knows (given as ``private_info=``; empty by default)."""
        return self._private_info

    # NegMAS's capabilities: what a mechanism's requirements are matched against.
    def _default_capabilities(self) -> dict[str, Any]:
        return {"enter": True, "leave": True, "ultimatum": True}

    @property
    def capabilities(self) -> dict[str, Any]:
        """What it can do, as NegMAS's negotiators say it (``{"enter": True, ...}``;
        an SAO negotiator adds ``respond``, ``propose`` and ``max-proposals``).
        Made on first read; :meth:`add_capabilities` and :meth:`remove_capability`
        change it (a mechanism's ``requirements`` are matched against it)."""
        found: dict[str, Any] | None = self.__dict__.get("_capabilities")
        if found is None:
            found = self.__dict__["_capabilities"] = self._default_capabilities()
        return found

    @capabilities.setter
    def capabilities(self, value: Any) -> None:
        # Kept as given: a mechanism checks it when the negotiator joins.
        self.__dict__["_capabilities"] = value

    def add_capabilities(self, capabilities: Mapping[str, Any]) -> None:
        """Add (or replace) these capabilities."""
        self.capabilities.update(capabilities)

    def remove_capability(self, name: str) -> None:
        """Drop the capability ``name`` (nothing happens when it has none of that name)."""
        self.capabilities.pop(name, None)

    @property
    def type_name(self) -> str:
        """The class's full name, ``module.Class`` (NegMAS's ``type_name``)."""
        cls = type(self)
        return f"{cls.__module__}.{cls.__qualname__}"

    @property
    def short_type_name(self) -> str:
        """The class name without a trailing ``Negotiator`` (``"Boulware"``, ``"MiCRO"``)."""
        name = type(self).__name__
        return name.removesuffix("Negotiator") or name

    @property
    def random(self) -> np.random.Generator:
        """The generator the mechanism handed this negotiator (derived from its seed)."""
        if self.nmi is None:
            raise RuntimeError(f"negotiator {self.id!r} has not joined a mechanism")
        return self.nmi.random

    def join(
        self,
        nmi: NegotiatorMechanismInterface,
        ufun: UtilityFunctionLike | None = None,
        role: str | None = None,
    ) -> bool:
        """Join a mechanism; return whether it joined.

        Refuses (``False``) while the negotiation it joined last has not ended
        (pending or running), as NegMAS's negotiators refuse a second
        negotiation: one negotiator in two at once would read the other's
        interface and mix their state.
        Raises ``ValueError`` when it needs a utility function and has none, or
        when its utility function is bound to another outcome space; ``TypeError``
        when ``ufun`` is not a utility function.
        """
        last = self.nmi
        if last is not None and last is not nmi and not last.state.ended:
            return False
        own = checked_ufun("ufun", ufun) if ufun is not None else self._ufun
        if own is None and self.needs_ufun:
            raise ValueError(
                f"{type(self).__name__} {self.id!r} needs a utility function: pass ufun= to "
                "the negotiator or to mechanism.add()"
            )
        if own is not None:
            check_ufun_space(own, nmi.outcome_space, "the negotiation it joins")
        self._ufun = own
        self.nmi = nmi
        self.role = role
        return True

    def on_negotiation_start(self, state: MechanismState) -> None:
        """Called once when the negotiation starts (strategies precompute here)."""

    def on_negotiation_end(self, state: MechanismState) -> None:
        """Called once when the negotiation ends."""

    def is_better(self, first: Outcome | None, second: Outcome | None) -> bool | None:
        """``True`` if ``first`` is better for it, ``False`` if worse, ``None`` if equal."""
        ufun = self._own_ufun()
        a, b = ufun(first), ufun(second)
        if a == b:
            return None
        return bool(a > b)

    def respond(self, state: MechanismState, offer: Outcome) -> ResponseType:
        """Accept an offer worth at least the reserved value (the veto mechanism's final vote)."""
        if offer.__class__ is not tuple:  # NegMAS: super().respond(state, source)
            offer = offer_of(state, offer)
        if self._own_ufun()(offer) >= self.reserved_value:
            return ResponseType.ACCEPT_OFFER
        return ResponseType.REJECT_OFFER

    def is_acceptable_as_agreement(self, outcome: Outcome) -> bool:
        """Whether ``outcome`` is worth at least the reserved value (``False`` without a
        utility function): NegMAS's end-of-negotiation check, asked by
        :class:`~palaver.mechanisms.VetoSTMechanism` and its hill-climbing variant."""
        if self._ufun is None:
            return False
        return bool(self._ufun(outcome) >= self.reserved_value)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(id={self.id!r})"


#: The ``owner`` property as Negotiator defines it, and plain attribute setting
#: (a subclass may define its own of either).
_OWNER = Negotiator.__dict__["owner"]
_SETATTR = object.__setattr__


class GBNegotiator(Negotiator):
    """A negotiator that proposes and responds (NegMAS's ``GBNegotiator``).

    NegMAS's base of the negotiators of its generalized-bargaining protocols,
    of which alternating offers is one; Palaver runs them all as SAO, so
    :class:`SAONegotiator` is the only class built on it here. Every SAO
    negotiator is a ``GBNegotiator``, as in NegMAS, so code that checks or
    annotates with this name works unchanged.
    """


class SAONegotiator(GBNegotiator):
    """A negotiator for stacked alternating offers: implement ``propose`` and ``respond``.

    Like NegMAS's, a subclass of one's own may negotiate without a utility
    function (``needs_ufun`` is ``False`` here); every built-in strategy
    needs one and refuses to join without it.

    Strategies that enumerate outcomes work on an explicit discretization:
    continuous issues are split into ``n_levels`` evenly spaced values
    (default 10). Offers from others are judged by the utility function
    directly, so any valid outcome can be accepted.

    :attr:`ranking` (an :class:`OutcomeRanking`, built at the start of each
    negotiation by strategies that set ``uses_ranking``) gives sorted outcomes
    and cached utilities.
    """

    #: Whether :meth:`on_negotiation_start` builds :attr:`ranking` (it does only
    #: for a negotiator with a utility function).
    uses_ranking: ClassVar[bool] = True
    # A subclass of one's own may decide without a utility function, as in
    # NegMAS; the built-in strategies that need one say so.
    needs_ufun: ClassVar[bool] = False
    # A class with a NegMAS-style __call__: the respond and propose of its
    # strategy, for SAONegotiator.__call__ (see negmas_call.answer_through_call).
    _strategy_respond: ClassVar[Any]
    _strategy_propose: ClassVar[Any]

    def _default_capabilities(self) -> dict[str, Any]:
        found = super()._default_capabilities()
        found["respond"] = True
        found["propose"] = getattr(self, "can_propose", True) is not False
        found["max-proposals"] = 1
        return found

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Give a NegMAS 0.16-style ``respond(self, state, source=None)`` the proposer's id.

        NegMAS 0.16 calls ``respond(state, source)`` with the id of the
        negotiator that made the offer (the offer is ``state.current_offer``);
        Palaver calls ``respond(state, offer)``. A subclass whose ``respond``
        names its second parameter ``source`` is given what NegMAS gives it,
        rather than an outcome under that name.
        """
        super().__init_subclass__(**kwargs)
        adapt_negmas_respond(cls)
        if cls.__call__ is not SAONegotiator.__call__:
            answer_through_call(cls)

    def __call__(self, state: MechanismState, dest: str | None = None) -> SAOResponse:
        """NegMAS's entry point: an answer to the standing offer and, on rejection, an offer.

        Answers ``state.current_offer`` with :meth:`respond` (unless this
        negotiator made it); when it rejects, or there is no offer to
        answer, it adds :meth:`propose`'s offer. Palaver's mechanisms call
        ``respond`` and ``propose``; a subclass that overrides ``__call__``
        (NegMAS-style, possibly calling ``super().__call__``) is asked
        through it instead: its reply's response answers the offer and its
        outcome is the counter-offer. ``dest`` is NegMAS's (unused).
        """
        cls = type(self)
        respond = cls.respond
        propose = cls.propose
        if getattr(respond, "_palaver_via_call", False):
            respond = cls._strategy_respond
        if getattr(propose, "_palaver_via_call", False):
            propose = cls._strategy_propose
        offer = getattr(state, "current_offer", None)
        asked = self._asked_to_respond
        if asked is None:
            asked = offer is not None and getattr(state, "current_proposer", None) != self.id
        if asked and offer is not None:
            response = respond(self, state, offer)
            if response is not ResponseType.REJECT_OFFER:
                return SAOResponse(response, None)
        return SAOResponse(ResponseType.REJECT_OFFER, propose(self, state))

    def __init__(
        self,
        name: str | None = None,
        ufun: UtilityFunctionLike | None = None,
        preferences: UtilityFunctionLike | None = None,
        id: str | None = None,
        n_levels: int = DEFAULT_N_LEVELS,
        owner: Any = None,
        private_info: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(
            name=name,
            ufun=ufun,
            preferences=preferences,
            id=id,
            owner=owner,
            private_info=private_info,
        )
        # A float such as 1.5 is a ValueError here (documented before this check existed).
        self.n_levels = (
            n_levels
            if type(n_levels) is int and n_levels >= 2
            else check_int("n_levels", n_levels, minimum=2, type_error=ValueError)
        )
        self.ranking: OutcomeRanking | None = None
        # For a NegMAS-style __call__ (see negmas_call.answer_through_call): whether the
        # mechanism asked for an answer (True) or an offer (False); None outside.
        self._asked_to_respond: bool | None = None
        # The reply whose counter-offer the next propose() returns: (round, reply).
        self._call_reply: tuple[int, SAOResponse] | None = None

    def on_negotiation_start(self, state: MechanismState) -> None:
        """Build :attr:`ranking` (when ``uses_ranking`` and it has a utility function)."""
        if self.uses_ranking and self._ufun is not None:
            assert self.nmi is not None
            self.ranking = ranking_for(self._own_ufun(), self.nmi.outcome_space, self.n_levels)

    def _ranked(self) -> OutcomeRanking:
        """:attr:`ranking`, or a ``RuntimeError`` saying why there is none.

        A subclass overriding :meth:`on_negotiation_start` without calling
        ``super().on_negotiation_start(state)`` (harmless in NegMAS) leaves the
        built-in strategies without their ranking.
        """
        ranking = self.ranking
        if ranking is None:
            raise RuntimeError(
                f"{type(self).__name__} {self.id!r} has no ranking of its outcomes: "
                "SAONegotiator.on_negotiation_start did not run; an override of "
                "on_negotiation_start must call super().on_negotiation_start(state)"
            )
        return ranking

    def propose(self, state: MechanismState) -> Outcome | None:
        """The offer to make now (``None``: make none). Subclasses implement it.

        Every built-in strategy's ``propose`` also takes NegMAS's ``dest=None``
        (the destination; Palaver's offers go to every partner), so NegMAS code
        handing on ``super().propose(state, dest)`` runs unchanged. This base
        keeps the one-argument form, so that a subclass written as
        ``propose(self, state)`` stays a valid override for type checkers.
        """
        raise NotImplementedError(f"{type(self).__name__} does not implement propose()")

    def respond(self, state: MechanismState, offer: Outcome) -> ResponseType:
        """Accept when ``offer`` is worth at least what this negotiator would propose now.

        Subclasses usually override this; this default calls :meth:`propose`.
        """
        if offer.__class__ is not tuple:  # NegMAS: super().respond(state, source)
            offer = offer_of(state, offer)
        mine = self.propose(state)
        if mine is None:
            return ResponseType.REJECT_OFFER
        ufun = self._own_ufun()
        u = ufun(offer)
        if u >= ufun(mine) and u >= self.reserved_value:
            return ResponseType.ACCEPT_OFFER
        return ResponseType.REJECT_OFFER
