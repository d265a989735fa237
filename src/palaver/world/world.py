"""The World: its options, its agents, and the callbacks a world writes.

The machinery lives in the mixins it combines: requests and negotiations,
contracts and breaches, running and ending a run, reporting, checkpoints. User
code is called only through the guard (``world/guard.py``).
"""

from __future__ import annotations

import random
import zlib
from abc import ABC
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import numpy as np

from palaver.events import EventBus
from palaver.negotiators import IdCounter
from palaver.world.actions import ActionsMixin
from palaver.world.agent import Agent
from palaver.world.awi import AgentWorldInterface
from palaver.world.breaches import BreachesMixin
from palaver.world.bulletin import BulletinBoard
from palaver.world.callbacks import WorldCallbacks
from palaver.world.checkpoint import CheckpointMixin
from palaver.world.clock import RunClock
from palaver.world.compat import (
    OptionView,
    install_negmas_views,
    install_option_views,
    take_negmas_options,
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
from palaver.world.contracts import (
    BreachProcessing,
    Contract,
    Operations,
)
from palaver.world.errors import WorldParameterError
from palaver.world.execution import ExecutionMixin
from palaver.world.graph import GraphRecorder
from palaver.world.guard import Guard
from palaver.world.lifecycle import LifecycleMixin
from palaver.world.logs import WorldLog
from palaver.world.mechanisms import MechanismTable
from palaver.world.negmas_api import NegmasApiMixin
from palaver.world.negotiations import ActiveNegotiation, NegotiationsMixin
from palaver.world.reporting import ReportingMixin
from palaver.world.requests import RequestsMixin
from palaver.world.stats import Ledger
from palaver.world.validate import check_int, check_world_arguments

__all__ = ["World"]


TAWI = TypeVar("TAWI", bound=AgentWorldInterface)
TAgent = TypeVar("TAgent", bound=Agent[Any])


class World(
    Generic[TAWI, TAgent],
    LifecycleMixin,
    RequestsMixin,
    NegotiationsMixin,
    ExecutionMixin,
    BreachesMixin,
    ActionsMixin,
    ReportingMixin,
    CheckpointMixin,
    NegmasApiMixin,
    WorldCallbacks[TAgent],
    ABC,
):
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

    # The tutorial reads these two. The framework keeps its state under
    # _palaver_* names and never reads them: non-data descriptors, so a
    # subclass that assigns either just gets its own attribute.
    _stats = OptionView(
        lambda w: w._palaver_ledger.series,
        "Per-step statistics series (the tutorial's ``self._stats``): append to them in "
        "``pre_step_stats`` / ``post_step_stats``.",
    )
    _current_step = OptionView(
        lambda w: w._palaver_clock.step,
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
        breach_processing: BreachProcessing | str | int = BreachProcessing.VICTIM_THEN_PERPETRATOR,
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
        awi_type = checked["awi_type"]
        options = dict(options)
        self._palaver_negmas = take_negmas_options(options)
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
        )
        self.negotiation_config: NegotiationConfig = groups["negotiation"]
        self.signing_config: SigningConfig = groups["signing"]
        self.logging_config: LoggingConfig = groups["logging"]
        self.save_config: SaveConfig = groups["save"]
        self.exception_config: ExceptionConfig = groups["exceptions"]
        self.checkpoint_config: CheckpointConfig = groups["checkpoints"]
        self._palaver_mechanism_table = MechanismTable(self.negotiation_config.mechanisms)
        self.breach_processing = parse_breach_processing(breach_processing)
        self.operations: tuple[Operations, ...] = tuple(
            parse_operation(op)
            for op in (operations if operations is not None else DEFAULT_OPERATIONS)
        )
        self.awi_type: type = awi_type if awi_type is not None else AgentWorldInterface
        if (
            self._palaver_negmas.event_file_name is not None
            and self.logging_config.log_folder is None
        ):
            raise WorldParameterError(
                f"event_file_name={self._palaver_negmas.event_file_name!r} needs log_folder: "
                "Palaver writes no file unless given a folder"
            )
        self.seeds_global_generators: bool = seed is not None
        if seed is None:
            # Fresh OS entropy (never the global generators); recorded in self.seed
            # so the run can be repeated.
            seed = int(np.random.SeedSequence().entropy % (2**63))
        self.seed: int = int(seed)
        self._palaver_rng = np.random.default_rng(self.seed)
        self.bus: EventBus = bus if bus is not None else EventBus()
        self.name: str = name if name is not None else type(self).__name__
        self.info: dict[str, Any] = dict(info or {})
        self.bulletin_board = bulletin_board if bulletin_board is not None else BulletinBoard()
        self.n_steps: int = n_steps
        self.time_limit = time_limit
        self.shuffle_agents = shuffle_agents
        self.agents: dict[str, TAgent] = {}
        self._palaver_clock = RunClock()
        self._palaver_speed = self.negotiation_config.negotiation_speed
        self._palaver_negotiations: dict[str, ActiveNegotiation] = {}
        self._palaver_os_cache: dict[tuple[int, ...], tuple[list[Any], Any]] = {}
        self._palaver_n_negotiations = 0
        self._palaver_n_contracts = 0
        self._palaver_n_breaches = 0
        self._palaver_quota_step: dict[str, int] = {}
        self._palaver_quota_total: dict[str, int] = {}
        self._palaver_unsigned: list[Contract] = []
        self._palaver_signed_pending: dict[str, Contract] = {}
        self._palaver_last_states: dict[str, Any] = {}
        self._palaver_agent_rngs: dict[str, np.random.Generator] = {}
        self._palaver_priority: dict[str, int] = {}
        self._palaver_initialised: set[str] = set()
        self._palaver_negotiator_ids = IdCounter()
        limit = self.save_config.max_saved
        self._palaver_ledger = Ledger(limit)
        self._palaver_graph = GraphRecorder() if self.logging_config.construct_graphs else None
        negmas = self._palaver_negmas
        event_file = (
            (negmas.event_file_name, negmas.event_types) if negmas.event_file_name else None
        )
        self._palaver_log = WorldLog(self.logging_config, self.name, event_file)
        self._palaver_log.attach(self.bus)
        self._palaver_guard = Guard(
            self.exception_config,
            self._palaver_negmas,
            self._palaver_clock,
            self._palaver_ledger,
            self._palaver_log,
            self.bus,
        )
        self._palaver_own_checkpoints: set[str] = set()
        self._palaver_publish_settings()
        if self.seeds_global_generators:
            random.seed(self.seed)
            np.random.seed(self.seed % (2**32))
        self._palaver_check_checkpoint_files()
        if recorder is not None:
            recorder.attach(self)

    # ------------------------------------------------------------------ setup

    def _palaver_publish_settings(self) -> None:
        cfg = self.negotiation_config
        self.bulletin_board.record(
            "settings",
            {
                "n_steps": self.n_steps,
                "negotiation_speed": cfg.negotiation_speed,
                "neg_n_steps": cfg.neg_n_steps,
                "negotiation_quota_per_step": cfg.negotiation_quota_per_step,
                "negotiation_quota_per_simulation": cfg.negotiation_quota_per_simulation,
                "mechanisms": self._palaver_mechanism_table.names,
                "force_signing": self.signing_config.force_signing,
                "breach_processing": self.breach_processing.name,
            },
            key="world",
        )

    def join(self, x: TAgent, *, simulation_priority: int = 0, **kwargs: Any) -> None:
        """Add agent ``x`` to the world and give it its AWI.

        Accepts ``ufun=`` / ``preferences=`` to set the agent's utility function.
        ``simulation_priority`` (NegMAS): agents with a lower priority step
        first in ``AgentSteps`` (default 0 for all); it is keyword-only so that a
        world's own ``join(x, preferences=None, **kwargs)`` is a valid override.
        Raises ``ValueError`` when an agent with the same id already joined,
        ``TypeError`` when ``x`` is not an :class:`Agent`.
        """
        ufun = kwargs.pop("ufun", None)
        preferences = kwargs.pop("preferences", None)
        if kwargs:
            raise TypeError(f"join got unexpected keyword arguments {sorted(kwargs)}")
        if not isinstance(x, Agent):
            raise TypeError(f"join takes an Agent; got {x!r}")
        check_int("simulation_priority", simulation_priority, -(2**62))
        if any(a is x for a in self.agents.values()):
            raise ValueError(f"agent {x._palaver_id!r} has already joined this world")
        aid = x._palaver_id
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
        if simulation_priority:
            self._palaver_priority[aid] = simulation_priority
        if self._palaver_clock.started:
            self._palaver_init_agent(x)
        if self.logging_config.log_ufuns:
            self._palaver_log.write_record("ufuns", {"agent": aid, "ufun": repr(x.ufun)})

    @property
    def current_step(self) -> int:
        """The step being run (or the next one to run between steps)."""
        return self._palaver_clock.step

    @property
    def stats_monitors(self) -> list[Callable[[dict[str, Any], Any], Any]]:
        """Called as ``monitor(row, world)`` after every step with its statistics row
        (append to the list; ``safe_stats_monitoring`` records a monitor's exception)."""
        return self._palaver_ledger.monitors

    @property
    def status(self) -> str:
        """``pending``, ``running``, ``completed``, ``timed_out``, ``error`` or ``interrupted``."""
        return self._palaver_clock.status

    @property
    def exceptions(self) -> deque[dict[str, Any]]:
        """The exceptions recorded without stopping the run (the last 1000), oldest first.

        Each is a dict: ``kind`` (agent, simulation, mechanism, negotiator,
        contract, stats, run), ``step``, ``where``, ``agent_id``, ``exception``
        (the class name) and ``message``.
        """
        return self._palaver_guard.records

    @property
    def relative_time(self) -> float:
        """``current_step / n_steps``."""
        return self._palaver_clock.step / self.n_steps

    @property
    def neg_quota_step(self) -> float:
        """Negotiations an agent may request per step."""
        return self.negotiation_config.negotiation_quota_per_step

    @property
    def neg_quota_simulation(self) -> float:
        """Negotiations an agent may request in the whole run."""
        return self.negotiation_config.negotiation_quota_per_simulation

    def agent_rng(self, agent_id: str) -> np.random.Generator:
        """A generator for one agent, derived from the world's seed and the agent id."""
        rng = self._palaver_agent_rngs.get(agent_id)
        if rng is None:
            rng = np.random.default_rng([self.seed, zlib.crc32(agent_id.encode())])
            self._palaver_agent_rngs[agent_id] = rng
        return rng

    @property
    def rng(self) -> np.random.Generator:
        """The world's own generator (for world subclasses' random draws)."""
        return self._palaver_rng


install_option_views(World)
install_negmas_views(World)
