"""``bb_query(None, {...})`` searches every public section, the world's settings too.

Found by an agent written from the guide: the documented NegMAS form
``awi.bb_query(None, {"item": "pear"})`` ("every public section ... matches dict
values holding every item of a dict query") raised a ``ValueError`` in every
world, because the world's ``"settings"`` section holds numbers and names that
a dict query cannot be matched against. A dict query across every section now
passes over them; in a section named by the caller they are still an error.
"""

from __future__ import annotations

import pytest
from tests.world.world_helpers import LedgerWorld, Trader

from palaver.world import BulletinBoard


def _board() -> BulletinBoard:
    board = BulletinBoard()
    board.record("settings", 100, key="n_steps")
    board.record("settings", "NONE", key="breach_processing")
    board.record("offers", {"item": "apple", "qty": 2}, key="o1")
    board.record("offers", {"item": "pear", "qty": 3}, key="o2")
    board.record("wanted", {"item": "pear", "qty": 1}, key="w1")
    return board


def test_a_dict_query_over_every_section_passes_over_other_values() -> None:
    board = _board()
    assert board.query(None, {"item": "pear"}) == {
        "o2": {"item": "pear", "qty": 3},
        "w1": {"item": "pear", "qty": 1},
    }
    assert board.remove(None, query={"item": "apple"}) is False  # not in every section
    assert board.read("offers") == {"o2": {"item": "pear", "qty": 3}}
    assert board.read("settings") == {"n_steps": 100, "breach_processing": "NONE"}


def test_a_named_section_or_another_query_still_refuses_what_cannot_match() -> None:
    board = _board()
    with pytest.raises(ValueError, match="cannot match the query"):
        board.query("settings", {"item": "pear"})
    with pytest.raises(ValueError, match="cannot match the query"):
        board.query(["offers", "settings"], {"item": "pear"})
    with pytest.raises(ValueError, match="cannot match the query 5"):
        board.query(None, 5)


class Looking(Trader):
    def step(self) -> None:
        self.awi.bb_record("wanted", {"item": "pear"}, key=self.id)
        self.found = self.awi.bb_query(None, {"item": "pear"})


def test_an_agent_searches_every_section_of_its_world() -> None:
    world = LedgerWorld(n_steps=1, seed=1)
    agent = Looking(id="a")
    world.join(agent)
    world.join(Trader(id="b"))
    world.run()
    assert world.bulletin_board.read("settings", "n_steps") == 1
    assert agent.found == {"a": {"item": "pear"}}
