"""What a negotiator is told when its preferences change (NegMAS's ``on_preferences_changed``).

A negotiator that precomputes from its utility function (an inverse utility
function, a ranking, thresholds) does it in ``on_preferences_changed``: the
mechanism calls it with ``[PreferencesChange(PreferencesChangeType.Initialization)]``
once per negotiation, just before ``on_negotiation_start`` (the ufun then has
its outcome space), and a negotiator whose ufun is replaced by another is told
``General``. The members are NegMAS's, so code that filters on them runs
unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto
from typing import Any

__all__ = ["PreferencesChange", "PreferencesChangeType"]


class PreferencesChangeType(Enum):
    """The kind of a change of preferences (NegMAS's members and names)."""

    General = auto()
    Scale = auto()
    Shift = auto()
    ReservedValue = auto()
    ReservedOutcome = auto()
    UncertaintyReduced = auto()
    UncertaintyIncreased = auto()
    OSRestricted = auto()
    OSExpanded = auto()
    StabilityReduced = auto()
    StabilityIncreased = auto()
    StabilityChanged = auto()
    Initialization = auto()


@dataclass(frozen=True)
class PreferencesChange:
    """One change of preferences: its ``type`` and any ``data`` describing it."""

    type: PreferencesChangeType = PreferencesChangeType.General
    data: Any = None
