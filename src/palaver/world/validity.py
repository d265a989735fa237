"""NegMAS's validity hooks, ``is_valid_agreement`` and ``is_valid_contract``, asked safely."""

from __future__ import annotations

from typing import Any

from palaver.world.callbacks import WorldCallbacks
from palaver.world.guard import Guard

__all__ = ["world_accepts"]


def world_accepts(guard: Guard, world: Any, hook: str, *args: Any) -> bool:
    """Whether ``world.<hook>(*args)`` accepts (``True``) what it is asked about.

    A world that does not override the hook accepts without being called (no
    cost per contract). An exception in the hook is the world's (a
    ``SimulationError``, or with ``ignore_simulation_exceptions`` a recorded one,
    and the item accepted, as if the hook were not there); so is an answer that
    is not a bool, since a forgotten ``return`` (``None``) would otherwise
    refuse every contract without a word.
    """
    if getattr(type(world), hook, None) is getattr(WorldCallbacks, hook):
        return True
    returned, answer = guard.world_result(getattr(world, hook), *args)
    if not returned:
        return True
    if isinstance(answer, bool) or type(answer).__name__ == "bool_":
        return bool(answer)
    guard.world_malformed(
        hook, f"{type(answer).__name__} {answer!r:.80}; return True (valid) or False (invalid)"
    )
    return True
