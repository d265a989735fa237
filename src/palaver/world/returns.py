"""What the world's own callbacks must return, checked where they return it.

Gymnasium's passive environment checker is the model: a callback that returns
something malformed is reported at once, as that callback's error, instead of
crashing later somewhere else. Each check returns ``None`` when the value is
fine, else what is wrong with it (for the error message).
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Container
from numbers import Real
from types import FunctionType
from typing import Any

import numpy as np

from palaver.world.contracts import Breach, Contract

__all__ = [
    "NO_PRIVATE_STATE",
    "action_problem",
    "as_contracts",
    "breaches_problem",
    "executable_problem",
    "negotiator_problem",
    "order_problem",
    "size_problem",
]


def as_contracts(value: Any) -> tuple[list[Contract] | None, str | None]:
    """``value`` as a list of contracts, or ``(None, problem)``.

    ``None`` is malformed: it is what a callback that forgot its ``return``
    gives, and taking it for "nothing due" would run the world silently with
    no contract executed (NegMAS fails on it too, iterating over ``None``).
    """
    if value is None:
        return None, "None; return [] when nothing is due"
    if isinstance(value, str | bytes | dict) or not hasattr(value, "__iter__"):
        return None, f"{type(value).__name__} {value!r:.80}, not a collection of Contracts"
    items = list(value)
    for item in items:
        if not isinstance(item, Contract):
            return None, f"a collection holding {type(item).__name__} {item!r:.80}"
    return items, None


def executable_problem(contracts: list[Contract]) -> str | None:
    """A contract listed twice, one not signed, or one that has already ended,
    cannot be executed.

    Every concluded contract ends in exactly one state: executing one a second
    time would count it, and call its partners back, twice.
    """
    seen: set[str] = set()
    for c in contracts:
        if c.id in seen:
            return f"contract {c.id} twice; list each due contract once"
        seen.add(c.id)
        if c.signed_at is None and c.executed_at is None and c.nullified_at is None:
            # Executing it would end it twice: now, and when its signing (or
            # cancellation) comes. NegMAS skips such a contract without a word.
            return (
                f"contract {c.id}, which is not signed (to be signed at step "
                f"{c.to_be_signed_at}); return only signed contracts that have not ended"
            )
        if c.executed_at is not None or c.nullified_at is not None:
            ended = "executed" if c.executed_at is not None else "cancelled, nullified or erred"
            step = c.executed_at if c.executed_at is not None else c.nullified_at
            return (
                f"contract {c.id}, already {ended} at step {step}; "
                "return only signed contracts that have not ended"
            )
    return None


#: Why a ``get_private_state`` that returned ``None`` is malformed.
NO_PRIVATE_STATE = "None; return {} when the agent has no private state"


def order_problem(ordered: list[Contract], due: list[Contract]) -> str | None:
    """``order_contracts_for_execution`` orders the due contracts: it may neither
    leave one out (it would wait, unexecuted, with nothing recorded) nor add one.

    NegMAS executes what the callback returns; its tutorial and docstring call it
    an order, and a filter there leaves the contracts it drops unrecorded.
    """
    problem = executable_problem(ordered)
    if problem is not None:
        return problem
    given = {c.id for c in due}
    extra = next((c for c in ordered if c.id not in given), None)
    if extra is not None:
        return (
            f"contract {extra.id}, which is not among the due contracts it was given; "
            "return the same contracts in the order to execute them"
        )
    returned = {c.id for c in ordered}
    missing = [c.id for c in due if c.id not in returned]
    if missing:
        return (
            f"{len(ordered)} of the {len(due)} due contracts: it leaves out the due "
            f"contract{'s' if len(missing) > 1 else ''} {', '.join(missing[:5])}"
            f"{' ...' if len(missing) > 5 else ''}; return all of them, in the order to "
            "execute them (a contract is not executed by being left out: "
            "start_contract_execution returning None nullifies it)"
        )
    return None


def breaches_problem(value: Any, contract: Contract, agents: Container[str]) -> str | None:
    """``start_contract_execution(contract)`` returns ``None`` or a collection of
    Breaches of ``contract``, each by one of its partners, harming agents of the
    world (``agents``), with a finite level >= 0."""
    if value is None:
        return None
    if isinstance(value, str | bytes | dict) or not hasattr(value, "__iter__"):
        return f"{type(value).__name__} {value!r:.80}, not None or a set of Breaches"
    for item in value:
        if not isinstance(item, Breach):
            return f"a collection holding {type(item).__name__} {item!r:.80}, not Breaches"
        problem = _breach_problem(item, contract, agents)
        if problem is not None:
            return f"a Breach whose {problem}"
    return None


def _breach_problem(breach: Breach, contract: Contract, agents: Container[str]) -> str | None:
    # Fields are checked again: a Breach may be changed after it was built.
    if breach.contract is not contract:
        other = getattr(breach.contract, "id", breach.contract)
        return f"contract is {other!r:.80}, not the contract executed ({contract.id})"
    if breach.perpetrator not in contract.partners:
        return (
            f"perpetrator {breach.perpetrator!r:.80} is not a partner of {contract.id} "
            f"(partners: {list(contract.partners)})"
        )
    for victim in breach.victims:
        if not isinstance(victim, str) or victim not in agents:
            return f"victims hold {victim!r:.80}, not the id of an agent of the world"
    level = breach.level
    if (
        isinstance(level, bool)
        or not isinstance(level, Real)
        or not (math.isfinite(level) and level >= 0)
    ):
        return f"level is {level!r:.80}, not a finite number >= 0"
    return None


def size_problem(value: Any) -> str | None:
    """``contract_size`` returns a finite real number.

    ``None`` (a forgotten ``return``) is malformed: taking it for 0 would
    leave every executed contract out of ``executed_contracts_size`` and the
    default scores without a word.
    """
    if value is None:
        return "None; return the contract's size as a finite number"
    kind = type(value)
    # A plain float or int first (a bool's type is bool): Real is an ABC.
    if (kind is float or kind is int) and math.isfinite(value):
        return None
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        return f"{value!r:.80}, not a finite number"
    return None


def action_problem(value: Any) -> str | None:
    """``execute_action`` returns whether the action succeeded: ``True`` or ``False``
    (a numpy bool too).

    Anything else is malformed rather than read by its truth value: a string
    such as ``"failed"`` would count as a success, and ``None`` (a forgotten
    ``return``) as a failure that nothing reported.
    """
    if isinstance(value, bool | np.bool_):
        return None
    return f"{type(value).__name__} {value!r:.80}; return True or False"


#: What a mechanism calls on every negotiator, whatever the protocol.
NEGOTIATOR_METHODS = ("join", "on_negotiation_start", "on_negotiation_end")


_PLAIN = {name: object.__dict__[name] for name in ("__getattribute__", "__class__")}

#: Per class: the plain functions it defines for :data:`NEGOTIATOR_METHODS`
#: when its instances have the interface unless their own ``__dict__`` shadows
#: a method, else ``None`` (decided once per class: a world checks the
#: negotiator of every request and of every answer to one).
_PLAIN_NEGOTIATOR_CLASS: dict[type, tuple[Any, ...] | None] = {}
_MAX_CLASSES = 256


def _plain_negotiator_methods(cls: type) -> tuple[Any, ...] | None:
    """The functions ``cls`` defines for the methods when it defines each as a
    plain function and its instances look attributes up the ordinary way (in
    an ordinary ``__dict__``, if they have one); ``None`` otherwise."""
    if cls in _PLAIN_NEGOTIATOR_CLASS:
        return _PLAIN_NEGOTIATOR_CLASS[cls]
    methods = tuple(inspect.getattr_static(cls, m, None) for m in NEGOTIATOR_METHODS)
    plain = (
        not issubclass(cls, type | str | bytes)
        and all(inspect.getattr_static(cls, k, None) is v for k, v in _PLAIN.items())
        and all(isinstance(m, FunctionType) for m in methods)
    )
    if len(_PLAIN_NEGOTIATOR_CLASS) >= _MAX_CLASSES:
        _PLAIN_NEGOTIATOR_CLASS.clear()
    _PLAIN_NEGOTIATOR_CLASS[cls] = methods if plain else None
    return _PLAIN_NEGOTIATOR_CLASS[cls]


def is_negotiator(value: Any) -> bool:
    """Whether ``value`` is a negotiator instance: not a class or a string, with the interface."""
    cls = type(value)
    methods = _plain_negotiator_methods(cls)
    # The class's functions are looked up again (three attribute reads): a
    # method replaced on the class after its first check is seen; an instance
    # without a __dict__ (__slots__) has nothing to shadow them.
    if methods is not None:
        join, start, end = NEGOTIATOR_METHODS
        now = (
            getattr(cls, join, None),
            getattr(cls, start, None),
            getattr(cls, end, None),
        )
        if now == methods:
            own = getattr(value, "__dict__", None)
            if own is None or (join not in own and start not in own and end not in own):
                return True
    return not isinstance(value, type | str | bytes) and all(
        callable(getattr(value, m, None)) for m in NEGOTIATOR_METHODS
    )


def own_negotiator_problem(who: str, value: Any, where: str, none_ok: bool) -> str | None:
    """Why ``value``, the negotiator a requester gives ``where``, is not one (``None``: it is).

    Checked when it is given: found only when the request is made, it was
    blamed on the agent's ``respond_to_negotiation_request``, which never ran.
    """
    if (value is None and none_ok) or is_negotiator(value):
        return None
    what = "a class, not an instance" if isinstance(value, type) else type(value).__name__
    allowed = "a negotiator instance (e.g. AspirationNegotiator(ufun=self.ufun))"
    if none_ok:
        allowed += " or None"
    return f"{who} {where} must be {allowed}; got {value!r:.80} ({what})"


def negotiator_problem(value: Any, callback: str = "respond_to_negotiation_request") -> str | None:
    """``callback`` (``respond_to_negotiation_request``, or
    ``respond_to_renegotiation_request`` under ``META_NEGOTIATION``) returns a
    negotiator instance (an object
    with the negotiator interface: ``join``, ``on_negotiation_start``,
    ``on_negotiation_end``) or ``None``.

    A class (``AspirationNegotiator`` without the call) or a string has a
    ``join`` attribute but is not a negotiator: accepting it would crash later,
    blamed on the agent that asked for the negotiation.
    """
    if value is None or is_negotiator(value):
        return None
    what = (
        "a negotiator class, not an instance" if isinstance(value, type) else type(value).__name__
    )
    return (
        f"{callback} returned {value!r:.80} ({what}); return a "
        "Negotiator instance (e.g. AspirationNegotiator(ufun=self.ufun)) to accept "
        "or None to refuse"
    )
