"""The records every analysis reads: one row per negotiator side of a
bilateral negotiation.

Columns (:data:`COMMON_COLUMNS`): ``strategy`` (who is scored), ``partner``
(its opponent), ``scenario``, ``utility``, ``reserved_value`` and
``advantage``. Negotiations with more than two parties have no pairwise
payoff, so they are left out, with a ``UserWarning`` saying how many.

:func:`load_records` takes a negotiation tournament's results (NegMAS's
``SimpleTournamentResults`` or a folder holding one), a world tournament's
results, or a frame that already has the columns.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from palaver.tournaments.analysis.payoff import pandas

__all__ = [
    "COMMON_COLUMNS",
    "load_records",
    "records_from_path",
    "records_from_simple_results",
    "records_from_situated",
]

COMMON_COLUMNS = ["strategy", "partner", "scenario", "utility", "reserved_value", "advantage"]


def _partners(value: Any) -> list[Any]:
    """The partners of a scores row as a list: a bare name (bilateral), a
    tuple or list, or a tuple's text as a CSV file gives it back."""
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, str) and value.strip()[:1] in ("(", "["):
        try:
            parsed = ast.literal_eval(value.strip())
        except (ValueError, SyntaxError):
            return [value]
        if isinstance(parsed, (list, tuple)):
            return list(parsed)
    if hasattr(value, "tolist") and not isinstance(value, str):
        return list(value.tolist())  # a numpy array from a parquet list column
    return [value]


def _from_scores(scores: Any) -> Any:
    pd = pandas("load_records")
    if scores is None or len(scores) == 0:
        return pd.DataFrame(columns=COMMON_COLUMNS)
    missing = [c for c in ("strategy", "partners", "scenario", "utility") if c not in scores]
    if missing:
        raise ValueError(
            f"the scores lack the column(s) {missing}; they have {list(scores.columns)}"
        )
    partners = scores["partners"].map(_partners)
    bilateral = partners.map(len) == 1
    dropped = int((~bilateral).sum())
    if dropped:
        warnings.warn(
            f"left out {dropped} record(s) of negotiations with more than two parties: "
            "payoff tables, equilibria and replicator dynamics are defined for pairs only",
            UserWarning,
            stacklevel=3,
        )
    out = scores.loc[bilateral].copy()
    out["partner"] = partners[bilateral].map(lambda p: p[0])
    for column in ("reserved_value", "advantage"):
        if column not in out:
            out[column] = float("nan")
    return out[COMMON_COLUMNS].reset_index(drop=True)


def records_from_simple_results(results: Any) -> Any:
    """The records of a negotiation tournament's results (their ``scores``)."""
    return _from_scores(results.scores)


def records_from_path(path: str | Path) -> Any:
    """The records of the negotiation tournament saved in the folder ``path``."""
    from palaver.tournaments.negotiation.negmas_results import SimpleTournamentResults

    return records_from_simple_results(SimpleTournamentResults.load(Path(path)))


def _situated_scores(results: Any) -> Any:
    """``agent_type``, ``world``, ``score`` rows of a world tournament's results
    (Palaver's ``TournamentResults``, whose ``scores()`` is a method, or
    anything with NegMAS's ``scores`` frame)."""
    scores = results.scores
    scores = scores() if callable(scores) else scores
    renames = {"competitor": "agent_type", "world_id": "world"}
    return scores.rename(columns={k: v for k, v in renames.items() if v not in scores})


def records_from_situated(results: Any) -> Any:
    """The records of a world tournament with two competitors per world.

    Each world with exactly two distinct competitor types (types listed in
    ``params["non_competitors"]`` are not counted) gives one record per agent,
    its score as ``utility`` against the other type (``reserved_value`` and
    ``advantage`` are NaN). Other worlds are left out with a ``UserWarning``;
    when ``params["n_competitors_per_world"]`` is given and is not 2, every
    world is (the tournament is not bilateral)."""
    pd = pandas("records_from_situated")
    empty = pd.DataFrame(columns=COMMON_COLUMNS)
    scores = _situated_scores(results)
    if len(scores) == 0 or "agent_type" not in scores:
        return empty
    params = getattr(results, "params", None)
    params = params if isinstance(params, Mapping) else {}
    per_world = params.get("n_competitors_per_world")
    if per_world is not None and per_world != 2:
        warnings.warn(
            f"the tournament has n_competitors_per_world={per_world}, not 2: "
            "no pairwise records can be made of it",
            UserWarning,
            stacklevel=2,
        )
        return empty
    outsiders = set(params.get("non_competitors") or ())
    rows, skipped = [], 0
    for world, group in scores.groupby("world", sort=True):
        agents = group.loc[~group["agent_type"].isin(outsiders), ["agent_type", "score"]]
        pairs = list(agents.itertuples(index=False, name=None))
        if len({t for t, _ in pairs}) != 2:
            skipped += 1
            continue
        nan = float("nan")
        for i, (kind, score) in enumerate(pairs):
            for j, (other, _) in enumerate(pairs):
                if i != j and other != kind:
                    rows.append([kind, other, str(world), float(score), nan, nan])
    if skipped:
        warnings.warn(
            f"left out {skipped} world(s) without exactly two distinct competitor types "
            "(non_competitors are not counted): a pairwise payoff needs two",
            UserWarning,
            stacklevel=2,
        )
    return pd.DataFrame(rows, columns=COMMON_COLUMNS)


def load_records(source: Any) -> Any:
    """The records of ``source``: a folder path (a negotiation tournament), a
    negotiation tournament's results, a world tournament's results (a folder's
    or :func:`~palaver.tournaments.neg_tournament`'s), or a frame
    with :data:`COMMON_COLUMNS` (a ``ValueError`` naming the missing ones).
    Anything else is a ``TypeError``."""
    pd = pandas("load_records")
    from palaver.tournaments.neg_worlds import NegTournamentResults
    from palaver.tournaments.negotiation.negmas_results import SimpleTournamentResults
    from palaver.tournaments.results import TournamentResults

    if isinstance(source, (str, Path)):
        return records_from_path(source)
    if isinstance(source, SimpleTournamentResults):
        return records_from_simple_results(source)
    if isinstance(source, TournamentResults | NegTournamentResults):
        return records_from_situated(source)  # neg_tournament's results too
    if isinstance(source, pd.DataFrame):
        missing = [c for c in COMMON_COLUMNS if c not in source.columns]
        if missing:
            raise ValueError(
                f"the records frame lacks the column(s) {missing}; records need {COMMON_COLUMNS}"
            )
        return source[COMMON_COLUMNS].reset_index(drop=True)
    raise TypeError(
        "load_records takes a tournament folder, a tournament's results or a records "
        f"frame, got {type(source).__name__}"
    )
