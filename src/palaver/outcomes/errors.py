"""Exceptions raised by the outcomes layer."""

from __future__ import annotations


class InvalidIssueError(ValueError):
    """An issue definition is invalid; the message names the issue and the value."""


class OutcomeSpaceError(ValueError):
    """An outcome space or an outcome is invalid for the operation asked of it.

    The message names the issue (or outcome) and the offending value.
    """
