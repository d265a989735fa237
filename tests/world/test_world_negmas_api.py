"""NegMAS-style world code beyond the tutorial (issue #9): keywords, generics, API."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from golden_worlds import Bazaar, Merchant
from world_helpers import ISSUES, LedgerWorld, Trader, pair_world

from palaver.examples.trips import build_trips
from palaver.mechanisms import ResponseType, SAOMechanism, SAOResponse
from palaver.world import (
    AWI,
    Agent,
    AgentWorldInterface,
    NegotiationRequestError,
    Operations,
    World,
    WorldParameterError,
)

Within = Callable[[float, Callable[[], Any]], "BaseException | None"]
"""The ``within`` fixture (tests/conftest.py)."""


def test_generics_and_simulation_priority() -> None:
    class MyAgent(Agent[AWI]):
        pass

    class MyWorld(LedgerWorld, World[AWI, MyAgent]):
        pass

    order: list[str] = []

    class Logged(Trader):
        def step(self) -> None:
            order.append(self.id)

    world = MyWorld(n_steps=3, seed=1)
    world.join(Logged(id="late"), simulation_priority=5)
    world.join(Logged(id="early"), simulation_priority=-1)
    world.join(Logged(id="middle"))
    world.run()
    assert order == ["early", "middle", "late"] * 3


def test_options_read_back_as_attributes() -> None:
    world = LedgerWorld(negotiation_speed=3, neg_n_steps=7, force_signing=True, n_steps=2)
    assert world.negotiation_speed == 3 and world.neg_n_steps == 7 and world.force_signing
    assert world.log_folder is None and world.exist_ok is False
    assert world.id == world.name == "LedgerWorld"


def test_negmas_keywords() -> None:
    world = LedgerWorld(
        id="w1",
        annotation={"purpose": "test"},
        ignore_negotiation_exceptions=True,
        saved_details_level=0,
        shuffle_negotiations=True,
        genius_port=0,
        storage_format=None,
    )
    assert world.id == "w1" and world.annotation == {"purpose": "test"}
    assert world.ignore_mechanism_exceptions is True
    assert world.save_negotiations is False  # NegMAS keeps negotiation details from level 2
    assert world.shuffle_negotiations is True
    assert LedgerWorld(saved_details_level=3).save_negotiations is True
    debug = LedgerWorld(debug=True)
    assert debug.debug and not debug.ignore_agent_exceptions
    with pytest.raises(WorldParameterError, match="contradicts"):
        LedgerWorld(debug=True, ignore_agent_exceptions=True)
    with pytest.raises(WorldParameterError, match="no Java bridge"):
        LedgerWorld(genius_port=9999)
    with pytest.raises(WorldParameterError, match="SimulationRecorder"):
        LedgerWorld(storage_format="csv")
    with pytest.raises(WorldParameterError, match="needs log_folder"):
        LedgerWorld(event_file_name="events.json")


def test_event_file_and_types(tmp_path: Path) -> None:
    world, _, _ = pair_world(
        n_steps=3,
        log_folder=str(tmp_path),
        event_file_name="events.json",
        event_types=["contract_signed", "step_start"],
    )
    world.run()
    lines = [json.loads(x) for x in (tmp_path / "events.json").read_text().splitlines()]
    assert {x["type"] for x in lines} == {"contract_signed", "step_start"}
    assert sum(x["type"] == "step_start" for x in lines) == 3


def test_disable_agent_printing(capsys: pytest.CaptureFixture[str]) -> None:
    class Chatty(Trader):
        def step(self) -> None:
            print("chatter")
            super().step()

    for disabled in (False, True):
        world = LedgerWorld(n_steps=2, seed=1, disable_agent_printing=disabled)
        world.join(Chatty(id="a"))
        world.join(Trader(id="b"))
        world.run()
        assert ("chatter" in capsys.readouterr().out) is not disabled


def test_shuffle_negotiations_changes_only_the_order() -> None:
    def run(shuffle: bool) -> tuple[list[str], dict[str, float]]:
        world, _, _ = pair_world(per_step=4, n_steps=4, shuffle_negotiations=shuffle)
        started: list[str] = []
        world.register_listener(
            "negotiation_started",
            type("L", (), {"on_event": lambda self, e, s: started.append(e.negotiation_id)})(),
        )
        world.run()
        return started, world.totals

    plain, shuffled = run(False), run(True)
    assert sorted(plain[0]) == sorted(shuffled[0]) and plain[0] != shuffled[0]
    assert plain[0] == sorted(plain[0], key=lambda n: int(n[1:]))


def test_register_listener_run_with_progress_times_and_exceptions() -> None:
    seen: list[tuple[str, Any]] = []

    class Listener:
        def on_event(self, event: Any, sender: Any) -> None:
            seen.append((event.type, sender))

    class Broken(LedgerWorld):
        def simulation_step(self, stage: int = 0) -> None:
            if stage == 0 and self.current_step == 1:
                raise RuntimeError("tectonic")

    world = Broken(n_steps=3, seed=1, ignore_simulation_exceptions=True)
    world.join(Trader(targets=["b"], per_step=1, id="a"))
    world.join(Trader(id="b", buyer=False))
    world.register_listener("contract_signed", Listener())
    world.register_listener(None, Listener())
    steps: list[int] = []
    world.run_with_progress(steps.append)
    assert steps == [0, 1, 2]
    assert {t for t, _ in seen} >= {"contract_signed", "simulation_end"}
    assert all(s is world for _, s in seen)
    assert sum(t == "contract_signed" for t, _ in seen) == 2 * world.totals["n_contracts_signed"]
    assert world.simulation_exceptions == {1: ["RuntimeError: tectonic"]}
    assert world.agent_exceptions == {} and world.mechanism_exceptions == {}
    assert set(world.times) == {"a", "b"} and all(t > 0 for t in world.times.values())
    with pytest.raises(TypeError, match="on_event"):
        world.register_listener(None, object())


def test_world_is_an_event_source_for_negmas_listeners() -> None:
    from palaver.events import EventSink, EventSource

    heard: list[tuple[str, Any]] = []

    class Monitor(EventSink):  # NegMAS's listeners subclass EventSink
        def on_event(self, event: Any, sender: EventSource) -> None:
            heard.append((event.type, sender))

    world = LedgerWorld(n_steps=2, seed=3)
    assert isinstance(world, EventSource)
    world.join(Trader(targets=["b"], per_step=1, id="a"))
    world.join(Trader(id="b", buyer=False))
    world.register_listener("simulation_end", Monitor())
    world.run()
    assert heard == [("simulation_end", world)]


AGENTS_FIRST = (
    Operations.StatsUpdate,
    Operations.AgentSteps,
    Operations.Negotiations,
    Operations.ContractSigning,
    Operations.ContractExecution,
    Operations.SimulationStep,
    Operations.StatsUpdate,
)


def _rounds(world: World) -> dict[str, int]:
    """Rounds played so far by each open negotiation."""
    return {n.id: n.mechanism.state.step for n in world.running_negotiations}


@pytest.mark.parametrize("speed", [None, 3])
def test_partial_steps_give_each_negotiation_k_rounds_per_call(speed: int | None) -> None:
    def build() -> World:
        return pair_world(
            per_step=3,
            n_steps=3,
            neg_n_steps=12,
            operations=AGENTS_FIRST,
            negotiation_speed=speed,
        )[0]

    whole = build()
    whole.run()
    world = build()
    assert world.step(n_neg_steps=0)  # the operations before the negotiations only
    assert world.current_step == 0 and set(_rounds(world).values()) == {0}
    calls, before = 1, _rounds(world)
    while world.step(n_neg_steps=2):
        calls += 1
        after = _rounds(world)
        if world.current_step < 3 and set(after) == set(before):
            # still inside the same step: every open negotiation took at most 2 rounds
            assert all(0 <= after[i] - before[i] <= 2 for i in after)
        before = after
    assert world.current_step == 3 and world.status == "completed"
    assert calls > 3  # the three steps ran in parts
    assert not world.step(n_neg_steps=2) and not world.step()
    # the parts add up to what whole steps do
    assert world.totals == whole.totals and world.stats == whole.stats


def test_partial_steps_with_n_mechanisms_take_the_negotiations_in_turn() -> None:
    world = pair_world(per_step=3, n_steps=1, neg_n_steps=8, operations=AGENTS_FIRST)[0]
    world.step(n_neg_steps=0)
    ids = list(_rounds(world))
    assert len(ids) == 3
    for expected in ([1, 0, 0], [1, 1, 0], [1, 1, 1], [2, 1, 1]):
        assert world.step(n_neg_steps=1, n_mechanisms=1)
        assert [_rounds(world)[i] for i in ids] == expected
    world.run()  # a whole step finishes the paused one
    assert world.status == "completed" and world.current_step == 1
    assert world.totals["n_negotiations_started"] == 3


def test_an_ended_negotiation_is_settled_at_the_next_call() -> None:
    world, buyer, _ = pair_world(per_step=1, n_steps=1, neg_n_steps=40, operations=AGENTS_FIRST)
    world.step(n_neg_steps=0)
    (info,) = world.running_negotiations
    while info.mechanism.state.running or not info.mechanism.state.started:
        world.step(n_neg_steps=1)
    # its final state is readable, the world has not acted on it yet
    assert world.running_negotiations == [info] and not buyer.named("success")
    assert world.step(n_neg_steps=1) is False  # settled, and the only step ended
    assert world.running_negotiations == [] and len(buyer.named("success")) == 1


def test_partial_step_arguments_are_checked() -> None:
    world = pair_world()[0]
    with pytest.raises(
        WorldParameterError, match=r"n_neg_steps must be an integer >= 0 or None, got -1"
    ):
        world.step(n_neg_steps=-1)
    with pytest.raises(
        WorldParameterError, match=r"n_mechanisms must be an integer >= 1 or None, got 0"
    ):
        world.step(n_neg_steps=1, n_mechanisms=0)
    with pytest.raises(WorldParameterError, match="neg_actions"):
        world.step(n_neg_steps=1, neg_actions={"n1": {}})
    assert world.current_step == 0 and world.status == "pending"


def test_neg_actions_make_a_negotiators_moves_for_it_once_and_are_used_up() -> None:
    world = pair_world(per_step=1, n_steps=1, neg_n_steps=20, operations=AGENTS_FIRST)[0]
    world.step(n_neg_steps=0)
    ((nid, running),) = world._negotiations.items()
    m = running.mechanism
    seller = next(n for n in m.negotiators if n.owner_id == "seller")
    outcome = m.outcome_space.random_outcome(seed=3)
    actions = {nid: {seller.id: SAOResponse(ResponseType.REJECT_OFFER, outcome)}}
    assert world.step(n_neg_steps=2, neg_actions=actions)
    assert actions == {nid: {}}  # used at the seller's first turn, then removed
    seller_offers = [o for r, who, o in m.history if who == seller.id]
    assert seller_offers[0] == outcome and m.state.step == 2
    assert "respond" not in vars(seller) and "propose" not in vars(seller)
    with pytest.raises(WorldParameterError, match=r"not running: \['nope'\]"):
        world.step(n_neg_steps=1, neg_actions={"nope": {}})
    with pytest.raises(WorldParameterError, match="must map negotiation ids"):
        world.step(n_neg_steps=1, neg_actions={nid: "x"})


def test_world_log_methods(tmp_path: Path) -> None:
    world = LedgerWorld(log_folder=str(tmp_path), log_file_level="DEBUG")
    world.logdebug("d-msg")
    world.loginfo("i-msg")
    world.logwarning("w-msg")
    world.logerror("e-msg")
    world.join(Trader(id="a"))
    world.join(Trader(id="b"))
    world.run()
    text = (tmp_path / "log.txt").read_text()
    for level, msg in (
        ("DEBUG", "d-msg"),
        ("INFO", "i-msg"),
        ("WARNING", "w-msg"),
        ("ERROR", "e-msg"),
    ):
        assert f"{level} {msg}" in text


def test_negotiation_speed_none_calls_an_overridden_mechanism_step() -> None:
    calls: list[int] = []

    class Counting(SAOMechanism):
        def step(self) -> Any:
            calls.append(1)
            return super().step()

    world, _, _ = pair_world(n_steps=2, mechanisms={Counting: {}})
    world.run()
    assert world.totals["n_negotiations_started"] > 0 and calls


def test_the_checkpoints_taken_before_step_zero_resumes_the_whole_run(tmp_path: Path) -> None:
    world = build_trips(
        4, 4, seed=3, checkpoint_every=2, checkpoint_folder=str(tmp_path), single_checkpoint=False
    )
    world.run()
    start = type(world).from_checkpoint(tmp_path / "000000_world.ckpt")
    assert start.current_step == 0
    start.run()
    assert start.stats == world.stats


def test_a_partner_is_initialised_before_a_request_made_in_init_reaches_it() -> None:
    class Careful(Merchant):
        def init(self) -> None:
            self.ready = True

        def respond_to_negotiation_request(self, initiator, partners, mechanism):  # type: ignore[no-untyped-def]
            assert self.ready, "asked before init"
            return super().respond_to_negotiation_request(initiator, partners, mechanism)

    from golden_worlds import ISSUES

    class Opener(Merchant):
        def init(self) -> None:
            seller = "seller0"
            req = self.create_negotiation_request(ISSUES, [self.id, seller], self.negotiator())
            assert self.awi.request_negotiation_about(ISSUES, [self.id, seller], req)

        def step(self) -> None:
            pass

    class Seller(Careful):
        def step(self) -> None:
            pass

    # the requester joins first, so its init runs first
    world = Bazaar(n_steps=2, seed=1)
    world.join(Opener(True, id="buyer0"))
    seller = Seller(False, id="seller0")
    world.join(seller)
    world.run()
    assert world.totals["n_negotiations_accepted"] == 1
    assert world.exceptions == type(world.exceptions)(maxlen=1000)


def test_world_parameter_table() -> None:
    bad: list[tuple[dict[str, Any], str]] = [
        ({"seed": 1.5}, "seed must be an int"),
        ({"seed": -1}, "seed must be an integer >= 0"),
        ({"seed": True}, "seed"),
        ({"time_limit": float("nan")}, "time_limit must be a positive number"),
        ({"time_limit": "10"}, "time_limit"),
        ({"n_steps": "5"}, "n_steps must be an int"),
        ({"neg_n_steps": 1.5}, "neg_n_steps must be an int"),
        ({"negotiation_speed": 1.5}, "negotiation_speed must be an int"),
        ({"negotiation_speed": 0}, "negotiation_speed"),
        ({"neg_time_limit": 0.0}, "neg_time_limit must be a positive number"),
        ({"neg_step_time_limit": -1}, "neg_step_time_limit"),
        ({"negotiator_time_limit": float("nan")}, "negotiator_time_limit"),
        ({"negotiation_quota_per_step": 1.5}, "negotiation_quota_per_step"),
        ({"negotiation_quota_per_simulation": -1}, "negotiation_quota_per_simulation"),
        ({"bus": "x"}, "bus must be a palaver.events.EventBus"),
        ({"awi_type": "nowhere.Nothing"}, "awi_type must be an importable dotted class name"),
        ({"awi_type": 3}, "awi_type must be AgentWorldInterface or a subclass"),
        ({"awi_type": int}, "awi_type must be AgentWorldInterface or a subclass"),
        ({"bulletin_board": {}}, "bulletin_board"),
        ({"recorder": 3}, "recorder"),
        ({"name": 3}, "name must be a non-empty str"),
        ({"name": ""}, "name must be a non-empty str"),
        ({"info": [1]}, "info must be a dict"),
        ({"shuffle_agents": "yes"}, "shuffle_agents must be True or False"),
        ({"operations": "AgentSteps"}, "operations must be a list"),
        ({"operations": []}, "operations must be a non-empty list"),
        ({"operations": ["Dance"]}, "unknown operation 'Dance'"),
        ({"breach_processing": "forgive"}, "unknown breach_processing 'forgive'"),
        ({"default_signing_delay": -1}, "default_signing_delay must be an integer >= 0"),
        ({"max_saved": 0}, "max_saved must be an integer >= 1 or None"),
        ({"neg_n_steps": None, "neg_time_limit": None}, "neg_n_steps=None with neg_time_limit"),
        ({"acceptance": "most"}, "acceptance must be 'all' or 'at_least_two'"),
        ({"force_signing": 1}, "force_signing must be True or False"),
        ({"default_signing_delay": 0.5}, "default_signing_delay"),
        ({"log_file_level": "LOUD"}, "log_file_level"),
        ({"log_screen_level": -5}, r"log_screen_level must be a logging level.*>= 0.*got -5"),
        ({"log_file_level": -1}, r"log_file_level must be a logging level.*got -1"),
        ({"log_file_level": 10.0}, r"log_file_level must be a logging level.*got 10\.0"),
        ({"log_file_name": "../escape.txt"}, "log_file_name must be a bare file name"),
        ({"log_file_name": "/tmp/abs.txt"}, "log_file_name"),
        ({"checkpoint_filename": "sub/dir"}, "checkpoint_filename must be a bare file name"),
        ({"checkpoint_filename": ".."}, "checkpoint_filename"),
        ({"checkpoint_every": 1.5}, r"checkpoint_every must be an int .*; got 1\.5"),
        ({"checkpoint_every": True}, r"checkpoint_every must be an int"),
        ({"checkpoint_folder": 3}, "checkpoint_folder"),
        ({"log_stats_every": 1.5}, "log_stats_every"),
        ({"max_saved": 0}, "max_saved"),
        ({"ignore_agent_exceptions": "no"}, "ignore_agent_exceptions"),
        ({"extra_checkpoint_info": [1]}, "extra_checkpoint_info"),
        ({"mechanisms": []}, "mechanisms"),
    ]
    for kwargs, message in bad:
        with pytest.raises((TypeError, ValueError), match=message):
            LedgerWorld(**kwargs)
    assert LedgerWorld(time_limit=float("inf")).time_limit is None
    assert LedgerWorld(awi_type="negmas.situated.AgentWorldInterface").awi_type is AWI
    assert LedgerWorld(awi_type="palaver.examples.trips.TripsAWI").awi_type.__name__ == "TripsAWI"
    assert LedgerWorld(neg_step_time_limit=float("inf")).neg_step_time_limit is None


def test_running_a_world_twice_is_refused() -> None:
    world, _, _ = pair_world(n_steps=2)
    world.run()
    with pytest.raises(RuntimeError, match="already run"):
        world.run()
    assert world.step() is False  # step() keeps answering that nothing ran


def test_malformed_requests_name_the_argument() -> None:
    world, buyer, _ = pair_world(n_steps=2)
    world.step()
    from world_helpers import ISSUES

    awi = buyer.awi
    for args, message in (
        ((ISSUES, ["seller", "buyer"], 7), "req_id must be a str"),
        ((None, ["seller", "buyer"], None), "issues must be a non-empty list"),
        (([1, 2], ["seller", "buyer"], None), "issues must be"),
        ((ISSUES, {"seller": 1}, None), "partners must be a list"),
        ((ISSUES, [1, 2], None), "partners must be a list of agent ids"),
    ):
        with pytest.raises(ValueError, match=message):
            awi.request_negotiation_about(*args)
    req = buyer.create_negotiation_request(ISSUES, ["seller", "buyer"], buyer.negotiator())
    with pytest.raises(ValueError, match="annotation must be a dict"):
        awi.request_negotiation_about(ISSUES, ["seller", "buyer"], req, annotation=[1])
    assert awi.request_negotiation_about(ISSUES, ["seller", "buyer"], req)


def test_checkpoint_into_a_folder_and_no_temporary_files(tmp_path: Path) -> None:
    world, _, _ = pair_world(n_steps=3)
    world.step()
    folder = tmp_path / "ck"
    folder.mkdir()
    written = world.checkpoint(folder)
    assert written == folder / "world.ckpt" and written.is_file()
    named = world.checkpoint(folder, file_name="mine.ckpt", info={"k": 1})
    assert named == folder / "mine.ckpt"
    assert json.loads((folder / "mine.ckpt.json").read_text())["extra"] == {"k": 1}
    by_step = world.checkpoint(folder, single_checkpoint=False)
    assert by_step.name == "000001_world.ckpt"
    with pytest.raises(FileExistsError):
        world.checkpoint(folder, exist_ok=False)
    with pytest.raises(WorldParameterError, match="file_name"):
        world.checkpoint(folder, file_name="../out.ckpt")
    # a leftover of a killed writer is removed; nothing temporary stays behind
    (folder / ".world.ckpt.palaver-tmp-abc123").write_bytes(b"partial")
    world.checkpoint(folder)
    assert not [p for p in tmp_path.rglob("*") if "palaver-tmp" in p.name]
    assert not (tmp_path / "ck.tmp").exists()


def test_checkpoint_temporary_file_is_removed_when_writing_fails(tmp_path: Path) -> None:
    world = LedgerWorld(n_steps=2)
    world.join(Trader(id="a"))
    world.join(Trader(id="b"))
    world.step()
    world.agents["a"].handle = (x for x in ())  # a generator cannot be pickled
    with pytest.raises(TypeError, match="generator"):
        world.checkpoint(tmp_path / "w.ckpt")
    assert list(tmp_path.iterdir()) == []


def test_resuming_into_the_same_log_folder_writes_each_record_once(tmp_path: Path) -> None:
    logs, ck = tmp_path / "logs", tmp_path / "ck"
    full_logs = tmp_path / "full"

    def build(folder: Path, **kwargs: Any) -> LedgerWorld:
        world, _, _ = pair_world(
            per_step=1, n_steps=8, force_signing=True, log_folder=str(folder), **kwargs
        )
        return world

    build(full_logs).run()
    build(logs, checkpoint_every=4, checkpoint_folder=str(ck), single_checkpoint=False).run()
    resumed = LedgerWorld.from_checkpoint(ck / "000004_world.ckpt")
    resumed.run()
    for name in ("contracts.jsonl", "negotiations.jsonl", "stats.jsonl"):
        if (full_logs / name).exists():
            assert (logs / name).read_text() == (full_logs / name).read_text(), name
    assert json.loads((logs / "stats.json").read_text()) == json.loads(
        (full_logs / "stats.json").read_text()
    )
    assert issubclass(AgentWorldInterface, object)


def test_atomic_write_cleans_up_and_follows_no_planted_symlink(tmp_path: Path) -> None:
    from palaver.world.files import atomic_write

    def chunks() -> Any:
        yield b"half"
        raise OSError("disk full")

    target = tmp_path / "w.ckpt"
    target.write_bytes(b"old")
    with pytest.raises(OSError, match="disk full"):
        atomic_write(target, chunks())
    assert target.read_bytes() == b"old" and sorted(tmp_path.iterdir()) == [target]
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious")
    (tmp_path / "w.ckpt.tmp").symlink_to(victim)  # an old, predictable name
    (tmp_path / ".w.ckpt.palaver-tmp-0").symlink_to(victim)  # a planted "leftover"
    atomic_write(target, [b"new"])
    assert target.read_bytes() == b"new" and victim.read_bytes() == b"precious"
    assert (tmp_path / ".w.ckpt.palaver-tmp-0").is_symlink()  # not ours: left alone


def test_awi_methods_refuse_wrong_types() -> None:
    world, buyer, _ = pair_world(n_steps=2)
    awi = buyer.awi
    with pytest.raises(TypeError, match="execute takes an Action"):
        awi.execute("restock")
    with pytest.raises(TypeError, match="payload is a dict"):
        awi.record_event("note", [1])
    with pytest.raises(TypeError, match="section is a string"):
        awi.bb_record(3, {"x": 1})
    with pytest.raises(TypeError, match="predicate must be callable"):
        awi.bb_query("breaches", predicate=5)
    with pytest.raises(TypeError, match="join takes an Agent"):
        world.join("alice")


def test_negmas_exception_tables_request_helper_config_and_checkpoint_info(
    tmp_path: Path,
) -> None:
    from world_helpers import ISSUES

    class Faulty(Trader):
        def step(self) -> None:
            if self.id == "a":
                self._request_negotiation(ISSUES, ["b", "a"])  # asked like a partner
            raise ValueError("oops")

    world = LedgerWorld.from_config({"n_steps": 3, "seed": 2}, ignore_agent_exceptions=True)
    assert world.n_steps == 3 and world.ignore_agent_exceptions
    world.join(Faulty(id="a"))
    world.join(Faulty(id="b", buyer=False))
    world.run()
    assert world.totals["n_negotiations_accepted"] >= 2
    assert [len(world.agent_exceptions[a]) for a in ("a", "b")] == [3, 3]
    assert world.n_agent_exceptions == {"a": 3, "b": 3}
    assert world.negotiator_exceptions["a"] == [] and world.n_negotiator_exceptions == {
        "a": 0,
        "b": 0,
    }
    assert world.n_total_agent_exceptions == {"a": 3, "b": 3}
    assert world.n_total_simulation_exceptions == {} and world.n_simulation_exceptions == {}
    config = tmp_path / "world.json"
    config.write_text(json.dumps({"n_steps": 4, "negotiation_speed": 2}))
    loaded = LedgerWorld.from_config(config)
    assert loaded.n_steps == 4 and loaded.negotiation_speed == 2
    with pytest.raises(ValueError, match="cannot read a world config"):
        LedgerWorld.from_config(tmp_path / "missing.json")
    loaded.join(Trader(id="x"))
    loaded.join(Trader(id="y"))
    loaded.step()
    path = loaded.checkpoint(tmp_path, info={"a": 3})
    info = LedgerWorld.checkpoint_info(path)
    assert info["a"] == 3 and info["step"] == 1 and info["id"] == loaded.id
    assert info["type"].endswith("LedgerWorld") and isinstance(info["time"], str)


@pytest.mark.parametrize(
    ("option", "value", "read"),
    [
        ("n_steps", "int64:3", lambda w: w.n_steps),
        ("time_limit", "int64:3", lambda w: w.time_limit),
        ("time_limit", "float32:2.5", lambda w: w.time_limit),
        ("neg_time_limit", "int64:3", lambda w: w.negotiation_config.neg_time_limit),
        ("neg_step_time_limit", "float32:1.5", lambda w: w.negotiation_config.neg_step_time_limit),
        ("neg_n_steps", "int32:7", lambda w: w.negotiation_config.neg_n_steps),
        (
            "negotiation_quota_per_step",
            "int64:3",
            lambda w: w.negotiation_config.negotiation_quota_per_step,
        ),
        ("default_signing_delay", "uint8:2", lambda w: w.signing_config.default_signing_delay),
        ("log_file_level", "int64:10", lambda w: w.logging_config.log_file_level),
        ("seed", "int64:5", lambda w: w.seed),
    ],
)
def test_numpy_numbers_are_taken_where_a_number_is(option: str, value: str, read: Any) -> None:
    """NegMAS takes numpy's integers (and floats for seconds); so does every option here,
    stored as the plain Python number."""
    import numpy as np

    kind, text = value.split(":")
    number = getattr(np, kind)(float(text))
    world = LedgerWorld(**{option: number})
    stored = read(world)
    assert stored == float(text) and type(stored) in (int, float)
    assert not isinstance(stored, np.generic)
    world.join(Trader(targets=["seller"], per_step=1, id="buyer"))
    world.join(Trader(buyer=False, id="seller"))
    world.step(n_neg_steps=np.int64(2))


@pytest.mark.parametrize(
    ("option", "value"),
    [("negotiation_quota_per_step", 1.5), ("time_limit", True), ("n_steps", 3.0)],
)
def test_numbers_that_are_not_what_the_option_takes_are_refused(option: str, value: Any) -> None:
    with pytest.raises(WorldParameterError, match=option):
        LedgerWorld(**{option: value})


def test_negmas_record_reports() -> None:
    """``stats_df``, ``contracts_df``, ``signed_contracts``, ``executed_contracts``,
    ``breaches``: the same data as ``stats`` / ``saved_contracts`` / ``saved_breaches``."""
    import pandas as pd

    world = build_trips(n_agents=4, n_steps=4, seed=1)
    world.run()
    frame = world.stats_df
    assert frame.index.name == "step" and list(frame.index) == list(range(4))
    pd.testing.assert_frame_equal(
        frame.reset_index(drop=True), pd.DataFrame(world.stats), check_dtype=False
    )
    contracts = world.contracts_df
    saved = world.saved_contracts + world.cancelled_contracts
    assert list(contracts["id"]) == [c.id for c in saved] and len(saved) > 0
    assert {"partners", "signed_at", "executed_at", "nullified_at"} <= set(contracts.columns)
    assert world.signed_contracts == [c for c in world.saved_contracts if c.signed_at is not None]
    executed = world.executed_contracts
    assert executed and all(c.executed_at is not None for c in executed)
    assert set(map(id, executed)) <= set(map(id, world.signed_contracts))
    assert len(executed) == world.totals["n_contracts_executed"]


def test_executed_contracts_leave_out_breached_ones_as_in_negmas() -> None:
    # NegMAS 0.16's executed_contracts are the saved records with executed_at
    # >= 0, which it sets to -1 for a breached contract.
    world, _, _ = pair_world(per_step=2, n_steps=5, breachers=("seller",), force_signing=True)
    world.run()
    breached = {b.contract.id for b in world.saved_breaches}
    assert breached
    assert all(c.executed_at is not None for c in world.saved_contracts if c.id in breached)
    assert not breached & {c.id for c in world.executed_contracts}
    assert len(world.executed_contracts) == world.totals["n_contracts_executed"]
    assert world.breaches == world.saved_breaches and world.breaches
    assert all(b.contract in world.saved_contracts for b in world.breaches)


def test_stats_df_pads_a_worlds_short_series() -> None:
    world, _, _ = pair_world(n_steps=3)
    world.run()
    world._stats["mine"].append(1.0)  # one value for a three-step run
    frame = world.stats_df
    assert frame["mine"].iloc[0] == 1.0 and frame["mine"].iloc[1:].isna().all()


def test_frames_without_pandas_say_how_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    world, _, _ = pair_world(n_steps=1)
    world.run()
    monkeypatch.setitem(sys.modules, "pandas", None)
    for name in ("stats_df", "contracts_df"):
        with pytest.raises(ImportError, match=r"palaver\[frames\]"):
            getattr(world, name)


def test_a_world_may_assign_the_names_negmas_does_not_have() -> None:
    class Own(LedgerWorld):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.breaches = ["mine"]
            self.stats_df = "mine"

    world = Own(n_steps=1)
    assert world.breaches == ["mine"] and world.stats_df == "mine"


class Counting(Agent):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.inits = 0
        self.steps = 0

    def init(self) -> None:
        self.inits += 1

    def step(self) -> None:
        self.steps += 1


def test_step_underscore_initialises_once_then_steps() -> None:
    alone = Counting(id="alone")
    alone.step_()
    alone.step_()
    assert (alone.inits, alone.steps) == (1, 2)
    world = LedgerWorld(n_steps=2)
    world.join(alone)
    joined = Counting(id="joined")
    world.join(joined)
    joined.step_()
    assert (joined.inits, joined.steps) == (1, 1)
    world.run()
    assert (alone.inits, alone.steps) == (1, 4)  # the world did not init it again
    assert (joined.inits, joined.steps) == (1, 3)


def test_world_agent_and_private_annotations() -> None:
    world = LedgerWorld(n_steps=1, annotation={"market": "fish", "currency": "EUR"})
    assert world.params["annotation"] == {"market": "fish", "currency": "EUR"}
    assert world.params["n_steps"] == 1 and "negotiation_speed" in world.params
    buyer = Trader(id="buyer", private_info={"budget": 12})
    seller = Trader(id="seller", buyer=False)
    world.join(buyer, annotation={"currency": "USD", "desk": 3})
    world.join(seller)
    assert buyer.awi.annotation == {"market": "fish", "currency": "USD", "desk": 3}
    assert seller.awi.annotation == {"market": "fish", "currency": "EUR"}
    assert world.annotation == {"market": "fish", "currency": "EUR"}
    assert world.agent_annotation("nobody") == world.annotation
    # each call is a new dict: changing it changes nothing in the world
    buyer.awi.annotation["market"] = "meat"
    assert world.agent_annotation("buyer")["market"] == "fish"
    assert buyer.private_info == buyer.annotation == {"budget": 12}
    assert seller.private_info == {} and "budget" not in buyer.awi.annotation
    world.run()


def test_bad_annotations_are_refused_by_name() -> None:
    with pytest.raises(TypeError, match=r"private_info must be a dict or None; got 7 \(int\)"):
        Trader(id="x", private_info=7)  # type: ignore[arg-type]
    # A name labels the agent's statistics (total_utility_<name>): text, not a number.
    with pytest.raises(TypeError, match=r"name must be a str or None; got 5 \(int\)"):
        Trader(name=5)  # type: ignore[arg-type]
    world = LedgerWorld(n_steps=1)
    with pytest.raises(TypeError, match=r"annotation.*'tag'"):
        world.join(Trader(id="y"), annotation="tag")
    assert world.agents == {}


def test_awi_has_negmass_signing_delay_params_and_agent_logs(tmp_path: Path) -> None:
    # NegMAS agents read these from their AWI: AttributeError inside step().
    world, buyer, _ = pair_world(default_signing_delay=3, log_folder=str(tmp_path))
    assert buyer.awi.default_signing_delay == 3
    assert buyer.awi.params == world.params and buyer.awi.params["n_steps"] == world.n_steps
    _forced, agent, _ = pair_world(force_signing=True, default_signing_delay=3)
    assert agent.awi.default_signing_delay == 0
    for level in ("debug", "info", "warning", "error"):
        getattr(buyer.awi, f"log{level}_agent")(f"a {level} line")
    world.run()
    text = (tmp_path / "log.txt").read_text()
    assert all(f"[buyer] a {level} line" in text for level in ("debug", "info", "warning", "error"))


def test_negmas_stats_and_world_monitors() -> None:
    # NegMAS's register_stats_monitor / register_world_monitor were missing
    # (AttributeError), and its monitors have step(...), not __call__.
    class Stats:
        def __init__(self) -> None:
            self.calls: list[tuple[str, int, str]] = []

        def init(self, stats: dict[str, Any], world_name: str) -> None:
            self.calls.append(("init", len(stats["n_contracts_signed"]), world_name))

        def step(self, stats: dict[str, Any], world_name: str) -> None:
            self.calls.append(("step", len(stats["n_contracts_signed"]), world_name))

    class Watcher:
        def __init__(self) -> None:
            self.steps: list[int] = []

        def step(self, world: Any) -> None:
            self.steps.append(world.current_step)

    world, _, _ = pair_world(n_steps=3, name="watched")
    stats, watcher, dropped = Stats(), Watcher(), Watcher()
    world.register_stats_monitor(stats)
    world.register_world_monitor(watcher)
    world.register_world_monitor(dropped)
    world.unregister_world_monitor(dropped)
    with pytest.raises(ValueError, match="not a registered world monitor"):
        world.unregister_world_monitor(dropped)
    with pytest.raises(TypeError, match=r"register_stats_monitor takes an object with a step"):
        world.register_stats_monitor(lambda row, w: None)
    world.run()
    assert [c[0] for c in stats.calls] == ["init", "step", "step", "step"]
    assert [c[1] for c in stats.calls[1:]] == [1, 2, 3]
    assert {c[2] for c in stats.calls} == {"watched"}
    assert len(watcher.steps) == 3 and dropped.steps == []


def test_a_single_partner_means_the_caller_and_that_partner() -> None:
    """NegMAS 0.16 puts the caller first when given one partner and no roles."""
    world, buyer, seller = pair_world(per_step=0)
    world._palaver.scheduler.start()
    for partners in (["seller"], "seller", [seller], seller):
        req = buyer.create_negotiation_request(ISSUES, ["seller"], buyer.negotiator())
        assert buyer.awi.request_negotiation_about(ISSUES, partners, req)
        assert world.running_negotiations[-1].partners == ["buyer", "seller"]
    # the world's own method, as NegMAS code calls it
    req = buyer.create_negotiation_request(ISSUES, ["seller"], buyer.negotiator())
    assert world.request_negotiation_about(buyer, ISSUES, ["seller"], req)
    assert len(world.running_negotiations) == 5
    # with roles, NegMAS adds nobody: one partner stays one partner
    req = buyer.create_negotiation_request(ISSUES, ["seller"], buyer.negotiator())
    with pytest.raises(NegotiationRequestError, match=r"only \['seller'\]"):
        buyer.awi.request_negotiation_about(ISSUES, ["seller"], req, roles=["seller"])
    # the caller alone is still not a negotiation
    with pytest.raises(NegotiationRequestError, match="itself alone"):
        buyer.awi.request_negotiation_about(ISSUES, ["buyer"], req)


def test_run_negotiation_with_one_partner_puts_the_caller_first() -> None:
    world, buyer, _ = pair_world(per_step=0)
    world._palaver.scheduler.start()
    negotiator = buyer.negotiator()
    _contract, nmi = buyer.awi.run_negotiation(ISSUES, ["seller"], negotiator)
    # the caller's negotiator first, so it makes the first offer, as in NegMAS
    assert nmi is not None and nmi.negotiator_ids == [negotiator.id, nmi.negotiator_ids[1]]


def test_breached_ids_stay_bounded_by_the_saved_contracts() -> None:
    world, _, _ = pair_world(
        per_step=3, n_steps=6, breachers=("seller",), force_signing=True, max_saved=2
    )
    world.run()
    assert world.totals["n_contracts_breached"] > 4
    assert len(world._palaver.ledger.breached_ids) <= 4
    # the seller breaches every contract, so none counts as executed
    assert world.totals["n_contracts_executed"] == 0 and world.executed_contracts == []


def test_negmas_run_summaries() -> None:
    world, _, _ = pair_world(per_step=2, n_steps=5, breachers=("seller",), default_signing_delay=1)
    assert world.remaining_steps == 5
    world.run()
    t = world.totals
    assert world.remaining_steps == 0
    assert (
        world.breach_fraction == world.breach_rate == t["n_breaches"] / t["n_contracts_signed"] > 0
    )
    assert world.cancellation_fraction == pytest.approx(
        t["n_contracts_cancelled"] / (t["n_contracts_signed"] + t["n_contracts_cancelled"])
    )
    assert world.cancellation_rate == world.cancellation_fraction > 0  # the last step's
    assert (
        world.agreement_fraction
        == world.agreement_rate
        == pytest.approx(t["n_contracts_concluded"] / t["n_negotiations_accepted"])
    )
    assert world.business_size == sum(world.stats["activity_level"])
    quiet, _, _ = pair_world(per_step=0, n_steps=1)
    quiet.run()
    assert quiet.breach_fraction == 0.0 and quiet.business_size == 0.0
    assert math.isnan(quiet.agreement_fraction) and math.isnan(quiet.cancellation_fraction)


def test_from_config_reads_yaml_and_a_section_as_negmas_does(tmp_path: Path) -> None:
    """NegMAS's from_config(config, section=None, ...) reads JSON or YAML: a YAML
    file was read as JSON ("Expecting value"), and a section given positionally
    was taken for the unused scope, building the world from the whole file."""
    (tmp_path / "worlds.yaml").write_text("market:\n  n_steps: 5\n  negotiation_speed: 2\n")
    world = LedgerWorld.from_config(tmp_path / "worlds.yaml", "market")
    assert world.n_steps == 5 and world.negotiation_speed == 2
    (tmp_path / "one.yml").write_text("n_steps: 4\n")
    assert LedgerWorld.from_config(str(tmp_path / "one.yml"), seed=3).seed == 3
    with pytest.raises(ValueError, match=r"section 'shop' is not in the world config; its keys"):
        LedgerWorld.from_config(tmp_path / "worlds.yaml", section="shop")
    with pytest.raises(TypeError, match=r"section 'n_steps' of the world config must be a dict"):
        LedgerWorld.from_config({"n_steps": 3}, section="n_steps")
    (tmp_path / "world.cfg").write_text("{'n_steps': 3}")
    with pytest.raises(ValueError, match=r"world\.cfg: a config file is \.json, \.yaml or \.yml"):
        LedgerWorld.from_config(tmp_path / "world.cfg")  # NegMAS eval()s a .cfg: never here
    (tmp_path / "bad.yaml").write_text("n_steps: [3\n")
    with pytest.raises(ValueError, match=r"cannot read a world config from .*bad\.yaml"):
        LedgerWorld.from_config(tmp_path / "bad.yaml")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_from_config_refuses_a_fifo_and_names_a_file_that_is_not_utf8(
    tmp_path: Path, within: Within
) -> None:
    # read_text() blocked for ever on a FIFO, and a file that is not UTF-8
    # was the codec's message, naming no file.
    os.mkfifo(tmp_path / "world.json")
    error = within(10, lambda: LedgerWorld.from_config(tmp_path / "world.json"))
    assert isinstance(error, ValueError) and "world.json' is a FIFO" in str(error)
    (tmp_path / "latin.json").write_bytes(b'{"n_steps": "\xe9"}')
    with pytest.raises(ValueError, match=r"cannot read a world config from .*latin\.json"):
        LedgerWorld.from_config(tmp_path / "latin.json")
