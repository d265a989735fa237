"""NegMAS's smaller members of a negotiator: other names of what it has, and
hooks a controller calls.

``annotation`` (its :attr:`private_info`), ``uuid`` (its id), ``ami`` (its
``nmi``, NegMAS's deprecated name), ``isin(negotiation_id)``,
``has_preferences`` / ``has_cardinal_preferences``, ``crisp_ufun`` /
``prob_ufun``, and ``before_death`` / ``cancel``, which do what NegMAS's
defaults do (agree to be removed; ignore the request) so that overrides
calling ``super()`` work.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

from palaver.preferences.prob_mapping import ProbUtilityFunction

__all__ = ["NegotiatorNegMASViews"]


class NegotiatorNegMASViews:
    """NegMAS's names of a negotiator's data (see the module notes)."""

    id: str
    nmi: Any
    ufun: Any
    _private_info: dict[str, Any]

    @property
    def annotation(self) -> dict[str, Any]:
        """NegMAS's other name for :attr:`private_info` (the same dict)."""
        return self._private_info

    @property
    def uuid(self) -> str:
        """NegMAS's unique id: the negotiator's :attr:`id` (ids are unique and
        repeatable here, where NegMAS draws a random one)."""
        return self.id

    @property
    def ami(self) -> Any:
        """NegMAS's deprecated name of :attr:`nmi` (warns, as NegMAS does)."""
        warnings.warn("ami is deprecated: use nmi", DeprecationWarning, stacklevel=2)
        return self.nmi

    def isin(self, negotiation_id: str | None) -> bool:
        """Whether it is in the negotiation with id ``negotiation_id`` (the one it joined last)."""
        nmi = self.nmi
        return nmi is not None and nmi.id == negotiation_id

    @property
    def has_preferences(self) -> bool:
        """Whether it has a utility function."""
        return self.ufun is not None

    @property
    def has_cardinal_preferences(self) -> bool:
        """Whether it has a utility function (every utility function here is cardinal)."""
        return self.ufun is not None

    @property
    def crisp_ufun(self) -> Any:
        """Its utility function unless that one gives distributions (then ``None``)."""
        ufun = self.ufun
        return None if isinstance(ufun, ProbUtilityFunction) else ufun

    @property
    def prob_ufun(self) -> ProbUtilityFunction | None:
        """Its utility function if that one gives distributions, else ``None``."""
        ufun = self.ufun
        return ufun if isinstance(ufun, ProbUtilityFunction) else None

    def before_death(self, cntxt: Mapping[str, Any]) -> bool:
        """A controller is about to remove it: ``True`` agrees (the default;
        NegMAS's controller may remove it anyway)."""
        return True

    def cancel(self, reason: Any = None) -> None:
        """Asked to stop what it is computing; this default ignores the request."""
