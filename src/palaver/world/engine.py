"""The engine: the components a world owns, built and wired once.

A world holds one private handle, ``world._palaver``, to its engine. Every
component receives what it uses at construction; dependencies run one way
(see docs/architecture.md):

``scheduler -> {breach desk, contract book, negotiation desk, checkpoints, roster}``,
``breach desk -> {contract book, negotiation desk}``, ``negotiation desk ->
{request intake, mechanism table, roster}``, everything -> ``{guard, ledger,
clock, log, bus}``, ``guard -> {clock, ledger, log, bus}``. The world itself
reaches the components only as :class:`~palaver.world.hooks.WorldHooks`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from palaver.events import EventBus
from palaver.world.actions import Exchange
from palaver.world.agent import Agent
from palaver.world.book import ContractBook
from palaver.world.breaches import BreachDesk
from palaver.world.bulletin import BulletinBoard
from palaver.world.checkpoint import Checkpoints
from palaver.world.clock import RunClock
from palaver.world.compat import NegmasOptions
from palaver.world.config import (
    CheckpointConfig,
    ExceptionConfig,
    LoggingConfig,
    NegotiationConfig,
    SaveConfig,
    SigningConfig,
)
from palaver.world.desk import NegotiationDesk
from palaver.world.graph import GraphRecorder
from palaver.world.guard import Guard
from palaver.world.hooks import WorldHooks
from palaver.world.logs import WorldLog
from palaver.world.mechanisms import MechanismTable
from palaver.world.roster import Roster
from palaver.world.scheduler import Scheduler
from palaver.world.stats import Ledger

__all__ = ["Engine"]


class Engine:
    """Everything a world runs on, one attribute per component.

    Args:
        hooks: The world (its callbacks and live options).
        agents: The world's agents by id.
        negotiation, signing, logging, save, exceptions, checkpoints: Its option groups.
        negmas: NegMAS's options.
        bus: The world's event bus.
        bulletin: The world's bulletin board.
        seed: The world's seed.
    """

    def __init__(
        self,
        hooks: WorldHooks[Any],
        agents: Mapping[str, Agent[Any]],
        negotiation: NegotiationConfig,
        signing: SigningConfig,
        logging: LoggingConfig,
        save: SaveConfig,
        exceptions: ExceptionConfig,
        checkpoints: CheckpointConfig,
        negmas: NegmasOptions,
        bus: EventBus,
        bulletin: BulletinBoard,
        seed: int,
    ) -> None:
        self.negmas = negmas
        self.bus = bus
        #: The world's own generator (shuffles, mechanism seeds, world subclasses' draws).
        self.rng = np.random.default_rng(seed)
        self.clock = RunClock()
        self.ledger = Ledger(save.max_saved)
        self.graph = GraphRecorder() if logging.construct_graphs else None
        event_file = (
            (negmas.event_file_name, negmas.event_types) if negmas.event_file_name else None
        )
        self.log = WorldLog(logging, hooks.name, event_file)
        # The record files' lines are the world's contract_record/breach_record.
        self.log.attach(bus, hooks)
        self.guard = Guard(exceptions, negmas, self.clock, self.ledger, self.log, bus)
        self.mechanisms = MechanismTable(negotiation.mechanisms)
        self.roster = Roster(agents, self.clock, self.guard, seed)
        common = (self.clock, self.ledger, self.guard, self.log, bus, self.graph)
        self.desk = NegotiationDesk(
            negotiation, exceptions, save, negmas, *common, self.mechanisms, self.roster, self.rng
        )
        self.book = ContractBook(signing, save, exceptions, *common, agents, hooks)
        self.breaches = BreachDesk(
            save, *common[:5], self.graph, bulletin, self.book, self.desk, agents, hooks
        )
        self.exchange = Exchange(self.guard, self.ledger, bus, self.roster, hooks)
        self.checkpoints = Checkpoints(checkpoints, self.clock, bus)
        self.scheduler = Scheduler(
            exceptions,
            logging,
            *common[:5],
            self.roster,
            self.desk,
            self.book,
            self.breaches,
            self.checkpoints,
            hooks,
            self.rng,
        )

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        # Checkpoints written before partial steps and annotations lack these.
        vars(self.scheduler).setdefault("progress", None)
        vars(self.roster).setdefault("annotations", {})
        for agent in self.roster.agents.values():
            vars(agent).setdefault("_palaver_private_info", {})
        # Restored from a checkpoint: time counts from now, and the log
        # listens to the (restored, sinkless) bus again.
        self.clock.resume()
        self.log.attach(self.bus)
