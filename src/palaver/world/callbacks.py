"""The callbacks a world writes (the abstract ones) or may override (the rest)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Collection
from typing import Any, Generic, TypeVar

from palaver.world.agent import Agent
from palaver.world.contracts import Action, Breach, Contract, to_flat_dict

__all__ = ["WorldCallbacks"]

TAgent = TypeVar("TAgent", bound=Agent[Any])


class WorldCallbacks(Generic[TAgent], ABC):
    """The world's callbacks, with their defaults. Mixed into :class:`~palaver.world.World`."""

    @abstractmethod
    def simulation_step(self, stage: int = 0) -> None:
        """Advance the world's own simulation (``stage`` counts calls within a step)."""

    @abstractmethod
    def get_private_state(self, agent: TAgent) -> Any:
        """What ``agent`` may know privately (``awi.state``)."""

    @abstractmethod
    def execute_action(
        self, action: Action, agent: TAgent, callback: Callable[..., Any] | None = None
    ) -> bool:
        """Carry out ``action`` for ``agent``; return whether it succeeded."""

    @abstractmethod
    def executable_contracts(self) -> Collection[Contract]:
        """The signed contracts due in the current step."""

    @abstractmethod
    def start_contract_execution(self, contract: Contract) -> set[Breach] | None:
        """Execute ``contract``; return its breaches.

        An empty set means executed without breach. ``None`` means nullified
        (not executed, for a reason other than a breach or an exception), as in
        NegMAS: the contract is counted in ``n_contracts_nullified`` and ends
        with a ``contract_nullified`` event.
        """

    def order_contracts_for_execution(
        self, contracts: Collection[Contract]
    ) -> Collection[Contract]:
        """The order to execute the due contracts in (default: as given)."""
        return contracts

    def complete_contract_execution(
        self, contract: Contract, breaches: list[Breach], resolution: Contract | None
    ) -> None:
        """Called for every breached contract once breach processing is over.

        ``resolution`` is the agreed fix (a signed contract) or ``None`` when
        the breaches stay unresolved, as in NegMAS. Default: nothing.
        """
        return None

    def delete_executed_contracts(self) -> None:
        """Forget the contracts processed this step (default: nothing)."""
        return None

    def on_contract_signed(self, contract: Contract) -> bool:
        """``contract`` just became binding (the world's bookkeeping is already done).

        Returns ``True``, so that NegMAS-style overrides that write
        ``if not super().on_contract_signed(contract): return False`` go on to
        file the contract. The world does not use what an override returns.
        """
        return True

    def is_valid_agreement(self, negotiation: Any, agreement: Any, mechanism: Any) -> bool:
        """NegMAS's hook: may ``agreement`` (an outcome, in issue order) reached in
        ``negotiation`` (its ``NegotiationInfo``; ``mechanism`` is its interface)
        become a contract? ``False``: no contract is concluded and, as in NegMAS,
        its agents hear nothing more (the negotiation still counts as succeeded).
        Default: ``True``."""
        return True

    def is_valid_contract(self, contract: Contract) -> bool:
        """NegMAS's hook: may ``contract``, signed by every partner, become binding?
        ``False``: it is cancelled (reason ``"invalid"``, no rejectors). Default: ``True``."""
        return True

    def on_contract_concluded(self, contract: Contract, to_be_signed_at: int) -> None:
        """NegMAS's hook: an agreement became ``contract``, to be signed at step
        ``to_be_signed_at`` (called before it is signed; default: nothing)."""
        return None

    def on_contract_cancelled(self, contract: Contract) -> None:
        """NegMAS's hook: ``contract`` was concluded but not signed (default: nothing;
        not called while a run an exception stopped is being closed)."""
        return None

    def contract_record(self, contract: Contract) -> dict[str, Any]:
        """A flat dict describing ``contract`` for the record files."""
        return to_flat_dict(contract)

    def breach_record(self, breach: Breach) -> dict[str, Any]:
        """A flat dict describing ``breach`` (bulletin board and record files)."""
        return to_flat_dict(breach)

    def contract_size(self, contract: Contract) -> float:
        """A measure of a contract's value, for statistics and default scores (default 0)."""
        return 0.0

    def pre_step_stats(self) -> None:
        """Add statistics at the first ``StatsUpdate`` of a step (default: nothing)."""
        return None

    def post_step_stats(self) -> None:
        """Add statistics at later ``StatsUpdate`` operations (default: nothing)."""
        return None
