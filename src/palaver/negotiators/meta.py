"""A negotiator made of negotiators (NegMAS's ``MetaNegotiator``).

:class:`MetaNegotiator` holds whole negotiators (where
:class:`~palaver.negotiators.BOANegotiator` holds parts) and tells every one
of them what it is told: the negotiation's start and end, each round's start
and end, a change of preferences, its leaving, ``before_death`` and
``cancel``. When it joins a negotiation they join it too, through the same
interface (``share_nmi``), with its utility function (``share_ufun``).
Deciding what to offer and answer from theirs is the job of the SAO
subclasses (:mod:`palaver.negotiators.meta_sao`).

It is made from ready negotiators (``negotiators``) or from classes
(``negotiator_types``, each made with its ``negotiator_params`` entry), not
both; ``negotiator_names`` names them (default: their own names).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from typing import Any

from palaver.mechanisms import MechanismState
from palaver.negotiators.base import Negotiator
from palaver.preferences.changes import PreferencesChange
from palaver.preferences.protocol import UtilityFunctionLike

__all__ = ["MetaNegotiator", "make_negotiators"]


def make_negotiators(
    negotiators: Iterable[Any] | None,
    negotiator_types: Iterable[type] | None,
    negotiator_params: Iterable[Mapping[str, Any]] | None,
) -> list[Any]:
    """The sub-negotiators: ``negotiators`` as given, or one of each of
    ``negotiator_types`` made with the matching ``negotiator_params`` entry.

    Raises ``ValueError`` when both or neither are given, or when the
    parameters do not match the types one to one.
    """
    if negotiators is not None and negotiator_types is not None:
        raise ValueError(
            "Cannot specify both 'negotiators' (instances) and 'negotiator_types' (classes): "
            "give one of them"
        )
    if negotiators is None and negotiator_types is None:
        raise ValueError(
            "Must specify either 'negotiators' (instances) or 'negotiator_types' (classes)"
        )
    if negotiators is not None:
        return list(negotiators)
    assert negotiator_types is not None
    types = list(negotiator_types)
    if negotiator_params is None:
        return [kind() for kind in types]
    params = list(negotiator_params)
    if len(params) != len(types):
        raise ValueError(
            f"Length of negotiator_params ({len(params)}) must match the length of "
            f"negotiator_types ({len(types)})"
        )
    return [kind(**dict(p)) for kind, p in zip(types, params, strict=True)]


class MetaNegotiator(Negotiator):
    """Holds negotiators and passes every callback on to them (see the module doc).

    Args:
        negotiators: The negotiators it holds (instances).
        negotiator_types: Or classes to make them from.
        negotiator_params: Keyword arguments for each class (with ``negotiator_types``).
        negotiator_names: Their names (default: each one's ``name``).
        share_ufun: Whether they negotiate with its utility function (default ``True``).
        share_nmi: Whether they join its negotiations with it (default ``True``).
        *args, **kwargs: As for :class:`~palaver.negotiators.Negotiator`.
    """

    def __init__(
        self,
        *args: Any,
        negotiators: Iterable[Negotiator] | None = None,
        negotiator_types: Iterable[type[Negotiator]] | None = None,
        negotiator_params: Iterable[Mapping[str, Any]] | None = None,
        negotiator_names: Iterable[str] | None = None,
        share_ufun: bool = True,
        share_nmi: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._negotiators: list[Any] = []
        self._names: list[str] = []
        self._share_ufun = bool(share_ufun)
        self._share_nmi = bool(share_nmi)
        made = make_negotiators(negotiators, negotiator_types, negotiator_params)
        names: Iterable[str | None] = (
            list(negotiator_names) if negotiator_names is not None else itertools.repeat(None)
        )
        for negotiator, name in zip(made, names, strict=False):
            self.add_negotiator(negotiator, name=name)

    def add_negotiator(
        self, negotiator: Negotiator, name: str | None = None, index: int = -1
    ) -> None:
        """Hold ``negotiator`` under ``name`` (default: its ``name``), at ``index``
        (negative: last). Raises ``TypeError`` for a non-negotiator and
        ``ValueError`` for a name already taken."""
        if not isinstance(negotiator, Negotiator):
            raise TypeError(
                f"negotiator must be a Negotiator, got {negotiator!r:.80} "
                f"({type(negotiator).__name__})"
            )
        if index < 0 or index > len(self._negotiators):
            index = len(self._negotiators)
        name = name or negotiator.name or str(index)
        if name in self._names:
            raise ValueError(f"name {name!r} is taken: the names held are {self._names}")
        self._negotiators.insert(index, negotiator)
        self._names.insert(index, name)

    def remove_negotiator_at(self, index: int) -> Negotiator | None:
        """Stop holding the negotiator at ``index``; it (``None`` when out of range)."""
        if not 0 <= index < len(self._negotiators):
            return None
        del self._names[index]
        removed: Negotiator = self._negotiators.pop(index)
        return removed

    def remove_negotiator(self, name: str) -> Negotiator | None:
        """Stop holding the negotiator named ``name``; it (``None`` when none is)."""
        if name not in self._names:
            return None
        return self.remove_negotiator_at(self._names.index(name))

    def get_negotiator(self, name: str) -> Negotiator | None:
        """The negotiator named ``name`` (``None`` when none is)."""
        if name not in self._names:
            return None
        found: Negotiator = self._negotiators[self._names.index(name)]
        return found

    @property
    def negotiators(self) -> tuple[Any, ...]:
        """The negotiators it holds, in order."""
        return tuple(self._negotiators)

    @property
    def negotiator_names(self) -> tuple[str, ...]:
        """Their names, in the same order."""
        return tuple(self._names)

    def _tell(self, callback: str, *args: Any) -> None:
        """Call ``callback(*args)`` on each negotiator that has it."""
        for negotiator in self._negotiators:
            method = getattr(negotiator, callback, None)
            if callable(method):
                method(*args)

    def join(
        self,
        nmi: Any,
        ufun: UtilityFunctionLike | None = None,
        role: str | None = None,
    ) -> bool:
        """Join, then (with ``share_nmi``) have each held negotiator join through
        the same interface, with this one's utility function when ``share_ufun``."""
        if not super().join(nmi, ufun, role):
            return False
        if self._share_nmi:
            shared = self.ufun if self._share_ufun else None
            for negotiator in self._negotiators:
                negotiator.join(nmi, shared, role)
        return True

    def on_preferences_changed(self, changes: list[PreferencesChange]) -> None:
        """Tell each held negotiator."""
        self._tell("on_preferences_changed", changes)

    def on_negotiation_start(self, state: MechanismState) -> None:
        """Tell each held negotiator."""
        self._tell("on_negotiation_start", state)

    def on_negotiation_end(self, state: MechanismState) -> None:
        """Tell each held negotiator."""
        self._tell("on_negotiation_end", state)

    def on_round_start(self, state: MechanismState) -> None:
        """Tell each held negotiator that has the callback."""
        self._tell("on_round_start", state)

    def on_round_end(self, state: MechanismState) -> None:
        """Tell each held negotiator that has the callback."""
        self._tell("on_round_end", state)

    def on_leave(self, state: MechanismState) -> None:
        """Tell each held negotiator that has the callback (it leaves with this one)."""
        self._tell("on_leave", state)

    def on_mechanism_error(self, state: MechanismState) -> None:
        """Tell each held negotiator that has the callback."""
        self._tell("on_mechanism_error", state)

    def before_death(self, cntxt: Mapping[str, Any]) -> bool:
        """Ask each held negotiator that has the callback; ``False`` when one says no."""
        agreed = True
        for negotiator in self._negotiators:
            method = getattr(negotiator, "before_death", None)
            if callable(method) and not method(cntxt):
                agreed = False
        return agreed

    def cancel(self, reason: Any = None) -> None:
        """Tell each held negotiator that has the callback."""
        self._tell("cancel", reason)
