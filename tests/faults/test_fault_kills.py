"""SIGKILL at chosen and at random moments of a recording run, inside close() too.

Bar: the recording opens strictly; it holds every event of every step that
had ended before the kill, and every event it holds is the one recorded; the
only loss reported, if any, is a torn log tail after them (``missing`` to an
unknown end, and the same in ``verify``); SQL, statistics and ``verify`` work;
no temporary file survives the next open; nothing hangs.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest
from fault_helpers import FIGURES, LARGE, check_reader, record, reference

import palaver.recording as recording
from palaver.recording import RecordingWarning
from palaver.recording.verify import verify

CHILD = Path(__file__).with_name("kill_child.py")
SRC = Path(__file__).resolve().parents[2] / "src"
STEPS = 12

POINTS = [
    "event:5",
    "event:150",
    "event:371",
    *(f"call:replace:{k}:{w}" for k in (1, 2, 3, 6) for w in ("before", "after")),
    "call:fsync:1:before",
    "call:fsync:2:after",
    "call:unlink:1:before",
    "call:unlink:1:after",
    "call:write_part:2:before",
    *(f"incall:replace:{k}:{w}" for k in (1, 2, 3, 4) for w in ("before", "after")),
    *(f"incall:fsync:{k}:before" for k in (1, 2, 3, 4)),
    "incall:write_stats:1:before",
    "incall:write_stats:1:after",
    "incall:write_manifest:1:before",
    "incall:write_manifest:2:before",
    "incall:write_manifest:2:after",
]


# Inside close(), with the parts merged two by two after the final manifest:
# the last part, the stats and the final manifest take 4 renames, 4 fsyncs
# and 1 deletion; each merge then 3 renames, 4 fsyncs and 4 deletions.
MERGE_POINTS = [
    *(f"incall:replace:{k}:{w}" for k in (5, 6, 7, 8, 10) for w in ("before", "after")),
    *(f"incall:fsync:{k}:before" for k in (5, 6, 7, 8, 9, 12)),
    *(f"incall:unlink:{k}:{w}" for k in (2, 3, 5, 6, 9) for w in ("before", "after")),
]


def _run(
    out: Path, steps: int, point: str, delay: float | None = None, merge: bool = False
) -> tuple[int, str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(out), str(steps), point, *(["merge"] if merge else [])],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    if delay is not None:
        assert child.stdout is not None
        child.stdout.readline()  # READY: imports done, recording starts
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
    try:
        stdout, _ = child.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        child.kill()
        return -999, "hung"
    return child.returncode, ("READY\n" if delay is not None else "") + stdout


def _judge(
    category: str, out: Path, code: int, stdout: str, ref: dict[str, tuple[object, ...]]
) -> None:
    point = out.name
    if code == -999:
        FIGURES.case(category, False, f"{point}: the child hung")
        return
    flushed = 0
    for line in stdout.splitlines():
        if line.startswith("STEP "):
            flushed = int(line.split()[2])
    outcome = "killed" if code == -signal.SIGKILL else f"exit {code}"
    folders = list(out.glob("simulation_*"))
    if not folders:
        FIGURES.case(category, flushed == 0, f"{point}: no recording folder", outcome)
        return
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RecordingWarning)
            with recording.open(folders[0]) as reader:
                problem = check_reader(reader, ref, prefix=True)
                if problem is None and len(reader) < flushed:
                    problem = f"{len(reader)} events read, {flushed} were flushed before the kill"
                if problem is None and any(out.rglob("*palaver-tmp*")):
                    problem = "a temporary file survived the next open"
                outcome += f", {reader.status}"
                missing = reader.missing
            report = verify(folders[0])
            # A torn log tail is reported by verify too (events were lost).
            if problem is None and (report.problems or report.missing != missing):
                problem = f"verify: {report.problems} {report.missing}"
    except Exception as exc:
        problem = f"{type(exc).__name__}: {exc}"
    FIGURES.case(category, problem is None, f"{point}: {problem}", outcome)


@pytest.fixture(scope="module")
def full_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[object, ...]]:
    return reference(record(tmp_path_factory.mktemp("reference"), n_steps=STEPS))


def test_sigkill_at_chosen_points(full_run: dict[str, tuple[object, ...]], tmp_path: Path) -> None:
    points = POINTS if LARGE else random.Random(15).sample(POINTS, 8)
    for point in points:
        out = tmp_path / point.replace(":", "_")
        code, stdout = _run(out, STEPS, point)
        _judge("SIGKILL at a chosen point", out, code, stdout, full_run)
    failures = [f for f in FIGURES.failures if f.startswith("[SIGKILL")]
    assert not failures, "\n".join(failures[:10])


def test_sigkill_while_merging_parts(
    full_run: dict[str, tuple[object, ...]], tmp_path: Path
) -> None:
    """A kill while close() merges parts loses nothing: the recording reads
    whole, either with the old parts or with the merged ones."""
    points = MERGE_POINTS if LARGE else random.Random(16).sample(MERGE_POINTS, 8)
    for point in points:
        out = tmp_path / point.replace(":", "_")
        code, stdout = _run(out, STEPS, point, merge=True)
        _judge("SIGKILL while merging parts", out, code, stdout, full_run)
        folders = list(out.glob("simulation_*"))
        if "CLOSING" in stdout and folders:
            # Once the final manifest is written, every event is there.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RecordingWarning)
                with recording.open(folders[0]) as reader:
                    n, status = len(reader), reader.status
            FIGURES.case(
                "SIGKILL while merging parts",
                status != "completed" or n == len(full_run),
                f"{point}: {n} of {len(full_run)} events, status {status}",
            )
    failures = [f for f in FIGURES.failures if f.startswith("[SIGKILL while merging")]
    assert not failures, "\n".join(failures[:10])


def test_sigkill_at_random_moments(tmp_path: Path) -> None:
    steps = 300
    ref = reference(record(tmp_path / "reference", n_steps=steps))
    rng = random.Random(1515)
    for case in range(20 if LARGE else 2):
        out = tmp_path / f"random_{case}"
        code, stdout = _run(out, steps, "none", delay=rng.uniform(0.0, 1.5))
        _judge("SIGKILL at a random moment", out, code, stdout, ref)
    failures = [f for f in FIGURES.failures if f.startswith("[SIGKILL at a random")]
    assert not failures, "\n".join(failures[:10])
