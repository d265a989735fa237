"""Bad inputs to the tournaments: every field of ``TournamentConfig`` and of a
TOML config, every parameter of ``run_tournament`` and ``load_results``, and
every parameter of ``cartesian_tournament`` and ``load_negotiation_results``.

Each row: the call, the documented error class (``TournamentConfigError`` for
a world tournament's declaration, ``ValueError`` for the negotiation
tournament's arguments) and fragments its message must hold (the parameter and
the bad value). Nothing runs: every row is refused before any world or
negotiation starts, and a results folder holding results is left as it was.
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
from palaver.tournaments import (
    TournamentConfig,
    TournamentConfigError,
    TournamentFolderError,
    load_config,
    load_results,
    run_tournament,
)
from palaver.tournaments.negotiation import cartesian_tournament, load_negotiation_results
from palaver.tournaments.negotiation.config import NegotiationConfigError, load_negotiation_config

nan = math.nan
TCE = TournamentConfigError
NCE = NegotiationConfigError
WORLD = "palaver.examples.trips:TripsWorld"
PEOPLE = ["palaver.examples.trips:RandomPerson", "palaver.examples.trips:SmartPerson"]


def _config(**changes: Any) -> Callable[[], object]:
    fields: dict[str, Any] = {"world": WORLD, "competitors": PEOPLE, "seed": 1}
    fields.update(changes)
    return lambda: TournamentConfig(**fields)


def _valid() -> TournamentConfig:
    return TournamentConfig(world=WORLD, competitors=PEOPLE, seed=1, world_params={"n_steps": 1})


def _validate(allowed_packages: Any = None, **changes: Any) -> Callable[[], object]:
    return lambda: _config(**changes)().validate(allowed_packages)  # type: ignore[attr-defined]


TOML_BASE = f"""
name = "t"
world = "{WORLD}"
seed = 1
[world_params]
n_steps = 2
"""
TOML_PEOPLE = "".join(f'[[competitors]]\ntype = "{p}"\n' for p in PEOPLE)


def _toml(top: str = "", tail: str = "", people: str = TOML_PEOPLE) -> Callable[[], object]:
    """A TOML config with ``top`` added before the tables (top-level keys) and
    ``tail`` after them."""

    def call() -> object:
        folder = Path(tempfile.mkdtemp(prefix="palaver-bad-toml-"))
        path = folder / "t.toml"
        path.write_text(top + "\n" + TOML_BASE + people + tail)
        return load_config(path)

    return call


def _raw_toml(text: str) -> Callable[[], object]:
    def call() -> object:
        path = Path(tempfile.mkdtemp(prefix="palaver-bad-toml-")) / "t.toml"
        path.write_bytes(text.encode("utf-8", "surrogateescape"))
        return load_config(path)

    return call


def _run(**kwargs: Any) -> Callable[[], object]:
    def call() -> object:
        out = Path(tempfile.mkdtemp(prefix="palaver-bad-run-")) / "out"
        kwargs.setdefault("executor", "serial")
        kwargs.setdefault("progress", False)
        return run_tournament(kwargs.pop("config", _valid()), out, **kwargs)

    return call


def _run_into(make: Callable[[Path], Path]) -> Callable[[], object]:
    def call() -> object:
        out = make(Path(tempfile.mkdtemp(prefix="palaver-bad-run-")))
        return run_tournament(_valid(), out, executor="serial", progress=False)

    return call


def _a_file(folder: Path) -> Path:
    path = folder / "results.txt"
    path.write_text("x")
    return path


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


def _load_folder(
    make: Callable[[Path], Path], loader: Callable[[Any], object]
) -> Callable[[], object]:
    return lambda: loader(make(Path(tempfile.mkdtemp(prefix="palaver-bad-load-"))))


def _fifo(folder: Path) -> Path:
    import os

    os.mkfifo(folder / "t.toml")
    return folder / "t.toml"


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


def _empty(folder: Path) -> Path:
    return folder


VE, TE = ValueError, TypeError
CASES: list[tuple[str, Callable[[], object], Any, tuple[str, ...]]] = [
    # TournamentConfig fields
    ("competitors str", _config(competitors="x"), TCE, ("competitors", "'x'")),
    ("competitors None", _config(competitors=None), TCE, ("competitors", "None")),
    ("competitors empty", _config(competitors=[]), TCE, ("no competitors",)),
    ("competitor int", _config(competitors=[3]), TCE, ("type", "3")),
    (
        "competitors duplicate",
        _config(competitors=[PEOPLE[0]] * 2),
        TCE,
        ("unique", "RandomPerson"),
    ),
    ("assignment unknown", _config(assignment="swiss"), TCE, ("assignment", "'swiss'")),
    ("assignment int", _config(assignment=1), TCE, ("assignment", "1")),
    ("lineup_size float", _config(lineup_size=1.5), TCE, ("lineup_size", "1.5")),
    ("lineup_size too big", _config(lineup_size=3), TCE, ("lineup_size", "3")),
    ("lineup_size zero", _config(lineup_size=0), TCE, ("lineup_size", "0")),
    ("n_lineups without random", _config(n_lineups=2), TCE, ("n_lineups", "random")),
    ("n_lineups random missing", _config(assignment="random"), TCE, ("n_lineups", "None")),
    ("n_lineups float", _config(assignment="random", n_lineups=2.5), TCE, ("n_lineups", "2.5")),
    (
        "agents_per_competitor float",
        _config(agents_per_competitor=1.5),
        TCE,
        ("agents_per_competitor", "1.5"),
    ),
    (
        "agents_per_competitor zero",
        _config(agents_per_competitor=0),
        TCE,
        ("agents_per_competitor", "0"),
    ),
    (
        "agents_per_competitor str",
        _config(agents_per_competitor="2"),
        TCE,
        ("agents_per_competitor", "'2'"),
    ),
    ("world_params list", _config(world_params=[1]), TCE, ("world_params", "[1]")),
    ("world_params seed", _config(world_params={"seed": 1}), TCE, ("seed",)),
    ("sweep str values", _config(sweep={"q": "28"}), TCE, ("sweep 'q'", "'28'")),
    ("sweep scalar", _config(sweep={"q": 2}), TCE, ("sweep 'q'", "2")),
    ("sweep empty", _config(sweep={"q": []}), TCE, ("sweep 'q'", "no values")),
    ("sweep list", _config(sweep=[1]), TCE, ("sweep", "[1]")),
    ("sweep and world_params", _config(world_params={"q": 1}, sweep={"q": [2]}), TCE, ("'q'",)),
    ("repetitions zero", _config(repetitions=0), TCE, ("repetitions", "0")),
    ("repetitions float", _config(repetitions=2.0), TCE, ("repetitions", "2.0")),
    ("repetitions bool", _config(repetitions=True), TCE, ("repetitions", "True")),
    ("seed float", _config(seed=1.5), TCE, ("seed", "1.5")),
    ("seed str", _config(seed="1"), TCE, ("seed", "'1'")),
    ("seed negative", _config(seed=-1), TCE, ("seed", "-1")),
    ("time_budget zero", _config(time_budget=0), TCE, ("time_budget", "0")),
    ("time_budget nan", _config(time_budget=nan), TCE, ("time_budget", "nan")),
    ("time_budget inf", _config(time_budget=math.inf), TCE, ("time_budget", "inf")),
    ("time_budget str", _config(time_budget="10"), TCE, ("time_budget", "'10'")),
    ("max_retries negative", _config(max_retries=-1), TCE, ("max_retries", "-1")),
    ("max_retries float", _config(max_retries=0.5), TCE, ("max_retries", "0.5")),
    ("name empty", _config(name=""), TCE, ("name", "''")),
    ("name int", _config(name=3), TCE, ("name", "3")),
    ("score int", _config(score=3), TCE, ("score", "3")),
    # validate(): names of the wrong kind
    (
        "world not a world",
        _validate(world="palaver.outcomes:make_issue"),
        TCE,
        ("world", "make_issue"),
    ),
    ("world missing", _validate(world="palaver.nope:World"), TCE, ("palaver.nope",)),
    (
        "competitor not an agent",
        _validate(competitors=["palaver.outcomes:make_issue"]),
        TCE,
        ("make_issue",),
    ),
    (
        "score not a function",
        _validate(score="palaver.tournaments:TournamentConfig"),
        TCE,
        ("score",),
    ),
    ("world_params unknown", _validate(world_params={"colour": 1}), TCE, ("colour",)),
    (
        "allowed_packages refuses",
        _validate(competitors=["otherpkg.agents:Agent"], allowed_packages=["mypkg"]),
        TCE,
        ("otherpkg", "mypkg"),
    ),
    (
        "allowed_packages str",
        lambda: _valid().validate(allowed_packages="mypkg"),
        TCE,
        ("allowed_packages", "'mypkg'"),
    ),
    # TOML fields
    ("toml sweep str", _toml(tail='[sweep]\nq = "28"\n'), TCE, ("t.toml", "sweep 'q'", "'28'")),
    (
        "toml agents_per_competitor 1.5",
        _toml("agents_per_competitor = 1.5"),
        TCE,
        ("t.toml", "agents_per_competitor", "1.5"),
    ),
    ("toml repetitions str", _toml('repetitions = "3"'), TCE, ("t.toml", "repetitions", "'3'")),
    ("toml unknown field", _toml("colour = 1"), TCE, ("t.toml", "colour")),
    (
        "toml competitors table",
        _toml(people="[competitors]\ntype = 'x'\n"),
        TCE,
        ("t.toml", "competitor"),
    ),
    (
        "toml competitor unknown key",
        _toml(people=TOML_PEOPLE + "colour = 1\n"),
        TCE,
        ("t.toml", "colour"),
    ),
    (
        "toml competitor no type",
        _toml(people="[[competitors]]\nname = 'x'\n"),
        TCE,
        ("t.toml", "'type'"),
    ),
    ("toml competitor int", _toml("competitors = [3]", people=""), TCE, ("t.toml", "3")),
    ("toml join str", _toml(people=TOML_PEOPLE + "join = 'x'\n"), TCE, ("t.toml", "join", "'x'")),
    (
        "toml params list",
        _toml(people=TOML_PEOPLE + "params = [1]\n"),
        TCE,
        ("t.toml", "params", "[1]"),
    ),
    ("toml syntax", _raw_toml("name = \n"), TCE, ("t.toml",)),
    ("toml not utf-8", _raw_toml("name = '\udcff'\n"), TCE, ("t.toml", "UTF-8")),
    ("toml missing world", _raw_toml("name = 't'\n"), TCE, ("t.toml", "'world'")),
    (
        "toml missing file",
        lambda: load_config("/nonexistent/t.toml"),
        TCE,
        ("/nonexistent/t.toml",),
    ),
    ("toml a fifo", _load_folder(_fifo, load_config), TCE, ("t.toml", "FIFO")),
    ("toml a folder", lambda: load_config(tempfile.mkdtemp()), TCE, ("is a folder",)),
    # run_tournament parameters
    ("run executor unknown", _run(executor="cluster"), (TCE, VE), ("executor", "'cluster'")),
    ("run executor int", _run(executor=3), (TCE, VE, TE), ("executor", "3")),
    ("run workers zero", _run(executor="process", workers=0), (TCE, VE), ("workers", "0")),
    ("run workers float", _run(executor="process", workers=1.5), (TCE, VE, TE), ("workers", "1.5")),
    ("run config int", _run(config=3), (TCE, TE), ("config", "3")),
    ("run config missing toml", _run(config="/nonexistent/t.toml"), TCE, ("/nonexistent/t.toml",)),
    ("run out a file", _run_into(_a_file), (TournamentFolderError, TCE), ("results.txt",)),
    ("run overwrite str", _run(overwrite="yes"), (TCE, TE), ("overwrite", "'yes'")),
    ("run record str", _run(record="yes"), (TCE, TE), ("record", "'yes'")),
    ("run retry_failed int", _run(retry_failed=2), (TCE, TE), ("retry_failed", "2")),
    # load_results
    (
        "load_results empty folder",
        _load_folder(_empty, load_results),
        TournamentFolderError,
        ("palaver-bad-load",),
    ),
    (
        "load_results missing",
        lambda: load_results("/nonexistent/out"),
        TournamentFolderError,
        ("/nonexistent/out",),
    ),
    (
        "load_results a file",
        _load_folder(_a_file, load_results),
        TournamentFolderError,
        ("results.txt",),
    ),
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
CASES = [c for c in CASES if c[2] is not None]

XFAIL: dict[str, str] = {}


@pytest.mark.parametrize(("name", "call", "error", "fragments", "known"), row_params(CASES, XFAIL))
def test_bad_tournament_input_is_refused(
    name: str, call: Callable[[], object], error: Any, fragments: tuple[str, ...], known: bool
) -> None:
    refused("tournaments", name, call, error, fragments, known)
