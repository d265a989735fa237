"""Bit flips, truncations and deletions in every file of a world tournament's
results folder and of a negotiation tournament's folder.

Bar, for each damaged copy:

- reading it (``load_results`` / ``load_negotiation_results``) raises the
  documented error naming the damaged file, or gives only rows equal to the
  undamaged run's, and a world tournament lists every world whose results it
  cannot vouch for in ``problems()`` (counted as missing);
- resuming it (the same call on the same folder) raises the documented error
  naming the damaged file, or completes with results equal to the
  undamaged run's.

Never a raw dependency error, never a silent wrong result.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fault_helpers import FIGURES, SCALE

from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences import LinearAdditiveUtilityFunction
from palaver.scenarios import Scenario
from palaver.tournaments import (
    TournamentConfig,
    TournamentFolderError,
    TournamentWarning,
    load_results,
    run_tournament,
)
from palaver.tournaments.negotiation import cartesian_tournament, load_negotiation_results
from palaver.tournaments.negotiation.results import TournamentResultsError

Within = Callable[[float, Callable[[], Any]], "BaseException | None"]
"""The ``within`` fixture (tests/conftest.py)."""

Mutate = Callable[[bytes, random.Random], bytes | None]


def flip(data: bytes, rng: random.Random) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 3))):
        buf[rng.randrange(len(buf))] ^= 1 << rng.randrange(8)
    return bytes(buf)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.choice((0, rng.randrange(max(len(data), 1)), max(len(data) - 1, 0)))]


def delete(data: bytes, rng: random.Random) -> None:
    return None


DAMAGES: dict[str, tuple[Mutate, int]] = {
    "bit flip": (flip, 3 * SCALE),
    "truncation": (truncate, 2 * SCALE),
    "deletion": (delete, 1),
}


def damaged_copies(
    folder: Path, into: Path, mutate: Mutate, n: int, seed: str
) -> list[tuple[str, Path]]:
    """``n`` damaged copies of ``folder`` per file (the file's relative name, the copy)."""
    rng = random.Random(seed)
    out = []
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != ".lock")
    for k, path in enumerate(files):
        relative = path.relative_to(folder)
        for i in range(n):
            target = into / f"{k}_{i}"
            shutil.copytree(folder, target)
            data = mutate((target / relative).read_bytes(), rng)
            if data is None:
                (target / relative).unlink()
            else:
                (target / relative).write_bytes(data)
            out.append((str(relative), target))
    return out


def names(exc: BaseException, relative: str) -> bool:
    """Whether an error message names the damaged file (or, for a part, its world)."""
    text = str(exc)
    return Path(relative).name in text or Path(relative).stem in text


# -- world tournaments ---------------------------------------------------------------

CONFIG = TournamentConfig(
    world="palaver.examples.trips:TripsWorld",
    competitors=["palaver.examples.trips:RandomPerson", "palaver.examples.trips:SmartPerson"],
    world_params={"n_steps": 2},
    repetitions=3,
    seed=15,
    name="faults",
)


def _scores(results: Any) -> list[tuple[Any, ...]]:
    table = results.table("scores").sort_by([("world_id", "ascending"), ("agent_id", "ascending")])
    data = table.select(["world_id", "competitor", "agent_id", "score"]).to_pydict()
    return list(zip(*data.values(), strict=True))


def _worlds(results: Any) -> list[tuple[Any, ...]]:
    data = results.table("worlds").select(["world_id", "seed", "status", "lineup"]).to_pydict()
    data["lineup"] = [tuple(x) if x is not None else None for x in data["lineup"]]
    return sorted(zip(*data.values(), strict=True), key=repr)


@pytest.fixture(scope="module")
def world_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    out = tmp_path_factory.mktemp("tournament") / "out"
    results = run_tournament(CONFIG, out, executor="serial", progress=False)
    assert results.counts()["done"] == 3
    return out, (_scores(results), _worlds(results))


def _judge_world_folder(relative: str, folder: Path, ref: Any) -> str | None:
    ref_scores, ref_worlds = ref
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TournamentWarning)
        try:
            results = load_results(folder)
            scores, worlds = _scores(results), _worlds(results)
            problems = results.problems()
            counts = results.counts()
            if not set(scores) <= set(ref_scores):
                return f"load: scores differ: {sorted(set(scores) - set(ref_scores))[:2]}"
            if not set(worlds) <= set(ref_worlds):
                return f"load: worlds differ: {sorted(set(worlds) - set(ref_worlds))[:2]}"
            if set(scores) != set(ref_scores) and not problems and counts["missing"] == 0:
                return "load: scores lost without a problem reported"
        except TournamentFolderError as exc:
            if not names(exc, relative) and "manifest" not in relative:
                return f"load: error does not name {relative}: {exc}"
        except Exception as exc:
            return f"load: raw {type(exc).__name__}: {exc}"
        try:
            results = run_tournament(CONFIG, folder, executor="serial", progress=False)
        except TournamentFolderError as exc:
            return (
                None if names(exc, relative) else f"resume: error does not name {relative}: {exc}"
            )
        except Exception as exc:
            return f"resume: raw {type(exc).__name__}: {exc}"
        if _scores(results) != ref_scores or _worlds(results) != ref_worlds:
            return "resume: results differ from the undamaged run's"
        if results.problems():
            return f"resume: problems left {results.problems()}"
    return None


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_damage_in_every_file_of_a_tournament_folder(
    damage: str, world_folder: tuple[Path, Any], tmp_path: Path
) -> None:
    folder, ref = world_folder
    mutate, n = DAMAGES[damage]
    category = f"tournament folder: {damage}"
    for relative, copy in damaged_copies(folder, tmp_path, mutate, n, category):
        problem = _judge_world_folder(relative, copy, ref)
        FIGURES.case(category, problem is None, f"{relative}: {problem}")
    failures = [f for f in FIGURES.failures if f.startswith(f"[{category}]")]
    assert not failures, "\n".join(failures[:10])


# -- negotiation tournaments -----------------------------------------------------------


def _scenario(i: int) -> Scenario:
    rng = np.random.default_rng(100 + i)
    space = OutcomeSpace([make_issue(5, "a"), make_issue(5, "b")])
    ufuns = [
        LinearAdditiveUtilityFunction(
            [dict(enumerate(rng.random(5).tolist())) for _ in range(2)],
            [0.5, 0.5],
            reserved_value=0.1,
            outcome_space=space,
        )
        for _ in range(2)
    ]
    return Scenario(space, ufuns, name=f"s{i}")


ARGS: dict[str, Any] = {
    "competitors": ["boulware", "conceder"],
    "scenarios": [_scenario(0), _scenario(1)],
    "n_steps": 20,
    "seed": 15,
    "detail": "offers",
}


def _tables(results: Any) -> dict[str, list[tuple[Any, ...]]]:
    out = {}
    drop = {"cpu_time", "wall_time", "time", "finished_at", "started_at"}
    for name in ("negotiations", "parties", "offers"):
        try:
            table = results.table(name)
        except KeyError:  # documented: no batch of the folder holds that table
            out[name] = []
            continue
        keep = [c for c in table.column_names if c not in drop and "time" not in c]
        data = table.select(keep).to_pydict()
        out[name] = sorted(zip(*data.values(), strict=True), key=repr)
    return out


@pytest.fixture(scope="module")
def negotiation_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    out = tmp_path_factory.mktemp("negotiations") / "out"
    results = cartesian_tournament(**ARGS, path=out)
    return out, _tables(results)


def _judge_negotiation_folder(relative: str, folder: Path, ref: Any) -> str | None:
    try:
        tables = _tables(load_negotiation_results(str(folder)))
        for name, rows in tables.items():
            if not set(rows) <= set(ref[name]):
                return f"load: {name} rows differ from the run's"
    except ValueError as exc:
        if not names(exc, relative):
            return f"load: error does not name {relative}: {exc}"
    except Exception as exc:
        return f"load: raw {type(exc).__name__}: {exc}"
    try:
        tables = _tables(cartesian_tournament(**ARGS, path=folder))
    except ValueError as exc:
        return None if names(exc, relative) else f"resume: error does not name {relative}: {exc}"
    except Exception as exc:
        return f"resume: raw {type(exc).__name__}: {exc}"
    for name, rows in tables.items():
        if rows != ref[name]:
            return f"resume: {name} differ from the undamaged run's ({len(rows)} rows)"
    return None


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_damage_in_every_file_of_a_negotiation_tournament_folder(
    damage: str, negotiation_folder: tuple[Path, Any], tmp_path: Path
) -> None:
    folder, ref = negotiation_folder
    mutate, n = DAMAGES[damage]
    category = f"negotiation folder: {damage}"
    for relative, copy in damaged_copies(folder, tmp_path, mutate, n, category):
        problem = _judge_negotiation_folder(relative, copy, ref)
        FIGURES.case(category, problem is None, f"{relative}: {problem}")
    failures = [f for f in FIGURES.failures if f.startswith(f"[{category}]")]
    assert not failures, "\n".join(failures[:10])


def test_check_folder_names_what_a_resume_would_run_again(
    world_folder: tuple[Path, Any], negotiation_folder: tuple[Path, Any], tmp_path: Path
) -> None:
    from palaver.tournaments.verify import check_folder

    for folder, part in (
        (world_folder[0], "scores/w000001.parquet"),
        (negotiation_folder[0], "offers/b000001.parquet"),
    ):
        copy = tmp_path / folder.parent.name
        shutil.copytree(folder, copy)
        assert check_folder(copy) == {}
        data = bytearray((copy / part).read_bytes())
        data[len(data) // 2] ^= 0x10
        (copy / part).write_bytes(bytes(data))
        problems = check_folder(copy)
        assert len(problems) == 1 and part in " ".join([*problems, *problems.values()])
    assert (
        "not a tournament folder" in check_folder(tmp_path / "nothing")[str(tmp_path / "nothing")]
    )


def _fifo_copy(folder: Path, relative: str, into: Path) -> Path:
    """A copy of ``folder`` with a FIFO in place of its file ``relative``."""
    # Named by a number: a message naming only the folder must not pass for naming the file.
    copy = into / f"copy{len(list(into.glob('copy*')))}" if into.exists() else into / "copy0"
    shutil.copytree(folder, copy)
    (copy / relative).unlink()
    os.mkfifo(copy / relative)
    return copy


FIFOS = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


@FIFOS
def test_a_fifo_in_place_of_a_negotiation_manifest_is_named_not_waited_on(
    negotiation_folder: tuple[Path, Any], tmp_path: Path, within: Within
) -> None:
    # Reading it blocked for ever.
    from palaver.tournaments.verify import check_folder

    copy = _fifo_copy(negotiation_folder[0], "manifest.jsonl", tmp_path)
    error = within(20, lambda: load_negotiation_results(copy))
    assert isinstance(error, TournamentResultsError) and "manifest.jsonl' is a FIFO" in str(error)
    assert "is a FIFO" in check_folder(copy)["manifest.jsonl"]


@FIFOS
def test_a_fifo_in_place_of_the_lock_file_is_named(
    world_folder: tuple[Path, Any], tmp_path: Path, within: Within
) -> None:
    # It failed with a bare "OSError: [Errno 22] Invalid argument".
    copy = _fifo_copy(world_folder[0], ".lock", tmp_path)
    error = within(20, lambda: run_tournament(CONFIG, copy, executor="serial", progress=False))
    assert isinstance(error, TournamentFolderError), error
    assert ".lock: the folder's lock file is a FIFO" in str(error)


@FIFOS
def test_the_command_line_names_a_fifo_in_place_of_a_tournament_file(
    world_folder: tuple[Path, Any], negotiation_folder: tuple[Path, Any], tmp_path: Path
) -> None:
    # verify and tournament show blocked for ever; report said the folder held
    # no recording.
    cli = [sys.executable, "-m", "palaver.cli.app"]
    report = ["-o", str(tmp_path / "r.html")]
    for folder, relative, command, tail in [
        (negotiation_folder[0], "tournament.json", ["verify"], []),
        (negotiation_folder[0], "tournament.json", ["tournament", "show"], []),
        (negotiation_folder[0], "tournament.json", ["report"], report),
        (negotiation_folder[0], "manifest.jsonl", ["tournament", "show"], []),
        (world_folder[0], "manifest.json", ["report"], report),
    ]:
        copy = _fifo_copy(folder, relative, tmp_path / command[0])
        done = subprocess.run(
            [*cli, *command, str(copy), *tail], capture_output=True, text=True, timeout=60
        )
        said = done.stdout + done.stderr
        assert done.returncode != 0 and relative in said, (command, relative, said[-300:])
        shutil.rmtree(copy)


def test_a_results_part_that_is_not_a_name_is_named(world_folder: tuple[Path, Any]) -> None:
    # It was "unhashable type: 'list'".
    with pytest.raises(ValueError, match=r"part must be one of .* got \['scores'\]"):
        load_results(world_folder[0]).table(["scores"])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("content", "damage"),
    [
        ("{}", "its checksum is missing"),
        # A bit flip in the kind ('n' -> 'N') is caught by the checksum, once read.
        ('{"kind": "Negotiation"}', "its checksum is missing"),
    ],
)
def test_the_command_line_names_a_tournament_json_that_lost_its_kind(
    negotiation_folder: tuple[Path, Any], tmp_path: Path, content: str, damage: str
) -> None:
    # A tournament.json that is a JSON object without "kind": "negotiation" made
    # the folder count as no tournament at all: verify said "not a Palaver
    # recording (no events/ folder)", tournament show "manifest.json is missing",
    # inspect and report "holds no Palaver recording", none naming the file.
    copy = tmp_path / "copy"
    shutil.copytree(negotiation_folder[0], copy)
    (copy / "tournament.json").write_text(content)
    cli = [sys.executable, "-m", "palaver.cli.app"]
    for command in (
        ["verify", str(copy)],
        ["tournament", "show", str(copy)],
        ["report", str(copy), "-o", str(tmp_path / "r.html")],
    ):
        done = subprocess.run([*cli, *command], capture_output=True, text=True, timeout=60)
        said = done.stdout + done.stderr
        assert done.returncode != 0, (command, said[-300:])
        assert f"tournament.json is damaged ({damage})" in said, (command, said[-300:])
    done = subprocess.run([*cli, "inspect", str(copy)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "is a negotiation tournament's folder; use: palaver tournament show" in done.stderr
    assert not (tmp_path / "r.html").exists()
