"""NegMAS's ``MAPNegotiator``: a modular negotiator with any number of models.

It is a :class:`~palaver.negotiators.BOANegotiator` whose parts are
``models`` (a list, named by ``model_names``, default ``model0``,
``model1``, ...), then the acceptance and offering policies (offering first
with ``acceptance_first=False``), then the extra components: every callback
reaches them in that order. The first :class:`~palaver.negotiators.UFunModel`
among the models is published as ``private_info["opponent_ufun"]`` (its
:attr:`~palaver.negotiators.Negotiator.opponent_ufun`), whatever
``private_info`` was given; with more than one, a ``NegmasWarning`` says
only the first is used.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Iterable, Sequence
from typing import Any

from palaver._util.checks import check_bool
from palaver._util.warning_types import NegmasWarning
from palaver.negotiators.base import SAONegotiator
from palaver.negotiators.boa import BOANegotiator, _check_part, _names, _part_list
from palaver.negotiators.components import AcceptancePolicy, OfferingPolicy
from palaver.negotiators.opponent_models import UFunModel

__all__ = ["MAPNegotiator"]


class MAPNegotiator(BOANegotiator):
    """A :class:`~palaver.negotiators.BOANegotiator` with a list of models (see the module doc).

    Args:
        acceptance: Decides on the offers it is shown.
        offering: Decides what it offers.
        models: Its models (``None`` entries skipped).
        model_names: Their names.
        extra_components: More components to hear the callbacks.
        extra_component_names: Their names.
        acceptance_first: Whether the acceptance policy hears a callback
            before the offering policy (default ``True``).
        *args, **kwargs: As for :class:`~palaver.negotiators.SAONegotiator`.
    """

    def __init__(
        self,
        *args: Any,
        acceptance: AcceptancePolicy | None = None,
        offering: OfferingPolicy | None = None,
        models: Sequence[Any] | None = None,
        model_names: Sequence[str] | None = None,
        extra_components: Sequence[Any] | None = None,
        extra_component_names: Sequence[str] | None = None,
        acceptance_first: bool = True,
        **kwargs: Any,
    ) -> None:
        # BOANegotiator's constructor assembles a single model: the parts are
        # assembled here instead, once.
        SAONegotiator.__init__(self, *args, **kwargs)
        given = _part_list("models", models)
        for i, m in enumerate(given):
            _check_part(f"models[{i}]", m, callable_too=False)
        names: Iterable[str | None] = (
            _names("model_names", model_names)
            if model_names is not None
            else itertools.repeat(None)
        )
        parts: list[tuple[str, Any]] = [
            (name or f"model{i}", m)
            for i, (m, name) in enumerate(zip(given, names, strict=False))
            if m is not None
        ]
        self._models = [m for _, m in parts]
        policies = [("acceptance", acceptance), ("offering", offering)]
        if not check_bool("acceptance_first", acceptance_first):
            policies.reverse()
        first = self._models[0] if self._models else None
        self._assemble(
            acceptance,
            offering,
            first,
            parts + policies,
            extra_components,
            extra_component_names,
        )
        ufun_models = [m for m in self._models if isinstance(m, UFunModel)]
        if len(ufun_models) > 1:
            warnings.warn(
                f"MAPNegotiator {self.id!r}: {len(ufun_models)} utility function models. "
                "Expecting a single model: the first is the opponent_ufun",
                NegmasWarning,
                stacklevel=2,
            )
        if ufun_models:
            self._private_info["opponent_ufun"] = ufun_models[0]

    @property
    def models(self) -> list[Any]:
        """Its models, in order."""
        return list(self._models)

    @property
    def type_name(self) -> str:
        """``"MAPNegotiator"``."""
        return "MAPNegotiator"
