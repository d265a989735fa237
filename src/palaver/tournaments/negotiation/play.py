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
import math
import signal
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from palaver.mechanisms import SAOMechanism
from palaver.negotiators import RankingCache, ranking_cache
from palaver.tournaments.negotiation.callbacks import (
    NegotiationCallbacks,
    NegotiationContext,
    NegotiationEnd,
    RunHooks,
)
from palaver.tournaments.negotiation.competitors import NegotiationCompetitor
from palaver.tournaments.negotiation.negotiation_metrics import metric_columns, negotiation_metrics
from palaver.tournaments.negotiation.opponent_models import metric_name, opponent_scores
from palaver.tournaments.negotiation.plan import BatchTask, NegotiationSpec
from palaver.tournaments.negotiation.scenario_info import (
    ScenarioInfo,
    advantage,
    mechanism_options,
    scenario_info,
)
from palaver.tournaments.negotiation.tables import Columns, build_tables, outcome_json, write_batch
from palaver.tournaments.play import DONE, LONGEST_ALARM, WorldResult

#: Result of a negotiation interrupted because a negotiator did not return in time.
HUNG = "hung"
#: What each detail level records.
DETAILS = ("outcomes", "offers")
TABLES = ("negotiations", "parties", "offers")


class NegotiationHung(BaseException):
    """Raised inside a negotiator that exceeded the hang timeout (not catchable as Exception)."""


@dataclass(frozen=True)
class JobSettings:
    """What the executors read of a job: a per-batch time budget and retries."""

    time_budget: float | None
    max_retries: int = 1
    world: Any = None
    competitors: tuple[Any, ...] = ()


_RANKINGS = RankingCache(8192)


class _Watchdog:
    """The hang timer of one batch: ``SIGALRM``'s handler is installed once for
    the batch (``signal.signal`` costs a few microseconds, paid twice per
    negotiation before), and :meth:`arm` / :meth:`disarm` set the timer around
    each negotiation. Inactive (every call a no-op) without a timeout, outside
    the main thread, or for a timeout longer than the OS timer holds
    (``setitimer()`` overflows past about 1e10 s; no run lasts that long, so no
    alarm is the same)."""

    __slots__ = ("_previous", "active", "seconds")

    def __init__(self, seconds: float | None) -> None:
        self.seconds = 0.0 if seconds is None else seconds
        self.active = (
            seconds is not None
            and seconds <= LONGEST_ALARM
            and threading.current_thread() is threading.main_thread()
        )
        self._previous: Any = None

    def __enter__(self) -> _Watchdog:
        if self.active:
            self._previous = signal.signal(signal.SIGALRM, _expire)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.active:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)

    def arm(self) -> None:
        """Start the timer for one negotiation."""
        if self.active:
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def disarm(self) -> None:
        """Stop the timer (the negotiation returned or raised)."""
        if self.active:
            signal.setitimer(signal.ITIMER_REAL, 0)


def _expire(signum: int, frame: Any) -> None:
    raise NegotiationHung


def _culprit(exc: BaseException, negotiators: list[Any]) -> str | None:
    """The innermost negotiator whose method was running when ``exc`` was raised."""
    found = None
    tb = exc.__traceback__
    while tb is not None:
        owner = tb.tb_frame.f_locals.get("self")
        if owner is not None and any(owner is n for n in negotiators):
            found = owner.id
        tb = tb.tb_next
    return found


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
        with ranking_cache(cache=_RANKINGS), _Watchdog(self.hang_timeout) as watchdog:
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

    def _negotiate(self, spec: NegotiationSpec, cols: Columns, watchdog: _Watchdog) -> None:
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
            erred = _culprit(exc, negotiators)
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
        self._rows(
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

    def _rows(
        self,
        spec: NegotiationSpec,
        cols: Columns,
        scenario: Any,
        names: list[str],
        ufun_of: list[int],
        status: str,
        agreement: tuple[Any, ...] | None,
        rounds: int,
        error: str,
        erred: str | None,
        cpu: float,
        wall: float,
        mech: SAOMechanism | None,
        info: ScenarioInfo | None,
    ) -> None:
        if info is None:  # the negotiation failed before looking it up
            info = scenario_info(scenario)
        k = len(ufun_of)
        reserved = info.reserved
        position = info.index.get(agreement) if agreement is not None else None
        key = -1 if position is None else int(position)
        metrics = info.metrics.get(key)
        if metrics is None:
            # The point every metric is measured at: the agreement's utilities, or
            # without one each party's disagreement point (its reserved value; its
            # worst utility when that is infinite).
            point = info.utilities[position] if position is not None else info.reference
            u = info.utilities[position] if position is not None else reserved

            def dist(target: np.ndarray | None) -> float:
                if target is None:
                    return math.nan
                return float(np.sqrt(((point - target) ** 2).sum()))

            pareto = (
                float(info.stats.pareto_distance(point))
                if len(info.stats.pareto_utils)
                else math.nan
            )
            text = outcome_json(agreement) if agreement is not None else None
            # Per utility function: reserved value, best utility, utility, advantage.
            best = info.maxima
            parties = [
                (
                    float(reserved[j]), float(best[j]), float(u[j]),
                    float(advantage(float(point[j]), float(info.reference[j]), float(best[j]))),
                )
                for j in range(len(reserved))
            ]  # fmt: skip
            metrics = info.metrics[key] = (
                float(point.sum()), pareto, dist(info.nash), dist(info.kalai), dist(info.ks),
                text, parties,
            )  # fmt: skip
        welfare, pareto, nash, kalai, ks, text, parties = metrics
        # In the order of the negotiations table's columns (tables.schema).
        cols.neg.append(
            (
                spec.negotiation_id, spec.index, scenario.name, spec.scenario, spec.rotation,
                spec.repetition, "|".join(names), spec.n_steps, spec.time_limit, spec.seed,
                status, text, key, int(rounds), welfare, pareto, nash, kalai, ks, erred,
                error or None, cpu, wall,
            )
        )  # fmt: skip
        agreed = position is not None
        models: list[tuple[float, ...]] = [()] * k
        if self.opponent_metrics:
            models = opponent_scores(
                list(mech.negotiators) if mech is not None else [],
                [scenario.ufuns[j] for j in ufun_of],
                self.opponent_metrics,
                scenario.outcome_space,
            )
        if self.negotiation_metrics:
            full = negotiation_metrics(mech, info, ufun_of, position)
            models = [m + f for m, f in zip(models, full, strict=True)]
        for p in range(k):
            j = ufun_of[p]
            r, mx, up, adv = parties[j]
            cols.party.append(
                (
                    spec.negotiation_id, scenario.name, spec.repetition, p, names[p],
                    "|".join(names[:p] + names[p + 1 :]), j, info.names[j], r, mx, up, adv,
                    agreed, int(rounds), status, *models[p],
                )
            )  # fmt: skip
        if self.detail == "offers" and mech is not None:
            self._offers(spec, cols, scenario.name, ufun_of, info, mech)

    @staticmethod
    def _offers(
        spec: NegotiationSpec,
        cols: Columns,
        scenario: str,
        ufun_of: list[int],
        info: ScenarioInfo,
        mech: SAOMechanism,
    ) -> None:
        # Taken as columns: planned offers come straight from the plans'
        # position arrays, with no Python object per offer.
        rounds, who, outcome = mech.offer_columns(info.index)
        n = len(rounds)
        if not n:
            return
        ufun = np.asarray(ufun_of, dtype=np.int64)[who]
        o = cols.offer
        o["negotiation_id"].append((spec.negotiation_id, n))
        o["scenario"].append((scenario, n))
        o["round"].append(rounds.astype(np.int32, copy=False))
        o["position"].append(who)
        o["competitor"].append(np.asarray(spec.partners, dtype=np.int32)[who])
        o["outcome_index"].append(outcome.astype(np.int32, copy=False))
        o["utility"].append(info.utilities[outcome, ufun])


def datetime_now() -> str:
    """The current UTC time, ISO-8601 (when a batch finished)."""
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat(timespec="milliseconds")
