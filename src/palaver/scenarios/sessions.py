"""NegMAS's ``Scenario.make_session``: a mechanism holding one negotiator per party.

The scenarios layer sits below the mechanisms (it never imports them), so the
mechanism class comes from above: ``palaver.mechanisms`` names SAO as the
default when it is imported (:func:`use_by_default`; importing any negotiator
imports it), so NegMAS's ``scenario.make_session(AspirationNegotiator,
n_steps=100)`` runs SAO as in NegMAS; ``mechanism_type=`` chooses another.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from palaver.scenarios.errors import ScenarioError

if TYPE_CHECKING:
    from palaver.outcomes import OutcomeSpace
    from palaver.preferences import UtilityFunction

__all__ = ["ScenarioSessions", "default_mechanism", "use_by_default"]

_default: list[type] = []
"""The mechanism class :meth:`ScenarioSessions.make_session` uses when given
none (set by :func:`use_by_default`; empty until palaver.mechanisms is imported)."""


def use_by_default(mechanism_type: type) -> None:
    """Make ``mechanism_type`` the mechanism of ``make_session`` calls that name
    none (``palaver.mechanisms`` makes it SAO when imported)."""
    _default[:] = [mechanism_type]


def default_mechanism() -> type | None:
    """The mechanism class of scenarios that name none (see :func:`use_by_default`)."""
    return _default[0] if _default else None


class ScenarioSessions:
    """NegMAS's ``make_session`` on ``Scenario`` (a base of it)."""

    if TYPE_CHECKING:
        name: str

        @property
        def outcome_space(self) -> OutcomeSpace: ...
        @property
        def ufuns(self) -> tuple[UtilityFunction, ...]: ...
        @property
        def ufun_names(self) -> tuple[str, ...]: ...
        @property
        def mechanism_type(self) -> type | None: ...
        @property
        def mechanism_params(self) -> dict[str, Any]: ...

    def make_session(
        self,
        negotiators: Callable[..., Any] | Sequence[Any] | None = None,
        n_steps: int | None = None,
        time_limit: float | None = None,
        roles: Sequence[str | None] | None = None,
        raise_on_failure_to_enter: bool = True,
        share_ufuns: bool = False,
        share_reserved_values: bool = False,
        *,
        mechanism_type: type | None = None,
        **kwargs: Any,
    ) -> Any:
        """A ready-to-run mechanism on this scenario, with a negotiator per party.

        As NegMAS's ``Scenario.make_session``: ``negotiators`` is a list (one
        per utility function, in party order) or a negotiator class (or any
        callable taking ``name=``), called once per party with that party's
        utility-function name; ``None`` or an empty list gives the mechanism
        alone. Party ``i``'s negotiator joins with ``ufuns[i]`` and role
        ``roles[i]`` (``None`` without roles). ``n_steps``, ``time_limit``
        and ``kwargs`` go to the mechanism, after the scenario's own
        ``mechanism_params`` (which they override). ``mechanism_type`` is the
        mechanism class (default: the scenario's ``mechanism_type``, which is
        ``SAOMechanism`` unless it names another, as in NegMAS, once
        ``palaver.mechanisms`` is imported; see :func:`use_by_default`).
        ``share_ufuns=True`` (NegMAS hands each negotiator its opponent's
        utility function) is not supported.

        Raises:
            ScenarioError: ``mechanism_type`` missing, a number of negotiators
                or roles other than the number of parties, ``share_ufuns=True``,
                or (with ``raise_on_failure_to_enter``) a negotiator that did
                not join.
        """
        if mechanism_type is None:
            mechanism_type = self.mechanism_type
        if mechanism_type is None or not isinstance(mechanism_type, type):
            raise ScenarioError(
                f"make_session: mechanism_type must be a mechanism class, got "
                f"{mechanism_type!r}; pass mechanism_type=SAOMechanism (palaver.mechanisms: "
                "importing it makes SAO the default)"
            )
        if share_ufuns is not False:
            raise ScenarioError(
                f"make_session: share_ufuns must be False, got {share_ufuns!r}: Palaver's "
                "negotiators are not handed their opponents' utility functions"
            )
        if share_reserved_values not in (True, False):
            raise ScenarioError(
                f"make_session: share_reserved_values must be True or False, "
                f"got {share_reserved_values!r}"
            )
        args = {**self.mechanism_params, **kwargs}
        if n_steps is not None:
            args["n_steps"] = n_steps
        if time_limit is not None:
            args["time_limit"] = time_limit
        mechanism = mechanism_type(outcome_space=self.outcome_space, **args)
        if negotiators is None or (isinstance(negotiators, Sequence) and not negotiators):
            return mechanism
        ufuns = self.ufuns
        k = len(ufuns)
        if isinstance(negotiators, Iterable):
            negs = list(negotiators)
        elif callable(negotiators):
            negs = [negotiators(name=name) for name in self.ufun_names]
        else:
            raise ScenarioError(
                f"make_session: negotiators must be a list of negotiators, a negotiator "
                f"class or None, got {negotiators!r}"
            )
        if len(negs) != k:
            raise ScenarioError(
                f"make_session: {len(negs)} negotiators for the {k} parties of scenario "
                f"{self.name!r}; give one per utility function"
            )
        if roles is not None and (isinstance(roles, str) or len(roles) != k):
            raise ScenarioError(
                f"make_session: roles must be a list of {k} roles (one per party) or None, "
                f"got {roles!r}"
            )
        for i, (negotiator, ufun) in enumerate(zip(negs, ufuns, strict=True)):
            role = roles[i] if roles is not None else None
            if not mechanism.add(negotiator, ufun=ufun, role=role) and raise_on_failure_to_enter:
                raise ScenarioError(
                    f"make_session: negotiator {getattr(negotiator, 'name', negotiator)!r} "
                    f"(party {i}) did not join the {type(mechanism).__name__}"
                )
        return mechanism
