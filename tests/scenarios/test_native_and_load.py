"""Palaver's JSON format, format detection (load), dumpas, and property round trips."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scenario_files import write_genius, write_geniusweb

from palaver import (
    LinearAdditiveUtilityFunction,
    LinearUtilityFunction,
    MappingUtilityFunction,
    Scenario,
    make_issue,
    make_os,
)
from palaver.outcomes import DiscretizedIssue
from palaver.scenarios import ScenarioError
from palaver.scenarios.canonical import LinearValue
from palaver.scenarios.generators import anl_scenarios


def mixed() -> Scenario:
    space = make_os(
        [
            make_issue(["beach", "city"], "place"),
            make_issue((1, 4), "days"),
            make_issue((0.0, 10.0), "budget"),
            DiscretizedIssue([0.0, 0.5, 1.0], "share"),
        ]
    )
    la = LinearAdditiveUtilityFunction(
        [{"beach": 1.0, "city": -0.4}, None, LinearValue(-0.1, 1.0), lambda x: x * x],
        weights=[0.5, -0.3, 0.1, 2.0],
        bias=0.25,
        reserved_value=0.2,
    )
    lin = LinearUtilityFunction([0.0, -1.0, 0.01, 2.0], bias=3.0, reserved_value=-math.inf)
    return Scenario(
        space,
        [la, lin],
        name="mixed",
        info={"source": "test", "roles": ["a", "b"]},
        discount_factors=[0.8, 1.0],
        ufun_names=["alice", "bob"],
    )


def test_native_round_trip_is_exact(tmp_path: Path) -> None:
    s = mixed()
    s.to_json(tmp_path / "m.json")
    back = Scenario.from_json(tmp_path / "m.json")
    assert back.outcome_space == s.outcome_space
    assert back.name == "mixed" and back.info == s.info
    assert back.ufun_names == ("alice", "bob") and back.discount_factors == (0.8, 1.0)
    assert back.reserved_values == (0.2, -math.inf)
    for o in [("beach", 1, 0.0, 0.5), ("city", 4, 7.25, 1.0), ("city", 2, 10.0, 0.0)]:
        assert back.ufuns[0](o) == s.ufuns[0](o)
        assert back.ufuns[1](o) == s.ufuns[1](o)
    assert type(back.ufuns[1]) is LinearUtilityFunction


def test_native_tables_and_wrappers(tmp_path: Path) -> None:
    space = make_os([make_issue(3, "k"), make_issue([True, False], "flag")])
    table = MappingUtilityFunction(
        {(0, True): 1.0, (1, False): 0.5}, default=0.1, reserved_value=0.05
    )
    fn = MappingUtilityFunction(lambda o: o[0] + (2 if o[1] else 0))
    s = Scenario(space, [table, fn])
    n = s.copy().normalize()
    for scenario in (s, n):
        scenario.to_json(tmp_path / "t.json")
        back = Scenario.from_json(tmp_path / "t.json")
        assert np.allclose(back.utilities, scenario.utilities)
        assert back.reserved_values == pytest.approx(scenario.reserved_values)
    back = Scenario.from_json(tmp_path / "t.json")
    assert back.ufuns[0]((2, True)) == pytest.approx(n.ufuns[0]((2, True)))


def test_callables_on_continuous_issues_and_odd_values_are_refused(tmp_path: Path) -> None:
    cont = make_os([make_issue((0.0, 1.0), "p")])
    f = MappingUtilityFunction(lambda o: o[0])
    with pytest.raises(ScenarioError, match="table of every outcome"):
        Scenario(cont, [f, f]).to_json(tmp_path / "x.json")
    curved = LinearAdditiveUtilityFunction([lambda x: x * x])
    with pytest.raises(ScenarioError, match="callable; discretise"):
        Scenario(cont, [curved, curved]).to_json(tmp_path / "y.json")
    tup = make_os([make_issue([(1, 2), (3, 4)], "pair")])
    u = LinearAdditiveUtilityFunction([{(1, 2): 0.0, (3, 4): 1.0}])
    with pytest.raises(ScenarioError, match=r"\(1, 2\) cannot be written to JSON"):
        Scenario(tup, [u, u]).to_json(tmp_path / "z.json")
    with pytest.raises(ScenarioError, match="info cannot be written"):
        Scenario(cont, [LinearUtilityFunction([1.0])] * 2, info={"x": object()}).to_json(
            tmp_path / "w.json"
        )


def _native(tmp_path: Path, change: Any) -> Path:
    mixed().discretize(3).to_json(tmp_path / "n.json")
    data = json.loads((tmp_path / "n.json").read_text())
    change(data)
    (tmp_path / "n.json").write_text(json.dumps(data))
    return tmp_path / "n.json"


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda d: d.update(format="other"), "format: expected 'palaver.scenario'"),
        (lambda d: d.update(version=99), "version 99 is not supported"),
        (lambda d: d["issues"][0].update(type="set"), r"issues\[0\].type: 'set'"),
        (lambda d: d["issues"][1].update(min="one"), r"issues\[1\]: .*integer bounds"),
        (lambda d: d["ufuns"][0]["weights"].pop(), r"ufuns\[0\].weights: 3 weights for 4"),
        (lambda d: d["ufuns"][0]["weights"].__setitem__(0, "x"), r"ufuns\[0\].weights\[0\]"),
        (lambda d: d["ufuns"][0]["values"][0]["table"].pop(), r"values\[0\].table: value\(s\)"),
        (lambda d: d["ufuns"][0]["values"][0]["table"][0].__setitem__(0, "sea"), "'sea' is not"),
        (lambda d: d["ufuns"][0]["values"][1].update(type="cubic"), r"values\[1\].type: 'cubic'"),
        (lambda d: d["ufuns"][1].update(reserved_value="low"), r"ufuns\[1\].reserved_value"),
        (lambda d: d["ufuns"][1].update(type="neural"), r"ufuns\[1\].type: 'neural'"),
        # A type that is a list or an object raised a bare "unhashable type" TypeError.
        (lambda d: d["issues"][0].update(type=[]), r"issues\[0\].type: \[\] is not one of"),
        (lambda d: d["ufuns"][1].update(type={}), r"ufuns\[1\].type: \{\} is not one of"),
        (
            lambda d: d["ufuns"][0]["values"][1].update(type=["linear"]),
            r"values\[1\].type: \['linear'\] is not one of",
        ),
        (lambda d: d["ufuns"][1].update(discount_factor=2.0), "discount_factors"),
        (lambda d: d["ufuns"][1].pop("name"), r"ufuns\[1\].name"),
        (lambda d: d.update(info=[1]), "info: expected a JSON object"),
        # Unknown keys were dropped: a misspelled reserved_value left the default 0.
        (
            lambda d: d["ufuns"][0].update(reserved_valu=0.9),
            r"ufuns\[0\]\.reserved_valu: unknown key; did you mean 'reserved_value'\?",
        ),
        (lambda d: d.update(issue=[]), r"the file\.issue: unknown key; did you mean 'issues'"),
        (lambda d: d["issues"][1].update(step=2), r"issues\[1\]\.step: unknown key"),
        (lambda d: d["ufuns"][0]["values"][2].update(slop=1), r"values\[2\]\.slop: unknown key"),
        (lambda d: d["ufuns"][1].update(values=[]), r"ufuns\[1\]\.values: unknown key"),
        # A value listed twice: the second replaced the first.
        (
            lambda d: d["ufuns"][0]["values"][0]["table"].append(["beach", 0.0]),
            r"values\[0\]\.table\[2\]: 'beach' is listed twice",
        ),
        # 10**30 values: listing the missing ones filled the memory.
        (
            lambda d: (
                d["issues"][1].update(max=10**30),
                d["ufuns"][0]["values"].__setitem__(1, {"type": "table", "table": [[1, 0.5]]}),
            ),
            r"value\(s\) \[2, 3, 4, 5, 6, 7, 8, 9, 10, 11\] \.\.\. "
            r"\(999999999999999999999999999999 in all\) of issue 'days' missing",
        ),
        (
            lambda d: (
                d["issues"].__setitem__(
                    2, {"name": "budget", "type": "continuous", "min": 0.0, "max": 10.0}
                ),
                d["ufuns"][0]["values"].__setitem__(2, {"type": "table", "table": [[5.0, 1.0]]}),
            ),
            r"values\[2\]\.type: a table cannot cover the continuous issue 'budget'",
        ),
    ],
)
def test_bad_native_files(tmp_path: Path, change: Any, match: str) -> None:
    path = _native(tmp_path, change)
    with pytest.raises(ScenarioError, match=match):
        Scenario.from_json(path)


def test_native_malformed_json_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text('{"format": "palaver.scenario", ')
    with pytest.raises(ScenarioError, match=r"x.json: malformed JSON"):
        Scenario.from_json(tmp_path / "x.json")


def test_load_detects_every_format(tmp_path: Path) -> None:
    g = Scenario.load(write_genius(tmp_path / "genius"))
    w = Scenario.load(write_geniusweb(tmp_path / "web"))
    mixed().dumpas(tmp_path / "native")
    n_folder = Scenario.load(tmp_path / "native")
    n_file = Scenario.load(tmp_path / "native" / "mixed.json")
    assert g.n_issues == 3 and w.n_issues == 2
    assert n_folder.name == n_file.name == "mixed"
    assert Scenario.load(tmp_path / "genius", ignore_discount=True).discount_factors == (1.0, 1.0)
    assert Scenario.load(tmp_path / "web", ignore_reserved=True).reserved_values[0] == -math.inf
    assert Scenario.load(tmp_path / "native", load_info=False).info == {}
    assert n_folder.info == {"source": "test", "roles": ["a", "b"]}
    nm = Scenario.load(tmp_path / "genius", safe_parsing=False, load_stats=False)
    assert nm.n_issues == 3
    assert g.remove_reserved_values(0.1).reserved_values == (0.1, 0.1)
    assert Scenario.is_loadable(tmp_path / "web") and not Scenario.is_loadable(tmp_path)
    with pytest.raises(ScenarioError, match="no Palaver scenario file, Genius domain"):
        Scenario.load(tmp_path)
    with pytest.raises(ScenarioError, match="not a Palaver scenario file"):
        Scenario.load(tmp_path / "genius" / "holiday-domain.xml")
    with pytest.raises(ScenarioError, match="not a folder"):
        Scenario.load(tmp_path / "missing")


def test_dumpas_every_type_and_stats(tmp_path: Path) -> None:
    s = Scenario.from_genius_folder(write_genius(tmp_path / "in")).discretize(5)
    for kind in ("json", "xml", "genius", "geniusweb"):
        s.dumpas(tmp_path / kind, type=kind)
        back = Scenario.load(tmp_path / kind)
        assert np.allclose(back.utilities, s.utilities), kind
    s.dumpas(tmp_path / "stats", save_stats=True)
    stats = json.loads((tmp_path / "stats" / "_stats.json").read_text())
    assert stats["n_outcomes"] == s.n_outcomes
    assert stats["opposition"] == pytest.approx(s.stats.opposition)
    assert len(stats["pareto_utils"]) == len(s.stats.pareto_indices)
    assert stats["nash"]["outcome"] == list(s.stats.nash.outcome)  # type: ignore[union-attr]
    s.dumpas(tmp_path / "lean", save_stats=True, include_pareto_frontier=False)
    lean = json.loads((tmp_path / "lean" / "_stats.json").read_text())
    assert lean["pareto_utils"] == [] and lean["pareto_outcomes"] == []  # NegMAS's shape
    assert lean["opposition"] == stats["opposition"]
    with pytest.raises(ScenarioError, match="YAML is not supported"):
        s.dumpas(tmp_path / "y", type="yml")
    with pytest.raises(ScenarioError, match="type 'csv' is not one of"):
        s.dumpas(tmp_path / "c", type="csv")


def test_generated_scenarios_round_trip_through_every_format(tmp_path: Path) -> None:
    for i, s in enumerate(anl_scenarios(6, n_outcomes=60, seed=2)):
        for kind in ("json", "xml", "geniusweb"):
            s.dumpas(tmp_path / f"{i}{kind}", type=kind)
            back = Scenario.load(tmp_path / f"{i}{kind}")
            assert back.outcome_space == s.outcome_space
            assert np.array_equal(back.utilities, s.utilities) or kind == "geniusweb"
            assert np.allclose(back.utilities, s.utilities, atol=1e-12)
            if kind != "geniusweb":
                assert back.reserved_values == s.reserved_values


values = st.floats(-5, 5, allow_nan=False, allow_infinity=False)


@st.composite
def additive_scenarios(draw: st.DrawFn) -> Scenario:
    sizes = draw(st.lists(st.integers(2, 4), min_size=1, max_size=3))
    space = make_os([make_issue([f"v{k}" for k in range(n)], f"i{j}") for j, n in enumerate(sizes)])
    ufuns = []
    for _ in range(2):
        tables = [{f"v{k}": draw(values) for k in range(n)} for n in sizes]
        weights = [draw(values) for _ in sizes]
        ufuns.append(
            LinearAdditiveUtilityFunction(
                tables, weights, bias=draw(values), reserved_value=draw(values)
            )
        )
    return Scenario(space, ufuns, name="h")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(additive_scenarios())
def test_any_additive_scenario_round_trips(tmp_path: Path, s: Scenario) -> None:
    s.to_json(tmp_path / "h.json")
    assert np.array_equal(Scenario.from_json(tmp_path / "h.json").utilities, s.utilities)
    s.to_genius_folder(tmp_path / "g")
    g = Scenario.from_genius_folder(tmp_path / "g")
    for i in range(2):
        old, new = s.utilities[:, i], g.utilities[:, i]
        span = old.max() - old.min()
        if span < 1e-3:  # near-constant: the affine map is ill-conditioned
            continue
        # Genius keeps the preferences up to a positive affine map.
        a = (new.max() - new.min()) / span
        b = new.min() - a * old.min()
        assert a > 0 and np.allclose(a * old + b, new, atol=1e-9)
        assert g.reserved_values[i] == pytest.approx(
            a * s.reserved_values[i] + b, rel=1e-9, abs=1e-6
        )
    # Written again, a Genius scenario comes back unchanged.
    g.to_genius_folder(tmp_path / "g2")
    assert np.array_equal(Scenario.from_genius_folder(tmp_path / "g2").utilities, g.utilities)


def test_paths_of_the_wrong_type(tmp_path: Path) -> None:
    with pytest.raises(
        ScenarioError, match=r"a path must be a non-empty str or pathlib\.Path, got 3"
    ):
        Scenario.load(3)  # type: ignore[arg-type]
    with pytest.raises(ScenarioError, match="expected a list of paths"):
        Scenario.from_genius_files(tmp_path / "d.xml", tmp_path / "p.xml")  # type: ignore[arg-type]
    with pytest.raises(ScenarioError, match="got None"):
        mixed().to_json(None)  # type: ignore[arg-type]


def test_loaded_and_generated_scenarios_pickle_for_process_executors(tmp_path: Path) -> None:
    import pickle

    loaded = Scenario.from_genius_folder(write_genius(tmp_path / "g")).discretize(3)
    generated = anl_scenarios(3, n_outcomes=40, seed=9)
    for s in [loaded, *generated]:
        s.stats  # noqa: B018
        back = pickle.loads(pickle.dumps(s))
        assert np.array_equal(back.utilities, s.utilities)
        assert back.stats.nash == s.stats.nash
        assert back.reserved_values == s.reserved_values and back.name == s.name


def test_a_one_party_scenario_is_written_only_where_it_is_read_back(tmp_path: Path) -> None:
    s = mixed().discretize(3)
    one = Scenario(s.outcome_space, [s.ufuns[0]], ufun_names=["alice"], name="solo")
    writers: list[tuple[str, Any]] = [
        ("to_genius_folder", lambda out: one.to_genius_folder(out)),
        ("to_genius_files", lambda out: one.to_genius_files(out / "d.xml", [out / "a.xml"])),
        ("to_geniusweb_folder", lambda out: one.to_geniusweb_folder(out)),
        ("to_genius_folder", lambda out: one.dumpas(out, type="xml")),
        ("to_geniusweb_folder", lambda out: one.dumpas(out, type="geniusweb")),
    ]
    for k, (method, write) in enumerate(writers):
        out = tmp_path / f"w{k}"
        with pytest.raises(
            ScenarioError,
            match=rf"{method}: the scenario has 1 utility function \(\['alice'\]\); .* "
            r"needs at least two.*Palaver JSON",
        ):
            write(out)
        assert not out.exists(), method
    one.dumpas(tmp_path / "json", type="json")
    back = Scenario.load(tmp_path / "json")
    assert back.ufun_names == ("alice",)
    assert np.array_equal(back.utilities, one.utilities)


def test_ufun_names_that_are_no_file_names_survive_every_format(tmp_path: Path) -> None:
    s = Scenario(
        mixed().discretize(3).outcome_space,
        [LinearAdditiveUtilityFunction([{"beach": 1.0, "city": 0.0}, None, None, None])] * 2,
        ufun_names=["buyer 1", "seller/2"],
        name="my deal",
    )
    for kind in ("json", "xml", "geniusweb"):
        s.dumpas(tmp_path / kind, type=kind)
        back = Scenario.load(tmp_path / kind)
        assert back.ufun_names == ("buyer 1", "seller/2"), kind
        assert back.name == "my deal"
    assert sorted(p.name for p in (tmp_path / "xml").iterdir()) == [
        "_scenario.json", "buyer_1.xml", "domain.xml", "seller_2.xml"
    ]  # fmt: skip
    meta = tmp_path / "xml" / "_scenario.json"
    meta.write_text(json.dumps({**json.loads(meta.read_text()), "ufun_names": ["a", "a"]}))
    with pytest.raises(ScenarioError, match=r"_scenario.json: ufun_names: .*must be distinct"):
        Scenario.load(tmp_path / "xml")


@pytest.mark.parametrize(
    ("name", "ufun_names"),
    [
        ("_hidden", ["_alice", ".bob"]),  # files starting so are skipped by the readers
        ("_stats", ["_scenario", "_stats"]),  # Palaver's own files: overwritten, then misread
        ("pareto", ["pareto", "x-pareto"]),  # a Genius *pareto.xml is a Pareto file
    ],
)
def test_every_name_gives_files_that_load_reads_back(
    tmp_path: Path, name: str, ufun_names: list[str]
) -> None:
    space = make_os([make_issue(["a", "b"], "x")])
    u = LinearAdditiveUtilityFunction([{"a": 1.0, "b": 0.0}], [1.0])
    s = Scenario(space, [u, u], name=name, ufun_names=ufun_names)
    for kind in ("json", "xml", "geniusweb"):
        s.dumpas(tmp_path / kind, type=kind, save_stats=True)
        back = Scenario.load(tmp_path / kind)
        assert (back.name, back.ufun_names) == (name, tuple(ufun_names)), kind
        assert json.loads((tmp_path / kind / "_stats.json").read_text())["n_outcomes"] == 2


def test_an_info_json_cannot_hold_is_refused_before_any_file_is_written(tmp_path: Path) -> None:
    space = make_os([make_issue(["a", "b"], "x")])
    u = LinearAdditiveUtilityFunction([{"a": 1.0, "b": 0.0}], [1.0])
    s = Scenario(space, [u, u], info={"when": object()})
    for kind in ("xml", "geniusweb"):
        with pytest.raises(ScenarioError, match=r"_scenario.json: cannot be written as JSON"):
            s.dumpas(tmp_path / kind, type=kind)
        assert not (tmp_path / kind).exists(), kind  # the profiles were written, then it failed


def test_load_reads_a_palaver_file_whatever_its_suffix(tmp_path: Path) -> None:
    s = mixed()
    s.to_json(tmp_path / "deal.scenario")  # to_json writes any path it is given
    assert Scenario.load(tmp_path / "deal.scenario").name == "mixed"
    (tmp_path / "notes.txt").write_text("not json")
    with pytest.raises(ScenarioError, match=r"notes\.txt: not a Palaver scenario file"):
        Scenario.load(tmp_path / "notes.txt")
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(ScenarioError, match=r"bad\.json: malformed JSON"):
        Scenario.load(tmp_path / "bad.json")
