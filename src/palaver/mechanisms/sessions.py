"""``make_session``: NegMAS's ``Scenario.make_session`` with SAO as the default mechanism."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from palaver.mechanisms.base import Mechanism
from palaver.mechanisms.sao import SAOMechanism
from palaver.scenarios import Scenario
from palaver.scenarios.sessions import use_by_default

__all__ = ["make_session"]

# NegMAS's scenarios make SAO sessions unless told otherwise: so do Palaver's,
# from the moment the mechanisms exist (any negotiator import brings them).
use_by_default(SAOMechanism)


def make_session(
    scenario: Scenario,
    negotiators: Callable[..., Any] | Sequence[Any] | None = None,
    n_steps: int | None = None,
    time_limit: float | None = None,
    roles: Sequence[str | None] | None = None,
    raise_on_failure_to_enter: bool = True,
    share_ufuns: bool = False,
    share_reserved_values: bool = False,
    *,
    mechanism_type: type[Mechanism] | None = None,
    **kwargs: Any,
) -> Mechanism:
    """``scenario.make_session(...)`` as a function (``mechanism_type``: SAO by default).

    See :meth:`palaver.scenarios.Scenario.make_session` for the arguments;
    this module makes SAO that method's default when it is imported.
    """
    if not isinstance(scenario, Scenario):
        raise TypeError(
            f"make_session: scenario must be a palaver.scenarios.Scenario, "
            f"got {type(scenario).__name__}"
        )
    mechanism: Mechanism = scenario.make_session(
        negotiators,
        n_steps,
        time_limit,
        roles,
        raise_on_failure_to_enter,
        share_ufuns,
        share_reserved_values,
        mechanism_type=mechanism_type,  # None: SAO (use_by_default below)
        **kwargs,
    )
    return mechanism
