"""Writing the world's files safely: atomic replacement, exclusive temporary files, names
that stay inside their folder."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from palaver.world.errors import WorldParameterError

__all__ = ["atomic_write", "plain_file_name"]


def plain_file_name(parameter: str, value: object) -> str:
    """``value`` when it is a bare file name, else ``ValueError`` naming ``parameter``.

    A bare name has no directory part (no ``/`` or ``\\``), is not ``.`` or
    ``..`` and is not empty, so a file named by it cannot leave its folder.
    """
    if not isinstance(value, str):
        raise WorldParameterError(f"{parameter} must be a file name (a str); got {value!r}")
    if (
        not value
        or value in (".", "..")
        or "/" in value
        or "\\" in value
        or "\0" in value
        or os.path.isabs(value)
    ):
        raise WorldParameterError(
            f"{parameter} must be a bare file name inside its folder (no '/', '\\\\', "
            f"'..' or absolute path); got {value!r}"
        )
    return value


def _leftovers(target: Path) -> Iterable[Path]:
    return target.parent.glob(f".{target.name}.*.tmp")


def atomic_write(target: str | Path, chunks: Iterable[bytes]) -> Path:
    """Write ``chunks`` to ``target`` so that it holds either its old or its new content.

    The bytes go to a temporary file created exclusively (``O_EXCL``, with an
    unpredictable name, so a planted file or symlink is never followed) in
    the same folder, are flushed to disk, and replace ``target`` in one
    ``os.replace``. The temporary file is removed when anything fails, and
    temporary files a killed process left for the same target are removed
    first.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    for stale in _leftovers(target):
        with contextlib.suppress(OSError):
            stale.unlink()
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            for chunk in chunks:
                f.write(chunk)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target
