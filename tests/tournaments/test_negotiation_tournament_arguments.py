"""The arguments of ``cartesian_tournament`` are checked before anything runs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from negotiation_helpers import small_scenario

from palaver.negotiators import BoulwareNegotiator, MiCRO
from palaver.scenarios import Scenario
from palaver.tournaments.negotiation import cartesian_tournament
from palaver.tournaments.negotiation.plan import count_negotiations, plan_negotiations


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


class Refuses(BoulwareNegotiator):
    """A negotiator whose constructor always raises."""

    def __init__(self, **kwargs: object) -> None:
        raise RuntimeError("no licence for this strategy")


@pytest.mark.parametrize(
    ("competitor", "message"),
    [
        (dict, r"competitor 'dict' \(builtins:dict\) is not a negotiator: a dict lacks \['id'"),
        (Refuses, r"competitor 'Refuses' .* RuntimeError: no licence for this strategy"),
    ],
)
def test_a_competitor_that_cannot_be_built_is_refused_before_anything_runs(
    tmp_path: Path, competitor: type, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        cartesian_tournament(
            [competitor, "boulware"], [small_scenario(0)], n_steps=10, path=tmp_path / "t"
        )
    assert not (tmp_path / "t").exists()  # nothing ran, nothing was written


def test_a_competitor_built_with_its_params_is_accepted() -> None:
    r = cartesian_tournament(
        [MiCRO, "boulware"], [small_scenario(0)], n_steps=10, seed=1,
        competitor_params=[None, {"aspiration_type": 3.0}],
    )  # fmt: skip
    assert len(r) == 8  # 4 ordered pairings (self-play included) x 2 rotations


def test_a_tournament_too_large_to_plan_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    # 10**11 repetitions used to hang filling the memory while planning.
    with pytest.raises(
        ValueError,
        match=r"n_repetitions=100000000000 with 2 competitors and 1 scenarios makes "
        r"800000000000 negotiations, more than the 10,000,000",
    ):
        cartesian_tournament(
            [MiCRO, "boulware"], [small_scenario(0)], n_repetitions=10**11, n_steps=5,
            path=tmp_path / "t",
        )  # fmt: skip
    assert not (tmp_path / "t").exists()
    # Pairings x rotations x repetitions, as planned: 2 x 1 x 3 without self-play or rotation.
    assert count_negotiations(2, [2], 3, rotate_ufuns=False, self_play=False) == 6
    assert count_negotiations(3, [2, 3], 1, rotate_ufuns=True, self_play=True) == 9 * 2 + 27 * 3


def test_a_scenario_no_pairing_can_play_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    # One competitor without self-play made an empty tournament (0 planned),
    # and a three-party scenario among two competitors was skipped silently.
    from palaver.scenarios.generators import zero_sum_scenario

    with pytest.raises(
        ValueError, match=r"self_play=False with 1 competitor\(s\) .* 'pie' \(2 parties\)"
    ):
        cartesian_tournament(
            ["boulware"], [zero_sum_scenario(5, name="pie")], n_steps=5, self_play=False,
            path=tmp_path / "t",
        )  # fmt: skip
    assert not (tmp_path / "t").exists()
    s = [small_scenario(0)]
    two = s[0]
    three = Scenario(two.outcome_space, [*two.ufuns, two.ufuns[0]], name="trio")
    with pytest.raises(
        ValueError, match=r"2 competitor\(s\) leaves no pairing for scenario\(s\) 'trio'"
    ):
        cartesian_tournament(["boulware", "micro"], [two, three], n_steps=5, self_play=False)
    assert len(cartesian_tournament(["boulware", "micro"], s, n_steps=5, self_play=False)) == 4
    assert len(cartesian_tournament(["boulware"], s, n_steps=5, self_play=True)) == 2


def test_two_scenarios_of_one_name_are_refused_saying_how_to_fix_it() -> None:
    from palaver.scenarios.generators import zero_sum_scenario

    same = [zero_sum_scenario(5, seed=i) for i in range(2)]
    with pytest.raises(ValueError, match=r"\['zero_sum'\] appear more than once.*name="):
        cartesian_tournament(["boulware"], same, n_steps=5)
    named = [zero_sum_scenario(5, seed=i, name=f"pie{i}") for i in range(2)]
    assert len(cartesian_tournament(["boulware"], named, n_steps=5, seed=1)) == 4


def test_an_unknown_mechanism_param_lists_exactly_those_accepted() -> None:
    with pytest.raises(ValueError, match="'colour' is not a parameter it accepts") as error:
        cartesian_tournament(
            ["boulware"], [small_scenario(0)], n_steps=10, mechanism_params={"colour": 1}
        )
    listed = str(error.value).split("accepted: ")[1]
    for taken in ("n_steps", "time_limit", "limits", "outcomes", "seed", "id"):
        assert f"'{taken}'" not in listed  # the tournament sets these
    assert "'step_time_limit'" in listed and "'one_offer_per_step'" in listed
    # Each one listed is taken: a tournament runs with it.
    results = cartesian_tournament(
        ["boulware", "conceder"],
        [small_scenario(0)],
        n_steps=10,
        mechanism_params={"step_time_limit": 60.0, "one_offer_per_step": True},
    )
    counts = results.counts()
    assert counts["recorded"] == counts["planned"] and "error" not in counts


@pytest.mark.parametrize("name", ["n_steps", "time_limit", "limits"])
def test_limits_in_mechanism_params_point_to_the_tournament_s_own(name: str) -> None:
    from palaver.mechanisms import MechanismLimits

    value = MechanismLimits(n_steps=5) if name == "limits" else 5
    with pytest.raises(ValueError, match=rf"must not hold '{name}': set the tournament's n_steps"):
        cartesian_tournament(
            ["boulware"], [small_scenario(0)], n_steps=10, mechanism_params={name: value}
        )


def test_the_count_is_what_the_plan_holds() -> None:
    for rotate, self_play in ((True, True), (False, False), (True, False)):
        batches = plan_negotiations(3, [2, 3], 2, rotate, self_play, 10, None, 1)
        planned = sum(len(b.negotiations) for b in batches)
        assert planned == count_negotiations(3, [2, 3], 2, rotate, self_play)


@pytest.mark.parametrize("n_steps", [2**63, (10, 10**20)])
def test_n_steps_too_large_to_store_is_refused_before_anything_runs(
    tmp_path: Path, n_steps: object
) -> None:
    # It ran every negotiation, then failed writing the results with pyarrow's OverflowError.
    with pytest.raises(ValueError, match=r"n_steps must be .*at most 9223372036854775807"):
        cartesian_tournament(
            ["boulware", "conceder"], [small_scenario(0)], n_steps=n_steps, time_limit=0.1,
            path=tmp_path / "t",
        )  # fmt: skip
    assert not (tmp_path / "t").exists()


def test_a_path_holding_something_else_is_refused_and_left_alone(tmp_path: Path) -> None:
    # The tournament was written into any folder, and a resume deletes the files of
    # its parties/ or negotiations/ folders that no batch lists.
    mine = tmp_path / "mine"
    (mine / "parties").mkdir(parents=True)
    (mine / "parties" / "guests.parquet").write_text("my own data")
    with pytest.raises(ValueError, match=r"mine' is not empty and holds no negotiation tournament"):
        cartesian_tournament(["boulware"], [small_scenario(0)], n_steps=5, path=mine)
    assert sorted(p.name for p in mine.rglob("*")) == ["guests.parquet", "parties"]
    (tmp_path / "file").write_text("x")
    with pytest.raises(ValueError, match=r"path '.*file' is not a folder"):
        cartesian_tournament(["boulware"], [small_scenario(0)], n_steps=5, path=tmp_path / "file")
    # Under a file: named, not a bare NotADirectoryError from making the folder.
    with pytest.raises(ValueError, match=r"path '.*sub' cannot be made a folder \('.*file' is a"):
        cartesian_tournament(
            ["boulware"], [small_scenario(0)], n_steps=5, path=tmp_path / "file" / "sub"
        )
    # An empty folder is used, and the tournament's own folder resumed.
    (tmp_path / "empty").mkdir()
    for _ in range(2):
        r = cartesian_tournament(
            ["boulware"], [small_scenario(0)], n_steps=5, seed=1, path=tmp_path / "empty"
        )
        assert len(r) == 2
