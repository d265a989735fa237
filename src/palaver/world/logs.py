"""A world's log and its record files; nothing touches the disk without a log folder."""

from __future__ import annotations

import dataclasses
import logging
import os
import sys
import warnings
from pathlib import Path
from typing import IO, Any

from palaver._util import jsontext
from palaver._util.files import check_regular
from palaver.events import Event, EventType, plain
from palaver.world.config import LoggingConfig
from palaver.world.errors import CheckpointError
from palaver.world.files import atomic_write, check_folder
from palaver.world.records import RecordFormat, RecordSink, Settlements
from palaver.world.validate import check_level

__all__ = ["RECORD_KINDS", "WorldLog"]

#: The JSON-lines record files a world may write (``<kind>.jsonl``).
RECORD_KINDS = (
    "contracts",
    "breaches",
    "negotiations",
    "stats",
    "ufuns",
    "negotiation_events",
)

_NEGOTIATION_EVENTS = frozenset(
    {
        EventType.NEGOTIATION_REQUESTED,
        EventType.NEGOTIATION_ACCEPTED,
        EventType.NEGOTIATION_REJECTED,
        EventType.NEGOTIATION_STARTED,
        EventType.OFFER,
        EventType.RESPONSE,
        EventType.NEGOTIATION_ENDED,
    }
)


def _level(value: int | str) -> int:
    if not isinstance(value, str):
        return int(value)  # numpy's integers too
    level = logging.getLevelName(value.upper())
    if not isinstance(level, int):
        raise ValueError(f"unknown log level {value!r}")
    return level


class _NegotiationSink:
    """An event sink that writes negotiation events (``log_negotiations``)."""

    def __init__(self, log: WorldLog) -> None:
        self._log = log

    def emit(self, event: Event) -> None:
        if event.type in _NEGOTIATION_EVENTS:
            self._log.write_record("negotiation_events", event.to_dict())


class _EventFileSink:
    """An event sink that writes events as JSON lines (NegMAS's ``event_file_name``)."""

    def __init__(self, log: WorldLog, file_name: str, types: frozenset[str] | None) -> None:
        self._log = log
        self._file_name = file_name
        self.event_types = types

    def emit(self, event: Event) -> None:
        self._log.write_line(self._file_name, event.to_dict())


class WorldLog:
    """The world's logger and its JSON-lines record files.

    With a log folder (and not ``no_logs``) it writes ``<log_file_name>``
    (the text log, when ``log_to_file``, as in NegMAS), ``contracts.jsonl``, ``breaches.jsonl``,
    ``negotiations.jsonl``, ``stats.jsonl`` (one line per step, appended every
    ``log_stats_every`` steps), ``stats.json`` (the whole series, once, when
    the run ends) and, when asked, ``ufuns.jsonl`` and
    ``negotiation_events.jsonl``. Files are opened on first use and appended to
    (a world resumed from a checkpoint continues them); another run's file
    found there is replaced (:meth:`check_files` refuses it unless
    ``exist_ok``). The contract, breach and negotiation records are written
    by its :class:`~palaver.world.records.RecordSink` on the bus, from what the
    components settled (:attr:`settled`).
    """

    def __init__(
        self,
        config: LoggingConfig,
        name: str,
        event_file: tuple[str, frozenset[str] | None] | None = None,
    ) -> None:
        self.config = config
        #: NegMAS's ``event_file_name`` and ``event_types``, when given.
        self.event_file = event_file
        self.name = name
        on = not config.no_logs
        folder = Path(config.log_folder) if on and config.log_folder is not None else None
        #: The folder records are written to, or ``None``.
        self.records: Path | None = folder
        self._screen = on and config.log_to_screen
        self._file_level = _level(config.log_file_level)
        self._screen_level = _level(config.log_screen_level)
        self._logger: logging.Logger | None = None
        self._files: dict[str, IO[str]] = {}
        #: What the components settled, for the record sink to write (kept
        #: only once the sink is attached: see :meth:`attach`).
        self.settled = Settlements(False)
        self._format: RecordFormat | None = None
        self._record_sink: RecordSink | None = None
        self._sink: _NegotiationSink | None = None
        self._event_sink: _EventFileSink | None = None
        self._stats_written = 0
        self._truncate_to: dict[str, int] = {}
        #: The files this run has opened: a file opened for the first time
        #: starts empty (a checkpoint's sizes say otherwise for a resumed run).
        self._opened: set[str] = set()

    @property
    def _text(self) -> bool:
        # NegMAS's log_to_file is the text log alone: without it the record
        # files (stats, contracts, negotiations, ufuns) are still written.
        return self.records is not None and self.config.log_to_file

    def _names(self) -> set[str]:
        """The names of the files this log may write in its folder."""
        names = {f"{kind}.jsonl" for kind in RECORD_KINDS}
        names.add("stats.json")
        if self._text:
            names.add(self.config.log_file_name)
        if self.event_file is not None:
            names.add(self.event_file[0])
        return names

    def check_files(self, exist_ok: bool) -> None:
        """At construction: refuse a log folder that holds another run's files.

        Appending to them would mix two runs in one file (a contract id twice,
        steps 0, 1, 2, 0, 1, 2); with ``exist_ok`` this run replaces them.
        """
        if self.records is None:
            return
        check_folder("log_folder", self.records)
        if not self.records.is_dir():
            return
        for name in sorted(self._names()):
            # Opening a FIFO there for appending blocked the run for ever; with
            # exist_ok too: it is not a file this run can replace.
            if os.path.lexists(self.records / name):
                _check_appendable(self.records / name)
        if exist_ok:
            return
        existing = sorted(n for n in self._names() if (self.records / n).is_file())
        if existing:
            raise FileExistsError(
                f"log_folder {str(self.records)!r} already holds a run's files {existing[:4]}; "
                "this run would mix its records with them: pass exist_ok=True to replace "
                "them, or use another log_folder"
            )

    @property
    def enabled(self) -> bool:
        """Whether messages go anywhere."""
        return self._text or self._screen

    def _get_logger(self) -> logging.Logger:
        if self._logger is None:
            # A private (unregistered) logger: many worlds in one process must
            # not accumulate in logging's global registry.
            logger = logging.Logger(f"palaver.world.{self.name}")
            logger.propagate = False
            formatter = logging.Formatter("%(asctime)s %(levelname)s %(message)s")
            if self._text and self.records is not None:
                self.records.mkdir(parents=True, exist_ok=True)
                log_path = self.records / self.config.log_file_name
                self._resume_at(log_path)
                handler: logging.Handler = logging.FileHandler(log_path, encoding="utf-8")
                handler.setLevel(self._file_level)
                handler.setFormatter(formatter)
                logger.addHandler(handler)
            if self._screen:
                screen = logging.StreamHandler(sys.stderr)
                screen.setLevel(self._screen_level)
                screen.setFormatter(formatter)
                logger.addHandler(screen)
            self._logger = logger
        return self._logger

    def log(self, message: str, level: int | str = "INFO") -> None:
        """Log ``message`` at ``level`` (a no-op when logging goes nowhere)."""
        # Checked even when logging goes nowhere: a bad level passed silently until
        # a log folder was set, then failed inside int() ("... not 'NoneType'").
        level = check_level("level", level)
        if self.enabled:
            self._get_logger().log(_level(level), message)

    def write_record(self, kind: str, record: Any) -> None:
        """Append ``record`` (a dict or dataclass) as one JSON line to ``<kind>.jsonl``."""
        self.write_line(f"{kind}.jsonl", record)

    def write_line(self, file_name: str, record: Any) -> None:
        """Append ``record`` (a dict or dataclass) as one JSON line to ``file_name``."""
        if self.records is None:
            return
        handle = self._files.get(file_name)
        if handle is None:
            handle = self._open(file_name)
        if dataclasses.is_dataclass(record) and not isinstance(record, type):
            record = {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}
        handle.write(jsontext.dumps(plain(record)) + "\n")

    def _open(self, file_name: str) -> IO[str]:
        assert self.records is not None
        self.records.mkdir(parents=True, exist_ok=True)
        path = self.records / file_name
        self._resume_at(path)
        handle = open(path, "a", encoding="utf-8")  # noqa: SIM115
        self._files[file_name] = handle
        return handle

    def _resume_at(self, path: Path) -> None:
        """In a world resumed from a checkpoint, cut ``path`` back to its size then.

        The original run may have gone on writing after the checkpoint; the
        resumed run writes that part again, so the files end up as the
        uninterrupted run's, not with its later records twice.
        """
        _check_appendable(path)  # one made since construction blocks as well
        offset = self._truncate_to.pop(path.name, None)
        if offset is None and path.name not in self._opened:
            offset = 0  # another run's file (exist_ok): replaced, not appended to
        self._opened.add(path.name)
        if offset is not None and path.exists() and path.stat().st_size > offset:
            with open(path, "r+b") as f:
                f.truncate(offset)

    def check_resume(self) -> None:
        """In a world just loaded from a checkpoint: refuse record files cut
        shorter (or removed) since the checkpoint was taken.

        Resuming would append the later records to a damaged file without a
        word. A log folder that is gone as a whole was moved away on purpose:
        the run resumes into a new one, which holds only the later records
        (a ``RuntimeWarning`` says so).
        """
        if self.records is None or not self._truncate_to:
            return
        if not self.records.exists():
            warnings.warn(
                f"log_folder {str(self.records)!r} is gone: the resumed run writes "
                "only the records after its checkpoint there",
                RuntimeWarning,
                stacklevel=3,
            )
            return
        for name, size in sorted(self._truncate_to.items()):
            path = self.records / name
            now = path.stat().st_size if path.is_file() else None
            if size > 0 and (now is None or now < size):
                state = "is missing" if now is None else f"holds {now} bytes"
                raise CheckpointError(
                    f"record file {str(path)!r} {state}, but held {size} bytes when the "
                    "checkpoint was taken: it was damaged since, and resuming would "
                    "append to it; restore it, or move the log folder away to resume "
                    "with only the records written after the checkpoint"
                )

    def _sizes(self) -> dict[str, int]:
        """The size of every file this log writes, for :meth:`_resume_at` (at a checkpoint)."""
        if self.records is None or not self.records.is_dir():
            return {}
        self.flush()
        if self._logger is not None:
            for handler in self._logger.handlers:
                handler.flush()
        return {
            n: (self.records / n).stat().st_size if (self.records / n).exists() else 0
            for n in self._names() - {"stats.json"}
        }

    def write_stats(self, stats: dict[str, list[Any]], final: bool = False) -> None:
        """Append the steps not yet written to ``stats.jsonl``; when ``final``
        also write the whole series to ``stats.json``.

        Periodic writes append only the new steps, so their cost does not grow
        with the length of the run; the whole series is serialised once, at
        the end (a resumed world continues both files).
        """
        if self.records is None:
            return
        n = max((len(series) for series in stats.values()), default=0)
        for k in range(self._stats_written, n):
            row = {name: series[k] for name, series in stats.items() if k < len(series)}
            self.write_record("stats", {"step": k, **row})
        self._stats_written = n
        if not final:
            self.flush()
            return
        atomic_write(self.records / "stats.json", (jsontext.dumps(plain(stats)).encode(),))

    def attach(self, bus: Any, format: RecordFormat | None = None) -> None:
        """Subscribe to ``bus``: the record files (``format``: whose ``contract_record``
        and ``breach_record`` make their lines; given once, kept), ``log_negotiations``
        and the event file (if asked)."""
        if format is not None:
            self._format = format
        if self.records is not None and self._format is not None:
            if self._record_sink is None:
                self._record_sink = RecordSink(self.settled, self, self._format)
            self.settled.enabled = True
            bus.add_sink(self._record_sink)
        if self.records is not None and self.config.log_negotiations:
            if self._sink is None:
                self._sink = _NegotiationSink(self)
            bus.add_sink(self._sink)
        if self.records is not None and self.event_file is not None:
            if self._event_sink is None:
                self._event_sink = _EventFileSink(self, *self.event_file)
            bus.add_sink(self._event_sink)

    def flush(self) -> None:
        """Write what is settled and flush the open record files."""
        if self._record_sink is not None:
            self._record_sink.flush()
        for handle in self._files.values():
            handle.flush()

    def close(self) -> None:
        """Close every file and handler (they reopen, appending, on next use)."""
        if self._record_sink is not None:
            self._record_sink.flush()
        for handle in self._files.values():
            handle.close()
        self._files = {}
        if self._logger is not None:
            for handler in list(self._logger.handlers):
                handler.close()
                self._logger.removeHandler(handler)
            self._logger = None

    def __getstate__(self) -> dict[str, Any]:
        self.flush()
        state = dict(self.__dict__)
        state["_logger"] = None
        state["_files"] = {}
        state["_record_sink"] = None
        state["_sink"] = None
        state["_event_sink"] = None
        state["_truncate_to"] = self._sizes()
        return state


def _check_appendable(path: Path) -> None:
    """Refuse (``FileKindError``, an ``OSError``, naming it) a record or log file
    that is a FIFO, a socket or a device: opening a FIFO blocks for ever, and a
    device such as ``/dev/null`` would take the records without a word. A folder
    is left to fail when written (``safe_stats_monitoring`` handles that)."""
    try:
        if not os.path.isdir(path):
            check_regular(path)
    except FileNotFoundError:
        return
