"""NegMAS's ``cartesian_tournament``, with NegMAS's signature, defaults and result.

``palaver.negmas.cartesian_tournament`` (so NegMAS code that changes only its
imports) is this function: it takes every keyword of NegMAS 0.16's function
with NegMAS's defaults, runs Palaver's
:func:`~palaver.tournaments.negotiation.cartesian_tournament` and returns a
:class:`~palaver.tournaments.negotiation.negmas_results.SimpleTournamentResults`.
Each keyword is either done as NegMAS does it, accepted because it cannot
change a result here (listed in :data:`NO_EFFECT`, with the reason), or, set
to anything but NegMAS's default, refused with a ``ValueError`` that names it,
the value and why (:data:`REFUSED`). Nothing is ignored silently.

As in NegMAS, utility functions are normalized to ``[0, 1]`` each
(``normalize_ufuns=True``), ``ignore_reserved`` and ``ignore_discount`` act
on copies of the scenarios, ``neg_start_callback``, ``neg_progress_callback``
and ``neg_end_callback`` are called with ``(run_id, state)``, ``njobs``
chooses serial (``-1``) or process execution (``0``: one worker per core),
``executor="thread"`` runs the negotiations in this process one at a time
(NegMAS's threads share one interpreter: same results, no pickling needed),
and ``verbosity`` above 0 prints a progress line. ``before_start_callback``,
``after_construction_callback`` and ``after_end_callback`` are NegMAS's
(:mod:`~palaver.tournaments.negotiation.negmas_hooks`), ``progress_callback``
reports NegMAS's four stages, ``results.config`` is NegMAS's configuration
(:mod:`~palaver.tournaments.negotiation.negmas_config`), and with a ``path``
the folder also gets NegMAS's files and the scenarios played
(:mod:`~palaver.tournaments.negotiation.negmas_folder`). The frames are built
before the call returns, so they outlive a temporary folder.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from palaver._util.checks import check_real
from palaver.scenarios import Scenario
from palaver.tournaments.negotiation.arguments import STATISTICS
from palaver.tournaments.negotiation.negmas_config import negmas_config, report_progress
from palaver.tournaments.negotiation.negmas_folder import (
    optimization_level,
    storage_format_of,
    write_config,
    write_frames,
)
from palaver.tournaments.negotiation.negmas_hooks import NegmasRunHooks
from palaver.tournaments.negotiation.negmas_keywords import NO_EFFECT, REFUSED
from palaver.tournaments.negotiation.negmas_prepare import (
    check_and_correct_reserved_values,
    check_distinct,
    check_reveals_type,
    early_setup,
    folder_metrics,
    folder_seed,
    has_pandas,
    negmas_labels,
    prepare_folder,
    prepared_scenarios,
    save_scenarios,
    settle,
)
from palaver.tournaments.negotiation.negmas_results import (
    SimpleTournamentResults,
    check_aggregated_metrics,
    check_final_score,
)
from palaver.tournaments.negotiation.opponent_models import check_opponent_metrics
from palaver.tournaments.negotiation.results import NEGOTIATION_METRICS, PARTY_METRICS
from palaver.tournaments.negotiation.runner import cartesian_tournament as palaver_tournament

__all__ = ["NO_EFFECT", "REFUSED", "negmas_cartesian_tournament"]

_MECHANISM_LIMITS = (
    "pend",
    "pend_per_second",
    "step_time_limit",
    "negotiator_time_limit",
    "hidden_time_limit",
)
"""NegMAS keywords that are options of the mechanism (fixed values only)."""

_PATH_EXISTS = ("continue", "overwrite", "fail")


def negmas_cartesian_tournament(
    competitors: Sequence[Any],
    scenarios: Sequence[Any],
    opponents: Sequence[Any] | None = (),
    opponent_params: Sequence[Mapping[str, Any] | None] | None = None,
    opponent_names: Sequence[str] | None = None,
    private_infos: Any = None,
    competitor_params: Sequence[Mapping[str, Any] | None] | None = None,
    competitor_names: Sequence[str] | None = None,
    rotate_ufuns: bool = True,
    rotate_private_infos: bool = True,
    n_repetitions: int = 1,
    path: str | Path | None = None,
    path_exists: str = "continue",
    retry_failed_on_resume: bool = False,
    retry_timedout_on_resume: bool = False,
    njobs: int = 0,
    mechanism_type: type | None = None,
    mechanism_params: Mapping[str, Any] | None = None,
    n_steps: Any = 100,
    time_limit: Any = None,
    pend: Any = 0.0,
    pend_per_second: Any = 0.0,
    step_time_limit: Any = None,
    negotiator_time_limit: Any = None,
    hidden_time_limit: Any = None,
    external_timeout: Any = None,
    process_isolation: Any = None,
    allow_inline_fallback: Any = True,
    max_tasks_per_worker: Any = None,
    executor: str = "process",
    plot_fraction: float = 0.0,
    plot_params: Any = None,
    verbosity: int = 1,
    self_play: bool = True,
    randomize_runs: bool = True,
    sort_runs: Any = False,
    save_every: int = 0,
    save_stats: Any = True,
    save_scenario_figs: Any = True,
    recalculate_stats: Any = False,
    image_format: Any = None,
    opponent_modeling_metrics: Sequence[Any] = (),
    distribute_opponent_modeling_scores: Any = True,
    raw_aggregated_metrics: Mapping[str, Callable[[dict[str, float]], float]] | None = None,
    stats_aggregated_metrics: Mapping[str, Callable[[dict[tuple[str, str], float]], float]]
    | None = None,
    final_score: tuple[str, str] = ("advantage", "mean"),
    id_reveals_type: bool = False,
    name_reveals_type: bool = True,
    shorten_names: Any = None,
    raise_exceptions: Any = True,
    mask_scenario_names: Any = True,
    only_failures_on_self_play: bool = False,
    ignore_discount: bool = False,
    ignore_reserved: bool = False,
    normalize_ufuns: bool = True,
    reserved_value_eps: float = 0.0,
    storage_optimization: Any = "space",
    memory_optimization: Any = "balanced",
    storage_format: Any = None,
    save_negotiations_as_folders: Any = False,
    python_class_identifier: Any = None,
    before_start_callback: Any = None,
    progress_callback: Any = None,
    neg_start_callback: Any = None,
    after_construction_callback: Any = None,
    neg_progress_callback: Any = None,
    neg_end_callback: Any = None,
    after_end_callback: Any = None,
    metadata: Mapping[str, Any] | None = None,
    run_analysis: bool = False,
    analysis_plots: bool = False,
    analysis_kwargs: Any = None,
    *,
    seed: int | None = None,
    detail: str = "outcomes",
    hang_timeout: float | None = 60.0,
    negotiation_metrics: bool | None = None,
) -> SimpleTournamentResults:
    """Run a tournament as NegMAS's ``cartesian_tournament`` and return NegMAS's
    ``SimpleTournamentResults`` (see the module doc for every keyword).

    ``seed``, ``detail``, ``hang_timeout`` and ``negotiation_metrics`` are
    Palaver's (keyword-only): a seed makes the tournament reproducible,
    ``detail="offers"`` records every offer, and ``negotiation_metrics=False``
    leaves out the ``session_*`` and ``neg_*`` columns NegMAS always records
    (:mod:`~palaver.tournaments.negotiation.negotiation_metrics`; they cost
    about half a millisecond per negotiation). Not given, they are recorded,
    unless the call continues a folder written without them (by an older
    Palaver): that one resumes as it was written.

    NegMAS's ``external_timeout`` (seconds a negotiation may run before it is
    stopped) is ``hang_timeout``, Palaver's per-negotiation timer: give one of
    the two. A negotiation it stops is ``hung`` in
    Palaver's tables and, as in NegMAS, timed out (not an error) in ``details``
    and ``scores``.
    """
    given = dict(locals())
    if shorten_names is not None:
        warnings.warn(
            "cartesian_tournament: shorten_names is deprecated (as in NegMAS) and changes "
            "nothing; name competitors with competitor_names",
            DeprecationWarning,
            stacklevel=2,
        )
    check_distinct(competitors, competitor_params, competitor_names)
    if competitor_names is None:
        competitor_names = negmas_labels(competitors, competitor_params)
    if opponent_names is None and opponents:
        opponent_names = negmas_labels(opponents, opponent_params)
    for name, (default, why) in REFUSED.items():
        value = given[name]
        if not _is_default(value, default):
            raise ValueError(
                f"cartesian_tournament: {name}={value!r:.80} is not supported ({why}); "
                f"leave it at NegMAS's default {default!r}"
            )
    check_reveals_type(id_reveals_type, name_reveals_type)
    from palaver.tournaments.analysis.report import analysis_options, analyze_tournament

    analysis = analysis_options(run_analysis, analysis_plots, analysis_kwargs, path)
    if external_timeout is not None:
        if hang_timeout != 60.0:
            raise ValueError(
                f"give external_timeout or hang_timeout, not both (external_timeout="
                f"{external_timeout!r}, hang_timeout={hang_timeout!r}): they are one timer"
            )
        # Checked under its own name: the error would otherwise name hang_timeout.
        hang_timeout = check_real(
            "external_timeout", external_timeout, positive=True, type_error=ValueError
        )
    for name in ("mechanism_params", "metadata"):
        if given[name] is not None and not isinstance(given[name], Mapping):
            raise ValueError(f"{name} must be a dict or None, got {given[name]!r:.80}")
    check_aggregated_metrics(raw_aggregated_metrics, stats_aggregated_metrics)
    final = check_final_score(
        final_score, raw_aggregated_metrics or {}, stats_aggregated_metrics or {}, True
    )
    # Palaver ranks by the final score when it is one of its own (metric,
    # statistic); otherwise the view alone ranks by it.
    own = final[0] in PARTY_METRICS + NEGOTIATION_METRICS and final[1] in STATISTICS
    for name in ("before_start_callback", "after_construction_callback", "after_end_callback",
                 "progress_callback"):  # fmt: skip
        if given[name] is not None and not callable(given[name]):
            raise ValueError(f"{name} must be a function or None, got {given[name]!r:.80}")
    if executor not in ("process", "thread"):
        raise ValueError(f"executor must be 'process' or 'thread', got {executor!r}")
    if executor == "thread" and process_isolation:
        raise ValueError(
            "executor='thread' runs every negotiation in this process: it cannot be "
            "combined with process_isolation=True"
        )
    storage_level = optimization_level("storage_optimization", storage_optimization)
    storage = storage_format_of(storage_format, storage_level)
    if path_exists not in _PATH_EXISTS:
        raise ValueError(f"path_exists must be one of {list(_PATH_EXISTS)}, got {path_exists!r}")
    opponent_metrics = check_opponent_metrics(opponent_modeling_metrics, negmas=True)
    for flag in ("ignore_discount", "ignore_reserved", "normalize_ufuns",
                 "distribute_opponent_modeling_scores", "only_failures_on_self_play",
                 "retry_failed_on_resume", "retry_timedout_on_resume"):  # fmt: skip
        if not isinstance(given[flag], bool):
            raise ValueError(f"{flag} must be True or False, got {given[flag]!r}")
    # NegMAS's has_error and timedout records are Palaver's error, and hung or
    # timeout; without a path there is nothing to resume.
    rerun = (["error"] if retry_failed_on_resume else []) + (
        ["hung", "timeout"] if retry_timedout_on_resume else []
    )
    rerun = rerun if path is not None else []
    if path is not None and not isinstance(path, str | Path):
        raise ValueError(f"path must be a folder path or None, got {path!r}")
    limits = _overridden(dict(mechanism_params or {}), given)
    for name in _MECHANISM_LIMITS:
        value = given[name]
        if isinstance(value, tuple | list):
            raise ValueError(
                f"cartesian_tournament: {name}={value!r} draws a value per negotiation, "
                "which only n_steps and time_limit do here; give one number"
            )
        # NegMAS's "off": 0 for the probabilities, None or infinity for the time
        # limits; any other value goes to the mechanism, which checks it.
        off = _is_zero(value) if name.startswith("pend") else value is None or _is_inf(value)
        if not off:
            limits[name] = value
    # NegMAS's unlimited n_steps or time_limit may be infinity; Palaver's is None.
    n_steps = None if _is_inf(n_steps) else n_steps
    time_limit = None if _is_inf(time_limit) else time_limit
    eps = check_real("reserved_value_eps", reserved_value_eps, type_error=ValueError)
    prepared = prepared_scenarios(scenarios, ignore_discount, ignore_reserved, normalize_ufuns)
    if eps != 0:
        # Only when asked: with 0, Palaver's metrics already measure a party
        # without a finite reserved value from its lowest utility.
        for s in prepared:
            if isinstance(s, Scenario):
                check_and_correct_reserved_values(s, s.name, eps)
    early = negmas_config(
        given,
        early_setup(competitors, competitor_params, competitor_names, prepared, n_repetitions),
    )
    report_progress(progress_callback, early, 1, f"Loaded {len(competitors)} competitors")
    for i in range(len(prepared)):
        report_progress(progress_callback, early, 2, f"Processing scenario {i + 1}/{len(prepared)}")
    hooks = None
    if before_start_callback or after_construction_callback or after_end_callback:
        hooks = NegmasRunHooks(
            before_start_callback,
            after_construction_callback,
            after_end_callback,
            early,
            n_repetitions,
            dict(limits),
        )
    report_progress(
        progress_callback, early, 3, f"Starting the negotiations on {len(prepared)} scenarios"
    )
    root = None if path is None else Path(path)
    aside = None if root is None else prepare_folder(root, path_exists)
    if seed is None and root is not None and path_exists == "continue":
        seed = folder_seed(root)
    if negotiation_metrics is None:
        negotiation_metrics = (
            root is None or path_exists != "continue" or folder_metrics(root) is not False
        )
    try:
        results = palaver_tournament(
            competitors,
            prepared,
            n_repetitions=n_repetitions,
            n_steps=n_steps,
            time_limit=time_limit,
            rotate_ufuns=rotate_ufuns,
            self_play=self_play,
            path=path,
            competitor_params=competitor_params,
            competitor_names=competitor_names,
            seed=seed,
            detail=detail,
            hang_timeout=hang_timeout,
            final_score=final if own else ("advantage", "mean"),
            mechanism_params=limits or None,
            njobs=-1 if executor == "thread" else njobs,
            verbosity=verbosity,
            mechanism_type=mechanism_type,
            randomize_runs=randomize_runs,
            save_every=save_every,
            opponents=opponents,
            opponent_params=opponent_params,
            opponent_names=opponent_names,
            neg_start_callback=neg_start_callback,
            neg_progress_callback=neg_progress_callback,
            neg_end_callback=neg_end_callback,
            run_hooks=hooks,
            opponent_metrics=opponent_metrics,
            negotiation_metrics=negotiation_metrics,
            rerun=rerun,
        )
    finally:
        if root is not None and aside is not None:
            settle(root, aside)
    config = negmas_config(given, results.setup)
    view = SimpleTournamentResults(
        results,
        prepared,
        final_score=final,
        raw_aggregated_metrics=raw_aggregated_metrics,
        stats_aggregated_metrics=stats_aggregated_metrics,
        config=config,
    )
    view._load_frames()
    if root is not None:
        write_config(root, config)
        save_scenarios(root, prepared, save_stats, storage_level != "space")
        if has_pandas():
            write_frames(view, root, storage_level, storage)
    if analysis is not None and root is not None:
        analyze_tournament(view, output_dir=root / "analysis", **analysis)
    report_progress(progress_callback, config, 4, "Completed all negotiations")
    return view


def _overridden(params: dict[str, Any], given: Mapping[str, Any]) -> dict[str, Any]:
    """``mechanism_params`` without the limits NegMAS's own keywords set: NegMAS
    replaces ``mechanism_params``' ``n_steps``, ``time_limit``, ``pend``, ...
    by the keywords' values (defaults included), so this does too, with a
    ``TournamentWarning`` when a value given there is dropped."""
    from palaver.tournaments.runner import TournamentWarning

    dropped = {}
    for name in ("n_steps", "time_limit", *_MECHANISM_LIMITS):
        if name in params:
            value = params.pop(name)
            if value != given[name]:
                dropped[name] = (value, given[name])
    if dropped:
        listing = ", ".join(f"{k}={v!r} (used: {u!r})" for k, (v, u) in dropped.items())
        warnings.warn(
            f"cartesian_tournament: mechanism_params {listing}: as in NegMAS, the "
            "keywords of the same names win; pass them as keywords",
            TournamentWarning,
            stacklevel=3,
        )
    return params


def _is_default(value: Any, default: Any) -> bool:
    if default is None or isinstance(default, bool):
        return value is default or (isinstance(default, bool) and value == default)
    if isinstance(default, tuple):
        return isinstance(value, tuple | list) and not value
    return bool(value == default)


def _is_inf(value: Any) -> bool:
    return isinstance(value, float) and math.isinf(value)


def _is_zero(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == 0
