"""NegMAS's cartesian_tournament: resuming without a seed, from_records, combine,
names, and the scenarios kept in the folder (tour20)."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from negotiation_helpers import small_scenario

from palaver.negmas import SimpleTournamentResults, cartesian_tournament
from palaver.negotiators import BoulwareNegotiator, MiCRO
from palaver.scenarios import Scenario
from palaver.tournaments.negotiation import cartesian_tournament as palaver_tournament
from palaver.tournaments.negotiation.folder import MANIFEST


def run(scenarios: list[Scenario] | None = None, **kwargs: Any) -> SimpleTournamentResults:
    kwargs = {"n_steps": 15, "njobs": -1, "verbosity": 0, **kwargs}
    scenarios = scenarios or [small_scenario(0)]
    return cartesian_tournament([BoulwareNegotiator, MiCRO], scenarios, **kwargs)


def test_a_repeated_call_without_seed_resumes_the_folder_s_tournament(tmp_path: Path) -> None:
    first = run(path=tmp_path)
    manifest = (tmp_path / MANIFEST).read_text()
    again = run(path=tmp_path)  # NegMAS's default path_exists="continue", no seed
    assert (tmp_path / MANIFEST).read_text() == manifest  # nothing ran again
    assert again.config["seed"] == first.config["seed"]
    pd.testing.assert_frame_equal(again.final_scores, first.final_scores)
    with pytest.raises(ValueError, match="holds another tournament"):
        run(path=tmp_path, seed=first.config["seed"] + 1)  # a seed given is kept


def test_from_records_rebuilds_scores_from_run_records() -> None:
    r = run(seed=3)
    rebuilt = SimpleTournamentResults.from_records(results=r.details, config={"x": 1})
    assert len(rebuilt.scores) == len(r.scores) == 2 * len(r.details)
    assert rebuilt.scores.utility.tolist() == pytest.approx(r.scores.utility.tolist())
    assert rebuilt.final_scores.strategy.tolist() == r.final_scores.strategy.tolist()
    assert rebuilt.config == {"x": 1} and rebuilt.palaver is None and len(rebuilt) == 8
    with pytest.raises(AttributeError, match="without Palaver's tables"):
        rebuilt.ranking()


def test_combine_reads_palaver_and_negmas_folders_and_their_configs(tmp_path: Path) -> None:
    a = run([small_scenario(0)], seed=1, path=tmp_path / "a")
    b = run([small_scenario(1)], seed=1, path=tmp_path / "b", storage_optimization="speed")
    # "b" also as NegMAS would leave it: only its files (details, all_scores, config).
    only_files = tmp_path / "nested" / "c"
    b.save(only_files, storage_optimization="speed", storage_format="csv")
    combined, read = SimpleTournamentResults.combine([tmp_path / "a", tmp_path / "nested"])
    assert read == [(tmp_path / "a").absolute(), only_files.absolute()]
    assert len(combined.details) == len(a.details) + len(b.details)
    assert set(combined.details.tournament) == {"a", "c"}
    assert combined.config["n_scenarios"] == 2 and combined.config["path"] is None
    # An agreement read back from NegMAS's CSV is the outcome again.
    assert combined.details.agreement.iloc[-1] == b.details.agreement.iloc[-1]
    other = cartesian_tournament([MiCRO], [small_scenario(2)], njobs=-1, verbosity=0,
                                 n_steps=10, path=tmp_path / "d")  # fmt: skip
    assert len(other.details) == 2
    with pytest.raises(ValueError, match="different competitors"):
        SimpleTournamentResults.combine([tmp_path / "a", tmp_path / "d"])
    with pytest.raises(FileNotFoundError):
        SimpleTournamentResults.combine(tmp_path / "a" / "negotiations", recursive=False)


def test_the_scenarios_played_are_kept_in_the_folder(tmp_path: Path) -> None:
    scenario = small_scenario(0)
    run([scenario], seed=1, path=tmp_path)
    saved = Scenario.load(tmp_path / "scenarios" / "t0")
    ranges = [x for u in saved.ufuns for x in u.minmax()]
    assert ranges == pytest.approx([0.0, 1.0, 0.0, 1.0])  # normalized, as played
    assert [x for u in scenario.ufuns for x in u.minmax()] != pytest.approx(ranges)


def test_names_lengths_twins_and_shorten_names() -> None:
    with pytest.raises(ValueError, match="competitor_names length 1 does not match"):
        run(competitor_names=["x"])
    with pytest.raises(ValueError, match="competitor names must be unique"):
        cartesian_tournament([MiCRO, MiCRO], [small_scenario(0)], njobs=-1, verbosity=0)
    # Palaver's own function numbers twins instead.
    twins = palaver_tournament([MiCRO, MiCRO], [small_scenario(0)], n_steps=5, seed=1)
    assert twins.setup["competitors"] == ["MiCRO-1", "MiCRO-2"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r = run(seed=1, shorten_names=True)
    assert any(issubclass(w.category, DeprecationWarning) for w in caught)
    assert set(r.scores.strategy) == {"BoulwareTBNegotiator", "MiCRONegotiator"}


def test_check_and_correct_reserved_values_corrects_in_place_with_one_warning() -> None:
    from palaver.negmas.tournaments.neg.simple.cartesian import (  # type: ignore[attr-defined]
        _check_and_correct_reserved_values,
    )
    from palaver.negmas.warnings import NegmasUnexpectedValueWarning

    scenario = small_scenario(0)
    low = float(scenario.ufuns[0].min())
    scenario.ufuns[0].reserved_value = float("-inf")
    kept = scenario.ufuns[1].reserved_value
    with pytest.warns(NegmasUnexpectedValueWarning, match=r"'s0'.*ufun\[0\].*was -inf"):
        _check_and_correct_reserved_values(scenario, "s0", eps=0.25)
    assert scenario.ufuns[0].reserved_value == pytest.approx(low - 0.25)
    assert scenario.ufuns[1].reserved_value == kept
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _check_and_correct_reserved_values(scenario, "s0")  # all finite: silent


def test_thread_executor_runs_here_so_unpicklable_negotiators_work(tmp_path: Path) -> None:
    class Local(MiCRO):  # defined in a function: it does not pickle
        pass

    r = cartesian_tournament([Local, MiCRO], [small_scenario(0)], executor="thread", njobs=8,
                             n_steps=10, seed=2, verbosity=0, path=tmp_path)  # fmt: skip
    serial = cartesian_tournament([Local, MiCRO], [small_scenario(0)], njobs=-1, n_steps=10,
                                  seed=2, verbosity=0)  # fmt: skip
    assert r.details.agreement.tolist() == serial.details.agreement.tolist()
    assert sorted(r.details.rep.unique()) == [0]
    with pytest.raises(ValueError, match="cannot be pickled"):
        cartesian_tournament([Local, MiCRO], [small_scenario(0)], njobs=2, verbosity=0)
