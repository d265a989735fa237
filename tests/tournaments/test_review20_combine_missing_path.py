"""SimpleTournamentResults.combine names a path that does not exist (review of
session 20): it was skipped, and the other folders combined without it."""

from __future__ import annotations

from pathlib import Path

import pytest
from negotiation_helpers import small_scenario

from palaver.negmas import SimpleTournamentResults, cartesian_tournament
from palaver.negotiators import BoulwareNegotiator, MiCRO


def test_combine_refuses_a_path_that_does_not_exist(tmp_path: Path) -> None:
    cartesian_tournament(
        [BoulwareNegotiator, MiCRO],
        [small_scenario(0)],
        n_steps=10,
        njobs=-1,
        verbosity=0,
        seed=1,
        path=tmp_path / "a",
    )
    for recursive in (True, False):
        with pytest.raises(FileNotFoundError, match=r"the path\(s\) .*typo.* do not exist"):
            SimpleTournamentResults.combine([tmp_path / "a", tmp_path / "typo"], recursive)
    combined, read = SimpleTournamentResults.combine([tmp_path / "a"])
    assert read == [(tmp_path / "a").absolute()] and len(combined.details) > 0
