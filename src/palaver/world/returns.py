"""What the world's own callbacks must return, checked where they return it.

Gymnasium's passive environment checker is the model: a callback that returns
something malformed is reported at once, as that callback's error, instead of
crashing later somewhere else. Each check returns ``None`` when the value is
fine, else what is wrong with it (for the error message).
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Any

from palaver.world.contracts import Breach, Contract

__all__ = ["as_contracts", "breaches_problem", "negotiator_problem", "size_problem"]


def as_contracts(value: Any) -> tuple[list[Contract] | None, str | None]:
    """``value`` as a list of contracts, or ``(None, problem)``. ``None`` means none."""
    if value is None:
        return [], None
    if isinstance(value, str | bytes | dict) or not hasattr(value, "__iter__"):
        return None, f"{type(value).__name__} {value!r:.80}, not a collection of Contracts"
    items = list(value)
    for item in items:
        if not isinstance(item, Contract):
            return None, f"a collection holding {type(item).__name__} {item!r:.80}"
    return items, None


def breaches_problem(value: Any) -> str | None:
    """``start_contract_execution`` returns ``None`` or a collection of Breaches."""
    if value is None:
        return None
    if isinstance(value, str | bytes | dict) or not hasattr(value, "__iter__"):
        return f"{type(value).__name__} {value!r:.80}, not None or a set of Breaches"
    for item in value:
        if not isinstance(item, Breach):
            return f"a collection holding {type(item).__name__} {item!r:.80}, not Breaches"
    return None


def size_problem(value: Any) -> str | None:
    """``contract_size`` returns a finite real number."""
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        return f"{value!r:.80}, not a finite number"
    return None


def negotiator_problem(value: Any) -> str | None:
    """``respond_to_negotiation_request`` returns a negotiator (anything that can
    ``join`` a mechanism) or ``None``."""
    if value is None or callable(getattr(value, "join", None)):
        return None
    return (
        f"respond_to_negotiation_request returned {value!r:.80}; return a Negotiator "
        "to accept or None to refuse"
    )
