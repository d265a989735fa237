"""The World: a thin class a user subclasses, over the engine it owns.

The World keeps its options, its agents, the tutorial's callbacks
(``world/callbacks.py``), ``join`` / ``run`` / ``step`` and the documented
properties; everything else lives in components of its engine
(``world/engine.py``), reached through the one private handle ``self._palaver``.
User code is called only through the guard (``world/guard.py``).
"""

from __future__ import annotations

import inspect
import random
import secrets
from abc import ABC
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import numpy as np

from palaver._util.checks import is_text
from palaver._util.collector import CollectorHold
from palaver.events import EventBus
from palaver.preferences import UtilityFunctionLike
from palaver.world.agent import Agent
from palaver.world.awi import AgentWorldInterface
from palaver.world.bulletin import BulletinBoard
from palaver.world.callbacks import WorldCallbacks
from palaver.world.compat import (
    NEGMAS_KEYWORDS,
    OptionView,
    checked_monitor,
    install_negmas_views,
    install_option_views,
    take_negmas_options,
    unregister_monitor,
)
from palaver.world.config import (
    DEFAULT_OPERATIONS,
    CheckpointConfig,
    ExceptionConfig,
    LoggingConfig,
    NegotiationConfig,
    SaveConfig,
    SigningConfig,
    parse_breach_processing,
    parse_operation,
    split_options,
)
from palaver.world.contracts import BreachProcessing, Operations
from palaver.world.engine import Engine
from palaver.world.errors import WorldParameterError
from palaver.world.surface import WorldSurface
from palaver.world.validate import check_int, check_mapping, check_world_arguments

__all__ = ["World"]


TAWI = TypeVar("TAWI", bound=AgentWorldInterface)
TAgent = TypeVar("TAgent", bound=Agent[Any])


class World(WorldSurface[TAgent], WorldCallbacks[TAgent], Generic[TAWI, TAgent], ABC):
    """A negotiation-driven simulation. Subclass it and implement the abstract callbacks.

    Every keyword argument of the tutorial is accepted flat (``neg_n_steps=50``)
    and routed to its config group; the groups can also be passed whole
    (``negotiation=NegotiationConfig(...)``), flat keywords overriding them.
    See ``docs/world.md`` for every option and its default.

    Args:
        name: The world's name.
        bulletin_board: The bulletin board to use (a new one when ``None``).
        awi_type: The AgentWorldInterface class given to joining agents.
        info: Free information kept with the world and never used by it.
        n_steps: Number of simulation steps (> 0).
        time_limit: Wall-clock seconds for the whole run (``None``: no limit). A
            limit that fires ends the run with status ``"timed_out"``.
        operations: The operations of a step, in order (any order, repeats allowed).
        breach_processing: A :class:`BreachProcessing` (or its name).
        seed: Seed of every random draw the framework makes. When given, the
            global ``random`` and ``numpy.random`` generators are seeded too, so
            agents that use them are reproducible.
        bus: The event bus to emit on (a new one when ``None``).
        recorder: Anything with ``attach(world)``; attached at the end of construction.
        shuffle_agents: Step agents in a fresh random (seeded) order every step.
        negotiation, signing, logging, save, exceptions, checkpoints: Config groups.
        **options: Flat keywords of the config groups.

    Raises:
        ValueError: for a bad ``n_steps``, ``time_limit`` or option value.
        TypeError: for an unknown keyword (naming the closest valid one).
        UnknownMechanismError: for a mechanism name in ``mechanisms`` that
            cannot be resolved.
        MechanismParameterError: for mechanism parameters the mechanism does
            not accept (or that the world sets itself).
    """

    # The tutorial reads these two. The framework keeps its state in the
    # engine (self._palaver) and never reads them: non-data descriptors, so a
    # subclass that assigns either just gets its own attribute.
    _stats = OptionView(
        lambda w: w._palaver.ledger.series,
        "Per-step statistics series (the tutorial's ``self._stats``): append to them in "
        "``pre_step_stats`` / ``post_step_stats``.",
    )
    _current_step = OptionView(
        lambda w: w._palaver.clock.step,
        "The current step (the tutorial's ``self._current_step``).",
    )

    def __init__(
        self,
        *,
        name: str | None = None,
        bulletin_board: BulletinBoard | None = None,
        awi_type: type | str | None = None,
        info: dict[str, Any] | None = None,
        n_steps: int = 100,
        time_limit: float | None = None,
        operations: Sequence[Operations | str] | None = None,
        breach_processing: BreachProcessing | str | int = BreachProcessing.NONE,
        seed: int | None = None,
        bus: EventBus | None = None,
        recorder: Any = None,
        shuffle_agents: bool = True,
        negotiation: NegotiationConfig | None = None,
        signing: SigningConfig | None = None,
        logging: LoggingConfig | None = None,
        save: SaveConfig | None = None,
        exceptions: ExceptionConfig | None = None,
        checkpoints: CheckpointConfig | None = None,
        **options: Any,
    ) -> None:
        checked = check_world_arguments(
            {
                "name": name,
                "bulletin_board": bulletin_board,
                "awi_type": awi_type,
                "info": info,
                "n_steps": n_steps,
                "time_limit": time_limit,
                "operations": operations,
                "seed": seed,
                "bus": bus,
                "recorder": recorder,
                "shuffle_agents": shuffle_agents,
            }
        )
        n_steps, time_limit, seed = checked["n_steps"], checked["time_limit"], checked["seed"]
        operations = checked["operations"]
        awi_cls: type | None = checked["awi_type"]
        options = dict(options)
        negmas = take_negmas_options(options)
        groups = split_options(
            {
                "negotiation": negotiation,
                "signing": signing,
                "logging": logging,
                "save": save,
                "exceptions": exceptions,
                "checkpoints": checkpoints,
            },
            options,
            also=(*_OWN_KEYWORDS, *NEGMAS_KEYWORDS),
        )
        self.negotiation_config: NegotiationConfig = groups["negotiation"]
        self.signing_config: SigningConfig = groups["signing"]
        self.logging_config: LoggingConfig = groups["logging"]
        self.save_config: SaveConfig = groups["save"]
        self.exception_config: ExceptionConfig = groups["exceptions"]
        self.checkpoint_config: CheckpointConfig = groups["checkpoints"]
        self.breach_processing: BreachProcessing = parse_breach_processing(breach_processing)
        self.operations: tuple[Operations, ...] = tuple(
            parse_operation(op)
            for op in (operations if operations is not None else DEFAULT_OPERATIONS)
        )
        self.awi_type: type = awi_cls if awi_cls is not None else AgentWorldInterface
        if negmas.event_file_name is not None and self.logging_config.log_folder is None:
            raise WorldParameterError(
                f"event_file_name={negmas.event_file_name!r} needs log_folder: "
                "Palaver writes no file unless given a folder"
            )
        ckpt = self.checkpoint_config
        if ckpt.checkpoint_every > 0 and ckpt.checkpoint_folder is None:
            raise WorldParameterError(
                f"checkpoint_every={ckpt.checkpoint_every!r} needs checkpoint_folder: "
                "without one no checkpoint would ever be saved (checkpoint_every=0 saves none)"
            )
        self.seeds_global_generators: bool = seed is not None
        if seed is None:
            # Fresh OS entropy (never the global generators); recorded in self.seed
            # so the run can be repeated.
            seed = secrets.randbits(63)
        self.seed: int = int(seed)
        self.bus: EventBus = bus if bus is not None else EventBus()
        self.name: str = name if name is not None else type(self).__name__
        self.info: dict[str, Any] = dict(info or {})
        self.bulletin_board: BulletinBoard = (
            bulletin_board if bulletin_board is not None else BulletinBoard()
        )
        self.n_steps: int = n_steps
        self.time_limit: float | None = time_limit
        self.shuffle_agents: bool = shuffle_agents
        self.agents: dict[str, TAgent] = {}
        self._palaver = Engine(
            self,
            self.agents,
            self.negotiation_config,
            self.signing_config,
            self.logging_config,
            self.save_config,
            self.exception_config,
            self.checkpoint_config,
            negmas,
            self.bus,
            self.bulletin_board,
            self.seed,
        )
        _publish_settings(self)
        if self.seeds_global_generators:
            random.seed(self.seed)
            np.random.seed(self.seed % (2**32))
        self._palaver.checkpoints.check_files()
        self._palaver.log.check_files(self.checkpoint_config.exist_ok)
        if recorder is not None:
            recorder.attach(self)

    if not TYPE_CHECKING:  # a __getattr__ seen by type checkers would allow any attribute

        def __getattr__(self, name: str) -> Any:
            # Called only for an attribute not found. A subclass whose __init__
            # did not call World's has no engine: say so, instead of naming
            # whichever framework attribute was read first ('agents', '_palaver').
            if not name.startswith("__") and "_palaver" not in vars(self):
                raise AttributeError(
                    f"{type(self).__name__!r} object has no attribute {name!r}: its "
                    "__init__ did not call super().__init__(...) (World's), which sets "
                    "the world up"
                )
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    # ------------------------------------------------------------------ setup

    def join(self, x: TAgent, *, simulation_priority: int = 0, **kwargs: Any) -> None:
        """Add agent ``x`` to the world and give it its AWI.

        Accepts ``ufun=`` / ``preferences=`` to set the agent's utility function.
        ``simulation_priority`` (NegMAS): agents with a lower priority step
        first in ``AgentSteps`` (default 0 for all); it is keyword-only so that a
        world's own ``join(x, preferences=None, **kwargs)`` is a valid override.
        ``annotation=`` (NegMAS): information for this agent only, merged over
        the world's ``annotation`` in its ``awi.annotation``.
        Raises ``ValueError`` when an agent with the same id already joined,
        ``TypeError`` when ``x`` is not an :class:`Agent`, and
        :class:`WorldParameterError` when the world has already run (joining then
        would do nothing, silently).
        """
        if self.agents is not self._palaver.roster.agents:
            raise WorldParameterError(
                "world.agents was replaced after World.__init__; the world keeps that dict "
                "itself: add agents with join() and never assign world.agents"
            )
        if self._palaver.clock.ended:
            raise WorldParameterError(
                f"join({getattr(x, '_palaver_id', None) or x!r}): world {self.name!r} has "
                f"already run (status {self._palaver.clock.status!r}); agents join before "
                "or during a run, never after it"
            )
        ufun = kwargs.pop("ufun", None)
        preferences = kwargs.pop("preferences", None)
        annotation = check_mapping("annotation", kwargs.pop("annotation", None))
        if kwargs:
            raise TypeError(f"join got unexpected keyword arguments {sorted(kwargs)}")
        if not isinstance(x, Agent):
            raise TypeError(f"join takes an Agent; got {x!r}")
        if "_palaver_running" not in vars(x):
            raise TypeError(
                f"join({type(x).__name__}): the agent was not set up: its __init__ must "
                "call super().__init__(...) (Agent's)"
            )
        for name, given in (("ufun", ufun), ("preferences", preferences)):
            if given is not None and not isinstance(given, UtilityFunctionLike):
                raise WorldParameterError(
                    f"join {name}={given!r:.80} ({type(given).__name__}): must be a utility "
                    "function (palaver.preferences.UtilityFunctionLike) or None"
                )
        if ufun is not None and preferences is not None and ufun is not preferences:
            # Aliases: one of two different functions would be dropped, silently.
            raise WorldParameterError(
                "join: give ufun or preferences (they are aliases), not two different ones"
            )
        check_int("simulation_priority", simulation_priority, -(2**62))
        if any(a is x for a in self.agents.values()):
            raise ValueError(f"agent {x._palaver_id!r} has already joined this world")
        joined = getattr(x, "_palaver_awi", None)
        if joined is not None:
            # Its AWI would then be the other world's: it would act there, unseen here.
            raise ValueError(
                f"agent {x._palaver_id!r} has already joined world "
                f"{joined._world.name!r}; an agent takes part in one world: make a "
                "new agent for this one"
            )
        aid = x._palaver_id
        if aid is not None and (not isinstance(aid, str) or not aid or not is_text(aid)):
            # Partners, victims and bulletin-board keys are ids as strings: an int
            # id would fail later, inside the agent's own callbacks; a lone
            # surrogate would fail in every event sink that writes text.
            raise WorldParameterError(
                f"join: agent id must be a non-empty str of valid text (no lone surrogate) "
                f"or None (a generated id); got {aid!r} ({type(aid).__name__})"
            )
        if aid is None:
            base = type(x).__name__
            aid = f"{base}{len(self.agents)}"
            while aid in self.agents:
                aid += "_"
        elif aid in self.agents:
            raise ValueError(f"an agent with id {aid!r} has already joined this world")
        x._palaver_bind(aid, self.awi_type(self, x))
        if ufun is not None or preferences is not None:
            x.ufun = ufun if ufun is not None else preferences
        self.agents[aid] = x
        self._palaver.roster.joined(x, simulation_priority, annotation)
        if self.logging_config.log_ufuns:
            self._palaver.log.write_record("ufuns", {"agent": aid, "ufun": repr(x.ufun)})

    def run(self) -> None:
        """Run the remaining steps to the end (or until the time limit fires).

        An exception that stops the run is re-raised after the world has closed
        every open negotiation and contract on record (status ``"error"``).
        """
        _refuse_rerun(self)
        # Agents, negotiators and preferences live until the run ends: the
        # garbage collector is kept off them meanwhile (palaver._util.collector).
        with CollectorHold():
            while self.step():
                pass

    def step(
        self,
        n_neg_steps: int | None = None,
        n_mechanisms: int | None = None,
        actions: Any = None,
        neg_actions: Any = None,
    ) -> bool:
        """Run one step; ``True`` when a step ran (the last one too), ``False``
        when none could (the simulation had ended, or its time limit fired).

        NegMAS's partial stepping: with ``n_neg_steps=k`` (or ``n_mechanisms``),
        a call runs only part of a step. The first call runs the operations up
        to the first ``Negotiations`` one; each call then gives that
        operation's negotiations ``k`` rounds (``0``: none; with
        ``n_mechanisms=m``, only the next ``m`` of them in turn; without ``k``,
        ``negotiation_speed`` rounds), never more in all than the
        ``negotiation_speed`` rounds a whole step gives each: the parts add up
        to a whole step. A negotiation that ended is settled (contract or
        failure, agents told) at a later call, after those a whole step runs
        before it, so the final state of each can be read before the world
        acts on it and contracts come in a whole step's order. The call that
        finds none of them open (or with rounds left) runs the rest of the
        step, then the next step's operations up to its negotiations; it returns ``False``
        when that step was the last: ``while world.step(n_neg_steps=1): ...``
        runs the whole simulation. A call without these arguments runs the
        rest of a paused step.

        NegMAS's ``neg_actions`` maps running negotiations' ids to
        ``{negotiator id: action}``: in each round this call gives those
        negotiations, the named negotiators are not called; the action is
        their move instead (for SAO an ``SAOResponse``: the answer to the
        standing offer and the offer made; see ``Mechanism.step(action)``).
        An id that is not a running negotiation raises
        :class:`WorldParameterError`. ``actions`` (NegMAS accepts it and does
        nothing with it) is refused: anything but ``None`` raises
        :class:`WorldParameterError`.
        """
        if actions is not None:
            raise WorldParameterError(
                f"step(actions={actions!r}): in Palaver every agent acts for itself; "
                "only None is allowed"
            )
        if neg_actions is not None:
            _check_neg_actions(neg_actions, self._palaver.scheduler.desk.active)
        if self._palaver.clock.ended:
            return False
        n_neg_steps = check_int("n_neg_steps", n_neg_steps, 0, optional=True)
        n_mechanisms = check_int("n_mechanisms", n_mechanisms, 1, optional=True)
        return self._palaver.scheduler.step(n_neg_steps, n_mechanisms, neg_actions or None)

    @property
    def timed_out(self) -> bool:
        """Whether the run's ``time_limit`` fired."""
        return self._palaver.clock.status == "timed_out"

    def run_with_progress(self, callback: Callable[[int], None] | None = None) -> None:
        """Run the remaining steps showing a progress bar (``rich``); ``callback(step)``
        is called after each step with the number of the step that ran."""
        from rich.progress import Progress

        if callback is not None and not callable(callback):
            # Refused before a step runs: it failed after the first one.
            raise WorldParameterError(
                f"callback must be a function callback(step) or None; got {callback!r:.80}"
            )
        _refuse_rerun(self)

        clock = self._palaver.clock
        with Progress(transient=True) as progress, CollectorHold():
            task = progress.add_task(f"{self.name}", total=self.n_steps - clock.step)
            while True:
                step = clock.step
                if not self.step():
                    break
                progress.advance(task)
                if callback is not None:
                    callback(step)

    @property
    def stats_monitors(self) -> list[Callable[[dict[str, Any], Any], Any]]:
        """Called as ``monitor(row, world)`` after every step with its statistics row
        (append to the list; ``safe_stats_monitoring`` records a monitor's exception)."""
        return self._palaver.ledger.monitors

    def register_stats_monitor(self, monitor: Any) -> None:
        """NegMAS's ``StatsMonitor``: ``monitor.step(stats, world_name=...)`` after every
        step with the world's statistics (``monitor.init(...)`` once, just before)."""
        self.stats_monitors.append(checked_monitor(monitor, "stats"))

    def register_world_monitor(self, monitor: Any) -> None:
        """NegMAS's ``WorldMonitor``: ``monitor.step(world)`` after every step
        (``monitor.init(world)`` once, just before)."""
        self.stats_monitors.append(checked_monitor(monitor, "world"))

    def unregister_stats_monitor(self, monitor: Any) -> None:
        """Stop calling ``monitor`` (``ValueError`` if it was not registered)."""
        unregister_monitor(self.stats_monitors, monitor, "stats")

    def unregister_world_monitor(self, monitor: Any) -> None:
        """Stop calling ``monitor`` (``ValueError`` if it was not registered)."""
        unregister_monitor(self.stats_monitors, monitor, "world")

    @property
    def status(self) -> str:
        """``pending``, ``running``, ``completed``, ``timed_out``, ``error`` or ``interrupted``."""
        return self._palaver.clock.status

    @property
    def run_parameters(self) -> dict[str, Any] | None:
        """What the run's ``simulation_start`` event says (``world``, ``name``,
        ``seed``, ``n_steps``, ``agents``), a copy; ``None`` before the run
        starts. A recorder attached after the start reads them here."""
        started = getattr(self._palaver.scheduler, "started_with", None)
        return None if started is None else dict(started)

    @property
    def exceptions(self) -> deque[dict[str, Any]]:
        """The exceptions recorded without stopping the run (the last 1000), oldest first.

        Each is a dict: ``kind`` (agent, simulation, mechanism, negotiator,
        contract, stats, run), ``step``, ``where``, ``agent_id``, ``exception``
        (the class name) and ``message``.
        """
        return self._palaver.guard.records

    @property
    def relative_time(self) -> float:
        """``current_step / n_steps``."""
        return self._palaver.clock.step / self.n_steps

    @property
    def neg_quota_step(self) -> float:
        """Negotiations an agent may request per step."""
        return self.negotiation_config.negotiation_quota_per_step

    @property
    def neg_quota_simulation(self) -> float:
        """Negotiations an agent may request in the whole run."""
        return self.negotiation_config.negotiation_quota_per_simulation

    def agent_rng(self, agent_id: str) -> np.random.Generator:
        """A generator for one agent, derived from the world's seed and the agent id.

        Raises :class:`WorldParameterError` for an id that is not a str or not
        an agent of this world (a misspelt id would otherwise get a stream of
        its own, silently).
        """
        roster = self._palaver.roster
        if not isinstance(agent_id, str) or agent_id not in roster.agents:
            known = ", ".join(repr(a) for a in list(roster.agents)[:10])
            raise WorldParameterError(
                f"agent_rng: agent_id must be the id (a str) of an agent of this world, got "
                f"{agent_id!r} ({type(agent_id).__name__}); agents: {known or 'none yet'}"
                + (", ..." if len(roster.agents) > 10 else "")
            )
        return roster.rng(agent_id)

    @property
    def rng(self) -> np.random.Generator:
        """The world's own generator (for world subclasses' random draws)."""
        return self._palaver.rng


def _publish_settings(world: World[Any, Any]) -> None:
    """The world's public settings, on its bulletin board (``awi.settings``)."""
    cfg = world.negotiation_config
    world.bulletin_board.record(
        "settings",
        {
            "n_steps": world.n_steps,
            "negotiation_speed": cfg.negotiation_speed,
            "neg_n_steps": cfg.neg_n_steps,
            "negotiation_quota_per_step": cfg.negotiation_quota_per_step,
            "negotiation_quota_per_simulation": cfg.negotiation_quota_per_simulation,
            "mechanisms": world._palaver.mechanisms.names,
            "force_signing": world.signing_config.force_signing,
            "breach_processing": world.breach_processing.name,
        },
        key="world",
    )
    # world17: NegMAS posts each setting under its own key
    # (awi.bb_read("settings", "n_steps")); Palaver's "world" record above stays.
    signing = world.signing_config
    negmas_settings: dict[str, Any] = {
        "n_steps": world.n_steps,
        "time_limit": world.time_limit,
        "negotiation_speed": cfg.negotiation_speed,
        "neg_n_steps": cfg.neg_n_steps,
        "neg_time_limit": cfg.neg_time_limit,
        "neg_step_time_limit": cfg.neg_step_time_limit,
        "default_signing_delay": signing.default_signing_delay,
        "force_signing": signing.force_signing,
        "batch_signing": signing.batch_signing,
        "breach_processing": world.breach_processing,
        "mechanism_names": world._palaver.mechanisms.names,
        "mechanisms": world._palaver.mechanisms.params,
        "start_negotiations_immediately": cfg.start_negotiations_immediately,
    }
    for key, value in negmas_settings.items():
        world.bulletin_board.record("settings", value, key=key)


install_option_views(World)
install_negmas_views(World)


def _refuse_rerun(world: World[Any, Any]) -> None:
    """``run()`` and ``run_with_progress()`` on a world that has already run."""
    if world._palaver.clock.ended:
        raise RuntimeError(
            f"world {world.name!r} has already run (status {world._palaver.clock.status!r}); "
            "build a new world (or resume a checkpoint) to run again"
        )


#: The World constructor's own keywords (suggested for a misspelt one).
_OWN_KEYWORDS: tuple[str, ...] = tuple(
    p for p in inspect.signature(World.__init__).parameters if p not in ("self", "options")
)


def _check_neg_actions(neg_actions: Any, active: Mapping[str, Any]) -> None:
    """Refuse ``neg_actions`` other than ``{running negotiation id: {negotiator id: action}}``."""
    if not isinstance(neg_actions, Mapping) or not all(
        isinstance(v, Mapping) for v in neg_actions.values()
    ):
        raise WorldParameterError(
            f"neg_actions must map negotiation ids to {{negotiator id: action}} dicts; "
            f"got {neg_actions!r:.200}"
        )
    unknown = sorted(str(k) for k in neg_actions if k not in active)
    if unknown:
        raise WorldParameterError(
            f"neg_actions names negotiations that are not running: {unknown}; "
            f"running: {sorted(active)}"
        )
