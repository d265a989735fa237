"""A Scenario's default names are NegMAS's: its outcome space's and its utility functions'."""

from __future__ import annotations

from pathlib import Path

from palaver.negmas import (
    ContiguousIssue,
    LinearAdditiveUtilityFunction,
    Scenario,
    make_issue,
    make_os,
)


def _ufun(space: object, name: str | None, rising: bool) -> LinearAdditiveUtilityFunction:
    f = (lambda x: x / 2) if rising else (lambda x: 1 - x / 2)
    return LinearAdditiveUtilityFunction(values={"q": f}, outcome_space=space, name=name)


def test_named_space_and_ufuns_name_the_scenario_and_its_files(tmp_path: Path) -> None:
    space = make_os([make_issue(3, "q")], name="deal")
    scenario = Scenario(
        outcome_space=space, ufuns=(_ufun(space, "seller", True), _ufun(space, "buyer", False))
    )
    assert (scenario.name, scenario.ufun_names) == ("deal", ("seller", "buyer"))
    scenario.to_genius_folder(tmp_path)
    assert {"seller.xml", "buyer.xml"} <= {p.name for p in tmp_path.iterdir()}
    assert Scenario.load(tmp_path).ufun_names == ("seller", "buyer")


def test_unnamed_or_clashing_names_keep_palavers_defaults() -> None:
    space = make_os([make_issue(3, "q")])
    unnamed = Scenario(space, [_ufun(space, None, True), _ufun(space, "b", False)])
    assert (unnamed.name, unnamed.ufun_names) == ("scenario", ("u0", "u1"))
    same = Scenario(space, [_ufun(space, "x", True), _ufun(space, "x", False)])
    assert same.ufun_names == ("u0", "u1")
    given = Scenario(
        space, [_ufun(space, "x", True), _ufun(space, "y", False)], name="n", ufun_names=["p", "q"]
    )
    assert (given.name, given.ufun_names) == ("n", ("p", "q"))


def _unnamed_pair() -> Scenario:
    space = make_os([make_issue(3, "q")])
    return Scenario(space, [_ufun(space, None, True), _ufun(space, None, False)], name="deal")


def test_loaded_ufuns_are_named_after_their_profiles_in_every_format(tmp_path: Path) -> None:
    # NegMAS's loaded functions carry their profile's name; the scenario's ufun_names agree.
    for kind in ("xml", "geniusweb", "json"):
        folder = tmp_path / kind
        _unnamed_pair().dumpas(folder, type=kind)
        loaded = Scenario.load(folder)
        assert [u.name for u in loaded.ufuns] == list(loaded.ufun_names) == ["u0", "u1"], kind


def test_a_genius_domain_names_the_outcome_space_after_its_file(tmp_path: Path) -> None:
    _unnamed_pair().to_genius_folder(tmp_path)
    domains = [p.stem for p in tmp_path.glob("*.xml") if p.stem not in ("u0", "u1")]
    assert Scenario.load(tmp_path).outcome_space.name == domains[0]


def test_loaded_integer_issues_are_contiguous_issues_as_in_negmas(tmp_path: Path) -> None:
    # NegMAS 0.16 loads a Genius integer issue as ContiguousIssue((lo, hi), name).
    for kind in ("xml", "geniusweb"):
        folder = tmp_path / kind
        _unnamed_pair().dumpas(folder, type=kind)
        issue = Scenario.load(folder).outcome_space.issues[0]
        assert isinstance(issue, ContiguousIssue) and issue.values == (0, 2), kind
        assert issue == make_issue(3, "q") and list(issue.all) == [0, 1, 2]
