"""Helpers shared by every side script (Palaver's and the peers').

Side scripts run in two different virtual environments, so this module uses
only the standard library and numpy. A side script measures its own work with
:class:`Meter` and ends by printing exactly one JSON line with :func:`emit`;
the harness (``run.py``) reads that line from the child's stdout.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

import numpy as np

RESULT_PREFIX = "BENCH-RESULT "
"""Marks the result line on stdout, so that chatty libraries cannot confuse the harness."""


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def current_rss_mb() -> float:
    """Current resident memory of this process, in MiB (from /proc; 0 if unavailable)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            pages = int(f.read().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * resource.getpagesize() / (1024.0 * 1024.0)


class Meter:
    """Wall-clock and CPU time of a block, with the process's memory around it.

    Use as a context manager; after the block, :meth:`figures` gives ``wall_s``,
    ``cpu_s``, ``rss_before_mb`` (memory when the block started: interpreter,
    imports, set-up) and ``peak_rss_mb`` (peak of the whole process).
    """

    def __init__(self) -> None:
        self.wall_s = 0.0
        self.cpu_s = 0.0
        self.rss_before_mb = 0.0
        self._t0 = 0.0
        self._c0 = 0.0

    def __enter__(self) -> Meter:
        self.rss_before_mb = current_rss_mb()
        self._t0 = time.perf_counter()
        self._c0 = time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall_s = time.perf_counter() - self._t0
        self.cpu_s = time.process_time() - self._c0

    def figures(self) -> dict[str, float]:
        """The measured figures as a plain dict."""
        return {
            "wall_s": self.wall_s,
            "cpu_s": self.cpu_s,
            "rss_before_mb": self.rss_before_mb,
            "peak_rss_mb": peak_rss_mb(),
        }


def emit(result: dict[str, Any]) -> None:
    """Print the one result line the harness reads."""
    sys.stdout.write(RESULT_PREFIX + json.dumps(result, default=str) + "\n")
    sys.stdout.flush()


def run_side(
    main: Callable[[argparse.Namespace], dict[str, Any]], parser: argparse.ArgumentParser
) -> None:
    """Parse arguments, run ``main`` and emit its result, or an ``error`` result.

    A missing piece (an ``ImportError`` or ``AttributeError`` from the framework
    under test) and any other failure both end in an error line with the
    exception and the last traceback lines, and exit status 1.
    """
    args = parser.parse_args()
    try:
        result = main(args)
    except Exception as exc:  # report any failure to the harness, then exit non-zero
        tb = traceback.format_exc().strip().splitlines()
        emit({"error": f"{type(exc).__name__}: {exc}", "traceback": tb[-8:]})
        sys.exit(1)
    emit(result)


def opposing_weights(seed: int, n: int, n_issues: int = 3) -> np.ndarray:
    """Weights for ``n`` negotiations: array ``(n, 2, n_issues)`` in [0, 1).

    Negotiation ``i`` uses ``w[i, 0]`` for the first negotiator (utility grows
    with every issue value) and ``-w[i, 1]`` for the second (utility falls), so
    their preferences oppose. Both sides of a benchmark call this with the same
    seed and get the same numbers; a longer run extends a shorter one.
    """
    rng = np.random.default_rng(seed)
    return rng.random((n, 2, n_issues))


def opposing_inputs(
    seed: int, n: int, n_issues: int, top: int
) -> list[tuple[list[float], list[float], float]]:
    """Each negotiation's utility-function arguments, as Python numbers, made before timing.

    ``(first weights, second weights, second reserved value)`` for negotiation
    ``i``: ``w[i, 0]``, ``-w[i, 1]`` and ``-top * sum(w[i, 1])`` (the second
    utility's minimum) of :func:`opposing_weights`. Both sides build them
    outside the timed loop, so the timed work is the frameworks' own.
    """
    return [
        (w[0].tolist(), (-w[1]).tolist(), float(-top * w[1].sum()))
        for w in opposing_weights(seed, n, n_issues)
    ]


def trips_preferences(seed: int, n_agents: int) -> tuple[np.ndarray, np.ndarray]:
    """TripsWorld weights ``(n_agents, 3)`` in [-0.5, 0.5) and breach probabilities in [0, 0.1)."""
    rng = np.random.default_rng(seed)
    weights = rng.random((n_agents, 3)) - 0.5
    breach = rng.random(n_agents) * 0.1
    return weights, breach


TRIPS_RANGES = ((0.0, 1.0), (0.0, 1.0), (1.0, 7.0))
"""The numeric range of each TripsWorld issue: cost, active, duration."""


def trips_reserved(weights: np.ndarray, mode: str) -> np.ndarray:
    """Reserved values per agent: ``zero`` (the tutorial's) or ``floor``.

    ``floor`` is each agent's lowest utility over the TripsWorld space, so that
    no agent finds every outcome worse than no deal.
    """
    if mode == "zero":
        return np.zeros(len(weights))
    if mode != "floor":
        raise ValueError(f"unknown reserved-value mode {mode!r}; use 'zero' or 'floor'")
    lows = np.array([lo for lo, _ in TRIPS_RANGES])
    highs = np.array([hi for _, hi in TRIPS_RANGES])
    return np.minimum(weights * lows, weights * highs).sum(axis=1)


def trips_parser(description: str | None) -> argparse.ArgumentParser:
    """The Workload 2 arguments both sides take (the same world on each)."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--agents", type=int, default=10)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--quota", type=int, default=8)
    p.add_argument("--neg-n-steps", type=int, default=100)
    p.add_argument(
        "--reserved",
        choices=["zero", "floor"],
        default="zero",
        help="reserved values: 0 as in the tutorial, or each agent's lowest utility",
    )
    return p


def summarize_negotiations(rounds: list[int], agreements: int) -> dict[str, float | int]:
    """The outcome statistics both sides report: count, agreement rate, mean rounds."""
    n = len(rounds)
    return {
        "negotiations": n,
        "agreements": agreements,
        "agreement_rate": agreements / n if n else 0.0,
        "mean_rounds": float(np.mean(rounds)) if n else 0.0,
        "total_rounds": int(np.sum(rounds)) if n else 0,
    }


W4_N_VALUES = 10
W4_N_ISSUES = 3
W4_COMPETITORS = ("Boulware", "Conceder", "Linear", "MiCRO", "NaiveTitForTat", "Random")
"""Workload 4's competitors, in tournament order (each side maps them to its own classes)."""


def w4_scenarios(seed: int, n: int) -> list[dict[str, Any]]:
    """The numbers of Workload 4's ``n`` scenarios, the same on both sides.

    Each scenario: three integer issues of 10 values (1,000 outcomes); for each
    of two parties a value table per issue (``values[p][j][v]`` in [0, 1)),
    weights summing to 1 and a reserved value in [0, 0.3). Both sides build
    linear-additive utility functions ``sum_j w[p][j] * values[p][j][x_j]``
    from them (no normalisation on either side).
    """
    rng = np.random.default_rng(seed)
    out = []
    for s in range(n):
        values = rng.random((2, W4_N_ISSUES, W4_N_VALUES))
        weights = rng.random((2, W4_N_ISSUES))
        weights /= weights.sum(axis=1, keepdims=True)
        reserved = rng.random(2) * 0.3
        out.append(
            {
                "name": f"w4s{s:02d}",
                "values": values.tolist(),
                "weights": weights.tolist(),
                "reserved": reserved.tolist(),
            }
        )
    return out
