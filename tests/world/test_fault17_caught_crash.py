"""A mechanism that raised inside run_negotiation, whose agent caught the exception,
is closed as that error; the world does not run the broken mechanism again."""

from __future__ import annotations

from typing import Any

import pytest
from world_helpers import ISSUES, LedgerWorld

from palaver.events import EventType, ListSink
from palaver.negotiators import AspirationNegotiator
from palaver.preferences import LinearUtilityFunction
from palaver.world import Agent, MechanismCrashError

CAUSE = "3 weights given but the outcome space has 2 issues"


class Caller(Agent):
    """Runs a negotiation with a ufun of three weights over two issues in step 0
    (the mechanism raises when it starts), and catches what run_negotiation raises."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.caught: list[BaseException] = []
        self.failures: list[str] = []

    def step(self) -> None:
        if self.id != "a" or self.awi.current_step != 0:
            return
        bad = AspirationNegotiator(ufun=LinearUtilityFunction([1.0, 1.0, 1.0]))
        try:
            self.awi.run_negotiation(ISSUES, ["a", "b"], bad)
        except MechanismCrashError as exc:
            self.caught.append(exc)

    def respond_to_negotiation_request(self, initiator: str, partners: Any, mechanism: Any) -> Any:
        return AspirationNegotiator(ufun=LinearUtilityFunction([1.0, -1.0]))

    def on_negotiation_failure(
        self, partners: Any, annotation: Any, mechanism: Any, state: Any
    ) -> None:
        self.failures.append(state.result)


@pytest.mark.parametrize("partial", [False, True], ids=["whole-steps", "partial-steps"])
def test_the_caught_crash_is_recorded_as_its_own_error(partial: bool) -> None:
    world = LedgerWorld(n_steps=3)
    sink = ListSink()
    world.bus.add_sink(sink)
    a, b = Caller(id="a"), Caller(id="b")
    world.join(a)
    world.join(b)
    if partial:
        while world.step(n_neg_steps=1):
            pass
    else:
        world.run()
    assert world.status == "completed"
    assert len(a.caught) == 1 and CAUSE in str(a.caught[0])
    (record,) = world.saved_negotiations
    assert record.result == "error"
    assert record.error is not None and CAUSE in record.error
    ended = [e for e in sink.events if e.type == EventType.NEGOTIATION_ENDED]
    assert [(e.payload["result"], CAUSE in e.payload["error"]) for e in ended] == [("error", True)]
    assert a.failures == b.failures == ["error"]
    assert a.awi.running_negotiations == [] and b.awi.running_negotiations == []
