"""The checks of a negotiation request, each error naming the argument at fault."""

from __future__ import annotations

import difflib
from collections.abc import Container, Mapping, Sequence
from typing import Any

from palaver.outcomes import Issue
from palaver.world.agent import Agent
from palaver.world.errors import NegotiationRequestError

__all__ = ["check_partners", "check_request", "with_caller"]


def check_request(
    caller: Agent[Any],
    issues: Any,
    partners: Any,
    req_id: Any,
    roles: Any,
    annotation: Any,
    mechanism_params: Any,
    known_issues: Container[tuple[int, ...]],
) -> None:
    """Malformed arguments are a ``NegotiationRequestError`` naming the argument.

    ``known_issues`` holds the keys (issue ids) of issue lists checked before.
    """
    # Worlds pass the same issue list again and again: one seen before (in
    # the outcome-space cache, keyed by the issues' ids) was checked then.
    kind = type(issues)
    if (kind is not list and kind is not tuple) and (
        isinstance(issues, str | bytes | Mapping) or not isinstance(issues, Sequence)
    ):
        raise _bad(caller, "issues", issues, "a non-empty list of issues (make_issue)")
    if not issues or (
        tuple(map(id, issues)) not in known_issues and not all(isinstance(i, Issue) for i in issues)
    ):
        raise _bad(caller, "issues", issues, "a non-empty list of issues (make_issue)")
    kind = type(partners)
    if (kind is not list and kind is not tuple) and (
        isinstance(partners, str | bytes) or not isinstance(partners, Sequence)
    ):
        raise _bad(caller, "partners", partners, "a list of agent ids")
    for p in partners:
        if type(p) is not str and not isinstance(p, str):
            raise _bad(caller, "partners", partners, "a list of agent ids (strings)")
    # As in NegMAS, any text is a request id: one create_negotiation_request
    # did not return makes the world ask the caller too, through
    # _respond_to_negotiation_request(..., req_id=req_id).
    if req_id is not None and not isinstance(req_id, str):
        raise _bad(
            caller,
            "req_id",
            req_id,
            "a str (an id returned by create_negotiation_request, or the caller's own) or None",
        )
    if roles is not None and (
        isinstance(roles, str)
        or not isinstance(roles, Sequence)
        or not all(r is None or isinstance(r, str) for r in roles)
    ):
        raise _bad(
            caller, "roles", roles, "a list with one role (a str or None) per partner, or None"
        )
    if annotation is not None and not isinstance(annotation, Mapping):
        raise _bad(caller, "annotation", annotation, "a dict or None")
    if mechanism_params is not None and not isinstance(mechanism_params, Mapping):
        raise _bad(caller, "mechanism_params", mechanism_params, "a dict or None")


def _bad(caller: Agent[Any], what: str, value: Any, allowed: str) -> NegotiationRequestError:
    """The error of a malformed argument (its message made only for an error)."""
    return NegotiationRequestError(f"agent {caller.id!r}: {what} must be {allowed}; got {value!r}")


def with_caller(caller: Agent[Any], partners: Any, roles: Any) -> Any:
    """``partners`` as NegMAS reads them, ready for :func:`check_request`.

    Agents given instead of their ids stand for their ids, and a single
    partner (an id, an agent, or a list of one) other than ``caller`` means
    ``[caller.id, partner]`` when ``roles`` is ``None``, as in NegMAS 0.16.
    Anything else is returned unchanged, for the checks to name what is wrong.
    """
    if isinstance(partners, str | Agent):
        partners = [partners]
    elif not isinstance(partners, list | tuple):
        return partners
    partners = [p.id if isinstance(p, Agent) else p for p in partners]
    if roles is None and len(partners) == 1 and partners[0] != caller.id:
        return [caller.id, partners[0]]
    return partners


def check_partners(
    caller: Agent[Any],
    partners: list[str],
    roles: Sequence[str | None] | None,
    agents: Mapping[str, Agent[Any]],
) -> None:
    """Partners that cannot negotiate together are a ``NegotiationRequestError``."""
    if not partners:
        raise NegotiationRequestError(f"agent {caller.id!r} requested a negotiation with nobody")
    unknown = [p for p in partners if p not in agents]
    if unknown:
        raise NegotiationRequestError(
            f"agent {caller.id!r} requested a negotiation with unknown partners {unknown}"
            + _partner_hint(unknown, agents)
        )
    if len(set(partners)) != len(partners):
        raise NegotiationRequestError(f"agent {caller.id!r} listed a partner twice: {partners}")
    if len(partners) < 2:
        who = "itself alone" if partners[0] == caller.id else f"only {partners}"
        raise NegotiationRequestError(
            f"agent {caller.id!r} requested a negotiation with {who}; "
            "a negotiation needs at least two partners"
        )
    if roles is not None and len(roles) != len(partners):
        raise NegotiationRequestError(
            f"agent {caller.id!r}: {len(roles)} roles {list(roles)} for {len(partners)} "
            f"partners {partners}: give one role per partner (run_negotiation adds the "
            "caller, last, with caller_role)"
        )


def _partner_hint(unknown: list[Any], agents: Mapping[str, Agent[Any]]) -> str:
    """Which agent each unknown partner probably meant: one *named* so (an agent
    made with ``name=`` only gets the id ``<Class><index>`` when it joins), or
    the closest id."""
    hints = []
    for partner in unknown:
        if not isinstance(partner, str):
            continue
        named = [aid for aid, agent in agents.items() if getattr(agent, "name", None) == partner]
        if named:
            hints.append(
                f"{partner!r} is the name of agent {named[0]!r}: partners are agent ids "
                "(an agent joined without id= gets '<Class><index>'; give it id=... or "
                "use agent.id)"
            )
            continue
        close = difflib.get_close_matches(partner, [str(a) for a in agents], n=1)
        if close:
            hints.append(f"did you mean {close[0]!r} for {partner!r}?")
    return "; " + "; ".join(hints) if hints else ""
