"""An exception in ``respond_to_negotiation_request`` is reported in that method.

Found by a world written from the guide: an agent whose
``respond_to_negotiation_request`` raised was reported as failing in
``_respond_to_negotiation_request``, the world's dispatch the agent never
wrote (a malformed answer from the same method was already reported in
``respond_to_negotiation_request``). A NegMAS-style agent that overrides the
dispatch itself (the tutorial's ``Person``) is still reported in it.
"""

from __future__ import annotations

from typing import Any

import pytest
from tests.world.world_helpers import LedgerWorld, Trader

from palaver.world import AgentError


class Grumpy(Trader):
    def respond_to_negotiation_request(self, initiator: str, partners: list[str], mechanism: Any):
        raise RuntimeError("closed for lunch")


class Dispatching(Trader):
    """Overrides the dispatch, as the tutorial's Person does."""

    def _respond_to_negotiation_request(self, *args: Any) -> Any:
        raise RuntimeError("closed for lunch")


def _world(seller: Trader, **kwargs: Any) -> LedgerWorld:
    world = LedgerWorld(n_steps=2, seed=7, **kwargs)
    world.join(Trader(targets=["seller"], per_step=1, id="buyer"))
    world.join(seller)
    return world


@pytest.mark.parametrize(
    ("seller_type", "where"),
    [
        (Grumpy, "respond_to_negotiation_request"),
        (Dispatching, "_respond_to_negotiation_request"),
    ],
)
def test_the_method_that_raised_is_named(seller_type: type[Trader], where: str) -> None:
    world = _world(seller_type(accept=True, buyer=False, id="seller"))
    with pytest.raises(AgentError) as caught:
        world.run()
    assert caught.value.agent_id == "seller" and caught.value.callback == where
    assert f"raised RuntimeError in {where}: closed for lunch" in str(caught.value)

    tolerant = _world(
        seller_type(accept=True, buyer=False, id="seller"), ignore_agent_exceptions=True
    )
    tolerant.run()
    assert [(e["agent_id"], e["where"]) for e in tolerant.exceptions] == [("seller", where)] * 2
    assert tolerant.totals["n_negotiations_rejected"] == 2


def test_a_plain_answer_still_goes_through_the_agent_s_own_method() -> None:
    """The direct call gives the same answers as the dispatch: the run is unchanged."""
    world = _world(Trader(accept=True, buyer=False, id="seller"))
    world.run()
    seller = world.agents["seller"]
    assert [c for c in seller.calls if c[0] == "respond"] == [("respond", "buyer")] * 2
    assert world.totals["n_negotiations_accepted"] == 2
