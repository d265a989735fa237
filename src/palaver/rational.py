"""NegMAS's ``Rational``: a named entity that has preferences (``negmas.types.Rational``).

NegMAS derives its agents, negotiators and controllers from it. Palaver's
negotiators and agents keep their preferences themselves (with the same
``preferences``, ``ufun``, ``set_preferences`` and ``on_preferences_changed``)
and are not ``Rational`` instances; this class is for NegMAS code that
subclasses ``Rational`` for other entities that hold preferences.

Setting preferences tells the entity at once through
:meth:`Rational.on_preferences_changed`: ``Initialization`` for its first
preferences, ``General`` when they are replaced (and, with ``force=True``,
when set again to the same ones).
"""

from __future__ import annotations

import math
from typing import Any

from palaver.named import NamedObject
from palaver.outcomes import Outcome
from palaver.preferences import (
    Preferences,
    PreferencesChange,
    PreferencesChangeType,
    ProbUtilityFunction,
    UtilityFunction,
)

__all__ = ["Rational"]


def _checked(value: object) -> Preferences | None:
    if value is None or isinstance(value, Preferences):
        return value
    raise TypeError(
        f"preferences must be a Preferences (a utility function) or None, got "
        f"{value!r:.80} ({type(value).__name__})"
    )


class Rational(NamedObject):
    """A named entity with preferences (see the module).

    Args:
        name: A readable name (default: random).
        preferences: Its preferences, if known.
        ufun: The same as ``preferences`` (it wins when both are given).
        id: Its unique id (default: made from the name).
        type_name: What :attr:`type_name` returns.
    """

    def __init__(
        self,
        name: str | None = None,
        preferences: Preferences | None = None,
        ufun: Preferences | None = None,
        id: str | None = None,
        type_name: str | None = None,
    ) -> None:
        super().__init__(name, id=id, type_name=type_name)
        if ufun is not None:
            preferences = ufun
        self._preferences: Preferences | None = None
        if preferences is not None:
            self.set_preferences(preferences)

    def on_preferences_changed(self, changes: list[PreferencesChange]) -> None:
        """Called when the preferences change (see the module); does nothing here.
        Override it to precompute from the preferences."""

    def set_preferences(
        self, value: Preferences | None, force: bool = False, ignore_exceptions: bool = False
    ) -> Preferences | None:
        """Make ``value`` the preferences and tell :meth:`on_preferences_changed`
        (``force``: even when unchanged; ``ignore_exceptions``: drop what it raises).
        Returns the preferences. The entity does not become their ``owner``."""
        checked = _checked(value)
        old = self._preferences
        if checked is old:
            changes = [PreferencesChange(PreferencesChangeType.General)] if force else []
        else:
            self._preferences = checked
            kind = (
                PreferencesChangeType.Initialization
                if old is None
                else PreferencesChangeType.General
            )
            changes = [PreferencesChange(kind)]
        if changes:
            try:
                self.on_preferences_changed(changes)
            except Exception:
                if not ignore_exceptions:
                    raise
        return self._preferences

    @property
    def preferences(self) -> Preferences | None:
        """The preferences (``None`` when not set)."""
        return self._preferences

    @property
    def ufun(self) -> Any:
        """The preferences when they are a utility function (numbers or
        distributions), ``None`` without any; a ``ValueError`` for other preferences."""
        p = self._preferences
        if p is None or isinstance(p, UtilityFunction | ProbUtilityFunction):
            return p
        raise ValueError(f"the preferences are not a utility function ({type(p).__name__})")

    @ufun.setter
    def ufun(self, value: Preferences | None) -> None:
        self.set_preferences(value)

    @property
    def crisp_ufun(self) -> UtilityFunction | None:
        """The preferences when they are a utility function of numbers, else ``None``."""
        p = self._preferences
        return p if isinstance(p, UtilityFunction) else None

    @crisp_ufun.setter
    def crisp_ufun(self, value: UtilityFunction) -> None:
        if not isinstance(value, UtilityFunction):
            raise ValueError(f"crisp_ufun must be a UtilityFunction, got {type(value).__name__}")
        self.set_preferences(value)

    @property
    def prob_ufun(self) -> ProbUtilityFunction | None:
        """The preferences when they give distributions of utilities, else ``None``."""
        p = self._preferences
        return p if isinstance(p, ProbUtilityFunction) else None

    @prob_ufun.setter
    def prob_ufun(self, value: ProbUtilityFunction) -> None:
        if not isinstance(value, ProbUtilityFunction):
            raise ValueError(f"prob_ufun must be a ProbUtilityFunction, got {type(value).__name__}")
        self.set_preferences(value)

    @property
    def has_preferences(self) -> bool:
        """Whether preferences are set."""
        return self._preferences is not None

    @property
    def has_ufun(self) -> bool:
        """Whether the preferences are a utility function."""
        return self.ufun is not None

    @property
    def has_cardinal_preferences(self) -> bool:
        """Whether the preferences give numbers (a utility function)."""
        return isinstance(self._preferences, UtilityFunction)

    @property
    def reserved_value(self) -> float:
        """What no agreement is worth to it (NaN without preferences that say)."""
        value = getattr(self._preferences, "reserved_value", None)
        return math.nan if value is None else float(value)

    @property
    def reserved_outcome(self) -> Outcome | None:
        """The outcome realised without agreement, when its preferences name one."""
        return getattr(self._preferences, "reserved_outcome", None)
