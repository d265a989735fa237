"""``@record_model``: attach a recorder to every instance of a Mesa model class.

The class decorator of mesa-llm's recorder, with the same arguments and the
same effects: once the model's ``__init__`` has run, ``self.recorder`` is a
:class:`~palaver.recording.SimulationRecorder` built with the decorator's
keyword arguments, handed to every agent that has a ``recorder`` attribute
(also to agents created during a step); each ``step()`` records a
``step_start`` and a ``step_end`` model event (no ``step_end`` when the step
closed the recorder); ``model.save_recording(filename=None,
format="json")`` saves; and at interpreter exit a model that recorded events
is saved once more (as mesa-llm does) and its recording closed. Each model
registers one exit handler (its ``_atexit_registered`` flag, as in mesa-llm);
calling its ``__init__`` again closes the recording it had and starts a new one
(on a Mesa 3 model too, whose own ``__init__`` would otherwise wrap its ``step``
twice and recurse).
A decorated class whose base class is decorated too (or whose ``step`` calls
its decorated base's) gets one recorder, built with the options of the class
instantiated, and one ``step_start`` and ``step_end`` per step.
"""

from __future__ import annotations

import atexit
import functools
import inspect
import warnings
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, overload

from palaver.recording.errors import RecordingWarning
from palaver.recording.recorder import SimulationRecorder

M = TypeVar("M", bound=type)

#: ``id()`` of the models inside a decorated ``__init__`` / ``step``: a decorated
#: base class's wrapper called from a decorated subclass's leaves the recording
#: to the outermost one (else two recorders, and each step's events twice).
_initialising: set[int] = set()
_stepping: set[int] = set()


def _attach_recorder_to_agents(model: Any, recorder: Any) -> None:
    # Only agents that declare a recorder get it (mesa-llm's rule): others are
    # not given an attribute they never asked for.
    for agent in list(getattr(model, "agents", ()) or ()):
        if hasattr(agent, "recorder"):
            agent.recorder = recorder


def _unwrap_mesa_step(model: Any) -> None:
    """Undo Mesa 3's wrapping of ``model.step`` before its ``__init__`` runs again.

    ``mesa.Model.__init__`` sets ``self._user_step = self.step`` and then
    ``self.step = self._wrapped_step``: run a second time, it takes its own
    wrapper for the user's step, and the next ``step()`` recursed until
    ``RecursionError``. Without the instance's ``step`` the class's is wrapped anew.
    """
    own: Any = vars(model).get("step") if hasattr(model, "__dict__") else None
    if getattr(own, "__self__", None) is model and getattr(own, "__name__", "") == "_wrapped_step":
        vars(model).pop("step")


def _at_exit(ref: weakref.ref[Any]) -> None:
    model = ref()
    recorder = getattr(model, "recorder", None)
    # type(), not isinstance(): a test's Mock(spec=SimulationRecorder) passes
    # isinstance() and has none of a recorder's state.
    if recorder is None or not issubclass(type(recorder), SimulationRecorder):
        return
    if recorder._closed:
        return
    if recorder.folder is not None and not recorder.folder.exists():
        return  # its folder was removed (a temporary one): nothing to finish
    try:
        if recorder.output_dir is not None and len(recorder.events):
            recorder.save()
        recorder.close()
    except Exception as exc:  # at exit there is no caller left to raise to
        warnings.warn(f"the recording could not be saved at exit: {exc}", RecordingWarning, 1)


def _decorate(cls: M, options: dict[str, Any]) -> M:
    if not isinstance(cls, type):
        raise TypeError(f"@record_model decorates a model class, not {cls!r}")
    original_init: Callable[..., None] = cls.__init__  # type: ignore[misc]
    original_step = getattr(cls, "step", None)

    @functools.wraps(original_init)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        key = id(self)
        if key in _initialising:
            original_init(self, *args, **kwargs)
            return
        previous: Any = getattr(self, "recorder", None)
        if issubclass(type(previous), SimulationRecorder):
            # __init__ called again on a model: its recording so far is
            # finished (and its hold on step() released) before a new one starts.
            previous.close()
            _unwrap_mesa_step(self)
        _initialising.add(key)
        try:
            original_init(self, *args, **kwargs)
        finally:
            _initialising.discard(key)
        self.recorder = SimulationRecorder(self, **options)
        _attach_recorder_to_agents(self, self.recorder)
        # An agent's `recorder = None` was plain data when the recorder took the
        # starting state; now it holds the recorder, which is no state. Without
        # this, a model stepped by a simulator set up in its __init__ (whose first
        # step bypasses the step wrapper's retake) recorded a `recorder` field
        # on every agent, gone at its first change.
        self.recorder._baseline_again()
        if not getattr(self, "_atexit_registered", False):
            # One exit handler per model, however often __init__ runs (mesa-llm's
            # flag); it saves whichever recorder the model holds at exit.
            atexit.register(_at_exit, weakref.ref(self))
            self._atexit_registered = True

    cls.__init__ = __init__  # type: ignore[misc]

    if callable(original_step):

        @functools.wraps(original_step)
        def step(self: Any, *args: Any, **kwargs: Any) -> Any:
            key = id(self)
            if key in _stepping:
                return original_step(self, *args, **kwargs)
            recorder: Any = getattr(self, "recorder", None)
            if recorder is not None:
                recorder.record_model_event("step_start", {"step": self.steps})
            _stepping.add(key)
            try:
                result = original_step(self, *args, **kwargs)
            finally:
                _stepping.discard(key)
            # A step that closed the recording (a model ending its own run,
            # as in a mesa.batch_run) ended it there: no step_end after close().
            # type(), as in _at_exit: a stand-in Mock has no recorder state.
            closed = issubclass(type(recorder), SimulationRecorder) and recorder._closed
            if recorder is not None and not closed:
                _attach_recorder_to_agents(self, recorder)
                recorder.record_model_event("step_end", {"step": self.steps})
            return result

        setattr(cls, "step", step)  # noqa: B010 (typed as a plain class)

    def save_recording(self: Any, filename: str | None = None, format: str = "json") -> Path:
        """Save the model's recording (see :meth:`SimulationRecorder.save`)."""
        recorder = getattr(self, "recorder", None)
        if recorder is None:
            raise AttributeError(
                "this model has no recorder: decorate its class with @record_model"
            )
        path: Path = recorder.save(filename=filename, format=format)
        return path

    setattr(cls, "save_recording", save_recording)  # noqa: B010
    return cls


@overload
def record_model(cls: M, **options: Any) -> M: ...


@overload
def record_model(cls: None = None, **options: Any) -> Callable[[M], M]: ...


def record_model(cls: M | None = None, **options: Any) -> M | Callable[[M], M]:
    """Class decorator giving each instance of a Mesa model a recorder.

    Use as ``@record_model`` or ``@record_model(output_dir="runs",
    auto_save_interval=100)``: keyword arguments go to
    :class:`~palaver.recording.SimulationRecorder`: an unknown one is a
    ``TypeError`` at once, their values are checked when the first model is
    built. See the module doc for what the decorator adds.
    """
    try:
        # Names are checked here, where the decorator is written; values when a
        # model is built (the recorder checks them before writing anything).
        inspect.signature(SimulationRecorder).bind(None, **options)
    except TypeError as exc:
        accepted = [n for n in inspect.signature(SimulationRecorder).parameters if n != "model"]
        raise TypeError(f"@record_model: {exc}; it takes {accepted}") from None
    if cls is None:
        return lambda actual: _decorate(actual, options)
    return _decorate(cls, options)
