"""Bad inputs to world tournaments: every field of ``TournamentConfig`` and of a
TOML config, every parameter of ``run_tournament`` and ``load_results`` (the
negotiation tournaments' are in ``test_bad_inputs_negotiation.py``).

Each row: the call, the documented error class (``TournamentConfigError``, or
``TournamentFolderError`` for a results folder) and fragments its message must
hold (the parameter and the bad value). Nothing runs: every row is refused before any world or
negotiation starts, and a results folder holding results is left as it was.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fault_helpers import refused, row_params

from palaver.tournaments import (
    TournamentConfig,
    TournamentConfigError,
    TournamentFolderError,
    load_config,
    load_results,
    run_tournament,
)

nan = math.nan
TCE = TournamentConfigError
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
    ("repetitions huge", _config(repetitions=10**11), TCE, ("repetitions", "1,000,000")),
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
]

XFAIL: dict[str, str] = {}


@pytest.mark.parametrize(("name", "call", "error", "fragments", "known"), row_params(CASES, XFAIL))
def test_bad_tournament_input_is_refused(
    name: str, call: Callable[[], object], error: Any, fragments: tuple[str, ...], known: bool
) -> None:
    refused("tournaments", name, call, error, fragments, known)
