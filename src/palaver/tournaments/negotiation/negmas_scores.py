"""NegMAS's score rows: one per negotiator of a negotiation's record (``make_scores``).

A NegMAS run record is a dict with the negotiation's ``utilities``,
``partners`` (the negotiators' names), ``reserved_values``, ``max_utils``,
``negotiator_ids``, ``has_error``, ``erred_negotiator``, ``error_details`` and
``scenario``, and optionally ``min_utils``, ``negotiator_times``,
``mechanism_name`` and the optimality columns. :func:`make_scores` turns one
into NegMAS's score rows;
:class:`~palaver.tournaments.negotiation.negmas_results.SimpleTournamentResults`
builds its ``scores`` with :func:`score_rows`, giving Palaver's advantage.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

__all__ = [
    "OPTIMALITY_COLS",
    "SUMMARY_STATISTICS",
    "aggregate",
    "check_aggregated_metrics",
    "check_final_score",
    "describe_by",
    "is_number",
    "make_scores",
    "negmas_advantage",
    "score_rows",
]

#: NegMAS's optimality columns of ``scores`` and ``details`` (1 at the
#: solution point, 0 at the utility box's diagonal away from it).
OPTIMALITY_COLS = (
    "nash_optimality",
    "kalai_optimality",
    "ks_optimality",
    "max_welfare_optimality",
    "pareto_optimality",
    "fairness",
    "modified_kalai_optimality",
    "modified_ks_optimality",
)

_REQUIRED = (
    "utilities",
    "partners",
    "reserved_values",
    "negotiator_ids",
    "max_utils",
    "has_error",
    "erred_negotiator",
    "error_details",
    "scenario",
)

RawMetric = Callable[[dict[str, float]], float]


def negmas_advantage(utility: float, reserved: float, best: float, worst: float) -> float:
    """NegMAS's advantage: ``(u - r) / (max - r)``; ``u - min`` when the reserved
    value is ``-inf`` or NaN (0 when ``min`` is NaN too); 0 when ``max == r``."""
    if (math.isinf(reserved) and reserved < 0) or math.isnan(reserved):
        return utility - worst if not math.isnan(worst) else 0.0
    if best != reserved:
        return (utility - reserved) / (best - reserved)
    return 0.0


def make_scores(
    record: Mapping[str, Any],
    scored_indices: Sequence[int] | None = None,
    raw_aggregated_metrics: Mapping[str, RawMetric] | None = None,
) -> list[dict[str, Any]]:
    """NegMAS's ``make_scores``: the score rows of one negotiation's record.

    One dict per negotiator (only those at ``scored_indices`` when given, as
    in NegMAS's explicit opponent mode) with ``strategy`` (its name in
    ``partners``), ``utility``, ``reserved_value``, ``advantage`` (NegMAS's:
    see :func:`negmas_advantage`), ``partner_welfare`` and ``welfare`` (mean
    utilities of the others and of all), ``scenario``, ``partners`` (the
    other's name, or a tuple of the others' with more than two), ``time``,
    ``negotiator_id``, ``has_error``, ``self_error``, ``mechanism_error``,
    ``error_details``, ``mechanism_name``, the record's optimality columns
    (:data:`OPTIMALITY_COLS`), and a column per ``raw_aggregated_metrics``
    entry computed from the row's numbers (a function that raises is a
    ``ValueError`` naming it).

    Raises:
        ValueError: ``record`` is not a mapping, lacks a key NegMAS requires,
            or its per-negotiator lists differ in length.
    """
    if not isinstance(record, Mapping):
        raise ValueError(f"make_scores: record must be a dict, got {record!r:.80}")
    missing = [k for k in _REQUIRED if k not in record]
    if missing:
        raise ValueError(f"make_scores: record lacks {missing}; it has {sorted(record)}")
    n = len(record["utilities"])
    worst = list(record.get("min_utils") or [math.nan] * n)
    times = list(record.get("negotiator_times") or [None] * n)
    lists = {
        "partners": record["partners"],
        "reserved_values": record["reserved_values"],
        "negotiator_ids": record["negotiator_ids"],
        "max_utils": record["max_utils"],
        "min_utils": worst,
        "negotiator_times": times,
    }
    uneven = {k: len(v) for k, v in lists.items() if len(v) != n}
    if uneven:
        raise ValueError(
            f"make_scores: {n} utilities but {uneven} entries: one per negotiator each"
        )
    utils = [float(u) for u in record["utilities"]]

    def advantage(i: int) -> float:
        return negmas_advantage(
            utils[i], float(record["reserved_values"][i]), float(record["max_utils"][i]),
            float(worst[i]),
        )  # fmt: skip

    return score_rows(record, advantage, scored_indices, raw_aggregated_metrics, times)


def score_rows(
    record: Mapping[str, Any],
    advantage: Callable[[int], float],
    scored_indices: Sequence[int] | None = None,
    raw_aggregated_metrics: Mapping[str, RawMetric] | None = None,
    times: Sequence[Any] | None = None,
) -> list[dict[str, Any]]:
    """The score rows of ``record`` with ``advantage(i)`` as negotiator ``i``'s
    advantage (see :func:`make_scores` for the columns)."""
    names = list(record["partners"])
    utils = [float(u) for u in record["utilities"]]
    n = len(utils)
    has_error = bool(record["has_error"])
    erred = record["erred_negotiator"]
    mech_error = has_error and not erred
    rows = []
    for i, name in enumerate(names):
        if scored_indices is not None and i not in scored_indices:
            continue
        nid = record["negotiator_ids"][i]
        others = [u for j, u in enumerate(utils) if j != i]
        row: dict[str, Any] = {
            "strategy": name,
            "utility": utils[i],
            "reserved_value": float(record["reserved_values"][i]),
            "advantage": advantage(i),
            "partner_welfare": sum(others) / (n - 1) if n > 1 else math.nan,
            "welfare": sum(utils) / n,
            "scenario": record["scenario"],
            "partners": names[1 - i] if n == 2 else tuple(x for j, x in enumerate(names) if j != i),
            "time": math.nan if times is None or times[i] is None else times[i],
            "negotiator_id": nid,
            "has_error": has_error,
            "self_error": has_error and not mech_error and erred == nid,
            "mechanism_error": mech_error,
            "error_details": record["error_details"],
            "mechanism_name": record.get("mechanism_name", ""),
        }
        for col in OPTIMALITY_COLS:
            if col in record:
                row[col] = record[col]
        numbers = {k: v for k, v in row.items() if is_number(v)}
        for metric, f in (raw_aggregated_metrics or {}).items():
            row[metric] = aggregate(
                "raw_aggregated_metrics", metric, f, numbers,
                f"{name!r}'s row of negotiation {record.get('run_id', '?')!r}",
            )  # fmt: skip
        rows.append(row)
    return rows


def aggregate(label: str, metric: str, f: Callable[[Any], float], values: Any, where: str) -> Any:
    """``f(values)``; a function that raises is an error naming it and the row
    (NegMAS records NaN instead, which hides a broken metric)."""
    try:
        return f(values)
    except Exception as exc:
        raise ValueError(
            f"{label}[{metric!r}] raised {type(exc).__name__}: {exc} on {where}"
        ) from exc


def is_number(value: Any) -> bool:
    """Whether ``value`` is a number (an int or float, not a bool)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


#: The statistics of :attr:`SimpleTournamentResults.scores_summary` (pandas'
#: ``describe``; ``50%`` is the median).
SUMMARY_STATISTICS = ("count", "mean", "std", "min", "25%", "50%", "75%", "max")


def describe_by(frame: Any, key: str) -> Any:
    """``frame.groupby(key).describe()`` (its numeric columns' :data:`SUMMARY_STATISTICS`
    per group, columns ``(metric, stat)``), computed a statistic at a time over
    every column: pandas' own describes each group's columns one by one, which
    cost more than the rest of a tournament's frames once they held NegMAS's
    session and negotiator metrics."""
    import pandas as pd

    numeric = [
        c for c in frame.columns
        if c != key and pd.api.types.is_numeric_dtype(frame[c])
        and not pd.api.types.is_bool_dtype(frame[c])
    ]  # fmt: skip
    groups = frame.loc[:, [key, *numeric]].groupby(key)
    stats = {
        "count": groups.count().astype(float),
        "mean": groups.mean(),
        "std": groups.std(),
        "min": groups.min(),
        "25%": groups.quantile(0.25),
        "50%": groups.quantile(0.5),
        "75%": groups.quantile(0.75),
        "max": groups.max(),
    }
    out = pd.concat(stats, axis=1).swaplevel(0, 1, axis=1)
    return out.reindex(columns=pd.MultiIndex.from_product([numeric, SUMMARY_STATISTICS]))


_SCORE_METRICS = ("utility", "reserved_value", "advantage", "partner_welfare", "welfare")
"""The measured numeric columns of ``scores`` (``time`` is not measured: NaN)."""


def check_aggregated_metrics(raw: Any, stats: Any) -> None:
    """Refuse ``raw_aggregated_metrics`` or ``stats_aggregated_metrics`` that do
    not map metric names to functions (``ValueError`` naming which)."""
    for label, given in (("raw_aggregated_metrics", raw), ("stats_aggregated_metrics", stats)):
        if given is not None and (
            not isinstance(given, Mapping)
            or not all(isinstance(k, str) and callable(f) for k, f in given.items())
        ):
            raise ValueError(f"{label} must map metric names to functions, got {given!r:.80}")


def check_final_score(
    final_score: Any,
    raw_aggregated_metrics: Mapping[str, Any],
    stats_aggregated_metrics: Mapping[str, Any],
    optimality: bool,
) -> tuple[str, str]:
    """``final_score`` as ``(metric, statistic)``, a column of ``scores_summary``
    (as NegMAS reads it): a ``scores`` metric (the optimality columns when the
    scenarios are known, ``raw_aggregated_metrics``' names) with a statistic of
    :data:`SUMMARY_STATISTICS`, or a ``stats_aggregated_metrics`` name with
    ``"value"``. Anything else is a ``ValueError`` naming what is allowed: the
    column would be missing and ``final_scores`` empty."""
    metrics = [*_SCORE_METRICS, *(OPTIMALITY_COLS if optimality else ()), *raw_aggregated_metrics]
    ok = (
        isinstance(final_score, tuple | list)
        and len(final_score) == 2
        and all(isinstance(x, str) for x in final_score)
    )
    metric, stat = final_score if ok else ("", "")
    if metric in stats_aggregated_metrics and stat == "value":
        return (metric, stat)
    if not (ok and metric in metrics and stat in SUMMARY_STATISTICS):
        custom = [f"({m!r}, 'value')" for m in stats_aggregated_metrics]
        raise ValueError(
            f"final_score must be (metric, statistic), a column of scores_summary: a metric "
            f"in {metrics} with a statistic in {list(SUMMARY_STATISTICS)} ('50%' is the "
            f"median){', or one of ' + ', '.join(custom) if custom else ''}; got {final_score!r}"
        )
    return (metric, stat)
