"""Bad inputs to the lower layers' public constructors, one row per case.

Every row names the call, the exception class it must raise and a fragment the
message must contain (the parameter, the value or what is allowed). A row
that is accepted, or that ends in an interpreter message, fails.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from fault_helpers import refused

from palaver.mechanisms import (
    InvalidOfferError,
    MechanismError,
    NegotiatorError,
    SAOMechanism,
    STVetoMechanism,
    outcome_table,
)
from palaver.negotiators import (
    ACCombi,
    AspirationNegotiator,
    LimitedOutcomesNegotiator,
    LuceProfileClassifierModel,
    NaiveTitForTat,
    NiceNegotiator,
    RandomNegotiator,
    SAONegotiator,
    TimeBasedConcedingNegotiator,
    TopFractionNegotiator,
    ToughNegotiator,
    outcome_grid,
)
from palaver.outcomes import (
    CategoricalIssue,
    DiscretizedIssue,
    InvalidIssueError,
    OutcomeSpace,
    OutcomeSpaceError,
    dict2outcome,
    enumerate_issues,
    generate_issues,
    make_issue,
    make_os,
    resolve_outcome_space,
)
from palaver.preferences import (
    GLAUtilityFunction,
    LinearAdditiveUtilityFunction,
    LinearUtilityFunction,
    MappingUtilityFunction,
    PolynomialMultiFun,
    RankOnlyUtilityFunction,
    RectangleGroup,
    ScaledUtilityFunction,
    WeightedUtilityFunction,
    is_rational,
)

nan = math.nan
SPACE = make_os([make_issue(5, "a"), make_issue(3, "b")])
FNS = {"a": float, "b": float}
_UFUN = LinearUtilityFunction([1.0, 1.0], outcome_space=SPACE)


class _ForgetfulJoin(AspirationNegotiator):
    """Overrides join and forgets its return: it was left out without a word."""

    def join(self, *args: Any, **kwargs: Any) -> bool:
        super().join(*args, **kwargs)
        return None  # type: ignore[return-value]


def _sao(**kwargs: Any) -> SAOMechanism:
    kwargs.setdefault("outcome_space", SPACE)
    return SAOMechanism(**kwargs)


def _huge() -> Any:
    return make_os([make_issue(10**6, "x"), make_issue(10**6, "y")]).enumerate()


def _huge_discretized() -> Any:
    space = make_os([make_issue((0.0, 1.0), "x"), make_issue((0.0, 1.0), "y")])
    return space.discretize(10**6).enumerate()


CASES: list[tuple[str, Callable[[], object], type[Exception], str]] = [
    # outcomes
    ("make_issue dict", lambda: make_issue({"a": 1}), InvalidIssueError, "{'a': 1}"),
    ("make_issue None", lambda: make_issue(None), InvalidIssueError, "None"),  # type: ignore[arg-type]
    ("make_issue float count", lambda: make_issue(1.5), InvalidIssueError, "1.5"),  # type: ignore[arg-type]
    ("make_issue zero", lambda: make_issue(0), InvalidIssueError, "n >= 1"),
    ("make_issue str", lambda: make_issue("abc"), InvalidIssueError, "'abc'"),
    ("make_issue name int", lambda: make_issue(3, name=3), InvalidIssueError, "name"),  # type: ignore[arg-type]
    ("make_issue empty list", lambda: make_issue([]), InvalidIssueError, "empty"),
    ("make_issue nan bound", lambda: make_issue((0.0, nan)), InvalidIssueError, "finite"),
    ("make_issue inf bound", lambda: make_issue((0.0, math.inf)), InvalidIssueError, "finite"),
    ("make_issue reversed", lambda: make_issue((3, 1)), InvalidIssueError, "lo=3"),
    ("make_issue str bound", lambda: make_issue(("a", 1)), InvalidIssueError, "'a'"),
    ("make_issue 3-tuple", lambda: make_issue((1, 2, 3)), InvalidIssueError, "(lo, hi)"),
    ("make_os None", lambda: make_os(None), OutcomeSpaceError, "issues or outcomes"),
    ("OutcomeSpace int", lambda: OutcomeSpace(3), TypeError, "got 3"),  # type: ignore[arg-type]
    ("OutcomeSpace str", lambda: OutcomeSpace("ab"), TypeError, "'ab'"),  # type: ignore[arg-type]
    ("OutcomeSpace non-issue", lambda: OutcomeSpace([3]), OutcomeSpaceError, "make_issue"),  # type: ignore[list-item]
    ("make_os empty", lambda: make_os([]), OutcomeSpaceError, "at least one"),
    (
        "OutcomeSpace duplicate",
        lambda: OutcomeSpace([make_issue(2, "a"), make_issue(3, "a")]),
        OutcomeSpaceError,
        "duplicate",
    ),
    ("discretize float", lambda: SPACE.discretize(1.5), InvalidIssueError, "1.5"),  # type: ignore[arg-type]
    ("discretize 1", lambda: SPACE.discretize(1), InvalidIssueError, ">= 2"),
    ("enumerate 10^12", _huge, OutcomeSpaceError, "discretise"),
    ("enumerate discretized 10^12", _huge_discretized, OutcomeSpaceError, "sample"),
    (
        "sample float n",
        lambda: SPACE.sample(np.random.default_rng(0), 1.5),  # type: ignore[arg-type]
        OutcomeSpaceError,
        "1.5",
    ),
    ("sample no rng", lambda: SPACE.sample(0, 3), TypeError, "rng"),  # type: ignore[arg-type]
    # preferences
    (
        "linear bias nan",
        lambda: LinearUtilityFunction([1.0, 1.0], bias=nan, outcome_space=SPACE),
        ValueError,
        "bias",
    ),
    (
        "linear bias inf",
        lambda: LinearUtilityFunction([1.0, 1.0], bias=math.inf, outcome_space=SPACE),
        ValueError,
        "bias",
    ),
    (
        "linear bias str",
        lambda: LinearUtilityFunction([1.0, 1.0], bias="x", outcome_space=SPACE),  # type: ignore[arg-type]
        TypeError,
        "bias",
    ),
    (
        "linear weights length",
        lambda: LinearUtilityFunction([1.0], outcome_space=SPACE),
        ValueError,
        "1 weights given",
    ),
    ("linear weights None", lambda: LinearUtilityFunction(None), ValueError, "weights"),  # type: ignore[arg-type]
    ("linear weights str", lambda: LinearUtilityFunction("ab"), ValueError, "weights"),  # type: ignore[arg-type]
    ("linear weights nan", lambda: LinearUtilityFunction([nan, 1.0]), ValueError, "finite"),
    (
        "linear reserved nan",
        lambda: LinearUtilityFunction([1.0], reserved_value=nan),
        ValueError,
        "reserved_value",
    ),
    (
        "linear reserved str",
        lambda: LinearUtilityFunction([1.0], reserved_value="x"),  # type: ignore[arg-type]
        ValueError,
        "reserved_value",
    ),
    (
        "linear outcome_space int",
        lambda: LinearUtilityFunction([1.0], outcome_space=3),  # type: ignore[arg-type]
        TypeError,
        "issues must be",
    ),
    (
        "additive values None",
        lambda: LinearAdditiveUtilityFunction(None),  # type: ignore[arg-type]
        TypeError,
        "values must be",
    ),
    (
        "additive bias nan",
        lambda: LinearAdditiveUtilityFunction(FNS, bias=nan, outcome_space=SPACE),
        ValueError,
        "bias",
    ),
    (
        "additive weights nan",
        lambda: LinearAdditiveUtilityFunction(FNS, weights=[nan, 1.0]),
        ValueError,
        "finite",
    ),
    (
        "additive weights length",
        lambda: LinearAdditiveUtilityFunction(FNS, weights=[1.0]),
        ValueError,
        "1 weights",
    ),
    (
        "additive reserved nan",
        lambda: LinearAdditiveUtilityFunction(FNS, reserved_value=nan),
        ValueError,
        "reserved_value",
    ),
    ("mapping int", lambda: MappingUtilityFunction(3), TypeError, "mapping"),  # type: ignore[arg-type]
    (
        "mapping str value",
        lambda: MappingUtilityFunction({(0, 0): "x"}),  # type: ignore[dict-item]
        ValueError,
        "numbers",
    ),
    (
        "mapping reserved nan",
        lambda: MappingUtilityFunction({(0, 0): 1.0}, reserved_value=nan),
        ValueError,
        "reserved_value",
    ),
    # mechanisms (MechanismTypeError/MechanismValueError are MechanismErrors too)
    ("sao n_steps float", lambda: _sao(n_steps=1.5), TypeError, "n_steps"),
    ("sao n_steps str", lambda: _sao(n_steps="10"), TypeError, "'10'"),
    ("sao n_steps bool", lambda: _sao(n_steps=True), TypeError, "n_steps"),
    ("sao n_steps zero", lambda: _sao(n_steps=0), ValueError, ">= 1"),
    ("sao n_steps negative", lambda: _sao(n_steps=-1), ValueError, "-1"),
    ("sao time_limit nan", lambda: _sao(time_limit=nan), ValueError, "time_limit"),
    ("sao time_limit negative", lambda: _sao(time_limit=-1.0), ValueError, "time_limit"),
    ("sao time_limit zero", lambda: _sao(time_limit=0.0), ValueError, "positive"),
    ("sao time_limit str", lambda: _sao(time_limit="1"), TypeError, "time_limit"),
    (
        "sao step_time_limit nan",
        lambda: _sao(n_steps=5, step_time_limit=nan),
        ValueError,
        "step_time_limit",
    ),
    (
        "sao negotiator_time_limit zero",
        lambda: _sao(n_steps=5, negotiator_time_limit=0),
        ValueError,
        "negotiator_time_limit",
    ),
    ("sao unbounded", lambda: _sao(), MechanismError, "bounded"),
    ("sao seed float", lambda: _sao(n_steps=5, seed=1.5), TypeError, "seed"),
    ("sao seed negative", lambda: _sao(n_steps=5, seed=-1), ValueError, "seed"),
    ("sao id int", lambda: _sao(n_steps=5, id=3), TypeError, "id"),
    # A lone surrogate in an id its events carry made an attached recorder fail
    # every later write (UnicodeEncodeError deep inside, close() included).
    ("sao id lone surrogate", lambda: _sao(n_steps=5, id="n\ud800"), ValueError, "id="),
    ("sao name lone surrogate", lambda: _sao(n_steps=5, name="n\udfff"), ValueError, "name="),
    ("sao empty id", lambda: _sao(n_steps=5, id=""), ValueError, "id must be a non-empty str"),
    ("sao bus str", lambda: _sao(n_steps=5, bus="x"), TypeError, "bus"),
    ("sao issues int", lambda: SAOMechanism(issues=3, n_steps=5), TypeError, "issues must be"),  # type: ignore[arg-type]
    (
        "sao outcome_space int",
        lambda: SAOMechanism(outcome_space=3, n_steps=5),  # type: ignore[arg-type]
        TypeError,
        "outcome_space",
    ),
    ("sao no space", lambda: SAOMechanism(n_steps=5), MechanismError, "outcome_space"),
    ("sao annotation int", lambda: _sao(n_steps=5, annotation=3), TypeError, "annotation"),  # type: ignore[arg-type]
    ("sao annotation str", lambda: _sao(n_steps=5, annotation="ab"), TypeError, "'ab'"),  # type: ignore[arg-type]
    (
        "veto annotation list",
        lambda: STVetoMechanism(outcome_space=SPACE, n_steps=5, annotation=[("a", 1)]),  # type: ignore[arg-type]
        TypeError,
        "annotation",
    ),
    ("sao outcomes nan", lambda: SAOMechanism(outcomes=nan, n_steps=5), ValueError, "outcomes"),  # type: ignore[arg-type]
    ("sao outcomes str", lambda: SAOMechanism(outcomes="ab", n_steps=5), ValueError, "'ab'"),  # type: ignore[arg-type]
    ("sao outcomes zero", lambda: SAOMechanism(outcomes=0, n_steps=5), ValueError, "outcomes"),
    (
        "sao outcomes of ints",
        lambda: SAOMechanism(outcomes=[1, 2], n_steps=5),  # type: ignore[list-item]
        ValueError,
        "tuples",
    ),
    # Unused without checkpoint_folder, yet a wrong value is refused, not ignored.
    (
        "sao checkpoint_every nan",
        lambda: _sao(n_steps=5, checkpoint_every=nan),
        TypeError,
        "checkpoint_every",
    ),
    (
        "sao checkpoint_filename int",
        lambda: _sao(n_steps=5, checkpoint_filename=3),
        TypeError,
        "checkpoint_filename",
    ),
    ("sao exist_ok str", lambda: _sao(n_steps=5, exist_ok="no"), TypeError, "exist_ok"),
    (
        "sao add role int",
        lambda: _sao(n_steps=5).add(AspirationNegotiator(), ufun=_UFUN, role=5),  # type: ignore[arg-type]
        TypeError,
        "role",
    ),
    (
        "veto initial_outcome int",
        lambda: STVetoMechanism(outcome_space=SPACE, n_steps=5, initial_outcome=3),  # type: ignore[arg-type]
        InvalidOfferError,  # what an initial outcome outside the space raises too
        "initial_outcome 3",
    ),
    ("sao add int", lambda: _sao(n_steps=5).add(3), TypeError, "cannot negotiate"),  # type: ignore[arg-type]
    (
        "sao add ufun int",
        lambda: _sao(n_steps=5).add(AspirationNegotiator(), ufun=3),
        TypeError,
        "ufun",
    ),
    (
        "veto n_steps float",
        lambda: STVetoMechanism(outcome_space=SPACE, n_steps=1.5),
        TypeError,
        "n_steps",
    ),
    (
        "veto time_limit nan",
        lambda: STVetoMechanism(outcome_space=SPACE, time_limit=nan),
        ValueError,
        "time_limit",
    ),
    # containers given a scalar, a string or a dict: named, not "object is not iterable"
    ("categorical values nan", lambda: CategoricalIssue(nan), InvalidIssueError, "values"),  # type: ignore[arg-type]
    ("discretized values int", lambda: DiscretizedIssue(3), InvalidIssueError, "values"),  # type: ignore[arg-type]
    ("discretized values str", lambda: DiscretizedIssue("12"), InvalidIssueError, "'12'"),
    ("weighted ufuns int", lambda: WeightedUtilityFunction(3), TypeError, "ufuns"),  # type: ignore[arg-type]
    ("gla factors float", lambda: GLAUtilityFunction(1.5), TypeError, "factors"),  # type: ignore[arg-type]
    ("polynomial terms int", lambda: PolynomialMultiFun(3), TypeError, "terms"),  # type: ignore[arg-type]
    ("rectangle group int", lambda: RectangleGroup(rectangles=3), TypeError, "rectangles"),  # type: ignore[arg-type]
    ("rectangle subgroups int", lambda: RectangleGroup(groups=3), TypeError, "groups"),  # type: ignore[arg-type]
    ("rank only ufun int", lambda: RankOnlyUtilityFunction(3), TypeError, "ufun"),  # type: ignore[arg-type]
    ("luce profiles int", lambda: LuceProfileClassifierModel(3), TypeError, "profiles"),  # type: ignore[arg-type]
    ("accombi strategy int", lambda: ACCombi(3), TypeError, "offering_strategy"),  # type: ignore[arg-type]
    # outcome helpers given a scalar where a list belongs
    ("enumerate_issues int", lambda: enumerate_issues(5), TypeError, "issues"),  # type: ignore[arg-type]
    ("generate_issues names int", lambda: generate_issues([3], names=5), TypeError, "names"),  # type: ignore[arg-type]
    ("generate_issues params int", lambda: generate_issues(3), TypeError, "params"),  # type: ignore[arg-type]
    (
        "resolve_outcome_space issues int",
        lambda: resolve_outcome_space(issues=5),  # type: ignore[arg-type]
        TypeError,
        "issues",
    ),
    ("dict2outcome float", lambda: dict2outcome(nan, ["a"]), TypeError, "nan"),  # type: ignore[arg-type]
    ("dict2outcome str", lambda: dict2outcome("ab", ["a", "b"]), TypeError, "'ab'"),
    # preferences' methods and helpers given a scalar where a list belongs
    ("eval_many int", lambda: _UFUN.eval_many(5), TypeError, "outcomes"),  # type: ignore[arg-type]
    ("rank int", lambda: _UFUN.rank(5), TypeError, "outcomes"),  # type: ignore[arg-type]
    ("is_rational int", lambda: is_rational(5, (0, 0)), TypeError, "ufuns"),  # type: ignore[arg-type]
    (
        "additive random int space",
        lambda: LinearAdditiveUtilityFunction.random(5),  # type: ignore[arg-type]
        TypeError,
        "outcome_space",
    ),
    ("mapping default str", lambda: MappingUtilityFunction({}, default="x"), TypeError, "default"),  # type: ignore[arg-type]
    ("scaled ufun int", lambda: ScaledUtilityFunction(5, 2.0), TypeError, "ufun"),  # type: ignore[arg-type]
    ("outcome_table int", lambda: outcome_table(5), TypeError, "space must be an OutcomeSpace"),  # type: ignore[arg-type]
    ("outcome_grid dict", lambda: outcome_grid({}), TypeError, "space must be an OutcomeSpace"),  # type: ignore[arg-type]
    (
        "limited probabilities object",
        lambda: LimitedOutcomesNegotiator(
            acceptable_outcomes=[(1, 1)],
            acceptance_probabilities=object(),  # type: ignore[arg-type]
        ),
        TypeError,
        "acceptance_probabilities",
    ),
    (
        "sao run progress_callback int",
        lambda: _sao(n_steps=5).run(progress_callback=5),  # type: ignore[arg-type]
        TypeError,
        "progress_callback",
    ),
    (
        "join returns None",
        lambda: _sao(n_steps=5).add(_ForgetfulJoin(ufun=_UFUN)),
        NegotiatorError,
        "join returned None",
    ),
    # negotiators
    ("negotiator ufun int", lambda: AspirationNegotiator(ufun=3), TypeError, "ufun"),
    (
        "negotiator preferences str",
        lambda: NiceNegotiator(preferences="x"),
        TypeError,
        "preferences",
    ),
    ("negotiator base ufun str", lambda: SAONegotiator(ufun="x"), TypeError, "ufun"),
    ("negotiator name int", lambda: AspirationNegotiator(name=3), TypeError, "name"),  # type: ignore[arg-type]
    ("negotiator id int", lambda: ToughNegotiator(id=3), TypeError, "id"),  # type: ignore[arg-type]
    (
        "negotiator id lone surrogate",
        lambda: AspirationNegotiator(id="a\ud800"),
        ValueError,
        "id='a\\ud800' is not valid text",
    ),
    (
        "negotiator name lone surrogate",
        lambda: AspirationNegotiator(name="a\ud800"),
        ValueError,
        "name='a\\ud800' is not valid text",
    ),
    (
        "negotiator n_levels float",
        lambda: AspirationNegotiator(n_levels=1.5),
        ValueError,
        "n_levels",
    ),  # type: ignore[arg-type]
    ("negotiator n_levels 1", lambda: ToughNegotiator(n_levels=1), ValueError, ">= 2"),
    (
        "aspiration type unknown",
        lambda: AspirationNegotiator(aspiration_type="xx"),
        ValueError,
        "boulware",
    ),
    (
        "aspiration exponent nan",
        lambda: AspirationNegotiator(aspiration_type=nan),
        ValueError,
        "nan",
    ),
    (
        "aspiration exponent negative",
        lambda: AspirationNegotiator(aspiration_type=-1),
        ValueError,
        "> 0",
    ),
    (
        "timebased offering_curve negative",
        lambda: TimeBasedConcedingNegotiator(offering_curve=-2.0),
        ValueError,
        "offering_curve",
    ),
    (
        "timebased accepting_curve unknown",
        lambda: TimeBasedConcedingNegotiator(accepting_curve="fast"),
        ValueError,
        "accepting_curve 'fast'",
    ),
    ("random p nan", lambda: RandomNegotiator(p_acceptance=nan), ValueError, "p_acceptance"),
    ("random p 2", lambda: RandomNegotiator(p_acceptance=2.0), ValueError, "[0, 1]"),
    ("random p str", lambda: RandomNegotiator(p_acceptance="x"), TypeError, "p_acceptance"),  # type: ignore[arg-type]
    (
        "random p sum",
        lambda: RandomNegotiator(p_acceptance=0.7, p_ending=0.7),
        ValueError,
        "exceed",
    ),
    ("titfortat kindness str", lambda: NaiveTitForTat(kindness="x"), TypeError, "kindness"),  # type: ignore[arg-type]
    ("titfortat kindness nan", lambda: NaiveTitForTat(kindness=math.nan), ValueError, "kindness"),
    ("top_fraction 2", lambda: TopFractionNegotiator(top_fraction=2.0), ValueError, "top_fraction"),
    (
        "top_fraction str",
        lambda: TopFractionNegotiator(top_fraction="x"),
        TypeError,
        "top_fraction",
    ),  # type: ignore[arg-type]
    ("min_utility nan", lambda: TopFractionNegotiator(min_utility=nan), ValueError, "min_utility"),
    ("best_first str", lambda: TopFractionNegotiator(best_first="no"), TypeError, "best_first"),  # type: ignore[arg-type]
    (
        "limited outcomes int",
        lambda: LimitedOutcomesNegotiator(acceptable_outcomes=3),  # type: ignore[arg-type]
        TypeError,
        "acceptable_outcomes",
    ),
    (
        "limited probabilities str",
        lambda: LimitedOutcomesNegotiator(acceptance_probabilities="x"),  # type: ignore[arg-type]
        TypeError,
        "acceptance_probabilities",
    ),
    ("limited p_ending 2", lambda: LimitedOutcomesNegotiator(p_ending=2.0), ValueError, "p_ending"),
]


@pytest.mark.parametrize(
    ("name", "call", "error", "fragment"),
    [pytest.param(name, call, error, fragment, id=name) for name, call, error, fragment in CASES],
)
def test_bad_input_is_refused_with_a_named_error(
    name: str, call: Callable[[], object], error: type[Exception], fragment: str
) -> None:
    refused("core", name, call, error, (fragment,))


def test_mechanism_option_errors_keep_the_documented_class() -> None:
    # Code written against MechanismError keeps catching the new typed errors.
    for kwargs in ({"n_steps": 1.5}, {"time_limit": nan}, {"n_steps": 5, "bus": "x"}):
        with pytest.raises(MechanismError):
            _sao(**kwargs)


def test_good_inputs_still_accepted() -> None:
    assert _sao(n_steps=5, time_limit=math.inf).time_limit == math.inf
    assert _sao(n_steps=np.int64(5)).n_steps == 5
    assert LinearUtilityFunction([1.0, 2.0], bias=np.float32(0.5)).bias == 0.5
    assert make_os([make_issue(1000, "x"), make_issue(1000, "y")]).enumerate()[-1] == (999, 999)
