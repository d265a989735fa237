"""Checkpoint files of single objects and the checksummed JSON sidecars of every checkpoint.

NegMAS lets any named object (an agent, a negotiator, a mechanism) save itself
with ``obj.checkpoint(folder, info={...})``, read the saved information back
with ``Class.checkpoint_info(file)`` and load it with
``Class.from_checkpoint(file)``. Palaver keeps that API on its agents,
negotiators and mechanisms; this module is the one implementation under it.

An object checkpoint is a pickle (unpickling runs code chosen by whoever
wrote the file: load only files you trust; the checksum detects damage, not
tampering). Layout: the magic line ``PALAVER-OBJECT``, the format version, the
SHA-256 of the payload and its length (one ASCII line each), then the payload.
The sidecar ``<file>.json`` holds ``type``, ``id``, ``name``, ``time``,
``step``, ``filename``, the caller's ``info`` keys and ``checksum``: the SHA-256
of its other keys as canonical JSON (sorted keys, no spaces). World
checkpoints (``palaver.world.checkpoint``) write their sidecars the same way.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
import stat
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from palaver._util import jsontext
from palaver._util.atomic import atomic_file
from palaver._util.checks import check_bool, checked_path
from palaver._util.files import file_kind, read_regular

__all__ = [
    "CheckpointError",
    "Checkpointing",
    "read_sidecar_file",
    "write_sidecar",
]

_MAGIC = b"PALAVER-OBJECT\n"
#: The object checkpoint layout's version (bumped when it changes).
OBJECT_FORMAT_VERSION = 1
_MAX_HEADER = 256
#: NegMAS's default attributes telling an object's step (the first integer found wins).
STEP_ATTRIBUTES = ("current_step", "_current_step", "_Entity__current_step", "_step")


class CheckpointError(ValueError):
    """A checkpoint file or its information sidecar is damaged, foreign, or of a
    format version this Palaver cannot read (the message names the file)."""


def sidecar_digest(body: dict[str, Any]) -> str:
    """The SHA-256 of a sidecar's keys other than ``checksum``, as canonical JSON."""
    content = {k: v for k, v in body.items() if k != "checksum"}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def check_sidecar(
    info: dict[str, Any], parameter: str, given: object, error: type[Exception]
) -> None:
    """Raise ``error`` naming ``parameter`` (whose value ``given`` went into
    ``info``) when :func:`write_sidecar` could not write ``info`` as JSON (a
    value holding itself). Called before the checkpoint is written: failing
    after it left the new checkpoint beside an older one's sidecar."""
    try:
        jsontext.dumps(info, default=str)
    except (ValueError, RecursionError) as e:
        raise error(
            f"checkpoint {parameter}={given!r:.80} cannot be written to the sidecar as JSON "
            f"({e}); give a dict of plain data"
        ) from e


def write_sidecar(path: Path, info: dict[str, Any]) -> Path:
    """Write ``info`` with its checksum to ``<path>.json`` (atomically); returns that path.

    Values JSON cannot hold are written as their text (``default=str``), NaN
    and the infinities too (``"nan"``, ``"inf"``, ``"-inf"``: JSON has no
    number for them, and Python's ``NaN`` token makes a file other readers
    refuse); the checksum covers exactly what a reader parses back.
    """
    body = json.loads(jsontext.dumps(info, default=str))
    body["checksum"] = sidecar_digest(body)
    sidecar = path.with_name(path.name + ".json")
    with atomic_file(sidecar, durable=True) as f:
        f.write(json.dumps(body).encode())
    return sidecar


def read_sidecar_file(
    path: str | Path, error: type[Exception], *, unchecked_until: int | None = None
) -> dict[str, Any]:
    """The checked information in the sidecar of ``path`` (``<path>.json``), without ``checksum``.

    ``FileNotFoundError`` when there is none; ``error`` naming the sidecar when
    it is not a regular file, not a JSON object, fails its checksum, or has
    none, unless its ``format_version`` is at most ``unchecked_until`` (a format
    written before sidecars had checksums).
    """
    path = checked_path("file_name", path)
    sidecar = path.with_name(path.name + ".json")
    try:
        data = read_regular(sidecar, error)
    except FileNotFoundError:
        raise FileNotFoundError(f"no checkpoint information at {sidecar}") from None
    try:
        body = json.loads(data.decode("utf-8"))
    except ValueError as e:
        raise error(f"{sidecar} is not valid JSON: {e}") from e
    if not isinstance(body, dict):
        raise error(f"{sidecar} holds a {type(body).__name__}, not a JSON object")
    checksum = body.pop("checksum", None)
    if checksum is None:
        version = body.get("format_version")
        if unchecked_until is not None and type(version) is int and version <= unchecked_until:
            return body
        raise error(
            f"{sidecar}: damaged checkpoint information (no checksum, format version {version!r})"
        )
    if checksum != sidecar_digest(body):
        raise error(f"{sidecar}: damaged checkpoint information (checksum mismatch)")
    return body


def object_step(obj: object, attributes: Sequence[str], fallback: int | None) -> int | None:
    """The first integer among ``obj``'s ``attributes`` (NegMAS's rule), else ``fallback``."""
    for name in attributes:
        try:
            value = getattr(obj, name)
        except Exception:  # a property that cannot answer yet counts as absent
            continue
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return fallback


def save_object(
    obj: object,
    path: str | Path,
    *,
    identity: tuple[str, str],
    step: int | None,
    file_name: str | None,
    info: dict[str, Any] | None,
    exist_ok: bool,
    single_checkpoint: bool,
) -> Path:
    """Pickle ``obj`` into the folder ``path`` (created if missing); returns the file written.

    The file is ``file_name``, or ``<class name in lower case>.<id>`` (``/``
    replaced), either one prefixed with the five-digit ``step`` when
    ``single_checkpoint`` is false and the step is known (as NegMAS names
    it). ``identity`` is ``(id, name)``.

    Raises ``ValueError`` when ``path`` is an existing file, the checkpoint is a
    folder, a FIFO, a socket or a device, or it exists and ``exist_ok`` is false
    (as NegMAS does), and ``TypeError`` naming
    the object when it cannot be pickled.
    """
    folder = checked_path("path", path)
    # Read by truth value, exist_ok="no" overwrote the file it meant to keep.
    check_bool("exist_ok", exist_ok)
    check_bool("single_checkpoint", single_checkpoint)
    if info is not None and not isinstance(info, dict):
        raise TypeError(
            f"info must be a dict of JSON-able values (written to the checkpoint's sidecar) "
            f"or None, got {info!r:.80} ({type(info).__name__})"
        )
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"checkpoint path {str(folder)!r} is a file; it must be a folder")
    if file_name is not None and not isinstance(file_name, str):
        raise TypeError(
            f"file_name must be a plain file name (a str) or None, got {file_name!r:.80} "
            f"({type(file_name).__name__})"
        )
    if file_name is not None and (
        file_name in ("", ".", "..")
        or os.sep in file_name
        or (os.altsep is not None and os.altsep in file_name)
    ):
        # folder / 3 failed in pathlib; "../x" wrote outside the folder.
        raise ValueError(
            f"file_name must be a plain file name (no folder) or None, got {file_name!r:.80}"
        )
    object_id, name = identity
    base = file_name
    if base is None:
        base = f"{type(obj).__name__.lower()}.{object_id.replace('/', '_')}"
    if not single_checkpoint and step is not None:
        base = f"{step:05}.{base}"
    target = folder / base
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        mode = None
    # The rename would replace a folder's entry that is a FIFO, a socket or a
    # device with the checkpoint (a symbolic link is replaced, never followed).
    if mode is not None and not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        raise ValueError(
            f"checkpoint {str(target)!r} is {file_kind(mode)}, not a regular file; "
            "give another file_name or folder"
        )
    if not exist_ok and target.exists():
        raise ValueError(
            f"checkpoint {str(target)!r} already exists; pass exist_ok=True to overwrite it"
        )
    try:
        payload = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as e:
        raise TypeError(
            f"cannot checkpoint {type(obj).__name__} {object_id!r}: it holds something that "
            f"cannot be pickled ({e})"
        ) from e
    cls = type(obj)
    described = dict(info or {})
    described.update(
        {
            "type": f"{cls.__module__}.{cls.__qualname__}",
            "id": object_id,
            "name": name,
            "time": datetime.now(UTC).isoformat(),
            "step": step,
            "filename": str(target),
            "format_version": OBJECT_FORMAT_VERSION,
        }
    )
    check_sidecar(described, "info", info, ValueError)
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(payload).hexdigest()
    header = _MAGIC + f"{OBJECT_FORMAT_VERSION}\n{digest}\n{len(payload)}\n".encode()
    with atomic_file(target, durable=True) as f:
        f.write(header)
        f.write(payload)
    write_sidecar(target, described)
    return target


def unpickling_failed(path: Path, exc: Exception) -> str:
    """The message for a checkpoint at ``path`` that ``pickle`` could not load (``exc``).

    A class or module of Palaver's that the file names but this Palaver lacks
    (moved or renamed since) means the file was written by another version of
    Palaver: the message says so, with this version, rather than leaving the
    reader to guess from pickle's "Can't get attribute".
    """
    missing = None
    if isinstance(exc, ModuleNotFoundError):
        missing = exc.name
    elif isinstance(exc, AttributeError):
        found = re.search(r"<module '([^']+)'", str(exc))
        missing = found.group(1) if found else None
    if missing is not None and (missing == "palaver" or missing.startswith("palaver.")):
        from palaver import __version__  # here: palaver imports this module

        return (
            f"{path}: cannot load the checkpoint: it was written by a different version of "
            f"Palaver than this one ({__version__}), whose classes differ ({exc}); load it "
            "with the Palaver version that wrote it"
        )
    return f"{path}: cannot unpickle the checkpoint: {exc}"


def load_object(path: str | Path, error: type[Exception]) -> Any:
    """The object pickled in ``path`` by :func:`save_object` (trusted files only).

    Raises ``error`` naming the file when it is not a regular file, not an
    object checkpoint, of another format version, truncated, or fails its
    checksum, or written by another version of Palaver whose classes differ
    (:func:`unpickling_failed`); ``FileNotFoundError`` when it does not exist.
    """
    path = checked_path("file_name", path)
    data = read_regular(path, error)
    if not data.startswith(_MAGIC):
        raise error(f"{path} is not a Palaver object checkpoint (bad magic header)")
    parts = data[len(_MAGIC) : len(_MAGIC) + _MAX_HEADER].split(b"\n", 3)
    if len(parts) < 4:
        raise error(f"{path}: truncated checkpoint header")
    try:
        version = int(parts[0])
        digest = parts[1].decode("ascii")
        length = int(parts[2])
    except (ValueError, UnicodeDecodeError) as e:
        raise error(f"{path}: corrupted checkpoint header") from e
    if version != OBJECT_FORMAT_VERSION:
        raise error(
            f"{path}: object checkpoint format version {version}; this Palaver reads "
            f"version {OBJECT_FORMAT_VERSION}"
        )
    payload = data[len(_MAGIC) + sum(len(p) + 1 for p in parts[:3]) :]
    if len(payload) != length:
        raise error(f"{path}: truncated or corrupted checkpoint ({len(payload)} of {length} bytes)")
    if hashlib.sha256(payload).hexdigest() != digest:
        raise error(f"{path}: corrupted checkpoint (checksum mismatch)")
    try:
        return pickle.loads(payload)
    except Exception as e:
        raise error(unpickling_failed(path, e)) from e


class Checkpointing:
    """NegMAS's checkpoint methods of a named object, for agents, negotiators and mechanisms.

    Stateless: it reads the object's ``id`` and ``name`` (through
    :meth:`_palaver_checkpoint_identity`) and its step (NegMAS's
    ``step_attribs``, then :meth:`_palaver_checkpoint_step`).
    """

    __slots__ = ()
    #: What a damaged or foreign checkpoint raises (a subclass of :class:`CheckpointError`).
    _palaver_checkpoint_error: ClassVar[type[CheckpointError]] = CheckpointError

    def _palaver_checkpoint_identity(self) -> tuple[str, str]:
        return str(getattr(self, "id", type(self).__name__)), str(getattr(self, "name", ""))

    def _palaver_checkpoint_step(self) -> int | None:
        return None

    def checkpoint(
        self,
        path: str | Path,
        file_name: str | None = None,
        info: dict[str, Any] | None = None,
        exist_ok: bool = False,
        single_checkpoint: bool = True,
        step_attribs: tuple[str, ...] = STEP_ATTRIBUTES,
    ) -> Path:
        """Save this object in the folder ``path`` (NegMAS's ``checkpoint``); returns the file.

        The file is ``file_name`` or ``<class>.<id>``, either one prefixed with
        the five-digit step when ``single_checkpoint`` is false; ``<file>.json``
        next to it holds ``type``, ``id``, ``name``, ``time``, ``step``,
        ``filename`` and the keys of ``info`` (:meth:`checkpoint_info`). The
        step is the first integer among the object's ``step_attribs``.

        ``ValueError`` when ``path`` is a file or the checkpoint exists and
        ``exist_ok`` is false; ``TypeError`` when the object cannot be pickled.
        Checkpoints are pickles: load only files you trust.
        """
        return save_object(
            self,
            path,
            identity=self._palaver_checkpoint_identity(),
            step=object_step(self, step_attribs, self._palaver_checkpoint_step()),
            file_name=file_name,
            info=info,
            exist_ok=exist_ok,
            single_checkpoint=single_checkpoint,
        )

    @classmethod
    def from_checkpoint(cls, file_name: str | Path, return_info: bool = False) -> Any:
        """The object saved by :meth:`checkpoint` in ``file_name`` (with its information
        dict as a second value when ``return_info``).

        :class:`CheckpointError` naming the file when it is damaged or holds
        something other than a ``cls``. Checkpoints are pickles: load only
        files you trust.
        """
        error = cls._palaver_checkpoint_error
        obj = load_object(file_name, error)
        if not isinstance(obj, cls):
            raise error(f"{file_name} holds a {type(obj).__name__}, not a {cls.__name__}")
        return (obj, cls.checkpoint_info(file_name)) if return_info else obj

    @classmethod
    def checkpoint_info(cls, file_name: str | Path) -> dict[str, Any]:
        """The information saved next to a checkpoint (``<file>.json``): ``type``, ``id``,
        ``name``, ``time``, ``step``, ``filename`` and the ``info`` keys.

        ``FileNotFoundError`` when there is none; :class:`CheckpointError`
        naming it when it is damaged (it carries a checksum, checked here).
        """
        return read_sidecar_file(file_name, cls._palaver_checkpoint_error)
