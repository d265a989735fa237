"""load_records reads neg_tournament's results (NegTournamentResults), not only a folder's."""

from __future__ import annotations

import pandas as pd

from palaver.tournaments import NegTournamentResults
from palaver.tournaments.analysis import build_payoff_table, load_records


def test_neg_tournament_results_become_pairwise_records() -> None:
    scores = pd.DataFrame(
        [("A", "w1", 0.9), ("B", "w1", 0.2), ("A", "w2", 0.4), ("B", "w2", 0.6)],
        columns=["agent_type", "world", "score"],
    )
    results = NegTournamentResults(
        scores=scores, total_scores=pd.DataFrame(), winners=["A"], winners_scores=[0.65],
        extra_scores={}, params={"n_competitors_per_world": 2},
    )  # fmt: skip
    records = load_records(results)
    got = sorted(zip(records["strategy"], records["partner"], records["utility"], strict=True))
    assert got == [("A", "B", 0.4), ("A", "B", 0.9), ("B", "A", 0.2), ("B", "A", 0.6)]
    assert set(build_payoff_table(records, require_self_play=False).strategies) == {"A", "B"}
