"""Genius nonlinear (hyper-rectangle) profiles: hand-worked utilities, huge spaces, bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from palaver import AspirationNegotiator, HyperRectangleUtilityFunction, SAOMechanism, Scenario
from palaver.mechanisms import NegotiatorError
from palaver.outcomes import IntegerIssue
from palaver.scenarios import ScenarioError, ScenarioWarning

# Issue numbers are not positions: "beds" is issue 2, "trees" issue 1.
GARDEN_ISSUES = """
  <issue index="2" name="beds" type="integer" etype="integer" vtype="integer" lowerbound="0" upperbound="4"/>
  <issue index="1" name="trees" type="integer" etype="integer" vtype="integer" lowerbound="0" upperbound="2"/>
  <issue index="3" name="paths" type="integer" etype="integer" vtype="integer" lowerbound="1" upperbound="3"/>
"""  # noqa: E501

GARDEN_DOMAIN = f"""<negotiation_template><utility_space number_of_issues="3">
<objective index="0" name="root" type="objective" etype="objective">{GARDEN_ISSUES}</objective>
</utility_space></negotiation_template>"""

# maxutility 10. Sum of: box 4 (beds 1..3 and trees 0..1); an exclusive box
# 3 x weight 2 (paths outside 2..3); a box 1 without bounds; a max-group of
# weight 0.5 over box 6 (trees 2) and box 2 (paths 3). The outer weight 5 is unused.
GARDEN_ALICE = f"""<utility_space type="nonlinear">
<objective index="0" name="root" type="objective" etype="objective">{GARDEN_ISSUES}
  <utility maxutility="10">
    <ufun type="PlainUfun" weight="5" aggregation="sum">
      <hyperRectangle utility="4">
        <INCLUDES index="2" min="1" max="3"/>
        <INCLUDES index="1" min="0" max="1"/>
      </hyperRectangle>
      <hyperRectangle utility="3" weight="2">
        <EXCLUDES index="3" min="2" max="3"/>
      </hyperRectangle>
      <hyperRectangle utility="1"/>
      <ufun type="PlainUfun" weight="0.5" aggregation="MAX">
        <hyperRectangle utility="6"><INCLUDES index="1" min="2" max="2"/></hyperRectangle>
        <hyperRectangle utility="2"><INCLUDES index="3" min="3" max="3"/></hyperRectangle>
      </ufun>
    </ufun>
  </utility>
</objective>
<reservation value="0.3"/>
<discount_factor value="0.8"/>
</utility_space>"""

# maxutility 8; the smaller of box 8 (beds 0..2) and exclusive box 5 (trees not 0).
GARDEN_BOB = f"""<utility_space type="nonlinear">
<objective index="0" name="root" type="objective" etype="objective">{GARDEN_ISSUES}
  <utility maxutility="8">
    <ufun type="PlainUfun" weight="1" aggregation="min">
      <hyperRectangle utility="8"><INCLUDES index="2" min="0" max="2"/></hyperRectangle>
      <hyperRectangle utility="5"><EXCLUDES index="1" min="0" max="0"/></hyperRectangle>
    </ufun>
  </utility>
</objective>
</utility_space>"""


def write_garden(folder: Path, alice: str = GARDEN_ALICE, bob: str = GARDEN_BOB) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "garden-domain.xml").write_text(GARDEN_DOMAIN, encoding="utf-8")
    (folder / "garden-alice.xml").write_text(alice, encoding="utf-8")
    (folder / "garden-bob.xml").write_text(bob, encoding="utf-8")
    return folder


# (beds, trees, paths) -> alice's and bob's utilities, worked by hand.
HAND_WORKED = {
    (0, 0, 1): (0.7, 0.0),  # 6 + 1 = 7 of 10; bob: min(8, 0)
    (2, 0, 1): (1.0, 0.0),  # 4 + 6 + 1 = 11 of 10, capped at 1
    (0, 2, 3): (0.4, 5 / 8),  # 1 + 0.5 * max(6, 2) = 4; bob: min(8, 5)
    (1, 1, 3): (0.6, 5 / 8),  # 4 + 1 + 0.5 * 2 = 6
    (4, 1, 2): (0.1, 0.0),  # 1; bob: beds 4 is outside 0..2
    (1, 2, 3): (0.4, 5 / 8),  # trees 2 misses the first box: 1 + 3
}


def test_utilities_follow_genius_semantics(tmp_path: Path) -> None:
    s = Scenario.from_genius_folder(write_garden(tmp_path / "garden"))
    alice, bob = s.ufuns
    assert isinstance(alice, HyperRectangleUtilityFunction)
    assert s.issue_names == ["beds", "trees", "paths"]
    assert all(isinstance(i, IntegerIssue) for i in s.issues)
    for outcome, (a, b) in HAND_WORKED.items():
        assert alice(outcome) == pytest.approx(a) and bob(outcome) == pytest.approx(b)
        named = dict(zip(s.issue_names, outcome, strict=True))
        assert alice(named) == alice(outcome)
    assert alice.max_utility == 10.0 and bob.max_utility == 8.0
    assert s.reserved_values == (0.3, 0.0)
    assert s.discount_factors == (0.8, 1.0)
    assert alice(None) == 0.3


def test_vectorized_values_equal_the_scalar_ones(tmp_path: Path) -> None:
    s = Scenario.from_genius_folder(write_garden(tmp_path / "garden"))
    outcomes = s.outcome_space.enumerate()
    for u in s.ufuns:
        scalar = [u(o) for o in outcomes]
        assert u.eval_many(outcomes).tolist() == scalar
        assert u.eval_many(s.outcome_space.to_array(outcomes)).tolist() == scalar
    assert s.utilities.shape == (45, 2)
    assert s.ufuns[0].minmax() == pytest.approx((0.1, 1.0))


def test_a_small_nonlinear_scenario_negotiates_and_has_stats(tmp_path: Path) -> None:
    s = Scenario.from_genius_folder(write_garden(tmp_path / "garden"))
    assert len(s.stats.pareto_utils) > 0 and not s.stats.sampled  # 45 outcomes, enumerated
    session = SAOMechanism(outcome_space=s.outcome_space, n_steps=30, seed=2)
    for name, u in zip(("alice", "bob"), s.ufuns, strict=True):
        session.add(AspirationNegotiator(name=name, ufun=u))
    state = session.run()
    assert state.agreement is not None
    assert all(u(state.agreement) >= u.reserved_value for u in s.ufuns)


def _huge_issues(n: int) -> str:
    return "".join(
        f'<issue index="{k}" name="i{k}" type="integer" lowerbound="0" upperbound="9"/>'
        for k in range(1, n + 1)
    )


def test_a_huge_space_loads_without_enumerating_and_fails_clearly(tmp_path: Path) -> None:
    issues = _huge_issues(40)
    folder = tmp_path / "huge"
    folder.mkdir()
    (folder / "huge-domain.xml").write_text(
        f"<negotiation_template><utility_space><objective>{issues}</objective>"
        "</utility_space></negotiation_template>",
        encoding="utf-8",
    )
    for who, k in (("a", 1), ("b", 40)):
        (folder / f"huge-{who}.xml").write_text(
            f'<utility_space type="nonlinear"><objective>{issues}<utility maxutility="2">'
            '<ufun aggregation="sum"><hyperRectangle utility="2">'
            f'<INCLUDES index="{k}" min="0" max="4"/></hyperRectangle>'
            '<hyperRectangle utility="1"/></ufun></utility></objective></utility_space>',
            encoding="utf-8",
        )
    s = Scenario.from_genius_folder(folder)
    assert s.n_outcomes == 10**40
    a, b = s.ufuns
    assert a((0,) * 40) == 1.0 and a((5,) * 40) == 0.5 and b((9,) * 39 + (4,)) == 1.0
    rows = np.random.default_rng(0).integers(0, 10, size=(1000, 40)).astype(float)
    assert a.eval_many(rows).tolist() == [1.0 if x <= 4 else 0.5 for x in rows[:, 0]]
    with pytest.raises(ScenarioError, match="sample"):
        _ = s.stats
    assert s.calc_stats(sample=300, seed=1).sampled
    session = SAOMechanism(outcome_space=s.outcome_space, n_steps=10, seed=1)
    session.add(AspirationNegotiator(name="a", ufun=a))
    session.add(AspirationNegotiator(name="b", ufun=b))
    with pytest.raises(NegotiatorError, match="outcomes, more than"):
        session.run()
    s.to_json(tmp_path / "huge.json")  # boxes: a few kilobytes for 10^40 outcomes
    assert (tmp_path / "huge.json").stat().st_size < 10_000
    again = Scenario.load(tmp_path / "huge.json")
    assert again.ufuns[0].eval_many(rows).tolist() == a.eval_many(rows).tolist()


def test_writing_back_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    s = Scenario.from_genius_folder(write_garden(tmp_path / "garden"))
    with pytest.raises(ScenarioError, match="HyperRectangleUtilityFunction cannot be written"):
        s.to_genius_folder(tmp_path / "out")
    s.dumpas(tmp_path / "json", type="json")  # the boxes, not a table
    again = Scenario.load(tmp_path / "json")
    assert np.array_equal(again.utilities, s.utilities)
    assert [u.group for u in again.ufuns] == [u.group for u in s.ufuns]  # type: ignore[attr-defined]
    assert again.reserved_values == s.reserved_values
    assert again.discount_factors == s.discount_factors


def _alice_with(ufun_body: str, maxutility: str = "10") -> str:
    return (
        f'<utility_space type="nonlinear"><objective>{GARDEN_ISSUES}'
        f'<utility maxutility="{maxutility}">{ufun_body}</utility></objective></utility_space>'
    )


BOX = '<hyperRectangle utility="1"><INCLUDES index="1" min="0" max="1"/></hyperRectangle>'


@pytest.mark.parametrize(
    ("alice", "message"),
    [
        (_alice_with(f'<ufun aggregation="avg">{BOX}</ufun>'), "aggregation='avg'"),
        (_alice_with(f"<ufun>{BOX}</ufun>"), "aggregation=None"),
        (_alice_with('<ufun aggregation="min"></ufun>'), "the <ufun> is empty"),
        (_alice_with(f'<ufun aggregation="sum">{BOX}</ufun>', "0"), "not positive"),
        (_alice_with(f'<ufun aggregation="sum">{BOX}</ufun>', "lots"), "not a number"),
        (_alice_with(""), "holds no <ufun>"),
        (
            _alice_with('<ufun aggregation="sum"><constraint/></ufun>'),
            "<constraint> is not a <hyperRectangle>",
        ),
        (
            _alice_with(
                '<ufun aggregation="sum"><hyperRectangle utility="1">'
                '<INCLUDES index="1" min="0" max="1"/><EXCLUDES index="2" min="0" max="1"/>'
                "</hyperRectangle></ufun>"
            ),
            "both INCLUDES and EXCLUDES",
        ),
        (
            _alice_with(
                '<ufun aggregation="sum"><hyperRectangle utility="1">'
                '<INCLUDE index="1" min="0" max="1"/></hyperRectangle></ufun>'
            ),
            "<INCLUDE> is not an INCLUDES",
        ),
        (
            _alice_with(
                '<ufun aggregation="sum"><hyperRectangle utility="1">'
                '<INCLUDES index="1" min="2" max="1"/></hyperRectangle></ufun>'
            ),
            "the range is empty",
        ),
        (
            _alice_with(
                '<ufun aggregation="sum"><hyperRectangle utility="1">'
                '<INCLUDES index="7" min="0" max="1"/></hyperRectangle></ufun>'
            ),
            r"issue number 7 names no issue \(numbered: \[1, 2, 3\]\)",
        ),
        (
            _alice_with(
                '<ufun aggregation="sum"><hyperRectangle utility="1">'
                '<INCLUDES index="1" min="0.5" max="1"/></hyperRectangle></ufun>'
            ),
            "min='0.5' is not an integer",
        ),
        (
            _alice_with(
                '<ufun aggregation="sum"><hyperRectangle>'
                '<INCLUDES index="1" min="0" max="1"/></hyperRectangle></ufun>'
            ),
            "missing attribute 'utility'",
        ),
        (
            _alice_with(
                '<ufun aggregation="sum"><hyperRectangle utility="1">'
                '<INCLUDES index="1" min="0" max="1"/><INCLUDES index="1" min="0" max="2"/>'
                "</hyperRectangle></ufun>"
            ),
            "bounded twice",
        ),
        (
            GARDEN_ALICE.replace('type="nonlinear"', 'type="constraint"'),
            "constraint profiles are not supported",
        ),
        (GARDEN_ALICE.replace('value="0.3"', 'value="Infinity"'), "<reservation>"),
        (GARDEN_ALICE.replace('value="0.8"', 'value="1.5"'), "not in \\[0, 1\\]"),
    ],
)
def test_bad_profiles_are_refused_naming_the_fault(
    tmp_path: Path, alice: str, message: str
) -> None:
    folder = write_garden(tmp_path / "garden", alice=alice)
    with pytest.raises(ScenarioError, match=message) as info:
        Scenario.from_genius_folder(folder)
    assert "garden-alice.xml" in str(info.value)


def test_a_bound_on_a_categorical_issue_is_refused(tmp_path: Path) -> None:
    issues = '<issue index="1" name="colour" type="discrete"><item index="1" value="red"/></issue>'
    folder = tmp_path / "colours"
    folder.mkdir()
    (folder / "c-domain.xml").write_text(
        f"<negotiation_template><utility_space><objective>{issues}</objective>"
        "</utility_space></negotiation_template>",
        encoding="utf-8",
    )
    profile = (
        f'<utility_space type="nonlinear"><objective>{issues}<utility maxutility="1">'
        '<ufun aggregation="sum"><hyperRectangle utility="1">'
        '<INCLUDES index="1" min="0" max="0"/></hyperRectangle></ufun></utility>'
        "</objective></utility_space>"
    )
    (folder / "c-a.xml").write_text(profile, encoding="utf-8")
    (folder / "c-b.xml").write_text(profile, encoding="utf-8")
    with pytest.raises(ScenarioError, match="integer issues only"):
        Scenario.from_genius_folder(folder)


def test_bounds_follow_the_domains_issue_numbers_as_genius_ties_them(tmp_path: Path) -> None:
    # The profile calls issue 2 "ponds"; Genius reads bounds by the domain's numbers.
    alice = GARDEN_ALICE.replace('name="beds"', 'name="ponds"')
    with pytest.warns(ScenarioWarning, match="'ponds'.*the domain's issue 'beds'"):
        s = Scenario.from_genius_folder(write_garden(tmp_path / "g", alice=alice))
    for outcome, (a, _) in HAND_WORKED.items():
        assert s.ufuns[0](outcome) == pytest.approx(a)


def test_without_domain_numbers_the_profile_numbers_then_positions(tmp_path: Path) -> None:
    unnumbered = GARDEN_DOMAIN.replace('index="2" ', "").replace('index="1" ', "")
    unnumbered = unnumbered.replace('index="3" ', "")
    folder = write_garden(tmp_path / "g")
    (folder / "garden-domain.xml").write_text(unnumbered, encoding="utf-8")
    s = Scenario.from_genius_folder(folder)  # the profiles' <issue index> elements
    for outcome, (a, b) in HAND_WORKED.items():
        assert s.ufuns[0](outcome) == pytest.approx(a) and s.ufuns[1](outcome) == pytest.approx(b)
    # Without <issue> elements in the profile either, index 2 is the second issue, "trees".
    bare = (
        '<utility_space type="nonlinear"><objective><utility maxutility="4">'
        '<ufun aggregation="sum"><hyperRectangle utility="4">'
        '<INCLUDES index="2" min="2" max="2"/></hyperRectangle></ufun>'
        "</utility></objective></utility_space>"
    )
    (folder / "garden-alice.xml").write_text(bare, encoding="utf-8")
    alice = Scenario.from_genius_folder(folder).ufuns[0]
    assert alice((0, 2, 1)) == 1.0 and alice((2, 0, 1)) == 0.0
    # And a profile naming an issue the domain lacks is then refused.
    (folder / "garden-alice.xml").write_text(
        GARDEN_ALICE.replace('name="beds"', 'name="ponds"'), encoding="utf-8"
    )
    with pytest.raises(ScenarioError, match=r"'ponds'.*another domain"):
        Scenario.from_genius_folder(folder)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"type": "hyperrectangles", "group": None}, r"ufuns\[0\]\.group: expected a JSON object"),
        ({"max_utility": "big"}, r"max_utility: expected a finite number"),
        ({"max_utility": -1}, "max_utility must be positive"),
        ({"group": {"aggregation": "avg"}}, r"ufuns\[0\]\.group: aggregation"),
        ({"group": {"rectangles": [{"utility": 1, "bounds": [["beds", 1]]}]}}, "issue, low, high"),
        ({"group": {"rectangles": [{"utility": 1, "bounds": [["ponds", 1, 2]]}]}}, "'ponds'"),
        ({"group": {"rectangles": [{"utility": 1, "bounds": [["beds", 3, 2]]}]}}, "above high"),
        ({"group": {"rectangles": [{"utility": 1, "exclusive": 1}]}}, "true or false"),
        ({"group": {"rectangles": [{"bounds": []}]}}, r"rectangles\[0\]\.utility"),
        ({"group": {"groups": [{"aggregation": "min"}]}}, r"groups\[0\]: an empty group"),
        # Unknown keys and a second bound on one issue were dropped without a word.
        ({"group": {"rectangles": [], "wieght": 2}}, r"group\.wieght: unknown key; did you mean"),
        (
            {"group": {"rectangles": [{"utility": 1, "exclusiv": True}]}},
            r"rectangles\[0\]\.exclusiv: unknown key; did you mean 'exclusive'",
        ),
        (
            {"group": {"rectangles": [{"utility": 1, "bounds": [["beds", 0, 1], ["beds", 2, 3]]}]}},
            r"bounds\[1\]: issue 'beds' is bounded twice",
        ),
        ({"max_utlity": 2}, r"ufuns\[0\]\.max_utlity: unknown key; did you mean 'max_utility'"),
    ],
)
def test_bad_json_boxes_are_refused_naming_the_path(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    s = Scenario.from_genius_folder(write_garden(tmp_path / "garden"))
    s.to_json(tmp_path / "s.json")
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    data["ufuns"][0].update(change)
    (tmp_path / "s.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ScenarioError, match=message):
        Scenario.load(tmp_path / "s.json")
