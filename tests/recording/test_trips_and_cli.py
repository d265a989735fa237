"""End to end: a TripsWorld recorded with no extra code, then inspected and exported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import palaver.recording as recording
from palaver.cli.app import app
from palaver.examples.trips import build_trips
from palaver.recording import SimulationRecorder


@pytest.fixture(scope="module")
def trips_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("trips")
    recorder = SimulationRecorder(None, output_dir=out, memory_window=2000)
    world = build_trips(n_agents=4, n_steps=4, seed=11, recorder=recorder)
    world.run()
    recorder.close()
    return recorder.folder


def test_trips_world_recorded_automatically(trips_folder: Path) -> None:
    reader = recording.open(trips_folder)
    assert reader.completion_status == "completed"
    assert reader.manifest["model_class"] == "TripsWorld"
    assert reader.manifest["seed"] == 11
    assert reader.manifest["parameters"]["n_steps"] == 4
    _, per_type = reader.counts()
    for t in (
        "simulation_start",
        "step_start",
        "negotiation_requested",
        "negotiation_started",
        "offer",
        "response",
        "negotiation_ended",
        "contract_signed",
        "stats",
        "step_end",
        "simulation_end",
    ):
        assert per_type.get(t, 0) > 0, t
    assert per_type["simulation_end"] == 1
    assert per_type["step_end"] == 4
    assert len(list((trips_folder / "events").glob("part-*.parquet"))) > 1
    seqs = reader.sql("SELECT seq FROM events WHERE seq IS NOT NULL ORDER BY index").fetchall()
    assert [s for (s,) in seqs] == sorted(s for (s,) in seqs)
    offer = reader.get_events_by_type("offer")[0]
    assert offer.metadata["negotiation_id"] and offer.agent_id in reader.counts()[0]
    changes = reader.get_events_by_type("state_change")
    assert all(set(e.content["changes"]) == {"total_utility"} for e in changes)


def test_same_seed_same_events(tmp_path: Path, trips_folder: Path) -> None:
    recorder = SimulationRecorder(None, output_dir=tmp_path)
    build_trips(n_agents=4, n_steps=4, seed=11, recorder=recorder).run()
    recorder.close()
    again, first = recording.open(recorder.folder), recording.open(trips_folder)
    # Negotiator names come from a process-wide counter, so contents that name
    # negotiators differ between two runs in one process; outcomes must not.
    sig = (
        "SELECT step, event_type, agent_id, json_extract(content, '$.outcome') "
        "FROM events ORDER BY index"
    )
    assert again.sql(sig).fetchall() == first.sql(sig).fetchall()


def test_inspect_and_export(trips_folder: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["inspect", str(trips_folder)])
    assert result.exit_code == 0, result.output
    assert "Events per type" in result.output and "offer" in result.output
    assert "Contracts and breaches over time" in result.output
    result = runner.invoke(
        app, ["inspect", str(trips_folder), "--agent", "smart00", "--limit", "3"]
    )
    assert result.exit_code == 0, result.output
    assert "Timeline of agent smart00" in result.output and "more" in result.output
    result = runner.invoke(app, ["inspect", str(trips_folder), "--agent", "nobody"])
    assert result.exit_code == 1
    target = tmp_path / "trips.json"
    result = runner.invoke(app, ["export", str(trips_folder), "--json", str(target)])
    assert result.exit_code == 0, result.output
    data = json.loads(target.read_text())
    assert list(data) == ["metadata", "events", "agent_summaries"]
    assert len(data["events"]) == len(recording.open(trips_folder))
    result = runner.invoke(app, ["inspect", str(target)])
    assert result.exit_code == 1 and "not a Palaver recording" in result.output


def test_an_agents_timeline_holds_its_negotiations_and_contracts(trips_folder: Path) -> None:
    # Contract, breach and negotiation start/end events name no agent (they
    # concern several), so `inspect --agent` left out every contract of the agent.
    reader = recording.open(trips_folder)
    agent, contract = reader.sql(
        "SELECT json_extract_string(content, '$.partners[0]'), contract_id FROM events "
        "WHERE event_type = 'contract_signed' ORDER BY index LIMIT 1"
    ).fetchall()[0]
    negotiation = reader.sql(
        f"SELECT negotiation_id FROM events WHERE event_type = 'contract_concluded' "
        f"AND contract_id = '{contract}'"
    ).fetchall()[0][0]
    result = CliRunner().invoke(
        app,
        ["inspect", str(trips_folder), "--agent", agent, "--limit", "0"],
        terminal_width=200,
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any("contract_signed" in line and contract in line for line in lines)
    assert any("negotiation_ended" in line and negotiation in line for line in lines)
    # Only the agent's own contracts: one that is party to none has none.
    outsiders = [
        a
        for (a,) in reader.sql(
            "SELECT DISTINCT agent_id FROM events WHERE agent_id IS NOT NULL"
        ).fetchall()
        if not reader.sql(
            "SELECT 1 FROM events WHERE event_type = 'contract_concluded' AND list_contains("
            f"CAST(json_extract(content, '$.partners') AS VARCHAR[]), '{a}')"
        ).fetchall()
    ]
    assert outsiders
    none = CliRunner().invoke(
        app, ["inspect", str(trips_folder), "--agent", outsiders[0], "--type", "contract_signed"]
    )
    assert none.exit_code == 1 and "no events match" in none.output
