"""Child process of the SIGKILL cases: records a Ticker run and kills itself
with SIGKILL at the point named on its command line.

``python kill_child.py OUT STEPS POINT [merge]`` where POINT is ``none``,
``event:N`` (before the Nth event), or ``[in]call:TARGET:K:WHEN`` (before or
after the Kth call of TARGET: ``replace``, ``fsync``, ``unlink``,
``write_part``, ``write_stats``, ``write_manifest``; with ``incall``, only
calls made inside ``close()`` count). It prints ``STEP k count`` after each
step (those events are flushed), ``CLOSING`` and ``DONE``. With ``merge``,
``close()`` merges the parts two by two (see recording/compaction.py), so that
its calls can be killed too.
"""

from __future__ import annotations

import os
import pathlib
import signal
import sys
from typing import Any

sys.path.insert(0, str(pathlib.Path(__file__).parent))

from fault_helpers import WINDOW, Ticker

import palaver.recording.compaction as compaction_module
import palaver.recording.recorder as recorder_module
import palaver.recording.storage as storage_module
from palaver.recording import SimulationRecorder

closing = False


def die() -> None:
    """SIGKILL this process (nothing runs after it: no finaliser, no flush)."""
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def hook(owner: Any, name: str, k: int, when: str, inside_close: bool) -> None:
    original = getattr(owner, name)
    calls = [0]

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not inside_close or closing:
            calls[0] += 1
        if calls[0] == k and when == "before":
            die()
        result = original(*args, **kwargs)
        if calls[0] == k and when == "after":
            die()
        return result

    setattr(owner, name, wrapper)


def main() -> None:
    out, steps, point = pathlib.Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    if sys.argv[4:] == ["merge"]:
        compaction_module.COMPACT_FROM = 2 * WINDOW
        compaction_module.MERGED_EVENTS = 2 * WINDOW
    kill = None
    if point.startswith("event:"):
        left = [int(point.split(":")[1])]

        def kill() -> None:
            left[0] -= 1
            if left[0] <= 0:
                die()

    elif point != "none":
        kind, target, k, when = point.split(":")
        owners = {
            "replace": (os, "replace"),
            "fsync": (os, "fsync"),
            "unlink": (pathlib.Path, "unlink"),
            "write_part": (storage_module, "write_part"),
            "write_stats": (recorder_module, "write_stats"),
            "write_manifest": (recorder_module, "write_manifest"),
        }
        owner, name = owners[target]
        hook(owner, name, int(k), when, kind == "incall")
    model = Ticker(steps, kill=kill)
    rec = SimulationRecorder(model, output_dir=out, memory_window=WINDOW, flush_every=64)
    model.recorder = rec
    print("READY", flush=True)
    for step in range(steps):
        model.step()
        print(f"STEP {step + 1} {rec._store.count}", flush=True)
    global closing
    closing = True
    print("CLOSING", flush=True)
    rec.close()
    print("DONE", flush=True)


if __name__ == "__main__":
    main()
