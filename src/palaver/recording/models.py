"""What the recorder reads from, and hooks into, the model it records.

A model is identified by its type, never guessed from its attributes:

* a :class:`palaver.world.World` (its step is ``current_step``, its length
  ``n_steps``, its events come from its ``bus``);
* a standalone :class:`palaver.mechanisms.Mechanism`: its step is the
  negotiation's round (``state.step``; an offer or a response is stored at
  the round in its payload, see :func:`negotiation_fields`), and the agent of
  an event without one is the negotiator the payload names;
* an *event source*: any other object whose ``bus`` is a
  :class:`palaver.events.EventBus` (a world written without ``World``): its
  step is ``bus.step``;
* anything else is a Mesa model, read as mesa-llm's recorder reads it:
  ``model.steps`` (Mesa 3's step counter), or ``model.time`` on a Mesa release
  that has a clock and no ``steps``; its length is ``max_steps`` only.

A Mesa model that keeps a ``current_step`` or ``n_steps`` of its own (an hour
of the day, a parameter) is therefore recorded with Mesa's step and a
completion status that depends on ``max_steps`` alone, as mesa-llm records it.
"""

from __future__ import annotations

import contextlib
import functools
import numbers
import sys
from collections.abc import Callable
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from palaver.events import EventBus, EventType

if TYPE_CHECKING:
    from palaver.mechanisms import Mechanism

_ROUND_TYPES = frozenset({EventType.OFFER, EventType.RESPONSE})

StepReader = Callable[[Any], Any]
"""Reads a model's current step (the raw value: see :func:`checked_step`)."""


def _instance(model: Any, module: str, name: str) -> bool:
    # isinstance() without importing the class's module: an object cannot be an
    # instance of a class never imported, so a recorder of a Mesa model loads
    # neither the world nor the mechanisms (their modules cost ~15 MB and 0.2 s).
    loaded = sys.modules.get(module)
    return loaded is not None and isinstance(model, getattr(loaded, name))


def is_world(model: Any) -> bool:
    """Whether ``model`` is a :class:`palaver.world.World`."""
    return _instance(model, "palaver.world", "World")


def is_mechanism(model: Any) -> bool:
    """Whether ``model`` is a :class:`palaver.mechanisms.Mechanism`."""
    return _instance(model, "palaver.mechanisms", "Mechanism")


def kind_of(model: Any) -> str:
    """``"world"``, ``"source"`` (an event source with a bus) or ``"mesa"``."""
    if is_world(model):
        return "world"
    if is_mechanism(model):
        return "source"
    try:
        bus = object.__getattribute__(model, "bus")
    except AttributeError:
        bus = None
    return "source" if isinstance(bus, EventBus) else "mesa"


def check_not_run(model: Any) -> None:
    """Raise ``ValueError`` when ``model`` is a world or a mechanism whose run is
    over: a recorder attached then would record nothing (its events are gone)."""
    if is_world(model):
        status = model.status
        if status in ("pending", "running"):
            return
        what = f"the world {model.name!r} has already run (status {status!r})"
    elif is_mechanism(model):
        if not model.state.ended:
            return
        what = f"the {type(model).__name__} has already ended its negotiation"
    else:
        return
    raise ValueError(
        f"model: {what}, so a recorder attached now would record nothing; attach it "
        "before run() (SimulationRecorder(world) or World(..., recorder=...)), or resume "
        "a checkpoint with World.from_checkpoint(path, recorder=...)"
    )


def has_bus(model: Any) -> bool:
    """Whether ``model`` is a world or an event source the recorder subscribes to."""
    return kind_of(model) != "mesa"


def _bus_step(model: Any) -> int:
    step: int = model.bus.step
    return step


def _round(mechanism: Any) -> int:
    step: int = mechanism.state.step
    return step


def negotiation_fields(
    mechanism: Mechanism, event_type: str, agent_id: Any, payload: Any
) -> tuple[int, Any]:
    """The step and agent a standalone mechanism's bus event is stored with.

    A mechanism recorded alone has no world clock (its bus's step stays 0)
    and its negotiators usually no owner agent, so its events would all sit
    at step 0 with no agent. Instead, an offer or a response is stored at the
    round its payload names, any other event at the mechanism's current round,
    and an event without an agent is attributed to the negotiator its payload
    names (offers, responses, an LLM negotiator's calls), which makes
    ``get_events_by_step`` and ``get_events_by_agent`` answer per round and per
    negotiator.
    """
    rnd = payload.get("round") if type(payload) is dict else None
    if type(rnd) is not int or event_type not in _ROUND_TYPES:
        rnd = _round(mechanism)
    if agent_id is None and type(payload) is dict:
        agent_id = payload.get("negotiator")
    return rnd, agent_id


def step_reader(model: Any) -> StepReader:
    """A function giving the model's current step, chosen by the model's type
    (see the module doc). Raises ``TypeError`` when a Mesa model has neither
    ``steps`` nor ``time``."""
    kind = kind_of(model)
    if kind == "world":
        return attrgetter("current_step")
    if is_mechanism(model):
        return _round
    if kind == "source":
        return _bus_step
    for name in ("steps", "time"):
        try:
            getattr(model, name)
        except AttributeError:
            continue
        return attrgetter(name)
    try:
        shown = f"{model!r:.80}"
    except Exception:  # a half-built model's own __repr__ may fail: the error must not
        shown = f"a {type(model).__name__}"
    raise TypeError(
        f"model must be a Mesa model, a Palaver World, a mechanism or None; got "
        f"{shown} ({type(model).__name__}), whose step cannot be read: a Mesa model "
        "needs a 'steps' attribute (Mesa 3's step counter, set by Model.__init__: build "
        "the recorder after super().__init__(); or 'time' on Mesa releases without "
        "'steps'), a Palaver World its 'current_step'"
    )


def step_name(model: Any) -> str:
    """The attribute the step is read from, for error messages."""
    kind = kind_of(model)
    if kind == "world":
        return "current_step"
    if is_mechanism(model):
        return "state.step"
    if kind == "source":
        return "bus.step"
    return "steps" if hasattr(model, "steps") else "time"


def checked_step(model: Any, value: Any) -> int:
    """``value`` (just read from ``model``) as an ``int`` step, or ``TypeError``.

    An ``int`` (numpy integers included, ``bool`` excluded) is a step; so is a
    float with an integral value (Mesa's ``time`` clock is a float). Anything
    else (``None``, a fractional time, a ``Mock``) cannot be stored as a step.
    """
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        as_float = float(value)
        if as_float.is_integer():
            return int(as_float)
    raise TypeError(
        f"the step of {type(model).__name__} must be an int, but "
        f"model.{step_name(model)} is {value!r} ({type(value).__name__}); "
        "the recorder stores each event's step as an integer"
    )


class _StepHooks:
    """The recorders' hooks around one model's ``step``, and how to put the
    original back."""

    def __init__(self, restore: Callable[[], None]) -> None:
        self.entries: list[tuple[Callable[[], None], Callable[[], None]]] = []
        self.restore = restore


def wrap_step(
    model: Any, before: Callable[[], None], after: Callable[[], None]
) -> Callable[[], None] | None:
    """Make ``model.step()`` call ``before()`` first and ``after()`` once the step is
    done; return a function that undoes this (``None`` when the model has no ``step``).

    A Mesa model has no event stream, so wrapping its instance's ``step`` is
    the one way to learn that a step starts and ends (to take the initial
    states, to flush and to compare states).

    Several recorders of one model share one wrapper, each adding its hooks:
    a recorder closed while another records removes only its own hooks (two
    nested wrappers would have lost the other's when the inner one put back
    the ``step`` it wrapped). The model's own ``step`` is put back when the
    last hooks are removed.
    """
    current = getattr(model, "step", None)
    if not callable(current):
        return None
    if isinstance(current, _Step):
        wrapper = current
    else:
        retired = _Retired.of(model)
        if retired is not None and retired.original == current:
            # The wrapper a closed recorder left: a simulator may still hold it.
            wrapper = retired
            model.step = wrapper
        else:
            wrapper = _Step.install(model, current)
    shared = wrapper.hooks
    entry = (before, after)
    shared.entries.append(entry)

    def unwrap() -> None:
        if entry in shared.entries:
            shared.entries.remove(entry)
        if not shared.entries and vars(model).get("step") is wrapper:
            shared.restore()
            _Retired.keep(model, wrapper)

    return unwrap


_RETIRED = "_palaver_retired_step"
"""The model attribute keeping the wrapper its last recorder left (see :class:`_Retired`)."""


class _Retired:
    """Keeps a model's retired step wrapper alive as long as the model.

    Mesa's ``ABMSimulator`` holds the step it will run next through a weak
    reference: once the last recorder put the model's own ``step`` back, the
    wrapper scheduled before was collected, the simulator's next event found
    nothing to run and the model stopped. Kept alive, the wrapper (no hooks
    left) runs the model's step, compares equal to it, and the simulator
    schedules the model's own ``step`` from then on.

    Pickled (or deep-copied) with its model, it is empty: a copy has no
    simulator event holding its wrapper, and the wrapper's hooks, local
    functions, do not pickle (a model whose recorder was closed pickled before
    the wrapper was kept, and still does).
    """

    __slots__ = ("step",)

    def __init__(self, step: _Step | None = None) -> None:
        self.step = step

    def __reduce__(self) -> tuple[type[_Retired], tuple[()]]:
        return (_Retired, ())

    @staticmethod
    def keep(model: Any, wrapper: _Step) -> None:
        """Keep ``wrapper`` alive with ``model`` (not possible without a ``__dict__``)."""
        # A model without a __dict__ has no step of its own to wrap either.
        with contextlib.suppress(TypeError):
            vars(model)[_RETIRED] = _Retired(wrapper)

    @staticmethod
    def of(model: Any) -> _Step | None:
        """The wrapper kept by :meth:`keep`, if any."""
        try:
            holder = vars(model).get(_RETIRED)
        except TypeError:
            return None
        return holder.step if isinstance(holder, _Retired) else None


class _Step:
    """A model's ``step`` with the recorders' hooks around it (see :func:`wrap_step`).

    It holds its hooks itself, not a module-level table: they reference the
    model, which a table would keep alive for ever (an unclosed recorder's
    model, its agents and its open log, never collected).

    It compares equal to the ``step`` it wraps, and hashes alike: code that
    took the model's ``step`` before the recorder was built and compares it
    with ``model.step`` finds the same step. Mesa's ``ABMSimulator`` schedules
    the next step only when the event it runs ``== model.step``: a model set up
    with its simulator before its recorder ran one step and stopped.
    """

    def __init__(self, original: Callable[..., Any], hooks: _StepHooks) -> None:
        self.original = original
        self.hooks = hooks
        functools.update_wrapper(self, original)

    @classmethod
    def install(cls, model: Any, original: Callable[..., Any]) -> _Step:
        """Install on ``model`` a ``step`` that calls ``original`` between its hooks."""
        had_own = "step" in vars(model)

        def restore() -> None:
            if had_own:
                model.step = original
            else:
                del model.step

        step = cls(original, _StepHooks(restore))
        model.step = step
        return step

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        entries = tuple(self.hooks.entries)
        for before, _ in entries:
            before()
        result = self.original(*args, **kwargs)
        for _, after in entries:
            after()
        return result

    def __eq__(self, other: object) -> bool:
        return other is self or bool(self.original == other)

    def __hash__(self) -> int:
        return hash(self.original)


def _number(value: Any) -> float | None:
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    return None


def completion_status(model: Any, step: int, world_status: str | None) -> str:
    """``completed`` / ``interrupted`` / ``unknown``, as mesa-llm decides it.

    A world's own ``simulation_end`` status wins (``timed_out`` and ``error``
    count as interrupted). Otherwise the step is compared with the model's
    length: ``n_steps`` for a Palaver world, ``max_steps`` for any other model
    (whatever else it has); a standalone mechanism is completed once its
    negotiation ended. With no length, or one that is not a number, the
    status is ``unknown``.
    """
    if world_status is not None:
        return world_status if world_status in ("completed", "unknown") else "interrupted"
    if is_mechanism(model):
        # A negotiation knows whether it ended, whatever its length was.
        return "completed" if model.state.ended else "interrupted"
    name = "n_steps" if kind_of(model) == "world" else "max_steps"
    try:
        limit = _number(getattr(model, name, None))
    except Exception:  # a property that fails: no usable length
        limit = None
    if limit is None:
        return "unknown"
    return "interrupted" if step < limit else "completed"
