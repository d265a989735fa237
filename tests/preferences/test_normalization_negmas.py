"""NegMAS's normalization family: normalize(to=...), normalize_for, normalize_all_for,
shift_by / scale_by with the reserved-value flags, ConstUtilityFunction and the ops helpers."""

from __future__ import annotations

import math
import re
import warnings

import pytest

from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences import (
    ConstUtilityFunction,
    LinearAdditiveUtilityFunction,
    LinearUtilityFunction,
    MappingUtilityFunction,
    ReservedValueWarning,
    UtilityFunction,
    correct_reserved_value,
    is_rational,
    normalize,
    scale_max,
)
from palaver.serialization import dump, load

SPACE = OutcomeSpace([make_issue(5, "x"), make_issue(3, "y")])
OUTCOMES = SPACE.enumerate()


def _ufun(weights: tuple[float, float] = (1.0, 2.0), rv: float = 1.0) -> LinearUtilityFunction:
    return LinearUtilityFunction(list(weights), outcome_space=SPACE, reserved_value=rv)


def _range(u: UtilityFunction) -> tuple[float, float]:
    values = [u(o) for o in OUTCOMES]
    return min(values), max(values)


@pytest.mark.parametrize("to", [(0.0, 1.0), (-2.0, 5.0), (10.0, 10.5)])
def test_normalize_to_maps_the_range_exactly(to: tuple[float, float]) -> None:
    u = _ufun()  # range [0, 8]
    for n in (u.normalize(to=to), u.normalize(to), u.normalize_for(to), normalize(u, to)):
        assert _range(n) == pytest.approx(to, abs=1e-12)
        assert n.reserved_value == pytest.approx(to[0] + (to[1] - to[0]) * 1.0 / 8.0)
    assert u.normalize().minmax() == (0.0, 1.0)


def test_normalize_reserved_values_replaces_infinity_on_the_result_only() -> None:
    u = _ufun(rv=-math.inf)
    with pytest.warns(ReservedValueWarning):
        n = u.normalize(to=(0.0, 1.0), normalize_reserved_values=True, reserved_value_penalty=0.5)
    assert n.reserved_value == pytest.approx(-0.5 / 8.0)
    assert u.reserved_value == -math.inf  # NegMAS changes the given ufun; Palaver does not
    assert u.normalize().reserved_value == -math.inf


def test_a_single_guarantee_keeps_a_function_already_within_range() -> None:
    u = LinearUtilityFunction([0.1, 0.1], outcome_space=SPACE, bias=0.4)  # range [0.4, 1.0]
    assert u.normalize(to=(0.0, 1.0), guarantee_min=False) is u
    assert u.normalize(to=(0.0, 3.0), guarantee_max=False, guarantee_min=False) is u
    moved = u.normalize(to=(0.0, 2.0), guarantee_min=False)  # its top is not at 2
    assert _range(moved) == pytest.approx((0.0, 2.0))
    assert moved.reserved_value == -math.inf  # not NaN: inf survives the map onto (0, 2)


def test_normalize_all_for_puts_functions_on_one_scale() -> None:
    a = LinearUtilityFunction([1.0, 0.0], outcome_space=SPACE)  # [0, 4]
    b = LinearUtilityFunction([0.0, 1.0], outcome_space=SPACE, bias=5.0)  # [5, 7]
    na, nb = UtilityFunction.normalize_all_for((a, b), to=(0.0, 1.0))
    # One scale, 1 / 7: each one's top goes to 1 (guarantee_max), so their spans keep their ratio.
    assert _range(na) == pytest.approx((1.0 - 4.0 / 7.0, 1.0))
    assert _range(nb) == pytest.approx((1.0 - 2.0 / 7.0, 1.0))
    low, _ = UtilityFunction.normalize_all_for((a, b), to=(2.0, None))
    assert _range(low) == pytest.approx((2.0, 6.0))
    _, top = UtilityFunction.normalize_all_for((a, b), to=(None, 10.0))
    assert _range(top) == pytest.approx((8.0, 10.0))


def test_shift_and_scale_with_and_without_the_reserved_value() -> None:
    u = _ufun(rv=2.0)
    assert u.shift_by(3.0)((1, 1)) == u((1, 1)) + 3.0 and u.shift_by(3.0).reserved_value == 5.0
    assert u.shift_by(3.0, shift_reserved=False).reserved_value == 2.0
    assert u.scale_by(2.0, scale_reserved=False).reserved_value == 2.0
    assert u.scale_by(2.0).reserved_value == 4.0 and u.scale_by(2.0)((4, 2)) == 16.0


def test_const_utility_function() -> None:
    c = ConstUtilityFunction(5.0, reserved_value=1.0, outcome_space=SPACE)
    assert c((3, 1)) == 5.0 and c(None) == 1.0 and c.value == 5.0
    assert list(c.eval_many(OUTCOMES[:3])) == [5.0, 5.0, 5.0]
    assert c.minmax() == (5.0, 5.0)
    assert ConstUtilityFunction(2.0).minmax(OutcomeSpace([make_issue((0.0, 1.0))])) == (2.0, 2.0)
    assert c.scale_by(2.0).value == 10.0 and c.scale_by(2.0).reserved_value == 2.0
    assert c.shift_by(1.0, shift_reserved=False).reserved_value == 1.0
    named = ConstUtilityFunction(1.0, name="flat")
    assert named.shift_by(1.0).name == named.scale_by(2.0).name == "flat"
    # NegMAS's rule: a constant function goes to the high end, its reserved
    # value to the low end (it stays acceptable), and the other way round when
    # its reserved value is above it.
    flat = c.normalize(to=(2.0, 8.0))
    assert isinstance(flat, ConstUtilityFunction) and flat((3, 1)) == 8.0
    assert flat.reserved_value == 2.0
    above = ConstUtilityFunction(5.0, reserved_value=9.0, outcome_space=SPACE).normalize()
    assert above((3, 1)) == 0.0 and above.reserved_value == 1.0
    with pytest.raises(ValueError, match="scale must be >= 0"):
        c.scale_by(-1.0)
    with pytest.raises(TypeError, match="value"):
        ConstUtilityFunction("high")  # type: ignore[arg-type]
    r = ConstUtilityFunction.random(SPACE, normalized=False, value_range=(3.0, 4.0), seed=2)
    assert 3.0 <= r.value <= 4.0 and 0.0 <= r.reserved_value <= 1.0
    assert ConstUtilityFunction.random(issues=SPACE.issues, seed=1).value == 1.0


def test_const_round_trip(tmp_path) -> None:  # type: ignore[no-untyped-def]
    c = ConstUtilityFunction(5.0, reserved_value=1.0, outcome_space=SPACE)
    dump(c.to_dict(), tmp_path / "c.json")
    back = ConstUtilityFunction.from_dict(load(tmp_path / "c.json"))
    assert back.outcome_space == SPACE and back.value == 5.0 and back.reserved_value == 1.0


def test_ops_helpers() -> None:
    u = _ufun(rv=3.0)
    assert is_rational([u], (3, 0)) and not is_rational([u, _ufun(rv=9.0)], (3, 0))
    assert scale_max(u, 2.0).max() == pytest.approx(2.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert correct_reserved_value(0.5, u) == (0.5, False)
        assert correct_reserved_value(None, u, eps=1.0, warn=False) == (-1.0, True)
    with pytest.warns(ReservedValueWarning, match="not finite"):
        assert correct_reserved_value(math.nan, u) == (0.0, True)
    with pytest.raises(ValueError, match="not both"):
        normalize(u, issues=SPACE.issues, outcome_space=SPACE)
    with pytest.raises(ValueError, match="low < high"):
        u.normalize(to=(1.0, 1.0))


def test_weighted_utility_function() -> None:
    from palaver.preferences import WeightedUtilityFunction

    a, b = _ufun((1.0, 0.0)), LinearUtilityFunction([0.0, 1.0])
    w = WeightedUtilityFunction([a, b], [0.5, 2.0], reserved_value=0.1, outcome_space=SPACE)
    assert w((4, 2)) == 0.5 * 4 + 2.0 * 2 and w(None) == 0.1
    assert list(w.eval_many(OUTCOMES)) == [w(o) for o in OUTCOMES]
    assert w.minmax() == (0.0, 6.0) and w.weights == [0.5, 2.0] and w.values == w.ufuns
    assert b.outcome_space is None  # the part given without a space is left as it was
    assert WeightedUtilityFunction([a])((3, 1)) == 3.0
    with pytest.raises(ValueError, match="2 weights for 1"):
        WeightedUtilityFunction([a], [1.0, 2.0])
    with pytest.raises(TypeError, match=r"ufuns\[0\]"):
        WeightedUtilityFunction([lambda o: 1.0])  # type: ignore[list-item]


@pytest.mark.parametrize("kind", ["linear", "additive"])
def test_linear_functions_round_trip(kind: str) -> None:
    from palaver.preferences import LinearAdditiveUtilityFunction

    cls = LinearUtilityFunction if kind == "linear" else LinearAdditiveUtilityFunction
    u = cls.random(issues=SPACE.issues, normalized=False, seed=3)
    back = cls.from_dict(u.to_dict())
    assert [back(o) for o in OUTCOMES] == [u(o) for o in OUTCOMES]
    assert back.reserved_value == u.reserved_value and back.outcome_space == SPACE


def test_negmas_affine_utility_function_is_a_linear_one() -> None:
    import copy
    import pickle

    from palaver.preferences.wrappers import AffineUtilityFunction

    u = AffineUtilityFunction(weights=[1.0, 2.0], bias=5.0, issues=SPACE.issues, name="a")
    assert type(u) is LinearUtilityFunction and u((1, 1)) == 8.0 and u.name == "a"
    assert AffineUtilityFunction([1.0, 0.0])((3, 1)) == 3.0
    # The wrapper form still wraps, and still pickles and copies.
    wrapped = AffineUtilityFunction(u, 2.0, 1.0, 0.0, SPACE)
    assert type(wrapped) is AffineUtilityFunction and wrapped((1, 1)) == 17.0
    assert pickle.loads(pickle.dumps(wrapped))((1, 1)) == 17.0
    assert copy.copy(wrapped)((1, 1)) == 17.0
    # NegMAS's random: a random linear utility function, the same for a seed.
    drawn = AffineUtilityFunction.random(SPACE.issues, seed=4)
    assert type(drawn) is LinearUtilityFunction and drawn.outcome_space == SPACE
    assert drawn.to_dict() == LinearUtilityFunction.random(SPACE.issues, seed=4).to_dict()


@pytest.mark.parametrize("bad", [3, "u", (1.0, 2.0), None])
def test_the_helpers_refuse_what_is_not_a_utility_function(bad: object) -> None:
    # Each failed deep inside: "'int' object has no attribute 'space_for'".
    for call in (
        lambda: normalize(bad),  # type: ignore[arg-type]
        lambda: scale_max(bad),  # type: ignore[arg-type]
    ):
        with pytest.raises(
            TypeError, match=rf"ufun must be a utility function .*got {re.escape(repr(bad))}"
        ):
            call()
    with pytest.raises(
        TypeError, match=rf"ufuns\[1\] must be a utility function .*got {re.escape(repr(bad))}"
    ):
        UtilityFunction.normalize_all_for([_ufun(), bad])  # type: ignore[list-item]


class _NaNAtTwo(UtilityFunction):
    """Gives NaN for the outcome (2, *)."""

    def eval(self, outcome: tuple) -> float:  # type: ignore[override]
        return math.nan if outcome[0] == 2 else float(outcome[0])


def test_a_utility_function_giving_nan_is_named_not_normalized_into_a_constant() -> None:
    # minmax() gave (nan, nan) and normalize() a ConstUtilityFunction of 1 for every
    # outcome; best() and worst() both gave the NaN outcome.
    nan = _NaNAtTwo(outcome_space=SPACE)
    for call in (nan.minmax, lambda: normalize(nan), nan.normalize, nan.best, nan.worst):
        with pytest.raises(ValueError, match=r"gives NaN for outcome \(2, 0\)"):
            call()
    table = MappingUtilityFunction({(0,): 1.0, (1,): math.nan})
    with pytest.raises(ValueError, match=r"gives NaN for outcome \(1,\)"):
        table.minmax()
    additive = LinearAdditiveUtilityFunction([lambda x: math.nan, None], outcome_space=SPACE)
    with pytest.raises(ValueError, match="gives NaN for outcome"):
        additive.minmax()


@pytest.mark.parametrize("value", ["0.5", True, None, [1.0]])
def test_a_mapping_value_that_is_not_a_number_is_named(value: object) -> None:
    # float() took the text "0.5" and True silently.
    with pytest.raises(ValueError, match=r"mapping\[\(1,\)\] is "):
        MappingUtilityFunction({(0,): 1.0, (1,): value})  # type: ignore[dict-item]


@pytest.mark.parametrize("bad", [make_issue(3, "x"), [make_issue(3, "x")], "space"])
def test_an_outcome_space_that_is_not_one_is_named(bad: object) -> None:
    # An issue failed inside: "'IntegerIssue' object has no attribute 'enumerate'".
    u = _NaNAtTwo(outcome_space=SPACE)
    for call in (
        lambda: u.minmax(bad),
        lambda: u.best(bad),
        lambda: normalize(u, outcome_space=bad),
    ):  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"^outcome_space must be an OutcomeSpace"):
            call()


def test_from_dict_names_what_is_wrong_with_a_damaged_dict() -> None:
    # A dict read back from a damaged file gave a bare KeyError ('weights'), or
    # "'int' object is not iterable" for its issues.
    good = _ufun().to_dict()
    cases: list[tuple[object, str]] = [
        (3, r"LinearUtilityFunction.from_dict needs a dict \(from to_dict\(\)\), got 3"),
        ({k: v for k, v in good.items() if k != "weights"}, r"the dict has no \['weights'\]"),
        ({**good, "issues": 3}, "issues must be a list of issue dicts, got 3"),
        ({**good, "issues": [{"type": "integer", "name": "x"}]}, r"needs \['min', 'max'\]"),
        ({**good, "issues": [{"type": "categorical", "values": 3}]}, "must be a list, got 3"),
        ({**good, "issues": [7]}, "an issue must be a dict"),
    ]
    for bad, message in cases:
        with pytest.raises((TypeError, ValueError), match=message):
            LinearUtilityFunction.from_dict(bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"the dict has no \['values'\]"):
        LinearAdditiveUtilityFunction.from_dict({"type": "LinearAdditiveUtilityFunction"})
    with pytest.raises(TypeError, match=r"ConstUtilityFunction.from_dict needs a dict"):
        ConstUtilityFunction.from_dict([])  # type: ignore[arg-type]
    assert LinearUtilityFunction.from_dict(good).to_dict() == good
