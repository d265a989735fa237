"""How a negotiator joins a mechanism (the body of :meth:`Mechanism.add`)."""

from __future__ import annotations

import inspect
from types import FunctionType
from typing import TYPE_CHECKING, Any

import numpy as np

from palaver._util.checks import is_text
from palaver.mechanisms.errors import MechanismError, NegotiatorError
from palaver.mechanisms.nmi import NegotiatorMechanismInterface
from palaver.mechanisms.participants import joined_entry
from palaver.mechanisms.protocol import NegotiatorProtocol
from palaver.preferences.protocol import UtilityFunctionLike, check_ufun_space

if TYPE_CHECKING:
    from palaver.mechanisms.base import Mechanism
    from palaver.mechanisms.options import MechanismLimits


# Per (needs, negotiator class): the needs the class does not provide as a
# plain function, which must be looked for on each negotiator (its id, say).
_INSTANCE_NEEDS: dict[tuple[tuple[str, ...], type], tuple[str, ...]] = {}
_MAX_CLASSES = 256
_PLAIN_GETATTRIBUTE = object.__dict__["__getattribute__"]


def _instance_needs(needs: tuple[str, ...], cls: type) -> tuple[str, ...]:
    """The members of ``needs`` that ``cls`` does not define as plain functions."""
    key = (needs, cls)
    hit = _INSTANCE_NEEDS.get(key)
    if hit is None:
        # A function found on the class is found on every instance (a property
        # or another descriptor may still raise, so those are asked each time).
        custom = inspect.getattr_static(cls, "__getattribute__") is not _PLAIN_GETATTRIBUTE
        hit = tuple(
            a
            for a in needs
            if custom or not isinstance(inspect.getattr_static(cls, a, None), FunctionType)
        )
        if len(_INSTANCE_NEEDS) >= _MAX_CLASSES:
            del _INSTANCE_NEEDS[next(iter(_INSTANCE_NEEDS))]
        _INSTANCE_NEEDS[key] = hit
    return hit


def _shown(value: object) -> str:
    """The type of ``value`` and its repr cut to 60 characters; the type alone when
    the repr raises (that of a negotiator whose __init__ did not call its base's may)."""
    try:
        return f"{type(value).__name__} {value!r:.60}"
    except Exception:
        return type(value).__name__


def _check_id(nid: object, negotiator: NegotiatorProtocol) -> None:
    """Refuse an id that is not non-empty text, and a name that is not text.

    Checked where a negotiator joins, not only by the negotiator's constructor:
    an id assigned afterwards (``negotiator.id = 5``), or a negotiator of the
    user's own class, would otherwise become the agent id of its events and the
    key of its offers (a recorder then fails at a later write, or ids compare
    unequal to the text a user queries with).
    """
    kind = type(negotiator).__name__
    name = getattr(negotiator, "name", None)
    if name is not None and not isinstance(name, str):
        # The name labels it in the mechanism's participants and events.
        raise TypeError(
            f"{kind}.name must be a str or None; got {name!r:.80} ({type(name).__name__})"
        )
    if type(nid) is str and nid and (nid.isascii() or is_text(nid)):
        return
    if not isinstance(nid, str):
        raise TypeError(
            f"{kind}.id must be a non-empty str; got {nid!r:.80} ({type(nid).__name__})"
        )
    if not nid:
        raise ValueError(f"{kind}.id must be a non-empty str; got ''")
    if is_text(nid):  # a subclass of str
        return
    raise ValueError(
        f"{kind}.id={nid!r:.80} is not valid text (it holds a lone surrogate): "
        "give a str that can be written as UTF-8"
    )


def admit(
    mechanism: Mechanism,
    negotiator: NegotiatorProtocol,
    ufun: UtilityFunctionLike | None,
    role: str | None,
    limits: MechanismLimits | None = None,
) -> bool:
    """Let ``negotiator`` join ``mechanism`` with ``ufun``; see :meth:`Mechanism.add`.

    ``limits`` are those the negotiator's interface reports when it has limits
    of its own (see :mod:`palaver.mechanisms.own_limits`).
    """
    needs = mechanism.negotiator_needs
    for need in _instance_needs(needs, type(negotiator)):
        if not hasattr(negotiator, need):
            if isinstance(negotiator, type):
                raise TypeError(
                    f"{type(mechanism).__name__}.add got the class {negotiator.__name__}, not "
                    f"a negotiator: add an instance, {negotiator.__name__}(...)"
                )
            missing = [a for a in needs if not hasattr(negotiator, a)]
            # A subclass of one of Palaver's negotiators lacks them only when its
            # __init__ did not call the base's, which sets them.
            derived = any(c.__module__.startswith("palaver.") for c in type(negotiator).__mro__[1:])
            hint = "; its __init__ must call super().__init__(...)" if derived else ""
            raise TypeError(
                f"{_shown(negotiator)} cannot negotiate in "
                f"{type(mechanism).__name__}: it lacks {missing} (see "
                f"palaver.mechanisms.protocol){hint}"
            )
    _check_id(negotiator.id, negotiator)
    # The mechanism's own attributes, not its properties: this package's code.
    if mechanism._state.started:
        return False
    negotiators = mechanism._negotiators
    most = mechanism._max_n_negotiators
    if most is not None and len(negotiators) >= most:
        return False
    if mechanism._requirements and not mechanism.can_participate(negotiator):
        return False
    # Plain loops rather than any(...): no generator per check (a handful of
    # negotiators, added once per negotiation).
    for n in negotiators:
        if n is negotiator:
            return False
    for n in negotiators:
        if n.id == negotiator.id:
            if getattr(negotiator, "id_given", True) is False:
                # An id taken from a name another negotiator has too: NegMAS code
                # may do that (its ids never come from names). The first free
                # suffix, so that runs repeat.
                ids = {m.id for m in negotiators}
                k = 1
                while f"{negotiator.id}-{k}" in ids:
                    k += 1
                negotiator.id = f"{negotiator.id}-{k}"
                break
            raise MechanismError(
                f"{type(mechanism).__name__} {mechanism._id!r} already has a negotiator with id "
                f"{negotiator.id!r}"
            )
    # Checked before join: a utility function bound to another space would
    # otherwise be asked about outcomes it does not know (or silently misread them).
    own = ufun if ufun is not None else getattr(negotiator, "ufun", None)
    space = mechanism._outcome_space
    if own is not None:
        own_space = getattr(own, "outcome_space", None)
        if own_space is not None and own_space is not space:  # the message is made only then
            check_ufun_space(own, space, f"{type(mechanism).__name__} {mechanism._id!r}")
    if limits is None:
        # The mechanism's limits as it was made: later negotiators' own limits
        # tighten the mechanism's, not what this one sees.
        limits = mechanism._shared_limits or mechanism._limits
    nmi = NegotiatorMechanismInterface(mechanism, (1, len(negotiators)), limits)
    failures = mechanism._failures
    try:
        joined = negotiator.join(nmi, ufun, role)
        if joined is not True and joined is not False and type(joined) is not np.bool_:
            # A join that forgot its return (None) would leave the negotiator out
            # without a word, and a truthy value would be taken for a yes.
            raise TypeError(
                f"join returned {joined!r:.80} ({type(joined).__name__}); return True to "
                "join or False to refuse"
            )
    except Exception as exc:
        if failures.ignore:
            # Recorded in the state as every ignored exception is: add() said False
            # and nothing said why.
            failures.failed(
                negotiator, "join", exc, message=failures.message(negotiator, "join", -1, exc)
            )
            return False
        raise failures.join_error(negotiator, exc) from exc
    if not joined:
        return False
    negotiators.append(negotiator)
    mechanism._negotiator_ids.append(negotiator.id)
    mechanism._owner_ids.append(getattr(negotiator, "owner_id", None))
    mechanism._joined.append(joined_entry(negotiator))
    mechanism._state.n_negotiators = len(negotiators)
    if mechanism._extra_callbacks:
        _tell_entered(mechanism, negotiator)
    return True


def _tell_entered(mechanism: Mechanism, newcomer: Any) -> None:
    """NegMAS's ``on_negotiator_entered(negotiator_id, state)``, to those already in that define it.

    One that raises is a :class:`~palaver.mechanisms.NegotiatorError` naming
    it (unless exceptions are ignored); the newcomer stays in.
    """
    failures = mechanism._failures
    for n in mechanism._negotiators:
        if n is newcomer:
            continue
        callback = getattr(n, "on_negotiator_entered", None)
        if not callable(callback):
            continue
        try:
            callback(newcomer.id, mechanism._state)
        except Exception as exc:
            message = failures.message(n, "on_negotiator_entered", -1, exc)
            if failures.ignore:
                failures.failed(n, "on_negotiator_entered", exc, message=message)
                continue
            raise NegotiatorError(message, n.id, -1, mechanism._id) from exc
