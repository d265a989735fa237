"""Exceptions raised by the outcomes layer."""

from __future__ import annotations


class InvalidIssueError(ValueError):
    """An issue definition is invalid; the message names the issue and the value."""


class IssueValueTypeError(InvalidIssueError, TypeError):
    """A value of an issue of numbers is not a number (``DiscreteCardinalIssue([0, "1"])``).

    Also a ``TypeError``, as NegMAS raises for an ordinal issue given values of
    several types: code catching either sees it.
    """


class OutcomeSpaceError(ValueError):
    """An outcome space or an outcome is invalid for the operation asked of it.

    The message names the issue (or outcome) and the offending value.
    """
