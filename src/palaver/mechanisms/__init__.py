"""Negotiation protocols: the mechanism base, its state, the negotiator interface, SAO, veto.

This layer does not import :mod:`palaver.negotiators`; it calls negotiators
through the structural protocols in :mod:`palaver.mechanisms.protocol`.
"""

from palaver._util.snapshots import CheckpointError
from palaver.mechanisms.base import Mechanism, StateCallback
from palaver.mechanisms.completed_run import CompletedRun
from palaver.mechanisms.errors import InvalidOfferError, MechanismError, NegotiatorError
from palaver.mechanisms.full_trace import TraceElement
from palaver.mechanisms.ga import GAMechanism, GAState
from palaver.mechanisms.nmi import (
    NMI,
    SAONMI,
    AgentMechanismInterface,
    MechanismFacts,
    NegotiatorMechanismInterface,
)
from palaver.mechanisms.options import MechanismLimits, MechanismOptions
from palaver.mechanisms.participants import NegotiatorDescriptor
from palaver.mechanisms.protocol import (
    NegotiatorProtocol,
    SAONegotiatorProtocol,
    STNegotiatorProtocol,
)
from palaver.mechanisms.responses import ExtendedResponseType, ResponseType, SAOResponse
from palaver.mechanisms.sao import SAOMechanism
from palaver.mechanisms.sessions import make_session
from palaver.mechanisms.st import HillClimbingSTMechanism, VetoSTMechanism
from palaver.mechanisms.state import MechanismState, SAOState, STState
from palaver.mechanisms.step_result import MechanismStepResult
from palaver.mechanisms.table import OutcomeTable, outcome_table
from palaver.mechanisms.veto import STVetoMechanism
from palaver.scenarios.metrics_full import FullMetrics, calc_full_metrics
from palaver.scenarios.metrics_negotiator import NegotiatorMetrics, calc_negotiator_metrics
from palaver.scenarios.metrics_session import SessionMetrics, calc_session_metrics

__all__ = [
    "NMI",
    "SAONMI",
    "AgentMechanismInterface",
    "CheckpointError",
    "CompletedRun",
    "ExtendedResponseType",
    "FullMetrics",
    "GAMechanism",
    "GAState",
    "HillClimbingSTMechanism",
    "InvalidOfferError",
    "Mechanism",
    "MechanismError",
    "MechanismFacts",
    "MechanismLimits",
    "MechanismOptions",
    "MechanismState",
    "MechanismStepResult",
    "NegotiatorDescriptor",
    "NegotiatorError",
    "NegotiatorMechanismInterface",
    "NegotiatorMetrics",
    "NegotiatorProtocol",
    "OutcomeTable",
    "ResponseType",
    "SAOMechanism",
    "SAONegotiatorProtocol",
    "SAOResponse",
    "SAOState",
    "STNegotiatorProtocol",
    "STState",
    "STVetoMechanism",
    "SessionMetrics",
    "StateCallback",
    "TraceElement",
    "VetoSTMechanism",
    "calc_full_metrics",
    "calc_negotiator_metrics",
    "calc_session_metrics",
    "make_session",
    "outcome_table",
]
