"""Checkpoint files: a versioned, checksummed pickle of a world.

A checkpoint is a pickle. Unpickling runs code chosen by whoever wrote the
file, so load checkpoints only from sources you trust; the checksum detects
damage, not tampering.

Layout: the magic line ``PALAVER-CHECKPOINT``, then the format version, the
SHA-256 of the payload and the payload length (one ASCII line each), then the
payload (the pickled world plus the global random states when the world seeded
them).

The JSON sidecar ``<file>.json`` (what ``World.checkpoint_info`` returns) carries
``checksum``: the SHA-256 of its other keys, dumped as canonical JSON (sorted
keys, no spaces). Since format version 5 a sidecar without it is refused; one of
version 4 or older (written before sidecars had checksums) reads unchecked.
Reading never follows a FIFO, folder or device: they are refused at once.
"""

from __future__ import annotations

import hashlib
import io
import pickle
import random
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from palaver._util.checks import check_bool
from palaver._util.files import read_regular
from palaver._util.snapshots import (
    check_sidecar,
    read_sidecar_file,
    unpickling_failed,
    write_sidecar,
)
from palaver.events import EventBus, EventType
from palaver.world.clock import RunClock
from palaver.world.config import CheckpointConfig
from palaver.world.errors import CheckpointError, WorldParameterError
from palaver.world.files import atomic_write, check_folder, plain_file_name
from palaver.world.validate import check_file

if TYPE_CHECKING:
    from palaver.world.world import World

__all__ = [
    "FORMAT_VERSION",
    "MAGIC",
    "Checkpoints",
    "load_checkpoint",
    "read_sidecar",
    "save_checkpoint",
]

MAGIC = b"PALAVER-CHECKPOINT\n"
#: Bumped whenever the file layout changes (4: the world holds its state in
#: components under ``world._palaver``; 5: the sidecar carries a checksum, the
#: payload is as in 4).
FORMAT_VERSION = 5
#: Format versions whose payload this Palaver reads.
_READABLE_VERSIONS = (4, 5)
#: The newest format version whose sidecars carry no checksum.
_LAST_UNCHECKED_SIDECAR = 4
_MAX_HEADER = 256


class Checkpointable(Protocol):
    """What a checkpoint's sidecar tells about the world it holds."""

    @property
    def id(self) -> str:
        """The world's id."""

    @property
    def name(self) -> str:
        """The world's name."""

    @property
    def seed(self) -> int:
        """The world's seed."""

    @property
    def current_step(self) -> int:
        """The step the world is at."""

    @property
    def seeds_global_generators(self) -> bool:
        """Whether the world seeded the global generators (their states are saved too)."""


class Saver(Protocol):
    """What saves a checkpoint between steps (the world's ``checkpoint``)."""

    def checkpoint(self, path: str | Path, extra: dict[str, Any] | None = None) -> Path:
        """Save to ``path``."""


def save_checkpoint(
    world: Checkpointable, path: str | Path, extra: dict[str, Any] | None = None
) -> Path:
    """Write ``world`` to ``path`` atomically, and ``<path>.json`` next to it.

    The JSON sidecar holds the format version, the world's type, id, name and
    seed, the step, the wall-clock time, the file name and ``extra`` (it is
    informational; loading does not need it; ``World.checkpoint_info`` reads it).
    """
    path = check_file("path", path)
    try:
        payload = pickle.dumps(
            {
                "world": world,
                "globals": (random.getstate(), np.random.get_state())
                if world.seeds_global_generators
                else None,
            },
            protocol=pickle.HIGHEST_PROTOCOL,
        )
    except (pickle.PicklingError, TypeError, AttributeError) as e:
        raise TypeError(
            f"cannot checkpoint world {world.name!r} to {path}: {unpicklable(world)}"
            f"cannot pickle it ({e}); keep such objects out of the world and its agents, "
            "or give their class __getstate__/__setstate__"
        ) from e
    header = (
        MAGIC
        + f"{FORMAT_VERSION}\n{hashlib.sha256(payload).hexdigest()}\n{len(payload)}\n".encode()
    )
    if path.is_dir():
        raise IsADirectoryError(f"checkpoint path {path} is a folder; name a file in it")
    cls = type(world)
    info = {
        "format_version": FORMAT_VERSION,
        "type": f"{cls.__module__}.{cls.__qualname__}",
        "id": world.id,
        "name": world.name,
        "seed": world.seed,
        "step": world.current_step,
        "time": datetime.now(UTC).isoformat(),
        "filename": str(path),
        "extra": extra if extra is not None else {},
    }
    check_sidecar(info, "extra", extra, WorldParameterError)
    atomic_write(path, (header, payload))
    write_sidecar(path, info)
    return path


class _Probe(pickle.Pickler):
    """Pickles one part of a world, standing a token in for each of ``skip`` (an
    agent's AWI leads back to the world and to the agent, and so everywhere)."""

    def __init__(self, skip: tuple[Any, ...]) -> None:
        super().__init__(io.BytesIO(), protocol=pickle.HIGHEST_PROTOCOL)
        self.skip = skip

    def persistent_id(self, obj: Any) -> str | None:
        return "skipped" if any(obj is s for s in self.skip) else None


def _fails_to_pickle(obj: Any, *skip: Any) -> bool:
    try:
        _Probe(skip).dump(obj)
    except Exception:
        return True
    return False


def unpicklable(world: Any) -> str:
    """Where in ``world`` an object that cannot be pickled sits (``"agent 'a'
    (Person), attribute 'lock': "``), or ``""`` when no agent or attribute alone
    shows it. Only called after pickling failed, so its cost does not matter."""
    owners: list[tuple[str, Any]] = [
        (f"agent {aid!r} ({type(agent).__name__})", agent)
        for aid, agent in getattr(world, "agents", {}).items()
    ]
    owners.append((f"world {getattr(world, 'name', '')!r} ({type(world).__name__})", world))
    for label, owner in owners:
        if owner is not world and not _fails_to_pickle(owner, world):
            continue
        state = getattr(owner, "__dict__", {})
        bad = next((k for k, v in state.items() if _fails_to_pickle(v, world, owner)), None)
        if bad is not None:
            return f"{label}, attribute {bad!r}: "
        if owner is not world:
            return f"{label}: "
    return ""


def load_checkpoint(path: str | Path) -> World[Any, Any]:
    """Read a world written by :func:`save_checkpoint` (only from a trusted source).

    Restores the global ``random`` / ``numpy.random`` states the world had seeded.
    Raises ``CheckpointError`` naming the file when it is not a regular file (a
    FIFO, folder or device is refused at once), not a Palaver checkpoint, of a
    format version this Palaver cannot read, truncated or fails its checksum.
    """
    path = check_file("path", path)
    data = read_regular(path, CheckpointError)
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
    if version not in _READABLE_VERSIONS:
        raise CheckpointError(
            f"{path}: checkpoint format version {version}; this Palaver reads versions "
            f"{list(_READABLE_VERSIONS)}"
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
        hint = ""
        if isinstance(e, AttributeError) and "__main__" in str(e):
            # Pickle saves a class by its module; a script's own classes live in
            # its __main__, which another script's __main__ does not hold.
            hint = (
                "; the world was saved by a script that defines its classes itself "
                "(in its __main__): define them in a module both scripts import, or "
                "load the checkpoint from a script that defines them"
            )
        raise CheckpointError(unpickling_failed(path, e) + hint) from e
    from palaver.world.world import World  # here: world.py imports this module

    if not isinstance(world, World):
        raise CheckpointError(f"{path} holds a {type(world).__name__}, not a Palaver world")
    if content.get("globals") is not None:
        py_state, np_state = content["globals"]
        random.setstate(py_state)
        np.random.set_state(np_state)
    return world


def read_sidecar(path: str | Path) -> dict[str, Any]:
    """The information in the sidecar of the checkpoint ``path`` (``<path>.json``), checked.

    Raises ``FileNotFoundError`` when there is none, and ``CheckpointError``
    naming the sidecar when it is not a regular file, not JSON, fails its
    checksum, or lacks one although its format version has them.
    """
    return read_sidecar_file(path, CheckpointError, unchecked_until=_LAST_UNCHECKED_SIDECAR)


class Checkpoints:
    """Saving a world, by hand or every ``checkpoint_every`` steps, and the files it owns.

    Args:
        config: The world's checkpoint options.
        clock: Tells the step (and refuses a checkpoint inside one).
        bus: Receives a ``checkpoint`` event per file written.
    """

    def __init__(self, config: CheckpointConfig, clock: RunClock, bus: EventBus) -> None:
        self.config = config
        self.clock = clock
        self.bus = bus
        #: The files this run wrote (or, resumed, its original run wrote after
        #: the checkpoint it resumed from): overwriting them is not refused.
        self.own: set[str] = set()

    def save(
        self,
        world: Checkpointable,
        path: str | Path,
        extra: dict[str, Any] | None = None,
        *,
        file_name: str | None = None,
        info: dict[str, Any] | None = None,
        exist_ok: bool = True,
        single_checkpoint: bool = True,
    ) -> Path:
        """Save ``world`` (see ``World.checkpoint``); returns the file written."""
        if self.clock.in_step:
            raise RuntimeError("a world can only be checkpointed between steps")
        # Read by truth value, exist_ok="no" overwrote the file it meant to keep.
        check_bool("exist_ok", exist_ok, type_error=WorldParameterError)
        check_bool("single_checkpoint", single_checkpoint, type_error=WorldParameterError)
        if info is not None:
            if extra is not None:
                raise TypeError("give extra or info (NegMAS's name for it), not both")
            extra = info
        if extra is not None and not isinstance(extra, dict):
            name = "extra" if info is None else "info"
            raise TypeError(
                f"checkpoint {name}={extra!r:.80} must be a dict of JSON-able values "
                "(written to the checkpoint's sidecar) or None"
            )
        target = Path(path)
        # NegMAS's checkpoint(path) always takes a folder, creating it: a new
        # path without a suffix ("ckpts") is one; "w.ckpt" stays Palaver's file.
        new_folder = not target.exists() and not target.suffix
        if file_name is not None or target.is_dir() or new_folder:
            if target.is_file():
                raise NotADirectoryError(f"{target} is a file; with file_name= it must be a folder")
            target.mkdir(parents=True, exist_ok=True)
            if file_name is None:
                base = self.config.checkpoint_filename
                step = self.clock.step
                file_name = f"{base}.ckpt" if single_checkpoint else f"{step:06d}_{base}.ckpt"
            target = target / plain_file_name("file_name", file_name)
        if not exist_ok and target.exists():
            raise FileExistsError(f"checkpoint {target} exists (pass exist_ok=True to overwrite)")
        # The checkpoint event below follows the snapshot: the snapshot counts it.
        with self.bus.counting_ahead(1 if self.bus.active else 0):
            saved = save_checkpoint(world, target, extra)
        if self.bus.active:
            self.bus.emit(EventType.CHECKPOINT, {"path": str(saved)})
        return saved

    def claim(self) -> None:
        """After a resume: the checkpoint files already in the folder are this run's own."""
        # A resumed run re-creates the checkpoints its original run wrote after
        # the one it resumed from; those files are its own, not foreign ones.
        cfg = self.config
        if cfg.checkpoint_every <= 0 or cfg.checkpoint_folder is None:
            return
        folder = Path(cfg.checkpoint_folder)
        name = cfg.checkpoint_filename
        for pattern in (f"{name}.ckpt", f"*_{name}.ckpt"):
            self.own.update(str(p) for p in folder.glob(pattern))

    def restart(self, config: CheckpointConfig, own: set[str]) -> None:
        """Save as ``config`` says from now on (a forked run); ``own`` are the files
        already in its folder that belong to it (copied there for it)."""
        self.config = config
        self.own = set(own)
        self.check_files()

    def _target(self, step: int) -> Path:
        cfg = self.config
        folder = Path(str(cfg.checkpoint_folder))
        if cfg.single_checkpoint:
            return folder / f"{cfg.checkpoint_filename}.ckpt"
        return folder / f"{step:06d}_{cfg.checkpoint_filename}.ckpt"

    def check_files(self) -> None:
        """At construction: refuse, before anything runs, files the run would overwrite."""
        cfg = self.config
        if cfg.checkpoint_every <= 0 or cfg.checkpoint_folder is None:
            return
        folder = Path(cfg.checkpoint_folder)
        check_folder("checkpoint_folder", folder)
        if cfg.exist_ok:
            return
        name = cfg.checkpoint_filename
        pattern = f"{name}.ckpt" if cfg.single_checkpoint else f"*_{name}.ckpt"
        found = folder.glob(pattern) if folder.is_dir() else ()
        existing = sorted(str(p) for p in found if str(p) not in self.own)
        if existing:
            raise FileExistsError(
                f"checkpoint_folder {str(folder)!r} already holds {existing[:3]}; this run "
                "would overwrite them: pass exist_ok=True, or use another folder or "
                "checkpoint_filename"
            )

    def maybe_save(self, world: Saver) -> None:
        """Save through ``world.checkpoint`` when ``checkpoint_every`` says so."""
        cfg = self.config
        if cfg.checkpoint_every <= 0 or cfg.checkpoint_folder is None:
            return
        if self.clock.step % cfg.checkpoint_every != 0:
            return
        target = self._target(self.clock.step)
        key = str(target)
        if target.exists() and key not in self.own and not cfg.exist_ok:
            raise FileExistsError(f"checkpoint {target} exists (pass exist_ok=True to overwrite)")
        self.own.add(key)
        extra = dict(cfg.extra_checkpoint_info or {})
        world.checkpoint(target, extra)
