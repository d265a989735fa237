"""NegMAS's optional world and agent building blocks: mixins and monitor bases.

``TimeInAgreementMixin`` files signed contracts by the step their agreement
names and executes them then; ``NoContractExecutionMixin`` is a world without
contract execution; ``NoResponsesMixin`` gives an agent do-nothing callbacks;
``StatsMonitor`` and ``WorldMonitor`` are the bases of what
``world.register_stats_monitor`` / ``register_world_monitor`` take;
``SimpleWorld`` is a world whose contracts each count 1 in the statistics.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from typing import Any

from palaver.world.callbacks import WorldCallbacks
from palaver.world.contracts import Breach, Contract
from palaver.world.world import World

__all__ = [
    "NoContractExecutionMixin",
    "NoResponsesMixin",
    "SimpleWorld",
    "StatsMonitor",
    "TimeInAgreementMixin",
    "WorldMonitor",
]


class TimeInAgreementMixin(WorldCallbacks[Any]):
    """Execute each signed contract at the step its agreement names.

    Put it before ``World`` in the bases and call ``init`` from the world's
    ``__init__`` (after ``World.__init__``), as in NegMAS::

        class Market(TimeInAgreementMixin, World):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                TimeInAgreementMixin.init(self, time_field="delivery")

    A signed contract is filed under ``agreement[time_field]`` (a contract
    whose agreement lacks the field is a ``KeyError`` naming it);
    ``executable_contracts`` gives those of the current step and
    ``delete_executed_contracts`` forgets them. ``contracts_per_step`` holds
    the filed contracts by step.
    """

    _time_field_name: str
    contracts_per_step: defaultdict[int, list[Contract]]

    def init(self, time_field: str = "time") -> None:
        """Start filing contracts by ``agreement[time_field]``."""
        if not isinstance(time_field, str):
            raise TypeError(
                f"TimeInAgreementMixin.init: time_field must be an issue name (str); "
                f"got {time_field!r}"
            )
        self._time_field_name = time_field
        self.contracts_per_step = defaultdict(list)

    def _filed(self) -> defaultdict[int, list[Contract]]:
        try:
            return self.contracts_per_step
        except AttributeError:
            raise RuntimeError(
                f"{type(self).__name__} uses TimeInAgreementMixin: call "
                "TimeInAgreementMixin.init(self, time_field=...) in its __init__"
            ) from None

    def on_contract_signed(self, contract: Contract) -> bool:
        """File ``contract`` under the step its agreement names (unless the
        world's own ``on_contract_signed`` said ``False``)."""
        result = super().on_contract_signed(contract)
        if result is False:
            return result
        field = self._time_field_name if hasattr(self, "_time_field_name") else "time"
        agreement = contract.agreement or {}
        if field not in agreement:
            raise KeyError(
                f"TimeInAgreementMixin: contract {contract.id!r} has no {field!r} in its "
                f"agreement {agreement!r}; give init(time_field=...) the issue holding the step"
            )
        self._filed()[int(agreement[field])].append(contract)
        return result

    def executable_contracts(self) -> Collection[Contract]:
        """The contracts filed under the current step."""
        step: int = getattr(self, "current_step")  # noqa: B009 - the World's property
        return list(self._filed().get(step, []))

    def delete_executed_contracts(self) -> None:
        """Forget the contracts of the current step."""
        step: int = getattr(self, "current_step")  # noqa: B009 - the World's property
        self._filed().pop(step, None)


class NoContractExecutionMixin(WorldCallbacks[Any]):
    """A world whose contracts are never executed (put it before ``World``)."""

    def executable_contracts(self) -> Collection[Contract]:
        """No contract is ever due."""
        return []

    def start_contract_execution(self, contract: Contract) -> set[Breach] | None:
        """Never called (nothing is due); no breaches."""
        return set()

    def complete_contract_execution(
        self, contract: Contract, breaches: list[Breach], resolution: Contract | None
    ) -> None:
        """Nothing to complete."""

    def delete_executed_contracts(self) -> None:
        """Nothing to delete."""


class NoResponsesMixin:
    """Do-nothing agent callbacks (put it before ``Agent`` in the bases)."""

    def on_neg_request_rejected(self, req_id: str, by: list[str] | None) -> None:
        """Nothing."""

    def on_neg_request_accepted(self, req_id: str, mechanism: Any) -> None:
        """Nothing."""

    def on_negotiation_failure(
        self, partners: list[str], annotation: dict[str, Any], mechanism: Any, state: Any
    ) -> None:
        """Nothing."""

    def on_negotiation_success(self, contract: Contract, mechanism: Any) -> None:
        """Nothing."""

    def on_contract_signed(self, contract: Contract) -> bool:
        """Nothing; ``True`` as in NegMAS."""
        return True

    def on_contract_cancelled(self, contract: Contract, rejectors: list[str]) -> None:
        """Nothing."""

    def set_renegotiation_agenda(self, contract: Contract, breaches: list[Breach]) -> None:
        """No renegotiation."""
        return None

    def respond_to_renegotiation_request(
        self, contract: Contract, breaches: list[Breach], agenda: Any
    ) -> None:
        """Refuse renegotiations."""
        return None

    def on_contract_executed(self, contract: Contract) -> None:
        """Nothing."""

    def on_contract_breached(
        self, contract: Contract, breaches: list[Breach], resolution: Contract | None
    ) -> None:
        """Nothing."""


class _Monitor:
    """A named monitor (NegMAS's monitors are named entities)."""

    def __init__(self, name: str | None = None) -> None:
        if name is not None and not isinstance(name, str):
            raise TypeError(f"a monitor's name is a str or None; got {name!r}")
        self.name = name if name is not None else type(self).__name__
        self.id = self.name


class StatsMonitor(_Monitor):
    """A base for ``world.register_stats_monitor``: override ``step`` (and ``init``)."""

    def init(self, stats: dict[str, Any], world_name: str) -> None:
        """Called once, before the first ``step``."""

    def step(self, stats: dict[str, Any], world_name: str) -> None:
        """Called after every world step with its statistics."""


class WorldMonitor(_Monitor):
    """A base for ``world.register_world_monitor``: override ``step`` (and ``init``)."""

    def init(self, world: Any) -> None:
        """Called once, before the first ``step``."""

    def step(self, world: Any) -> None:
        """Called after every world step."""


class SimpleWorld(World[Any, Any]):
    """NegMAS's ``SimpleWorld``: a world with sane defaults for every optional
    callback (Palaver's ``World`` has them too) and a ``contract_size`` of 1,
    so ``activity_level`` counts the executed contracts. A subclass still
    writes ``simulation_step``, ``get_private_state``, ``execute_action``,
    ``executable_contracts`` and ``start_contract_execution``."""

    def contract_size(self, contract: Contract) -> float:
        """Every contract counts 1."""
        return 1.0
