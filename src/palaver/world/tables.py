"""NegMAS's tables of what a run recorded (bases of ``World``).

:class:`ExceptionTables`: views of the guard's records (``world.exceptions``),
by step or by agent and by kind. :class:`RecordTables`: the saved contracts
and breaches as lists, and the statistics and contracts as pandas DataFrames
(pandas is an optional extra, imported only when a frame is asked for).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from palaver._util.optional import frame_library
from palaver.world.contracts import Breach, Contract
from palaver.world.engine import Engine

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ExceptionTables", "RecordTables"]

T = TypeVar("T")


def _pandas() -> Any:
    return frame_library(
        "pandas",
        "world.stats_df and world.contracts_df",
        "world.stats and world.saved_contracts hold the same data without it",
    )


class _View(Generic[T]):
    """A read-only report that a world subclass may shadow by assigning the same
    name (a non-data descriptor): ``self.breaches = []`` in a world written for
    NegMAS, which has no such report, keeps working."""

    def __init__(self, read: Callable[[Any], T]) -> None:
        self._read = read
        self.__doc__ = read.__doc__

    @overload
    def __get__(self, obj: None, objtype: type | None = None) -> _View[T]: ...
    @overload
    def __get__(self, obj: object, objtype: type | None = None) -> T: ...
    def __get__(self, obj: object | None, objtype: type | None = None) -> T | _View[T]:
        if obj is None:
            return self
        return self._read(obj)


def _view(read: Callable[[Any], T]) -> _View[T]:
    return _View(read)


class RecordTables:
    """``world.stats_df``, ``world.contracts_df``, ``world.signed_contracts``,
    ``world.executed_contracts``, ``world.breaches`` (NegMAS's names).

    NegMAS returns its saved records as dicts; Palaver keeps its own types
    (:class:`Contract`, :class:`Breach`), and the frames hold the flat records
    the world writes to its files (``contract_record``).
    """

    _palaver: Engine
    n_steps: int

    @_view
    def stats_df(self) -> pd.DataFrame:
        """``world.stats`` as a pandas DataFrame: one row per step run, one column per
        statistic (a column shorter than the run, from a world's own stats hooks, is
        padded with NaN at the end, as NegMAS's ``stats`` pads: a value appended only
        on some steps is then *not* at its step's row; the ``stats`` events carry
        it at its step, see docs/world.md, Statistics)."""
        pandas = _pandas()
        series = self._palaver.ledger.series
        n = max((len(v) for v in series.values()), default=0)
        nan = float("nan")
        return pandas.DataFrame(
            {k: list(v) + [nan] * (n - len(v)) for k, v in series.items()},
            index=pandas.RangeIndex(n, name="step"),
        )

    @_view
    def contracts_df(self) -> pd.DataFrame:
        """The saved contracts (signed, then cancelled: ``save_signed_contracts`` /
        ``save_cancelled_contracts``) as a pandas DataFrame, one row per contract, the
        columns of the world's ``contract_record`` (``id``, ``partners``,
        ``agreement_<issue>``, ``signed_at``, ``executed_at``, ``nullified_at``, ...)."""
        pandas = _pandas()
        ledger = self._palaver.ledger
        record = self._palaver.book.hooks.contract_record
        rows = [record(c) for c in [*ledger.saved_contracts, *ledger.cancelled_contracts]]
        return pandas.DataFrame(rows)

    @property
    def signed_contracts(self) -> list[Contract]:
        """The saved contracts every partner signed (NegMAS's name; Contracts, not dicts)."""
        return [c for c in self._palaver.ledger.saved_contracts if c.signed_at is not None]

    @property
    def executed_contracts(self) -> list[Contract]:
        """The saved contracts executed without a breach (NegMAS's meaning; a
        breached contract has ``executed_at`` set too, and is in :attr:`breaches`)."""
        ledger = self._palaver.ledger
        breached = ledger.breached_ids
        return [
            c for c in ledger.saved_contracts if c.executed_at is not None and c.id not in breached
        ]

    @_view
    def breach_fraction(self) -> float:
        """NegMAS's: breaches per signed contract over the run (0 with none signed)."""
        totals = self._palaver.ledger.totals
        signed = totals["n_contracts_signed"]
        return totals["n_breaches"] / signed if signed else 0.0

    breach_rate = breach_fraction

    @_view
    def cancellation_fraction(self) -> float:
        """NegMAS's: the share of concluded contracts left unsigned (NaN with none)."""
        totals = self._palaver.ledger.totals
        signed, cancelled = totals["n_contracts_signed"], totals["n_contracts_cancelled"]
        return cancelled / (signed + cancelled) if signed + cancelled else float("nan")

    cancellation_rate = cancellation_fraction

    @_view
    def agreement_fraction(self) -> float:
        """NegMAS's: contracts concluded per negotiation registered (NaN with none)."""
        totals = self._palaver.ledger.totals
        registered = totals["n_negotiations_accepted"]
        return totals["n_contracts_concluded"] / registered if registered else float("nan")

    agreement_rate = agreement_fraction

    def _palaver_per_signed(self, counter: str) -> float:
        totals = self._palaver.ledger.totals
        signed = totals["n_contracts_signed"]
        return totals[counter] / signed if signed else float("nan")

    @_view
    def contract_execution_fraction(self) -> float:
        """NegMAS's: signed contracts executed without breach or error (NaN with none signed)."""
        return self._palaver_per_signed("n_contracts_executed")

    @_view
    def contract_err_fraction(self) -> float:
        """NegMAS's: signed contracts whose execution raised (NaN with none signed)."""
        return self._palaver_per_signed("n_contracts_erred")

    @_view
    def contract_nullification_fraction(self) -> float:
        """NegMAS's: signed contracts nullified (NaN with none signed)."""
        return self._palaver_per_signed("n_contracts_nullified")

    @_view
    def contract_dropping_fraction(self) -> float:
        """NegMAS's: signed contracts dropped: 0, as Palaver drops none (NaN with none signed)."""
        return 0.0 if self._palaver.ledger.totals["n_contracts_signed"] else float("nan")

    @_view
    def breach_level(self) -> float:
        """NegMAS's: the summed ``breach_level`` statistic per executed contract and
        breach (NaN with neither)."""
        totals = self._palaver.ledger.totals
        n = totals["n_contracts_executed"] + totals["n_breaches"]
        level = sum(self._palaver.ledger.series.get("breach_level", []))
        return float(level) / n if n else float("nan")

    def n_saved_contracts(self, ignore_no_issue: bool = True) -> int:
        """NegMAS's: the saved contracts, signed and cancelled; with ``ignore_no_issue``
        only those with issues (made by a negotiation)."""
        ledger = self._palaver.ledger
        contracts = [*ledger.saved_contracts, *ledger.cancelled_contracts]
        return sum(1 for c in contracts if c.issues or not ignore_no_issue)

    @_view
    def business_size(self) -> float:
        """NegMAS's: the summed ``contract_size`` of the executed contracts (``activity_level``)."""
        return float(sum(self._palaver.ledger.series.get("activity_level", [])))

    @_view
    def remaining_steps(self) -> int:
        """NegMAS's: the steps not run yet (``n_steps - current_step``)."""
        return self.n_steps - self._palaver.clock.step

    @_view
    def breaches(self) -> list[Breach]:
        """Every saved breach, resolved or not, in the order they happened (``saved_breaches``)."""
        ledger = self._palaver.ledger
        both = [*ledger.resolved_breaches, *ledger.unresolved_breaches]
        return sorted(both, key=lambda b: int(b.id[1:]) if b.id[1:].isdigit() else 0)


class ExceptionTables:
    """``world.simulation_exceptions``, ``world.n_agent_exceptions``, ... and ``world.times``."""

    _palaver: Engine

    @property
    def times(self) -> dict[str, float]:
        """Wall-clock seconds spent in each agent's callbacks so far, by agent id
        (its negotiators' time inside mechanisms is not included)."""
        return dict(self._palaver.guard.agent_times)

    @property
    def simulation_exceptions(self) -> dict[int, list[str]]:
        """Exceptions the world's own callbacks raised (and were ignored), by step."""
        return self._palaver.guard.by_step("simulation")

    @property
    def mechanism_exceptions(self) -> dict[int, list[str]]:
        """Exceptions mechanisms raised (and were ignored), by step."""
        return self._palaver.guard.by_step("mechanism")

    @property
    def contract_exceptions(self) -> dict[int, list[str]]:
        """Exceptions raised while executing contracts (and ignored), by step."""
        return self._palaver.guard.by_step("contract")

    @property
    def agent_exceptions(self) -> dict[str, list[tuple[int, str]]]:
        """Exceptions agents raised (and were ignored): agent id -> ``(step, text)``
        (a ``defaultdict``: an agent without exceptions reads as ``[]``)."""
        return self._palaver.guard.by_agent("agent")

    @property
    def negotiator_exceptions(self) -> dict[str, list[tuple[int, str]]]:
        """Exceptions agents' negotiators raised (and were ignored): agent -> ``(step, text)``."""
        return self._palaver.guard.by_agent("negotiator")

    @property
    def n_simulation_exceptions(self) -> dict[int, int]:
        """The number of ignored simulation exceptions, by step."""
        return self._palaver.guard.count_by_step("simulation")

    @property
    def n_contract_exceptions(self) -> dict[int, int]:
        """The number of ignored contract-execution exceptions, by step."""
        return self._palaver.guard.count_by_step("contract")

    @property
    def n_mechanism_exceptions(self) -> dict[int, int]:
        """The number of ignored mechanism exceptions, by step."""
        return self._palaver.guard.count_by_step("mechanism")

    @property
    def n_total_simulation_exceptions(self) -> dict[int, int]:
        """Simulation, contract and mechanism exceptions together, by step."""
        return self._palaver.guard.count_by_step("simulation", "contract", "mechanism")

    @property
    def n_agent_exceptions(self) -> dict[str, int]:
        """The number of ignored exceptions each agent raised (its negotiators' aside)."""
        return self._palaver.guard.count_by_agent(self._palaver.roster.agents, "agent")

    @property
    def n_negotiator_exceptions(self) -> dict[str, int]:
        """The number of ignored exceptions each agent's negotiators raised."""
        return self._palaver.guard.count_by_agent(self._palaver.roster.agents, "negotiator")

    @property
    def n_total_agent_exceptions(self) -> dict[str, int]:
        """Agent and negotiator exceptions together, by agent."""
        agents = self._palaver.roster.agents
        return self._palaver.guard.count_by_agent(agents, "agent", "negotiator")

    # ------------------------------------------------------- checkpoints
