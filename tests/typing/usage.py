"""Type-checked (not run) by tests/test_public_api.py: the public API as users write it."""

from __future__ import annotations

from typing import assert_type

from palaver import (
    AspirationNegotiator,
    Event,
    EventBus,
    Issue,
    LinearUtilityFunction,
    OutcomeSpace,
    SAOMechanism,
    Scenario,
    make_issue,
)
from palaver.mechanisms import SAOState

price: Issue = make_issue((0.0, 1.0), "price")
space = OutcomeSpace([price, make_issue(5, "qty")])
assert_type(space.enumerate() if space.is_discrete else [], list[tuple])
ufun = LinearUtilityFunction([1.0, -0.5], reserved_value=0.1, outcome_space=space)
assert_type(ufun((0.5, 2)), float)
assert_type(ufun({"price": 0.5, "qty": 2}), float)
assert_type(ufun(None), float)

mechanism = SAOMechanism(outcome_space=space.discretize(5), n_steps=20, seed=1)
mechanism.add(AspirationNegotiator(ufun=ufun))
state = mechanism.run()
assert_type(state, SAOState)
assert_type(mechanism.agreement, tuple | None)

bus = EventBus()
assert_type(bus.emit("custom", {"k": 1}), Event | None)

scenario = Scenario(space.discretize(5), [ufun, LinearUtilityFunction([-1.0, 0.5])], name="s")
assert_type(scenario.rotate_ufuns(1), Scenario)
assert_type(Scenario.load("folder"), Scenario)
assert_type(scenario.stats.opposition, float)
assert_type(scenario.reserved_values, tuple[float, ...])
