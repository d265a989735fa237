"""One tournament run at a time per results folder.

The lock is an advisory ``flock`` on ``<folder>/.lock``, so it disappears with
the process holding it (a killed run never leaves the folder locked). The file
says who holds the lock, for the message the second run prints.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from palaver._util.files import blocking_file, file_kind
from palaver.tournaments.results import LOCK_NAME, TournamentFolderError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks; runs are not guarded
    fcntl = None  # type: ignore[assignment]


class FolderLock:
    """Hold the results folder ``root`` for one run (a context manager).

    Raises :class:`TournamentFolderError` naming the holder (process id, host,
    start time, command) when another run holds it.
    """

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self._fd: int | None = None

    def __enter__(self) -> FolderLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()

    def acquire(self) -> None:
        """Take the lock or raise :class:`TournamentFolderError` saying who holds it."""
        if self.root.exists() and not self.root.is_dir():
            raise TournamentFolderError(f"{self.root} is a file, not a results folder")
        problem = blocking_file(self.root)
        if problem is not None:
            raise TournamentFolderError(f"{self.root} cannot be a results folder: {problem}")
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / LOCK_NAME
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        try:
            fd = os.open(path, flags, 0o644)
        except OSError as e:  # a folder or a symbolic link in its place, ...
            raise TournamentFolderError(
                f"{path}: the folder's lock file cannot be opened ({e.strerror}); remove it"
            ) from None
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            # A FIFO or a device: writing the holder there fails with a bare EINVAL.
            os.close(fd)
            raise TournamentFolderError(
                f"{path}: the folder's lock file is {file_kind(mode)}, not a regular file; "
                "remove it"
            )
        os.set_blocking(fd, True)
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                holder = _describe(fd)
                os.close(fd)
                raise TournamentFolderError(
                    f"{self.root} is in use by another tournament run ({holder}); wait for it "
                    "to finish, stop it, or choose another --out folder"
                ) from None
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": " ".join(sys.argv),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        self._fd = fd

    def release(self) -> None:
        """Let the folder go (the file stays: removing it would race with a new locker)."""
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            os.close(self._fd)  # closing drops the flock
            self._fd = None


def _describe(fd: int) -> str:
    try:
        info = json.loads(os.pread(fd, 4096, 0) or b"{}")
    except (OSError, ValueError):
        info = {}
    if not info:
        return "holder unknown"
    return (
        f"process {info.get('pid')} on {info.get('host')}, started {info.get('started')}: "
        f"{info.get('command')}"
    )
