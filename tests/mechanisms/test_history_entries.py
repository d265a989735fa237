"""mechanism.history entries read as Palaver's tuples and as NegMAS's states."""

from __future__ import annotations

from palaver.mechanisms import SAOMechanism
from palaver.mechanisms.offered import Offered
from palaver.negotiators import AspirationNegotiator
from palaver.outcomes import make_issue
from palaver.preferences import LinearUtilityFunction

ISSUES = [make_issue(10, "price")]


def session(n_steps: int = 30) -> SAOMechanism:
    m = SAOMechanism(issues=ISSUES, n_steps=n_steps, seed=1)
    m.add(AspirationNegotiator(name="seller"), ufun=LinearUtilityFunction([1.0]))
    m.add(AspirationNegotiator(name="buyer"), ufun=LinearUtilityFunction([-1.0], bias=9.0))
    return m


def test_negmas_reading_of_the_history() -> None:
    m = session()
    m.run()
    history = m.history
    assert history and all(type(s) is Offered for s in history)
    seller = [s.current_offer for s in history if s.current_proposer == "seller"]
    assert seller == m.negotiator_offers("seller")
    assert all(s.step == s[0] and s.new_offers == [(s[1], s[2])] for s in history)
    # still Palaver's tuples: unpacking and comparing with plain tuples
    assert history == [tuple(t) for t in m.extended_trace]
    rnd, who, outcome = history[0]
    assert (rnd, who, outcome) == (0, "seller", (9,))


def test_the_list_is_kept_up_to_date_and_entries_made_once() -> None:
    m = session()
    m.step()
    first = m.history
    seen = list(first)
    m.step()
    again = m.history
    assert again is first and len(again) > len(seen)
    assert all(a is b for a, b in zip(again, seen, strict=False))  # not wrapped again
    negotiator = m.negotiators[0]
    assert negotiator.nmi is not None and negotiator.nmi.history is again
