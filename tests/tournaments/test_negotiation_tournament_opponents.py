"""Fixed opponents (NegMAS's explicit opponent mode) in a negotiation tournament."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from negotiation_helpers import small_scenario

from palaver.negotiators import BoulwareNegotiator, ConcederNegotiator, MiCRO
from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences import LinearAdditiveUtilityFunction
from palaver.scenarios import Scenario
from palaver.tournaments.negotiation import cartesian_tournament
from palaver.tournaments.negotiation.plan import Opponents, count_negotiations, pairings


def three_party(i: int) -> Scenario:
    """A seeded scenario of three parties over two issues."""
    rng = np.random.default_rng(200 + i)
    space = OutcomeSpace([make_issue(5, "a"), make_issue(5, "b")])
    ufuns = [
        LinearAdditiveUtilityFunction(
            [dict(enumerate(rng.random(5).tolist())) for _ in range(2)],
            [0.5, 0.5],
            reserved_value=0.1,
            outcome_space=space,
        )
        for _ in range(3)
    ]
    return Scenario(space, ufuns, name=f"three{i}")


def test_each_competitor_opens_against_every_combination_of_opponents() -> None:
    # Competitors 0, 1; opponents 2, 3 (3 is competitor 1's twin).
    lineup = Opponents(2, frozenset({(1, 3)}))
    assert pairings(2, 2, True, lineup) == [(0, 2), (0, 3), (1, 2), (1, 3)]
    assert pairings(2, 2, False, lineup) == [(0, 2), (0, 3), (1, 2)]
    three = pairings(2, 3, False, lineup)
    # Only the combination of twins alone is a competitor meeting itself.
    assert (1, 3, 3) not in three and (1, 2, 3) in three and len(three) == 7
    for self_play in (True, False):
        for k in (2, 3):
            counted = count_negotiations(2, [k], 3, True, self_play, lineup)
            assert counted == 3 * k * len(pairings(2, k, self_play, lineup))


def test_competitors_meet_only_opponents_and_only_competitors_are_ranked() -> None:
    scenarios = [small_scenario(0), small_scenario(1), three_party(0)]
    r = cartesian_tournament(
        [MiCRO, ConcederNegotiator],
        scenarios,
        opponents=[BoulwareNegotiator, ConcederNegotiator],
        opponent_params=[None, {"max_aspiration": 0.95}],
        n_steps=15,
        seed=3,
    )
    negs, parties = r.negotiations, r.parties
    competitors = {"MiCRO", "ConcederNegotiator"}
    opponents = {"BoulwareNegotiator", "ConcederNegotiator-opponent"}
    assert r.setup["opponents"] == ["BoulwareNegotiator", "ConcederNegotiator-opponent"]
    # Bilateral: 2 competitors x 2 opponents x 2 rotations; three parties: 2 x 2**2 x 3.
    assert len(negs) == 2 * (2 * 2 * 2) + 2 * 4 * 3
    for partners in negs.partners:
        first, *rest = partners.split("|")
        assert first in competitors and set(rest) <= opponents
    opening = parties[parties.position == 0]
    assert set(opening.competitor) == competitors
    assert set(parties[parties.position > 0].competitor) == opponents
    ranking = r.ranking()
    assert set(ranking.competitor) == competitors
    # The ranking scores each competitor on its own rows, nothing else.
    for name, score in zip(ranking.competitor, ranking.score, strict=True):
        assert score == pytest.approx(parties[parties.competitor == name].advantage.mean())
    assert set(r.scores(["advantage"]).index) == competitors
    wins = r.win_matrix()
    assert list(wins.index) == ["MiCRO", "ConcederNegotiator"]
    assert list(wins.columns) == ["MiCRO", "ConcederNegotiator", *r.setup["opponents"]]
    assert wins.loc[:, list(competitors)].isna().all().all()  # they never meet
    assert wins.loc["MiCRO", "BoulwareNegotiator"] >= 0


def test_without_self_play_a_competitor_does_not_meet_its_own_twin() -> None:
    r = cartesian_tournament(
        ["micro", "conceder"],
        [small_scenario(0)],
        opponents=["conceder", "boulware"],
        self_play=False,
        rotate_ufuns=False,
        n_steps=10,
        seed=1,
    )
    assert list(r.negotiations.partners) == [
        "MiCRO|ConcederNegotiator-opponent",
        "MiCRO|BoulwareNegotiator",
        "ConcederNegotiator|BoulwareNegotiator",
    ]
    assert r.counts()["planned"] == 3


def test_a_folder_with_opponents_resumes_and_refuses_other_opponents(tmp_path: Path) -> None:
    kwargs = {"n_steps": 10, "seed": 2, "path": tmp_path / "t", "opponents": ["boulware"]}
    first = cartesian_tournament(["micro"], [small_scenario(0)], **kwargs)
    again = cartesian_tournament(["micro"], [small_scenario(0)], **kwargs)
    assert again.ranking().score.tolist() == first.ranking().score.tolist()
    with pytest.raises(ValueError, match="opponents"):
        cartesian_tournament(
            ["micro"], [small_scenario(0)], **{**kwargs, "opponents": ["conceder"]}
        )


def test_a_folder_with_opponents_resumed_without_them_names_them(tmp_path: Path) -> None:
    # Two competitors against two opponents plan as many negotiations as the two
    # competitors alone: what differs is only a key the new setup does not have.
    folder = tmp_path / "t"
    two = ["micro", "conceder"]
    cartesian_tournament(two, [small_scenario(0)], n_steps=5, seed=2, path=folder, opponents=two)
    with pytest.raises(ValueError, match=r"differs in \['opponent_params', 'opponent_types', "):
        cartesian_tournament(two, [small_scenario(0)], n_steps=5, seed=2, path=folder)


def test_a_competitor_left_without_a_negotiation_is_refused() -> None:
    # Without self-play a competitor does not meet its twin: with no other
    # opponent it would play nothing and be ranked without a score.
    with pytest.raises(ValueError, match=r"leaves competitor\(s\) \['MiCRO'\] without a"):
        cartesian_tournament(
            ["micro", "conceder"], [small_scenario(0)], n_steps=5, opponents=["micro"],
            self_play=False,
        )  # fmt: skip
    r = cartesian_tournament(
        ["micro", "conceder"], [small_scenario(0)], n_steps=5, opponents=["micro", "boulware"],
        self_play=False, seed=1,
    )  # fmt: skip
    # MiCRO meets Boulware only; the conceder both opponents (2 rotations each).
    assert dict(zip(r.ranking().competitor, r.ranking()["n"], strict=True)) == {
        "MiCRO": 2,
        "ConcederNegotiator": 4,
    }


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"opponents": "boulware"}, "opponents must be a list, got 'boulware'"),
        ({"opponent_names": ["x"]}, "opponent_names was given without opponents"),
        ({"opponents": ["boulware"], "opponent_names": ["MiCRO"]}, "a competitor's name too"),
        ({"opponents": ["boulware"], "opponent_params": [{}, {}]}, "one entry per opponent"),
        ({"opponents": ["nosuch"]}, "unknown competitor 'nosuch'"),
        ({"opponents": ["boulware", 3]}, r"^opponents\[1\]: competitor type must be"),
        ({"opponents": [["boulware"]]}, r"^opponents\[0\]: competitor type must be"),
        (
            {"opponents": ["boulware"], "opponent_params": [{"nope": 1}]},
            "opponent_params: opponent",
        ),
    ],
)
def test_bad_opponents_are_refused_naming_the_parameter(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        cartesian_tournament(["micro"], [small_scenario(0)], n_steps=10, **kwargs)
