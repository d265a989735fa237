"""Utility functions, vectorized evaluation and solution concepts.

A utility function maps an outcome (a tuple, or a dict keyed by issue name)
to a float; ``None`` (no agreement) maps to its reserved value.
"""

from palaver.preferences.adapters import UFunConstraint, UtilityFunctionAdapter
from palaver.preferences.additive import LinearAdditiveUtilityFunction, ValueFunction
from palaver.preferences.additive_pareto import (
    IPSParetoSampler,
    MOBANOSParetoSampler,
    NB3ParetoSampler,
)
from palaver.preferences.base import Outcomes, Preferences, UtilityFunction
from palaver.preferences.changes import PreferencesChange, PreferencesChangeType
from palaver.preferences.compare import COMPARE_UFUN_METHOD_TYPE, compare_ufuns
from palaver.preferences.complex_nonlinear import ComplexNonlinearUtilityFunction
from palaver.preferences.const import ConstUtilityFunction
from palaver.preferences.convex_frontier import (
    dist_to_convex_hull_frontier,
    pareto_frontier_convex_hull,
)
from palaver.preferences.convex_solutions import (
    kalai_point_convex_hull,
    ks_point_convex_hull,
    nash_point_convex_hull,
)
from palaver.preferences.discounted import (
    DiscountedUtilityFunction,
    ExpDiscountedUFun,
    LinDiscountedUFun,
    make_discounted_ufun,
)
from palaver.preferences.distribution_uniform_sum import UNIFORM_SUM, UniformSumDistribution
from palaver.preferences.distributions import (
    NORMAL,
    UNIFORM,
    Distribution,
    NormalDistribution,
    Real,
    ScipyDistribution,
    UniformDistribution,
    canonical_distribution_type,
    make_distribution,
)
from palaver.preferences.frontier_ops import (
    calc_reserved_value,
    distance_to,
    pareto_frontier_bf,
    pareto_frontier_numpy,
)
from palaver.preferences.frontier_points import (
    kalai_points,
    ks_points,
    max_relative_welfare_points,
    nash_points,
    pareto_utilities,
    welfare_points,
)
from palaver.preferences.generators import (
    GENERATOR_MAP,
    distribute_integer_randomly,
    generate_utility_values,
    make_curve_pareto,
    make_endpoints,
    make_non_pareto,
    make_pareto,
    make_piecewise_linear_pareto,
    make_zero_sum_pareto,
    sample_between,
)
from palaver.preferences.gla import GLAUtilityFunction
from palaver.preferences.hyperrectangles import (
    HyperRectangle,
    HyperRectangleUtilityFunction,
    RectangleGroup,
)
from palaver.preferences.inverse import (
    AdaptiveInverseUtilityFunction,
    AttributePlanningInverseUtilityFunction,
    BIDSInverseUtilityFunction,
    BruteForceInverseUtilityFunction,
    DefaultInverseUtilityFunction,
    InverseUFun,
    InverseUtilityFunction,
    MCTSInverseUtilityFunction,
    PresortingInverseUtilityFunction,
    PresortingInverseUtilityFunctionBruteForce,
    PresortingLegacyInverseUtilityFunction,
    SamplingInverseUtilityFunction,
)
from palaver.preferences.linear import LinearUtilityFunction
from palaver.preferences.mapping import MappingUtilityFunction
from palaver.preferences.normalization import (
    DEFAULT_RESERVED_VALUE_PENALTY,
    NormalizedLinearAdditiveUtilityFunction,
    NormalizedLinearUtilityFunction,
    ReservedValueWarning,
    correct_reserved_value,
    is_rational,
    normalize,
    scale_max,
)
from palaver.preferences.outcome_ranges import RangeUtilityFunction, outcome_in_range
from palaver.preferences.pareto_samplers import (
    AdaptiveParetoSampler,
    BruteForceParetoSampler,
    DefaultParetoSampler,
    ParetoSampler,
)
from palaver.preferences.polynomial_aggregation import GPAUtilityFunction, PAUtilityFunction
from palaver.preferences.prob_mapping import (
    IPUtilityFunction,
    ProbMappingUtilityFunction,
    ProbUtilityFunction,
)
from palaver.preferences.protocol import UtilityFunctionLike, resolve_ufun
from palaver.preferences.random import RandomUtilityFunction
from palaver.preferences.rank_only import RankOnlyUtilityFunction
from palaver.preferences.ranks import make_rank_ufun
from palaver.preferences.solutions import (
    SolutionPoint,
    evaluate,
    kalai_point,
    max_welfare_points,
    nash_point,
    pareto_frontier,
    pareto_indices,
)
from palaver.preferences.stability import (
    FIXED_RESERVED_VALUE,
    SCALE_INVARIANT,
    SESSION_INDEPENDENT,
    STABLE_DIFF_RATIOS,
    STABLE_EXTREMES,
    STABLE_IRRATIONAL_OUTCOMES,
    STABLE_MAX,
    STABLE_MIN,
    STABLE_ORDERING,
    STABLE_RATIONAL_OUTCOMES,
    STABLE_RESERVED_VALUE,
    STABLE_SCALE,
    STATE_INDEPENDENT,
    STATIONARY,
    VOLATILE,
    Stability,
)
from palaver.preferences.ufun_generators import (
    generate_multi_issue_ufuns,
    generate_single_issue_ufuns,
    generate_ufuns_for,
)
from palaver.preferences.value_curves import (
    CosFun,
    ExponentialFun,
    GaussianFun,
    LogFun,
    PolynomialFun,
    QuadraticFun,
    SinFun,
    TrapezoidalFun,
    TriangularFun,
)
from palaver.preferences.value_functions import (
    AffineFun,
    BaseFun,
    ConstFun,
    IdentityFun,
    LambdaFun,
    LinearFun,
    TableFun,
)
from palaver.preferences.value_mixtures import (
    AggregatingFun,
    BiasedFun,
    MultiModalGaussianFun,
    MultiModalTrapezoidalFun,
)
from palaver.preferences.value_multi import (
    AffineMultiFun,
    BaseMultiFun,
    BilinearMultiFun,
    LambdaMultiFun,
    LinearMultiFun,
    ProductMultiFun,
    TableMultiFun,
)
from palaver.preferences.value_polynomials import PolynomialMultiFun, QuadraticMultiFun
from palaver.preferences.weighted import WeightedUtilityFunction
from palaver.preferences.wrappers import NormalizedUtilityFunction, ScaledUtilityFunction

__all__ = [
    "COMPARE_UFUN_METHOD_TYPE",
    "DEFAULT_RESERVED_VALUE_PENALTY",
    "FIXED_RESERVED_VALUE",
    "GENERATOR_MAP",
    "NORMAL",
    "SCALE_INVARIANT",
    "SESSION_INDEPENDENT",
    "STABLE_DIFF_RATIOS",
    "STABLE_EXTREMES",
    "STABLE_IRRATIONAL_OUTCOMES",
    "STABLE_MAX",
    "STABLE_MIN",
    "STABLE_ORDERING",
    "STABLE_RATIONAL_OUTCOMES",
    "STABLE_RESERVED_VALUE",
    "STABLE_SCALE",
    "STATE_INDEPENDENT",
    "STATIONARY",
    "UNIFORM",
    "UNIFORM_SUM",
    "VOLATILE",
    "AdaptiveInverseUtilityFunction",
    "AdaptiveParetoSampler",
    "AffineFun",
    "AffineMultiFun",
    "AggregatingFun",
    "AttributePlanningInverseUtilityFunction",
    "BIDSInverseUtilityFunction",
    "BaseFun",
    "BaseMultiFun",
    "BiasedFun",
    "BilinearMultiFun",
    "BruteForceInverseUtilityFunction",
    "BruteForceParetoSampler",
    "ComplexNonlinearUtilityFunction",
    "ConstFun",
    "ConstUtilityFunction",
    "CosFun",
    "DefaultInverseUtilityFunction",
    "DefaultParetoSampler",
    "DiscountedUtilityFunction",
    "Distribution",
    "ExpDiscountedUFun",
    "ExponentialFun",
    "GLAUtilityFunction",
    "GPAUtilityFunction",
    "GaussianFun",
    "HyperRectangle",
    "HyperRectangleUtilityFunction",
    "IPSParetoSampler",
    "IPUtilityFunction",
    "IdentityFun",
    "InverseUFun",
    "InverseUtilityFunction",
    "LambdaFun",
    "LambdaMultiFun",
    "LinDiscountedUFun",
    "LinearAdditiveUtilityFunction",
    "LinearFun",
    "LinearMultiFun",
    "LinearUtilityFunction",
    "LogFun",
    "MCTSInverseUtilityFunction",
    "MOBANOSParetoSampler",
    "MappingUtilityFunction",
    "MultiModalGaussianFun",
    "MultiModalTrapezoidalFun",
    "NB3ParetoSampler",
    "NormalDistribution",
    "NormalizedLinearAdditiveUtilityFunction",
    "NormalizedLinearUtilityFunction",
    "NormalizedUtilityFunction",
    "Outcomes",
    "PAUtilityFunction",
    "ParetoSampler",
    "PolynomialFun",
    "PolynomialMultiFun",
    "Preferences",
    "PreferencesChange",
    "PreferencesChangeType",
    "PresortingInverseUtilityFunction",
    "PresortingInverseUtilityFunctionBruteForce",
    "PresortingLegacyInverseUtilityFunction",
    "ProbMappingUtilityFunction",
    "ProbUtilityFunction",
    "ProductMultiFun",
    "QuadraticFun",
    "QuadraticMultiFun",
    "RandomUtilityFunction",
    "RangeUtilityFunction",
    "RankOnlyUtilityFunction",
    "Real",
    "RectangleGroup",
    "ReservedValueWarning",
    "SamplingInverseUtilityFunction",
    "ScaledUtilityFunction",
    "ScipyDistribution",
    "SinFun",
    "SolutionPoint",
    "Stability",
    "TableFun",
    "TableMultiFun",
    "TrapezoidalFun",
    "TriangularFun",
    "UFunConstraint",
    "UniformDistribution",
    "UniformSumDistribution",
    "UtilityFunction",
    "UtilityFunctionAdapter",
    "UtilityFunctionLike",
    "ValueFunction",
    "WeightedUtilityFunction",
    "calc_reserved_value",
    "canonical_distribution_type",
    "compare_ufuns",
    "correct_reserved_value",
    "dist_to_convex_hull_frontier",
    "distance_to",
    "distribute_integer_randomly",
    "evaluate",
    "generate_multi_issue_ufuns",
    "generate_single_issue_ufuns",
    "generate_ufuns_for",
    "generate_utility_values",
    "is_rational",
    "kalai_point",
    "kalai_point_convex_hull",
    "kalai_points",
    "ks_point_convex_hull",
    "ks_points",
    "make_curve_pareto",
    "make_discounted_ufun",
    "make_distribution",
    "make_endpoints",
    "make_non_pareto",
    "make_pareto",
    "make_piecewise_linear_pareto",
    "make_rank_ufun",
    "make_zero_sum_pareto",
    "max_relative_welfare_points",
    "max_welfare_points",
    "nash_point",
    "nash_point_convex_hull",
    "nash_points",
    "normalize",
    "outcome_in_range",
    "pareto_frontier",
    "pareto_frontier_bf",
    "pareto_frontier_convex_hull",
    "pareto_frontier_numpy",
    "pareto_indices",
    "pareto_utilities",
    "resolve_ufun",
    "sample_between",
    "scale_max",
    "welfare_points",
]
