"""The arguments of ``cartesian_tournament`` are checked before anything runs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from negotiation_helpers import small_scenario

from palaver.tournaments.negotiation import cartesian_tournament


def test_numpy_numbers_are_accepted_where_python_numbers_are(tmp_path: Path) -> None:
    s = [small_scenario(0)]
    plain = cartesian_tournament(["boulware", "conceder"], s, n_steps=10, seed=1, path=tmp_path)
    numpy = cartesian_tournament(
        ["boulware", "conceder"],
        s,
        n_steps=np.int64(10),
        n_repetitions=np.int32(1),
        time_limit=None,
        seed=np.int64(1),
        path=tmp_path,  # the same tournament: resumed, not refused
    )
    assert numpy.setup == plain.setup
    ranged = cartesian_tournament(
        ["boulware"], s, n_steps=(np.int64(5), np.int64(20)), time_limit=np.float32(30.0), seed=1
    )
    assert ranged.setup["n_steps"] == [5, 20] and ranged.setup["time_limit"] == 30.0
    with pytest.raises(ValueError, match="n_steps"):
        cartesian_tournament(["boulware"], s, n_steps=np.float64(10.0))
    with pytest.raises(ValueError, match="n_steps"):
        cartesian_tournament(["boulware"], s, n_steps=True)
