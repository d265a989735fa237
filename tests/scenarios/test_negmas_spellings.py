"""NegMAS scripts moved over with their imports changed: argument and attribute names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scenario_files import write_genius

from palaver.scenarios import Scenario, ScenarioError
from palaver.scenarios.generators import pies_scenario


def test_from_genius_files_takes_negmas_keywords(tmp_path: Path) -> None:
    folder = write_genius(tmp_path / "s")
    profiles = [folder / "holiday-alice.xml", folder / "holiday-bob.xml"]
    (tmp_path / "info.json").write_text(json.dumps({"source": "anac"}))
    s = Scenario.from_genius_files(
        domain=folder / "holiday-domain.xml",
        ufuns=profiles,
        info=tmp_path / "info.json",
        safe_parsing=True,
    )
    assert s.ufun_names == ("holiday-alice", "holiday-bob") and s.info == {"source": "anac"}
    assert Scenario.from_genius_files(folder / "holiday-domain.xml", profiles).ufun_names == (
        s.ufun_names
    )
    with pytest.raises(ScenarioError, match="exactly one of them"):
        Scenario.from_genius_files(folder / "holiday-domain.xml", profiles, ufuns=profiles)
    with pytest.raises(ScenarioError, match="exactly one of them"):
        Scenario.from_genius_files(folder / "holiday-domain.xml")
    (tmp_path / "list.json").write_text("[1]")
    with pytest.raises(ScenarioError, match=r"list\.json: expected a JSON object"):
        Scenario.from_genius_files(
            folder / "holiday-domain.xml", profiles, info=tmp_path / "list.json"
        )


def test_geniusweb_loaders_take_negmas_keywords(tmp_path: Path) -> None:
    # NegMAS's from_geniusweb_files(domain, ufuns, info, ignore_discount, ...,
    # safe_parsing) and from_geniusweb_folder(path, ignore_discount, ...): the
    # keywords were unexpected arguments (TypeError).
    pies_scenario(30, seed=2, name="pies").to_geniusweb_folder(tmp_path / "gw")
    domain = tmp_path / "gw" / "domain.json"
    profiles = [tmp_path / "gw" / "u0.json", tmp_path / "gw" / "u1.json"]
    s = Scenario.from_geniusweb_files(
        domain=domain, ufuns=profiles, ignore_discount=True, safe_parsing=True
    )
    assert s.ufun_names == ("u0", "u1")
    assert Scenario.from_geniusweb_files(domain, profiles).ufun_names == s.ufun_names
    folder = Scenario.from_geniusweb_folder(
        tmp_path / "gw", ignore_discount=True, safe_parsing=True
    )
    assert folder.ufun_names == s.ufun_names and folder.discount_factors == (1.0, 1.0)
    with pytest.raises(ScenarioError, match="exactly one of them"):
        Scenario.from_geniusweb_files(domain, profiles, ufuns=profiles)
    with pytest.raises(ScenarioError, match="ufuns must list at least two"):
        Scenario.from_geniusweb_files(domain, ufuns=profiles[:1])
    with pytest.raises(ScenarioError, match="ignore_discount must be True or False"):
        Scenario.from_geniusweb_folder(tmp_path / "gw", ignore_discount="no")  # type: ignore[arg-type]


def test_stats_have_negmas_names_and_values() -> None:
    stats = pies_scenario(300, seed=4).stats
    for name in (
        "pareto_utils", "pareto_outcomes", "nash_utils", "nash_outcomes", "kalai_utils",
        "kalai_outcomes", "modified_kalai_utils", "modified_kalai_outcomes", "ks_utils",
        "ks_outcomes", "modified_ks_utils", "modified_ks_outcomes", "max_welfare_utils",
        "max_welfare_outcomes", "max_relative_welfare_utils", "max_relative_welfare_outcomes",
        "opposition", "utility_ranges", "rational_fraction", "has_pareto_frontier",
    ):  # fmt: skip
        assert hasattr(stats, name), name
    # Values NegMAS 0.16 computes for this scenario (exported to Genius and read
    # back there); see the guide's "Coming from NegMAS" for the KS difference.
    assert stats.nash_utils == [pytest.approx((0.85943763986304, 0.7408780858854379))]
    assert stats.kalai_utils == [pytest.approx((0.6221838570933678, 0.8039401539320439))]
    assert stats.modified_kalai_utils == [pytest.approx((0.7834206049701578, 0.7832153056921163))]
    assert stats.modified_ks_utils == [pytest.approx((0.7834206049701578, 0.7832153056921163))]
    assert stats.max_relative_welfare_utils == [
        pytest.approx((0.85943763986304, 0.7408780858854379))
    ]
    assert stats.to_dict()["modified_kalai"]["utilities"] == list(stats.modified_kalai_utils[0])


def test_stats_can_be_assigned_as_negmas_scripts_do() -> None:
    s = pies_scenario(100, seed=1)
    s.stats = s.calc_stats()
    first = s.stats
    s.stats = None  # dropped: recomputed on next use
    assert s.stats is not first and s.stats.nash_utils == first.nash_utils
    with pytest.raises(ScenarioError, match="stats must be ScenarioStats"):
        s.stats = 3  # type: ignore[assignment]
