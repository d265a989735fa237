"""Constraints added in place reach what negotiations cache about a space or a utility function.

Outcome tables, negotiators' grids and rankings are kept per space (and per
utility function): a constraint added after a negotiation ran on them must
not leave the old ones in use (a negotiation agreeing on an outcome the space
no longer has), and outcomes a constraint rules out (worth -inf) must not
turn an aspiration curve into NaNs.
"""

from __future__ import annotations

import warnings

from palaver.mechanisms import SAOMechanism
from palaver.negotiators import AspirationNegotiator
from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences import LinearUtilityFunction


def negotiate(space: OutcomeSpace, first: LinearUtilityFunction) -> tuple[object, list[object]]:
    m = SAOMechanism(outcome_space=space, n_steps=30)
    m.add(AspirationNegotiator(ufun=first))
    m.add(AspirationNegotiator(ufun=LinearUtilityFunction([-0.2, -1.0], outcome_space=space)))
    state = m.run()
    return state.agreement, [offer for _, _, offer in m.extended_trace]


def test_a_constraint_added_to_a_used_space_is_obeyed_by_later_negotiations() -> None:
    space = OutcomeSpace([make_issue(5, "a"), make_issue(5, "b")])
    mine = LinearUtilityFunction([1.0, 0.2], outcome_space=space)
    before, _ = negotiate(space, mine)
    assert before is not None and before[0] >= 3  # the first issue pulled high
    space.add_constraint(lambda o: o[0] < 3)
    after, offers = negotiate(space, mine)
    assert after in space and all(o in space for o in offers)
    space.constraints.append(lambda o: o[1] < 4)  # NegMAS's list, changed directly
    again, offers = negotiate(space, mine)
    assert again in space and all(o[1] < 4 for o in offers)


def test_a_constraint_added_to_a_used_utility_function_changes_its_ranking() -> None:
    space = OutcomeSpace([make_issue(5, "a"), make_issue(5, "b")])
    mine = LinearUtilityFunction([1.0, 0.2], outcome_space=space)
    _, offers = negotiate(space, mine)
    assert (4, 4) in offers
    mine.add_constraint(lambda o: o[0] != 4)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # no NaN aspiration levels
        agreement, offers = negotiate(space, mine)
    mine_offers = offers[::2]
    assert all(o[0] != 4 for o in mine_offers)
    assert agreement is None or agreement[0] != 4
