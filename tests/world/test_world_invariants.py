"""Whatever the options, every request and negotiation ends in a recorded state."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from palaver.examples.trips import build_trips


@settings(max_examples=15)
@given(
    n_agents=st.integers(2, 5),
    n_steps=st.integers(1, 4),
    speed=st.one_of(st.none(), st.integers(1, 30)),
    immediately=st.booleans(),
    quota=st.integers(0, 4),
    smart=st.floats(0.0, 1.0),
    seed=st.integers(0, 1000),
)
def test_every_request_and_negotiation_is_accounted_for(
    n_agents: int,
    n_steps: int,
    speed: int | None,
    immediately: bool,
    quota: int,
    smart: float,
    seed: int,
) -> None:
    world = build_trips(
        n_agents,
        n_steps,
        seed=seed,
        smart_fraction=smart,
        negotiation_speed=speed,
        start_negotiations_immediately=immediately,
        negotiation_quota_per_step=quota,
        neg_n_steps=20,
    )
    world.run()
    t = world.totals
    assert t["n_negotiations_requested"] == (
        t["n_negotiations_refused"] + t["n_negotiations_rejected"] + t["n_negotiations_accepted"]
    )
    assert t["n_negotiations_accepted"] == (
        t["n_negotiations_succeeded"] + t["n_negotiations_failed"]
    )
    assert t["n_negotiations_started"] <= t["n_negotiations_accepted"]
    assert t["n_negotiations_succeeded"] == t["n_contracts_concluded"] == t["n_contracts_signed"]
    assert t["n_contracts_signed"] == (
        t["n_contracts_executed"] + t["n_contracts_breached"] + t["n_contracts_unexecuted"]
    )
    assert len(world.saved_negotiations) == t["n_negotiations_accepted"]
    assert world.running_negotiations == []
    assert all(not a.negotiations and not a.negotiation_requests for a in world.agents.values())
