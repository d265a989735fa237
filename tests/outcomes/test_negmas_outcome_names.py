"""NegMAS's ContiguousIssue, SingletonOutcomeSpace and ExtendedOutcome."""

from __future__ import annotations

import pickle

import pytest

from palaver.mechanisms import SAOMechanism
from palaver.negotiators import RandomNegotiator
from palaver.outcomes import (
    ContiguousIssue,
    ExtendedOutcome,
    IntegerIssue,
    InvalidIssueError,
    OutcomeSpace,
    OutcomeSpaceError,
    SingletonOutcomeSpace,
    make_issue,
)
from palaver.preferences import MappingUtilityFunction


def test_contiguous_issue_is_an_integer_issue_made_negmas_way() -> None:
    pair = ContiguousIssue((2, 6), "price")
    count = ContiguousIssue(4, name="n")
    assert isinstance(pair, IntegerIssue)
    assert (pair.min_value, pair.max_value, pair.cardinality) == (2, 6, 5)
    # NegMAS's values of a range is (lo, hi); every integer is in all_values / iteration.
    assert count.values == (0, 3) and count.name == "n"
    assert list(count) == list(count.all_values) == list(count.all) == [0, 1, 2, 3]
    assert pair.with_name("cost").values == (2, 6)
    assert pair == IntegerIssue(2, 6, "price") == pair and pair == make_issue((2, 6), "price")
    assert hash(pair) == hash(IntegerIssue(2, 6, "price"))
    assert pair != ContiguousIssue((2, 6), "cost")
    assert repr(pair) == "ContiguousIssue((2, 6), name='price')"
    assert pickle.loads(pickle.dumps(pair)) == pair and 4 in pair and 7 not in pair
    with pytest.raises(InvalidIssueError, match="step=2 is not supported"):
        ContiguousIssue((0, 10), "x", step=2)
    with pytest.raises(InvalidIssueError, match=r"pair \(lo, hi\); got 'abc'"):
        ContiguousIssue("abc", "x")  # type: ignore[arg-type]


def test_singleton_outcome_space_holds_one_outcome() -> None:
    space = SingletonOutcomeSpace(outcome=[3, "red"])
    assert space.outcome == (3, "red") and space.cardinality == 1
    assert space.issue_names == ["issue00", "issue01"]
    assert list(space.enumerate()) == [(3, "red")] and (3, "red") in space
    assert (3, "blue") not in space
    named = SingletonOutcomeSpace(outcome=(1.5,), issue_names=["price"], name="deal")
    assert named.issue_names == ["price"] and named.name == "deal"
    assert isinstance(pickle.loads(pickle.dumps(named)), OutcomeSpace)
    with pytest.raises(OutcomeSpaceError, match="names 1 issues but the outcome"):
        SingletonOutcomeSpace(outcome=(1, 2), issue_names=["a"])
    # A number raised "'int' object is not iterable"; a text became one issue per letter.
    for bad in (3, None, "red"):
        with pytest.raises(
            TypeError, match=rf"outcome=\.\.\.\) must be an outcome tuple, got .*{bad!r}"
        ):
            SingletonOutcomeSpace(outcome=bad)  # type: ignore[arg-type]


class Explaining(RandomNegotiator):
    """Offers what RandomNegotiator would, wrapped with a text (or wraps None)."""

    def __init__(self, wrap_none: bool = False, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.wrap_none = wrap_none

    def propose(self, state: object, dest: str | None = None) -> ExtendedOutcome:  # type: ignore[override]
        offer = None if self.wrap_none else super().propose(state)  # type: ignore[arg-type]
        return ExtendedOutcome(offer, data={"text": "a fair price"})


def _session(first: RandomNegotiator) -> SAOMechanism:
    m = SAOMechanism(outcomes=6, n_steps=12, seed=5)
    m.add(first, ufun=MappingUtilityFunction(lambda o: o[0] / 5))
    m.add(RandomNegotiator(name="b"), ufun=MappingUtilityFunction(lambda o: 1 - o[0] / 5))
    return m


def test_an_extended_outcome_offers_its_outcome() -> None:
    m = _session(Explaining(name="a"))
    m.run()
    mine = [o for _, who, o in m.history if who == "a"]
    assert mine and all(type(o) is tuple and o in m.outcome_space for o in mine)


def test_an_extended_outcome_of_none_with_data_is_a_message() -> None:
    # NegMAS's allow_none_with_data (the default): the text is sent, no offer made.
    m = _session(Explaining(wrap_none=True, name="a"))
    state = m.run()
    assert not state.broken and not state.has_error
    mine = [e for e in m.history if e.current_proposer == "a"]
    assert mine and all(
        e.current_offer is None and e.current_data == {"text": "a fair price"} for e in mine
    )


def test_issue_names_is_a_fresh_list_as_in_negmas() -> None:
    space = OutcomeSpace([make_issue(3, "price"), make_issue(["a", "b"], "color")])
    names = space.issue_names
    assert names == ["price", "color"] and type(names) is list
    names.append("extra")  # a copy: the space keeps its names
    assert space.issue_names == ["price", "color"]
