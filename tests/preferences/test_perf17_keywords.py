"""NegMAS's name= / stability= / issues= keywords on utility functions that do not declare
them, and the reserved value's checks (both on the path of every utility function made)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences import LinearUtilityFunction, UtilityFunction
from palaver.preferences.stability import STATIONARY, VOLATILE

ISSUES = [make_issue(3, "a"), make_issue(4, "b")]


class Counted(UtilityFunction):
    """A user's utility function whose own ``__init__`` takes none of the keywords."""

    def __init__(self, scale: float, outcome_space: Any = None) -> None:
        self.calls = getattr(self, "calls", 0) + 1
        self.scale = scale
        self.name = "set by __init__"
        super().__init__(0.0, outcome_space)

    def eval(self, outcome: Any) -> float:
        return self.scale * float(sum(outcome))


def test_a_call_without_the_keywords_runs_init_once() -> None:
    u = Counted(2.0)
    assert u.calls == 1
    assert u.name == "set by __init__"
    assert u.stability == STATIONARY
    assert u.outcome_space is None


def test_keywords_are_set_after_init_and_issues_make_the_space() -> None:
    u = Counted(2.0, name="mine", stability=VOLATILE, issues=ISSUES)
    assert u.calls == 1
    assert u.name == "mine"  # after __init__, which set its own
    assert u.stability == VOLATILE
    assert u.outcome_space == OutcomeSpace(ISSUES)
    assert u((1, 2)) == 6.0


def test_none_means_not_given() -> None:
    u = Counted(1.0, name=None, stability=None)
    assert u.name == "set by __init__"
    assert u.stability == STATIONARY


def test_wrong_values_raise_before_init_stability_first() -> None:
    with pytest.raises(TypeError, match="stability"):
        Counted(1.0, name=3, stability="bad")
    with pytest.raises(TypeError, match="name must be a string"):
        Counted(1.0, name=3)


def test_builtin_class_takes_them_through_its_base() -> None:
    u = LinearUtilityFunction([1.0, 2.0], reserved_value=0.5, name="lin", issues=ISSUES)
    assert (u.name, u.reserved_value, u((2, 3))) == ("lin", 0.5, 8.0)
    assert u.outcome_space == OutcomeSpace(ISSUES)
    plain = LinearUtilityFunction([1.0, 2.0], reserved_value=0.5)
    assert (plain.name, plain.stability, plain.outcome_space) == (None, STATIONARY, None)


@pytest.mark.parametrize("bad", [float("nan"), True, "0.5", None])
def test_reserved_value_refuses_nan_flags_and_text(bad: Any) -> None:
    u = LinearUtilityFunction([1.0, 2.0])
    with pytest.raises(ValueError, match="reserved_value"):
        u.reserved_value = bad
    assert u.reserved_value == float("-inf")


def test_reserved_value_takes_floats_ints_and_numpy_numbers() -> None:
    import numpy as np

    u = LinearUtilityFunction([1.0, 2.0], reserved_value=0.25)
    assert u.reserved_value == 0.25
    for given in (3, np.float32(0.5), np.int64(-2), float("inf")):
        u.reserved_value = given
        assert type(u.reserved_value) is float and u.reserved_value == float(given)


@pytest.mark.parametrize(
    ("scale", "shift", "error", "shown"),
    [
        ("x", 0.0, TypeError, "scale must be a positive finite number, got 'x' (str)"),
        (0.0, 0.0, ValueError, "scale must be a positive finite number, got 0.0"),
        (1.0, float("inf"), ValueError, "shift must be a finite number, got inf"),
        (1.0, "y", TypeError, "shift must be a finite number, got 'y' (str)"),
    ],
)
def test_an_affine_wrapper_names_the_argument_that_is_wrong(
    scale: object, shift: object, error: type[Exception], shown: str
) -> None:
    from palaver.preferences.wrappers import AffineUtilityFunction

    inner = LinearUtilityFunction([1.0])
    with pytest.raises(error, match=re.escape(shown)):
        AffineUtilityFunction(inner, scale, shift, 0.0, None)  # type: ignore[arg-type]
