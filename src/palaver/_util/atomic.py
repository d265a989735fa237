"""Writing files atomically, and removing what killed writers left behind.

Every file Palaver writes whole (recording parts and indexes, manifests,
exports, statistics) goes through :func:`atomic_file`:

* the data is written to a temporary file in the target's folder, created
  exclusively (``O_EXCL | O_NOFOLLOW``) under an unpredictable name
  (``.<target>.palaver-tmp-<random>``), so a symlink planted in the folder is
  never followed and two writers never share a temporary file;
* the writer holds an exclusive ``flock`` on it while writing, which is how
  :func:`clean_leftovers` tells a live writer's file from a dead one's (the
  kernel drops the lock when the process dies, even on SIGKILL);
* the temporary file is renamed over the target (readers see the old file or
  the new one, never a mix) and removed if anything fails before that;
* with ``durable=True`` the data is ``fsync``-ed before the rename and the
  folder after it, so the new file survives a power cut once the call returns.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from palaver._util.files import check_replaceable, is_regular_fd

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks, no cleanup
    fcntl = None  # type: ignore[assignment]

TMP_MARK = ".palaver-tmp-"
"""What every temporary file name contains (after the target's name)."""

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def temporary_name(target: Path) -> Path:
    """An unpredictable temporary name next to ``target``."""
    return target.with_name(f".{target.name}{TMP_MARK}{secrets.token_hex(8)}")


def create_exclusive(path: Path, mode: int = 0o666) -> int:
    """Create ``path`` (which must not exist, not even as a symlink) for writing;
    return its file descriptor."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, mode)


def fsync_dir(folder: Path) -> None:
    """Make a rename or deletion in ``folder`` durable (no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _CLOEXEC)
    except OSError:  # pragma: no cover - Windows
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _locked_temporary(target: Path) -> tuple[Path, int]:
    """A new temporary file next to ``target``, created exclusively and locked."""
    while True:
        tmp = temporary_name(target)
        fd = create_exclusive(tmp)
        if fcntl is None:  # pragma: no cover - Windows
            return tmp, fd
        fcntl.flock(fd, fcntl.LOCK_EX)
        # A cleaner may have locked and removed it between its creation and our
        # lock (it then looked like a dead writer's): start again.
        try:
            if os.stat(tmp, follow_symlinks=False).st_ino == os.fstat(fd).st_ino:
                return tmp, fd
        except FileNotFoundError:
            pass
        os.close(fd)


@contextlib.contextmanager
def atomic_file(target: str | os.PathLike[str], *, durable: bool = False) -> Iterator[BinaryIO]:
    """A binary file object whose content replaces ``target`` when the block ends
    without an exception (see the module docstring). ``target``'s folder must exist.
    A ``target`` that is a folder, a FIFO, a socket or a device is refused first
    (:class:`~palaver._util.files.FileKindError`, an ``OSError``, naming it)."""
    target = Path(target)
    check_replaceable(target)
    tmp, fd = _locked_temporary(target)
    out = os.fdopen(fd, "wb")
    try:
        yield out
        out.flush()
        if durable:
            os.fsync(out.fileno())
        # Renamed while still open (and locked): a cleaner never sees it unlocked.
        os.replace(tmp, target)
    except BaseException:
        out.close()
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    out.close()
    if durable:
        fsync_dir(target.parent)


def write_bytes(target: str | os.PathLike[str], data: bytes, *, durable: bool = False) -> None:
    """Replace ``target`` with ``data`` atomically (see :func:`atomic_file`)."""
    with atomic_file(target, durable=durable) as out:
        out.write(data)


def held_by_live_writer(path: str | os.PathLike[str], grace: float = 0.05) -> bool:
    """Whether ``path`` is a temporary file of :func:`atomic_file` that a live
    process is writing now (its lock is held), or was until it was renamed into
    place a moment ago (it is gone). A dead writer's file, or anything that is
    not one of ours (a symlink, a folder), is not.

    A writer creates its file, then locks it: a file found unlocked is looked
    at again after ``grace`` seconds, so a writer between the two is not taken
    for a dead one.
    """
    if TMP_MARK not in os.path.basename(os.fspath(path)) or fcntl is None:
        return False
    for attempt in range(2):
        if attempt:
            time.sleep(grace)
        try:
            fd = os.open(path, os.O_RDONLY | _NOFOLLOW | os.O_NONBLOCK | _CLOEXEC)
        except FileNotFoundError:
            return True
        except OSError:
            return False
        try:
            if not is_regular_fd(fd):
                return False
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return True
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
    return False


def clean_leftovers(folder: str | os.PathLike[str]) -> list[Path]:
    """Remove the temporary files that dead writers left in ``folder``; return them.

    A temporary file still locked by its writer (a live process) is kept, and so
    is anything that is not a regular file (a planted symlink is not ours).
    """
    removed: list[Path] = []
    if fcntl is None:  # pragma: no cover - Windows
        return removed
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if TMP_MARK not in entry.name:
            continue
        try:
            fd = os.open(entry.path, os.O_RDONLY | _NOFOLLOW | os.O_NONBLOCK | _CLOEXEC)
        except OSError:
            continue
        try:
            if not is_regular_fd(fd):
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # a live writer holds it
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        finally:
            os.close(fd)
    return removed
