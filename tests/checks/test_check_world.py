"""check_world and check_agent pass the TripsWorld and name each kind of broken subject."""

from __future__ import annotations

import secrets
import threading

import pytest

from palaver.checks import CheckFailed, check_agent, check_world
from palaver.checks.trace import lifecycle_problems, order_problems
from palaver.events import Event, EventType
from palaver.examples.trips import RandomPerson, SmartPerson, TripsWorld, build_trips


def small_trips(seed: int) -> TripsWorld:
    return build_trips(6, 6, seed=seed)


def pair_of_trips(seed: int) -> TripsWorld:
    return TripsWorld(n_steps=5, seed=seed)


def test_trips_world_passes_every_check() -> None:
    report = check_world(small_trips)
    assert report.passed == ["runs", "ordered", "lifecycle", "deterministic", "resumable"]


@pytest.mark.parametrize("agent", [RandomPerson, SmartPerson])
def test_trips_agents_pass(agent: type) -> None:
    assert check_agent(agent, pair_of_trips).passed == ["runs", "acts", "deterministic"]


class Inert(RandomPerson):
    """Requests nothing and refuses everything."""

    def step(self) -> None:
        pass

    def respond_to_negotiation_request(self, initiator, partners, mechanism):  # type: ignore[no-untyped-def]
        return None


def test_an_inert_agent_fails_acts_although_the_world_reports_its_state() -> None:
    # TripsWorld emits a state_change for every agent: it counted as acting.
    with pytest.raises(CheckFailed) as info:
        check_agent(Inert, pair_of_trips)
    assert [p.split(":")[0] for p in info.value.problems] == ["acts"]


class EntropyTrips(TripsWorld):
    """Breaches drawn from OS entropy: no seed can reproduce them."""

    def start_contract_execution(self, contract):  # type: ignore[no-untyped-def]
        if secrets.randbelow(2):
            return super().start_contract_execution(contract)
        return set()


class ExplodingTrips(TripsWorld):
    def simulation_step(self, stage: int = 0) -> None:
        if self.current_step == 2:
            raise RuntimeError("the sky fell")


class UnpicklableTrips(TripsWorld):
    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.lock = threading.Lock()


def build(cls: type) -> object:
    def factory(seed: int) -> TripsWorld:
        world = cls(n_steps=6, seed=seed)
        for i in range(6):
            world.join(RandomPerson(id=f"p{i}"))
        return world

    factory.__name__ = cls.__name__
    return factory


def problems_of(factory: object) -> list[str]:
    with pytest.raises(CheckFailed) as info:
        check_world(factory)  # type: ignore[arg-type]
    return info.value.problems


def test_nondeterministic_world_is_caught() -> None:
    problems = problems_of(build(EntropyTrips))
    assert any(p.startswith("deterministic: two runs with the same seed differ") for p in problems)


def test_raising_world_is_caught_with_its_message() -> None:
    problems = problems_of(build(ExplodingTrips))
    assert len(problems) == 1
    assert problems[0].startswith("runs: raised") and "the sky fell" in problems[0]


def test_world_that_cannot_checkpoint_is_caught() -> None:
    problems = problems_of(build(UnpicklableTrips))
    assert [p.split(":")[0] for p in problems] == ["resumable"]
    assert "step 3" in problems[0]


class Crashing(RandomPerson):
    def step(self) -> None:
        raise ValueError("agent bug")


def test_crashing_agent_is_caught() -> None:
    with pytest.raises(CheckFailed) as info:
        check_agent(Crashing, pair_of_trips)
    assert any("agent bug" in p for p in info.value.problems)


def event(seq: int, type: str, step: int = 0, **fields: object) -> Event:
    payload = fields.pop("payload", {})
    return Event(
        "r",
        seq,
        step,
        0.0,
        type,
        None,
        fields.get("negotiation_id"),  # type: ignore[arg-type]
        fields.get("contract_id"),  # type: ignore[arg-type]
        payload,  # type: ignore[arg-type]
    )


def test_lifecycle_audit_names_what_was_left_open() -> None:
    events = [
        event(1, EventType.NEGOTIATION_REQUESTED, payload={"request_id": "a:r1"}),
        event(2, EventType.NEGOTIATION_REQUESTED, payload={"request_id": "a:r2"}),
        event(
            3, EventType.NEGOTIATION_ACCEPTED, negotiation_id="n1", payload={"request_id": "a:r2"}
        ),
        event(4, EventType.CONTRACT_CONCLUDED, contract_id="c1"),
        event(5, EventType.CONTRACT_CONCLUDED, contract_id="c2"),
        event(6, EventType.CONTRACT_SIGNED, contract_id="c2"),
    ]
    problems = lifecycle_problems(events)
    assert problems == [
        "request 'a:r1' (event 1) was never accepted or rejected",
        "negotiation 'n1' (accepted at event 3) never ended",
        "contract 'c1' (concluded at event 4) was neither signed nor cancelled",
        "contract 'c2' (signed at event 6) was never executed, breached or cancelled",
    ]


def test_order_audit_names_gaps_and_markers() -> None:
    events = [event(1, EventType.STEP_START, 1), event(3, EventType.STEP_END, 0)]
    assert order_problems(events) == [
        "first event is 'step_start', not simulation_start",
        "last event is 'step_end', not simulation_end",
        "sequence jumps from 1 to 3",
    ]
    assert order_problems([]) == ["the run emitted no events"]


def test_factories_that_cannot_be_called_are_refused_naming_them() -> None:
    from palaver.checks import check_agent, check_world
    from palaver.examples.trips import SmartPerson, TripsWorld

    with pytest.raises(TypeError, match=r"factory must be a function of the seed .*got None"):
        check_world(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"world_factory must be .*got 'trips'"):
        check_agent(SmartPerson, "trips")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"agent_factory must be an agent class .*got 3"):
        check_agent(3, lambda seed: TripsWorld(n_steps=2, seed=seed))  # type: ignore[arg-type]


def test_factories_returning_something_else_are_named_with_what_they_returned() -> None:
    # A forgotten return was "'NoneType' object has no attribute 'bus'" (or 'join').
    with pytest.raises(CheckFailed) as failure:
        check_world(lambda seed: None)  # type: ignore[arg-type, return-value]
    assert failure.value.problems == [
        "runs: raised TypeError: factory(seed) returned None (NoneType), not a World"
    ]
    with pytest.raises(CheckFailed) as failure:
        check_agent(lambda: "agent", pair_of_trips)  # type: ignore[arg-type, return-value]
    assert failure.value.problems == [
        "runs: raised TypeError: agent_factory() returned 'agent' (str), not an Agent"
    ]
    with pytest.raises(CheckFailed) as failure:
        check_agent(SmartPerson, lambda seed: 3)  # type: ignore[arg-type, return-value]
    assert "world_factory(seed) returned 3 (int), not a World" in failure.value.problems[0]
