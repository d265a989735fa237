"""Certify a user-written SAO negotiator against the mechanism's contract."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import numpy as np

from palaver.checks.result import CheckReport, _Collector, check_factory
from palaver.events import ListSink
from palaver.mechanisms import ResponseType, SAOMechanism
from palaver.negotiators import AspirationNegotiator, NiceNegotiator, SAONegotiator
from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences import LinearUtilityFunction

NegotiatorFactory = Callable[[], Any]


def _scenarios() -> list[tuple[str, OutcomeSpace, int]]:
    """(name, outcome space, number of negotiators) for every scenario checked."""
    return [
        (
            "bilateral-discrete",
            OutcomeSpace([make_issue(5, "a"), make_issue((1, 4), "b"), make_issue(3, "c")]),
            2,
        ),
        (
            "bilateral-mixed",
            OutcomeSpace(
                [
                    make_issue((0.0, 1.0), "price"),
                    make_issue(["red", "green", "blue"], "colour"),
                    make_issue(4, "qty"),
                ]
            ),
            2,
        ),
        (
            "multilateral",
            OutcomeSpace([make_issue(6, "x"), make_issue(6, "y")]),
            3,
        ),
    ]


def _run(
    factory: NegotiatorFactory, space: OutcomeSpace, n: int, seed: int, n_steps: int
) -> tuple[list[tuple[str, dict[str, Any]]], SAOMechanism, list[str]]:
    """One negotiation: the negotiator under test first, then built-in opponents."""
    weights = np.random.default_rng(seed).uniform(-1.0, 1.0, size=(n, len(space.issues)))
    mechanism = SAOMechanism(outcome_space=space, n_steps=n_steps, seed=seed)
    sink = ListSink()
    mechanism.bus.add_sink(sink)
    misuse: list[str] = []
    subject = factory()
    lacks = [m for m in ("propose", "respond", "join") if not callable(getattr(subject, m, None))]
    if lacks:
        # Found by _watch, this was "'NoneType' object has no attribute 'propose'".
        raise TypeError(
            f"factory() returned {subject!r:.80} ({type(subject).__name__}), not a negotiator "
            f"(it lacks {lacks})"
        )
    _watch(subject, space, misuse)
    opponents: list[SAONegotiator] = [AspirationNegotiator(name=f"opp{i}") for i in range(1, n - 1)]
    opponents.append(NiceNegotiator(name=f"opp{n - 1}"))
    for i, negotiator in enumerate([subject, *opponents]):
        ufun = LinearUtilityFunction(weights[i], reserved_value=0.0, outcome_space=space)
        mechanism.add(negotiator, ufun=ufun)
    mechanism.run()
    # Generated negotiator ids come from a per-process counter, so the trace
    # names negotiators by their seat to compare runs.
    seats = {negotiator.id: f"seat{i}" for i, negotiator in enumerate(mechanism.negotiators)}
    trace = [(str(e.type), _by_seat(e.payload, seats)) for e in sink.events]
    return trace, mechanism, misuse


def _by_seat(payload: Any, seats: dict[str, str]) -> Any:
    """``payload`` with every negotiator id replaced by its seat name."""
    if isinstance(payload, str):
        return seats.get(payload, payload)
    if isinstance(payload, dict):
        return {k: _by_seat(v, seats) for k, v in payload.items()}
    if isinstance(payload, list):
        return [_by_seat(v, seats) for v in payload]
    return payload


def _watch(negotiator: Any, space: OutcomeSpace, misuse: list[str]) -> None:
    """Wrap propose/respond on the instance to record contract violations."""
    propose, respond = negotiator.propose, negotiator.respond

    def checked_propose(state: Any) -> Any:
        offer = propose(state)
        if offer is not None and not (isinstance(offer, tuple | dict) and offer in space):
            misuse.append(f"propose returned {offer!r}, which is not an outcome of the space")
        return offer

    def checked_respond(state: Any, offer: Any) -> Any:
        answer = respond(state, offer)
        if not isinstance(answer, ResponseType):
            misuse.append(f"respond returned {answer!r}, not a ResponseType")
        return answer

    negotiator.propose = checked_propose
    negotiator.respond = checked_respond


def check_negotiator(
    factory: NegotiatorFactory, *, seed: int = 0, n_steps: int = 30
) -> CheckReport:
    """Certify an SAO negotiator the way Palaver's own strategies are tested.

    ``factory()`` must build a fresh negotiator (its utility function is given
    by the mechanism). The negotiator is run against built-in opponents on a
    discrete bilateral space, a mixed space with a continuous and a categorical
    issue, and a three-party space. It must:

    - join and negotiate without raising;
    - propose only outcomes of the space (or ``None``) and answer every offer
      with a :class:`~palaver.mechanisms.ResponseType`;
    - behave identically given the same mechanism seed, whatever the global
      ``random`` and ``numpy.random`` states are (all randomness must come from
      the generator the mechanism hands it).

    Returns:
        The passed checks.

    Raises:
        CheckFailed: listing every problem found, each naming its scenario.
    """
    check_factory("factory", factory, "a negotiator class or a function returning a negotiator")
    name = getattr(factory, "__name__", repr(factory))
    checks = _Collector(f"negotiator {name}")
    for scenario, space, n in _scenarios():
        traces = []
        drew_globally = False
        for disturbance in (1, 2):
            random.seed(disturbance)
            np.random.seed(disturbance)
            before = (random.getstate(), np.random.get_state())
            try:
                trace, mechanism, misuse = _run(factory, space, n, seed, n_steps)
            except Exception as exc:
                checks.fail(f"{scenario}/runs", f"raised {type(exc).__name__}: {exc}")
                break
            # Two runs can agree by chance (a short negotiation, one draw that
            # lands on the same side twice): a global generator that moved was
            # used, whatever the traces say. Palaver itself never draws from it.
            drew_globally = drew_globally or _moved(before)
            traces.append(trace)
            if disturbance == 1:
                checks.expect(
                    f"{scenario}/valid-moves", not misuse, "; ".join(dict.fromkeys(misuse))
                )
                checks.expect(
                    f"{scenario}/ends",
                    mechanism.state.ended,
                    f"still running after run() (state {mechanism.state})",
                )
        if len(traces) == 2:
            checks.expect(
                f"{scenario}/deterministic",
                traces[0] == traces[1] and not drew_globally,
                "it draws from the global random or numpy.random generator (use "
                "self.nmi.random, the generator the mechanism hands it)"
                if drew_globally
                else "two runs with the same mechanism seed differ (does it use the global "
                "random state or the clock?)",
            )
    return checks.finish()


def _moved(before: tuple[Any, Any]) -> bool:
    """Whether the global ``random`` or ``numpy.random`` state differs from ``before``."""
    python_state, numpy_state = before
    now: tuple[Any, ...] = tuple(np.random.get_state(legacy=True))
    return (
        random.getstate() != python_state
        or not np.array_equal(now[1], numpy_state[1])
        or now[2:] != tuple(numpy_state[2:])
    )
