"""The World's checks of its options that name a choice rather than a number.

``breach_processing = "SOMETIMES"``, a mechanism Palaver does not have, or an
operation that does not exist would fail every world of a tournament, as an
out-of-range number does; :func:`choice_rules` gives the checks the tournament's
vetting runs on them before any world is built, each raising the World's own
error (a ``WorldError``) with the World's own message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["choice_rules"]


def _operations(name: str, value: Any) -> None:
    from palaver.world.config import parse_operation
    from palaver.world.errors import WorldParameterError

    if value is None:
        return
    if isinstance(value, str | bytes) or not hasattr(value, "__iter__") or not list(value):
        raise WorldParameterError(
            f"operations must be a non-empty list of Operations (or their names); got {value!r}"
        )
    for op in value:
        parse_operation(op)


def _breach_processing(name: str, value: Any) -> None:
    from palaver.world.config import parse_breach_processing

    parse_breach_processing(value)


def _acceptance(name: str, value: Any) -> None:
    from palaver.world.config import NegotiationConfig

    NegotiationConfig(acceptance=value)


def _mechanisms(name: str, value: Any) -> None:
    from palaver.world.config import NegotiationConfig
    from palaver.world.mechanisms import MechanismTable

    NegotiationConfig(mechanisms=value)
    MechanismTable(value)


def choice_rules() -> dict[str, Callable[[str, Any], None]]:
    """World option name -> a check ``rule(name, value)`` raising the World's error."""
    return {
        "operations": _operations,
        "breach_processing": _breach_processing,
        "acceptance": _acceptance,
        "mechanisms": _mechanisms,
    }
