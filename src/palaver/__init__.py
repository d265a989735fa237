"""Palaver: negotiation-driven multi-agent simulations, recorded end to end.

The top level holds what a first world, negotiation or recording is written
with (the world tutorial's names among them); everything else lives in its
sub-package (``palaver.world``, ``palaver.mechanisms``, ``palaver.negotiators``,
``palaver.outcomes``, ``palaver.preferences``, ``palaver.scenarios``,
``palaver.events``, ``palaver.recording``, ``palaver.tournaments``,
``palaver.checks``; see docs/architecture.md). The recorder pulls in pyarrow
and duckdb, so its names load on first use: ``import palaver`` stays light for
a world that records nothing.
"""

import typing

from palaver.events import Event, EventBus, EventSink, EventType, ListSink
from palaver.mechanisms import (
    NMI,
    AgentMechanismInterface,
    HillClimbingSTMechanism,
    Mechanism,
    MechanismState,
    MechanismStepResult,
    NegotiatorMechanismInterface,
    ResponseType,
    SAOMechanism,
    SAOState,
    STVetoMechanism,
    VetoSTMechanism,
)
from palaver.negotiators import (
    AspirationNegotiator,
    BinaryComparatorNegotiator,
    BoulwareNegotiator,
    ConcederNegotiator,
    ControlledSAONegotiator,
    FirstOfferOrientedTBNegotiator,
    LinearNegotiator,
    MiCRO,
    MiCRONegotiator,
    NaiveTitForTat,
    NaiveTitForTatNegotiator,
    Negotiator,
    NiceNegotiator,
    RandomNegotiator,
    SAOController,
    SAONegotiator,
    TimeBasedConcedingNegotiator,
    ToughNegotiator,
)
from palaver.outcomes import (
    CartesianOutcomeSpace,
    CategoricalIssue,
    ContinuousIssue,
    IntegerIssue,
    Issue,
    Outcome,
    OutcomeSpace,
    make_issue,
    make_os,
)
from palaver.preferences import (
    HyperRectangleUtilityFunction,
    LinearAdditiveUtilityFunction,
    LinearUtilityFunction,
    MappingUtilityFunction,
    Preferences,
    UtilityFunction,
    kalai_point,
    max_welfare_points,
    nash_point,
    pareto_frontier,
)
from palaver.scenarios import Scenario, load_genius_domain, load_genius_domain_from_folder
from palaver.world import (
    Action,
    Agent,
    AgentError,
    AgentWorldInterface,
    Breach,
    BreachProcessing,
    CheckpointConfig,
    Contract,
    ExceptionConfig,
    LoggingConfig,
    NegotiationConfig,
    NegotiationInfo,
    Operations,
    RenegotiationRequest,
    SaveConfig,
    SigningConfig,
    SimulationError,
    World,
    to_flat_dict,
)

if typing.TYPE_CHECKING:
    from palaver.recording import RecordingReader, SimulationEvent, SimulationRecorder

__version__ = "0.1.0"

_LAZY = {
    "RecordingReader": "palaver.recording",
    "SimulationEvent": "palaver.recording",
    "SimulationRecorder": "palaver.recording",
}


def __getattr__(name: str) -> object:
    """Load a recorder name on first use (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'palaver' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names (what ``from palaver import *`` gives)."""
    return sorted(__all__)


del typing

__all__ = [
    "NMI",
    "Action",
    "Agent",
    "AgentError",
    "AgentMechanismInterface",
    "AgentWorldInterface",
    "AspirationNegotiator",
    "BinaryComparatorNegotiator",
    "BoulwareNegotiator",
    "Breach",
    "BreachProcessing",
    "CartesianOutcomeSpace",
    "CategoricalIssue",
    "CheckpointConfig",
    "ConcederNegotiator",
    "ContinuousIssue",
    "Contract",
    "ControlledSAONegotiator",
    "Event",
    "EventBus",
    "EventSink",
    "EventType",
    "ExceptionConfig",
    "FirstOfferOrientedTBNegotiator",
    "HillClimbingSTMechanism",
    "HyperRectangleUtilityFunction",
    "IntegerIssue",
    "Issue",
    "LinearAdditiveUtilityFunction",
    "LinearNegotiator",
    "LinearUtilityFunction",
    "ListSink",
    "LoggingConfig",
    "MappingUtilityFunction",
    "Mechanism",
    "MechanismState",
    "MechanismStepResult",
    "MiCRO",
    "MiCRONegotiator",
    "NaiveTitForTat",
    "NaiveTitForTatNegotiator",
    "NegotiationConfig",
    "NegotiationInfo",
    "Negotiator",
    "NegotiatorMechanismInterface",
    "NiceNegotiator",
    "Operations",
    "Outcome",
    "OutcomeSpace",
    "Preferences",
    "RandomNegotiator",
    "RecordingReader",
    "RenegotiationRequest",
    "ResponseType",
    "SAOController",
    "SAOMechanism",
    "SAONegotiator",
    "SAOState",
    "STVetoMechanism",
    "SaveConfig",
    "Scenario",
    "SigningConfig",
    "SimulationError",
    "SimulationEvent",
    "SimulationRecorder",
    "TimeBasedConcedingNegotiator",
    "ToughNegotiator",
    "UtilityFunction",
    "VetoSTMechanism",
    "World",
    "__version__",
    "kalai_point",
    "load_genius_domain",
    "load_genius_domain_from_folder",
    "make_issue",
    "make_os",
    "max_welfare_points",
    "nash_point",
    "pareto_frontier",
    "to_flat_dict",
]
