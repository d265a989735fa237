"""What NegMAS's negotiation figure shows, gathered from a mechanism, a
completed run or a saved trace: the offers, the two negotiators of the 2D
plot, the outcomes, the Pareto frontier, the solution points and the
agreement's distances to them (see :mod:`palaver.report.negmas_figure`)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from palaver.report.negmas_options import PlotOptions

_LEVELS = 10
"""Values per continuous issue when the outcomes are sampled (NegMAS's ``levels``)."""


@dataclass(frozen=True)
class Offer:
    """One offer of the trace (the fields of NegMAS's ``TraceElement`` drawn)."""

    time: float
    relative_time: float
    step: int
    negotiator: str
    outcome: Any
    element: Any


@dataclass(frozen=True)
class RunData:
    """A negotiation as NegMAS's figure needs it.

    Attributes:
        ids: The negotiators' ids, in order.
        names: Their names (the labels).
        ufuns: Their utility functions.
        offers: Every offer, oldest first.
        agreement: The agreement, or ``None``.
        end_reason: The annotation saying how it ended (``None``: none).
        outcome_space: The outcome space (for the outcomes drawn).
        outcomes: The outcomes drawn (``None``: enumerated or sampled from the space).
        stem: The file name (without extension) of a saved figure.
    """

    ids: list[str]
    names: list[str]
    ufuns: list[Any]
    offers: list[Offer]
    agreement: Any
    end_reason: str | None
    outcome_space: Any
    outcomes: list[Any] | None
    stem: str


def end_reason(timedout: bool, broken: bool, has_error: bool, errstr: str, agreement: Any) -> str:
    """NegMAS's words for how a negotiation ended."""
    if timedout:
        return "Negotiation Timedout"
    if agreement is not None:
        return "Negotiation Success"
    if has_error:
        return f"Negotiation ERROR: {errstr}"
    if broken:
        return "Negotiation Ended"
    return "No Agreement"


def offers_of(trace: Sequence[Any]) -> list[Offer]:
    """The offers of a full trace (``TraceElement``\\ s, their tuples, or the
    dicts a loaded run holds)."""
    out = []
    for i, element in enumerate(trace):
        if isinstance(element, dict):
            # Without these keys every offer was drawn as "None"'s, or as no offer at all.
            lacking = [k for k in ("negotiator", "offer") if k not in element]
            if lacking:
                raise ValueError(
                    f"trace[{i}] lacks the key(s) {lacking}; a full trace's dicts hold "
                    f"'negotiator' and 'offer' (and 'time', 'relative_time', 'step'), got "
                    f"{sorted(element)!r:.80}"
                )
            values = [element.get(k) for k in ("time", "relative_time", "step", "negotiator")]
            values.append(element.get("offer"))
        elif isinstance(element, Sequence) and len(element) >= 5:
            values = list(element[:5])
        else:
            raise ValueError(
                f"trace[{i}] is {element!r:.80}; a full trace holds NegMAS's TraceElement "
                "(time, relative_time, step, negotiator, offer, ...)"
            )
        time, relative, step, who, outcome = values
        if isinstance(outcome, list):
            outcome = tuple(outcome)
        out.append(
            Offer(
                time=math.nan if time is None else float(time),
                relative_time=math.nan if relative is None else float(relative),
                step=int(step) if step is not None else i,
                negotiator=str(who),
                outcome=outcome,
                element=element,
            )
        )
    return out


def pick(ids: Sequence[str], wanted: tuple[int | str, int | str]) -> tuple[int, int]:
    """The indices of the 2D plot's two negotiators, given as indices or ids."""
    chosen = []
    for who in wanted:
        if isinstance(who, int) and not isinstance(who, bool):
            if not -len(ids) <= who < len(ids):
                raise ValueError(
                    f"plotting negotiator {who} is out of range: the run has {len(ids)} "
                    f"negotiators ({list(ids)})"
                )
            chosen.append(who % len(ids))
        elif who in ids:
            chosen.append(list(ids).index(str(who)))
        else:
            raise ValueError(
                f"plotting negotiator {who!r:.60} is not one of the run's negotiators {list(ids)}"
            )
    return chosen[0], chosen[1]


def utility(ufun: Any, outcome: Any) -> float:
    """``ufun(outcome)`` as a float (NaN when the function gives none)."""
    value = ufun(outcome)
    return math.nan if value is None else float(value)


@dataclass(frozen=True)
class Solutions:
    """The 2D plot's outcomes and solution points, in the two negotiators' utilities."""

    outcomes: np.ndarray
    frontier: np.ndarray
    points: dict[str, np.ndarray]


def solutions(run: RunData, pair: tuple[int, int], options: PlotOptions) -> Solutions:
    """The outcomes in the pair's utilities, and (unless ``fast``) the Pareto
    frontier and the Nash, Kalai, KS, max-welfare and max-relative-welfare
    points, on the frontier of the convex hull when ``convex_hull``."""
    from palaver.preferences import pareto_frontier_convex_hull
    from palaver.preferences.frontier_points import (
        kalai_points,
        ks_points,
        max_relative_welfare_points,
        nash_points,
        pareto_utilities,
        welfare_points,
    )

    ufuns = [run.ufuns[pair[0]], run.ufuns[pair[1]]]
    outcomes = run.outcomes
    if outcomes is None:
        if run.outcome_space is None:
            raise ValueError(
                "the figure needs the outcome space or the outcomes; the run has neither"
            )
        # Seeded: past enumerate_or_sample's 10,000 outcomes it samples, and unseeded each
        # figure of the same run drew other outcomes, another frontier, other distances.
        outcomes = list(run.outcome_space.enumerate_or_sample(levels=_LEVELS, seed=0))
    utils = np.array([[utility(u, o) for u in ufuns] for o in outcomes], dtype=float)
    utils = utils.reshape(-1, 2)
    empty = np.empty((0, 2))
    if options.fast or not len(outcomes):
        return Solutions(utils, empty, {})
    if options.convex_hull:
        finite = np.isfinite(utils).all(axis=1)
        rows = pareto_frontier_convex_hull(utils[finite], sort_by_welfare=True)
        frontier = [tuple(float(v) for v in utils[finite][i]) for i in rows]
    else:
        found, _ = pareto_utilities(ufuns, outcomes)
        frontier = [tuple(map(float, p)) for p in found]
    makers: dict[str, Callable[..., Any]] = {
        "Nash": nash_points,
        "Kalai": kalai_points,
        "KS": ks_points,
        "Max. Welfare": welfare_points,
        "Max. Relative Welfare": max_relative_welfare_points,
    }
    points = {}
    for label, make in makers.items():
        found_points = make(ufuns, frontier, outcomes=outcomes) if frontier else ()
        points[label] = np.array([p for p, _ in found_points], dtype=float).reshape(-1, 2)
    return Solutions(utils, np.array(frontier, dtype=float).reshape(-1, 2), points)


def distances(agreed: tuple[float, float] | None, found: Solutions) -> dict[str, float]:
    """The agreement's Euclidean distance to the frontier and to each kind of
    solution point (the nearest of each), in the pair's utilities."""
    if agreed is None or not all(math.isfinite(v) for v in agreed):
        return {}
    here = np.asarray(agreed, dtype=float)

    def nearest(points: np.ndarray) -> float:
        return float(np.min(np.linalg.norm(points - here, axis=1))) if len(points) else math.nan

    out = {"Pareto": nearest(found.frontier)}
    out.update({label: nearest(points) for label, points in found.points.items()})
    return out
