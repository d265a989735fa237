"""NegMAS's ``mechanism.step(action)``: one step with given negotiators' moves supplied.

``action`` maps negotiator ids to what each does at its next turn in this
step (``None``: the negotiator acts itself). For the named negotiators, the
mechanism's calls are answered from the action instead of by the negotiator:
each gets, for the step only, instance attributes shadowing the methods the
mechanism calls (:meth:`Mechanism._stand_in` says which, per protocol). As in
NegMAS, an action is used once: it is removed from ``action`` (the caller's
dict) when used, so an entry still there after the step was not used. The
ordinary step runs unchanged, so stepping without an action costs nothing
more; a mechanism without stand-ins (anything but SAO) refuses an action.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from typing import TYPE_CHECKING, Any

from palaver.mechanisms.errors import MechanismTypeError, MechanismValueError

if TYPE_CHECKING:
    from palaver.mechanisms.state import MechanismState
    from palaver.mechanisms.stepping import MechanismStepping

_MISSING = object()


def step_with(mechanism: MechanismStepping, action: Mapping[str, Any]) -> MechanismState:
    """One ``mechanism.step()`` with the moves in ``action`` made for the negotiators it names."""
    if not isinstance(action, Mapping):
        raise MechanismTypeError(
            f"action must map negotiator ids to their actions (or be None), got {action!r}"
        )
    by_id = {n.id: n for n in mechanism.negotiators}
    unknown = [k for k in action if k not in by_id]
    if unknown:
        raise MechanismValueError(
            f"action names negotiators not in {mechanism.id!r}: {unknown!r}; "
            f"its negotiators are {sorted(by_id)!r}"
        )
    shadows: list[tuple[Any, str, Any]] = []
    try:
        for nid, value in action.items():
            if value is None:
                continue  # the negotiator acts itself
            negotiator = by_id[nid]
            methods: Mapping[str, Callable[..., Any]] = mechanism._stand_in(
                negotiator, value, _spender(action, nid)
            )
            for name, method in methods.items():
                shadows.append((negotiator, name, vars(negotiator).get(name, _MISSING)))
                setattr(negotiator, name, method)
        return mechanism.step()
    finally:
        for negotiator, name, before in reversed(shadows):
            if before is _MISSING:
                delattr(negotiator, name)
            else:
                setattr(negotiator, name, before)


def _spender(action: Mapping[str, Any], nid: str) -> Callable[[], None]:
    """What a stand-in calls when its action is used: the entry leaves ``action``
    (when the caller's mapping can be changed)."""

    def spend() -> None:
        if isinstance(action, MutableMapping):
            action.pop(nid, None)

    return spend
