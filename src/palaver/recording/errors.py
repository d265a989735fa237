"""Errors and warnings raised by :mod:`palaver.recording`."""

from __future__ import annotations


class RecordingError(Exception):
    """A recording cannot be written or read as asked (the message says why)."""


class CorruptRecordingError(RecordingError):
    """A recording file is truncated, damaged or not a Palaver recording."""


class RecordingWarning(UserWarning):
    """Something in a recording was skipped (e.g. the torn tail of a killed run)."""
