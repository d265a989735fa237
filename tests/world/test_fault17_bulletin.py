"""Bulletin-board arguments are checked as the other bulletin-board calls check theirs."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from palaver.world.bulletin import BulletinBoard


def _board() -> BulletinBoard:
    board = BulletinBoard()
    board.record("offers", {"price": 3}, key="k1")
    return board


@pytest.mark.parametrize("key", [5, 1.5, ("k1",)])
def test_read_refuses_a_key_that_is_not_text_as_record_does(key: Any) -> None:
    with pytest.raises(TypeError, match=r"a bulletin-board key is a string; got"):
        _board().read("offers", key)


@pytest.mark.parametrize("flag", [1, 0, "yes", None])
def test_query_keys_is_a_bool_not_read_by_truthiness(flag: Any) -> None:
    board = _board()
    with pytest.raises(TypeError, match=rf"query_keys must be True or False; got {flag!r}"):
        board.query("offers", "k", query_keys=flag)
    with pytest.raises(TypeError, match=rf"query_keys must be True or False; got {flag!r}"):
        board.remove("offers", query="k", query_keys=flag)
    assert board.read("offers", "k1") == {"price": 3}  # nothing removed


def test_a_key_query_that_is_not_a_regular_expression_names_it() -> None:
    board = _board()
    with pytest.raises(ValueError, match=r"query='\(' with query_keys=True must be a regular"):
        board.query("offers", "(", query_keys=True)
    with pytest.raises(ValueError, match=r"query='\[' with query_keys=True"):
        board.remove("offers", query="[", query_keys=True)
    assert board.read("offers", "k1") == {"price": 3}


def test_numpy_flags_and_valid_queries_still_work() -> None:
    board = _board()
    assert board.query("offers", "k", query_keys=np.True_) == {"k1": {"price": 3}}
    assert board.read("offers", "missing") is None
    assert board.remove("offers", query="k1", query_keys=True) is True
    assert board.read("offers") == {}
