"""How well each negotiator modelled its opponents' utility functions.

With ``opponent_metrics``, a tournament compares, when each negotiation ends,
what each negotiator believes of its opponents with their real utility
functions (:func:`palaver.preferences.compare_ufuns`, one column
``opp_<metric>`` per metric in the parties table):

- two parties: the negotiator's ``opponent_ufun`` against the other's;
- more: each model in ``private_info["opponent_ufuns"]`` (keyed by the
  opponent's id or position) against that opponent's, averaged; without
  that dict, the one ``opponent_ufun`` against every opponent's, averaged.

A negotiator without a model scores NegMAS's "no model" value: -1 for
``"kendall"``, 0 for the others; so does a model that cannot be evaluated
(it raised). A position whose negotiator was never built is NaN.

NegMAS's scores view (``opponent_modeling_metrics``) then shares each
metric out within a negotiation (:func:`distributed`) and adds ``anl2026``,
the advantage plus the shared ``kendall_optimality`` (:func:`anl2026`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

__all__ = [
    "ANL2026",
    "METHODS",
    "NEGMAS_UNCOMPUTED",
    "anl2026",
    "check_opponent_metrics",
    "distributed",
    "metric_name",
    "negmas_columns",
    "opponent_scores",
]

#: The metrics by name (``compare_ufuns``'s methods).
METHODS = ("kendall", "kendall_optimality", "ndcg", "euclidean")
#: NegMAS's ANL 2026 score: advantage plus the shared kendall_optimality.
ANL2026 = "anl2026"

#: Names NegMAS's ``cartesian_tournament`` documents but its ``compare_ufuns``
#: does not compute: NegMAS scores every negotiator 0.0 with them, so they are
#: refused here rather than filled with a constant.
NEGMAS_UNCOMPUTED = (
    "ordinal_optimality",
    "cardinal_optimality",
    "utility_optimality",
    "pareto_optimality",
    "nash_optimality",
    "kalai_optimality",
    "max_welfare_optimality",
)

Metric = str | Callable[[Any, Any], float]


def metric_name(metric: Metric) -> str:
    """The metric's name (its column is ``opp_<name>``)."""
    return metric if isinstance(metric, str) else str(getattr(metric, "__name__", metric))


def check_opponent_metrics(metrics: Any, negmas: bool = False) -> tuple[Metric, ...]:
    """``metrics`` checked: each one of :data:`METHODS` or a function of two
    utility vectors, no name twice. With ``negmas``, :data:`ANL2026` is
    accepted too and stands for ``kendall_optimality`` (what is computed).

    Raises:
        ValueError: Not a list, an unknown name or a name twice.
    """
    if isinstance(metrics, str) or not isinstance(metrics, Sequence):
        raise ValueError(f"opponent metrics must be a list of metrics, got {metrics!r:.80}")
    known = (*METHODS, ANL2026) if negmas else METHODS
    out: list[Metric] = []
    for m in metrics:
        if isinstance(m, str) and m in NEGMAS_UNCOMPUTED:
            raise ValueError(
                f"opponent-model metric {m!r} is listed in NegMAS's documentation but NegMAS "
                "does not compute it (every score would be 0.0); use one of "
                f"{list(known)} or a function of two utility vectors"
            )
        if isinstance(m, str) and m not in known:
            raise ValueError(
                f"unknown opponent-model metric {m!r}: one of {list(known)} or a function "
                "of two utility vectors"
            )
        if not isinstance(m, str) and not callable(m):
            raise ValueError(f"an opponent-model metric must be a name or a function, got {m!r}")
        computed = "kendall_optimality" if m == ANL2026 else m
        if metric_name(computed) not in {metric_name(x) for x in out}:
            out.append(computed)
    names = [metric_name(m) for m in metrics]
    if len(set(names)) != len(names):
        raise ValueError(f"an opponent-model metric is named twice in {names}")
    return tuple(out)


def _compare(model: Any, actual: Any, metric: Metric, space: Any) -> float:
    from palaver.preferences import compare_ufuns

    try:
        # metric was checked to be one of compare_ufuns's methods (check_opponent_metrics)
        return float(compare_ufuns(model, actual, method=metric, outcome_space=space))  # type: ignore[arg-type]
    except Exception:
        return -1.0 if metric == "kendall" else 0.0  # NegMAS's "no usable model"


def opponent_scores(
    negotiators: Sequence[Any], ufuns: Sequence[Any], metrics: Sequence[Metric], space: Any
) -> list[tuple[float, ...]]:
    """Per position, one score per metric (see the module doc); ``ufuns`` are
    the utility functions held at each position."""
    n = len(ufuns)
    out = []
    for i in range(n):
        if i >= len(negotiators):
            out.append(tuple(math.nan for _ in metrics))
            continue
        me = negotiators[i]
        others = [j for j in range(n) if j != i]
        models = (getattr(me, "private_info", None) or {}).get("opponent_ufuns") if n > 2 else None
        row = []
        for metric in metrics:
            if not models:
                scores = [_compare(me.opponent_ufun, ufuns[j], metric, space) for j in others]
            else:
                scores = []
                for j in others:
                    model = models.get(negotiators[j].id, models.get(str(j)))
                    if model is not None:
                        scores.append(_compare(model, ufuns[j], metric, space))
            none = -1.0 if metric == "kendall" else 0.0
            row.append(sum(scores) / len(scores) if scores else none)
        out.append(tuple(row))
    return out


def distributed(values: Sequence[float]) -> list[float]:
    """``values`` as shares of their (non-NaN) total; all 0 when the total is not positive."""
    total = sum(v for v in values if not math.isnan(v))
    if total <= 0:
        return [0.0 for _ in values]
    return [v / total for v in values]


def anl2026(advantages: Sequence[float], kendall_optimality: Sequence[float]) -> list[float]:
    """NegMAS's ANL 2026 score per position: the advantage plus the position's
    share of ``kendall_optimality`` (the advantage alone where that is NaN)."""
    shares = distributed(kendall_optimality)
    return [a if math.isnan(k) else a + k for a, k in zip(advantages, shares, strict=True)]


def negmas_columns(
    run: Mapping[str, Any], advantages: Sequence[float], distribute: bool, with_anl2026: bool
) -> dict[str, list[float]]:
    """NegMAS's ``opp_*`` values per position of one negotiation's record
    (``run``, whose ``opp_*`` entries are the parties' raw scores): shared out
    with ``distribute``, and ``opp_anl2026`` added with ``with_anl2026``."""
    raw = {k: [float(v) for v in vs] for k, vs in run.items() if k.startswith("opp_")}
    out = {k: distributed(vs) if distribute else vs for k, vs in raw.items()}
    if with_anl2026 and "opp_kendall_optimality" in raw:
        out["opp_anl2026"] = anl2026(advantages, raw["opp_kendall_optimality"])
    return out
