"""Child process of the tournament and checkpoint SIGKILL cases.

``python kill_run_child.py KIND OUT POINT`` runs KIND (``world`` tournament,
``negotiation`` tournament, or a ``checkpoint``-ing world) into OUT and kills
itself with SIGKILL at POINT: ``none`` (the parent kills it at a random moment),
or ``TARGET:K:WHEN`` (before or after the Kth call of ``replace`` (``os.replace``:
every atomic write's rename) or ``fsync`` (``os.fsync``)).
It prints ``READY`` once imports are done and ``DONE`` at the end.
"""

from __future__ import annotations

import os
import pathlib
import signal
import sys
from typing import Any

sys.path.insert(0, str(pathlib.Path(__file__).parent))

from run_kinds import run_kind


def die() -> None:
    """SIGKILL this process (nothing runs after it)."""
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def hook(owner: Any, name: str, k: int, when: str) -> None:
    original = getattr(owner, name)
    calls = [0]

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        if calls[0] == k and when == "before":
            die()
        result = original(*args, **kwargs)
        if calls[0] == k and when == "after":
            die()
        return result

    setattr(owner, name, wrapper)


def main() -> None:
    kind, out, point = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3]
    if point != "none":
        target, k, when = point.split(":")
        owners = {
            "replace": (os, "replace"),
            "fsync": (os, "fsync"),
        }
        owner, name = owners[target]
        hook(owner, name, int(k), when)
    # Everything the run needs is imported before READY, so that a random
    # moment after READY falls in the run itself.
    import palaver.examples
    import palaver.tournaments.negotiation.runner
    import palaver.tournaments.runner  # noqa: F401

    print("READY", flush=True)
    run_kind(kind, out)
    print("DONE", flush=True)


if __name__ == "__main__":
    main()
