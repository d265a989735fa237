"""Mechanisms written NegMAS-style: ``__call__(state, action=None)`` returns the round's result."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from palaver import recording
from palaver.events import EventBus, EventType, ListSink
from palaver.mechanisms import (
    Mechanism,
    MechanismState,
    MechanismStepResult,
    SAOMechanism,
    STVetoMechanism,
)
from palaver.mechanisms.errors import MechanismTypeError
from palaver.negotiators import RandomNegotiator
from palaver.preferences import MappingUtilityFunction
from palaver.recording import SimulationRecorder


class Watcher(RandomNegotiator):
    """Counts the start and end notices and the round callbacks it gets."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.starts = 0
        self.ends: list[MechanismState] = []
        self.rounds: list[tuple[str, int]] = []

    def on_negotiation_start(self, state: MechanismState) -> None:
        super().on_negotiation_start(state)
        self.starts += 1

    def on_negotiation_end(self, state: MechanismState) -> None:
        super().on_negotiation_end(state)
        self.ends.append(state.copy())

    def on_round_start(self, state: MechanismState) -> None:
        self.rounds.append(("start", state.step))

    def on_round_end(self, state: MechanismState) -> None:
        self.rounds.append(("end", state.step))


class Scripted(Mechanism):
    """Returns, for call k (0-based), ``script[k](self, state)`` (the last entry repeats)."""

    def __init__(self, script: list[Any], n_steps: int = 10, **kwargs: Any) -> None:
        super().__init__(outcomes=20, n_steps=n_steps, **kwargs)
        self.script = script
        self.calls: list[int] = []

    def __call__(self, state: MechanismState, action: Any = None) -> Any:
        self.calls.append(state.step)
        return self.script[min(len(self.calls), len(self.script)) - 1](self, state)


def plain(m: Mechanism, s: MechanismState) -> MechanismStepResult[MechanismState]:
    return MechanismStepResult(s)


def agree_in_state(m: Mechanism, s: MechanismState) -> MechanismStepResult[MechanismState]:
    s.agreement = m.random_outcomes(1)[0]
    return MechanismStepResult(s)


def with_two(mechanism: Mechanism, cls: type = RandomNegotiator) -> list[Any]:
    negotiators = [cls(name=f"n{i}") for i in range(2)]
    for n in negotiators:
        assert mechanism.add(n, ufun=MappingUtilityFunction(lambda o: 1.0))
    return negotiators


def test_an_agreement_set_in_the_state_ends_the_run_after_that_round() -> None:
    m = Scripted([plain] * 5 + [agree_in_state], seed=3)
    negotiators = with_two(m, Watcher)
    state = m.run()
    assert state.started and not state.running
    assert m.calls == [0, 1, 2, 3, 4, 5]
    assert state.step == 6 and state.result == "agreement"
    assert state.agreement in m.outcome_space.enumerate()
    assert not state.broken and not state.timedout and not state.has_error
    for n in negotiators:
        assert n.starts == 1 and len(n.ends) == 1 and n.ends[0].agreement == state.agreement


def test_history_is_the_state_after_each_completed_round() -> None:
    m = Scripted([plain] * 2 + [agree_in_state])
    with_two(m)
    m.run()
    assert [s.step for s in m.history] == [0, 1, 2]
    assert [s.running for s in m.history] == [True, True, False]
    assert m.history[-1].agreement == m.agreement
    assert m.extended_trace == []  # it made no offers


def test_the_round_limit_ends_it_as_timed_out() -> None:
    m = Scripted([plain], n_steps=4)
    with_two(m)
    state = m.run()
    assert m.calls == [0, 1, 2, 3]
    assert state.step == 4 and state.timedout and state.result == "timeout"


def test_step_runs_one_round_and_counts_it() -> None:
    m = Scripted([plain, agree_in_state])
    with_two(m)
    assert m.step().step == 1 and m.state.running
    assert m.step().step == 2 and m.state.agreement is not None
    assert m.step().step == 2 and m.calls == [0, 1]  # ended: nothing more


@pytest.mark.parametrize(
    ("result", "check"),
    [
        (lambda m, s: MechanismStepResult(s, agreement=(7,)), lambda s: s.agreement == (7,)),
        (lambda m, s: MechanismStepResult(s, broken=True), lambda s: s.broken),
        (lambda m, s: MechanismStepResult(s, timedout=True), lambda s: s.timedout),
        (
            lambda m, s: MechanismStepResult(s, error=True, error_details="no quorum"),
            lambda s: s.has_error and s.error_details == "no quorum" and s.result == "error",
        ),
        (lambda m, s: (setattr(s, "broken", True), MechanismStepResult(s))[1], lambda s: s.broken),
        (
            lambda m, s: (setattr(s, "has_error", True), MechanismStepResult(s))[1],
            lambda s: s.has_error,
        ),
    ],
    ids=["agreement", "broken", "timedout", "error", "state-broken", "state-error"],
)
def test_a_flag_in_the_result_or_the_state_ends_it_in_the_first_round(
    result: Any, check: Any
) -> None:
    m = Scripted([result])
    with_two(m)
    state = m.run()  # a reported error ends it without raising: it is a result
    assert m.calls == [0] and state.step == 1 and not state.running
    assert check(state)


def test_a_returned_state_other_than_the_live_one_is_copied_in() -> None:
    def fresh(m: Mechanism, s: MechanismState) -> MechanismStepResult[MechanismState]:
        return MechanismStepResult(MechanismState(step=99, agreement=(3,)))

    m = Scripted([fresh])
    with_two(m)
    state = m.run()
    assert state is m.state and state.agreement == (3,)
    assert state.step == 1  # the round count stays the mechanism's


def test_an_incomplete_round_is_not_counted_and_called_again() -> None:
    def incomplete(m: Mechanism, s: MechanismState) -> MechanismStepResult[MechanismState]:
        return MechanismStepResult(s, completed=False)

    def waiting(m: Mechanism, s: MechanismState) -> MechanismStepResult[MechanismState]:
        return MechanismStepResult(s, waiting=True)

    m = Scripted([incomplete, waiting, plain, agree_in_state])
    with_two(m)
    assert m.step().step == 0 and m.state.running  # one call, not counted
    assert m.step().step == 0
    assert m.step().step == 1
    m2 = Scripted([incomplete, waiting, plain, agree_in_state])
    with_two(m2)
    state = m2.run()
    assert m2.calls == [0, 0, 0, 1] and state.step == 2 and state.agreement is not None
    assert len(m2.history) == 2


@pytest.mark.parametrize("returned", [None, (True, None), "done"])
def test_a_malformed_return_is_a_recorded_error_naming_the_class_and_the_value(
    returned: Any,
) -> None:
    sink = ListSink()
    bus = EventBus()
    bus.add_sink(sink)
    m = Scripted([lambda m, s: returned], bus=bus)
    negotiators = with_two(m, Watcher)
    with pytest.raises(MechanismTypeError) as info:
        m.run()
    message = str(info.value)
    assert "Scripted.__call__ must return a MechanismStepResult" in message
    assert repr(returned) in message and type(returned).__name__ in message
    state = m.state
    assert state.has_error and not state.running and state.error_details == message
    assert state.result == "error"
    assert all(len(n.ends) == 1 for n in negotiators)
    ended = [e for e in sink.events if e.type == EventType.NEGOTIATION_ENDED]
    assert len(ended) == 1 and ended[0].payload["result"] == "error"


def test_a_result_with_a_state_of_another_type_is_an_error() -> None:
    m = Scripted([lambda m, s: MechanismStepResult({"agreement": (1,)})])
    with_two(m)
    with pytest.raises(MechanismTypeError, match=r"state is \{'agreement': \(1,\)\} \(dict\)"):
        m.run()
    assert m.state.has_error and m.state.agreement is None


def test_round_callbacks_and_events_are_those_of_any_mechanism() -> None:
    sink = ListSink()
    bus = EventBus()
    bus.add_sink(sink)
    m = Scripted([plain, agree_in_state], bus=bus)
    a, b = with_two(m, Watcher)
    m.run()
    assert a.rounds == b.rounds
    assert a.rounds == [("start", 0), ("end", 0), ("start", 1), ("end", 1)]
    types = [e.type for e in sink.events]
    assert types == [EventType.NEGOTIATION_STARTED, EventType.NEGOTIATION_ENDED]
    assert tuple(sink.events[-1].payload["agreement"]) == m.agreement


def test_a_recorder_records_it(tmp_path: Path) -> None:
    m = Scripted([plain, plain, agree_in_state], seed=2)
    recorder = SimulationRecorder(m, output_dir=tmp_path)
    with_two(m)
    state = m.run()
    recorder.close()
    reader = recording.open(recorder.folder)
    types = [e.event_type for e in reader.events]
    assert types[0] == "negotiation_started" and types.count("negotiation_ended") == 1
    ended = next(e for e in reader.events if e.event_type == "negotiation_ended")
    assert tuple(ended.content["agreement"]) == state.agreement
    assert ended.content["result"] == "agreement"
    reader.close()


def test_random_outcomes_come_from_the_seed() -> None:
    draws = [Scripted([plain], seed=11).random_outcomes(5) for _ in range(2)]
    assert draws[0] == draws[1] and len(draws[0]) == 5
    assert Scripted([plain], seed=11).random_outcome() in Scripted([plain]).outcomes


class Both(Mechanism):
    """Defines _round and __call__: _round (Palaver's hook) is the round."""

    def _round(self) -> None:
        self.state.agreement = (1,)
        self.state.running = False

    def __call__(self, state: MechanismState, action: Any = None) -> Any:
        raise AssertionError("not a round")


class RoundUnderCall(Scripted):
    """A _round under a NegMAS-style base: the _round is the round."""

    def _round(self) -> None:
        self.state.broken = True
        self.state.running = False


class Neither(Mechanism):
    """Defines no round at all."""


def test_the_round_hook_is_chosen_once_per_class() -> None:
    assert Scripted._play is Mechanism._play_calls
    for builtin in (SAOMechanism, STVetoMechanism, Both, RoundUnderCall):
        assert builtin._play is not Mechanism._play_calls, builtin
    both = Both(outcomes=3, n_steps=3)
    with_two(both)
    assert both.run().agreement == (1,)
    under = RoundUnderCall([agree_in_state])
    with_two(under)
    assert under.run().broken and under.calls == []
    neither = Neither(outcomes=3, n_steps=3)
    with_two(neither)
    with pytest.raises(NotImplementedError, match="Neither implements neither _round"):
        neither.run()


def test_fewer_than_two_negotiators_wait_with_dynamic_entry_and_end_unstarted_without() -> None:
    dynamic = Scripted([agree_in_state], dynamic_entry=True)
    assert dynamic.dynamic_entry
    state = dynamic.run()
    assert not state.started and not state.broken and not state.has_error
    dynamic.add(RandomNegotiator(), ufun=MappingUtilityFunction(lambda o: 1.0))
    assert not dynamic.step().started
    assert not dynamic.run(progress_callback=lambda s: None).started
    dynamic.add(RandomNegotiator(), ufun=MappingUtilityFunction(lambda o: 1.0))
    assert dynamic.run().agreement is not None and len(dynamic.history) == 1
    static = Scripted([agree_in_state])
    assert not static.dynamic_entry
    state = static.run()
    assert not state.started and state.ended_without_starting and not static.history


def test_incomplete_rounds_with_round_callbacks_get_no_round_end_and_run_finishes() -> None:
    def incomplete(m: Mechanism, s: MechanismState) -> MechanismStepResult[MechanismState]:
        return MechanismStepResult(s, completed=False)

    m = Scripted([incomplete, incomplete, plain], n_steps=3)
    a, _ = with_two(m, Watcher)
    state = m.run()
    assert not state.running and state.timedout and state.step == 3
    assert m.calls == [0, 0, 0, 1, 2]
    ends = [step for kind, step in a.rounds if kind == "end"]
    assert ends == [0, 1, 2]  # one per counted round, each seeing its own step


def test_waiting_for_negotiators_does_not_start_the_protocol() -> None:
    veto = STVetoMechanism(outcomes=30, n_steps=5, seed=4, dynamic_entry=True)
    veto.run()
    veto.step()
    assert not veto.state.started
    same = STVetoMechanism(outcomes=30, n_steps=5, seed=4)
    for m in (veto, same):
        with_two(m)
    assert veto.run().to_dict() == same.run().to_dict()  # waiting drew nothing
