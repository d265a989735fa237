"""NegMAS's cartesian_tournament labels competitors with NegMAS's class names."""

from __future__ import annotations

from palaver.negmas.preferences.generators import generate_multi_issue_ufuns
from palaver.negmas.sao import (
    AspirationNegotiator,
    BoulwareTBNegotiator,
    MiCRONegotiator,
    NaiveTitForTatNegotiator,
)

from palaver.negmas import Scenario, cartesian_tournament
from palaver.tournaments.negotiation.negmas_prepare import negmas_labels


def scenario() -> Scenario:
    ufuns = generate_multi_issue_ufuns(2, sizes=(6, 4))
    return Scenario(outcome_space=ufuns[0].outcome_space, ufuns=ufuns, name="s")


def test_strategies_are_named_as_negmas_names_them() -> None:
    results = cartesian_tournament(
        competitors=[AspirationNegotiator, MiCRONegotiator, NaiveTitForTatNegotiator],
        opponents=[BoulwareTBNegotiator],
        scenarios=[scenario()],
        n_repetitions=1,
        n_steps=20,
        njobs=-1,
    )
    assert set(results.final_scores.strategy) == {
        "AspirationNegotiator",
        "MiCRONegotiator",
        "NaiveTitForTatNegotiator",
    }
    # The opponent, a partner of every competitor, under NegMAS's name too.
    assert all("BoulwareTBNegotiator" in str(p) for p in results.scores.partners)


def test_labels_only_when_every_entry_is_a_distinct_class_without_parameters() -> None:
    assert negmas_labels([MiCRONegotiator, AspirationNegotiator], None) == [
        "MiCRONegotiator",
        "AspirationNegotiator",
    ]
    assert negmas_labels([MiCRONegotiator], [{}]) == ["MiCRONegotiator"]
    # Palaver's own labels: nothing differs, a text spec, parameters, one class twice.
    assert negmas_labels([AspirationNegotiator], None) is None
    assert negmas_labels(["micro"], None) is None
    assert negmas_labels([MiCRONegotiator], [{"accept_same": False}]) is None
    assert negmas_labels([MiCRONegotiator, MiCRONegotiator], None) is None
