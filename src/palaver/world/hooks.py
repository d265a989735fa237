"""What the world's components may see of the world they serve: :class:`WorldHooks`.

The components never hold the ``World`` class itself; each is given this
narrow protocol instead: the callbacks a world writes (called as bound methods,
always through the guard or with their errors handled where they are called)
and the few options a user may still change after construction (NegMAS worlds
assign ``world.breach_processing`` or ``world.n_steps`` between runs).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any, Protocol, TypeVar

from palaver.world.contracts import Action, Breach, BreachProcessing, Contract, Operations

__all__ = ["WorldHooks"]

A = TypeVar("A", contravariant=True)


class WorldHooks(Protocol[A]):
    """The world as its components see it (``A``: the world's agent type)."""

    @property
    def name(self) -> str:
        """The world's name."""

    @property
    def n_steps(self) -> int:
        """The number of steps of the run."""

    @property
    def time_limit(self) -> float | None:
        """Wall-clock seconds for the whole run (``None``: no limit)."""

    @property
    def operations(self) -> tuple[Operations, ...]:
        """The operations of a step, in order."""

    @property
    def breach_processing(self) -> BreachProcessing:
        """How breaches are processed."""

    @property
    def shuffle_agents(self) -> bool:
        """Whether agents step in a fresh random order every step."""

    def simulation_step(self, stage: int = 0) -> None:
        """The world's own simulation."""

    def get_private_state(self, agent: A) -> Any:
        """What ``agent`` may know privately."""

    def execute_action(
        self, action: Action, agent: A, callback: Callable[..., Any] | None = None
    ) -> bool:
        """Carry out ``action`` for ``agent``."""

    def executable_contracts(self) -> Collection[Contract]:
        """The signed contracts due now."""

    def order_contracts_for_execution(
        self, contracts: Collection[Contract]
    ) -> Collection[Contract]:
        """The order to execute the due contracts in."""

    def start_contract_execution(self, contract: Contract) -> set[Breach] | None:
        """Execute ``contract``; its breaches (``None``: nullified)."""

    def complete_contract_execution(
        self, contract: Contract, breaches: list[Breach], resolution: Contract | None
    ) -> None:
        """After breach processing of ``contract``."""

    def delete_executed_contracts(self) -> None:
        """Forget the contracts processed this step."""

    def on_contract_signed(self, contract: Contract) -> bool:
        """``contract`` became binding."""

    def is_valid_agreement(self, negotiation: Any, agreement: Any, mechanism: Any) -> bool:
        """May ``agreement`` become a contract (NegMAS's hook)?"""

    def is_valid_contract(self, contract: Contract) -> bool:
        """May the signed ``contract`` become binding (NegMAS's hook)?"""

    def on_contract_concluded(self, contract: Contract, to_be_signed_at: int) -> None:
        """``contract`` was concluded (NegMAS's hook)."""

    def on_contract_cancelled(self, contract: Contract) -> None:
        """``contract`` was not signed (NegMAS's hook)."""

    def contract_record(self, contract: Contract) -> dict[str, Any]:
        """A flat record of ``contract``."""

    def breach_record(self, breach: Breach) -> dict[str, Any]:
        """A flat record of ``breach``."""

    def contract_size(self, contract: Contract) -> float:
        """A measure of ``contract``'s value."""

    def pre_step_stats(self) -> None:
        """Statistics at the first ``StatsUpdate`` of a step."""

    def post_step_stats(self) -> None:
        """Statistics at later ``StatsUpdate`` operations."""

    def checkpoint(self, path: str | Path, extra: dict[str, Any] | None = None) -> Path:
        """Save the world between steps (``checkpoint_every``)."""
