"""Keeping the garbage collector off a run's long-lived objects.

A world allocates many short-lived objects (offers, events, finished
negotiations), so the collector runs often; each full collection used to
scan every object the world holds (agents, negotiators, preferences, outcome
spaces), though they live until the run ends: 30-40% of a 500- to
2,000-agent TripsWorld's CPU. While a run is held (:class:`CollectorHold`):

* ``gc.freeze()`` moves what exists when the first hold starts out of the
  collector's reach; objects made during the run are collected as usual (a
  finished negotiation is cyclic garbage). Freezing is a constant-time move
  of the collector's lists; collecting first (so that no garbage is frozen)
  would scan the whole process at every run: 50-70% more CPU for a
  tournament's small worlds run one after another in a process holding
  200,000 objects. Garbage that exists when the run starts is therefore
  kept until the run ends, and collected after;
* the young generation's threshold is raised to :data:`YOUNG_THRESHOLD`
  allocations and the older generations' to 20 collections (Python's
  defaults, 700 and 10, make a collection every few hundred offers).

Both are process-wide, so holds are counted: a world run inside another
world's run (an agent running a simulation of its own) holds it again, the
first hold freezes and raises the thresholds, and the last release unfreezes
and restores them. Nothing is done while the collector is disabled.
"""

from __future__ import annotations

import gc

__all__ = ["YOUNG_THRESHOLD", "CollectorHold"]

YOUNG_THRESHOLD = 10_000
"""Allocations between young collections while a run is held."""

_OLDER_THRESHOLD = 20

_holds = 0
_saved: tuple[int, int, int] | None = None


class CollectorHold:
    """One owner's hold on the collector (see the module doc); acquiring or
    releasing it twice does nothing the second time."""

    __slots__ = ("held",)

    def __init__(self) -> None:
        self.held = False

    def acquire(self) -> None:
        """Hold the collector off what exists now, for this owner."""
        global _holds, _saved
        if self.held or not gc.isenabled():
            return
        if _holds == 0:
            gc.freeze()
            _saved = gc.get_threshold()
            young, middle, old = _saved
            gc.set_threshold(
                max(young, YOUNG_THRESHOLD),
                max(middle, _OLDER_THRESHOLD),
                max(old, _OLDER_THRESHOLD),
            )
        _holds += 1
        self.held = True

    def release(self) -> None:
        """Give this owner's hold back; the last one restores the collector."""
        global _holds, _saved
        if not self.held:
            return
        self.held = False
        _holds -= 1
        if _holds == 0:
            gc.unfreeze()
            if _saved is not None:
                gc.set_threshold(*_saved)
                _saved = None

    def __enter__(self) -> CollectorHold:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
