"""Refusing what is not a regular file, in one place.

A FIFO opened for reading blocks until a writer appears (forever, for a
reader of a damaged or planted folder), a device can be endless, and a folder
or socket cannot be read at all. Every reader of a user's file checks the kind
of what it opened, on the open descriptor (so a file swapped after a check
cannot slip through), and raises an error naming the path and what it is.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = [
    "FileKindError",
    "blocking_file",
    "check_regular",
    "file_kind",
    "is_regular_fd",
    "open_regular",
    "read_regular",
]

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class FileKindError(OSError):
    """A path that should be a regular file is a folder, a FIFO, a socket or a device."""


def file_kind(mode: int) -> str:
    """What a file of ``st_mode`` ``mode`` is, for messages ("a FIFO", "a folder", ...)."""
    if stat.S_ISREG(mode):
        return "a regular file"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _refuse(path: str | os.PathLike[str], mode: int, error: type[Exception]) -> Exception:
    return error(f"{str(path)!r} is {file_kind(mode)}, not a regular file")


def check_regular(
    path: str | os.PathLike[str], error: type[Exception] = FileKindError
) -> os.stat_result:
    """``path``'s status (symbolic links followed); ``error`` naming the path and
    its kind when it is not a regular file. ``OSError`` (missing, no permission)
    passes through unchanged."""
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(path, info.st_mode, error)
    return info


def open_regular(path: str | os.PathLike[str], error: type[Exception] = FileKindError) -> int:
    """A read-only descriptor of the regular file ``path``, or ``error`` naming it.

    Opened non-blocking, so a FIFO without a writer is refused at once instead
    of blocking. ``OSError`` other than the file's kind (missing, no permission)
    passes through unchanged; a folder is refused like the other kinds.
    """
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | _CLOEXEC)
    except IsADirectoryError:
        raise _refuse(path, stat.S_IFDIR, error) from None
    try:
        mode = os.fstat(fd).st_mode
    except OSError:
        os.close(fd)
        raise
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise _refuse(path, mode, error)
    if _NONBLOCK:
        os.set_blocking(fd, True)
    return fd


def is_regular_fd(fd: int) -> bool:
    """Whether the open descriptor ``fd`` is a regular file."""
    return stat.S_ISREG(os.fstat(fd).st_mode)


def read_regular(path: str | os.PathLike[str], error: type[Exception] = FileKindError) -> bytes:
    """The bytes of the regular file ``path`` (see :func:`open_regular`)."""
    with os.fdopen(open_regular(path, error), "rb") as f:
        return f.read()


def check_replaceable(target: Path) -> None:
    """Raise :class:`FileKindError` naming ``target`` unless it is missing, a
    regular file or a symbolic link (which a rename replaces, never follows):
    renaming a new file over a FIFO, a socket or a device node (as root,
    ``/dev/null`` itself) would silently replace it."""
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return
    if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        raise FileKindError(
            f"{str(target)!r} is {file_kind(mode)}, not a regular file: "
            "name a new or regular file to write"
        )


def blocking_file(folder: str | os.PathLike[str]) -> str | None:
    """What keeps ``folder`` from being a folder, made if missing: ``folder`` itself
    or the nearest of its parents that exists and is not a folder (a file, a
    dangling link), as a message fragment; ``None`` when it is, or can be made."""
    path = Path(folder)
    for place in (path, *path.parents):
        if place.is_dir():
            return None
        if place.exists() or place.is_symlink():
            return "it is not a folder" if place == path else f"{str(place)!r} is a file"
    return None
