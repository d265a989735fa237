"""An agent's utility function and the callbacks NegMAS's agents inherit
from its ``Rational`` and ``EventSink`` bases (``on_preferences_changed``,
``on_event``), so that a NegMAS-style agent's overrides and their ``super()``
calls work."""

from __future__ import annotations

from typing import Any

from palaver.preferences.changes import PreferencesChange, PreferencesChangeType
from palaver.preferences.protocol import checked_ufun

__all__ = ["AgentRational"]


class AgentRational:
    """An agent's :attr:`ufun` (alias :attr:`preferences`) and its change callback.

    As in NegMAS, setting the utility function to a different object calls
    :meth:`on_preferences_changed`: with ``Initialization`` when the agent had
    none (also from the constructor given ``ufun=``, and from the world's
    ``join(agent, preferences=...)``), with ``General`` when one replaces
    another. Setting the one it has calls nothing.
    """

    @property
    def ufun(self) -> Any:
        """The agent's utility function, or ``None``.

        Setting it checks the value as ``ufun=`` is checked (a plain function
        of the outcome is wrapped; anything else that is not a utility function
        raises ``TypeError``): a text or a number would otherwise surface only
        when a negotiation of the agent starts, far from the assignment.
        """
        # Kept under the name "ufun" in the instance dict: checkpoints written
        # before this was a property hold it there.
        return self.__dict__.get("ufun")

    @ufun.setter
    def ufun(self, value: Any) -> None:
        self._palaver_set_ufun(checked_ufun("ufun", value))

    @property
    def preferences(self) -> Any:
        """Alias of :attr:`ufun`."""
        return self.ufun

    @preferences.setter
    def preferences(self, value: Any) -> None:
        self._palaver_set_ufun(checked_ufun("preferences", value))

    def _palaver_set_ufun(self, value: Any) -> None:
        old = self.__dict__.get("ufun")
        self.__dict__["ufun"] = value
        if value is old:
            return
        kind = (
            PreferencesChangeType.General
            if old is not None
            else PreferencesChangeType.Initialization
        )
        self.on_preferences_changed([PreferencesChange(kind)])

    def on_preferences_changed(self, changes: list[PreferencesChange]) -> None:
        """The agent's utility function was set or replaced (see the class notes);
        override it to precompute from :attr:`ufun`. This default does nothing."""

    def on_event(self, event: Any, sender: Any) -> None:
        """NegMAS's event-sink callback: called with the world's events of a type
        once the agent is registered with ``world.register_listener(type, agent)``
        (the world's own reports go to the named callbacks,
        ``on_negotiation_success``, ``on_contract_signed``, ...). This default
        does nothing."""
