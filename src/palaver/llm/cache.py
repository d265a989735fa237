"""The response cache that makes a recorded run replayable without calling the model."""

from __future__ import annotations

import hashlib
import os
import threading
from collections import Counter
from pathlib import Path
from typing import IO, Any

import orjson

from palaver._util.checks import check_bool
from palaver.llm.types import BackendError, CacheFileError, ChatResponse
from palaver.scenarios.files import open_regular

#: The cache file's name when it is kept in a recording folder.
CACHE_FILE = "llm_cache.jsonl"

#: The longest line (one call) of a cache file read (16 MiB); a longer one is damage.
MAX_RECORD_BYTES = 16 * 1024 * 1024

Outcome = ChatResponse | BackendError


def cache_key(
    backend: str, model: str, params: dict[str, Any], messages: Any, seed: int | None
) -> str:
    """The key of one request: a SHA-256 of its backend kind, model, parameters,
    messages and seed (JSON with sorted keys, so dict order does not matter)."""
    blob = orjson.dumps(
        {"backend": backend, "model": model, "params": params, "messages": messages, "seed": seed},
        option=orjson.OPT_SORT_KEYS,
    )
    return hashlib.sha256(blob).hexdigest()


class ResponseCache:
    """Every model call's outcome, by request, kept in a JSON Lines file.

    The same request can be made more than once in a run (a retry after a
    timeout, two negotiations that happen to ask the same thing with the same
    seed), so the cache keeps, per key, the outcomes in the order they
    happened, and the *n*-th identical request of a run gets the *n*-th
    outcome. Failures (timeouts, HTTP errors) are outcomes too: a replay meets
    the same failures and takes the same retries, so its event log is the
    original's.

    Args:
        path: The JSON Lines file (created when missing, appended to, never
            rewritten). ``None`` keeps the cache in memory.
        offline: Never call the model: a request missing from the cache fails
            with :class:`~palaver.llm.CacheMissError` (a recorded negotiator
            error) instead of being sent.

    Attributes:
        hits: Requests answered from the cache.
        misses: Requests that went to the model.
    """

    def __init__(
        self, path: str | os.PathLike[str] | None = None, *, offline: bool = False
    ) -> None:
        if path is not None and not isinstance(path, str | os.PathLike):
            raise ValueError(f"ResponseCache(path=...) must be a path or None, got {path!r}")
        self.path = Path(path) if path is not None else None
        # Not by truthiness: offline="no" would refuse every call.
        self.offline = check_bool("ResponseCache(offline=...)", offline, type_error=ValueError)
        self.hits = 0
        self.misses = 0
        self._entries: dict[str, list[Outcome]] = {}
        self._served: Counter[str] = Counter()
        self._file: IO[bytes] | None = None
        self._lock = threading.Lock()
        if self.path is not None and (self.path.exists() or self.path.is_symlink()):
            self._load(self.path)
        elif self.path is not None:
            # Refuse now, not at the first call: a folder that cannot be made.
            for parent in self.path.parents:
                if parent.exists():
                    if not parent.is_dir():
                        raise CacheFileError(
                            f"cannot keep the response cache {self.path}: {parent} is not a folder"
                        )
                    break

    @classmethod
    def beside(
        cls, folder: str | os.PathLike[str] | Any, *, offline: bool = False
    ) -> ResponseCache:
        """The cache kept in a recording folder (``folder/llm_cache.jsonl``).

        ``folder`` is a path, or a ``SimulationRecorder`` (its ``folder``), or a
        ``RecordingReader`` (its ``path``; the folder holding it when that is
        a file such as ``manifest.json``).
        """
        if hasattr(folder, "folder"):
            target = folder.folder
            if target is None:
                raise ValueError(
                    "this recorder keeps nothing on disk (output_dir=None): it has no folder "
                    "for a cache"
                )
        else:
            target = getattr(folder, "path", folder)
        try:
            where = Path(target)
        except TypeError:
            raise ValueError(
                f"ResponseCache.beside() takes a folder, a recorder or a reader, got {folder!r}"
            ) from None
        if where.is_file():
            where = where.parent
        return cls(where / CACHE_FILE, offline=offline)

    def _load(self, path: Path) -> None:
        fd = open_regular(path, CacheFileError)  # a folder, FIFO, ... is refused here
        try:
            with os.fdopen(fd, "rb") as f:
                self._read_lines(path, f)
        except OSError as exc:
            raise CacheFileError(f"cannot read the response cache {path}: {exc}") from None

    def _read_lines(self, path: Path, f: IO[bytes]) -> None:
        number = 0
        while line := f.readline(MAX_RECORD_BYTES + 1):
            number += 1
            if len(line) > MAX_RECORD_BYTES:
                raise CacheFileError(
                    f"{path}, line {number}: longer than {MAX_RECORD_BYTES} bytes; not a "
                    "response-cache record"
                )
            if not line.strip():
                continue
            try:
                record = orjson.loads(line)
                key = record["key"]
                if "response" in record:
                    outcome: Outcome = ChatResponse.from_json(record["response"])
                else:
                    outcome = BackendError.from_json(record["error"])
                if not isinstance(key, str):
                    raise TypeError(key)
            except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
                raise CacheFileError(
                    f"{path}, line {number}: not a response-cache record "
                    f"({line[:80].decode('utf-8', 'replace')!r})"
                ) from None
            self._entries.setdefault(key, []).append(outcome)

    def __len__(self) -> int:
        return sum(len(v) for v in self._entries.values())

    def take(self, key: str) -> Outcome | None:
        """The next recorded outcome of ``key`` in this run, or ``None`` when there is none."""
        with self._lock:
            outcomes = self._entries.get(key)
            n = self._served[key]
            if outcomes is None or n >= len(outcomes):
                return None
            self._served[key] = n + 1
            self.hits += 1
            return outcomes[n]

    def put(self, key: str, outcome: Outcome, request: dict[str, Any]) -> None:
        """Store the outcome of a call just made (it counts as served in this run)."""
        record: dict[str, Any] = {"key": key, **request}
        if isinstance(outcome, ChatResponse):
            record["response"] = outcome.to_json()
        else:
            record["error"] = outcome.to_json()
        line = orjson.dumps(record) + b"\n"
        with self._lock:
            outcomes = self._entries.setdefault(key, [])
            outcomes.append(outcome)
            self._served[key] = len(outcomes)
            self.misses += 1
            if self.path is not None:
                try:
                    if self._file is None:
                        self.path.parent.mkdir(parents=True, exist_ok=True)
                        # Unbuffered: one write() per record, so the workers of a
                        # tournament appending to one file never interleave.
                        self._file = open(self.path, "ab", buffering=0)  # noqa: SIM115
                    self._file.write(line)
                    self._file.flush()
                except OSError as exc:
                    raise CacheFileError(
                        f"cannot write the response cache {self.path}: {exc.strerror or exc}"
                    ) from None

    def rewind(self) -> None:
        """Start a new run: the next request of each key gets its first outcome again."""
        with self._lock:
            self._served.clear()
            self.hits = 0
            self.misses = 0

    def close(self) -> None:
        """Close the file (a later ``put`` reopens it)."""
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None

    def __getstate__(self) -> dict[str, Any]:
        # A copy in another process reads the file again and appends to it.
        return {"path": self.path, "offline": self.offline}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["path"], offline=state["offline"])  # type: ignore[misc]

    def __repr__(self) -> str:
        # No counters: a tournament's setup digest includes this text.
        where = str(self.path) if self.path else None
        return f"ResponseCache(path={where!r}, offline={self.offline})"
