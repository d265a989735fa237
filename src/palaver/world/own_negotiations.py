"""The negotiations an agent runs with its own negotiator, to their end at once:
NegMAS's ``run_negotiation`` and ``run_negotiations`` of a world (the methods
of :class:`~palaver.world.World` call these with its engine). Kept apart from
the world's surface, which holds ``request_negotiation_about`` (the requests
answered in the step's negotiation stage) and the reports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from palaver.preferences import UtilityFunctionLike
from palaver.world.agent import Agent
from palaver.world.contracts import Contract
from palaver.world.errors import NegotiationRequestError, WorldParameterError
from palaver.world.request_checks import with_caller
from palaver.world.returns import own_negotiator_problem

if TYPE_CHECKING:
    from palaver.world.engine import Engine


def run_negotiation(
    engine: Engine,
    caller: Agent[Any],
    issues: list[Any],
    partners: list[str],
    negotiator: Any,
    ufun: UtilityFunctionLike | None,
    caller_role: str | None,
    roles: list[str | None] | None,
    annotation: dict[str, Any] | None,
    mechanism_name: str | None,
    mechanism_params: dict[str, Any] | None,
) -> tuple[Contract | None, Any]:
    """``World.run_negotiation``: register the caller's negotiation and run it to
    its end; ``(contract, nmi)``, both ``None`` when refused."""
    _check_role(caller, "run_negotiation", "caller_role", caller_role)
    neg = register_own(
        engine, caller, issues, partners, negotiator, ufun, caller_role, roles, annotation,
        mechanism_name, mechanism_params, what="run_negotiation",
    )  # fmt: skip
    if neg is None:
        return None, None
    # As in NegMAS, a contract run_negotiation(s) reaches is signed in this
    # step's next ContractSigning, whatever default_signing_delay is.
    contract = engine.scheduler.negotiate(neg, None, immediate_signing=True)
    return contract, neg.mechanism.nmi


def run_negotiations(
    engine: Engine,
    caller: Agent[Any],
    issues: list[Any] | list[list[Any]],
    partners: list[list[str]],
    negotiators: list[Any],
    preferences: list[UtilityFunctionLike | None] | UtilityFunctionLike | None,
    caller_roles: list[str | None] | str | None,
    roles: list[list[str | None] | None] | None,
    annotations: list[dict[str, Any] | None] | dict[str, Any] | None,
    mechanism_names: list[str | None] | str | None,
    mechanism_params: list[dict[str, Any] | None] | dict[str, Any] | None,
    all_or_none: bool,
    ufuns: list[UtilityFunctionLike | None] | UtilityFunctionLike | None,
) -> list[tuple[Contract | None, Any]]:
    """``World.run_negotiations``: register several negotiations of the caller,
    then run each to its end."""
    if not isinstance(partners, list | tuple):
        raise NegotiationRequestError(
            f"agent {caller.id!r}: run_negotiations' partners must be a list with one "
            "entry per negotiation (a list of partner ids, or a single partner id); "
            f"got {partners!r:.80}"
        )
    if not isinstance(all_or_none, bool | np.bool_):
        raise WorldParameterError(
            f"agent {caller.id!r}: run_negotiations' all_or_none must be True or False; "
            f"got {all_or_none!r:.80} ({type(all_or_none).__name__})"
        )
    n = len(partners)
    if not isinstance(negotiators, list | tuple) or len(negotiators) != n:
        raise ValueError(
            f"negotiators must be a list of one negotiator per negotiation ({n}), "
            f"got {negotiators!r:.80}"
        )
    if ufuns is not None and preferences is not None:
        raise ValueError("give preferences or ufuns (NegMAS's name), not both")
    roles_of_caller = _per_negotiation(caller_roles, "caller_roles", n)
    for role in roles_of_caller:
        _check_role(caller, "run_negotiations", "caller_roles", role)
    registered = [
        register_own(engine, caller, *request, what="run_negotiations")
        for request in zip(
            _per_negotiation(issues, "issues", n, nested=True),
            # An entry is the partners of one negotiation: a list, or one
            # partner alone as run_negotiation takes it (list() of an id
            # split it into one-letter partners).
            [list(p) if isinstance(p, list | tuple) else p for p in partners],
            negotiators,
            _per_negotiation(ufuns if ufuns is not None else preferences, "preferences", n),
            roles_of_caller,
            _per_negotiation(roles, "roles", n, nested=True),
            _per_negotiation(annotations, "annotations", n),
            _per_negotiation(mechanism_names, "mechanism_names", n),
            _per_negotiation(mechanism_params, "mechanism_params", n),
            strict=True,
        )
    ]
    if all_or_none and any(neg is None for neg in registered):
        for neg in registered:
            if neg is not None:
                engine.desk.cancel(neg, "all_or_none: another request was refused")
        return []
    if all(neg is None for neg in registered):
        return []
    scheduler = engine.scheduler
    return [
        (None, None)
        if neg is None
        else (scheduler.negotiate(neg, None, immediate_signing=True), neg.mechanism.nmi)
        for neg in registered
    ]


def register_own(
    engine: Engine,
    caller: Agent[Any],
    issues: list[Any],
    partners: list[str],
    negotiator: Any,
    ufun: UtilityFunctionLike | None,
    caller_role: str | None,
    roles: list[str | None] | None,
    annotation: dict[str, Any] | None,
    mechanism_name: str | None,
    mechanism_params: dict[str, Any] | None,
    *,
    what: str,
) -> Any:
    """A negotiation the caller takes part in with its own negotiator,
    registered (partners asked) but not run; ``None`` when refused."""
    problem = own_negotiator_problem(
        f"agent {caller.id!r}: {what}'s", negotiator, "negotiator", none_ok=False
    )
    if problem is not None:
        raise NegotiationRequestError(problem)
    partners = with_caller(caller, partners, roles)
    # Anything but a list is left to the request's checks, which name it.
    if isinstance(partners, list) and caller.id not in partners:
        partners.append(caller.id)
        # Roles that are not a list are left to the request's checks too
        # (a text would have been split into one-letter roles).
        if isinstance(roles, list | tuple):
            roles = [*roles, caller_role]
    return engine.desk.register(
        caller,
        issues,
        partners,
        None,
        roles,
        annotation,
        mechanism_name,
        mechanism_params,
        own=(negotiator, ufun),
    )


def _check_role(caller: Agent[Any], what: str, name: str, role: Any) -> None:
    """A role of the caller is a str or ``None`` (a mechanism refuses anything else
    only once the partners were asked)."""
    if role is not None and not isinstance(role, str):
        raise NegotiationRequestError(
            f"agent {caller.id!r}: {what}'s {name} must be a role (a str) or None; "
            f"got {role!r:.80} ({type(role).__name__})"
        )


def _per_negotiation(value: Any, name: str, n: int, nested: bool = False) -> list[Any]:
    """``value`` for each of ``n`` negotiations: a list of ``n`` values (of lists,
    when ``nested``) as it is, anything else repeated (NegMAS's rule)."""
    is_list = isinstance(value, list) and (
        not nested or (bool(value) and all(isinstance(v, list | type(None)) for v in value))
    )
    if not is_list:
        return [value] * n
    if len(value) != n:
        raise ValueError(
            f"{name} must be one value for all {n} negotiations or a list of {n}, got {value!r:.80}"
        )
    return list(value)
