"""Logging, record files, what is saved, graphs, events and the recorder hook."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner
from world_helpers import LedgerWorld, pair_world

from palaver.cli.app import app
from palaver.events import EventBus, EventType, ListSink
from palaver.examples.trips import build_trips

Within = Callable[[float, Callable[[], Any]], "BaseException | None"]
"""The ``within`` fixture (tests/conftest.py)."""


def test_nothing_is_written_without_a_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    world, _, _ = pair_world(
        n_steps=3,
        log_ufuns=True,
        log_negotiations=True,
        log_stats_every=1,
        log_file_name="x.log",
        construct_graphs=True,
        extra_checkpoint_info={"a": 1},
    )
    world.log("hello", "ERROR")
    world.run()
    world.draw()  # returns the DOT text, writes nothing without a path
    trips = build_trips(4, 3, seed=1)  # every default
    trips.run()
    result = CliRunner().invoke(app, ["run", "trips", "--agents", "3", "--steps", "2"])
    assert result.exit_code == 0
    assert list(tmp_path.rglob("*")) == []


def test_log_folder_holds_log_records_and_stats(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    world, buyer, _ = pair_world(
        n_steps=4,
        breachers=("seller",),
        force_signing=True,
        log_folder=str(folder),
        log_file_name="run.log",
        log_file_level="INFO",
        log_ufuns=True,
        log_negotiations=True,
    )
    world.log("debug line", "DEBUG")
    world.log("info line")
    buyer.awi.loginfo("from the buyer")
    world.run()
    names = {p.name for p in folder.iterdir()}
    assert names >= {"run.log", "contracts.jsonl", "breaches.jsonl", "negotiations.jsonl"}
    assert names >= {"stats.json", "ufuns.jsonl", "negotiation_events.jsonl"}
    log = (folder / "run.log").read_text()
    assert "info line" in log and "[buyer] from the buyer" in log and "debug line" not in log
    contracts = [json.loads(line) for line in (folder / "contracts.jsonl").open()]
    assert {c["status"] for c in contracts} <= {"breached", "unexecuted"}
    assert "agreement_price" in contracts[0]
    breaches = [json.loads(line) for line in (folder / "breaches.jsonl").open()]
    assert breaches[0]["perpetrator"] == "seller"
    stats = json.loads((folder / "stats.json").read_text())
    assert len(stats["n_contracts_signed"]) == 4
    events = [json.loads(line) for line in (folder / "negotiation_events.jsonl").open()]
    assert {e["type"] for e in events} >= {"offer", "negotiation_started", "negotiation_ended"}
    ufuns = [json.loads(line) for line in (folder / "ufuns.jsonl").open()]
    assert [u["agent"] for u in ufuns] == ["buyer", "seller"]


def test_a_log_folder_holding_another_runs_files_is_refused_unless_exist_ok(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "logs"
    build_trips(n_agents=4, n_steps=3, seed=1, log_folder=str(folder)).run()
    with pytest.raises(FileExistsError, match=r"log_folder .*logs.* exist_ok=True") as info:
        build_trips(n_agents=4, n_steps=3, seed=2, log_folder=str(folder))
    assert "contracts.jsonl" in str(info.value)
    second = build_trips(n_agents=4, n_steps=3, seed=2, log_folder=str(folder), exist_ok=True)
    second.run()
    # replaced, not appended to: one line per contract and per step, of this run only
    ids = [json.loads(line)["id"] for line in (folder / "contracts.jsonl").open()]
    assert len(ids) == len(set(ids)) == len(second.saved_contracts)
    steps = [json.loads(line)["step"] for line in (folder / "stats.jsonl").open()]
    assert steps == [0, 1, 2]
    # a folder holding other files is not another run's
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    build_trips(n_agents=4, n_steps=2, seed=1, log_folder=str(other)).run()
    assert (other / "notes.txt").read_text() == "mine"


def test_no_logs_writes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    world, _, _ = pair_world(n_steps=2, log_folder=str(folder), no_logs=True)
    world.log("x")
    world.run()
    assert not folder.exists()


def test_log_to_file_false_leaves_out_the_text_log_only(tmp_path: Path) -> None:
    """As in NegMAS (and the tutorial: "log_to_file: If true, will log to a
    file"), the option is the text log's: the records, the stats and the files
    asked for with log_negotiations / log_ufuns are still written. It used to
    turn every file off without a word."""
    folder = tmp_path / "logs"
    world, _, _ = pair_world(
        n_steps=2,
        log_folder=str(folder),
        log_to_file=False,
        log_stats_every=1,
        log_negotiations=True,
        log_ufuns=True,
    )
    world.log("x")
    world.run()
    written = {p.name for p in folder.iterdir()}
    assert "log.txt" not in written
    assert {
        "contracts.jsonl",
        "negotiations.jsonl",
        "negotiation_events.jsonl",
        "stats.json",
        "stats.jsonl",
        "ufuns.jsonl",
    } <= written
    assert len(json.loads((folder / "stats.json").read_text())["n_contracts_signed"]) == 2
    # A second run refuses the folder: it holds a run's files (the text log aside).
    with pytest.raises(FileExistsError, match="log_folder"):
        pair_world(n_steps=2, log_folder=str(folder), log_to_file=False)


def test_log_to_screen(capsys) -> None:
    world = LedgerWorld(log_to_screen=True, log_screen_level="WARNING")
    world.log("quiet", "INFO")
    world.log("loud", "WARNING")
    err = capsys.readouterr().err
    assert "loud" in err and "quiet" not in err
    with pytest.raises(ValueError, match="log_screen_level must be a logging level"):
        LedgerWorld(log_to_screen=True, log_screen_level="LOUD")


SAVE_CASES = {
    # flag: (list it fills, world options that produce such items)
    "save_signed_contracts": ("saved_contracts", {"force_signing": True}),
    "save_cancelled_contracts": ("cancelled_contracts", {"default_signing_delay": 10}),
    "save_negotiations": ("saved_negotiations", {}),
    "save_unresolved_breaches": (
        "unresolved_breaches",
        {"force_signing": True, "breachers": ("seller",), "breach_processing": "NONE"},
    ),
}


@pytest.mark.parametrize("flag", sorted(SAVE_CASES))
def test_save_options(flag: str) -> None:
    name, options = SAVE_CASES[flag]
    on, _, _ = pair_world(n_steps=4, per_step=2, **options)
    off, _, _ = pair_world(n_steps=4, per_step=2, **{flag: False}, **options)
    on.run()
    off.run()
    assert getattr(on, name)
    assert getattr(off, name) == []
    assert on.totals == off.totals  # saving changes nothing else


def test_saved_lists_are_bounded() -> None:
    world, _, _ = pair_world(n_steps=6, per_step=3, max_saved=4)
    world.run()
    assert len(world.saved_negotiations) == 4
    assert world.saved_negotiations[-1].id == f"n{world.totals['n_negotiations_accepted']}"


def test_construct_graphs_and_draw(tmp_path: Path, within: Within) -> None:
    with pytest.raises(RuntimeError, match="construct_graphs"):
        LedgerWorld().draw()
    world, _, _ = pair_world(
        n_steps=4, breachers=("seller",), force_signing=True, construct_graphs=True
    )
    world.run()
    dot = world.draw()
    assert dot.startswith('digraph "LedgerWorld" {')
    assert '"buyer" -> "seller" [label="negotiation x4", color=blue];' in dot
    assert '"seller" -> "buyer" [label="contract' in dot
    assert "color=red" in dot  # breaches
    one = world.draw(steps=1, what=["request"], path=tmp_path / "g.dot")
    assert (tmp_path / "g.dot").read_text() == one
    assert '"buyer" -> "seller" [label="request", color=gray];' in one
    # Path() said "expected str, bytes or os.PathLike object"; write_text() blocked
    # for ever on a FIFO.
    with pytest.raises(TypeError, match=r"^path must be a path \(str or pathlib.Path\); got 3"):
        world.draw(path=3)  # type: ignore[arg-type]
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "fifo.dot")
        error = within(10, lambda: world.draw(path=tmp_path / "fifo.dot"))
        assert isinstance(error, OSError) and "fifo.dot' is a FIFO" in str(error)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("name", ["run.log", "contracts.jsonl"])
@pytest.mark.parametrize("exist_ok", [False, True])
def test_a_fifo_named_like_a_log_file_is_refused_when_the_world_is_made(
    tmp_path: Path, within: Within, name: str, exist_ok: bool
) -> None:
    # Opening it for appending blocked the run for ever at its first record.
    # (A folder there fails when written: see test_a_failing_stats_write_...)
    folder = tmp_path / "logs"
    folder.mkdir()
    os.mkfifo(folder / name)

    def make_and_run() -> None:
        world, _, _ = pair_world(
            n_steps=2, log_folder=str(folder), log_file_name="run.log", exist_ok=exist_ok
        )
        world.log("a line")
        world.run()

    error = within(10, make_and_run)
    assert isinstance(error, OSError) and f"{name}' is a FIFO" in str(error)
    assert sorted(p.name for p in folder.iterdir()) == [name]  # nothing written


def test_events_are_emitted_on_the_bus() -> None:
    bus = EventBus(run_id="r1")
    sink = ListSink()
    bus.add_sink(sink)
    world, _, _ = pair_world(
        n_steps=4,
        breachers=("seller",),
        force_signing=True,
        bus=bus,
        breach_processing="NONE",
    )
    assert world.bus is bus
    world.run()
    types = [e.type for e in sink.events]
    for t in (
        EventType.SIMULATION_START,
        EventType.STEP_START,
        EventType.NEGOTIATION_REQUESTED,
        EventType.NEGOTIATION_ACCEPTED,
        EventType.NEGOTIATION_STARTED,
        EventType.OFFER,
        EventType.RESPONSE,
        EventType.NEGOTIATION_ENDED,
        EventType.CONTRACT_CONCLUDED,
        EventType.CONTRACT_SIGNED,
        EventType.CONTRACT_BREACHED,
        EventType.STATS,
        EventType.STEP_END,
        EventType.SIMULATION_END,
    ):
        assert t in types, t
    assert types[0] == EventType.SIMULATION_START and types[-1] == EventType.SIMULATION_END
    assert [e.step for e in sink.of_type(EventType.STEP_START)] == [0, 1, 2, 3]
    offers = sink.of_type(EventType.OFFER)
    assert {e.agent_id for e in offers} == {"buyer", "seller"}  # owner ids of negotiators
    started = sink.of_type(EventType.NEGOTIATION_STARTED)[0]
    assert started.payload["agents"] == ["seller", "buyer"]
    requested = sink.of_type(EventType.NEGOTIATION_REQUESTED)[0]
    assert requested.agent_id == "buyer" and requested.payload["partners"] == ["seller", "buyer"]
    breached = sink.of_type(EventType.CONTRACT_BREACHED)[0]
    assert breached.payload["breaches"][0]["perpetrator"] == "seller"
    assert breached.contract_id
    changes = sink.of_type(EventType.STATE_CHANGE)
    assert changes[0].payload == {
        "changes": {"step": {"old": None, "new": 0}, "id": {"old": None, "new": "buyer"}}
    }
    assert changes[2].payload == {"changes": {"step": {"old": 0, "new": 1}}}
    cancelled = sink.of_type(EventType.NEGOTIATION_ENDED)[-1]
    assert cancelled.payload["result"] == "cancelled"


def test_more_events_executed_rejected_actions_messages_user() -> None:
    sink = ListSink()
    world, buyer, _ = pair_world(n_steps=4, force_signing=True, seller_accepts=True)
    world.bus.add_sink(sink)
    from palaver.world import Action

    buyer.awi.execute(Action("ok"))
    buyer.awi.send_message("seller", "hi")
    buyer.awi.record_event("my_event", {"x": [1, 2]})
    world.run()
    assert sink.of_type(EventType.CONTRACT_EXECUTED)
    assert sink.of_type(EventType.ACTION)[0].payload == {
        "action": "ok",
        "params": {},
        "success": True,
    }
    assert sink.of_type(EventType.MESSAGE)[0].payload["recipient_ids"] == ["seller"]
    assert sink.of_type("my_event")[0].payload == {"x": [1, 2]}
    rejected_world, _, _ = pair_world(n_steps=1, seller_accepts=False)
    rejected_world.bus.add_sink(sink)
    rejected_world.run()
    assert sink.of_type(EventType.NEGOTIATION_REJECTED)[0].payload["by"] == ["seller"]


def test_recorder_is_attached() -> None:
    attached: list[Any] = []

    class Recorder:
        def attach(self, world: Any) -> None:
            attached.append(world)
            world.bus.add_sink(ListSink())

    world = LedgerWorld(recorder=Recorder())
    assert attached == [world] and world.bus.active


def test_periodic_stats_are_appended_and_the_whole_series_written_once(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    world = LedgerWorld(n_steps=5, log_folder=str(folder), log_stats_every=2)
    world.step()
    world.step()
    lines = (folder / "stats.jsonl").read_text().splitlines()
    assert [json.loads(line)["step"] for line in lines] == [0, 1]
    assert not (folder / "stats.json").exists()
    world.run()
    rows = [json.loads(line) for line in (folder / "stats.jsonl").read_text().splitlines()]
    assert [r["step"] for r in rows] == [0, 1, 2, 3, 4]
    whole = json.loads((folder / "stats.json").read_text())
    assert whole["n_contracts_signed"] == [r["n_contracts_signed"] for r in rows]


@pytest.mark.parametrize("exist_ok", [False, True])
@pytest.mark.parametrize("option", ["log_folder", "checkpoint_folder"])
@pytest.mark.parametrize("below", [False, True])
def test_a_folder_option_naming_a_file_is_refused_when_the_world_is_built(
    tmp_path: Path, option: str, exist_ok: bool, below: bool
) -> None:
    """Not at the first write, mid-run (as a negotiation's crash, for the log folder)."""
    plain_file = tmp_path / "notes.txt"
    plain_file.write_text("mine")
    folder = plain_file / "sub" if below else plain_file
    kwargs: dict[str, Any] = {option: str(folder), "exist_ok": exist_ok}
    if option == "checkpoint_folder":
        kwargs["checkpoint_every"] = 1
    with pytest.raises(NotADirectoryError, match=f"{option} must be a folder") as info:
        LedgerWorld(**kwargs)
    assert repr(str(folder)) in str(info.value)
    assert plain_file.read_text() == "mine"


def _refuse(token: str) -> Any:
    raise ValueError(f"non-JSON token {token}")


def test_the_log_files_are_strict_json_when_a_statistic_is_not_finite(tmp_path: Path) -> None:
    """A statistic may be NaN (a mean of nothing) or infinite: written as text
    ("nan", "inf"), since Python's NaN token is refused by other JSON readers."""

    class Odd(LedgerWorld):
        def post_step_stats(self) -> None:
            self._stats["mean_price"].append(float("nan"))
            self._stats["best"].append([float("inf"), -np.inf])

    world = Odd(n_steps=2, log_folder=str(tmp_path), log_stats_every=1)
    world.run()
    series = json.loads((tmp_path / "stats.json").read_text(), parse_constant=_refuse)
    assert series["mean_price"] == ["nan", "nan"]
    assert series["best"] == [["inf", "-inf"], ["inf", "-inf"]]
    lines = (tmp_path / "stats.jsonl").read_text().splitlines()
    rows = [json.loads(line, parse_constant=_refuse) for line in lines]
    assert [r["mean_price"] for r in rows] == ["nan", "nan"]
    assert math.isnan(world.stats["mean_price"][0])  # in memory, still the number


def test_an_empty_private_state_sends_no_state_change() -> None:
    # Nothing changed that a sink could see: no {"changes": {}} event per agent.
    world, _, _ = pair_world(n_steps=3)
    world.get_private_state = lambda agent: {}  # type: ignore[method-assign]
    sink = ListSink(event_types=[EventType.STATE_CHANGE])
    world.bus.add_sink(sink)
    world.run()
    assert world.status == "completed" and sink.events == []
