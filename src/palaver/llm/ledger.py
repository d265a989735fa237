"""Spending shared across processes: a budget kept in a locked file, and an LLM event log.

A tournament's ``process`` executor ships a copy of every competitor's
parameters to each worker, so a plain :class:`~palaver.llm.Budget` would cap
each worker separately. :class:`SharedBudget` keeps its counters in a small
JSON file locked with ``fcntl.flock`` for every reservation and settlement:
every copy, in any process on the machine, spends from the same cap.
:class:`LLMEventLog` appends an LLM negotiator's events to a JSON Lines file
per process, for runs (tournaments) whose mechanisms have no recorder.
"""

from __future__ import annotations

import fcntl
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from palaver._util.files import blocking_file, file_kind, read_regular
from palaver.llm.limits import Budget, Spend, scaled, shortfall

_FIELDS = ("tokens", "usd", "calls", "held_tokens", "held_usd")
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


class SharedBudget(Budget):
    """A :class:`~palaver.llm.Budget` whose spending lives in a file shared by processes.

    Pass the same one (e.g. in ``competitor_params``) to every LLM negotiator
    of a tournament: the copies the ``process`` executor sends to its workers
    all read and update ``path`` under an exclusive lock, so the cap holds for
    the whole tournament. A file that already exists is continued (a resumed
    tournament does not get a fresh budget); delete it to start again. A
    worker killed in the middle of a call leaves its reservation held, which
    only makes the cap stricter. The ledger also keeps :attr:`ratio`, so a
    call that cost more than its estimate in one process makes every process
    hold more for its next calls.

    Args:
        path: The ledger file (e.g. ``tournament_folder / "budget.json"``).
        max_tokens, max_usd, name: As for :class:`~palaver.llm.Budget`.

    Raises:
        ValueError: ``path`` is not a path, or the file exists and is not a
            ledger, or is a folder, a FIFO, a socket or a device (the message
            names the file).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        max_tokens: int | None = None,
        max_usd: float | None = None,
        name: str = "budget",
    ) -> None:
        super().__init__(max_tokens, max_usd, name)
        if not isinstance(path, str | os.PathLike):
            raise ValueError(f"SharedBudget(path=...) must be a path, got {path!r}")
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._locked() as state:
            self._view(state)

    @contextmanager
    def _locked(self) -> Iterator[dict[str, Any]]:
        """The ledger's state under an exclusive lock; changes are written back."""
        fd = self._open()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            raw = b""
            while chunk := os.read(fd, 65536):
                raw += chunk
            state = self._parse(raw)
            before = dict(state)
            yield state
            if state != before or not raw:
                data = orjson.dumps(state)
                # Written over the old text, then cut to length: a process
                # killed in between leaves a damaged ledger (an error when
                # read), never an empty one (a fresh budget, all spending lost).
                os.lseek(fd, 0, os.SEEK_SET)
                os.write(fd, data)
                os.ftruncate(fd, len(data))
        finally:
            os.close(fd)  # closing releases the lock

    def _open(self) -> int:
        """The ledger file, opened for reading and writing (created if missing).

        Opened without blocking, then checked: reading a FIFO would block the
        process for ever, and a folder, a socket or a device is no ledger.
        """
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | _NONBLOCK, 0o644)
        except IsADirectoryError:
            mode = stat.S_IFDIR
        except OSError as e:  # a socket (ENXIO), no permission, ...
            raise ValueError(
                f"SharedBudget(path=...): cannot open the budget ledger {str(self.path)!r}: "
                f"{e.strerror}"
            ) from None
        else:
            mode = os.fstat(fd).st_mode
            if stat.S_ISREG(mode):
                os.set_blocking(fd, True)
                return fd
            os.close(fd)
        raise ValueError(
            f"SharedBudget(path=...): the budget ledger {str(self.path)!r} is "
            f"{file_kind(mode)}, not a regular file"
        )

    def _parse(self, raw: bytes) -> dict[str, Any]:
        if not raw.strip():
            return {
                "tokens": 0,
                "usd": 0.0,
                "calls": 0,
                "held_tokens": 0,
                "held_usd": 0.0,
                "ratio": 1.0,
                "refused": None,
            }
        try:
            state = orjson.loads(raw)
            if not isinstance(state, dict) or not all(
                isinstance(state.get(k), int | float) for k in _FIELDS
            ):
                raise ValueError(state)
            # Ledgers written before the ratio was kept continue at 1.
            state.setdefault("ratio", 1.0)
            if not isinstance(state["ratio"], int | float) or not state["ratio"] >= 1.0:
                raise ValueError(state)
            # The last refused call ([tokens, usd or null]); older ledgers have none.
            refused = state.setdefault("refused", None)
            if refused is not None and not (
                isinstance(refused, list)
                and len(refused) == 2
                and isinstance(refused[0], int)
                and (refused[1] is None or isinstance(refused[1], int | float))
            ):
                raise ValueError(state)
        except ValueError:
            raise ValueError(
                f"the budget ledger {self.path} is damaged or not a ledger "
                f"({raw[:60].decode('utf-8', 'replace')!r}); delete it to start again"
            ) from None
        return dict(state)

    def _view(self, state: dict[str, Any]) -> None:
        self.tokens = int(state["tokens"])
        self.usd = float(state["usd"])
        self.calls = int(state["calls"])
        self.ratio = float(state["ratio"])

    def reserve(self, estimate: Spend) -> Spend | None:
        """Hold ``estimate`` times the ledger's ratio if it fits; what is held, or ``None``."""
        if self.max_usd is not None and estimate.usd is None:
            raise ValueError(
                f"Budget {self.name!r} caps US dollars but the model has no price: add it to "
                "the PriceTable (prices=...)"
            )
        with self._locked() as s:
            self._view(s)
            held = scaled(estimate, s["ratio"])
            if not self._room(s["tokens"], s["usd"], s["held_tokens"], s["held_usd"], held):
                s["refused"] = [held.tokens, held.usd]
                return None
            if self.max_usd is not None and held.usd is not None:
                s["held_usd"] += held.usd
            s["held_tokens"] += held.tokens
            return held

    def settle(self, held: Spend, actual: Spend | None, estimate: Spend | None = None) -> None:
        """Replace a reservation in the ledger by what the call cost (see :meth:`Budget.settle`)."""
        with self._locked() as s:
            s["held_tokens"] = max(0, s["held_tokens"] - held.tokens)
            if held.usd is not None and self.max_usd is not None:
                s["held_usd"] = max(0.0, s["held_usd"] - held.usd)
            if actual is not None:
                s["tokens"] += actual.tokens
                s["usd"] += actual.usd or 0.0
                s["calls"] += 1
                if estimate is not None:
                    s["ratio"] = max(s["ratio"], shortfall(estimate, actual))
            self._view(s)

    @property
    def exhausted(self) -> bool:
        """Whether calls are refused, across every process (as :attr:`Budget.exhausted`)."""
        with self._locked() as s:
            self._view(s)
            refused = s["refused"]
            return self._spent_out(s["tokens"], s["usd"]) or (
                refused is not None
                and not self._room(
                    s["tokens"], s["usd"], s["held_tokens"], s["held_usd"], Spend(*refused)
                )
            )

    def snapshot(self) -> dict[str, float | int | str | None]:
        """Caps and the spending of every process, as plain data."""
        with self._locked() as s:
            self._view(s)
        return super().snapshot()

    def __repr__(self) -> str:
        return (
            f"SharedBudget(path={str(self.path)!r}, max_tokens={self.max_tokens}, "
            f"max_usd={self.max_usd}, name={self.name!r})"
        )


class LLMEventLog:
    """Appends LLM negotiators' events to ``folder/llm_events-<pid>.jsonl``.

    Give it as ``event_log=`` to :class:`~palaver.llm.LLMNegotiator` where no
    recorder watches the mechanism (negotiation tournaments): every event the
    negotiator emits (``llm_request``, ``llm_response``, ``llm_offer``,
    ``llm_budget_exhausted``, ``observation``, ``action``, ...) becomes one line
    with ``type``, ``negotiation_id`` and ``source`` added to its payload. One
    file per process, each line written by one unbuffered append, so workers
    never interleave. Read them back with :meth:`read`.
    """

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        if not isinstance(folder, str | os.PathLike):
            raise ValueError(f"LLMEventLog(folder=...) must be a path, got {folder!r}")
        self.folder = Path(folder)
        # Under a file the log could never be made: the first event would fail
        # mid-negotiation.
        problem = blocking_file(self.folder)
        if problem is not None:
            raise ValueError(
                f"LLMEventLog(folder=...) must be a folder, made when missing; got "
                f"{str(self.folder)!r}: {problem}"
            )
        self._file: Any = None
        self._pid = -1

    def write(self, event_type: str, payload: dict[str, Any], source: str, run: str | None) -> None:
        """Append one event (opening this process's file on first use)."""
        if self._file is None or self._pid != os.getpid():
            self.folder.mkdir(parents=True, exist_ok=True)
            self._pid = os.getpid()
            self._file = open(  # noqa: SIM115 - kept open for appends
                self.folder / f"llm_events-{self._pid}.jsonl", "ab", buffering=0
            )
        record = {"type": event_type, "negotiation_id": run, "source": source, **payload}
        self._file.write(orjson.dumps(record, default=repr) + b"\n")

    def read(self) -> list[dict[str, Any]]:
        """Every event logged in the folder (by any process), file by file in order.

        Raises:
            ValueError: A line is not JSON (the message names the file and
                line), or a log file is a folder, a FIFO, a socket or a device.
        """
        out: list[dict[str, Any]] = []
        for file in sorted(self.folder.glob("llm_events-*.jsonl")):
            # Not read_bytes(): a FIFO placed here would block the reader for ever.
            data = read_regular(file, ValueError)
            for number, line in enumerate(data.splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    out.append(orjson.loads(line))
                except orjson.JSONDecodeError:
                    raise ValueError(f"{file}, line {number}: not an LLM event record") from None
        return out

    def __getstate__(self) -> dict[str, Any]:
        return {"folder": self.folder}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["folder"])  # type: ignore[misc]

    def __repr__(self) -> str:
        return f"LLMEventLog({str(self.folder)!r})"
