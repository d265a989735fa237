"""``cartesian_tournament``: every competitor against every other on every scenario."""

from __future__ import annotations

import secrets
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from palaver.tournaments.negotiation.arguments import (
    check_arguments,
    check_competitor_params,
    check_competitors_build,
    check_mechanism_values,
    check_scenarios,
)
from palaver.tournaments.negotiation.callbacks import NegotiationCallbacks, RunHooks, check_hooks
from palaver.tournaments.negotiation.competitors import as_competitors, plain_params, type_name
from palaver.tournaments.negotiation.folder import (
    MANIFEST,
    RERUNNABLE,
    batches_to_rerun,
    entry_line,
    prepare,
)
from palaver.tournaments.negotiation.negmas_names import from_negmas
from palaver.tournaments.negotiation.opponent_models import check_opponent_metrics, metric_name
from palaver.tournaments.negotiation.opponents import opponents_of, opponents_setup
from palaver.tournaments.negotiation.plan import (
    BatchTask,
    Limit,
    check_pairings,
    check_size,
    plan_negotiations,
)
from palaver.tournaments.negotiation.play import BatchResult, JobSettings, NegotiationJob
from palaver.tournaments.negotiation.results import NegotiationTournamentResults
from palaver.tournaments.negotiation.scenario_info import (
    METRICS_VERSION,
    mechanism_options,
    scenario_fingerprint,
)


def cartesian_tournament(
    competitors: Sequence[Any],
    scenarios: Sequence[Any],
    n_repetitions: int = 1,
    n_steps: Limit = 100,
    time_limit: Limit = None,
    n_steps_per: str = "negotiation",
    rotate_ufuns: bool = True,
    self_play: bool = True,
    path: str | Path | None = None,
    executor: str | None = None,
    workers: int | None = None,
    competitor_params: Sequence[Mapping[str, Any] | None] | None = None,
    competitor_names: Sequence[str] | None = None,
    seed: int | None = None,
    detail: str = "outcomes",
    hang_timeout: float | None = 60.0,
    final_score: tuple[str, str] = ("advantage", "mean"),
    mechanism_params: Mapping[str, Any] | None = None,
    progress: bool | None = None,
    *,
    njobs: int | None = None,
    verbosity: int | None = None,
    mechanism_type: type | None = None,
    randomize_runs: bool | None = None,
    save_every: int | None = None,
    opponents: Sequence[Any] | None = (),
    opponent_params: Sequence[Mapping[str, Any] | None] | None = None,
    opponent_names: Sequence[str] | None = None,
    neg_start_callback: Callable[[str, Any], Any] | None = None,
    neg_progress_callback: Callable[[str, Any], Any] | None = None,
    neg_end_callback: Callable[[str, Any], Any] | None = None,
    run_hooks: RunHooks | None = None,
    opponent_metrics: Sequence[Any] = (),
    negotiation_metrics: bool = False,
    rerun: Sequence[str] = (),
) -> NegotiationTournamentResults:
    """Run every pairing of ``competitors`` on every scenario and score them.

    The parameters mean what NegMAS's parameters of the same names mean:

    - Each negotiation has one negotiator per utility function of its scenario;
      every ordered assignment of competitors to positions is played
      (``self_play=False`` drops those where a competitor meets itself).
      Position 0 opens.
    - ``rotate_ufuns=True`` plays every pairing once per rotation of the
      utility functions over the positions (for two parties: each pairing
      also with the roles swapped while the same competitor opens).
    - ``n_repetitions`` repeats all of it, each repetition with its own seeds.
    - ``n_steps`` and ``time_limit`` are fixed values or ``(low, high)`` bounds
      drawn per negotiation (log-uniformly when ``high / low >= 10``, as the
      ANL competitions draw ``n_steps``; uniformly otherwise).
      ``n_steps_per="scenario"`` draws them once per scenario and repetition
      instead, shared by all its pairings (NegMAS's behaviour).

    Runs on the ``serial`` (default), ``process`` or ``ray`` executor
    (``workers`` of them, default one per core); every negotiation's seed and
    draws derive from ``seed`` and its position, so results do not depend on
    the executor. ``progress=True`` prints a progress line. ``hang_timeout``
    seconds without an answer from a negotiator stops its negotiation
    (recorded as ``hung``).

    With ``path``, every batch of negotiations is written by its worker as
    Parquet files under ``path`` and listed in ``path/manifest.jsonl`` when
    done; calling again with the same arguments resumes: finished batches are
    not run again (different arguments, or a scenario of the same name whose
    contents changed, raise ``ValueError``). ``detail``:
    ``"outcomes"`` records every negotiation's outcome and each party's
    scores; ``"offers"`` also every offer (table ``offers``), queryable with
    :meth:`NegotiationTournamentResults.query`.

    Every argument is checked before anything runs (``ValueError``), and each
    competitor is built once with its parameters: one whose constructor raises
    or that is not a negotiator is refused, naming it.

    ``final_score`` is ``(metric, statistic)`` over the ``parties`` table
    (default mean advantage, as ANL). Returns the results.

    ``opponents`` (with ``opponent_params`` and ``opponent_names``, given as
    the competitors' are) are fixed opponents, NegMAS's explicit opponent
    mode: each competitor sits at position 0 against every combination of
    opponents at the other positions (``rotate_ufuns`` gives it the other
    roles), competitors never meet each other, and only competitors are
    ranked and scored (the opponents' rows stay in ``parties``). Without
    ``self_play``, a negotiation whose opponents are all of the competitor's
    own type and parameters is not played (a competitor left with no other
    negotiation is refused). An opponent named like a
    competitor by default is renamed ``<name>-opponent``; names given that
    clash are refused.

    ``neg_start_callback``, ``neg_progress_callback`` and ``neg_end_callback``
    (NegMAS's) are called with ``(negotiation_id, state)`` before the first
    round, after each round and at the end of every negotiation, where it runs
    (see :class:`~palaver.tournaments.negotiation.callbacks.NegotiationCallbacks`).
    ``run_hooks`` (a :class:`~palaver.tournaments.negotiation.callbacks.RunHooks`)
    is called in the worker before each negotiation's mechanism is built, once
    its negotiators joined, and when it ended.

    ``opponent_metrics`` (names of :data:`~.opponent_models.METHODS` or
    functions of two utility vectors) scores how well each negotiator
    modelled its opponents' utility functions, as ``opp_<metric>`` columns of
    ``parties`` (see :mod:`palaver.tournaments.negotiation.opponent_models`).
    ``negotiation_metrics=True`` adds each negotiation's session metrics and
    each party's negotiator metrics as ``session_<name>`` and ``neg_<name>``
    columns of ``parties`` (see
    :mod:`palaver.tournaments.negotiation.negotiation_metrics`).

    ``rerun`` (results among ``"error"``, ``"hung"`` and ``"timeout"``; with
    ``path``) runs again, when a folder is resumed, every finished batch
    holding a negotiation that ended so; its rows are replaced. Seeds are
    those of the first run, so only what did not depend on them alone (a
    negotiation stopped by ``hang_timeout`` on a busy machine, say) can end
    otherwise.

    NegMAS's ``njobs``, ``verbosity``, ``mechanism_type``, ``randomize_runs``
    and ``save_every`` are translated or refused with a reason (see
    :mod:`palaver.tournaments.negotiation.negmas_names`): ``njobs`` chooses the
    executor and workers, ``verbosity`` the progress line, ``mechanism_type``
    must be ``SAOMechanism``, ``randomize_runs`` cannot change a result and
    ``save_every`` needs ``path`` (every batch is then saved as it ends).
    """
    choice = from_negmas(
        executor=executor,
        workers=workers,
        progress=progress,
        path=path,
        njobs=njobs,
        verbosity=verbosity,
        mechanism_type=mechanism_type,
        randomize_runs=randomize_runs,
        save_every=save_every,
    )
    executor, workers, progress = choice.executor, choice.workers, choice.progress
    metrics = check_opponent_metrics(opponent_metrics)
    allowed = f"rerun must be a list of results among {list(RERUNNABLE)} (empty: none)"
    if isinstance(rerun, str | bytes | Mapping) or not isinstance(rerun, Iterable):
        raise ValueError(f"{allowed}, got {rerun!r} ({type(rerun).__name__})")
    rerun = list(rerun)
    if not all(isinstance(r, str) and r in RERUNNABLE for r in rerun):
        raise ValueError(f"{allowed}, got {rerun!r}")
    if rerun and path is None:
        raise ValueError("rerun runs finished batches of a folder again: give path")
    if not isinstance(negotiation_metrics, bool):
        raise ValueError(f"negotiation_metrics must be True or False, got {negotiation_metrics!r}")
    args = check_arguments(
        n_repetitions=n_repetitions,
        n_steps=n_steps,
        time_limit=time_limit,
        n_steps_per=n_steps_per,
        rotate_ufuns=rotate_ufuns,
        self_play=self_play,
        path=path,
        executor=executor,
        workers=workers,
        seed=seed,
        detail=detail,
        hang_timeout=hang_timeout,
        final_score=final_score,
        mechanism_params=mechanism_params,
        progress=progress,
    )
    callbacks = NegotiationCallbacks.checked(
        neg_start_callback, neg_progress_callback, neg_end_callback, args.executor
    )
    check_hooks(run_hooks, args.executor)
    comps = as_competitors(competitors, competitor_params, competitor_names)
    opps, lineup = opponents_of(comps, opponents, opponent_params, opponent_names, args.self_play)
    check_competitor_params(comps)
    check_competitor_params(opps, "opponent")
    check_competitors_build(comps)
    check_competitors_build(opps, "opponent")
    scens = check_scenarios(scenarios)
    _warn_discounting(scens)
    for s in scens:
        check_mechanism_values(mechanism_options(s, args.mechanism_params), s)
    seed = secrets.randbits(63) if args.seed is None else args.seed
    # The checked values from here on: Python numbers, whatever type was given.
    n_repetitions, n_steps, time_limit = args.n_repetitions, args.n_steps, args.time_limit
    hang_timeout = args.hang_timeout
    names = [s.name for s in scens]
    parties = [len(s.ufuns) for s in scens]
    check_size(len(comps), parties, n_repetitions, rotate_ufuns, self_play, lineup)
    check_pairings(len(comps), names, parties, self_play, lineup)
    batches = plan_negotiations(
        len(comps),
        parties,
        n_repetitions,
        rotate_ufuns,
        self_play,
        n_steps,
        time_limit,
        seed,
        n_steps_per,
        lineup,
    )
    largest = max(len(b.negotiations) for b in batches)
    budget = None if hang_timeout is None else hang_timeout * largest + 60.0
    setup = {
        "kind": "negotiation",
        "competitors": [c.name for c in comps],
        "competitor_types": [type_name(c.type) for c in comps],
        "competitor_params": [plain_params(c.params) for c in comps],
        "scenarios": names,
        "scenario_fingerprints": [scenario_fingerprint(s) for s in scens],
        "metrics_version": METRICS_VERSION,
        "n_repetitions": n_repetitions,
        "n_steps": n_steps if not isinstance(n_steps, tuple) else list(n_steps),
        "time_limit": time_limit if not isinstance(time_limit, tuple) else list(time_limit),
        "n_steps_per": n_steps_per,
        "rotate_ufuns": rotate_ufuns,
        "self_play": self_play,
        "seed": seed,
        "detail": detail,
        "hang_timeout": hang_timeout,
        "final_score": list(final_score),
        "mechanism_params": plain_params(dict(mechanism_params or {})),
        **opponents_setup(opps),
        # Only when asked for: a folder written without them resumes unchanged.
        **({"opponent_metrics": [metric_name(m) for m in metrics]} if metrics else {}),
        **({"negotiation_metrics": True} if negotiation_metrics else {}),
        "n_batches": len(batches),
        "n_negotiations": sum(len(b.negotiations) for b in batches),
    }
    root = Path(path) if path is not None else None
    done: set[str] = set()
    if root is not None:
        from palaver.tournaments.negotiation.results import outcomes_table

        done = prepare(root, setup, outcomes_table(scens) if detail == "offers" else None, scens)
        if rerun:
            done -= batches_to_rerun(root, done, rerun)
    job = NegotiationJob(
        config=JobSettings(time_budget=budget, max_retries=1),
        competitors=tuple(comps + opps),
        scenarios=scens,
        detail=detail,
        path=str(root) if root is not None else None,
        hang_timeout=hang_timeout,
        mechanism_params=dict(mechanism_params or {}),
        callbacks=callbacks,
        hooks=run_hooks,
        opponent_metrics=metrics,
        negotiation_metrics=negotiation_metrics,
    )
    todo = [b for b in batches if b.world_id not in done]
    results: dict[str, BatchResult] = {}

    def on_result(task: BatchTask, result: Any) -> None:
        if not isinstance(result, BatchResult):  # the batch failed or timed out as a whole
            result = _failed_batch(job, task, result)
        results[task.world_id] = result
        if root is not None:
            with open(root / MANIFEST, "a", encoding="utf-8") as f:
                f.write(entry_line(result))
        if progress:
            print(f"\r{len(results) + len(done)}/{len(batches)} batches", end="", flush=True)

    if todo:
        from palaver.tournaments.executors import make_executor

        make_executor(executor, args.workers).run(job, todo, on_result)  # type: ignore[arg-type]
        if progress:
            print()
    if root is not None:
        return NegotiationTournamentResults.load(root)
    order = {b.world_id: b.index for b in batches}
    tables = [results[k].tables for k in sorted(results, key=order.__getitem__)]
    return NegotiationTournamentResults.from_tables(
        setup, [t for t in tables if t is not None], scens
    )


def _warn_discounting(scenarios: Sequence[Any]) -> None:
    """Say once that discount factors are not applied (metrics use undiscounted utilities)."""
    discounted = {
        s.name: list(s.discount_factors)
        for s in scenarios
        if any(d != 1 for d in getattr(s, "discount_factors", ()))
    }
    if discounted:
        from palaver.tournaments.runner import TournamentWarning

        listing = ", ".join(f"{name!r} {factors}" for name, factors in discounted.items())
        warnings.warn(
            f"scenario(s) with discount factors other than 1: {listing}. A negotiation "
            "tournament ignores discounting: utilities and every metric are undiscounted "
            "(Scenario.remove_discounting() says so explicitly and silences this)",
            TournamentWarning,
            stacklevel=3,
        )


def _failed_batch(job: NegotiationJob, task: BatchTask, result: Any) -> BatchResult:
    """Rows for a batch the executor had to stop or gave up on: each negotiation recorded so."""
    from palaver.tournaments.negotiation.negotiation_rows import negotiation_rows
    from palaver.tournaments.negotiation.tables import Columns, build_tables, write_batch

    cols = Columns()
    status = "hung" if getattr(result, "status", "") == "timed_out" else "error"
    for spec in task.negotiations:
        negotiation_rows(
            job,
            spec,
            cols,
            job.scenarios[spec.scenario],
            [job.competitors[c].name for c in spec.partners],
            [(p + spec.rotation) % len(spec.partners) for p in range(len(spec.partners))],
            status,
            None,
            0,
            str(getattr(result, "error", "") or "batch failed"),
            None,
            0.0,
            0.0,
            None,
            None,  # no scenario info looked up: negotiation_rows looks it up
        )
    tables = build_tables(
        cols, job.detail == "offers", [c.name for c in job.competitors], job.party_extra
    )
    files: dict[str, str] = {}
    digests: dict[str, str] = {}
    if job.path is not None:
        files, digests = write_batch(Path(job.path), task.world_id, tables)
    return BatchResult(
        world_id=task.world_id,
        status=result.status,
        error=result.error,
        tables=None if job.path is not None else tables,
        files=files,
        sha256=digests,
        n_negotiations=len(task.negotiations),
    )


__all__ = ["cartesian_tournament"]
