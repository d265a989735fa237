"""Bit flips, truncations and deletions in every file a world checkpoint holds
(the checkpoint and its ``.json`` sidecar), and checkpoints that are not files.

Bar: loading a damaged checkpoint raises ``CheckpointError`` naming the file,
or gives a world whose resumed run equals the uninterrupted run; reading a
damaged sidecar (``checkpoint_info``) raises an error naming it, or gives what
was written. Never a raw interpreter or dependency error, never a hang.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
from fault_helpers import FIGURES
from test_fault_tournaments import DAMAGES

from palaver.examples import build_trips
from palaver.examples.trips import TripsWorld
from palaver.world import CheckpointError

STEPS = 6


def summary(world: Any) -> dict[str, Any]:
    """What a run produced (contracts, breaches, stats, scores, steps)."""
    contracts = [
        [c.id, list(c.partners), c.agreement, c.signed_at, c.executed_at]
        for c in world.saved_contracts
    ]
    breaches = [[b.id, b.perpetrator, b.contract.id, b.victims] for b in world.saved_breaches]
    data = {
        "contracts": contracts,
        "breaches": breaches,
        "stats": world.stats,
        "scores": world.scores(),
        "step": world.current_step,
    }
    return json.loads(json.dumps(data, default=str))


@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], dict]:
    folder = tmp_path_factory.mktemp("checkpoints") / "ckpt"
    world = build_trips(
        4,
        STEPS,
        seed=3,
        checkpoint_every=2,
        checkpoint_folder=folder,
        single_checkpoint=False,
        extra_checkpoint_info={"who": "faults"},
    )
    world.run()
    infos = {p.name: TripsWorld.checkpoint_info(p) for p in folder.glob("*.ckpt")}
    return folder, summary(world), infos


def _resumed(path: Path) -> dict[str, Any]:
    world = TripsWorld.from_checkpoint(path)
    world.run()
    return summary(world)


def _judge(relative: str, folder: Path, full: dict[str, Any], infos: dict) -> str | None:
    target = folder / relative
    if relative.endswith(".json"):
        ckpt = target.with_name(target.name[: -len(".json")])
        try:
            info = TripsWorld.checkpoint_info(ckpt)
        except (ValueError, FileNotFoundError) as exc:
            return None if target.name in str(exc) else f"info: error does not name it: {exc}"
        except Exception as exc:
            return f"info: raw {type(exc).__name__}: {exc}"
        if info != infos[ckpt.name]:
            return "info: a damaged sidecar read as different information"
        return None
    try:
        resumed = _resumed(target)
    except (CheckpointError, FileNotFoundError) as exc:
        return None if target.name in str(exc) else f"load: error does not name it: {exc}"
    except Exception as exc:
        return f"load: raw {type(exc).__name__}: {exc}"
    return None if resumed == full else "load: a damaged checkpoint resumed differently"


@pytest.mark.parametrize(
    ("damage", "kind"),
    [(d, k) for d in DAMAGES for k in ("checkpoint", "sidecar")],
)
def test_damage_in_every_file_of_a_checkpoint(
    damage: str, kind: str, checkpoints: tuple[Path, dict[str, Any], dict], tmp_path: Path
) -> None:
    folder, full, infos = checkpoints
    mutate, n = DAMAGES[damage]
    category = f"checkpoint {'file' if kind == 'checkpoint' else kind}: {damage}"
    rng = random.Random(category)
    files = sorted(folder.glob("*.json" if kind == "sidecar" else "*.ckpt"))
    for k, path in enumerate(files):
        for i in range(n):
            copy = tmp_path / f"{k}_{i}"
            shutil.copytree(folder, copy)
            data = mutate(path.read_bytes(), rng)
            if data is None:
                (copy / path.name).unlink()
            else:
                (copy / path.name).write_bytes(data)
            problem = _judge(path.name, copy, full, infos)
            FIGURES.case(category, problem is None, f"{path.name}: {problem}")
    failures = [f for f in FIGURES.failures if f.startswith(f"[{category}]")]
    assert not failures, "\n".join(failures[:10])


def test_an_intact_checkpoint_resumes_exactly(checkpoints: tuple[Path, Any, Any]) -> None:
    folder, full, _ = checkpoints
    for path in sorted(folder.glob("*.ckpt")):
        assert _resumed(path) == full, path.name


def _within(seconds: float, call: Any, unblock: Any) -> tuple[bool, BaseException | None]:
    """Run ``call`` in a thread; ``(finished, exception)``. A call still blocked
    after ``seconds`` is released with ``unblock`` (so the thread ends)."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            call()
            outcome.append(None)
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        unblock()
        thread.join(10)
        return False, None
    return True, outcome[0]


def _release(fifo: Path) -> None:
    """Open the FIFO for writing and close it: a reader blocked on it gets EOF."""
    fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    os.close(fd)


def test_a_fifo_checkpoint_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "world.ckpt"
    os.mkfifo(fifo)
    finished, exc = _within(3.0, lambda: TripsWorld.from_checkpoint(fifo), lambda: _release(fifo))
    ok = finished and isinstance(exc, CheckpointError) and "world.ckpt" in str(exc)
    FIGURES.case("checkpoint: not a file", ok, f"FIFO: finished={finished} {exc!r}")
    assert ok


@pytest.mark.parametrize("kind", ["folder", "missing"])
def test_a_checkpoint_that_is_not_a_file_is_refused(kind: str, tmp_path: Path) -> None:
    path = tmp_path / "world.ckpt"
    if kind == "folder":
        path.mkdir()
    try:
        TripsWorld.from_checkpoint(path)
        problem: str | None = "accepted"
    except (CheckpointError, OSError) as exc:
        problem = None if "world.ckpt" in str(exc) else f"error does not name it: {exc}"
    except Exception as exc:
        problem = f"raw {type(exc).__name__}: {exc}"
    FIGURES.case("checkpoint: not a file", problem is None, f"{kind}: {problem}")
    assert problem is None, problem
