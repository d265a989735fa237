"""Type-checked with ``mypy --strict`` and run by tests/typing/test_negotiation_typing.py.

A user's standalone negotiation as the guide writes it: what an IDE shows for
the presets' constructors, a utility function of one's own (NegMAS-style, no
Palaver base class) and the mechanism's limits.
"""

from __future__ import annotations

from typing import Any, assert_type

from palaver.mechanisms import MechanismState, SAOMechanism, SAOState
from palaver.negotiators import BoulwareNegotiator, ConcederNegotiator, LinearNegotiator
from palaver.outcomes import Outcome, OutcomeSpace, make_issue, make_os
from palaver.preferences import LinearUtilityFunction, UtilityFunctionLike


class Budget:
    """A utility function of one's own."""

    def __init__(self, reserved_value: float) -> None:
        self.reserved_value = reserved_value
        self.outcome_space: OutcomeSpace | None = None

    def __call__(self, offer: Outcome | None) -> float:
        return self.reserved_value if offer is None else self.eval(offer)

    def eval(self, offer: Outcome) -> float:
        return 10.0 - float(offer[0])


space = make_os([make_issue(10, "price")])
mechanism = SAOMechanism(outcome_space=space, n_steps=20, seed=1)
assert_type(mechanism.n_steps, int | None)
assert_type(mechanism.time_limit, float)  # inf without a limit, as in NegMAS
assert_type(mechanism.limits.time_limit, float | None)
seller = BoulwareNegotiator(name="seller", ufun=LinearUtilityFunction([1.0], reserved_value=2.0))
buyer = ConcederNegotiator(name="buyer", preferences=Budget(reserved_value=1.0))
other = LinearNegotiator(ufun=Budget(0.0), n_levels=5)
assert_type(seller.ufun, UtilityFunctionLike | None)
assert_type(other.exponent, float)
assert_type(seller.reserved_outcome, Outcome | None)
assert_type(seller.opponent_ufun, UtilityFunctionLike | None)
assert_type(seller.private_info, dict[str, Any])
assert mechanism.add(seller) and mechanism.add(buyer)
state = mechanism.run()
assert_type(state, SAOState)
assert_type(mechanism.state, SAOState)
assert_type(state.agreement, Outcome | None)
final: MechanismState = state
assert final.agreement is not None
