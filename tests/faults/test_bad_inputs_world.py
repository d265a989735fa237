"""Bad inputs to the World: its constructor options (on the shipped TripsWorld
and ``build_trips``), ``join``, running twice, stepping after the end, and
negotiation requests through the AWI.

Each row: the call, the documented error class, and fragments its message must
hold (the parameter and the bad value). Rows marked ``xfail`` are defects of
the world package, reported to the lead.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest
from fault_helpers import refused, row_params

from palaver.examples import build_trips
from palaver.examples.trips import RandomPerson, TripsWorld
from palaver.outcomes import make_issue
from palaver.world import NegotiationRequestError, UnknownMechanismError, WorldError

nan = math.nan
ISSUES = [make_issue(5, "cost"), make_issue(3, "active")]


def _world(**kwargs: Any) -> TripsWorld:
    kwargs.setdefault("n_steps", 3)
    return TripsWorld(**kwargs)


def _joined(**kwargs: Any) -> TripsWorld:
    world = _world(**kwargs)
    for i in range(2):
        world.join(RandomPerson(id=f"p{i}"))
    return world


def _join(*args: Any, **kwargs: Any) -> Callable[[], object]:
    return lambda: _world().join(*args, **kwargs)


def _join_twice() -> None:
    world = _world()
    agent = RandomPerson(id="a")
    world.join(agent)
    world.join(RandomPerson(id="a"))


def _join_another_worlds_agent() -> None:
    agent = RandomPerson(id="a")
    _world().join(agent)
    _world().join(agent)


def _join_after_end() -> None:
    world = _joined(n_steps=1)
    world.run()
    world.join(RandomPerson(id="late"))


def _run_twice() -> None:
    world = _joined(n_steps=1)
    world.run()
    world.run()


def _step_after_end() -> None:
    world = _joined(n_steps=1)
    world.run()
    if world.step() is not False:
        raise AssertionError("step() after the end ran a step")
    raise WorldError("step() after the end returned False, as documented")


def _request(**changes: Any) -> Callable[[], object]:
    """A request through the AWI of a started world, with one argument changed."""

    def call() -> object:
        world = _joined()
        world.step()
        agent = world.agents["p0"]
        neg = agent.negotiator() if hasattr(agent, "negotiator") else None
        args: dict[str, Any] = {"issues": ISSUES, "partners": ["p0", "p1"]}
        req_id = changes.pop("req_id", None) or agent.create_negotiation_request(
            ISSUES, ["p0", "p1"], neg
        )
        args.update(req_id=req_id, **changes)
        return agent.awi.request_negotiation_about(**args)

    return call


def _awi(method: str, *args: Any, **kwargs: Any) -> Callable[[], object]:
    """``method(*args, **kwargs)`` on an agent's AWI of a started world."""

    def call() -> object:
        world = _joined(negotiation_quota_per_step=math.inf)
        world.step()
        agent = world.agents["p0"]
        return getattr(agent.awi, method)(*args, **kwargs)

    return call


def _neg() -> Any:
    from palaver.negotiators import AspirationNegotiator

    return AspirationNegotiator()


def _cyclic() -> dict[str, Any]:
    loop: list[Any] = []
    loop.append(loop)
    return {"x": loop}


VE = ValueError
TE = TypeError
CASES: list[tuple[str, Callable[[], object], Any, tuple[str, ...]]] = [
    # constructor options
    ("n_steps float", lambda: _world(n_steps=1.5), VE, ("n_steps", "1.5")),
    ("n_steps str", lambda: _world(n_steps="10"), (VE, TE), ("n_steps", "'10'")),
    ("n_steps zero", lambda: _world(n_steps=0), VE, ("n_steps", "0")),
    ("n_steps bool", lambda: _world(n_steps=True), (VE, TE), ("n_steps", "True")),
    ("time_limit nan", lambda: _world(time_limit=nan), VE, ("time_limit", "nan")),
    ("time_limit negative", lambda: _world(time_limit=-1.0), VE, ("time_limit", "-1")),
    ("time_limit str", lambda: _world(time_limit="1"), (VE, TE), ("time_limit", "'1'")),
    ("seed float", lambda: _world(seed=1.5), (VE, TE), ("seed", "1.5")),
    ("seed str", lambda: _world(seed="1"), (VE, TE), ("seed", "'1'")),
    ("seed negative", lambda: _world(seed=-1), VE, ("seed", "-1")),
    ("bus str", lambda: _world(bus="x"), (VE, TE), ("bus", "'x'")),
    ("name int", lambda: _world(name=3), (VE, TE), ("name", "3")),
    ("info list", lambda: _world(info=[1]), (VE, TE), ("info", "[1]")),
    ("operations unknown", lambda: _world(operations=["nope"]), VE, ("operations", "nope")),
    ("operations int", lambda: _world(operations=3), (VE, TE), ("operations", "3")),
    (
        "breach_processing unknown",
        lambda: _world(breach_processing="nope"),
        VE,
        ("breach_processing", "nope"),
    ),
    ("breach_processing 7", lambda: _world(breach_processing=7), VE, ("breach_processing", "7")),
    (
        "breach_processing True",
        lambda: _world(breach_processing=True),
        VE,
        ("breach_processing", "True"),
    ),
    ("shuffle_agents str", lambda: _world(shuffle_agents="yes"), (VE, TE), ("shuffle_agents",)),
    ("awi_type int", lambda: _world(awi_type=3), (VE, TE), ("awi_type", "3")),
    ("awi_type unknown name", lambda: _world(awi_type="no.such:AWI"), (VE, TE), ("awi_type",)),
    ("neg_n_steps float", lambda: _world(neg_n_steps=1.5), VE, ("neg_n_steps", "1.5")),
    ("neg_n_steps zero", lambda: _world(neg_n_steps=0), VE, ("neg_n_steps", "0")),
    ("neg_time_limit zero", lambda: _world(neg_time_limit=0.0), VE, ("neg_time_limit", "0")),
    ("neg_time_limit nan", lambda: _world(neg_time_limit=nan), VE, ("neg_time_limit", "nan")),
    (
        "negotiation_speed float",
        lambda: _world(negotiation_speed=1.5),
        VE,
        ("negotiation_speed", "1.5"),
    ),
    (
        "negotiation_quota_per_step negative",
        lambda: _world(negotiation_quota_per_step=-1),
        VE,
        ("negotiation_quota_per_step", "-1"),
    ),
    (
        "negotiation_quota_per_step str",
        lambda: _world(negotiation_quota_per_step="8"),
        (VE, TE),
        ("negotiation_quota_per_step", "'8'"),
    ),
    ("signing group int", lambda: _world(signing=3), (VE, TE), ("signing", "3")),
    ("unknown option", lambda: _world(colour="red"), (VE, TE), ("colour",)),
    (
        "log_file_name escapes",
        lambda: _world(log_folder="/tmp", log_file_name="../escape.log"),
        VE,
        ("log_file_name", "escape"),
    ),
    (
        "checkpoint_filename escapes",
        lambda: _world(checkpoint_every=1, checkpoint_filename="../escape"),
        VE,
        ("checkpoint_filename", "escape"),
    ),
    ("checkpoint_every float", lambda: _world(checkpoint_every=1.5), VE, ("checkpoint_every",)),
    ("negotiation group int", lambda: _world(negotiation=3), (VE, TE), ("negotiation", "3")),
    ("build_trips n_agents 1", lambda: build_trips(n_agents=1), VE, ("2 agents", "1")),
    ("build_trips n_agents str", lambda: build_trips(n_agents="4"), (VE, TE), ("n_agents", "'4'")),
    ("build_trips n_agents float", lambda: build_trips(n_agents=2.5), (VE, TE), ("n_agents",)),
    (
        "build_trips smart_fraction 2",
        lambda: build_trips(n_agents=2, smart_fraction=2.0),
        VE,
        ("smart_fraction", "2.0"),
    ),
    (
        "build_trips smart_fraction nan",
        lambda: build_trips(n_agents=2, smart_fraction=nan),
        VE,
        ("smart_fraction", "nan"),
    ),
    # join
    ("join a str", _join("agent"), (VE, TE), ("'agent'",)),
    ("join None", _join(None), (VE, TE), ("None",)),
    ("join twice", _join_twice, VE, ("'a'", "already joined")),
    ("join another world's agent", _join_another_worlds_agent, VE, ("'a'", "already joined")),
    ("join an int id", _join(RandomPerson(id=5)), (VE, TE), ("agent id", "5")),
    ("join unknown keyword", _join(RandomPerson(), colour="red"), TE, ("colour",)),
    ("join breach_prob 2", _join(RandomPerson(), breach_prob=2.0), VE, ("breach_prob", "2.0")),
    ("join breach_prob nan", _join(RandomPerson(), breach_prob=nan), VE, ("breach_prob", "nan")),
    ("join preferences str", _join(RandomPerson(), preferences="x"), (VE, TE), ("preferences",)),
    ("join after end", _join_after_end, (VE, WorldError, RuntimeError), ("late",)),
    # lifecycle
    ("run twice", _run_twice, RuntimeError, ("already run",)),
    ("step after end", _step_after_end, WorldError, ("returned False",)),
    ("step n_neg_steps float", lambda: _joined().step(n_neg_steps=1.5), VE, ("n_neg_steps",)),
    ("step actions", lambda: _joined().step(actions={}), VE, ("actions",)),
    # negotiation requests through the AWI
    ("request issues int", _request(issues=3), NegotiationRequestError, ("issues", "3")),
    ("request issues empty", _request(issues=[]), NegotiationRequestError, ("issues", "[]")),
    (
        "request issues named alike",
        _request(issues=[make_issue(3, "cost"), make_issue(4, "cost")]),
        NegotiationRequestError,
        ("issues", "['cost', 'cost']", "duplicate issue name"),
    ),
    ("request partners set", _request(partners={"p1"}), NegotiationRequestError, ("partners",)),
    ("request partners ints", _request(partners=[0, 1]), NegotiationRequestError, ("partners",)),
    (
        "request unknown partner",
        _request(partners=["p0", "ghost"]),
        NegotiationRequestError,
        ("ghost",),
    ),
    ("request req_id not text", _request(req_id=7), NegotiationRequestError, ("req_id", "7")),
    (
        "request roles length",
        _request(roles=["a"]),
        NegotiationRequestError,
        ("roles", "1 roles"),
    ),
    (
        "request annotation list",
        _request(annotation=[1]),
        NegotiationRequestError,
        ("annotation", "[1]"),
    ),
    (
        "request annotation holding itself",
        _request(annotation=_cyclic()),
        NegotiationRequestError,
        ("annotation", "holds itself"),
    ),
    (
        "request mechanism_params list",
        _request(mechanism_params=[1]),
        NegotiationRequestError,
        ("mechanism_params", "[1]"),
    ),
    # running negotiations inside a step (NegMAS's run_negotiation(s))
    (
        "run_negotiation caller_role int",
        lambda: _awi("run_negotiation", ISSUES, ["p1"], _neg(), caller_role=5)(),
        NegotiationRequestError,
        ("caller_role", "5"),
    ),
    (
        "run_negotiation roles str",
        lambda: _awi("run_negotiation", ISSUES, ["p1", "p0"], _neg(), roles="ab")(),
        NegotiationRequestError,
        ("roles", "'ab'"),
    ),
    (
        "run_negotiation roles ints",
        lambda: _awi("run_negotiation", ISSUES, ["p1", "p0"], _neg(), roles=[1, 2])(),
        NegotiationRequestError,
        ("roles", "[1, 2]"),
    ),
    (
        "run_negotiations all_or_none str",
        lambda: _awi("run_negotiations", ISSUES, [["p1"]], [_neg()], all_or_none="no")(),
        (VE, TE),
        ("all_or_none", "'no'"),
    ),
    (
        "run_negotiations caller_roles int",
        lambda: _awi("run_negotiations", ISSUES, [["p1"]], [_neg()], caller_roles=5)(),
        NegotiationRequestError,
        ("caller_roles", "5"),
    ),
    (
        "run_negotiations partners str",
        lambda: _awi("run_negotiations", ISSUES, "p1", [_neg()])(),
        NegotiationRequestError,
        ("partners", "'p1'"),
    ),
    (
        "request unknown mechanism",
        _request(mechanism_name="nope"),
        UnknownMechanismError,
        ("nope",),
    ),
]

XFAIL: dict[str, str] = {}


@pytest.mark.parametrize(("name", "call", "error", "fragments", "known"), row_params(CASES, XFAIL))
def test_bad_world_input_is_refused(
    name: str, call: Callable[[], object], error: Any, fragments: tuple[str, ...], known: bool
) -> None:
    refused("world", name, call, error, fragments, known)
