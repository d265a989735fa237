"""A negotiator made of parts: an acceptance policy, an offering policy, a model (NegMAS's BOA).

:class:`BOANegotiator` answers offers with its acceptance policy and makes
offers with its offering policy (see :mod:`palaver.negotiators.components`);
its model (an opponent model such as
:class:`~palaver.negotiators.FrequencyUFunModel`) and any extra components
hear the same callbacks. :func:`make_boa` builds one, as NegMAS's does.

Data that a policy attaches (an :class:`~palaver.outcomes.ExtendedOutcome`
or an :class:`~palaver.mechanisms.ExtendedResponseType`) is merged as
:meth:`SAOResponse.from_extended <palaver.mechanisms.SAOResponse.from_extended>`
merges it and recorded as a ``message`` event, as for any NegMAS-style
``SAOResponse`` carrying data; Palaver's offers themselves are outcomes only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from palaver.mechanisms import ExtendedResponseType, MechanismState, ResponseType, SAOResponse
from palaver.negotiators.base import SAONegotiator
from palaver.negotiators.components import AcceptancePolicy, OfferingPolicy
from palaver.negotiators.opponent_models import UFunModel
from palaver.preferences.changes import PreferencesChange

__all__ = ["BOANegotiator", "make_boa"]

# The callbacks a component may define (an opponent model has most of them).
_HOOKS = (
    "on_preferences_changed",
    "on_negotiation_start",
    "on_negotiation_end",
    "on_partner_proposal",
    "before_responding",
    "after_responding",
    "before_proposing",
    "after_proposing",
)


def _plain(answer: ResponseType | ExtendedResponseType) -> ResponseType:
    return answer.response if isinstance(answer, ExtendedResponseType) else answer


class BOANegotiator(SAONegotiator):
    """Answers with ``acceptance``, offers with ``offering``; ``model`` learns alongside.

    Every callback (``on_preferences_changed``, ``on_negotiation_start``,
    ``on_negotiation_end``, ``on_partner_proposal``, and the component hooks
    ``before_responding`` / ``after_responding`` / ``before_proposing`` /
    ``after_proposing``) goes to the model first, then the acceptance
    policy, the offering policy and the extra components. Without an
    acceptance policy it rejects every offer; without an offering policy it
    offers nothing. A :class:`~palaver.negotiators.UFunModel` given as the
    model is its :attr:`opponent_ufun`.

    Args:
        acceptance: Decides on the offers it is shown.
        offering: Decides what it offers.
        model: A model of the partner (or of anything else it learns).
        extra_components: More components to hear the callbacks.
        extra_component_names: Their names (default ``extra0``, ``extra1``, ...).
        *args, **kwargs: As for :class:`~palaver.negotiators.SAONegotiator`
            (``name``, ``ufun``, ``id``, ...).

    Attributes:
        components: The parts, in callback order.
        component_names: Their names (``model``, ``acceptance``, ``offering``, ...).
    """

    # The parts rank outcomes themselves (an offering policy its own way).
    uses_ranking = False

    def __init__(
        self,
        *args: Any,
        acceptance: AcceptancePolicy | None = None,
        offering: OfferingPolicy | None = None,
        model: Any = None,
        extra_components: Sequence[Any] | None = None,
        extra_component_names: Sequence[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        parts: list[tuple[str, Any]] = [
            ("model", model),
            ("acceptance", acceptance),
            ("offering", offering),
        ]
        self._assemble(acceptance, offering, model, parts, extra_components, extra_component_names)
        if isinstance(model, UFunModel):
            self._private_info["opponent_ufun"] = model

    def _assemble(
        self,
        acceptance: AcceptancePolicy | None,
        offering: OfferingPolicy | None,
        model: Any,
        parts: list[tuple[str, Any]],
        extra_components: Sequence[Any] | None,
        extra_component_names: Sequence[str] | None,
    ) -> None:
        """Hold ``parts`` (``(name, component)``; ``None`` skipped), then the extras."""
        for name, part in parts:
            _check_part(name, part, callable_too=name in ("acceptance", "offering"))
        self._acceptance = acceptance
        self._offering = offering
        self._model = model
        extras = _part_list("extra_components", extra_components)
        for i, part in enumerate(extras):
            _check_part(f"extra_components[{i}]", part, callable_too=False)
        names = (
            _names("extra_component_names", extra_component_names)
            if extra_component_names is not None
            else [f"extra{i}" for i in range(len(extras))]
        )
        if len(names) != len(extras):
            raise ValueError(
                f"{len(extras)} extra components and {len(names)} extra_component_names"
            )
        parts = [*parts, *zip(names, extras, strict=True)]
        self.components: list[Any] = [c for _, c in parts if c is not None]
        self.component_names: list[str] = [n for n, c in parts if c is not None]
        for part in self.components:
            part.set_negotiator(self)
        # Each callback's bound methods, in component order, found once.
        self._hooks: dict[str, list[Any]] = {
            hook: [getattr(p, hook) for p in self.components if callable(getattr(p, hook, None))]
            for hook in _HOOKS
        }
        if acceptance is None:
            self.capabilities["respond"] = False
        if offering is None:
            self.capabilities["propose"] = False

    @property
    def acceptance(self) -> AcceptancePolicy | None:
        """The acceptance policy."""
        return self._acceptance

    @property
    def offering(self) -> OfferingPolicy | None:
        """The offering policy."""
        return self._offering

    @property
    def model(self) -> Any:
        """The model."""
        return self._model

    @property
    def type_name(self) -> str:
        """``"BOANegotiator"`` (NegMAS's name for every negotiator of this kind)."""
        return "BOANegotiator"

    def on_preferences_changed(self, changes: list[PreferencesChange]) -> None:
        """Tell every component."""
        for hook in self._hooks["on_preferences_changed"]:
            hook(changes)

    def on_negotiation_start(self, state: MechanismState) -> None:
        """Tell every component."""
        super().on_negotiation_start(state)
        for hook in self._hooks["on_negotiation_start"]:
            hook(state)

    def on_negotiation_end(self, state: MechanismState) -> None:
        """Tell every component."""
        super().on_negotiation_end(state)
        for hook in self._hooks["on_negotiation_end"]:
            hook(state)

    def on_partner_proposal(self, state: MechanismState, partner_id: str, offer: Any) -> None:
        """Tell every component that ``partner_id`` offered ``offer``."""
        for hook in self._hooks["on_partner_proposal"]:
            hook(state, partner_id, offer)

    def __call__(self, state: MechanismState, dest: str | None = None) -> SAOResponse:
        """Answer the standing offer with the acceptance policy; on rejection (or
        with nothing to answer) add the offering policy's offer."""
        offer = getattr(state, "current_offer", None)
        source = getattr(state, "current_proposer", None)
        asked = self._asked_to_respond
        if asked is None:
            asked = offer is not None and source != self.id
        answer: ResponseType | ExtendedResponseType = ResponseType.REJECT_OFFER
        if asked and offer is not None:
            for hook in self._hooks["before_responding"]:
                hook(state, offer, source)
            if self._acceptance is not None:
                answer = self._acceptance.respond(state, offer, source)
            for hook in self._hooks["after_responding"]:
                hook(state, offer, answer, source)
            if _plain(answer) is not ResponseType.REJECT_OFFER:
                return SAOResponse.from_extended(answer, None)
        for hook in self._hooks["before_proposing"]:
            hook(state, dest)
        proposal = self._offering.propose(state, dest) if self._offering is not None else None
        for hook in self._hooks["after_proposing"]:
            hook(state, proposal, dest)
        return SAOResponse.from_extended(answer, proposal)


def make_boa(
    acceptance: AcceptancePolicy | None = None,
    offering: OfferingPolicy | None = None,
    model: Any = None,
    extra_components: Sequence[Any] | None = None,
    extra_component_names: Sequence[str] | None = None,
    **kwargs: Any,
) -> BOANegotiator:
    """A :class:`BOANegotiator` of these parts (``kwargs``: ``name``, ``ufun``, ...)."""
    return BOANegotiator(
        acceptance=acceptance,
        offering=offering,
        model=model,
        extra_components=extra_components,
        extra_component_names=extra_component_names,
        **kwargs,
    )


def _part_list(name: str, parts: Iterable[Any] | None) -> list[Any]:
    """``parts`` as a list; a text or a lone component is refused (a text was
    taken letter by letter, a component failed later on ``len``)."""
    if parts is None:
        return []
    if (
        isinstance(parts, str | bytes | Mapping)
        or not isinstance(parts, Iterable)
        or hasattr(parts, "set_negotiator")
    ):
        raise TypeError(f"{name} must be a list (or None), got {parts!r} ({type(parts).__name__})")
    return list(parts)


def _check_part(name: str, part: Any, *, callable_too: bool) -> None:
    """Refuse ``part`` unless it is a component (or ``None``): anything else
    failed later with an ``AttributeError`` naming neither the parameter nor the value."""
    if part is None:
        return
    if isinstance(part, type):
        raise TypeError(
            f"{name} must be a component instance, got the class {part.__name__}; "
            f"give {part.__name__}(...)"
        )
    if not callable(getattr(part, "set_negotiator", None)) or (callable_too and not callable(part)):
        kind = {"acceptance": "an AcceptancePolicy", "offering": "an OfferingPolicy"}.get(
            name, "a component (a palaver.negotiators.components.Component)"
        )
        raise TypeError(f"{name} must be {kind} or None, got {part!r} ({type(part).__name__})")


def _names(name: str, names: Iterable[Any]) -> list[str]:
    """``names`` as a list of texts; a lone text was taken letter by letter."""
    listed = _part_list(name, names)
    for i, item in enumerate(listed):
        if item is not None and not isinstance(item, str):
            raise TypeError(f"{name}[{i}] must be a text or None, got {item!r}")
    return listed
