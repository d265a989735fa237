"""A negotiator's utility function: reading it, replacing it (and telling the
negotiator, as NegMAS does) and what follows from it (reserved value and
outcome, the opponent's function when known)."""

from __future__ import annotations

from typing import Any

import numpy as np

from palaver.negotiators.callbacks import default_callback
from palaver.outcomes import Outcome
from palaver.preferences.base import Preferences
from palaver.preferences.changes import PreferencesChange, PreferencesChangeType
from palaver.preferences.protocol import UtilityFunctionLike, checked_ufun

__all__ = ["NegotiatorPreferences"]


class NegotiatorPreferences:
    """The utility function of a :class:`~palaver.negotiators.base.Negotiator`
    (``ufun``, its alias ``preferences`` and NegMAS's ``set_preferences``)."""

    id: str
    nmi: Any
    _ufun: UtilityFunctionLike | None
    _private_info: dict[str, Any]

    @property
    def has_ufun(self) -> bool:
        """Whether it has a utility function (NegMAS's ``has_ufun``)."""
        return self._ufun is not None

    @property
    def opponent_ufun(self) -> UtilityFunctionLike | None:
        """The opponent's utility function when this negotiator knows it
        (``private_info["opponent_ufun"]``, as in NegMAS), else ``None``."""
        found: UtilityFunctionLike | None = self._private_info.get("opponent_ufun")
        return found

    @property
    def reserved_outcome(self) -> Outcome | None:
        """The outcome realised without agreement, when the utility function
        defines one (NegMAS's ordinal preferences do); ``None`` otherwise, which
        is every utility function Palaver ships."""
        found: Outcome | None = getattr(self._ufun, "reserved_outcome", None)
        return found

    @property
    def ufun(self) -> UtilityFunctionLike | None:
        """The utility function (``None`` until given)."""
        return self._ufun

    @ufun.setter
    def ufun(self, value: UtilityFunctionLike | None) -> None:
        self._replace_ufun(checked_ufun("ufun", value))

    @property
    def preferences(self) -> UtilityFunctionLike | None:
        """Alias of :attr:`ufun`."""
        return self._ufun

    @preferences.setter
    def preferences(self, value: UtilityFunctionLike | None) -> None:
        self._replace_ufun(checked_ufun("preferences", value))

    @property
    def _preferences(self) -> UtilityFunctionLike | None:
        """NegMAS's attribute holding the utility function, which NegMAS-style
        subclasses read and set directly: setting it replaces the function
        without telling anyone (no ``on_preferences_changed``), as in NegMAS."""
        return self._ufun

    @_preferences.setter
    def _preferences(self, value: UtilityFunctionLike | None) -> None:
        self._ufun = value

    def set_preferences(
        self,
        value: UtilityFunctionLike | None,
        force: bool = False,
        ignore_exceptions: bool = False,
    ) -> UtilityFunctionLike | None:
        """NegMAS's ``set_preferences``: :attr:`preferences` ``= value``; returns it.

        ``force`` tells the negotiator (``on_preferences_changed``, General)
        even when ``value`` is the function it has; ``ignore_exceptions``
        drops an exception that ``on_preferences_changed`` raises. It does
        not make the negotiator the function's ``owner``: the mechanism does
        that when the negotiation starts.
        """
        checked = checked_ufun("preferences", value)
        try:
            if checked is self._ufun:
                if force and checked is not None:
                    self.on_preferences_changed([PreferencesChange(PreferencesChangeType.General)])
            else:
                self._replace_ufun(checked)
        except Exception:
            if not ignore_exceptions:
                raise
        return self._ufun

    def _replace_ufun(self, value: UtilityFunctionLike | None) -> None:
        # NegMAS's rule: replacing a ufun by another tells the negotiator
        # (General); a first ufun given once the negotiation runs is its
        # Initialization, which the mechanism could not send at the start.
        old = getattr(self, "_ufun", None)
        self._ufun = value
        nmi = getattr(self, "nmi", None)
        if isinstance(value, Preferences) and nmi is not None and nmi.state.running:
            value.owner = self  # it joins a running negotiation (NegMAS's owner)
        if value is None or value is old:
            return
        if old is not None:
            self.on_preferences_changed([PreferencesChange(PreferencesChangeType.General)])
        elif (nmi := getattr(self, "nmi", None)) is not None and nmi.state.started:
            self.on_preferences_changed([PreferencesChange(PreferencesChangeType.Initialization)])

    @default_callback
    def on_preferences_changed(self, changes: list[PreferencesChange]) -> None:
        """Called when the preferences change: with ``Initialization`` once per
        negotiation just before :meth:`on_negotiation_start` (the ufun has its
        outcome space then), with ``General`` when the ufun is replaced by
        another. Override it to precompute from the ufun (see
        :mod:`palaver.preferences.changes`); this default does nothing."""

    @property
    def reserved_value(self) -> float:
        """The utility of no agreement (``-inf`` without a utility function)."""
        return float(self._ufun.reserved_value) if self._ufun is not None else -np.inf

    def _own_ufun(self) -> UtilityFunctionLike:
        """The utility function, for the methods that cannot work without one."""
        if self._ufun is None:
            raise RuntimeError(f"{type(self).__name__} {self.id!r} has no utility function")
        return self._ufun
