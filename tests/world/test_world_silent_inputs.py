"""Inputs that used to be accepted and then did nothing (or failed later, raw)
are refused where they are given, naming the parameter, the value and what is
allowed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from world_helpers import LedgerWorld, Trader, pair_world

from palaver.world import WorldParameterError


class _Listener:
    def on_event(self, event: Any, sender: Any) -> None:
        pass


def _ran(**kwargs: Any) -> LedgerWorld:
    world, _, _ = pair_world(n_steps=2, **kwargs)
    world.run()
    return world


def test_checkpoint_info_and_from_checkpoint_recorder_are_checked(tmp_path: Path) -> None:
    world = LedgerWorld(n_steps=2, seed=1)
    with pytest.raises(TypeError, match="checkpoint info=5 must be a dict"):
        world.checkpoint(tmp_path / "c.ckpt", info=5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="checkpoint extra='x' must be a dict"):
        world.checkpoint(tmp_path / "c.ckpt", "x")  # type: ignore[arg-type]
    saved = world.checkpoint(tmp_path / "c.ckpt", info={"k": 1})
    assert LedgerWorld.checkpoint_info(saved)["k"] == 1
    with pytest.raises(WorldParameterError, match="recorder must be an object with attach"):
        LedgerWorld.from_checkpoint(saved, recorder=5)


def test_a_misspelt_event_type_is_refused_and_user_types_are_allowed(tmp_path: Path) -> None:
    world = LedgerWorld(n_steps=2, seed=1)
    with pytest.raises(WorldParameterError, match="did you mean 'contract_signed'"):
        world.register_listener("contract_signd", _Listener())
    world.register_listener("contract_signed", _Listener())
    world.register_listener("my_own_event", _Listener())  # user events take any other name
    with pytest.raises(WorldParameterError, match="event_types='contract_signd'"):
        LedgerWorld(
            log_folder=str(tmp_path), event_file_name="e.jsonl", event_types=["contract_signd"]
        )


@pytest.mark.parametrize(
    ("kwargs", "error", "named"),
    [
        ({"what": "contract"}, WorldParameterError, "what='contract' must be a collection"),
        ({"what": ("contracts",)}, WorldParameterError, "edge kinds among"),
        ({"steps": 99}, WorldParameterError, "steps=99 must be None (all), or steps that ran"),
        ({"steps": [0, -1]}, WorldParameterError, "integers 0..1"),
        ({"path": "."}, IsADirectoryError, "path='.' is a folder"),
    ],
)
def test_draw_refuses_what_it_cannot_draw(kwargs: dict[str, Any], error: type, named: str) -> None:
    world = _ran(construct_graphs=True)
    with pytest.raises(error, match=named.replace("(", r"\(").replace(")", r"\)")):
        world.draw(**kwargs)
    assert world.draw(steps=[0, 1]) == world.draw()


def test_checkpoint_every_needs_a_checkpoint_folder() -> None:
    with pytest.raises(WorldParameterError, match="checkpoint_every=1 needs checkpoint_folder"):
        LedgerWorld(checkpoint_every=1)


def test_join_refuses_a_ufun_that_is_not_a_utility_function() -> None:
    world = LedgerWorld(n_steps=2, seed=1)
    with pytest.raises(WorldParameterError, match=r"join ufun=5 \(int\): must be a utility"):
        world.join(Trader(id="buyer"), ufun=5)
    assert "buyer" not in world.agents


def test_run_with_progress_on_a_finished_world_raises_as_run_does() -> None:
    world = _ran()
    for again in (world.run, world.run_with_progress):
        with pytest.raises(RuntimeError, match="has already run"):
            again()


def test_run_with_progress_refuses_a_callback_that_is_not_callable_before_a_step() -> None:
    # It ran the first step and then failed with "'int' object is not callable".
    world, _, _ = pair_world(n_steps=2)
    with pytest.raises(WorldParameterError, match=r"callback must be a function .* got 5"):
        world.run_with_progress(5)  # type: ignore[arg-type]
    assert world.current_step == 0 and world.status == "pending"
    world.run_with_progress(None)
    assert world.status == "completed"


def test_an_agent_of_another_world_is_refused() -> None:
    """Its AWI became the second world's: in the first world it acted in the
    second (requests, bulletin board), and the first world saw nothing of it."""
    first, buyer, _ = pair_world(n_steps=2)
    second = LedgerWorld(n_steps=2, seed=2)
    with pytest.raises(ValueError, match=r"agent 'buyer' has already joined world 'LedgerWorld'"):
        second.join(buyer)
    assert second.agents == {} and buyer.awi._world is first
    first.run()
    assert first.totals["n_negotiations_requested"] > 0


@pytest.mark.parametrize("bad", [5, ""])
def test_an_agent_id_that_is_not_a_string_is_refused_at_join(bad: object) -> None:
    """An int id joined, then failed inside the agent's own callbacks (a partner,
    a victim or a bulletin-board key is a string)."""
    world = LedgerWorld(n_steps=2, seed=1)
    with pytest.raises(WorldParameterError, match=r"agent id must be a non-empty str") as info:
        world.join(Trader(id=bad))
    assert repr(bad) in str(info.value) and world.agents == {}


def test_record_event_refuses_a_near_miss_of_a_built_in_type() -> None:
    # Listening to 'contract_signd' is refused as a misspelling; recording one
    # would make an event nobody could listen to.
    world, _, _ = pair_world()
    with pytest.raises(
        WorldParameterError, match=r"'contract_signd'.*did you mean 'contract_signed'"
    ):
        world.record_event("contract_signd", {"x": 1})
    world.record_event("my_own_event", {"x": 1})  # any other name is fine


@pytest.mark.parametrize("section", [None, 5, ("breaches",), ["breaches", 7]])
def test_a_bulletin_board_section_that_is_not_text_is_refused_everywhere(section: Any) -> None:
    """record refused it; read, query and remove answered "nothing there". NegMAS's
    forms stay: query and remove take None (every public section) and a list of
    names, but not a name that is not text inside it."""
    from palaver.world import BulletinBoard

    board = BulletinBoard()
    board.record("breaches", 1, key="b1")
    calls = [
        lambda: board.read(section),
        lambda: board.read(section, "b1"),
        lambda: board.record(section, 2),
    ]
    if section is None or section == ("breaches",):
        assert board.query(section, lambda k, v: True) == {"b1": 1}
    else:
        calls += [lambda: board.query(section, lambda k, v: True), lambda: board.remove(section)]
    for call in calls:
        with pytest.raises(TypeError, match=r"a bulletin-board section is a string; got"):
            call()
    assert board.read("breaches") == {"b1": 1}


def test_bulletin_board_takes_negmas_queries_and_removals() -> None:
    from palaver.world import BulletinBoard

    board = BulletinBoard()
    board.record("offers", {"item": "apple", "qty": 2}, key="o1")
    board.record("offers", {"item": "pear", "qty": 2}, key="o2")
    board.record("_private", {"item": "apple"}, key="p1")
    board.record("wanted", {"item": "apple", "qty": 5}, key="w1")
    # a dict query matches dict values holding every item; None: every public section
    assert board.query("offers", {"item": "apple"}) == {"o1": {"item": "apple", "qty": 2}}
    assert set(board.query(None, {"item": "apple"})) == {"o1", "w1"}  # not _private
    assert set(board.query(["offers", "wanted"], None)) == {"o1", "o2", "w1"}
    assert set(board.query("offers", r"o\d", query_keys=True)) == {"o1", "o2"}
    assert board.query("offers", lambda k, v: v["item"] == "pear") == {
        "o2": board.read("offers", "o2")
    }
    with pytest.raises(ValueError, match="cannot match the query"):
        board.record("notes", "a string", key="n1")
        board.query("notes", {"item": "apple"})
    # removals: by NegMAS's query, by value, by key; nothing matching is False
    assert board.remove("offers", query={"qty": 2}) and board.read("offers") == {}
    assert board.remove("wanted", value={"item": "apple", "qty": 5})
    assert not board.remove("wanted", value={"x": 1})
    assert board.remove("_private", "p1") and not board.remove("_private", "p1")
