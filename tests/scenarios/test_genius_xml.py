"""Genius XML: reading by hand-worked utilities, round trips, and every bad input."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pytest
from scenario_files import GENIUS_ALICE, GENIUS_BOB, GENIUS_DOMAIN, write_genius

from palaver import (
    LinearAdditiveUtilityFunction,
    LinearUtilityFunction,
    MappingUtilityFunction,
    Scenario,
    make_issue,
    make_os,
)
from palaver.outcomes import CategoricalIssue, ContinuousIssue, IntegerIssue
from palaver.scenarios import ScenarioError, ScenarioWarning


def test_domain_issues_of_every_type(tmp_path: Path) -> None:
    s = Scenario.from_genius_folder(write_genius(tmp_path / "holiday"))
    place, days, budget = s.issues
    assert isinstance(place, CategoricalIssue) and place.values == ("beach", "city", "mountains")
    assert isinstance(days, IntegerIssue) and (days.min_value, days.max_value) == (1, 5)
    assert isinstance(budget, ContinuousIssue) and budget.numeric_bounds() == (100.0, 500.0)
    assert s.name == "holiday" and s.ufun_names == ("holiday-alice", "holiday-bob")
    assert s.source == tmp_path / "holiday"


def test_utilities_follow_genius_semantics(tmp_path: Path) -> None:
    s = Scenario.from_genius_folder(write_genius(tmp_path / "holiday"))
    alice, bob = s.ufuns
    # Discrete evaluations are divided by the issue's largest (8 -> 1, 4 -> .5).
    assert alice(("beach", 5, 100.0)) == pytest.approx(1.0)
    assert alice(("city", 3, 300.0)) == pytest.approx(0.5 * 0.5 + 0.3 * 0.5 + 0.2 * 0.5)
    assert alice(("mountains", 1, 500.0)) == pytest.approx(0.5 * 0.25)
    assert bob(("city", 1, 500.0)) == pytest.approx(1.0)
    assert bob(("beach", 5, 100.0)) == pytest.approx(0.4 / 3)
    assert bob({"place": "mountains", "days": 2, "budget": 300.0}) == pytest.approx(
        0.4 * 2 / 3 + 0.35 * 0.75 + 0.25 * 0.5
    )
    assert s.reserved_values == (0.25, 0.3)
    assert s.discount_factors == (0.9, 1.0)


def test_files_and_folder_agree_and_options_apply(tmp_path: Path) -> None:
    folder = write_genius(tmp_path / "h")
    s = Scenario.from_genius_files(
        folder / "holiday-domain.xml",
        [folder / "holiday-bob.xml", folder / "holiday-alice.xml"],
        ignore_discount=True,
        ignore_reserved=True,
    )
    assert s.name == "holiday-domain" and s.ufun_names == ("holiday-bob", "holiday-alice")
    assert s.discount_factors == (1.0, 1.0)
    assert s.reserved_values == (-math.inf, -math.inf)
    o = ("city", 2, 250.0)
    folder_s = Scenario.from_genius_folder(folder)
    assert s.ufuns[1](o) == pytest.approx(folder_s.ufuns[0](o))


def test_round_trip_is_exact_for_genius_files(tmp_path: Path) -> None:
    s = Scenario.from_genius_folder(write_genius(tmp_path / "in"))
    s.to_genius_folder(tmp_path / "out")
    back = Scenario.from_genius_folder(tmp_path / "out")
    assert back.outcome_space == s.outcome_space
    # discretize changes a scenario in place: compare copies, export the originals
    assert np.array_equal(back.copy().discretize(9).utilities, s.copy().discretize(9).utilities)
    assert back.reserved_values == s.reserved_values
    assert back.discount_factors == s.discount_factors
    assert back.ufun_names == s.ufun_names and back.name == s.name
    back.to_genius_folder(tmp_path / "again")
    for f in ("domain.xml", "holiday-alice.xml", "holiday-bob.xml", "_scenario.json"):
        assert (tmp_path / "again" / f).read_text() == (tmp_path / "out" / f).read_text()


def test_integer_issue_valued_by_a_table_is_written_as_discrete(tmp_path: Path) -> None:
    space = make_os([make_issue(3, "n")])
    table = LinearAdditiveUtilityFunction([{0: 0.2, 1: 1.0, 2: 0.0}])
    line = LinearAdditiveUtilityFunction([None])
    s = Scenario(space, [table, line])
    s.to_genius_folder(tmp_path / "t")
    back = Scenario.from_genius_folder(tmp_path / "t")
    assert back.issues[0].values == ("0", "1", "2")
    assert back.utilities[:, 0].tolist() == pytest.approx([0.2, 1.0, 0.0])
    assert back.utilities[:, 1].tolist() == pytest.approx([0.0, 0.5, 1.0])


def test_round_trip_keeps_continuous_issues_and_linear_evaluators(tmp_path: Path) -> None:
    s = Scenario.from_genius_folder(write_genius(tmp_path / "in"))
    s.to_genius_folder(tmp_path / "out")
    back = Scenario.from_genius_folder(tmp_path / "out")
    assert back.outcome_space == s.outcome_space
    for o in [("beach", 1, 100.0), ("city", 4, 123.5), ("mountains", 5, 500.0)]:
        for a, b in zip(s.ufuns, back.ufuns, strict=True):
            assert a(o) == pytest.approx(b(o), abs=1e-12)
    text = (tmp_path / "out" / "holiday-alice.xml").read_text()
    assert 'ftype="linear"' in text and "<discount_factor" in text


def test_role_order_survives_through_the_meta_file(tmp_path: Path) -> None:
    space = make_os([make_issue(["a", "b"], "x")])
    ufuns = [
        LinearAdditiveUtilityFunction([{"a": 1.0, "b": 0.0}]),
        LinearAdditiveUtilityFunction([{"a": 0.0, "b": 1.0}]),
    ]
    s = Scenario(space, ufuns, name="order", ufun_names=["zed", "amy"], info={"year": 2024})
    s.to_genius_folder(tmp_path / "o")
    back = Scenario.from_genius_folder(tmp_path / "o")
    assert back.ufun_names == ("zed", "amy") and back.info == {"year": 2024}
    assert back.ufuns[0](("a",)) == 1.0
    (tmp_path / "o" / "_scenario.json").unlink()
    assert Scenario.from_genius_folder(tmp_path / "o").ufun_names == ("amy", "zed")


def test_any_linear_additive_is_written_as_a_positive_affine_image(tmp_path: Path) -> None:
    space = make_os([make_issue(["a", "b", "c"], "x"), make_issue(4, "n"), make_issue(3, "m")])
    u = LinearAdditiveUtilityFunction(
        [{"a": -2.0, "b": 5.0, "c": 1.0}, None, {0: 3.0, 1: 0.0, 2: 1.0}],
        weights=[0.7, -1.5, 2.0],
        bias=4.0,
        reserved_value=1.0,
    )
    v = LinearUtilityFunction([0.0, 1.0, -1.0], bias=-3.0, reserved_value=-10.0)
    s = Scenario(space, [u, v])
    s.to_genius_folder(tmp_path / "g")
    back = Scenario.from_genius_folder(tmp_path / "g")
    for i in range(2):
        old, new = s.utilities[:, i], back.utilities[:, i]
        slope, shift = np.polyfit(old, new, 1)
        assert slope > 0 and np.allclose(slope * old + shift, new)
        assert back.reserved_values[i] == pytest.approx(slope * s.reserved_values[i] + shift)
        assert new.min() >= -1e-12 and new.max() <= 1 + 1e-12
    assert np.array_equal(back.stats.pareto_indices, s.stats.pareto_indices)
    assert s.stats.nash is not None and back.stats.nash is not None
    # Issue "m" has a table value function: written as discrete, its values as text.
    assert back.issues[2].values == ("0", "1", "2")
    assert back.stats.nash.index == s.stats.nash.index


def test_normalized_scenarios_export_through_their_wrappers(tmp_path: Path) -> None:
    s = Scenario.from_genius_folder(write_genius(tmp_path / "in")).discretize(5)
    n = s.normalize(to=(-1.0, 3.0))
    n.to_genius_folder(tmp_path / "out")
    back = Scenario.from_genius_folder(tmp_path / "out")
    assert np.allclose(back.normalize(to=(-1.0, 3.0)).utilities, n.utilities)


def test_what_genius_cannot_hold_is_refused(tmp_path: Path) -> None:
    space = make_os([make_issue(3, "k")])
    table = MappingUtilityFunction({(0,): 1.0, (1,): 0.0, (2,): 0.5})
    s = Scenario(space, [table, table])
    with pytest.raises(ScenarioError, match=r"MappingUtilityFunction.*dumpas"):
        s.to_genius_folder(tmp_path / "x")
    cont = make_os([make_issue((0.0, 1.0), "p")])
    curved = LinearAdditiveUtilityFunction([lambda x: x * x])
    with pytest.raises(ScenarioError, match="not linear; discretise"):
        Scenario(cont, [curved, curved]).to_genius_folder(tmp_path / "y")
    with pytest.raises(ScenarioError, match="1 profile paths for 2 ufuns"):
        Scenario(space, [table, table]).to_genius_files(tmp_path / "d.xml", [tmp_path / "a.xml"])


def test_categorical_non_string_values_come_back_as_text(tmp_path: Path) -> None:
    space = make_os([make_issue([1, 2, 3], "n")])
    u = LinearAdditiveUtilityFunction([{1: 0.0, 2: 0.5, 3: 1.0}])
    Scenario(space, [u, u]).to_genius_folder(tmp_path / "t")
    back = Scenario.from_genius_folder(tmp_path / "t")
    assert back.issues[0].values == ("1", "2", "3")
    assert back.ufuns[0](("2",)) == 0.5


# -- bad input: a clear ScenarioError naming the file and the element --------------


def _with(tmp_path: Path, alice: str = GENIUS_ALICE, bob: str = GENIUS_BOB) -> Path:
    return write_genius(tmp_path / "bad", alice, bob)


@pytest.mark.parametrize(
    ("old", "new", "match"),
    [
        ('<item index="3" value="mountains" evaluation="2"/>', "", r"\['mountains'\].*no <item>"),
        ('value="beach" evaluation="8"', 'value="sea" evaluation="8"', "'sea'.*another domain"),
        ('<weight index="2" value="0.3"/>', "", "'days'.*has no <weight>"),
        ('evaluation="4"', 'evaluation="four"', "evaluation='four' is not a number"),
        ('evaluation="4"', 'evaluation="-4"', "negative evaluation"),
        ('<weight index="1" value="0.5"/>', "", "'place'.*has no <weight>"),
        ('ftype="linear" slope="0.25"', 'ftype="exponential" slope="0.25"', "'exponential'"),
        ('parameter1="-0.0025"', 'parameter1="0.0025"', "evaluates to 1.5 at 100.0.*clips"),
        ('<discount_factor value="0.9"/>', '<discount_factor value="1.5"/>', "not in"),
        ('<reservation value="0.25"/>', '<reservation value="high"/>', "<reservation>"),
        ("</utility_space>\n", "</utility_spac>\n", "malformed XML"),
    ],
)
def test_bad_profiles(tmp_path: Path, old: str, new: str, match: str) -> None:
    assert old in GENIUS_ALICE
    folder = _with(tmp_path, alice=GENIUS_ALICE.replace(old, new))
    with pytest.raises(ScenarioError, match=match) as info:
        Scenario.from_genius_folder(folder)
    assert "holiday-alice.xml" in str(info.value)


def test_weights_can_be_normalised_on_request(tmp_path: Path) -> None:
    heavy = GENIUS_ALICE.replace(
        '<weight index="3" value="0.2"/>', '<weight index="3" value="0.7"/>'
    )
    s = Scenario.from_genius_folder(_with(tmp_path, alice=heavy), normalize_weights=True)
    assert s.ufuns[0](("beach", 5, 100.0)) == pytest.approx(1.0)
    assert s.ufuns[0].weights.tolist() == pytest.approx([0.5 / 1.5, 0.3 / 1.5, 0.7 / 1.5])  # type: ignore[attr-defined]


def test_weights_not_summing_to_one_are_used_as_genius_does(tmp_path: Path) -> None:
    heavy = GENIUS_ALICE.replace(
        '<weight index="3" value="0.2"/>', '<weight index="3" value="0.3"/>'
    )
    with pytest.warns(ScenarioWarning, match=r"holiday-alice.xml.*sum to 1\.1.*as given"):
        s = Scenario.from_genius_folder(_with(tmp_path, alice=heavy))
    assert s.ufuns[0].weights.tolist() == pytest.approx([0.5, 0.3, 0.3])  # type: ignore[attr-defined]
    assert s.ufuns[0](("beach", 5, 100.0)) == pytest.approx(1.1)


def test_issues_and_weights_are_tied_by_index_as_genius_does(tmp_path: Path) -> None:
    # Genius reads a profile's issue by its index: a name that is another
    # domain issue's is read as the domain's issue at that index, with a warning.
    swapped = GENIUS_ALICE.replace('name="place"', 'name="days_"').replace(
        'name="days"', 'name="place"'
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        s = Scenario.from_genius_folder(_with(tmp_path, alice=swapped))
    said = sorted(str(w.message).split(": ", 1)[1] for w in caught if w.category is ScenarioWarning)
    assert len(said) == 2 and "index='2' name='place'> is the domain's issue 'days'" in said[1]
    reference = Scenario.from_genius_folder(_with(tmp_path / "ref"))
    assert s.ufuns[0](("city", 3, 300.0)) == pytest.approx(reference.ufuns[0](("city", 3, 300.0)))


def test_an_objective_weight_is_ignored_and_a_stray_one_is_said(tmp_path: Path) -> None:
    # ANAC 2012's files weigh their root objective too (index 0 here): no issue's weight.
    own = GENIUS_ALICE.replace(
        '<weight index="3" value="0.2"/>',
        '<weight index="3" value="0.2"/><weight index="0" value="1.0"/>',
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = Scenario.from_genius_folder(_with(tmp_path, alice=own))
    assert s.ufuns[0](("beach", 5, 100.0)) == pytest.approx(1.0)
    stray = GENIUS_ALICE.replace(
        '<weight index="3" value="0.2"/>',
        '<weight index="3" value="0.2"/><weight index="7" value="0.4"/>',
    )
    with pytest.warns(ScenarioWarning, match=r"<weight index='7'> names no <issue>.*ignored"):
        s = Scenario.from_genius_folder(_with(tmp_path / "stray", alice=stray))
    assert s.ufuns[0](("beach", 5, 100.0)) == pytest.approx(1.0)


def test_an_integer_line_counts_from_the_lower_bound_and_is_clipped(tmp_path: Path) -> None:
    # Genius: offset + slope * (x - lowerbound), clipped to [0, 1] (days 1..5).
    steep = GENIUS_ALICE.replace('slope="0.25" offset="0.0"', 'slope="0.5" offset="-0.25"')
    s = Scenario.from_genius_folder(_with(tmp_path, alice=steep))
    days = {d: (s.ufuns[0](("mountains", d, 500.0)) - 0.5 * 0.25) / 0.3 for d in range(1, 6)}
    assert days == pytest.approx({1: 0.0, 2: 0.25, 3: 0.75, 4: 1.0, 5: 1.0})
    # Written back, Genius reads the same values: a clipped line is a table,
    # which Genius XML holds as a discrete issue (its values as text).
    s.to_genius_folder(tmp_path / "out")
    again = Scenario.from_genius_folder(tmp_path / "out")
    for d in range(1, 6):
        assert again.ufuns[0](("city", str(d), 250.0)) == pytest.approx(
            s.ufuns[0](("city", d, 250.0))
        )


def test_an_integer_line_is_written_from_the_lower_bound(tmp_path: Path) -> None:
    s = Scenario.from_genius_folder(_with(tmp_path))
    s.to_genius_folder(tmp_path / "out")
    text = (tmp_path / "out" / "holiday-bob.xml").read_text()
    # Bob's days line, 1.25 - .25 d, is 1 at the lower bound (1).
    assert 'slope="-0.25" offset="1.0"' in text
    again = Scenario.from_genius_folder(tmp_path / "out")
    for d in range(1, 6):
        o = ("beach", d, 300.0)
        assert again.ufuns[1](o) == pytest.approx(s.ufuns[1](o))


def test_discount_factor_zero_means_none(tmp_path: Path) -> None:
    zero = GENIUS_ALICE.replace('value="0.9"', 'value="0"')
    assert Scenario.from_genius_folder(_with(tmp_path, alice=zero)).discount_factors == (1.0, 1.0)


@pytest.mark.parametrize(
    ("old", "new", "match"),
    [
        ('<item index="2" value="city"/>', '<item index="2"/>', "<item> #2 has no value"),
        ('type="integer" etype', 'type="set" etype', "type 'set' is not one of"),
        ('lowerbound="1" upperbound="5"', 'lowerbound="1.5" upperbound="5"', "integer bounds"),
        ('<range lowerbound="100.0" upperbound="500.0"/>', "", "no lowerbound/upperbound"),
        ('upperbound="500.0"', 'upperbound="50.0"', "empty continuous range"),
        ('name="place" type', "type", "has no name"),
        ("<negotiation_template>", "<negotiation_templat>", "malformed XML"),
    ],
)
def test_bad_domains(tmp_path: Path, old: str, new: str, match: str) -> None:
    assert old in GENIUS_DOMAIN
    folder = _with(tmp_path)
    (folder / "holiday-domain.xml").write_text(GENIUS_DOMAIN.replace(old, new))
    with pytest.raises(ScenarioError, match=match) as info:
        Scenario.from_genius_files(
            folder / "holiday-domain.xml",
            [folder / "holiday-alice.xml", folder / "holiday-bob.xml"],
        )
    assert "holiday-domain.xml" in str(info.value)


@pytest.mark.parametrize("keyword", ["profiles", "ufuns"])
def test_one_profile_is_refused_naming_the_parameter_and_count(
    tmp_path: Path, keyword: str
) -> None:
    folder = _with(tmp_path)
    with pytest.raises(
        ScenarioError, match=rf"{keyword} must list at least two profile files .*got 1"
    ):
        Scenario.from_genius_files(
            folder / "holiday-domain.xml", **{keyword: [folder / "holiday-alice.xml"]}
        )


def test_files_swapped_or_missing(tmp_path: Path) -> None:
    folder = _with(tmp_path)
    alice, bob = folder / "holiday-alice.xml", folder / "holiday-bob.xml"
    with pytest.raises(ScenarioError, match=r"root element is <utility_space>.*profile file"):
        Scenario.from_genius_files(alice, [bob, bob])
    with pytest.raises(ScenarioError, match=r"<negotiation_template>.*domain file"):
        Scenario.from_genius_files(
            folder / "holiday-domain.xml", [folder / "holiday-domain.xml"] * 2
        )
    with pytest.raises(
        ScenarioError, match=r"profiles must list at least two profile files.*got 0"
    ):
        Scenario.from_genius_files(folder / "holiday-domain.xml", [])
    with pytest.raises(ScenarioError, match="cannot read"):
        Scenario.from_genius_files(folder / "nope.xml", [alice, bob])
    (folder / "holiday-domain.xml").unlink()
    with pytest.raises(ScenarioError, match="no Genius domain file"):
        Scenario.from_genius_folder(folder)
    only_domain = tmp_path / "only"
    only_domain.mkdir()
    (only_domain / "d.xml").write_text(GENIUS_DOMAIN)
    with pytest.raises(ScenarioError, match="no Genius profile file"):
        Scenario.from_genius_folder(only_domain)
    with pytest.raises(ScenarioError, match="not a folder"):
        Scenario.from_genius_folder(tmp_path / "missing")


def test_a_profile_of_another_domain_with_same_issue_names(tmp_path: Path) -> None:
    other = GENIUS_DOMAIN.replace('value="mountains"', 'value="lake"')
    folder = _with(tmp_path)
    (folder / "holiday-domain.xml").write_text(other)
    with pytest.raises(ScenarioError, match=r"'mountains'.*another domain"):
        Scenario.from_genius_folder(folder)


def test_integer_issue_valued_item_by_item(tmp_path: Path) -> None:
    # NegMAS writes integer issues of a profile as items; their evaluations are
    # divided by the largest like any discrete issue's.
    items = "".join(f'<item index="{d}" value="{d}" evaluation="{2 * d}"/>' for d in range(1, 6))
    alice = GENIUS_ALICE.replace('<evaluator ftype="linear" slope="0.25" offset="0.0"/>', items)
    s = Scenario.from_genius_folder(_with(tmp_path, alice=alice))
    assert s.ufuns[0](("beach", 5, 100.0)) == pytest.approx(1.0)
    assert s.ufuns[0](("beach", 1, 100.0)) == pytest.approx(0.5 + 0.3 * 0.2 + 0.2)
    bad = alice.replace('value="3" evaluation', 'value="three" evaluation')
    with pytest.raises(ScenarioError, match="value='three'> is not a value of the domain"):
        Scenario.from_genius_folder(_with(tmp_path / "b", alice=bad))


def test_scenarios_with_real_issues_normalise_without_discretising(tmp_path: Path) -> None:
    s = Scenario.from_genius_folder(write_genius(tmp_path / "h"))
    n = s.normalize(to=(0.0, 10.0))
    alice = n.ufuns[0]
    # Alice spans [0.5*.25 + 0 + 0, 1], Bob [.1333, 1]: one scale, 10 / (1 - .125),
    # so Alice's worst outcome maps to 0 and Bob's to 10 - .8667 * 10 / .875.
    assert alice(("mountains", 1, 500.0)) == pytest.approx(0.0)
    assert alice(("beach", 5, 100.0)) == pytest.approx(10.0)
    assert n.is_normalized(to=(0.0, 10.0))
    bob_worst = 10 - (1 - 0.4 / 3) * 10 / 0.875
    assert n.discretize(5).utilities.max(axis=0) == pytest.approx([10.0, 10.0])
    assert n.utilities.min(axis=0) == pytest.approx([0.0, bob_worst], abs=1e-9)


def test_meta_and_negmas_info_files(tmp_path: Path) -> None:
    folder = _with(tmp_path)
    (folder / "_info.json").write_text('{"year": 2010}')
    assert Scenario.from_genius_folder(folder).info == {"year": 2010}
    (folder / "_scenario.json").write_text('{"profiles": ["holiday-bob.xml"]}')
    with pytest.raises(
        ScenarioError, match=r"_scenario.json: lists profiles \['holiday-bob.xml'\]"
    ):
        Scenario.from_genius_folder(folder)
    (folder / "_scenario.json").write_text("[1]")
    with pytest.raises(ScenarioError, match=r"_scenario\.json: expected a JSON object"):
        Scenario.from_genius_folder(folder)


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        # A misspelled key was ignored: the roles fell back to file-name order.
        (
            '{"profile": ["holiday-bob.xml", "holiday-alice.xml"]}',
            r"_scenario\.json: profile: unknown key; did you mean 'profiles'\?",
        ),
        ('{"profiles": 5}', r"_scenario\.json: profiles: expected a list of file names, got 5"),
        ('{"name": 5}', r"_scenario\.json: name: expected a string, got 5"),
        # A text info was read as the path of another file to load.
        ('{"info": "/etc/hostname"}', r"_scenario\.json: info: expected a JSON object"),
    ],
)
def test_a_meta_file_with_unknown_keys_or_wrong_types_is_refused_naming_it(
    tmp_path: Path, meta: str, message: str
) -> None:
    folder = _with(tmp_path)
    (folder / "_scenario.json").write_text(meta)
    with pytest.raises(ScenarioError, match=message):
        Scenario.from_genius_folder(folder)


def test_a_negmas_info_file_that_is_not_an_object_is_refused_naming_it(tmp_path: Path) -> None:
    folder = _with(tmp_path)
    (folder / "_info.json").write_text("[2010]")
    with pytest.raises(ScenarioError, match=r"_info\.json: expected a JSON object .*got \[2010\]"):
        Scenario.from_genius_folder(folder)


def test_paths_that_would_overwrite_each_other_are_refused(tmp_path: Path) -> None:
    s = Scenario.from_genius_folder(write_genius(tmp_path / "in"))
    for domain, profiles in (
        (tmp_path / "d.xml", [tmp_path / "d.xml", tmp_path / "b.xml"]),
        (tmp_path / "d.xml", [tmp_path / "a.xml", tmp_path / "sub" / ".." / "a.xml"]),
    ):
        with pytest.raises(ScenarioError, match=r"to_genius_files: .* not distinct"):
            s.to_genius_files(domain, profiles)
    assert not (tmp_path / "d.xml").exists()


def test_a_scaled_utility_function_is_written_as_its_profile(tmp_path: Path) -> None:
    # scale_by gives an affine utility function: the Genius writer sees through
    # it (it refused it as "not linear-additive" when the two were separate classes).
    s = Scenario.from_genius_folder(_with(tmp_path))
    scaled = Scenario(
        s.outcome_space, [s.ufuns[0].scale_by(2.0), s.ufuns[1]], ufun_names=["a", "b"]
    )
    scaled.to_genius_folder(tmp_path / "out")
    back = Scenario.from_genius_folder(tmp_path / "out")
    o = ("city", 3, 300.0)
    assert back.ufuns[0](o) == pytest.approx(s.ufuns[0](o))  # Genius's scale again
    assert scaled.ufuns[0](o) == pytest.approx(2.0 * s.ufuns[0](o))


def test_weights_not_summing_to_one_are_written_back_as_read(tmp_path: Path) -> None:
    # Genius reads such weights as given, so the writer keeps them: the
    # utilities read back equal the ones read first (no rescaling to sum 1).
    heavy = GENIUS_ALICE.replace(
        '<weight index="3" value="0.2"/>', '<weight index="3" value="0.3"/>'
    )
    with pytest.warns(ScenarioWarning, match="sum to 1.1"):
        s = Scenario.from_genius_folder(_with(tmp_path, alice=heavy))
    s.to_genius_folder(tmp_path / "out")
    with pytest.warns(ScenarioWarning, match="sum to 1.1"):
        back = Scenario.from_genius_folder(tmp_path / "out")
    assert back.ufuns[0].weights.tolist() == pytest.approx([0.5, 0.3, 0.3])  # type: ignore[attr-defined]
    grid = s.outcome_space.to_discrete(4)
    assert [back.ufuns[0](o) for o in grid] == pytest.approx([s.ufuns[0](o) for o in grid])
    assert back.ufuns[0](("beach", 5, 100.0)) == pytest.approx(1.1)


def test_weights_summing_to_zero_are_rescaled_when_written(tmp_path: Path) -> None:
    # The reader refuses weights summing to 0, so the writer never keeps them.
    space = make_os([make_issue(["a", "b"], "x")])
    zero = LinearAdditiveUtilityFunction([{"a": 1.0, "b": 0.5}], [0.0], outcome_space=space)
    one = LinearAdditiveUtilityFunction([{"a": 0.0, "b": 1.0}], [1.0], outcome_space=space)
    Scenario(space, [zero, one]).to_genius_folder(tmp_path / "z")
    back = Scenario.from_genius_folder(tmp_path / "z")
    assert sum(back.ufuns[0].weights.tolist()) == pytest.approx(1.0)  # type: ignore[attr-defined]
