"""The peers' own virtual environment, ``benchmarks/.peers`` (gitignored).

NegMAS and mesa-llm are installed there with pip and run only as subprocesses
of the harness; Palaver's environment never imports them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PEERS_DIR = HERE / ".peers"
PEER_PACKAGES = ("negmas==0.16.0", "mesa-llm==0.2.0")
_STAMP = PEERS_DIR / ".installed"


def peer_python() -> Path:
    """The peer environment's interpreter."""
    return PEERS_DIR / "bin" / "python"


def ensure_peers(log: bool = True) -> Path:
    """Create the peer environment and install the peers if needed; return its python.

    A stamp file lists what was installed, so later runs skip pip entirely;
    changing :data:`PEER_PACKAGES` reinstalls. Raises ``RuntimeError`` with
    pip's output when the installation fails.
    """
    wanted = "\n".join(PEER_PACKAGES)
    if peer_python().exists() and _STAMP.exists() and _STAMP.read_text() == wanted:
        return peer_python()
    if not peer_python().exists():
        if log:
            print(f"creating the peer environment in {PEERS_DIR} ...", flush=True)
        base = getattr(sys, "_base_executable", sys.executable)
        _run([base, "-m", "venv", str(PEERS_DIR)])
    if log:
        print(f"installing {', '.join(PEER_PACKAGES)} into it (once) ...", flush=True)
    pip = [str(peer_python()), "-m", "pip", "install", "-q"]
    _run([*pip, "--upgrade", "pip"])
    _run([*pip, *PEER_PACKAGES])
    _STAMP.write_text(wanted)
    return peer_python()


def _run(cmd: list[str]) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-20:])
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{tail}")
