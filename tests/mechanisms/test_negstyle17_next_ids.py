"""NegMAS's SAOMechanism.next_negotitor_ids (NegMAS's spelling), used to key step(action)."""

from __future__ import annotations

from typing import Any

from palaver.negmas import (
    AspirationNegotiator,
    LinearUtilityFunction,
    ResponseType,
    SAOMechanism,
    SAONegotiator,
    SAOResponse,
    make_issue,
)


def session(one_offer_per_step: bool) -> SAOMechanism:
    m = SAOMechanism(
        issues=[make_issue(10, "price")], n_steps=30, one_offer_per_step=one_offer_per_step
    )
    for name, weight in (("a", 1.0), ("b", -1.0), ("c", 0.5)):
        m.add(AspirationNegotiator(name=name), ufun=LinearUtilityFunction([weight]))
    return m


def test_with_one_offer_per_step_it_names_whose_turn_is_next() -> None:
    m = session(True)
    seen = []
    for _ in range(4):
        ids = m.next_negotitor_ids()
        assert len(ids) == 1
        seen.append(ids[0])
        m.step({ids[0]: SAOResponse(ResponseType.REJECT_OFFER, (3,))})
        assert (m.state.current_offer, m.state.current_proposer) == ((3,), ids[0])
    assert seen == ["a", "b", "c", "a"]


def test_otherwise_it_names_everyone_still_in() -> None:
    m = session(False)
    assert m.next_negotitor_ids() == ["a", "b", "c"]
    m.step({"b": SAOResponse(ResponseType.LEAVE, None)})
    assert m.next_negotitor_ids() == ["a", "c"]


def test_full_trace_records_the_proposers_own_acceptance_only_when_it_gave_one() -> None:
    class AlwaysAccept(SAONegotiator):
        def propose(self, state: Any, dest: str | None = None) -> tuple[int]:
            return (5,)

        def respond(self, state: Any, source: str | None = None) -> ResponseType:
            return ResponseType.ACCEPT_OFFER

    for offering_is_accepting, acceptors in ((False, {"A", "B"}), (True, {"B"})):
        m = SAOMechanism(
            issues=[make_issue(10, "price")],
            n_steps=50,
            offering_is_accepting=offering_is_accepting,
        )
        m.add(AlwaysAccept(name="A"))
        m.add(AlwaysAccept(name="B"))
        m.run()
        last = m.full_trace[-1]
        assert (last.state, last.negotiator, set(last.responses)) == ("agreement", "A", acceptors)
        assert set(last.responses.values()) == {ResponseType.ACCEPT_OFFER}
