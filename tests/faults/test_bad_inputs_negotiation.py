"""Bad inputs to negotiation tournaments: every parameter of
``cartesian_tournament``, every key of a ``[negotiation]`` TOML file, and
``load_negotiation_results``.

Each row: the call, the documented error class (``ValueError``, or
``NegotiationConfigError`` naming the file for a TOML file) and fragments its
message must hold (the parameter and the bad value). Every row is refused
before any negotiation runs.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fault_helpers import refused, row_params

from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences import LinearAdditiveUtilityFunction
from palaver.scenarios import Scenario
from palaver.tournaments.negotiation import cartesian_tournament, load_negotiation_results
from palaver.tournaments.negotiation.config import NegotiationConfigError, load_negotiation_config

nan = math.nan
NCE = NegotiationConfigError
VE = ValueError


def _scenario(i: int = 0, parties: int = 2) -> Scenario:
    rng = np.random.default_rng(i)
    space = OutcomeSpace([make_issue(4, "a"), make_issue(4, "b")])
    ufuns = [
        LinearAdditiveUtilityFunction(
            [dict(enumerate(rng.random(4).tolist())) for _ in range(2)],
            [0.5, 0.5],
            outcome_space=space,
        )
        for _ in range(parties)
    ]
    return Scenario(space, ufuns, name=f"s{i}")


def _cartesian(**changes: Any) -> Callable[[], object]:
    args: dict[str, Any] = {"competitors": ["boulware", "conceder"], "scenarios": [_scenario()]}
    args.update(changes)
    return lambda: cartesian_tournament(**args)


def _used_folder() -> Path:
    """A folder holding a file of someone else's (a tournament must leave it alone)."""
    folder = Path(tempfile.mkdtemp(prefix="palaver-bad-path-"))
    (folder / "notes.txt").write_text("mine")
    return folder


def _neg(top: str, generate: str = "n_scenarios = 1\nn_outcomes = 20\nseed = 1") -> Any:
    """A negotiation tournament TOML with ``top`` in its table (and a generate table)."""

    def call() -> object:
        path = Path(tempfile.mkdtemp(prefix="palaver-bad-neg-")) / "n.toml"
        base = 'competitors = ["boulware", "conceder"]\n' if "competitor" not in top else ""
        tail = f"[negotiation.generate]\n{generate}\n" if generate else ""
        text = f"[negotiation]\n{base}{top}\n{tail}"
        path.write_bytes(text.encode("utf-8", "surrogateescape"))
        return load_negotiation_config(path)

    return call


def _neg_run(top: str) -> Any:
    """A negotiation TOML that loads, run: its values are checked by the tournament."""
    return lambda: cartesian_tournament(**_neg(top)())  # type: ignore[arg-type]


def _neg_fifo(folder: Path) -> Path:
    import os

    os.mkfifo(folder / "n.toml")
    return folder / "n.toml"


def _load_folder(
    make: Callable[[Path], Path], loader: Callable[[Any], object]
) -> Callable[[], object]:
    return lambda: loader(make(Path(tempfile.mkdtemp(prefix="palaver-bad-load-"))))


def _fifo(folder: Path) -> Path:
    import os

    os.mkfifo(folder / "t.toml")
    return folder / "t.toml"


def _empty(folder: Path) -> Path:
    return folder


VE, TE = ValueError, TypeError
CASES: list[tuple[str, Callable[[], object], Any, tuple[str, ...]]] = [
    # cartesian_tournament parameters
    (
        "cartesian competitors str",
        _cartesian(competitors="boulware"),
        VE,
        ("competitors", "'boulware'"),
    ),
    ("cartesian competitors empty", _cartesian(competitors=[]), VE, ("competitors",)),
    ("cartesian competitor unknown", _cartesian(competitors=["nobody"]), VE, ("'nobody'",)),
    ("cartesian competitor int", _cartesian(competitors=[3]), VE, ("competitor", "3")),
    ("cartesian scenarios None", _cartesian(scenarios=None), VE, ("scenarios", "None")),
    ("cartesian scenarios empty", _cartesian(scenarios=[]), VE, ("scenario",)),
    ("cartesian scenario object", _cartesian(scenarios=[object()]), VE, ("scenarios[0]",)),
    (
        "cartesian scenarios same name",
        _cartesian(scenarios=[_scenario(), _scenario()]),
        VE,
        ("unique", "s0"),
    ),
    ("cartesian n_repetitions float", _cartesian(n_repetitions=1.5), VE, ("n_repetitions", "1.5")),
    ("cartesian n_repetitions zero", _cartesian(n_repetitions=0), VE, ("n_repetitions", "0")),
    ("cartesian n_steps float", _cartesian(n_steps=1.5), VE, ("n_steps", "1.5")),
    ("cartesian n_steps str", _cartesian(n_steps="10"), VE, ("n_steps", "'10'")),
    ("cartesian n_steps reversed", _cartesian(n_steps=(10, 5)), VE, ("n_steps", "(10, 5)")),
    ("cartesian n_steps triple", _cartesian(n_steps=(1, 2, 3)), VE, ("n_steps", "(1, 2, 3)")),
    ("cartesian n_steps nan pair", _cartesian(n_steps=(nan, 5)), VE, ("n_steps", "nan")),
    ("cartesian unbounded", _cartesian(n_steps=None), VE, ("n_steps", "time_limit")),
    ("cartesian time_limit nan", _cartesian(time_limit=nan), VE, ("time_limit", "nan")),
    ("cartesian time_limit inf", _cartesian(time_limit=math.inf), VE, ("time_limit", "inf")),
    ("cartesian time_limit zero", _cartesian(time_limit=0), VE, ("time_limit", "0")),
    ("cartesian n_steps_per", _cartesian(n_steps_per="world"), VE, ("n_steps_per", "'world'")),
    ("cartesian rotate_ufuns str", _cartesian(rotate_ufuns="no"), VE, ("rotate_ufuns", "'no'")),
    ("cartesian self_play str", _cartesian(self_play="no"), VE, ("self_play", "'no'")),
    ("cartesian path int", _cartesian(path=3), VE, ("path", "3")),
    (
        "cartesian path a file",
        lambda: _cartesian(path=Path(tempfile.mkstemp(prefix="palaver-bad-path-")[1]))(),
        VE,
        ("path", "palaver-bad-path", "not a folder"),
    ),
    (
        "cartesian path another folder",
        lambda: _cartesian(path=_used_folder())(),
        VE,
        ("path", "not empty", "tournament.json"),
    ),
    (
        "cartesian n_repetitions huge",
        _cartesian(n_repetitions=10**11),
        VE,
        ("n_repetitions=100000000000", "10,000,000"),
    ),
    ("cartesian n_steps huge", _cartesian(n_steps=2**63), VE, ("n_steps", str(2**63))),
    ("cartesian executor unknown", _cartesian(executor="cluster"), VE, ("executor", "'cluster'")),
    ("cartesian workers zero", _cartesian(executor="process", workers=0), VE, ("workers", "0")),
    ("cartesian workers str", _cartesian(executor="process", workers="2"), VE, ("workers", "'2'")),
    (
        "cartesian competitor_params short",
        _cartesian(competitor_params=[{}]),
        VE,
        ("competitor_params",),
    ),
    (
        "cartesian competitor_params int",
        _cartesian(competitor_params=[3, None]),
        VE,
        ("competitor_params", "3"),
    ),
    (
        "cartesian competitor_params unknown",
        _cartesian(competitor_params=[{"colour": 1}, None]),
        VE,
        ("colour",),
    ),
    (
        "cartesian competitor_names dup",
        _cartesian(competitor_names=["a", "a"]),
        VE,
        ("competitor_names", "'a'"),
    ),
    (
        "cartesian competitor_names int",
        _cartesian(competitor_names=[1, 2]),
        VE,
        ("competitor_names", "1"),
    ),
    ("cartesian seed float", _cartesian(seed=1.5), VE, ("seed", "1.5")),
    ("cartesian seed negative", _cartesian(seed=-1), VE, ("seed", "-1")),
    ("cartesian detail", _cartesian(detail="all"), VE, ("detail", "'all'")),
    ("cartesian hang_timeout zero", _cartesian(hang_timeout=0), VE, ("hang_timeout", "0")),
    ("cartesian hang_timeout nan", _cartesian(hang_timeout=nan), VE, ("hang_timeout", "nan")),
    ("cartesian hang_timeout str", _cartesian(hang_timeout="5"), VE, ("hang_timeout", "'5'")),
    (
        "cartesian final_score metric",
        _cartesian(final_score=("luck", "mean")),
        VE,
        ("final_score", "luck"),
    ),
    (
        "cartesian final_score statistic",
        _cartesian(final_score=("advantage", "mode")),
        VE,
        ("final_score", "mode"),
    ),
    (
        "cartesian final_score str",
        _cartesian(final_score="advantage"),
        VE,
        ("final_score", "'advantage'"),
    ),
    (
        "cartesian mechanism_params list",
        _cartesian(mechanism_params=[1]),
        VE,
        ("mechanism_params", "[1]"),
    ),
    (
        "cartesian mechanism_params unknown",
        _cartesian(mechanism_params={"colour": 1}),
        VE,
        ("colour",),
    ),
    (
        "cartesian mechanism_params n_steps",
        _cartesian(mechanism_params={"n_steps": 3}),
        VE,
        ("n_steps",),
    ),
    ("cartesian progress str", _cartesian(progress="yes"), VE, ("progress", "'yes'")),
    (
        "cartesian three parties",
        _cartesian(scenarios=[_scenario(0, 3)], competitors=["boulware"]),
        None,
        (),
    ),
    # negotiation tournament TOML
    (
        "neg toml competitors str",
        _neg('competitors = "boulware"'),
        NCE,
        ("n.toml", "competitors", "'boulware'"),
    ),
    ("neg toml competitor int", _neg("competitors = [3]"), NCE, ("n.toml", "competitors", "3")),
    (
        "neg toml competitor table",
        _neg("competitors = []\ncompetitor = 3"),
        NCE,
        ("n.toml", "competitor", "3"),
    ),
    ("neg toml unknown key", _neg("colour = 1"), NCE, ("n.toml", "colour")),
    ("neg toml no scenarios", _neg("", generate=""), NCE, ("n.toml", "scenarios")),
    (
        "neg toml scenarios str",
        _neg('scenarios = "x"', generate=""),
        NCE,
        ("n.toml", "scenarios", "'x'"),
    ),
    (
        "neg toml scenario missing",
        _neg('scenarios = ["nope/*"]', generate=""),
        NCE,
        ("n.toml", "nope"),
    ),
    (
        "neg toml n_scenarios float",
        _neg("", generate="n_scenarios = 2.5"),
        NCE,
        ("n.toml", "n_scenarios", "2.5"),
    ),
    (
        "neg toml n_outcomes str",
        _neg("", generate='n_outcomes = "10"'),
        NCE,
        ("n.toml", "n_outcomes", "'10'"),
    ),
    (
        "neg toml generate seed float",
        _neg("", generate="seed = 1.5"),
        NCE,
        ("n.toml", "seed", "1.5"),
    ),
    ("neg toml generate unknown", _neg("", generate="colour = 1"), NCE, ("n.toml", "colour")),
    ("neg toml final_score str", _neg('final_score = "advantage"'), NCE, ("n.toml", "final_score")),
    ("neg toml not utf-8", _neg("x = '\udcff'"), NCE, ("n.toml", "UTF-8")),
    ("neg toml syntax", _neg("x = "), NCE, ("n.toml", "TOML")),
    (
        "neg toml n_scenarios huge",
        _neg("", generate="n_scenarios = 1000000000"),
        NCE,
        ("n.toml", "generate", "n_scenarios=1000000000", "10,000,000"),
    ),
    (
        "neg toml key outside the table",
        _neg("", generate="n_scenarios = 1\nn_outcomes = 20\n[negotiaton]\nseed = 1"),
        NCE,
        ("n.toml", "negotiaton", "unknown top-level key"),
    ),
    ("neg toml fifo", _load_folder(_neg_fifo, load_negotiation_config), NCE, ("n.toml", "FIFO")),
    ("neg toml n_steps float", _neg_run("n_steps = 1.5"), VE, ("n_steps", "1.5")),
    ("neg toml rotate str", _neg_run('rotate_ufuns = "no"'), VE, ("rotate_ufuns", "'no'")),
    # load_negotiation_results
    (
        "load_negotiation_results empty",
        _load_folder(_empty, load_negotiation_results),
        VE,
        ("palaver-bad-load",),
    ),
    (
        "load_negotiation_results missing",
        lambda: load_negotiation_results("/nonexistent/n"),
        VE,
        ("/nonexistent/n",),
    ),
]
# A three-party scenario with one competitor is valid (every seat is that competitor).
# A three-party scenario with one competitor is valid (every seat is that competitor).
CASES = [c for c in CASES if c[2] is not None]

XFAIL: dict[str, str] = {}


@pytest.mark.parametrize(("name", "call", "error", "fragments", "known"), row_params(CASES, XFAIL))
def test_bad_negotiation_tournament_input_is_refused(
    name: str, call: Callable[[], object], error: Any, fragments: tuple[str, ...], known: bool
) -> None:
    refused("negotiation tournaments", name, call, error, fragments, known)
