"""Issues, outcome spaces, tuple/dict conversion, explicit discretization, sampling.

An outcome is a tuple of issue values in issue order; functions that accept an
outcome also accept a dict keyed by issue name.
"""

from palaver.outcomes.base import Issue
from palaver.outcomes.categorical import CategoricalIssue, DiscretizedIssue
from palaver.outcomes.errors import InvalidIssueError, OutcomeSpaceError
from palaver.outcomes.extended import ExtendedOutcome
from palaver.outcomes.factory import make_issue
from palaver.outcomes.flags import Flag
from palaver.outcomes.helpers import (
    dict2outcome,
    enumerate_issues,
    generate_issues,
    issues_from_outcomes,
    outcome_is_valid,
    resolve_outcome_space,
    unique_name,
)
from palaver.outcomes.issues import ContiguousIssue, ContinuousIssue, IntegerIssue
from palaver.outcomes.space import (
    CartesianOutcomeSpace,
    DiscreteCartesianOutcomeSpace,
    Outcome,
    OutcomeSpace,
    SingletonOutcomeSpace,
    make_os,
)

__all__ = [
    "CartesianOutcomeSpace",
    "CategoricalIssue",
    "ContiguousIssue",
    "ContinuousIssue",
    "DiscreteCartesianOutcomeSpace",
    "DiscretizedIssue",
    "ExtendedOutcome",
    "Flag",
    "IntegerIssue",
    "InvalidIssueError",
    "Issue",
    "Outcome",
    "OutcomeSpace",
    "OutcomeSpaceError",
    "SingletonOutcomeSpace",
    "dict2outcome",
    "enumerate_issues",
    "generate_issues",
    "issues_from_outcomes",
    "make_issue",
    "make_os",
    "outcome_is_valid",
    "resolve_outcome_space",
    "unique_name",
]
