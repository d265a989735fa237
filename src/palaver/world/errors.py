"""Exceptions raised by the world layer."""

from __future__ import annotations

from palaver._util.snapshots import CheckpointError as BaseCheckpointError

__all__ = [
    "AgentError",
    "CheckpointError",
    "MechanismCrashError",
    "MechanismParameterError",
    "NegotiationRequestError",
    "SimulationError",
    "UnknownMechanismError",
    "WorldError",
    "WorldParameterError",
]


class WorldError(Exception):
    """Base class of the world layer's errors."""


class WorldParameterError(WorldError, TypeError, ValueError):
    """A World option or argument of the wrong type or out of range.

    The message names the parameter, the value and what is allowed. Both a
    ``TypeError`` and a ``ValueError``, so either ``except`` catches it.
    """


class NegotiationRequestError(WorldError, ValueError):
    """A negotiation request is malformed (unknown partner, no partner, ...)."""


class UnknownMechanismError(WorldError, ValueError):
    """A mechanism name that the world does not allow or cannot import."""


class MechanismParameterError(WorldError, TypeError, ValueError):
    """Parameters given for a mechanism (``mechanisms=`` or ``mechanism_params=``)
    that it does not accept, or that the world sets itself.

    A ``TypeError`` (like an unexpected keyword argument) and a ``ValueError``
    (like a bad value), so either ``except`` catches it.
    """


class AgentError(WorldError):
    """An agent's callback raised and ``ignore_agent_exceptions`` is off.

    ``agent_id`` and ``callback`` say where; the original exception is the cause.
    """

    def __init__(self, agent_id: str, callback: str, error: BaseException) -> None:
        super().__init__(f"agent {agent_id!r} raised {type(error).__name__} in {callback}: {error}")
        self.agent_id = agent_id
        self.callback = callback


class SimulationError(WorldError):
    """A world callback raised and the matching ``ignore_*_exceptions`` is off.

    ``callback`` says where; the original exception is the cause.
    """

    def __init__(self, callback: str, error: BaseException) -> None:
        super().__init__(f"world callback {callback} raised {type(error).__name__}: {error}")
        self.callback = callback


class MechanismCrashError(WorldError):
    """A mechanism raised and ``ignore_mechanism_exceptions`` is off."""

    def __init__(self, negotiation_id: str, error: BaseException) -> None:
        super().__init__(f"negotiation {negotiation_id!r} raised {type(error).__name__}: {error}")
        self.negotiation_id = negotiation_id


class CheckpointError(WorldError, BaseCheckpointError):
    """A checkpoint file is truncated, corrupted, foreign or of an unknown version."""
