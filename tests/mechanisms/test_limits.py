"""MechanismLimits: the limits as one validated value object shared by mechanism and interfaces."""

from __future__ import annotations

import dataclasses
import inspect
import math

import pytest

from palaver.mechanisms import (
    Mechanism,
    MechanismError,
    MechanismLimits,
    SAOMechanism,
    STVetoMechanism,
)
from palaver.mechanisms.errors import MechanismTypeError, MechanismValueError
from palaver.negotiators import AspirationNegotiator
from palaver.outcomes import make_issue
from palaver.preferences import LinearUtilityFunction

ISSUES = [make_issue(5, "price")]


def test_limits_are_validated_once_naming_the_limit() -> None:
    with pytest.raises(MechanismValueError, match="n_steps"):
        MechanismLimits(n_steps=0)
    with pytest.raises(MechanismTypeError, match="n_steps"):
        MechanismLimits(n_steps=2.5)  # type: ignore[arg-type]
    with pytest.raises(MechanismValueError, match="step_time_limit"):
        MechanismLimits(n_steps=3, step_time_limit=-1.0)
    with pytest.raises(MechanismTypeError, match="negotiator_time_limit"):
        MechanismLimits(n_steps=3, negotiator_time_limit="1")  # type: ignore[arg-type]
    with pytest.raises(MechanismError, match="bounded"):
        MechanismLimits(step_time_limit=1.0)
    # math.inf means no limit: alone it left the negotiation unbounded (two
    # ToughNegotiators ran forever).
    with pytest.raises(MechanismError, match=r"bounded \(got time_limit=inf"):
        MechanismLimits(time_limit=math.inf)
    with pytest.raises(MechanismError, match="bounded"):
        SAOMechanism(issues=ISSUES, time_limit=math.inf)
    assert SAOMechanism(issues=ISSUES, n_steps=5, time_limit=math.inf).n_steps == 5


def test_limits_are_frozen_plain_floats_and_compare_by_value() -> None:
    limits = MechanismLimits(n_steps=10, time_limit=2)
    assert limits.time_limit == 2.0 and type(limits.time_limit) is float
    assert MechanismLimits(n_steps=1, time_limit=math.inf).time_limit == math.inf
    assert limits == MechanismLimits(n_steps=10, time_limit=2.0)
    assert limits.time_step == 1 / 11
    with pytest.raises(dataclasses.FrozenInstanceError):
        limits.n_steps = 3  # type: ignore[misc]


def test_keywords_and_limits_object_are_the_same_and_not_both() -> None:
    shared = MechanismLimits(n_steps=20, negotiator_time_limit=5.0)
    by_object = SAOMechanism(issues=ISSUES, limits=shared, seed=1)
    by_keywords = SAOMechanism(issues=ISSUES, n_steps=20, negotiator_time_limit=5.0, seed=1)
    assert by_object.limits is shared
    assert by_keywords.limits == shared
    assert by_keywords.n_steps == 20 and by_keywords.negotiator_time_limit == 5.0
    with pytest.raises(MechanismError, match=r"not both.*n_steps"):
        SAOMechanism(issues=ISSUES, limits=shared, n_steps=5)
    with pytest.raises(MechanismTypeError, match="limits must be a MechanismLimits"):
        SAOMechanism(issues=ISSUES, limits={"n_steps": 5})  # type: ignore[typeddict-item]
    with pytest.raises(MechanismError, match="bounded"):
        STVetoMechanism(issues=ISSUES)


def test_interfaces_read_the_mechanisms_one_limits_object() -> None:
    m = SAOMechanism(issues=ISSUES, n_steps=7, time_limit=60)
    seller = AspirationNegotiator(ufun=LinearUtilityFunction([1.0]))
    m.add(seller)
    assert seller.nmi is not None
    assert seller.nmi.limits is m.limits is m.nmi.limits
    assert (seller.nmi.n_steps, seller.nmi.time_limit) == (7, 60.0)


def test_shared_keywords_show_in_every_mechanisms_signature() -> None:
    base = list(inspect.signature(Mechanism).parameters)
    for cls, own in ((SAOMechanism, "offering_is_accepting"), (STVetoMechanism, "initial_outcome")):
        names = list(inspect.signature(cls).parameters)
        assert names[:2] == ["outcome_space", "issues"] and own in names
        assert set(base) <= set(names), cls
        kinds = {p.kind for p in inspect.signature(cls).parameters.values()}
        assert inspect.Parameter.VAR_KEYWORD not in kinds


def test_a_user_mechanism_with_options_gets_the_shared_keywords() -> None:
    class Quick(SAOMechanism):
        def __init__(self, *args: object, fast: bool = True, **options: object) -> None:
            super().__init__(*args, **options)  # type: ignore[arg-type]
            self.fast = fast

    names = inspect.signature(Quick).parameters
    assert "fast" in names and "n_steps" in names and "limits" in names
    q = Quick(outcomes=3, n_steps=4, fast=False)
    assert q.n_steps == 4 and not q.fast and q.outcome_space.cardinality == 3


def test_mechanisms_made_with_the_same_keywords_share_one_limits_object() -> None:
    a = SAOMechanism(issues=ISSUES, n_steps=33, time_limit=9.0)
    b = STVetoMechanism(issues=ISSUES, n_steps=33, time_limit=9.0)
    assert a.limits is b.limits
    # 1.0 == 1 == True, but only the integer 1 is a valid round limit.
    assert SAOMechanism(issues=ISSUES, n_steps=1).n_steps == 1
    with pytest.raises(MechanismTypeError, match="n_steps"):
        SAOMechanism(issues=ISSUES, n_steps=True)
    with pytest.raises(MechanismTypeError, match="n_steps"):
        SAOMechanism(issues=ISSUES, n_steps=1.0)  # type: ignore[arg-type]
    with pytest.raises(MechanismTypeError, match="time_limit"):
        SAOMechanism(issues=ISSUES, time_limit=[1])  # type: ignore[arg-type]
