"""NegMAS's watched runs: ``run()`` with a timeout or callbacks, and ``run_with_progress``.

A plain ``run()`` (none of these) plays its rounds without them; a watched
run steps the mechanism one step at a time, calling the callbacks with the
state and checking the timeout between steps.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from palaver._util.checks import check_real
from palaver.mechanisms.errors import MechanismTypeError

if TYPE_CHECKING:
    from palaver.mechanisms.state import MechanismState
    from palaver.mechanisms.stepping import MechanismStepping

#: A NegMAS ``run()`` callback: called with the mechanism's state.
StateCallback = Callable[[Any], None]


def run_watched(
    mechanism: MechanismStepping,
    timeout: float | None,
    start_callback: StateCallback | None,
    progress_callback: StateCallback | None,
    completion_callback: StateCallback | None,
) -> MechanismState:
    """``mechanism.run()`` step by step, with NegMAS's timeout and callbacks."""
    if timeout is not None:
        check_real("timeout", timeout, positive=True, inf_ok=True, type_error=MechanismTypeError)
    for name, callback in (
        ("start_callback", start_callback),
        ("progress_callback", progress_callback),
        ("completion_callback", completion_callback),
    ):
        if callback is not None and not callable(callback):
            # Found before the first round, not as "'int' object is not callable" after it.
            raise MechanismTypeError(
                f"{name} must be a function of the state or None, got {callback!r:.80} "
                f"({type(callback).__name__})"
            )
    state = mechanism._state
    began = time.perf_counter()
    if timeout is not None:
        # A negotiator's call that never returns is stopped at the timeout too.
        mechanism._watch_run(began + timeout)
    try:
        if start_callback is not None:
            start_callback(state)
        while not (state.started and not state.running):
            mechanism.step()
            if not state.started:  # too few negotiators to start
                break
            if progress_callback is not None:
                progress_callback(state)
            if state.running and timeout is not None and time.perf_counter() - began > timeout:
                mechanism._time_out()
    finally:
        if timeout is not None:
            mechanism._watch_run(None)
    if completion_callback is not None:
        completion_callback(state)
    return state


def run_with_progress(
    mechanism: MechanismStepping,
    timeout: float | None,
    start_callback: StateCallback | None,
    progress_callback: StateCallback | None,
    completion_callback: StateCallback | None,
) -> MechanismState:
    """:func:`run_watched` under a progress bar (rich, on standard error, removed
    when done) that follows ``state.relative_time``."""
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("Negotiating", total=100)

        def show(state: MechanismState) -> None:
            bar.update(task, completed=int(state.relative_time * 100))
            if progress_callback is not None:
                progress_callback(state)

        return run_watched(mechanism, timeout, start_callback, show, completion_callback)
