"""A world that cannot be scored by default is refused, not ranked as a tie at 0."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from palaver.tournaments import TournamentConfig, TournamentConfigError, run_tournament
from palaver.world import Agent, Breach, Contract, World


class Plain(World):
    """Implements the five callbacks and nothing else: contract_size is 0."""

    def simulation_step(self, stage: int = 0) -> None:
        pass

    def get_private_state(self, agent: Agent) -> dict[str, Any]:
        return {}

    def execute_action(self, action: Any, agent: Agent, callback: Any = None) -> bool:
        return False

    def executable_contracts(self) -> list[Contract]:
        return []

    def start_contract_execution(self, contract: Contract) -> set[Breach] | None:
        return set()


class Sized(Plain):
    def contract_size(self, contract: Contract) -> float:
        return 1.0


class Idle(Agent):
    pass


def _config(world: Any, **kwargs: Any) -> TournamentConfig:
    return TournamentConfig(
        name="unscored",
        world=world,
        competitors=[Idle],
        world_params={"n_steps": 2},
        seed=1,
        **kwargs,
    )


def _plain(seed: int | None = None, **kwargs: Any) -> Plain:
    return Plain(seed=seed, **kwargs)


def _unannotated(seed=None, **kwargs):  # type: ignore[no-untyped-def]
    return Plain(seed=seed, **kwargs)


@pytest.mark.parametrize("world", [Plain, _plain])
def test_a_world_without_scores_or_contract_size_needs_a_score_function(world: Any) -> None:
    # Every agent scored 0.0: a ranking of ties that looked like a result.
    with pytest.raises(
        TournamentConfigError, match=r"Plain overrides neither scores\(\) nor contract_size\(\)"
    ):
        _config(world).validate()
    _config(world, score=lambda w: dict.fromkeys(w.agents, 1.0)).validate()
    _config(Sized).validate()


def test_a_factory_whose_world_is_known_only_when_built_fails_its_worlds(tmp_path: Path) -> None:
    results = run_tournament(_config(_unannotated), tmp_path / "out", executor="serial")
    assert results.counts()["failed"] == 1
    [error] = results.worlds()["error"]
    assert "Plain overrides neither scores() nor contract_size()" in error


def test_scoring_a_world_of_another_framework_does_not_import_palavers_world(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A worker's first world of another framework paid for importing all of
    # Palaver (seconds on a loaded machine) inside its time budget.
    import tournament_toys as toys

    from palaver.tournaments.vetting import unscored_world

    monkeypatch.delitem(sys.modules, "palaver.world")
    assert unscored_world(toys.ToyWorld) is None
    assert "palaver.world" not in sys.modules
