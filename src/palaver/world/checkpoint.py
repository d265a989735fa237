"""Checkpoint files: a versioned, checksummed pickle of a world.

A checkpoint is a pickle. Unpickling runs code chosen by whoever wrote the
file, so load checkpoints only from sources you trust; the checksum detects
damage, not tampering.

Layout: the magic line ``PALAVER-CHECKPOINT``, then the format version, the
SHA-256 of the payload and the payload length (one ASCII line each), then the
payload (the pickled world plus the global random states when the world seeded
them).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import random
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from palaver.events import EventType
from palaver.world.errors import CheckpointError

if TYPE_CHECKING:
    from palaver.world.world import World

__all__ = ["FORMAT_VERSION", "MAGIC", "CheckpointMixin", "load_checkpoint", "save_checkpoint"]

MAGIC = b"PALAVER-CHECKPOINT\n"
#: Bumped whenever the payload layout changes incompatibly.
FORMAT_VERSION = 2
_MAX_HEADER = 256


def save_checkpoint(world: World, path: str | Path, extra: dict[str, Any] | None = None) -> Path:
    """Write ``world`` to ``path`` atomically; with ``extra``, also ``<path>.json``.

    The JSON sidecar holds the step, the world's name and seed, the format
    version and ``extra`` (it is informational; loading does not need it).
    """
    path = Path(path)
    payload = pickle.dumps(
        {
            "world": world,
            "globals": (random.getstate(), np.random.get_state())
            if world.seeds_global_generators
            else None,
        },
        protocol=pickle.HIGHEST_PROTOCOL,
    )
    header = (
        MAGIC
        + f"{FORMAT_VERSION}\n{hashlib.sha256(payload).hexdigest()}\n{len(payload)}\n".encode()
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(header)
        f.write(payload)
    os.replace(tmp, path)
    if extra is not None:
        info = {
            "format_version": FORMAT_VERSION,
            "step": world.current_step,
            "name": world.name,
            "seed": world.seed,
            "extra": extra,
        }
        path.with_name(path.name + ".json").write_text(json.dumps(info, default=str))
    return path


def load_checkpoint(path: str | Path) -> World:
    """Read a world written by :func:`save_checkpoint` (only from a trusted source).

    Restores the global ``random`` / ``numpy.random`` states the world had seeded.
    Raises ``CheckpointError`` for a file that is not a Palaver checkpoint, has
    another format version, is truncated or fails its checksum.
    """
    path = Path(path)
    data = path.read_bytes()
    if not data.startswith(MAGIC):
        raise CheckpointError(f"{path} is not a Palaver checkpoint (bad magic header)")
    rest = data[len(MAGIC) :]
    parts = rest[:_MAX_HEADER].split(b"\n", 3)
    if len(parts) < 4:
        raise CheckpointError(f"{path}: truncated checkpoint header")
    try:
        version = int(parts[0])
        digest = parts[1].decode("ascii")
        length = int(parts[2])
    except (ValueError, UnicodeDecodeError) as e:
        raise CheckpointError(f"{path}: corrupted checkpoint header") from e
    if version != FORMAT_VERSION:
        raise CheckpointError(
            f"{path}: checkpoint format version {version}; this Palaver reads version "
            f"{FORMAT_VERSION}"
        )
    offset = len(MAGIC) + sum(len(p) + 1 for p in parts[:3])
    payload = data[offset:]
    if len(payload) < length:
        raise CheckpointError(f"{path}: truncated checkpoint ({len(payload)} of {length} bytes)")
    if len(payload) > length:
        raise CheckpointError(f"{path}: corrupted checkpoint (trailing bytes)")
    if hashlib.sha256(payload).hexdigest() != digest:
        raise CheckpointError(f"{path}: corrupted checkpoint (checksum mismatch)")
    try:
        content = pickle.loads(payload)
        world = content["world"]
    except Exception as e:
        raise CheckpointError(f"{path}: cannot unpickle the checkpoint: {e}") from e
    from palaver.world.world import World  # here: world.py imports this module

    if not isinstance(world, World):
        raise CheckpointError(f"{path} holds a {type(world).__name__}, not a Palaver world")
    if content.get("globals") is not None:
        py_state, np_state = content["globals"]
        random.setstate(py_state)
        np.random.set_state(np_state)
    return world


class CheckpointMixin:
    """Saving and restoring a world, by hand or every ``checkpoint_every`` steps.

    Mixed into :class:`~palaver.world.World`.
    """

    def checkpoint(self, path: str | Path, extra: dict[str, Any] | None = None) -> Path:
        """Save this world to ``path`` (between steps) so that it can be resumed."""
        if self._palaver_in_step:
            raise RuntimeError("a world can only be checkpointed between steps")
        saved = save_checkpoint(self, path, extra)
        if self.bus.active:
            self.bus.emit(EventType.CHECKPOINT, {"path": str(saved)})
        return saved

    @classmethod
    def from_checkpoint(cls, path: str | Path, recorder: Any = None) -> World:
        """Load a world saved by :meth:`checkpoint` (trusted files only: it is a pickle).

        Event sinks are not part of a checkpoint: pass ``recorder`` (or add sinks
        to ``world.bus``) to observe the rest of the run.
        """
        world = load_checkpoint(path)
        if not isinstance(world, cls):
            raise TypeError(f"{path} holds a {type(world).__name__}, not a {cls.__name__}")
        world._palaver_claim_checkpoints()
        if recorder is not None:
            recorder.attach(world)
        return world

    def _palaver_claim_checkpoints(self) -> None:
        # A resumed run re-creates the checkpoints its original run wrote after
        # the one it resumed from; those files are its own, not foreign ones.
        cfg = self.checkpoint_config
        if cfg.checkpoint_every <= 0 or cfg.checkpoint_folder is None:
            return
        folder = Path(cfg.checkpoint_folder)
        name = cfg.checkpoint_filename
        for pattern in (f"{name}.ckpt", f"*_{name}.ckpt"):
            self._palaver_own_checkpoints.update(str(p) for p in folder.glob(pattern))

    def _palaver_maybe_checkpoint(self) -> None:
        cfg = self.checkpoint_config
        if cfg.checkpoint_every <= 0 or cfg.checkpoint_folder is None:
            return
        if self._palaver_current_step % cfg.checkpoint_every != 0:
            return
        folder = Path(cfg.checkpoint_folder)
        if cfg.single_checkpoint:
            target = folder / f"{cfg.checkpoint_filename}.ckpt"
        else:
            target = folder / f"{self._palaver_current_step:06d}_{cfg.checkpoint_filename}.ckpt"
        key = str(target)
        if target.exists() and key not in self._palaver_own_checkpoints and not cfg.exist_ok:
            raise FileExistsError(f"checkpoint {target} exists (pass exist_ok=True to overwrite)")
        self._palaver_own_checkpoints.add(key)
        extra = dict(cfg.extra_checkpoint_info or {})
        self.checkpoint(target, extra)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        # The cache is keyed by object ids, which do not survive unpickling.
        state["_os_cache"] = {}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._palaver_clock = time.perf_counter()
        self._palaver_log.attach(self.bus)
