"""Worlds and agents that ship with Palaver (the TripsWorld first).

``WORLDS`` maps a name (as used by ``palaver run NAME``) to a builder taking
``n_agents``, ``n_steps``, ``seed`` and world keyword options.
"""

from collections.abc import Callable
from typing import Any

from palaver.examples.trips import build_trips

#: Named world builders: name -> ``builder(n_agents, n_steps, seed, **options)``.
WORLDS: dict[str, Callable[..., Any]] = {"trips": build_trips}

__all__ = ["WORLDS"]
