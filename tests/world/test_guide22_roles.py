"""A roles list that does not fit the partners is named with both.

Found by an agent written from the guide: ``awi.run_negotiation(issues,
["seller"], negotiator, roles=["buyer", "seller"])`` (one role per party, as a
user counts them) was refused with "3 roles for 2 partners", numbers the user
never wrote: ``run_negotiation`` adds the caller, last, with ``caller_role``.
"""

from __future__ import annotations

from typing import Any

import pytest
from world_helpers import ISSUES, LedgerWorld, Trader

from palaver import AspirationNegotiator
from palaver.world import NegotiationRequestError


class Asker(Trader):
    def __init__(self, roles: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.roles = roles

    def step(self) -> None:
        if self.awi.current_step == 0:
            negotiator = AspirationNegotiator(ufun=self.ufun)
            self.awi.run_negotiation(ISSUES, ["seller"], negotiator, roles=self.roles)


def test_the_roles_and_partners_are_shown() -> None:
    world = LedgerWorld(n_steps=1, seed=1)
    world.join(Asker(["buyer", "seller"], id="buyer"))
    world.join(Trader(buyer=False, id="seller"))
    with pytest.raises(Exception) as caught:
        world.run()
    error = caught.value.__cause__
    assert isinstance(error, NegotiationRequestError)
    message = str(error)
    assert "3 roles ['buyer', 'seller', None] for 2 partners ['seller', 'buyer']" in message
    assert "caller_role" in message


def test_one_role_per_partner_is_accepted() -> None:
    world = LedgerWorld(n_steps=1, seed=1)
    world.join(Asker(["seller"], id="buyer"))
    world.join(Trader(buyer=False, id="seller"))
    world.run()
    assert world.totals["n_negotiations_accepted"] == 1
