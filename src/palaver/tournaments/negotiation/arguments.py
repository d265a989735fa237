"""The boundary checks of :func:`cartesian_tournament`: every argument, once, before
anything runs. Each error is a ``ValueError`` naming the parameter, the value
given and what is allowed (``ValueError`` for wrong types too, as the
function documents; a tournament is declared, not computed)."""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from numbers import Integral, Real
from pathlib import Path
from typing import Any

from palaver._util.checks import check_int, check_real
from palaver.tournaments.negotiation.competitors import NegotiationCompetitor
from palaver.tournaments.negotiation.plan import Limit
from palaver.tournaments.negotiation.play import DETAILS
from palaver.tournaments.negotiation.results import NEGOTIATION_METRICS, PARTY_METRICS
from palaver.tournaments.negotiation.stats import RANKING_STATISTICS

#: The statistics ``final_score`` may name (see ``NegotiationTournamentResults.ranking``).
STATISTICS = tuple(RANKING_STATISTICS)
#: What ``n_steps`` and ``time_limit`` set for every mechanism (``limits`` groups
#: them); not allowed in ``mechanism_params`` too.
_LIMITS = ("n_steps", "time_limit", "limits")
#: SAOMechanism's other parameters the tournament sets itself (the scenario gives
#: the outcomes); not in ``mechanism_params`` either.
_FIXED = frozenset(
    {"outcome_space", "issues", "outcomes", "seed", "id", "bus", "ignore_negotiator_exceptions"}
)


#: The largest ``n_steps``: the results store it in a 64-bit integer column.
MAX_N_STEPS = 2**63 - 1


def check_limit(name: str, value: Limit, integer: bool) -> Limit:
    """``None``, a positive number (an integer for ``n_steps``, at most
    :data:`MAX_N_STEPS`) or a ``(low, high)`` pair with ``0 < low <= high``;
    never NaN or infinite (``None`` means no limit).

    Any real number type is accepted (numpy's included; an integer type for
    ``n_steps``, never ``bool``); the value is returned as Python ``int`` /
    ``float`` (a pair as a tuple), so it is stored and compared as JSON."""
    if value is None:
        return None
    allowed = (
        f"a positive {'integer' if integer else 'number'}, a [low, high] pair with "
        "0 < low <= high, or None"
    )
    if integer:
        allowed += f" (at most {MAX_N_STEPS}, the largest the results can store)"
    pair = value if isinstance(value, tuple | list) else (value, value)
    if len(pair) != 2:
        raise ValueError(f"{name} must be {allowed}, got {value!r}")
    plain: list[int | float] = []
    for v in pair:
        if isinstance(v, bool) or not isinstance(v, Integral if integer else Real):
            raise ValueError(f"{name} must be {allowed}, got {value!r}")
        if not math.isfinite(v) or not v > 0 or (integer and v > MAX_N_STEPS):
            raise ValueError(f"{name} must be {allowed}, got {value!r}")
        plain.append(int(v) if isinstance(v, Integral) else float(v))
    if not plain[0] <= plain[1]:
        raise ValueError(f"{name} must be {allowed}, got {value!r}")
    if isinstance(value, tuple | list):
        return (plain[0], plain[1])
    return plain[0]


def _flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return value


def _checked(check: Any, name: str, value: Any, **kwargs: Any) -> Any:
    """A ``_util.checks`` check whose errors are all ``ValueError``."""
    return check(name, value, type_error=ValueError, **kwargs)


@dataclass(frozen=True)
class Arguments:
    """The checked options of a tournament (the competitors and scenarios aside)."""

    n_repetitions: int
    n_steps: Limit
    time_limit: Limit
    n_steps_per: str
    rotate_ufuns: bool
    self_play: bool
    path: Path | None
    executor: str
    workers: int | None
    seed: int | None
    detail: str
    hang_timeout: float | None
    final_score: tuple[str, str]
    mechanism_params: dict[str, Any]
    progress: bool


def check_scenarios(scenarios: Any) -> tuple[Any, ...]:
    """The scenarios as a tuple: each with an ``outcome_space`` and two or more
    ``ufuns``, names unique."""
    if isinstance(scenarios, str | bytes | Mapping) or not isinstance(scenarios, Sequence):
        raise ValueError(f"scenarios must be a list of scenarios, got {scenarios!r}")
    scens = tuple(scenarios)
    if not scens:
        raise ValueError("scenarios must hold at least one scenario")
    for i, s in enumerate(scens):
        ufuns = getattr(s, "ufuns", None)
        if not hasattr(s, "outcome_space") or not isinstance(ufuns, Sequence) or len(ufuns) < 2:
            raise ValueError(
                f"scenarios[{i}] is not a scenario with an outcome_space and at least two ufuns: "
                f"{s!r}"
            )
    for s in scens:
        _check_scenario_mechanism(s)
    names = [s.name for s in scens]
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise ValueError(
            f"scenario names must be unique (they key the results); {twice} appear more than "
            f"once in {names}. Give each scenario its own name: a generator's name= argument "
            "(zero_sum_scenario(n, seed=i, name=f'pie{i}')), Scenario(..., name=...), or set "
            "scenario.name"
        )
    return scens


def _check_scenario_mechanism(scenario: Any) -> None:
    """A scenario's own mechanism (NegMAS's ``mechanism_type`` and
    ``mechanism_params`` fields) must be SAO, with options the tournament may
    pass on (its ``n_steps`` and ``time_limit`` are the tournament's)."""
    from palaver.mechanisms import SAOMechanism

    mtype = getattr(scenario, "mechanism_type", None)
    # A subclass too: every negotiation is built as SAOMechanism itself, so its
    # overrides would be dropped without a word.
    if mtype is not None and mtype is not SAOMechanism:
        raise ValueError(
            f"scenario {scenario.name!r} names mechanism_type {mtype!r}: a negotiation "
            "tournament plays SAO, palaver.mechanisms.SAOMechanism itself (not another "
            "mechanism, nor a subclass)"
        )
    params = getattr(scenario, "mechanism_params", None) or {}
    try:
        _check_mechanism_params(params)
    except ValueError as exc:
        raise ValueError(f"scenario {scenario.name!r}: its {exc}") from None


def check_competitor_params(
    competitors: Sequence[NegotiationCompetitor], role: str = "competitor"
) -> None:
    """Refuse a competitor parameter its negotiator class does not accept
    (``role``: ``"opponent"`` names ``opponent_params``)."""
    from palaver.tournaments.vetting import VettingError, check_keywords, class_keywords

    for c in competitors:
        try:
            check_keywords(c.params, class_keywords(c.resolve(), "__init__"), f"{role} {c.name!r}:")
        except VettingError as exc:
            raise ValueError(f"{role}_params: {exc}") from None


def check_competitors_build(
    competitors: Sequence[NegotiationCompetitor], role: str = "competitor"
) -> None:
    """Build one negotiator of each competitor, as every negotiation will, and refuse
    a competitor whose constructor raises or whose object cannot negotiate in
    ``SAOMechanism`` (``ValueError`` naming the competitor and the reason)."""
    from palaver.mechanisms import SAOMechanism

    for c in competitors:
        what = f"{role} {c.name!r} ({_label(c.type)})"
        try:
            negotiator = c.make(f"{c.name}@check")
        except Exception as exc:
            raise ValueError(
                f"{what} cannot be built: its constructor raised {type(exc).__name__}: {exc}"
            ) from exc
        missing = [a for a in SAOMechanism.negotiator_needs if not hasattr(negotiator, a)]
        if missing:
            raise ValueError(
                f"{what} is not a negotiator: a {type(negotiator).__name__} lacks {missing} "
                "(see palaver.mechanisms.protocol)"
            )


def _label(t: Any) -> str:
    if isinstance(t, type):
        return f"{t.__module__}:{t.__qualname__}"
    return str(t)


def check_arguments(
    *,
    n_repetitions: Any,
    n_steps: Any,
    time_limit: Any,
    n_steps_per: Any,
    rotate_ufuns: Any,
    self_play: Any,
    path: Any,
    executor: Any,
    workers: Any,
    seed: Any,
    detail: Any,
    hang_timeout: Any,
    final_score: Any,
    mechanism_params: Any,
    progress: Any,
) -> Arguments:
    """Every option of :func:`cartesian_tournament` checked (see its docstring)."""
    from palaver.tournaments.executors import EXECUTORS

    reps = _checked(check_int, "n_repetitions", n_repetitions, minimum=1)
    steps = check_limit("n_steps", n_steps, integer=True)
    limit = check_limit("time_limit", time_limit, integer=False)
    if steps is None and limit is None:
        raise ValueError("set n_steps or time_limit: every negotiation must be bounded")
    if n_steps_per not in ("negotiation", "scenario"):
        raise ValueError(f"n_steps_per must be 'negotiation' or 'scenario', got {n_steps_per!r}")
    if path is not None and not isinstance(path, str | Path):
        raise ValueError(f"path must be a folder path or None, got {path!r}")
    if executor not in EXECUTORS:
        raise ValueError(f"executor must be one of {EXECUTORS}, got {executor!r}")
    workers = _checked(check_int, "workers", workers, minimum=1, none_ok=True)
    seed = _checked(check_int, "seed", seed, minimum=0, none_ok=True)
    if detail not in DETAILS:
        close = difflib.get_close_matches(detail, DETAILS, n=1) if isinstance(detail, str) else []
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"detail must be one of {DETAILS}, got {detail!r}{hint}")
    # False is "off" as None is: a TOML file, which has no null, can say it only so.
    hang = _checked(
        check_real,
        "hang_timeout",
        None if hang_timeout is False else hang_timeout,
        positive=True,
        none_ok=True,
    )
    metrics = PARTY_METRICS + NEGOTIATION_METRICS
    if (
        not isinstance(final_score, tuple | list)
        or len(final_score) != 2
        or final_score[0] not in metrics
        or final_score[1] not in STATISTICS
    ):
        raise ValueError(
            f"final_score must be (metric, statistic) with a metric in {list(metrics)} and a "
            f"statistic in {list(STATISTICS)}, got {final_score!r}"
        )
    params = {} if mechanism_params is None else mechanism_params
    if not isinstance(params, Mapping) or not all(isinstance(k, str) for k in params):
        raise ValueError(f"mechanism_params must be a dict of SAOMechanism options, got {params!r}")
    _check_mechanism_params(params)
    return Arguments(
        n_repetitions=reps,
        n_steps=steps,
        time_limit=limit,
        n_steps_per=n_steps_per,
        rotate_ufuns=_flag("rotate_ufuns", rotate_ufuns),
        self_play=_flag("self_play", self_play),
        path=None if path is None else Path(path),
        executor=executor,
        workers=workers,
        seed=seed,
        detail=detail,
        hang_timeout=hang,
        final_score=(final_score[0], final_score[1]),
        mechanism_params=dict(params),
        progress=_flag("progress", progress),
    )


def check_mechanism_values(params: Mapping[str, Any], scenario: Any) -> None:
    """Build one mechanism with ``params`` so a bad value is refused now, not in a worker."""
    from palaver.mechanisms import SAOMechanism

    try:
        SAOMechanism(outcome_space=scenario.outcome_space, n_steps=1, **params)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"mechanism_params {dict(params)!r}: {exc}") from None


def _check_mechanism_params(params: Mapping[str, Any]) -> None:
    from palaver.mechanisms import SAOMechanism
    from palaver.tournaments.vetting import VettingError, check_keywords, class_keywords

    for name in _LIMITS:
        if name in params:
            raise ValueError(
                f"mechanism_params must not hold {name!r}: set the tournament's n_steps and "
                "time_limit (a value or a [low, high] pair each); step_time_limit and "
                f"negotiator_time_limit are mechanism_params of their own. Got {dict(params)!r}"
            )
    accepted = class_keywords(SAOMechanism, "__init__")
    allowed = None if accepted is None else accepted - _FIXED - set(_LIMITS)
    try:
        check_keywords(params, allowed, "mechanism_params:")
    except VettingError as exc:
        raise ValueError(str(exc)) from None
