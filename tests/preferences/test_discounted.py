"""NegMAS's discounted utility functions: Exp/LinDiscountedUFun and make_discounted_ufun."""

from __future__ import annotations

import copy
import math
import pickle

import pytest

from palaver import SAOMechanism, SAONegotiator, make_issue
from palaver.mechanisms import MechanismState, ResponseType
from palaver.preferences import (
    FIXED_RESERVED_VALUE,
    SESSION_INDEPENDENT,
    STABLE_DIFF_RATIOS,
    STABLE_IRRATIONAL_OUTCOMES,
    STABLE_ORDERING,
    STABLE_RATIONAL_OUTCOMES,
    STATE_INDEPENDENT,
    STATIONARY,
    ExpDiscountedUFun,
    LinDiscountedUFun,
    LinearAdditiveUtilityFunction,
    MappingUtilityFunction,
    TableFun,
    make_discounted_ufun,
)

ISSUES = [make_issue(5, "a"), make_issue(3, "b")]


def base(rv: float = 0.3) -> LinearAdditiveUtilityFunction:
    # u(a, b) = 0.6 * a / 4 + 0.4 * b / 2: u(4, 2) = 1, u(1, 1) = 0.35.
    return LinearAdditiveUtilityFunction(
        values=[TableFun({i: i / 4 for i in range(5)}), TableFun({i: i / 2 for i in range(3)})],
        weights=[0.6, 0.4],
        issues=ISSUES,
        reserved_value=rv,
    )


STATE = MechanismState(step=3, relative_time=0.5)


def test_exp_discount_by_step_and_relative_time() -> None:
    u = ExpDiscountedUFun(base(), discount=0.9)
    assert u.eval_on_state((1, 1), None, STATE) == pytest.approx(0.35 * 0.9**3)
    # The reserved value is the inner one's, discounted with it (dynamic reservation).
    assert u.reserved_value == 0.3
    assert u.eval_on_state(None, None, STATE) == pytest.approx(0.3 * 0.9**3)
    by_time = ExpDiscountedUFun(base(), discount=0.5, factor="relative_time")
    assert by_time.eval_on_state((4, 2), None, STATE) == pytest.approx(0.5**0.5)
    by_fun = ExpDiscountedUFun(base(), discount=0.9, factor=lambda s: 2 * s.step)
    assert by_fun.eval_on_state((1, 1), None, STATE) == pytest.approx(0.35 * 0.9**6)


def test_lin_discount_cost_power_and_fixed_reservation() -> None:
    u = LinDiscountedUFun(base(), cost=0.1, factor="step", power=2)
    assert u.eval_on_state((1, 1), None, STATE) == pytest.approx(0.35 - 0.3**2)
    assert u.eval_on_state(None, None, STATE) == pytest.approx(0.3 - 0.3**2)
    fixed = LinDiscountedUFun(
        base(), cost=0.1, factor="relative_time", dynamic_reservation=False, reserved_value=0.25
    )
    assert fixed.eval_on_state((4, 2), None, STATE) == pytest.approx(1.0 - 0.05)
    assert fixed.eval_on_state(None, None, STATE) == 0.25
    # NegMAS's default factor name reads the round.
    assert LinDiscountedUFun(base(), cost=0.1).eval_on_state((4, 2), None, STATE) == (
        pytest.approx(0.7)
    )


def test_no_state_or_no_discount_is_the_inner_utility() -> None:
    inner = base()
    assert ExpDiscountedUFun(inner, discount=0.9)((1, 1)) == pytest.approx(0.35)
    assert ExpDiscountedUFun(inner, discount=0.9).eval_on_state((1, 1)) == pytest.approx(0.35)
    for u in (ExpDiscountedUFun(inner, 1.0), ExpDiscountedUFun(inner), LinDiscountedUFun(inner)):
        assert u.eval_on_state((1, 1), None, STATE) == pytest.approx(0.35)


def test_outcome_space_is_shared_with_the_inner_function() -> None:
    inner = base()
    u = ExpDiscountedUFun(inner, discount=0.9)
    assert u.outcome_space is inner.outcome_space
    bare = MappingUtilityFunction(lambda o: float(sum(o)))
    space = base().outcome_space
    wrapped = LinDiscountedUFun(bare, cost=0.1, outcome_space=space)
    assert bare.outcome_space is space and wrapped.outcome_space is space
    assert u.minmax() == inner.minmax()
    assert u({"a": 1, "b": 1}) == pytest.approx(0.35)


def test_stability_follows_negmas_rules() -> None:
    inner = base()
    assert inner.stability == STATIONARY
    for u in (ExpDiscountedUFun(inner, 0.9), LinDiscountedUFun(inner, 0.1)):
        assert u.stability & STABLE_ORDERING and u.stability & STABLE_DIFF_RATIOS
        assert u.stability & SESSION_INDEPENDENT
        assert not u.stability & STATE_INDEPENDENT
        assert u.is_state_dependent() and not u.is_stationary() and not u.is_volatile()
    for u in (ExpDiscountedUFun(inner, 1.0), LinDiscountedUFun(inner, 0.0)):
        assert u.stability == STATIONARY and not u.is_state_dependent()
    rising = ExpDiscountedUFun(inner, 1.5, dynamic_reservation=False)
    falling = LinDiscountedUFun(inner, 0.1, dynamic_reservation=False)
    assert rising.stability & FIXED_RESERVED_VALUE and falling.stability & FIXED_RESERVED_VALUE
    assert rising.stability & STABLE_RATIONAL_OUTCOMES
    assert not rising.stability & STABLE_IRRATIONAL_OUTCOMES
    assert falling.stability & STABLE_IRRATIONAL_OUTCOMES
    assert not falling.stability & STABLE_RATIONAL_OUTCOMES
    session_dependent = MappingUtilityFunction(
        lambda o: 1.0, issues=ISSUES, stability=STATIONARY & ~SESSION_INDEPENDENT
    )
    assert not ExpDiscountedUFun(session_dependent, 0.9).stability & SESSION_INDEPENDENT


def test_make_discounted_ufun_layers_compose() -> None:
    inner = base()
    assert make_discounted_ufun(inner) is inner
    assert make_discounted_ufun(inner, cost_per_round=0.0, discount_per_round=-1.0) is inner
    u = make_discounted_ufun(inner, cost_per_round=0.05, discount_per_relative_time=0.5)
    assert isinstance(u, ExpDiscountedUFun) and isinstance(u.ufun, LinDiscountedUFun)
    assert u.factor == "relative_time" and u.ufun.factor == "step"
    # Both layers read the state (NegMAS's inner layer has no owner, so its cost is lost).
    expected = 0.5**0.5 * (1.0 - 3 * 0.05)
    assert u.eval_on_state((4, 2), None, STATE) == pytest.approx(expected)
    assert u.eval_many_on_state([(4, 2), (1, 1)], STATE).tolist() == pytest.approx(
        [expected, 0.5**0.5 * (0.35 - 0.15)]
    )
    assert u.eval_on_state(None, None, STATE) == pytest.approx(0.5**0.5 * (0.3 - 0.15))
    assert u.extract_base_ufun() is u and u.extract_base_ufun(deep=True) is inner
    assert u.to_stationary() is inner
    with pytest.raises(TypeError, match="discount_per_round"):
        make_discounted_ufun(inner, discount_per_round="0.9")  # type: ignore[arg-type]


class _Rejecter(SAONegotiator):
    """Rejects everything and notes what its ufun says of (4, 2) in each call."""

    def __init__(self, seen: list[float], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.seen = seen

    def propose(self, state: MechanismState, dest: str | None = None) -> tuple[int, int]:
        assert self.ufun is not None
        self.seen.append(self.ufun((4, 2)))
        return (4, 2)

    def respond(self, state: MechanismState, offer: object) -> ResponseType:  # type: ignore[override]
        return ResponseType.REJECT_OFFER


def test_in_a_negotiation_it_reads_its_negotiators_state() -> None:
    seen_x: list[float] = []
    seen_y: list[float] = []
    mech = SAOMechanism(issues=ISSUES, n_steps=4)
    ux = ExpDiscountedUFun(base(0.0), discount=0.5)
    mech.add(_Rejecter(seen_x, name="x"), ufun=ux)
    mech.add(_Rejecter(seen_y, name="y"), ufun=LinDiscountedUFun(base(0.0), cost=0.1))
    mech.run()
    # Rounds 0..3: NegMAS's values for the exponential one (checked against NegMAS 0.16).
    assert seen_x == pytest.approx([1.0, 0.5, 0.25, 0.125])
    assert seen_y == pytest.approx([1.0, 0.9, 0.8, 0.7])
    # The owner is cleared when the negotiation ends; a copy or pickle never takes it along.
    assert ux.owner is None
    ux.owner = mech.negotiators[0]
    assert copy.copy(ux).owner is None and pickle.loads(pickle.dumps(ux)).owner is None


def test_every_ufun_has_its_negotiator_as_owner_while_the_negotiation_runs() -> None:
    seen: dict[str, object] = {}

    class Watching(_Rejecter):
        def on_negotiation_start(self, state: MechanismState) -> None:
            assert self.ufun is not None
            seen[self.name] = self.ufun.owner  # type: ignore[union-attr]

    plain, discounted = base(0.0), ExpDiscountedUFun(base(0.0), discount=0.5)
    mech = SAOMechanism(issues=ISSUES, n_steps=3)
    first, second = Watching([], name="p"), Watching([], name="d")
    first.set_preferences(plain)
    assert plain.owner is None  # set_preferences does not make an owner (NegMAS's rule)
    mech.add(first)
    mech.add(second, ufun=discounted)
    assert plain.owner is None  # nor does joining: the start does
    mech.run()
    assert seen == {"p": first, "d": second}
    assert plain.owner is None and discounted.owner is None


def test_bad_arguments_name_the_parameter() -> None:
    with pytest.raises(ValueError, match="factor"):
        ExpDiscountedUFun(base(), 0.9, factor="round")
    with pytest.raises(ValueError, match="discount"):
        ExpDiscountedUFun(base(), -0.5)
    with pytest.raises(ValueError, match="power"):
        LinDiscountedUFun(base(), cost=-0.1, power=0.5)
    with pytest.raises(TypeError, match="ufun"):
        ExpDiscountedUFun(lambda o: 1.0, 0.9)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="dynamic_reservation"):
        ExpDiscountedUFun(base(), 0.9, dynamic_reservation=1)  # type: ignore[arg-type]


def test_shift_scale_names_and_round_trip() -> None:
    u = ExpDiscountedUFun(base(), discount=0.9)
    shifted = u.shift_by(1.0)
    assert shifted.eval_on_state((1, 1), None, STATE) == pytest.approx(1.35 * 0.9**3)
    assert shifted.reserved_value == pytest.approx(1.3)
    scaled = u.scale_by(2.0)
    assert scaled.eval_on_state((1, 1), None, STATE) == pytest.approx(0.7 * 0.9**3)
    assert u.type == "linear_additive_exponentially_discounted"
    assert u.base_type == "linear_additive"
    assert str(u) == "linear_additive-discount:0.9 based on step"
    lin = LinDiscountedUFun(base(), cost=0.1, factor="relative_time", power=2.0)
    for made in (u, lin):
        back = type(made).from_dict(made.to_dict())
        assert back.eval_on_state((1, 1), None, STATE) == pytest.approx(
            made.eval_on_state((1, 1), None, STATE)
        )
    with pytest.raises(TypeError, match="factor"):
        ExpDiscountedUFun(base(), 0.9, factor=lambda s: 1.0).to_dict()


def test_random_is_seeded() -> None:
    a = ExpDiscountedUFun.random(ISSUES, seed=3)
    b = ExpDiscountedUFun.random(ISSUES, seed=3)
    assert a.discount == b.discount and 0.8 <= (a.discount or 0) <= 1.0
    assert a.eval_on_state((1, 2), None, STATE) == b.eval_on_state((1, 2), None, STATE)
    lin = LinDiscountedUFun.random(ISSUES, seed=3)
    assert lin.cost is not None and 0.8 <= lin.cost <= 1.0 and 0.0 <= lin.power <= 1.0
    assert math.isfinite(lin.eval_on_state((1, 2), None, STATE))
