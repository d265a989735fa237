"""Declaring tournaments: fields, TOML, names, line-ups, sweeps and seeds."""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import tournament_toys as toys

from palaver.tournaments import (
    Competitor,
    TournamentConfig,
    TournamentConfigError,
    as_config,
    load_config,
    plan_worlds,
    run_tournament,
)
from palaver.tournaments.assignment import lineups, sweep_points
from palaver.tournaments.config import MAX_WORLDS
from palaver.tournaments.seeds import assignment_rng, world_seed

TOYS = "tournament_toys"


def config(**overrides: object) -> TournamentConfig:
    fields: dict[str, object] = {
        "world": toys.ToyWorld,
        "competitors": [toys.Strong, toys.Medium, toys.Weak],
        "lineup_size": 2,
        "seed": 3,
    }
    fields.update(overrides)
    return TournamentConfig(**fields)  # type: ignore[arg-type]


def test_all_combinations() -> None:
    teams = lineups(["a", "b", "c", "d"], "all", 2)
    assert teams == [("a", "b"), ("a", "c"), ("a", "d"), ("b", "c"), ("b", "d"), ("c", "d")]
    assert lineups(["a", "b", "c"], "all", 3) == [("a", "b", "c")]


def test_round_robin_puts_everyone_in_every_seat_once() -> None:
    names = ["a", "b", "c", "d", "e"]
    teams = lineups(names, "round_robin", 3)
    assert len(teams) == len(names)
    for seat in range(3):
        assert sorted(team[seat] for team in teams) == names
    assert all(len(set(team)) == 3 for team in teams)


def test_random_lineups_are_reproducible_and_distinct_within() -> None:
    names = list("abcdef")
    first = lineups(names, "random", 3, 20, assignment_rng(9))
    assert first == lineups(names, "random", 3, 20, assignment_rng(9))
    assert first != lineups(names, "random", 3, 20, assignment_rng(10))
    assert len(first) == 20 and all(len(set(t)) == 3 for t in first)


def test_sweep_points_cover_the_grid() -> None:
    assert sweep_points({}) == [{}]
    points = sweep_points({"x": [1, 2], "y": ["a", "b", "c"]})
    assert len(points) == 6
    assert points[0] == {"x": 1, "y": "a"} and points[-1] == {"x": 2, "y": "c"}


def test_plan_counts_positions_and_seeds() -> None:
    cfg = config(sweep={"n_steps": [1, 2]}, repetitions=3)
    tasks = plan_worlds(cfg, 11)
    assert len(tasks) == 3 * 2 * 3
    assert [t.index for t in tasks] == list(range(18))
    assert len({t.world_id for t in tasks}) == 18
    assert len({t.seed for t in tasks}) == 18
    assert Counter(t.repetition for t in tasks) == {0: 6, 1: 6, 2: 6}
    assert all(0 <= t.seed < 2**63 for t in tasks)
    # Repetitions are the outer loop: the first worlds cover every line-up and point.
    assert {(t.lineup_index, t.config_index) for t in tasks[:6]} == {
        (i, p) for i in range(3) for p in range(2)
    }


def test_seed_depends_on_position_only() -> None:
    small = plan_worlds(config(repetitions=1), 5)
    large = plan_worlds(config(repetitions=4), 5)
    # Adding repetitions leaves the seeds of existing worlds alone.
    assert [t.seed for t in small] == [t.seed for t in large[: len(small)]]
    assert world_seed(5, 1, 0, 0) == world_seed(5, 1, 0, 0)
    assert world_seed(5, 1, 0, 0) != world_seed(6, 1, 0, 0)
    assert world_seed(5, 1, 0, 0) != world_seed(5, 0, 1, 0)


def test_zero_repetitions_is_refused() -> None:
    with pytest.raises(TournamentConfigError, match=r"repetitions must be an integer >= 1"):
        config(repetitions=0)


def test_a_tournament_too_large_to_plan_is_refused_when_declared(tmp_path: Path) -> None:
    # Planning 10**11 worlds filled the memory (or hung) after the results folder was made.
    with pytest.raises(
        TournamentConfigError,
        match=r"300000000000 worlds \(100000000000 repetitions x 1 sweep configurations x 3 "
        r"line-ups\), more than the 1,000,000",
    ):
        config(repetitions=10**11)
    with pytest.raises(TournamentConfigError, match=r"2000000 worlds \(2 repetitions x 1000 "):
        config(
            repetitions=2,
            sweep={"a": list(range(10)), "b": list(range(100))},
            assignment="random",
            n_lineups=1000,
        )
    (tmp_path / "big.toml").write_text(
        f'world = "{TOYS}:ToyWorld"\ncompetitors = ["{TOYS}:Strong", "{TOYS}:Weak"]\n'
        "repetitions = 100000000000\n"
    )
    with pytest.raises(TournamentConfigError, match=r"big\.toml: .*more than the 1,000,000"):
        run_tournament(tmp_path / "big.toml", tmp_path / "out", executor="serial")
    assert not (tmp_path / "out").exists()
    assert config(repetitions=MAX_WORLDS // 3).repetitions == MAX_WORLDS // 3  # 999,999 worlds


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"competitors": []}, "no competitors"),
        ({"competitors": [toys.Strong, toys.Strong]}, "repeated: \\['Strong'\\]"),
        ({"assignment": "swiss"}, "assignment must be one of"),
        ({"lineup_size": 4}, "lineup_size must be between 1 and 3"),
        ({"assignment": "random"}, "needs n_lineups"),
        ({"n_lineups": 3}, "only used by assignment 'random'"),
        ({"agents_per_competitor": 0}, "agents_per_competitor"),
        ({"sweep": {"n_steps": []}}, "has no values"),
        ({"sweep": {"noise": [0.1, 0.2, 0.1]}}, r"sweep 'noise' lists 0.1 more than once"),
        ({"sweep": {"noise": [[1], [1]]}}, r"sweep 'noise' lists \[1\] more than once"),
        ({"sweep": {"n_steps": [1]}, "world_params": {"n_steps": 2}}, "both in world_params"),
        ({"seed": 1.5}, "seed must be an integer"),
        ({"world_params": {"seed": 3}}, "'seed' cannot be a world parameter"),
        ({"time_budget": 0}, "time_budget must be a positive"),
        ({"max_retries": -1}, "max_retries"),
    ],
)
def test_bad_fields_are_refused(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(TournamentConfigError, match=message):
        config(**overrides)


def test_same_class_twice_needs_names() -> None:
    cfg = config(
        competitors=[
            Competitor(toys.Strong, name="plain"),
            Competitor(toys.Strong, name="boosted", params={"bonus": 5.0}),
        ]
    )
    assert [c.label for c in cfg.competitors] == ["plain", "boosted"]
    assert cfg.competitors[1].make().bonus == 5.0


def test_missing_classes_are_named_in_the_error() -> None:
    with pytest.raises(TournamentConfigError, match=r"cannot import module 'no_such_module'"):
        config(world="no_such_module:World").validate()
    with pytest.raises(TournamentConfigError, match=r"has no attribute 'NoSuchAgent'"):
        config(competitors=[f"{TOYS}:Strong", f"{TOYS}:NoSuchAgent"]).validate()
    with pytest.raises(TournamentConfigError, match=r"not a dotted name"):
        config(world="World").validate()


def test_constructor_that_raises_is_reported_before_any_world_runs() -> None:
    cfg = config(competitors=[toys.Strong, toys.Broken])
    with pytest.raises(TournamentConfigError, match=r"'Broken'.*ValueError: this agent cannot"):
        cfg.validate()


def test_dotted_names_resolve_in_both_spellings() -> None:
    cfg = config(world=f"{TOYS}.ToyWorld", competitors=[f"{TOYS}:Strong"], lineup_size=1)
    cfg.validate()
    assert cfg.world_factory() is toys.ToyWorld
    assert cfg.competitors[0].label == "Strong"


def test_fingerprint_tracks_the_declaration() -> None:
    assert config().fingerprint() == config().fingerprint()
    assert config().fingerprint() == config(world=f"{TOYS}:ToyWorld").fingerprint()
    by_name = config(competitors=[f"{TOYS}.Strong", f"{TOYS}:Medium", toys.Weak])
    assert config().fingerprint() == by_name.fingerprint()
    assert config().fingerprint() != config(seed=4).fingerprint()
    assert config().to_dict()["competitors"][0]["type"] == f"{TOYS}:Strong"


TOML = """
name = "toys"
world = "tournament_toys:ToyWorld"
seed = 42
repetitions = 2
assignment = "round_robin"
lineup_size = 2
agents_per_competitor = 2
time_budget = 30
score = "tournament_toys:doubled"

[world_params]
noise = 0.5

[sweep]
n_steps = [2, 3]

[[competitors]]
type = "tournament_toys:Strong"

[[competitors]]
type = "tournament_toys:Weak"
name = "weakling"
params = { bonus = 1.0 }
join = { bonus = 0.5 }

[[competitors]]
type = "tournament_toys.Medium"
"""


def test_toml_declares_everything(tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    path.write_text(TOML)
    cfg = load_config(path)
    assert cfg.name == "toys" and cfg.seed == 42 and cfg.repetitions == 2
    assert cfg.assignment == "round_robin" and cfg.size == 2
    assert cfg.world_params == {"noise": 0.5} and cfg.sweep == {"n_steps": [2, 3]}
    assert [c.label for c in cfg.competitors] == ["Strong", "weakling", "Medium"]
    assert cfg.competitors[1].params == {"bonus": 1.0}
    assert cfg.competitors[1].join_params == {"bonus": 0.5}
    assert cfg.score_function() is toys.doubled
    cfg.validate()
    assert as_config(str(path)) == cfg
    assert len(plan_worlds(cfg, cfg.seed or 0)) == 3 * 2 * 2


def test_toml_errors_name_the_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(TOML.replace("repetitions = 2", "repetitions = 0"))
    with pytest.raises(TournamentConfigError, match=r"bad.toml.*repetitions"):
        load_config(path)
    path.write_text("repetition = 3\n" + TOML)
    with pytest.raises(TournamentConfigError, match=r"unknown tournament field.*'repetition'"):
        load_config(path)
    path.write_text("world = \n")
    with pytest.raises(TournamentConfigError, match=r"bad.toml"):
        load_config(path)
    with pytest.raises(TournamentConfigError, match=r"does not exist"):
        load_config(tmp_path / "missing.toml")
    # Path(5) raised Python's "expected str, bytes or os.PathLike object", naming nothing.
    with pytest.raises(TournamentConfigError, match=r"^path must be the path of a TOML .* got 5"):
        load_config(5)  # type: ignore[arg-type]
    path.write_text('world = "x:Y"\ncompetitors = [{ name = "z" }]\n')
    with pytest.raises(TournamentConfigError, match=r"needs 'type'"):
        load_config(path)
    path.write_text('world = "x:Y"\ncompetitors = [{ type = "x:Z", kind = 1 }]\n')
    with pytest.raises(TournamentConfigError, match=r"unknown key.*'kind'"):
        load_config(path)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("noise = 0.5", 'noise = "loud"', r"world parameter 'noise' = 'loud' is a str; the "
         r"world's constructor takes float"),
        ("noise = 0.5", "noise = true", r"'noise' = True is a bool; .* takes float"),
        ("n_steps = [2, 3]", 'n_steps = [2, "3"]', r"sweep 'n_steps' = '3' is a str; .* takes int"),
        ("n_steps = [2, 3]", "n_steps = [2, 3.5]", r"sweep 'n_steps' = 3.5 is a float; .* int"),
        ("join = { bonus = 0.5 }", 'join = { bonus = "big" }', r"competitor 'weakling': join "
         r"parameter 'bonus' = 'big' is a str; world.join takes float"),
    ],
)  # fmt: skip
def test_world_parameter_values_are_checked_against_the_annotations_before_any_world_runs(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(TOML.replace(old, new))
    cfg = load_config(path)  # well-formed: the world is imported only by validate
    assert cfg.source == str(path)
    with pytest.raises(
        TournamentConfigError, match=rf"^{re.escape(str(path))}: tournament 'toys': .*{message}"
    ):
        cfg.validate()
    out = tmp_path / "out"
    with pytest.raises(TournamentConfigError, match=message):
        run_tournament(path, out=out, executor="serial", progress=False)
    assert not out.exists()


def test_values_the_annotations_allow_pass_and_others_are_named(tmp_path: Path) -> None:
    trips = "palaver.examples.trips"
    fine = {
        "n_steps": 2,  # int
        "time_limit": math.inf,  # float | None
        "negotiation_quota_per_step": 2,  # an int is a float
        "acceptance": "at_least_two",  # Literal["all", "at_least_two"]
        "breach_processing": "victim_then_perpetrator",  # an enum, its name or value
        "info": {"note": "x"},  # dict[str, Any] | None
        "neg_n_steps": np.int64(20),  # numpy's integers are ints, as the world takes them
        "neg_time_limit": np.float32(5.0),
    }
    TournamentConfig(
        world=f"{trips}:TripsWorld", competitors=[f"{trips}:RandomPerson"], world_params=fine
    ).validate()
    bad = TournamentConfig(
        world=f"{trips}:TripsWorld",
        competitors=[f"{trips}:RandomPerson"],
        world_params={"acceptance": "most"},
    )
    with pytest.raises(
        TournamentConfigError,
        match=r"world parameter 'acceptance' = 'most' is a str; the world's constructor takes "
        r"Literal\['all', 'at_least_two'\]",
    ):
        bad.validate()
    assert TournamentConfig(world=toys.ToyWorld, competitors=[toys.Strong]).source is None


@pytest.mark.parametrize(
    ("world_params", "sweep", "message"),
    [
        ({"time_limit": -1}, {}, r"world parameter 'time_limit' = -1: time_limit must be a "),
        ({}, {"negotiation_quota_per_step": [2, -2]}, r"sweep 'negotiation_quota_per_step' = -2"),
        ({"n_steps": 0}, {}, r"world parameter 'n_steps' = 0: n_steps must be an integer >= 1"),
        ({"log_screen_level": -5}, {}, r"'log_screen_level' = -5: log_screen_level must be"),
        # Options naming a choice: a str of the right type that no world accepts.
        (
            {"breach_processing": "SOMETIMES"},
            {},
            r"'breach_processing' = 'SOMETIMES': unknown breach_processing 'SOMETIMES'",
        ),
        (
            {},
            {"breach_processing": ["NONE", "RENEGOCIATION"]},
            r"sweep 'breach_processing' = 'RENEGOCIATION': unknown breach_processing",
        ),
        (
            {"mechanisms": {"NoSuchMechanism": {}}},
            {},
            r"'mechanisms' = .*unknown mechanism 'NoSuchMechanism'",
        ),
        (
            {"mechanisms": {"SAOMechanism": {"n_steps": 3}}},
            {},
            r"'mechanisms' = .*use the world option 'neg_n_steps'",
        ),
        (
            {},
            {"operations": [["AgentSteps", "Dance"]]},
            r"sweep 'operations' = .*'Dance'\]: operations: unknown operation 'Dance'",
        ),
    ],
)
def test_a_value_the_world_refuses_is_named_before_any_world_runs(
    tmp_path: Path, world_params: dict[str, object], sweep: dict[str, list[object]], message: str
) -> None:
    """Of the right type but out of range: every world would fail on it."""
    trips = "palaver.examples.trips"
    bad = TournamentConfig(
        world=f"{trips}:TripsWorld",
        competitors=[f"{trips}:RandomPerson", f"{trips}:SmartPerson"],
        world_params={"n_steps": 2, **world_params},
        sweep=sweep,
    )
    with pytest.raises(TournamentConfigError, match=message):
        bad.validate()
    out = tmp_path / "out"
    with pytest.raises(TournamentConfigError, match=message):
        run_tournament(bad, out=out, executor="serial", progress=False)
    assert not out.exists()


def test_choices_every_world_accepts_pass_the_vetting() -> None:
    """The choice checks refuse only what the World refuses: its spellings pass."""
    trips = "palaver.examples.trips"
    TournamentConfig(
        world=f"{trips}:TripsWorld",
        competitors=[f"{trips}:RandomPerson"],
        world_params={
            "n_steps": 2,
            "breach_processing": "victim_then_perpetrator",
            "mechanisms": {"negmas.sao.SAOMechanism": {"offering_is_accepting": False}},
            "operations": ["AgentSteps", "Negotiations", "ContractSigning"],
        },
        sweep={"acceptance": ["all", "at_least_two"]},
    ).validate()


def test_a_world_subclass_naming_a_parameter_gives_it_its_own_meaning() -> None:
    """A subclass declaring ``n_steps`` itself may read it otherwise (here: in days)."""
    from palaver.examples.trips import RandomPerson, TripsWorld

    class Weeks(TripsWorld):
        def __init__(self, n_steps: int = 1, **kwargs: object) -> None:
            super().__init__(n_steps=7 * abs(n_steps), **kwargs)

    TournamentConfig(
        world=Weeks, competitors=[RandomPerson], world_params={"n_steps": -1}
    ).validate()


def test_negmas_world_keywords_and_world_join_keywords_are_accepted() -> None:
    # NegMAS's World keywords (which World takes) and World.join's own
    # simulation_priority and annotation were refused as "not a parameter it accepts".
    trips = "palaver.examples.trips"
    negmas = {
        "shuffle_negotiations": True,
        "annotation": {"season": "spring"},
        "debug": False,
        "saved_details_level": 1,
        "event_types": ["contract_signed"],
        "ignore_negotiation_exceptions": True,
    }
    join = {"simulation_priority": 1, "annotation": {"role": "guide"}, "breach_prob": 0.0}
    TournamentConfig(
        world=f"{trips}:TripsWorld",
        competitors=[Competitor(f"{trips}:RandomPerson", join_params=join)],
        world_params=negmas,
    ).validate()
    for params, message in (
        ({"shuffle_negotiations": "yes"}, r"'shuffle_negotiations' = 'yes' is a str; .* bool"),
        ({"debg": True}, r"'debg' is not a parameter it accepts; did you mean 'debug'"),
    ):
        bad = TournamentConfig(
            world=f"{trips}:TripsWorld", competitors=[f"{trips}:RandomPerson"], world_params=params
        )
        with pytest.raises(TournamentConfigError, match=message):
            bad.validate()
    with pytest.raises(TournamentConfigError, match=r"join parameter 'x' is not a parameter"):
        TournamentConfig(
            world=f"{trips}:TripsWorld",
            competitors=[Competitor(f"{trips}:RandomPerson", join_params={"x": 1})],
        ).validate()


@pytest.mark.parametrize(
    ("world_params", "sweep"),
    [
        ({"log_folder": "logs"}, {}),
        ({}, {"checkpoint_folder": ["a", "b"]}),
        ({"log_folder": "logs", "exist_ok": True}, {}),
    ],
)
def test_a_folder_every_world_would_write_to_is_refused(
    world_params: dict[str, object], sweep: dict[str, list[object]]
) -> None:
    # Every world got the same log folder: the first wrote there and every later
    # one failed with FileExistsError (or, with exist_ok, replaced its files).
    trips = "palaver.examples.trips"
    bad = TournamentConfig(
        world=f"{trips}:TripsWorld",
        competitors=[f"{trips}:RandomPerson"],
        world_params=world_params,
        sweep=sweep,
        repetitions=2,
    )
    with pytest.raises(TournamentConfigError, match=r"would be one folder for every world"):
        bad.validate()


def test_config_by_dotted_name() -> None:
    assert as_config("tournament_toys:toy_tournament").name == "toy"
    with pytest.raises(TournamentConfigError, match=r"not a TournamentConfig"):
        as_config("tournament_toys:ToyAgent.skill")
