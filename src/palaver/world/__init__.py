"""Worlds: agents that negotiate, sign and execute contracts over simulation steps.

See ``docs/world.md`` for the guide and the TripsWorld in :mod:`palaver.examples.trips`.
"""

from palaver.world.agent import Agent
from palaver.world.agent_views import RunningNegotiationInfo
from palaver.world.awi import AgentWorldInterface
from palaver.world.bulletin import BulletinBoard
from palaver.world.checkpoint import FORMAT_VERSION, load_checkpoint, save_checkpoint
from palaver.world.checkpoint_runner import CheckpointRunner
from palaver.world.config import (
    DEFAULT_OPERATIONS,
    CheckpointConfig,
    ExceptionConfig,
    LoggingConfig,
    NegotiationConfig,
    SaveConfig,
    SigningConfig,
)
from palaver.world.contracts import (
    PYTHON_CLASS_IDENTIFIER,
    Action,
    Breach,
    BreachProcessing,
    Contract,
    NegotiationInfo,
    NegotiationRecord,
    NegotiationRequest,
    Operations,
    RenegotiationRequest,
    to_flat_dict,
)
from palaver.world.errors import (
    AgentError,
    CheckpointError,
    MechanismCrashError,
    MechanismParameterError,
    NegotiationRequestError,
    SimulationError,
    UnknownMechanismError,
    WorldError,
    WorldParameterError,
)
from palaver.world.mechanisms import resolve_mechanism
from palaver.world.mixins import (
    NoContractExecutionMixin,
    NoResponsesMixin,
    SimpleWorld,
    StatsMonitor,
    TimeInAgreementMixin,
    WorldMonitor,
)
from palaver.world.negworld import Condition, NegAgent, NegWorld
from palaver.world.stats import COUNTERS
from palaver.world.stats_io import save_stats
from palaver.world.world import World
from palaver.world.world_views import RunningNegotiation

#: The tutorial's short name for the agent-world interface.
AWI = AgentWorldInterface
#: NegMAS's name for an agent's record of a request it made.
NegotiationRequestInfo = NegotiationRequest

__all__ = [
    "AWI",
    "COUNTERS",
    "DEFAULT_OPERATIONS",
    "FORMAT_VERSION",
    "PYTHON_CLASS_IDENTIFIER",
    "Action",
    "Agent",
    "AgentError",
    "AgentWorldInterface",
    "Breach",
    "BreachProcessing",
    "BulletinBoard",
    "CheckpointConfig",
    "CheckpointError",
    "CheckpointRunner",
    "Condition",
    "Contract",
    "ExceptionConfig",
    "LoggingConfig",
    "MechanismCrashError",
    "MechanismParameterError",
    "NegAgent",
    "NegWorld",
    "NegotiationConfig",
    "NegotiationInfo",
    "NegotiationRecord",
    "NegotiationRequest",
    "NegotiationRequestError",
    "NegotiationRequestInfo",
    "NoContractExecutionMixin",
    "NoResponsesMixin",
    "Operations",
    "RenegotiationRequest",
    "RunningNegotiation",
    "RunningNegotiationInfo",
    "SaveConfig",
    "SigningConfig",
    "SimpleWorld",
    "SimulationError",
    "StatsMonitor",
    "TimeInAgreementMixin",
    "UnknownMechanismError",
    "World",
    "WorldError",
    "WorldMonitor",
    "WorldParameterError",
    "load_checkpoint",
    "resolve_mechanism",
    "save_checkpoint",
    "save_stats",
    "to_flat_dict",
]
