"""Who may enter and leave a mechanism: NegMAS's requirements, capabilities and entry rules.

A mechanism may list *requirements* (``{name: value}``) that a negotiator's
*capabilities* (its ``capabilities`` dict, if it has one) must satisfy to join.
:func:`satisfies` says whether they do, with NegMAS's reading of the values:

* a requirement of ``None`` accepts anything (even a missing capability);
  any other requirement needs the capability to be present (not ``None``);
* a pair of numbers ``(low, high)`` on either side is an inclusive range: a
  range matches an overlapping range, a number inside it, or a list/set with
  a number inside it;
* a list or set on either side is a set of alternatives: two sets match when
  they share a value, a set and a single value when the value is in the set;
* otherwise the two values must be equal.

Lists given as requirements are kept as sets (their order means nothing).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from palaver.mechanisms.errors import MechanismTypeError
from palaver.mechanisms.state import MechanismState

_NUMBER = (int, float)


def _is_range(value: object) -> bool:
    """A tuple of exactly two numbers (an inclusive range)."""
    return (
        isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[0], _NUMBER)
        and isinstance(value[1], _NUMBER)
    )


def _in(value: Any, low_high: tuple[Any, Any]) -> bool:
    return bool(low_high[0] <= value <= low_high[1])


def _range_matches(span: tuple[Any, Any], other: Any) -> bool:
    """Whether ``other`` (a capability or requirement value) matches the range ``span``."""
    if _is_range(other):
        return bool(max(span[0], other[0]) <= min(span[1], other[1]))
    if isinstance(other, _NUMBER):
        return _in(other, span)
    if isinstance(other, list | set):
        return any(isinstance(v, _NUMBER) and _in(v, span) for v in other)
    return False


def _value_matches(required: Any, offered: Any) -> bool:
    """Whether one capability value meets one (not ``None``) requirement value."""
    if _is_range(required):
        return _range_matches(required, offered)
    if _is_range(offered):
        return _range_matches(offered, required)
    required_many = isinstance(required, list | set)
    offered_many = isinstance(offered, list | set)
    if required_many and offered_many:
        return not set(required).isdisjoint(offered)
    if required_many:
        return offered in set(required)
    if offered_many:
        return required in set(offered)
    return bool(required == offered)


def satisfies(requirements: Mapping[str, Any], capabilities: Mapping[str, Any]) -> bool:
    """Whether ``capabilities`` meet every one of ``requirements`` (see the module docstring)."""
    for name, required in requirements.items():
        if required is None:
            continue
        offered = capabilities.get(name)
        if offered is None or not _value_matches(required, offered):
            return False
    return True


def normalized(requirements: object, name: str = "requirements") -> dict[str, Any]:
    """``requirements`` as a new dict with lists made into sets; a ``MechanismTypeError`` when
    it is not a mapping with string keys."""
    if not isinstance(requirements, Mapping):
        raise MechanismTypeError(
            f"{name} must be a dict of requirement name to value, got {requirements!r} "
            f"({type(requirements).__name__})"
        )
    out: dict[str, Any] = {}
    for key, value in requirements.items():
        if not isinstance(key, str):
            raise MechanismTypeError(
                f"{name} keys must be strings, got {key!r} ({type(key).__name__})"
            )
        out[key] = set(value) if isinstance(value, list) else value
    return out


def capabilities_of(negotiator: object) -> Mapping[str, Any]:
    """A negotiator's ``capabilities`` (an empty mapping for one that declares none)."""
    found = getattr(negotiator, "capabilities", None)
    if found is None:
        return {}
    if type(found) is not dict and not isinstance(found, Mapping):
        raise MechanismTypeError(
            f"{type(negotiator).__name__}.capabilities must be a dict of capability name to "
            f"value, got {found!r} ({type(found).__name__})"
        )
    return found


def may_propose(negotiator: object) -> bool:
    """Whether ``negotiator`` makes offers: not when its ``can_propose`` or NegMAS's
    ``capabilities["propose"]`` says it never does."""
    if getattr(negotiator, "can_propose", True) is False:
        return False
    return capabilities_of(negotiator).get("propose", True) is not False


class EntryRules:
    """NegMAS's entry API of a mechanism (mixed into :class:`~palaver.mechanisms.Mechanism`).

    ``requirements`` (settable), :meth:`add_requirements`,
    :meth:`remove_requirements`, :meth:`is_satisfying`,
    :meth:`can_participate`, :meth:`can_accept_more_negotiators`,
    :meth:`can_enter` and :meth:`can_leave`. ``add`` refuses a negotiator that
    cannot enter.
    """

    # The defaults; Mechanism.__init__ sets the others on the instance (a
    # mechanism is made per negotiation: the defaults cost nothing).
    _requirements: dict[str, Any] | None = None  # made on first use
    _max_n_negotiators: int | None = None
    _dynamic_entry: bool = False
    # Set by Mechanism.__init__.
    _negotiators: list[Any]
    _state: MechanismState

    @property
    def requirements(self) -> dict[str, Any]:
        """What a negotiator's capabilities must satisfy to join (lists are kept as sets)."""
        found = self._requirements
        if found is None:
            found = self._requirements = {}
        return found

    @requirements.setter
    def requirements(self, value: Mapping[str, Any]) -> None:
        self._requirements = normalized(value)

    def add_requirements(self, requirements: Mapping[str, Any]) -> None:
        """Add ``requirements``, replacing those of the same names."""
        self.requirements.update(normalized(requirements))

    def remove_requirements(self, requirements: Iterable[str]) -> None:
        """Drop the requirements named in ``requirements`` (names not present are ignored)."""
        found = self.requirements
        for name in requirements:
            found.pop(name, None)

    def is_satisfying(self, capabilities: Mapping[str, Any]) -> bool:
        """Whether ``capabilities`` meet :attr:`requirements` (see :mod:`.entry`)."""
        return satisfies(self._requirements or {}, capabilities)

    def can_participate(self, negotiator: object) -> bool:
        """Whether ``negotiator``'s ``capabilities`` (none when it has no such attribute)
        meet :attr:`requirements`."""
        return satisfies(self._requirements or {}, capabilities_of(negotiator))

    @property
    def dynamic_entry(self) -> bool:
        """NegMAS's ``dynamic_entry``: negotiators may leave while it runs, and it waits
        (instead of failing) while it has fewer than two negotiators."""
        return self._dynamic_entry

    @property
    def max_n_negotiators(self) -> int | None:
        """The most negotiators that may join (``None``: no limit)."""
        return self._max_n_negotiators

    def can_accept_more_negotiators(self) -> bool:
        """Whether another negotiator fits under :attr:`max_n_negotiators`."""
        most = self._max_n_negotiators
        return most is None or len(self._negotiators) < most

    def can_enter(self, negotiator: object) -> bool:
        """Whether ``negotiator`` could join now: there is room and it can participate."""
        return self.can_accept_more_negotiators() and self.can_participate(negotiator)

    def can_leave(self, negotiator: object) -> bool:
        """Whether ``negotiator`` may leave now: always with :attr:`dynamic_entry`, else
        only a negotiator that is in and only while the negotiation is not running."""
        if self._dynamic_entry:
            return True
        return not self._state.running and any(n is negotiator for n in self._negotiators)
