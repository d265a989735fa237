"""A negotiator's id is checked where it joins a mechanism, also when set after construction."""

from __future__ import annotations

from typing import Any

import pytest

from palaver.mechanisms import SAOMechanism
from palaver.negotiators import AspirationNegotiator
from palaver.outcomes import make_issue
from palaver.preferences import LinearUtilityFunction


def _mechanism() -> SAOMechanism:
    return SAOMechanism(issues=[make_issue(5, "x")], n_steps=10)


def _negotiator(m: SAOMechanism) -> AspirationNegotiator:
    return AspirationNegotiator(ufun=LinearUtilityFunction([1.0], outcome_space=m.outcome_space))


@pytest.mark.parametrize(
    ("bad", "error", "shown"),
    [
        (5, TypeError, "got 5 \\(int\\)"),
        (None, TypeError, "got None \\(NoneType\\)"),
        (("x",), TypeError, "got \\('x',\\) \\(tuple\\)"),
        ("", ValueError, "got ''"),
        ("a\ud800", ValueError, "lone surrogate"),
    ],
)
def test_an_id_set_after_construction_is_refused_by_add(
    bad: Any, error: type[Exception], shown: str
) -> None:
    m = _mechanism()
    n = _negotiator(m)
    n.id = bad
    with pytest.raises(error, match=f"AspirationNegotiator.id.*{shown}"):
        m.add(n)
    assert m.negotiators == []
    assert n.nmi is None  # refused before join


def test_a_text_id_set_after_construction_is_kept_and_a_str_subclass_too() -> None:
    class Text(str):
        pass

    m = _mechanism()
    a, b = _negotiator(m), _negotiator(m)
    a.id = "buyer"
    b.id = Text("seller")
    assert m.add(a) is True
    assert m.add(b) is True
    assert m.negotiator_ids == ["buyer", "seller"]
    m.run()
    assert {i for _, i, _ in m.history} <= {"buyer", "seller"}


def test_adding_a_class_says_to_add_an_instance() -> None:
    m = _mechanism()
    with pytest.raises(
        TypeError, match=r"SAOMechanism.add got the class AspirationNegotiator, not"
    ):
        m.add(AspirationNegotiator)  # type: ignore[arg-type]
    assert m.negotiators == []


@pytest.mark.parametrize(
    ("bad", "shown"), [(None, "NoneType None"), ("x", "str 'x'"), (5, "int 5")]
)
def test_adding_something_else_shows_the_value(bad: Any, shown: str) -> None:
    with pytest.raises(TypeError, match=rf"^{shown} cannot negotiate in SAOMechanism: it lacks"):
        _mechanism().add(bad)


@pytest.mark.parametrize("bad", [5, ("a",), b"n"])
def test_a_name_set_after_construction_that_is_not_text_is_refused_by_add(bad: Any) -> None:
    m = _mechanism()
    n = _negotiator(m)
    n.name = bad
    with pytest.raises(TypeError, match=r"AspirationNegotiator.name must be a str or None; got"):
        m.add(n)
    assert m.negotiators == []
