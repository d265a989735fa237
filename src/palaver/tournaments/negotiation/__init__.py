"""Negotiation tournaments: every negotiator against every other on many scenarios.

:func:`cartesian_tournament` runs them (on the ``serial``, ``process`` or
``ray`` executor, resumable in a folder), :class:`NegotiationTournamentResults`
holds what they produced: per-negotiation rows, per-competitor scores with
confidence intervals, the ranking, pairwise significance tests and the win
matrix, and SQL over every offer when recorded.
"""

from palaver.tournaments.negotiation.competitors import BUILTIN, NegotiationCompetitor
from palaver.tournaments.negotiation.play import HUNG
from palaver.tournaments.negotiation.results import (
    NegotiationTournamentResults,
    TournamentResultsError,
)
from palaver.tournaments.negotiation.runner import cartesian_tournament


def load_negotiation_results(path: str) -> NegotiationTournamentResults:
    """The results in a tournament folder (:meth:`NegotiationTournamentResults.load`)."""
    return NegotiationTournamentResults.load(path)


__all__ = [
    "BUILTIN",
    "HUNG",
    "NegotiationCompetitor",
    "NegotiationTournamentResults",
    "TournamentResultsError",
    "cartesian_tournament",
    "load_negotiation_results",
]
