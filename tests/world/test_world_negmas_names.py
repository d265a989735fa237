"""NegMAS names of agents, AWIs and worlds that NegMAS-style code reads."""

from __future__ import annotations

from world_helpers import LedgerWorld, Trader

from palaver.negotiators import AspirationNegotiator


def test_the_world_sets_the_owner_of_its_negotiators() -> None:
    made: list[AspirationNegotiator] = []

    class Keeping(Trader):
        def negotiator(self) -> AspirationNegotiator:
            made.append(super().negotiator())
            made[-1].private_info["made_by"] = self
            return made[-1]

    world = LedgerWorld(n_steps=1, seed=7)
    buyer = Keeping(targets=["seller"], per_step=1, id="buyer")
    seller = Keeping(buyer=False, id="seller")
    world.join(buyer)
    world.join(seller)
    world.run()
    assert len(made) == 2
    for n in made:
        assert n.owner is n.private_info["made_by"] and n.owner_id == n.owner.id
