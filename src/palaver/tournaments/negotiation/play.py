"""Running a batch of negotiations in a worker and turning them into columnar rows.

:meth:`NegotiationJob.run` is what every executor calls (in the tournament's
process, a worker process or a Ray task). It never raises for a negotiation's
own problems: a negotiator that raises ends its negotiation with ``error``; one
that does not return within ``hang_timeout`` seconds is interrupted (a
``SIGALRM`` timer, where the worker runs Python in its main thread) and the
negotiation ends ``hung``, naming the negotiator. Where no timer is available
the executor's per-batch budget is the backstop (the batch is then recorded as
timed out).

Each batch becomes three tables (negotiations, parties, offers), built column
by column from the mechanisms' histories when the batch ends, and written as one
Parquet file each when the tournament has a folder.
"""

from __future__ import annotations

import contextlib
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from palaver.mechanisms import SAOMechanism
from palaver.negotiators import RankingCache, ranking_cache
from palaver.tournaments.negotiation.callbacks import (
    NegotiationCallbacks,
    NegotiationContext,
    NegotiationEnd,
    RunHooks,
)
from palaver.tournaments.negotiation.competitors import NegotiationCompetitor
from palaver.tournaments.negotiation.hang_timer import NegotiationHung, Watchdog, culprit
from palaver.tournaments.negotiation.negotiation_metrics import metric_columns
from palaver.tournaments.negotiation.negotiation_rows import negotiation_rows
from palaver.tournaments.negotiation.opponent_models import metric_name
from palaver.tournaments.negotiation.plan import BatchTask, NegotiationSpec
from palaver.tournaments.negotiation.scenario_info import (
    mechanism_options,
    scenario_info,
)
from palaver.tournaments.negotiation.tables import Columns, build_tables, write_batch
from palaver.tournaments.play import DONE, WorldResult

#: Result of a negotiation interrupted because a negotiator did not return in time.
HUNG = "hung"
#: What each detail level records.
DETAILS = ("outcomes", "offers")
TABLES = ("negotiations", "parties", "offers")


@dataclass(frozen=True)
class JobSettings:
    """What the executors read of a job: a per-batch time budget and retries."""

    time_budget: float | None
    max_retries: int = 1
    world: Any = None
    competitors: tuple[Any, ...] = ()


_RANKINGS = RankingCache(8192)


@dataclass(frozen=True)
class BatchResult(WorldResult):
    """A finished batch: its tables (``None`` when they were written to files)."""

    tables: dict[str, Any] | None = None
    files: dict[str, str] = field(default_factory=dict)
    #: The SHA-256 of each file, by table name.
    sha256: dict[str, str] = field(default_factory=dict)
    n_negotiations: int = 0


@dataclass(frozen=True)
class NegotiationJob:
    """Everything the negotiations of a tournament share; shipped once to each worker."""

    config: JobSettings
    competitors: tuple[NegotiationCompetitor, ...]
    scenarios: tuple[Any, ...]
    detail: str = "outcomes"
    path: str | None = None
    hang_timeout: float | None = 60.0
    mechanism_params: dict[str, Any] = field(default_factory=dict)
    callbacks: NegotiationCallbacks | None = None
    hooks: RunHooks | None = None
    #: Opponent-model metrics scored per party (see :mod:`.opponent_models`).
    opponent_metrics: tuple[Any, ...] = ()
    #: Session and per-party metrics recorded per party (see :mod:`.negotiation_metrics`).
    negotiation_metrics: bool = False

    @property
    def party_extra(self) -> list[str]:
        """The parties table's columns beyond the fixed ones."""
        extra = [f"opp_{metric_name(m)}" for m in self.opponent_metrics]
        return extra + (metric_columns() if self.negotiation_metrics else [])

    def run(self, task: BatchTask) -> BatchResult:
        """Run every negotiation of ``task``; never raises for a negotiation's own errors."""
        start = time.perf_counter()
        cols = Columns()
        with ranking_cache(cache=_RANKINGS), Watchdog(self.hang_timeout) as watchdog:
            # Once per scenario and worker, outside every negotiation's own time;
            # a failure here is recorded by each negotiation of the batch.
            with contextlib.suppress(Exception):
                scenario_info(self.scenarios[task.scenario])
            for spec in task.negotiations:
                self._negotiate(spec, cols, watchdog)
        tables = build_tables(
            cols, self.detail == "offers", [c.name for c in self.competitors], self.party_extra
        )
        files: dict[str, str] = {}
        digests: dict[str, str] = {}
        if self.path is not None:
            files, digests = write_batch(Path(self.path), task.world_id, tables)
        return BatchResult(
            world_id=task.world_id,
            status=DONE,
            duration=time.perf_counter() - start,
            finished_at=datetime_now(),
            tables=None if self.path is not None else tables,
            files=files,
            sha256=digests,
            n_negotiations=len(task.negotiations),
        )

    def _negotiate(self, spec: NegotiationSpec, cols: Columns, watchdog: Watchdog) -> None:
        scenario = self.scenarios[spec.scenario]
        k = len(scenario.ufuns)
        names = [self.competitors[c].name for c in spec.partners]
        ufun_of = [(p + spec.rotation) % k for p in range(k)]
        negotiators: list[Any] = []
        status = None
        error = ""
        erred = None
        mech = None
        info = None
        context = None
        if self.hooks is not None:
            context = NegotiationContext(
                spec,
                scenario,
                tuple(names),
                tuple(self.competitors[c] for c in spec.partners),
                tuple(ufun_of),
            )
        cpu0, wall0 = time.process_time(), time.perf_counter()
        try:
            info = scenario_info(scenario)  # a scenario it cannot score fails here, as an error row
            if context is not None:
                self.hooks.before(context)  # type: ignore[union-attr]
            mech = SAOMechanism(
                outcome_space=scenario.outcome_space,
                n_steps=spec.n_steps,
                time_limit=spec.time_limit,
                seed=spec.seed,
                id=spec.negotiation_id,
                ignore_negotiator_exceptions=True,
                **mechanism_options(scenario, self.mechanism_params),
            )
            for p, c in enumerate(spec.partners):
                negotiator = self.competitors[c].make(f"{names[p]}@{p}")
                negotiators.append(negotiator)
                if not mech.add(negotiator, ufun=scenario.ufuns[ufun_of[p]]):
                    # A join that raised (or returned junk) is in the state; say so.
                    why = mech.state.error_details if mech.state.has_error else "refused to join"
                    raise RuntimeError(f"negotiator {negotiator.id!r}: {why}")
            if context is not None:
                self.hooks.constructed(context, mech)  # type: ignore[union-attr]
            watchdog.arm()
            try:
                if self.callbacks is None:
                    state = mech.run()
                else:
                    state = self.callbacks.run(mech, spec.negotiation_id)
            finally:
                watchdog.disarm()
        except NegotiationHung as exc:
            status = HUNG
            erred = culprit(exc, negotiators)
            error = f"stopped: no answer within hang_timeout={self.hang_timeout} s" + (
                f" (negotiator {erred!r} was running)" if erred else ""
            )
        except Exception:
            status = "error"
            error = traceback.format_exc(limit=-4)
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
        if status is None:
            assert mech is not None
            status = state.result
            error = state.error_details
            erred = state.erred_negotiator or None  # the table's null: no one erred
            agreement = state.agreement
            rounds = state.step
        else:
            agreement = None
            rounds = mech.state.step if mech is not None else 0
        if context is not None:
            end = NegotiationEnd(status, agreement, rounds, error, erred, wall, mech)
            try:
                self.hooks.after(context, end)  # type: ignore[union-attr]
            except Exception:
                status, agreement, erred = "error", None, None
                error = traceback.format_exc(limit=-4)
        negotiation_rows(
            self,
            spec,
            cols,
            scenario,
            names,
            ufun_of,
            status,
            agreement,
            rounds,
            error,
            erred,
            cpu,
            wall,
            mech,
            info,
        )


def datetime_now() -> str:
    """The current UTC time, ISO-8601 (when a batch finished)."""
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat(timespec="milliseconds")
