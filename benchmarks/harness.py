"""Running side scripts as subprocesses and collecting their result lines.

A :class:`Job` is one run of one side script in one environment. Jobs run one
at a time, in the order a workload lists them (the workloads interleave the
sides). A job that fails, or whose framework piece is missing, yields a result
with an ``error`` key instead of raising, so the harness goes on.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common import RESULT_PREFIX
from peers import peer_python

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PALAVER_PYTHON = ROOT / ".venv" / "bin" / "python"
RESULTS_DIR = HERE / "results"
PEER_CACHE = RESULTS_DIR / "peer_cache.json"

PEER = "peer"
PALAVER = "palaver"


@dataclass(frozen=True)
class Job:
    """One side script run: which side, which script, which arguments, and a label."""

    label: str
    side: str
    script: str
    args: tuple[str, ...] = ()
    timeout_s: float = 4 * 3600

    @property
    def key(self) -> str:
        """Identifies the work (not the run): script and arguments."""
        return " ".join((self.script, *self.args))

    def command(self) -> list[str]:
        """The command line in the side's own interpreter."""
        python = peer_python() if self.side == PEER else PALAVER_PYTHON
        return [str(python), str(HERE / self.script), *self.args]


@dataclass
class Runner:
    """Runs jobs, prints progress, keeps every result, and caches peer results.

    With ``reuse_peers`` a peer job whose key is in the cache is not run again;
    its cached result is used (and marked ``cached``).
    """

    reuse_peers: bool = False
    results: list[dict[str, Any]] = field(default_factory=list)

    def run(self, job: Job) -> dict[str, Any]:
        """Run one job (or take it from the peer cache) and return its result."""
        cache = _load_cache()
        if job.side == PEER and self.reuse_peers and job.key in cache:
            result = {**cache[job.key], "cached": True}
            print(f"  {job.label}: cached peer result from {result.get('date', '?')}", flush=True)
        else:
            print(f"  {job.label} ...", end="", flush=True)
            result = _execute(job)
            status = result["error"] if "error" in result else f"{result['process_s']:.1f} s"
            print(f" {status}", flush=True)
            if job.side == PEER and "error" not in result:
                cache[job.key] = {**result, "date": time.strftime("%Y-%m-%d %H:%M:%S")}
                _save_cache(cache)
        result = {**result, "label": job.label, "job_side": job.side, "key": job.key}
        self.results.append(result)
        return result

    def run_all(self, jobs: Iterable[Job]) -> list[dict[str, Any]]:
        """Run jobs in order and return their results in the same order."""
        return [self.run(job) for job in jobs]


def _environment(job: Job) -> dict[str, str]:
    """The child's environment: Palaver's side imports this checkout's ``src``
    whatever ``.venv``'s editable install points at (a venv shared by several
    checkouts once measured another checkout's code); a peer's never sees it."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if job.side != PEER:
        env["PYTHONPATH"] = str(ROOT / "src")
    return env


def _execute(job: Job) -> dict[str, Any]:
    cmd = job.command()
    if not Path(cmd[0]).exists():
        return {"error": f"interpreter {cmd[0]} is missing"}
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(
            cmd,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=job.timeout_s,
            check=False,
            env=_environment(job),
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {job.timeout_s:.0f} s"}
    elapsed = time.perf_counter() - t0
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_PREFIX):
            result = json.loads(line[len(RESULT_PREFIX) :])
            result["process_s"] = elapsed
            return result
    tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
    return {"error": f"no result line (exit {proc.returncode})", "traceback": tail}


def _load_cache() -> dict[str, Any]:
    try:
        return json.loads(PEER_CACHE.read_text())
    except (OSError, ValueError):
        return {}


def _save_cache(cache: dict[str, Any]) -> None:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    PEER_CACHE.write_text(json.dumps(cache, indent=1, sort_keys=True))
