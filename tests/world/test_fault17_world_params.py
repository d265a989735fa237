"""World options past what the world can hold are refused where they are given."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from world_helpers import LedgerWorld

from palaver.world import SaveConfig, WorldParameterError


@pytest.mark.parametrize("value", [sys.maxsize + 1, 10**30])
def test_max_saved_past_the_largest_list_is_refused_naming_it(value: int) -> None:
    message = rf"max_saved must be an integer from 1 to {sys.maxsize} or None .*got {value}"
    with pytest.raises(WorldParameterError, match=message):
        LedgerWorld(n_steps=2, max_saved=value)
    with pytest.raises(WorldParameterError, match=message):
        SaveConfig(max_saved=value)


@pytest.mark.parametrize("value", [sys.maxsize, np.int64(3), None])
def test_max_saved_up_to_the_largest_list_is_kept(value: object) -> None:
    world = LedgerWorld(n_steps=2, max_saved=value)
    world.run()
    assert world.save_config.max_saved == value
