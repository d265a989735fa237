"""Writing the world's files safely: atomic replacement, exclusive temporary files, names
that stay inside their folder."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from palaver._util.atomic import atomic_file, clean_leftovers
from palaver._util.files import blocking_file, check_replaceable
from palaver.world.errors import WorldParameterError

__all__ = ["atomic_write", "check_folder", "plain_file_name"]


def check_folder(parameter: str, folder: Path) -> None:
    """Refuse ``folder`` when it, or the nearest of its parents that exists, is not
    a folder: it could never be created, and the run would fail at its first write.
    """
    problem = blocking_file(folder)
    if problem is not None:
        raise NotADirectoryError(
            f"{parameter} must be a folder, or a path where one can be made; got "
            f"{str(folder)!r}: {problem}"
        )


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


def atomic_write(target: str | Path, chunks: Iterable[bytes]) -> Path:
    """Write ``chunks`` to ``target`` so that it holds either its old or its new content.

    Uses Palaver's one atomic writer (``palaver._util.atomic``): an exclusive,
    unpredictably named, locked temporary file in the same folder (a planted
    file or symlink is never followed), flushed to disk and renamed over
    ``target``; removed when anything fails. Temporary files that killed
    writers left in the folder are removed first. The folder is created.
    A ``target`` that is a folder, a FIFO, a socket or a device is refused
    (``FileKindError``, an ``OSError``, naming it).
    """
    target = Path(target)
    check_replaceable(target)  # before the folder is made or cleaned
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(target.parent)
    with atomic_file(target, durable=True) as out:
        for chunk in chunks:
            out.write(chunk)
    return target
