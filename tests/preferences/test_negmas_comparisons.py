"""NegMAS's outcome comparisons on every utility function, a custom ``eval`` subclass included."""

from __future__ import annotations

from typing import Any

from palaver.negmas import UtilityFunction, make_issue, make_os


class Distance(UtilityFunction):
    """NegMAS-style: only ``eval``, 1 at ``target`` and less further away."""

    def __init__(self, target: tuple[int, int], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.target = target

    def eval(self, offer: Any) -> float:
        if offer is None:
            return self.reserved_value
        return 1.0 - sum((a - b) ** 2 for a, b in zip(offer, self.target, strict=True)) / 50


def ufun() -> Distance:
    space = make_os([make_issue(6, "x"), make_issue(6, "y")])
    return Distance((5, 5), outcome_space=space, reserved_value=0.5)


def test_comparisons_are_bools_hand_computed() -> None:
    u = ufun()
    best, near, far = (5, 5), (4, 5), (0, 0)  # 1.0, 0.98, 0.0
    assert u.difference(best, near) == 1.0 - 0.98
    assert u.difference(None, far) == 0.5  # None is the reserved value
    assert (u.is_not_worse(best, near), u.is_not_worse(near, best)) == (True, False)
    assert (u.is_worse(far, near), u.is_worse(near, far)) == (True, False)
    assert (u.is_not_better(far, near), u.is_not_better(best, near)) == (True, False)
    assert u.is_equivalent((4, 5), (5, 4)) and not u.is_equivalent(best, near)
    # Equal utilities: at least as good both ways, neither worse.
    assert u.is_not_worse((4, 5), (5, 4)) and u.is_not_better((4, 5), (5, 4))
    assert not u.is_worse((4, 5), (5, 4))


def test_argrank_groups_positions_by_utility() -> None:
    u = ufun()
    outcomes = [(0, 0), (5, 5), (4, 5), (5, 4), None]
    assert u.argrank(outcomes) == [[1], [2, 3], [4], [0]]
    assert u.argrank(outcomes, descending=False) == [[0], [4], [2, 3], [1]]
    assert [[outcomes[i] for i in g] for g in u.argrank(outcomes)] == u.rank(outcomes)


def test_is_better_is_a_strict_bool_false_when_equally_good() -> None:
    u = ufun()
    assert u.is_better((5, 5), (4, 5)) is True and u.is_better((4, 5), (5, 5)) is False
    assert u.is_better((4, 5), (5, 4)) is False  # equal utilities: NegMAS's False, not None
    assert u.is_better((5, 5), None) is True and u.is_better(None, (5, 5)) is False


def test_is_better_with_a_nan_utility_is_false_both_ways() -> None:
    u = ufun()
    u.target = (float("nan"), 5)  # type: ignore[assignment]
    assert u.is_better((5, 5), (0, 0)) is False and u.is_better((0, 0), (5, 5)) is False
