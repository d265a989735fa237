"""Issues, outcome spaces, tuple/dict conversion, explicit discretization, sampling.

An outcome is a tuple of issue values in issue order; functions that accept an
outcome also accept a dict keyed by issue name.
"""

from palaver.outcomes.base import Issue
from palaver.outcomes.categorical import CategoricalIssue, DiscretizedIssue
from palaver.outcomes.errors import InvalidIssueError, OutcomeSpaceError
from palaver.outcomes.factory import make_issue
from palaver.outcomes.issues import ContinuousIssue, IntegerIssue
from palaver.outcomes.space import Outcome, OutcomeSpace, make_os

__all__ = [
    "CategoricalIssue",
    "ContinuousIssue",
    "DiscretizedIssue",
    "IntegerIssue",
    "InvalidIssueError",
    "Issue",
    "Outcome",
    "OutcomeSpace",
    "OutcomeSpaceError",
    "make_issue",
    "make_os",
]
