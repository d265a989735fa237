"""Errors and warnings raised by :mod:`palaver.recording`."""

from __future__ import annotations


class RecordingError(Exception):
    """A recording cannot be written or read as asked (the message says why)."""


class OutputDirError(RecordingError, OSError):
    """``output_dir`` (or the recording folder in it) cannot be used: it is a
    file, cannot be created or is not writable. An ``OSError``, as the
    classic recorder raises there, and a :class:`RecordingError`."""


class OutputDirExistsError(OutputDirError, FileExistsError):
    """``output_dir`` is an existing file: a ``FileExistsError``, what the classic
    recorder's ``mkdir`` raises there (and an :class:`OutputDirError`)."""


class CorruptRecordingError(RecordingError):
    """A recording file is truncated, damaged or not a Palaver recording."""


class RecordingChangedError(RecordingError):
    """Files a reader listed when it opened a recording are gone because their
    recorder replaced them since: closing a long recording merges its parts
    into larger ones. Nothing is lost; open the recording again."""


class RecordingWarning(UserWarning):
    """Something in a recording was skipped or lost (e.g. the torn log tail of a killed run)."""


class QueryError(RecordingError, ValueError):
    """A query on a recording cannot run: SQL that does not parse, names a
    table or column the recording lacks, or fails while running (the message
    holds the query and DuckDB's reason); an event type that is a near miss of
    a known one; a table the recording holds no data for (agent states of a
    recording made with ``record_state_changes=False``). A ``ValueError`` too."""
