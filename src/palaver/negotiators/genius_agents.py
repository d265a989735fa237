"""NegMAS's Python Genius agents (``negmas.genius.GBoulware``, ``GHardHeaded``...).

Each is a :class:`~palaver.negotiators.BOANegotiator` of Genius components
(no Java):

- ``GBoulware``, ``GConceder``, ``GLinear``, ``GHardliner``: the matching
  offering (:class:`GBoulwareOffering` ``e`` 0.2, :class:`GConcederOffering`
  ``e`` 2, :class:`GLinearOffering`, :class:`GHardlinerOffering`) with
  :class:`GACNext`, no model;
- ``GRandom``: :class:`GRandomOffering` with :class:`GACTrue`, no model;
- ``GHardHeaded`` (ANAC 2011): time-dependent offers (``e`` 0.2),
  :class:`GACNext`, :class:`GHardHeadedFrequencyModel`;
- ``GAgentK`` (ANAC 2010): time-dependent (``e`` 0.2), :class:`GACCombi`,
  :class:`GDefaultModel`;
- ``GAgentSmith`` (ANAC 2010): time-dependent (``e`` 0.3), ``GACConst(c)``
  (``c`` 0.8), :class:`GSmithFrequencyModel`;
- ``GNozomi`` (ANAC 2010): time-dependent (``e`` 0.2), :class:`GACPrevious`,
  :class:`GDefaultModel`;
- ``GFSEGA`` (ANAC 2010): :class:`GConcederOffering`, ``GACConst(c)`` (``c``
  0.7), :class:`GDefaultModel`;
- ``GCUHKAgent`` (ANAC 2012): time-dependent (``e`` 0.15), :class:`GACCombi`,
  :class:`GHardHeadedFrequencyModel`;
- ``GAgentLG`` (ANAC 2012): time-dependent (``e`` 0.25), :class:`GACCombiMax`,
  :class:`GHardHeadedFrequencyModel`;
- ``GAgentX`` (ANAC 2015): time-dependent (``e`` 0.3),
  ``GACCombiMaxInWindow(t)`` (``t`` 0.98), :class:`GAgentXFrequencyModel`.

Any part can be given ready-made (``offering=``, ``acceptance=``, ``model=``)
or its defaults changed (``offering_params=``, ``acceptance_params=``,
``model_params=``: keyword arguments for its constructor); the rest of the
keywords go to :class:`~palaver.negotiators.BOANegotiator` (``name``,
``ufun``, ...). An acceptance condition that asks for ``offering_policy``
gets the agent's offering policy.
"""

from __future__ import annotations

import inspect
from typing import Any

from palaver.negotiators.boa import BOANegotiator
from palaver.negotiators.genius_acceptance import GACCombi, GACConst, GACNext, GACPrevious, GACTrue
from palaver.negotiators.genius_endgame import GACCombiMax, GACCombiMaxInWindow
from palaver.negotiators.genius_frequency import (
    GAgentXFrequencyModel,
    GDefaultModel,
    GHardHeadedFrequencyModel,
    GSmithFrequencyModel,
)
from palaver.negotiators.genius_offering import (
    GBoulwareOffering,
    GConcederOffering,
    GHardlinerOffering,
    GLinearOffering,
    GRandomOffering,
    GTimeDependentOffering,
)

__all__ = [
    "GFSEGA",
    "GAgentK",
    "GAgentLG",
    "GAgentSmith",
    "GAgentX",
    "GBoulware",
    "GCUHKAgent",
    "GConceder",
    "GHardHeaded",
    "GHardliner",
    "GLinear",
    "GNozomi",
    "GRandom",
]


def _params(kwargs: dict[str, Any], name: str) -> dict[str, Any]:
    value = kwargs.pop(name, None)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise TypeError(f"{name} must be a dict of keyword arguments, got {value!r}")
    return dict(value)


def _parts(
    kwargs: dict[str, Any],
    offering_type: type,
    acceptance_type: type,
    model_type: type | None = None,
    offering_defaults: dict[str, Any] | None = None,
    acceptance_defaults: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The agent's parts (see the module doc), taken out of ``kwargs``."""
    offering_params = _params(kwargs, "offering_params")
    acceptance_params = _params(kwargs, "acceptance_params")
    model_params = _params(kwargs, "model_params")
    offering = kwargs.pop("offering", None)
    if offering is None:
        offering = offering_type(**{**(offering_defaults or {}), **offering_params})
    acceptance = kwargs.pop("acceptance", None)
    if acceptance is None:
        options = {**(acceptance_defaults or {}), **acceptance_params}
        if "offering_policy" in inspect.signature(acceptance_type).parameters:
            options.setdefault("offering_policy", offering)
        acceptance = acceptance_type(**options)
    model = kwargs.pop("model", None)
    if model is None and model_type is not None:
        model = model_type(**model_params)
    return {"offering": offering, "acceptance": acceptance, "model": model}


class GBoulware(BOANegotiator):
    """Concedes late: :class:`GBoulwareOffering` and :class:`GACNext`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**_parts(kwargs, GBoulwareOffering, GACNext), **kwargs)


class GConceder(BOANegotiator):
    """Concedes early: :class:`GConcederOffering` and :class:`GACNext`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**_parts(kwargs, GConcederOffering, GACNext), **kwargs)


class GLinear(BOANegotiator):
    """Concedes linearly: :class:`GLinearOffering` and :class:`GACNext`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**_parts(kwargs, GLinearOffering, GACNext), **kwargs)


class GHardliner(BOANegotiator):
    """Never concedes: :class:`GHardlinerOffering` and :class:`GACNext`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**_parts(kwargs, GHardlinerOffering, GACNext), **kwargs)


class GRandom(BOANegotiator):
    """Offers random outcomes and accepts any offer (a baseline)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**_parts(kwargs, GRandomOffering, GACTrue), **kwargs)


class GHardHeaded(BOANegotiator):
    """HardHeaded (ANAC 2011): Boulware-like time-dependent offers (exponent
    ``e``), :class:`GACNext`, :class:`GHardHeadedFrequencyModel`."""

    def __init__(self, e: float = 0.2, **kwargs: Any) -> None:
        parts = _parts(
            kwargs,
            GTimeDependentOffering,
            GACNext,
            GHardHeadedFrequencyModel,
            offering_defaults={"e": e},
        )
        super().__init__(**parts, **kwargs)


class GAgentK(BOANegotiator):
    """AgentK (ANAC 2010): time-dependent offers (``e``), :class:`GACCombi`,
    :class:`GDefaultModel`."""

    def __init__(self, e: float = 0.2, **kwargs: Any) -> None:
        parts = _parts(
            kwargs, GTimeDependentOffering, GACCombi, GDefaultModel, offering_defaults={"e": e}
        )
        super().__init__(**parts, **kwargs)


class GAgentSmith(BOANegotiator):
    """AgentSmith (ANAC 2010): time-dependent offers (``e``), ``GACConst(c)``,
    :class:`GSmithFrequencyModel`."""

    def __init__(self, e: float = 0.3, c: float = 0.8, **kwargs: Any) -> None:
        parts = _parts(
            kwargs,
            GTimeDependentOffering,
            GACConst,
            GSmithFrequencyModel,
            offering_defaults={"e": e},
            acceptance_defaults={"c": c},
        )
        super().__init__(**parts, **kwargs)


class GNozomi(BOANegotiator):
    """Nozomi (ANAC 2010): time-dependent offers (``e``), :class:`GACPrevious`,
    :class:`GDefaultModel`."""

    def __init__(self, e: float = 0.2, **kwargs: Any) -> None:
        parts = _parts(
            kwargs, GTimeDependentOffering, GACPrevious, GDefaultModel, offering_defaults={"e": e}
        )
        super().__init__(**parts, **kwargs)


class GFSEGA(BOANegotiator):
    """FSEGA (ANAC 2010): :class:`GConcederOffering`, ``GACConst(c)``, :class:`GDefaultModel`."""

    def __init__(self, c: float = 0.7, **kwargs: Any) -> None:
        parts = _parts(
            kwargs, GConcederOffering, GACConst, GDefaultModel, acceptance_defaults={"c": c}
        )
        super().__init__(**parts, **kwargs)


class GCUHKAgent(BOANegotiator):
    """CUHKAgent (ANAC 2012): time-dependent offers (``e``), :class:`GACCombi`,
    :class:`GHardHeadedFrequencyModel`."""

    def __init__(self, e: float = 0.15, **kwargs: Any) -> None:
        parts = _parts(
            kwargs,
            GTimeDependentOffering,
            GACCombi,
            GHardHeadedFrequencyModel,
            offering_defaults={"e": e},
        )
        super().__init__(**parts, **kwargs)


class GAgentLG(BOANegotiator):
    """AgentLG (ANAC 2012): time-dependent offers (``e``), :class:`GACCombiMax`,
    :class:`GHardHeadedFrequencyModel`."""

    def __init__(self, e: float = 0.25, **kwargs: Any) -> None:
        parts = _parts(
            kwargs,
            GTimeDependentOffering,
            GACCombiMax,
            GHardHeadedFrequencyModel,
            offering_defaults={"e": e},
        )
        super().__init__(**parts, **kwargs)


class GAgentX(BOANegotiator):
    """AgentX (ANAC 2015): time-dependent offers (``e``),
    ``GACCombiMaxInWindow(t)``, :class:`GAgentXFrequencyModel`."""

    def __init__(self, e: float = 0.3, t: float = 0.98, **kwargs: Any) -> None:
        parts = _parts(
            kwargs,
            GTimeDependentOffering,
            GACCombiMaxInWindow,
            GAgentXFrequencyModel,
            offering_defaults={"e": e},
            acceptance_defaults={"t": t},
        )
        super().__init__(**parts, **kwargs)
