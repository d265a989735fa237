"""NaiveTitForTatNegotiator plays as NegMAS 0.16's does.

Every expected sequence here was observed by running the same code on NegMAS
0.16.0 (only the imports differ): the utilities (to the tit-for-tat) of the
offers it made, in order, and where the negotiation ended. Each negotiation
gets fresh utility functions (NegMAS carries the opening's walk over from one
negotiation to the next on a reused utility function object; Palaver does not).
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import pytest

from palaver.negmas import (
    ConcederTBNegotiator,
    LinearTBNegotiator,
    MappingUtilityFunction,
    NaiveTitForTatNegotiator,
    ResponseType,
    SAOMechanism,
    SAONegotiator,
    make_issue,
)


class Scripted(SAONegotiator):
    """Offers ``script[step]`` (the last one from then on) and never accepts."""

    def __init__(self, script: list[tuple[int, ...]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.script = script

    def propose(self, state: Any, dest: str | None = None) -> tuple[int, ...]:
        return self.script[min(state.step, len(self.script) - 1)]

    def respond(self, state: Any, source: str | None = None) -> ResponseType:
        return ResponseType.REJECT_OFFER


def play(
    values: list[float],
    partner: SAONegotiator | str,
    *,
    first: bool = True,
    rv: float = 0.0,
    n_steps: int = 20,
    **options: Any,
) -> tuple[list[float], list[float], Any, int]:
    """One issue with ``len(values)`` values worth ``values`` to the tit-for-tat.

    Returns the utilities of its offers and of the partner's, the agreement and
    the step the negotiation ended at.
    """
    n = len(values)
    issues = [make_issue(n, "x")]
    mine = MappingUtilityFunction(
        {(i,): float(values[i]) for i in range(n)}, issues=issues, reserved_value=rv
    )
    theirs = MappingUtilityFunction({(i,): float(n - 1 - i) for i in range(n)}, issues=issues)
    m = SAOMechanism(issues=issues, n_steps=n_steps)
    tft = NaiveTitForTatNegotiator(name="tft", **options)
    other = (
        {"conceder": ConcederTBNegotiator, "linear": LinearTBNegotiator}[partner](name="other")
        if isinstance(partner, str)
        else partner
    )
    pair = [(tft, mine), (other, theirs)]
    for negotiator, ufun in pair if first else reversed(pair):
        m.add(negotiator, ufun=ufun)
    state = m.run()
    offers = [(who, offer) for _, who, offer in m.extended_trace]
    return (
        [mine(o) for who, o in offers if who == tft.id],
        [mine(o) for who, o in offers if who != tft.id],
        state.agreement,
        state.step,
    )


LINEAR = [float(i) for i in range(11)]


def fixed(value: int) -> Scripted:
    return Scripted([(value,)], name="fixed")


@pytest.mark.parametrize("first", [True, False])
def test_it_concedes_one_level_twice_then_accepts_a_partner_who_never_moves(first: bool) -> None:
    # The reproducer of session 16: the partner always offers 8 (worth 8 of 10).
    offers, _, agreement, step = play(LINEAR, fixed(8), first=first)
    assert offers == [10, 9, 9] and agreement == (8,) and step == 4


@pytest.mark.parametrize(
    ("partner", "rv", "offers"),
    [
        # Worth 5 with a reserved value of 3: 2/7 of the way, so it asks for 8.
        (5, 3.0, [10, 9, 9] + [8] * 17),
        # Worth 2, below the reserved value: no concession to mirror.
        (2, 3.0, [10, 9, 9] + [10] * 17),
        (2, 0.0, [10, 9, 9] + [8] * 17),
        (0, 0.0, [10, 9, 9] + [10] * 17),
    ],
)
def test_from_round_three_it_asks_for_one_minus_what_the_offer_gives_it(
    partner: int, rv: float, offers: list[float]
) -> None:
    for first in (True, False):
        mine, _, agreement, step = play(LINEAR, fixed(partner), rv=rv, first=first)
        assert (mine, agreement, step) == (offers, None, 20)


def test_the_opening_concession_is_the_gap_between_utility_levels() -> None:
    squares = [float(i * i) for i in range(11)]  # the gaps 19, 15, ... out of 100
    for first in (True, False):
        assert play(squares, fixed(8), first=first)[0] == [100, 100, 100]
    # Three outcomes: the second walk reaches past the worst one, read as the
    # reserved value (-5), a gap of 5 out of 10: it offers 9 once.
    assert play([0.0, 9.0, 10.0], fixed(0), rv=-5.0, n_steps=8)[0] == [
        10,
        9,
        10,
        10,
        10,
        10,
        10,
        10,
    ]
    # Two outcomes: the whole range in one gap; it accepts the worst at once.
    assert play([0.0, 1.0], fixed(0), n_steps=8)[2:] == ((0,), 2)


@pytest.mark.parametrize(
    ("partner", "first", "rv", "mine", "theirs", "agreement", "step"),
    [
        ("conceder", True, 0.0, [10, 9, 9], [4, 5, 6], (6,), 4),
        ("conceder", True, 3.0, [10, 9, 9, 6], [4, 5, 6], (6,), 4),
        ("conceder", False, 3.0, [10, 9, 9, 6], [4, 5, 6, 6], (6,), 5),
        (
            "linear",
            True,
            0.0,
            [10, 9, 9, 9, 9, 8, 8, 7, 7, 6, 6],
            [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5],
            (5,),
            12,
        ),
        (
            "linear",
            False,
            3.0,
            [10, 9, 9, 10, 10, 10, 10, 10, 9, 9, 8, 8, 6],
            [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6],
            (6,),
            14,
        ),
    ],
)
def test_against_time_based_partners(
    partner: str,
    first: bool,
    rv: float,
    mine: list[float],
    theirs: list[float],
    agreement: tuple[int],
    step: int,
) -> None:
    assert play(LINEAR, partner, first=first, rv=rv) == (mine, theirs, agreement, step)


def test_two_tit_for_tats_stop_one_level_down() -> None:
    issues = [make_issue(11, "x")]
    m = SAOMechanism(issues=issues, n_steps=20)
    up = MappingUtilityFunction({(i,): float(i) for i in range(11)}, issues=issues)
    down = MappingUtilityFunction({(i,): float(10 - i) for i in range(11)}, issues=issues)
    a, b = NaiveTitForTatNegotiator(name="a"), NaiveTitForTatNegotiator(name="b")
    m.add(a, ufun=up)
    m.add(b, ufun=down)
    state = m.run()
    offers = [(who, offer) for _, who, offer in m.extended_trace]
    assert [up(o) for who, o in offers if who == a.id] == [10] + [9] * 19
    assert [up(o) for who, o in offers if who == b.id] == [0] + [1] * 19
    assert state.agreement is None and state.timedout


@pytest.mark.parametrize(
    ("options", "offers"),
    [
        ({"kindness": 0.1}, [10, 9, 9, 6, 6, 6, 6, 6]),
        ({"kindness": 0.3}, [10, 9, 9, 4, 4, 4, 4, 4]),
        ({"initial_concession": 0.3, "must_concede": False}, [10, 4, 4, 7, 7, 7, 7, 7]),
        ({"no_concession_step": 1}, [10, 10, 9, 7, 7, 7, 7, 7]),
        ({"kindness_start_step": 1}, [10, 7, 7, 7, 7, 7, 7, 7]),
        # Four opening rounds walk eight outcomes and more: the walk runs out.
        ({"kindness_start_step": 5, "kindness": 0.05}, [10, 9, 9, 10, 10, 7, 7, 7]),
        ({"punish": True}, [10, 9, 9, 7, 7, 7, 7, 7]),
    ],
)
def test_its_options(options: dict[str, Any], offers: list[float]) -> None:
    mine, _, agreement, _ = play(LINEAR, fixed(3), n_steps=8, **options)
    assert (mine, agreement) == (offers, None)


def test_punishing_a_partner_below_the_reserved_value_changes_nothing() -> None:
    # NegMAS drops a concession below -1e-6: the negative one punish keeps.
    mine, _, agreement, _ = play(LINEAR, fixed(3), rv=5.0, n_steps=8, punish=True)
    assert (mine, agreement) == ([10, 9, 9, 10, 10, 10, 10, 10], None)


def test_it_accepts_its_best_outcome_at_once() -> None:
    assert play(LINEAR, fixed(10))[2:] == ((10,), 2)
    assert play(LINEAR, fixed(10), first=False)[2:] == ((10,), 1)


def test_a_reserved_value_above_every_outcome_accepts_nothing() -> None:
    mine, _, agreement, _ = play(LINEAR, fixed(3), rv=20.0, n_steps=8)
    assert (mine, agreement) == ([10, 9, 9, 10, 10, 10, 10, 10], None)


def test_a_flat_utility_function_accepts_the_first_offer() -> None:
    issues = [make_issue(11, "x")]
    m = SAOMechanism(issues=issues, n_steps=8)
    tft = NaiveTitForTatNegotiator(name="tft")
    m.add(tft, ufun=MappingUtilityFunction({(i,): 5.0 for i in range(11)}, issues=issues))
    m.add(fixed(3), ufun=MappingUtilityFunction({(i,): 0.0 for i in range(11)}, issues=issues))
    state = m.run()
    assert [o for _, who, o in m.extended_trace if who == tft.id] == [(0,)]
    assert (state.agreement, state.step) == ((3,), 2)


@pytest.mark.parametrize(
    ("script", "first", "offers", "agreement", "step"),
    [
        ([(0, 0)], True, [(3, 3), (2, 3)] + [(3, 3)] * 10, None, 12),
        ([(0, 0)], False, [(3, 3), (2, 3)] + [(3, 3)] * 10, None, 12),
        (
            [(0, 1), (1, 1), (1, 2), (2, 2), (2, 3), (3, 3)],
            True,
            [(3, 3), (2, 3), (3, 3), (1, 3)],
            (2, 2),
            5,
        ),
        (
            [(0, 1), (1, 1), (1, 2), (2, 2), (2, 3), (3, 3)],
            False,
            [(3, 3), (2, 3), (3, 3)],
            (2, 2),
            4,
        ),
        (
            [(0, 0), (0, 1), (0, 2), (0, 3), (1, 3)],
            True,
            [(3, 3), (2, 3), (3, 3), (2, 3), (1, 3)],
            (1, 3),
            6,
        ),
    ],
)
def test_the_outcomes_it_offers_among_ties(
    script: list[tuple[int, int]],
    first: bool,
    offers: list[tuple[int, int]],
    agreement: Any,
    step: int,
) -> None:
    issues = [make_issue(4, "a"), make_issue(4, "b")]
    outcomes = list(itertools.product(range(4), range(4)))
    mine = MappingUtilityFunction(
        {o: float(o[0] + o[1]) for o in outcomes}, issues=issues, reserved_value=1.0
    )
    theirs = MappingUtilityFunction({o: 0.0 for o in outcomes}, issues=issues)
    m = SAOMechanism(issues=issues, n_steps=12)
    tft, other = NaiveTitForTatNegotiator(name="tft"), Scripted(script, name="other")
    pair = [(tft, mine), (other, theirs)]
    for negotiator, ufun in pair if first else reversed(pair):
        m.add(negotiator, ufun=ufun)
    state = m.run()
    assert [o for _, who, o in m.extended_trace if who == tft.id] == offers
    assert (state.agreement, state.step) == (agreement, step)


def test_each_negotiation_walks_from_the_best_again() -> None:
    # NegMAS continues the walk on a reused utility function ([10, 10, 10] the
    # second time); Palaver starts every negotiation alike.
    issues = [make_issue(11, "x")]
    ufun = MappingUtilityFunction({(i,): float(i) for i in range(11)}, issues=issues)
    for _ in range(2):
        m = SAOMechanism(issues=issues, n_steps=3)
        tft = NaiveTitForTatNegotiator(name="tft")
        m.add(tft, ufun=ufun)
        m.add(fixed(3), ufun=MappingUtilityFunction({(i,): 0.0 for i in range(11)}, issues=issues))
        m.run()
        assert [ufun(o) for _, who, o in m.extended_trace if who == tft.id] == [10, 9, 9]


def test_stochastic_offers_are_at_least_as_good_and_reproducible() -> None:
    def run(seed: int) -> list[float]:
        issues = [make_issue(11, "x")]
        mine = MappingUtilityFunction({(i,): float(i) for i in range(11)}, issues=issues)
        m = SAOMechanism(issues=issues, n_steps=12, seed=seed)
        tft = NaiveTitForTatNegotiator(name="tft", stochastic=True)
        m.add(tft, ufun=mine)
        m.add(fixed(3), ufun=MappingUtilityFunction({(i,): 0.0 for i in range(11)}, issues=issues))
        m.run()
        return [mine(o) for _, who, o in m.extended_trace if who == tft.id]

    offers = run(1)
    assert offers[0] == 10 and all(u >= 9 for u in offers[1:3]) and all(u >= 7 for u in offers[3:])
    assert len(set(offers[3:])) > 1  # not always the worst acceptable one
    assert run(1) == offers


@pytest.mark.parametrize(
    ("options", "error", "names"),
    [
        ({"rank_only": True}, ValueError, "rank_only=True"),
        ({"kindness": "lots"}, TypeError, "kindness"),
        ({"kindness": math.nan}, ValueError, "kindness"),
        ({"initial_concession": "max"}, ValueError, "initial_concession"),
        ({"initial_concession": -0.1}, ValueError, "initial_concession"),
        ({"punish": 1}, TypeError, "punish"),
        ({"stochastic": None}, TypeError, "stochastic"),
        ({"must_concede": None}, TypeError, "must_concede"),
        ({"no_concession_step": 0.5}, TypeError, "no_concession_step"),
        ({"kindness_start_step": "3"}, TypeError, "kindness_start_step"),
        ({"min_concession_eps": math.inf}, ValueError, "min_concession_eps"),
    ],
)
def test_bad_options_are_refused_by_name(
    options: dict[str, Any], error: type[Exception], names: str
) -> None:
    with pytest.raises(error, match=names):
        NaiveTitForTatNegotiator(**options)
