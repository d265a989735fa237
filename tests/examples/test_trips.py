"""The shipped TripsWorld, its agents, and ``palaver run``."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from palaver.cli.app import app
from palaver.examples import WORLDS
from palaver.examples.trips import (
    AWI,
    Person,
    RandomPerson,
    SmartPerson,
    TripsAWI,
    TripsWorld,
    build_trips,
)
from palaver.preferences import LinearUtilityFunction


def test_random_person_uses_its_whole_quota_and_accepts_everything() -> None:
    world = build_trips(5, 4, seed=1, smart_fraction=0.0)
    world.run()
    totals = world.totals
    assert totals["n_negotiations_requested"] == 5 * 8 * 4
    assert totals["n_negotiations_rejected"] == 0 and totals["n_negotiations_refused"] == 0
    callers = {r.caller for r in world.saved_negotiations}
    assert callers == set(world.agents)
    assert all(len(r.partners) == 2 for r in world.saved_negotiations)


def test_quota_follows_the_world_setting() -> None:
    world = build_trips(3, 2, seed=1, smart_fraction=0.0, negotiation_quota_per_step=2)
    world.run()
    assert world.totals["n_negotiations_requested"] == 3 * 2 * 2
    assert AWI is TripsAWI


def test_smart_person_avoids_breachers() -> None:
    world = TripsWorld(n_steps=8, seed=4)
    smart = SmartPerson(id="smart")
    # aligned preferences: every negotiation ends in a trip
    for agent, breach_prob in (
        (smart, 0.0),
        (RandomPerson(id="bad"), 1.0),
        (RandomPerson(id="good"), 0.0),
    ):
        ufun = LinearUtilityFunction([0.2, 0.3, 0.1], reserved_value=0.0)
        world.join(agent, preferences=ufun, breach_prob=breach_prob)
    world.run()
    assert smart.breachers == {"bad"}
    breaches = [b for b in world.saved_breaches if "smart" in b.contract.partners]
    assert breaches
    learned = min(b.step for b in breaches)
    later = [
        r
        for r in world.saved_negotiations
        if {"smart", "bad"} <= set(r.partners) and r.requested_at > learned
    ]
    assert later == []
    assert world.totals["n_negotiations_rejected"] > 0  # bad's requests to smart refused
    assert smart.tried.get("good", 0) > 0
    assert smart.respond_to_negotiation_request("bad", ["bad", "smart"], None) is None


def test_trips_world_scores_stats_and_state() -> None:
    world = build_trips(4, 5, seed=8)
    world.run()
    scores = world.scores()
    assert set(scores) == set(world.agents)
    for aid, agent in world.agents.items():
        assert world.stats[f"total_utility_{agent.name}"][-1] == pytest.approx(scores[aid])
        assert agent.awi.state == {"total_utility": scores[aid]}
    assert all(0 <= p <= 0.1 for p in world.breach_probabilities.values())
    assert isinstance(world.agents["smart00"], Person)
    with pytest.raises(ValueError, match="at least 2 agents"):
        build_trips(1, 2)


def test_trips_world_keeps_forced_options() -> None:
    world = TripsWorld(force_signing=False, default_signing_delay=3)
    assert world.signing_config.force_signing and world.signing_config.default_signing_delay == 0
    assert world.neg_quota_step == 8


def test_palaver_run_prints_a_summary_and_writes_files(tmp_path: Path) -> None:
    assert "trips" in WORLDS
    runner = CliRunner()
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["run", "trips", "--agents", "4", "--steps", "3", "--seed", "1", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    for label in ("agreements", "contracts executed", "breaches", "total utility", "smart00"):
        assert label in result.output
    assert (out / "stats.json").exists() and (out / "contracts.jsonl").exists()

    def count(label: str) -> int:
        row = next(line for line in result.output.splitlines() if f" {label} " in line)
        return int(row.split("│")[2])

    # Every signed contract is accounted for: executed, breached or still due.
    assert count("contracts signed") == (
        count("contracts executed")
        + count("contracts breached")
        + count("contracts still due at the end")
    )
    again = runner.invoke(app, ["run", "trips", "--agents", "4", "--steps", "3", "--seed", "1"])
    assert again.exit_code == 0
    assert (
        again.output.split("total utility per agent")[1]
        == result.output.split("total utility per agent")[1].split("logs and stats")[0]
    )
    bad = runner.invoke(app, ["run", "mars"])
    assert bad.exit_code != 0 and "unknown world" in bad.output


def test_the_worlds_own_statistics_reach_the_recording(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """#9 item 4: what post_step_stats adds is in the recording's stats table."""
    import palaver.recording as recording
    from palaver.examples.trips import build_trips
    from palaver.recording import SimulationRecorder

    world = build_trips(4, 3, seed=1)
    recorder = SimulationRecorder(world, output_dir=str(tmp_path))
    world.run()
    recorder.close()
    (path,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    names = recording.open(path).sql("select distinct name from stats").fetchall()
    names = {n for (n,) in names}
    assert {f"total_utility_{a}" for a in world.agents} <= names
    assert {"n_negotiations_accepted", "activity_level", "breach_level"} <= names


def test_a_request_made_in_init_reaches_an_initialised_smart_person() -> None:
    """#15: SmartPerson reads what its init() sets up when asked to negotiate."""
    from palaver.examples.trips import RandomPerson, SmartPerson, TripsWorld
    from palaver.negotiators import AspirationNegotiator

    class EarlyBird(RandomPerson):
        def init(self) -> None:
            others = self.awi.agents
            self.awi.request_negotiation(others[:1], AspirationNegotiator(ufun=self.ufun))

    world = TripsWorld(n_steps=3, seed=4)
    world.join(EarlyBird(id="early"))  # joins first: its init runs first
    world.join(SmartPerson(id="smart"))
    world.run()
    assert world.status == "completed"
    assert world.totals["n_negotiations_accepted"] >= 1
    smart = world.agents["smart"]
    assert smart.tried.get("early", 0) >= 1
