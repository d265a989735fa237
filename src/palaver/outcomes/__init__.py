"""Issues, outcome spaces, tuple/dict conversion, explicit discretization, sampling.

An outcome is a tuple of issue values in issue order; functions that accept an
outcome also accept a dict keyed by issue name.
"""

from palaver.outcomes.balanced import (
    BalancedOutcomeCountsInUFunBinsDiscretizer,
    BalancedOutcomeCountsInUFunsBinsDiscretizer,
    BalancedUFunsVarianceDiscretizer,
    BalancedUFunVarianceDiscretizer,
    BaseBalancedDiscretizer,
)
from palaver.outcomes.base import Issue
from palaver.outcomes.categorical import (
    CategoricalIssue,
    DiscreteCardinalIssue,
    DiscreteOrdinalIssue,
    DiscretizedIssue,
    SingletonIssue,
)
from palaver.outcomes.discretizers import (
    DEFAULT_LEVELS,
    DISCRETIZERS,
    BaseDiscretizer,
    DefaultDiscretizer,
    Discretizer,
    GridBasedDiscretizer,
    get_discretizer,
)
from palaver.outcomes.enumerating import (
    Constraint,
    EnumeratingOutcomeSpace,
    os_difference,
    os_intersection,
    os_union,
)
from palaver.outcomes.errors import InvalidIssueError, IssueValueTypeError, OutcomeSpaceError
from palaver.outcomes.extended import (
    ExtendedOutcome,
    extract_data,
    extract_outcome,
    extract_text,
)
from palaver.outcomes.factory import make_issue
from palaver.outcomes.flags import Flag
from palaver.outcomes.helpers import (
    dict2outcome,
    enumerate_issues,
    generate_issues,
    generate_values,
    issues_from_outcomes,
    outcome_is_valid,
    resolve_outcome_space,
    unique_name,
)
from palaver.outcomes.issue_ops import (
    check_one_and_only,
    check_one_at_most,
    discretize_and_enumerate_issues,
    ensure_os,
    enumerate_discrete_issues,
    num_outcomes,
    os_or_none,
    outcome2dict,
    outcome_is_complete,
    outcome_types_are_ok,
    sample_issues,
    sample_outcomes,
)
from palaver.outcomes.issues import ContiguousIssue, ContinuousIssue, IntegerIssue
from palaver.outcomes.refused import (
    CallableIssue,
    ContinuousInfiniteIssue,
    CountableInfiniteIssue,
    InfiniteIssue,
    OptionalIssue,
)
from palaver.outcomes.space import (
    CartesianOutcomeSpace,
    DiscreteCartesianOutcomeSpace,
    DiscreteOutcomeSpace,
    Outcome,
    OutcomeSpace,
    SingletonOutcomeSpace,
    make_os,
)
from palaver.outcomes.subset import SubsetCartesianOutcomeSpace

__all__ = [
    "DEFAULT_LEVELS",
    "DISCRETIZERS",
    "BalancedOutcomeCountsInUFunBinsDiscretizer",
    "BalancedOutcomeCountsInUFunsBinsDiscretizer",
    "BalancedUFunVarianceDiscretizer",
    "BalancedUFunsVarianceDiscretizer",
    "BaseBalancedDiscretizer",
    "BaseDiscretizer",
    "CallableIssue",
    "CartesianOutcomeSpace",
    "CategoricalIssue",
    "Constraint",
    "ContiguousIssue",
    "ContinuousInfiniteIssue",
    "ContinuousIssue",
    "CountableInfiniteIssue",
    "DefaultDiscretizer",
    "DiscreteCardinalIssue",
    "DiscreteCartesianOutcomeSpace",
    "DiscreteOrdinalIssue",
    "DiscreteOutcomeSpace",
    "DiscretizedIssue",
    "Discretizer",
    "EnumeratingOutcomeSpace",
    "ExtendedOutcome",
    "Flag",
    "GridBasedDiscretizer",
    "InfiniteIssue",
    "IntegerIssue",
    "InvalidIssueError",
    "Issue",
    "IssueValueTypeError",
    "OptionalIssue",
    "Outcome",
    "OutcomeSpace",
    "OutcomeSpaceError",
    "SingletonIssue",
    "SingletonOutcomeSpace",
    "SubsetCartesianOutcomeSpace",
    "check_one_and_only",
    "check_one_at_most",
    "dict2outcome",
    "discretize_and_enumerate_issues",
    "ensure_os",
    "enumerate_discrete_issues",
    "enumerate_issues",
    "extract_data",
    "extract_outcome",
    "extract_text",
    "generate_issues",
    "generate_values",
    "get_discretizer",
    "issues_from_outcomes",
    "make_issue",
    "make_os",
    "num_outcomes",
    "os_difference",
    "os_intersection",
    "os_or_none",
    "os_union",
    "outcome2dict",
    "outcome_is_complete",
    "outcome_is_valid",
    "outcome_types_are_ok",
    "resolve_outcome_space",
    "sample_issues",
    "sample_outcomes",
    "unique_name",
]
