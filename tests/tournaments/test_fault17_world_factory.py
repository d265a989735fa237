"""A world factory returning its world's class, not a world: the failure names the factory."""

from __future__ import annotations

from pathlib import Path

import tournament_toys as toys

from palaver.tournaments import FAILED, TournamentConfig, run_tournament


def _class_not_world(seed: int | None = None, **params: object) -> type[toys.ToyWorld]:
    """A factory that returns the class instead of calling it."""
    return toys.ToyWorld


def test_a_factory_returning_a_class_is_named_in_the_failure(tmp_path: Path) -> None:
    config = TournamentConfig(
        world=_class_not_world,
        competitors=[toys.Strong, toys.Weak],
        repetitions=1,
        world_params={"noise": 0.1},
        seed=1,
    )
    worlds = run_tournament(config, tmp_path / "out", executor="serial").worlds()
    assert set(worlds["status"]) == {FAILED}
    for error in worlds["error"]:
        assert (
            "world 'test_fault17_world_factory:_class_not_world' made type <class "
            "'tournament_toys.ToyWorld'>, not a world" in error
        ), error[-300:]
        assert "missing 1 required positional argument" not in error
