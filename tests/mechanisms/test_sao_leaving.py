"""NegMAS's ResponseType.LEAVE in SAO: who leaves, who goes on, what is recorded."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from mech_fakes import A, N, R, Scripted, small_space

from palaver.events import EventBus, EventType, ListSink
from palaver.events.batch import EventBatch
from palaver.mechanisms import MechanismState, ResponseType, SAOMechanism
from palaver.mechanisms.errors import MechanismTypeError
from palaver.negotiators import AspirationNegotiator
from palaver.outcomes import Outcome, make_issue
from palaver.preferences import LinearUtilityFunction

L = ResponseType.LEAVE


class Tracking(Scripted):
    """A scripted negotiator that keeps NegMAS's leaving callbacks."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.told: list[tuple[str, str, int]] = []

    def on_leave(self, state: MechanismState) -> None:
        self.told.append(("left", self.id, state.step))

    def on_negotiator_left(self, negotiator_id: str, state: MechanismState) -> None:
        self.told.append(("other left", negotiator_id, state.step))


def sao(*negotiators: Any, **kwargs: Any) -> SAOMechanism:
    kwargs.setdefault("n_steps", 10)
    m = SAOMechanism(outcome_space=small_space(), seed=1, **kwargs)
    for n in negotiators:
        assert m.add(n)
    return m


def test_leave_exists_and_is_recorded_as_leave() -> None:
    assert ResponseType.LEAVE.value == "leave"
    assert len({*ResponseType}) == 6  # with NegMAS's WAIT, refused when answered


@pytest.mark.parametrize("one_offer_per_step", [False, True])
def test_one_of_two_leaving_ends_the_negotiation_without_agreement(
    one_offer_per_step: bool,
) -> None:
    sink = ListSink()
    bus = EventBus("run")
    bus.add_sink(sink)
    a = Tracking("a", proposals=[(1, 1)])
    b = Tracking("b", responses=[R, L])
    m = sao(a, b, bus=bus, one_offer_per_step=one_offer_per_step)
    state = m.run()
    assert state.broken and state.agreement is None and state.result == "failure"
    assert state.left_negotiators == frozenset({"b"})
    assert m.n_participating == 1 and m.participating_negotiators == [a]
    assert state.n_participating == 1
    responses = [e.payload for e in sink.events if e.type == EventType.RESPONSE]
    assert responses[-1]["negotiator"] == "b" and responses[-1]["response"] == "leave"
    # NegMAS's callbacks: the leaver, then those still in.
    assert b.told == [("left", "b", state.step - 1)]
    assert a.told == [("other left", "b", state.step - 1)]


def test_the_others_go_on_and_reach_an_agreement_without_the_leaver() -> None:
    # a offers (1, 1); b leaves on its first answer; c accepts on its second.
    a = Tracking("a", proposals=[(1, 1)], responses=[A])
    b = Tracking("b", responses=[L])
    c = Tracking("c", proposals=[(1, 1)], responses=[R, A])
    m = sao(a, b, c)
    state = m.run()
    assert state.agreement == (1, 1) and not state.broken
    assert state.left_negotiators == frozenset({"b"})
    assert m.agreement_partners == [a, c] and m.n_participating == 2
    assert state.n_participating == 2
    assert b.n_responded == 1 and b.n_proposed == 0  # never asked again
    assert a.told == c.told == [("other left", "b", 0)]
    assert [n.id for n in m.negotiators] == ["a", "b", "c"]  # it keeps its place


def test_one_offer_per_step_skips_the_turns_of_those_that_left() -> None:
    a = Tracking("a", proposals=[(1, 1), (2, 2)], responses=[R])
    b = Tracking("b", responses=[L])
    c = Tracking("c", proposals=[(3, 3)], responses=[R])
    m = sao(a, b, c, one_offer_per_step=True, n_steps=7)
    state = m.run()
    # Turns: a offers, b leaves, c counter-offers, then a and c alternate.
    assert [who for _, who, _ in m.history] == ["a", "c", "a", "c", "a", "c"]
    assert [turn for turn, _, _ in m.history] == [0, 2, 3, 4, 5, 6]
    assert b.n_responded == 1 and b.n_proposed == 0 and state.timedout
    assert a.told == c.told == [("other left", "b", 1)]


def test_an_acceptance_by_the_leaver_no_longer_counts() -> None:
    # l offers X (offering is not accepting); c accepts; l accepts, then leaves;
    # a passes throughout. Counting acceptances (NegMAS's n_acceptances) would
    # see two acceptances for two negotiators left; the offer needs a's too.
    x = (2, 2)
    l_ = Scripted("l", proposals=[x], responses=[A, L])
    a = Scripted("a", responses=[N])
    c = Scripted("c", responses=[A])
    state = sao(l_, a, c, offering_is_accepting=False, n_steps=6).run()
    assert state.agreement is None and state.timedout
    assert state.current_offer == x and state.n_acceptances == 1
    # Once a accepts too, it is the agreement of the two still in.
    l_ = Scripted("l", proposals=[x], responses=[A, L])
    a = Scripted("a", responses=[N, N, N, A])
    c = Scripted("c", responses=[A])
    state = sao(l_, a, c, offering_is_accepting=False, n_steps=6).run()
    assert state.agreement == x and state.left_negotiators == frozenset({"l"})


def test_leave_ends_the_negotiation_when_leaving_is_not_allowed() -> None:
    a = Tracking("a", proposals=[(1, 1)])
    b = Tracking("b", responses=[L])
    c = Tracking("c")
    m = sao(a, b, c, allow_negotiators_to_leave=False)
    state = m.run()
    assert state.broken and state.step == 1 and m.allow_negotiators_to_leave is False
    assert state.left_negotiators == frozenset() and a.told == b.told == []
    with pytest.raises(MechanismTypeError, match="allow_negotiators_to_leave"):
        SAOMechanism(outcome_space=small_space(), n_steps=3, allow_negotiators_to_leave=1)


def test_callbacks_wait_for_extra_callbacks() -> None:
    a = Tracking("a", proposals=[(1, 1)])
    b = Tracking("b", responses=[L])
    c = Tracking("c")
    state = sao(a, b, c, extra_callbacks=False).run()
    assert state.left_negotiators == frozenset({"b"}) and state.timedout
    assert a.told == b.told == c.told == []


def test_a_failing_leaving_callback_fails_the_negotiation_as_any_negotiator_call() -> None:
    class Failing(Tracking):
        def on_negotiator_left(self, negotiator_id: str, state: MechanismState) -> None:
            raise RuntimeError("no")

    m = sao(
        Failing("a", proposals=[(1, 1)]),
        Tracking("b", responses=[L]),
        Tracking("c"),
        ignore_negotiator_exceptions=True,
    )
    state = m.run()
    assert state.has_error and state.erred_negotiator == "a"
    assert "on_negotiator_left" in state.error_details


def test_copied_states_keep_their_own_left_negotiators() -> None:
    b = Tracking("b", responses=[R, L])
    m = sao(Tracking("a", proposals=[(1, 1)]), b, Tracking("c"))
    before = m.step().copy()
    m.run()
    assert before.left_negotiators == frozenset() and m.state.left_negotiators == {"b"}
    assert m.state.to_dict()["left_negotiators"] == ["b"]


# -- every round loop applies the same rules -----------------------------------


class Planless(AspirationNegotiator):
    """The same strategy without a round plan (the general loop calls it)."""

    def round_plan(self, n_steps: int) -> None:
        return None


class Watching(AspirationNegotiator):
    """The same strategy, watching the others (the turn-by-turn loop)."""

    def on_partner_proposal(self, state: MechanismState, partner_id: str, offer: Outcome) -> None:
        pass


class Leaving(Planless):
    """Leaves at its first answer from round ``at`` on."""

    def __init__(self, at: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.at = at

    def respond(self, state: MechanismState, offer: Outcome) -> ResponseType:
        if state.step >= self.at:
            return ResponseType.LEAVE
        return super().respond(state, offer)


class Rows:
    """A batch sink (the round loops then hand it rows)."""

    def __init__(self) -> None:
        self.events: list[tuple[Any, ...]] = []

    def emit(self, event: Any) -> None:
        self.events.append((event.type, event.negotiation_id, dict(event.payload)))

    def emit_batch(self, batch: EventBatch) -> None:
        # A row as the event emit() would have made (a loop may take either way).
        for kind, _, _, negotiation, rnd, who, response, outcome in batch.rows:
            if kind == EventType.OFFER:
                payload = {"round": rnd, "negotiator": who, "outcome": outcome}
            else:
                payload = {"round": rnd, "negotiator": who, "response": response, "offer": outcome}
            self.events.append((kind, negotiation, payload))


def _play(seed: int, kind: type, sink: str) -> tuple[Any, ...]:
    rng = np.random.default_rng(seed)
    n = 3 + seed % 2
    bus = EventBus("run")
    got: Any = None
    if sink == "list":
        got = ListSink(event_types={EventType.OFFER, EventType.RESPONSE})
        bus.add_sink(got)
    elif sink == "rows":
        got = Rows()
        bus.add_sink(got)
    issues = [make_issue(6, "a"), make_issue(5, "b")]
    m = SAOMechanism(issues=issues, n_steps=[3, 8, 40][seed % 3], seed=seed, bus=bus)
    leaver = int(rng.integers(n))
    for i in range(n):
        w = list(rng.random(2) * (1 if i % 2 == 0 else -1))
        ufun = LinearUtilityFunction(w, reserved_value=float(rng.choice([-100.0, 0.0])))
        if i == leaver:
            m.add(Leaving(int(rng.integers(4)), ufun=ufun, id=f"n{i}"))
        else:
            m.add(kind(ufun=ufun, id=f"n{i}"))
    if seed % 4 == 0:
        while m.state.running or not m.state.started:
            m.step()
    else:
        m.run()
    if got is None:
        events: list[Any] = []
    elif sink == "list":
        events = [(e.type, e.negotiation_id, dict(e.payload)) for e in got.events]
    else:
        events = got.events
    return m.history, m.state.to_dict(), events


@pytest.mark.parametrize("sink", ["none", "list", "rows"])
def test_every_round_loop_plays_a_departure_alike(sink: str) -> None:
    left = agreed = 0
    for seed in range(40):
        planned = _play(seed, AspirationNegotiator, sink)  # plans beside the leaver
        general = _play(seed, Planless, sink)  # the hot loop
        watched = _play(seed, Watching, sink)  # turn by turn
        assert planned[:2] == general[:2] == watched[:2], seed
        assert planned[2] == general[2] == watched[2], seed
        left += bool(planned[1]["left_negotiators"])
        agreed += planned[1]["agreement"] is not None and bool(planned[1]["left_negotiators"])
    assert left > 10 and agreed > 3  # the departures and agreements after one happened
