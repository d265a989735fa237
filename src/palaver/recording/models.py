"""What the recorder reads from, and hooks into, the model it records.

The recorder duck-types its model: a Palaver ``World`` (``current_step``,
``n_steps``, ``bus``), a Mesa 3 ``Model`` (``steps``, optionally
``max_steps``) or a bare mechanism (``bus``). Nothing else is assumed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from operator import attrgetter
from typing import Any


def step_reader(model: Any) -> Callable[[Any], int]:
    """A function giving the model's current step.

    Tries, in order, a Palaver world's ``current_step``, a Mesa 3 model's
    ``steps`` and a bare mechanism's ``bus.step``.
    """
    for name in ("current_step", "steps", "bus.step"):
        try:
            attrgetter(name)(model)
        except AttributeError:
            continue
        return attrgetter(name)
    raise TypeError(
        f"cannot read the step of {type(model).__name__}: the model needs a "
        "'current_step' (Palaver World) or 'steps' (Mesa Model) attribute"
    )


def has_bus(model: Any) -> bool:
    """Whether ``model`` has an event bus a recorder can subscribe to."""
    return callable(getattr(getattr(model, "bus", None), "add_sink", None))


def wrap_step(model: Any, after: Callable[[], None]) -> Callable[[], None] | None:
    """Make ``model.step()`` call ``after()`` once the step is done; return a
    function that undoes this (``None`` when the model has no ``step``).

    A Mesa model has no event stream, so wrapping its instance's ``step`` is
    the one way to learn that a step ended (to flush and to diff states).
    """
    original = getattr(model, "step", None)
    if not callable(original):
        return None

    @functools.wraps(original)
    def step(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        after()
        return result

    had_own = "step" in vars(model)
    model.step = step

    def unwrap() -> None:
        if had_own:
            model.step = original
        else:
            del model.step

    return unwrap


def completion_status(model: Any, step: int, world_status: str | None) -> str:
    """``completed`` / ``interrupted`` / ``unknown``.

    A world's own ``simulation_end`` status wins (``timed_out`` and ``error``
    count as interrupted); otherwise the step is compared with the model's
    ``max_steps`` (Mesa) or ``n_steps`` (Palaver), and with neither the status
    is unknown.
    """
    if world_status is not None:
        return world_status if world_status in ("completed", "unknown") else "interrupted"
    limit = getattr(model, "max_steps", None)
    if limit is None:
        limit = getattr(model, "n_steps", None)
    if limit is None:
        return "unknown"
    return "interrupted" if step < limit else "completed"
