"""NegMAS's cartesian_tournament keywords: translated to Palaver's options or refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from negotiation_helpers import small_scenario

from palaver.mechanisms import SAOMechanism, STVetoMechanism
from palaver.tournaments.negotiation import cartesian_tournament
from palaver.tournaments.negotiation.negmas_names import from_negmas

PALAVER = {"executor": None, "workers": None, "progress": None, "path": None}


@pytest.mark.parametrize(
    ("negmas", "expected"),
    [
        ({"njobs": -1}, ("serial", None, False)),
        ({"njobs": 0}, ("process", None, False)),  # all cores
        ({"njobs": 3}, ("process", 3, False)),
        ({"njobs": 2, "executor": "ray"}, ("ray", 2, False)),
        ({"njobs": -1, "executor": "serial"}, ("serial", None, False)),
        ({"verbosity": 0}, ("serial", None, False)),
        ({"verbosity": 2}, ("serial", None, True)),
        ({}, ("serial", None, False)),
    ],
)
def test_njobs_and_verbosity_choose_the_executor_and_the_progress_line(
    negmas: dict[str, Any], expected: tuple[Any, ...]
) -> None:
    choice = from_negmas(**{**PALAVER, **negmas})
    assert (choice.executor, choice.workers, choice.progress) == expected


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"njobs": 2, "workers": 2}, "give workers or NegMAS's njobs, not both"),
        ({"njobs": -1, "executor": "process"}, "njobs=-1 asks for a serial run"),
        ({"njobs": 4, "executor": "serial"}, "njobs=4 asks for parallel workers"),
        ({"njobs": 1.5}, r"njobs must be an integer \(-1: serial"),
        ({"njobs": True}, "njobs must be an integer"),
        ({"verbosity": -1}, r"verbosity must be an integer >= 0"),
        ({"verbosity": 1, "progress": False}, "give progress or NegMAS's verbosity"),
        ({"mechanism_type": STVetoMechanism}, "mechanism_type must be palaver.mechanisms"),
        ({"mechanism_type": "SAOMechanism"}, "plays SAO only"),
        ({"randomize_runs": 1}, "randomize_runs must be True or False"),
        ({"save_every": 10}, "save_every=10 asks for periodic saving but no path"),
        ({"save_every": -2}, "save_every must be an integer >= 0"),
    ],
)
def test_negmas_keywords_are_refused_with_a_reason(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        cartesian_tournament(["boulware", "micro"], [small_scenario(0)], n_steps=5, **kwargs)


def test_accepted_negmas_keywords_run_the_same_tournament(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = cartesian_tournament(["boulware", "micro"], [small_scenario(0)], n_steps=10, seed=3)
    used: list[tuple[str, int | None]] = []
    from palaver.tournaments import executors

    original = executors.make_executor

    def spy(name: str, workers: int | None = None, address: str | None = None) -> Any:
        used.append((name, workers))
        return original("serial")  # what would run is recorded; the run stays cheap

    monkeypatch.setattr(executors, "make_executor", spy)
    same = cartesian_tournament(
        ["boulware", "micro"],
        [small_scenario(0)],
        n_steps=10,
        seed=3,
        njobs=2,
        verbosity=0,
        mechanism_type=SAOMechanism,
        randomize_runs=True,
        save_every=5,
        path=tmp_path / "t",
    )
    assert used == [("process", 2)]
    cols = ["scenario", "partners", "result", "agreement", "rounds"]
    assert same.negotiations[cols].equals(base.negotiations[cols])
