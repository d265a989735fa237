"""NegMAS's names that Palaver provides, in one namespace: ``negmas`` -> ``palaver.negmas``.

Code written against NegMAS imports from ``negmas`` and its sub-packages
(``negmas.sao``, ``negmas.preferences``, ``negmas.situated``, ...). Each name
below is where Palaver keeps it (the top level, ``palaver.preferences``,
``palaver.negotiators``, ...), with NegMAS's meaning; this module gathers them
so that replacing ``negmas`` by ``palaver.negmas`` in the imports is enough:
``from palaver.negmas import SAOMechanism``, ``import palaver.negmas as
negmas``, and ``from palaver.negmas.sao import AspirationNegotiator`` (any
``palaver.negmas.<sub-package>`` is this same namespace). No NegMAS code is
here: these are Palaver's own classes and functions.

A name NegMAS has and Palaver does not is an ``ImportError`` naming it, as it
should be. ``pareto_frontier`` and ``max_welfare_points`` here are NegMAS's
(utilities and indices, on a frontier of utilities):
:func:`~palaver.preferences.pareto_utilities` and
:func:`~palaver.preferences.welfare_points`. Palaver's own, under those
names in ``palaver.preferences``, take outcomes and return points.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import types
from collections.abc import Callable, Sequence

from palaver import (
    Action,
    Agent,
    AgentMechanismInterface,
    AgentWorldInterface,
    AspirationNegotiator,
    BinaryComparatorNegotiator,
    Breach,
    BreachProcessing,
    CartesianOutcomeSpace,
    CategoricalIssue,
    ContinuousIssue,
    Contract,
    ControlledSAONegotiator,
    Event,
    EventSink,
    FirstOfferOrientedTBNegotiator,
    HillClimbingSTMechanism,
    HyperRectangleUtilityFunction,
    Issue,
    LinearAdditiveUtilityFunction,
    LinearUtilityFunction,
    MappingUtilityFunction,
    Mechanism,
    MechanismState,
    MechanismStepResult,
    MiCRONegotiator,
    NaiveTitForTatNegotiator,
    NegotiationInfo,
    Negotiator,
    NegotiatorMechanismInterface,
    NiceNegotiator,
    Operations,
    Outcome,
    OutcomeSpace,
    Preferences,
    RandomNegotiator,
    RenegotiationRequest,
    ResponseType,
    SAOController,
    SAOMechanism,
    SAONegotiator,
    SAOState,
    Scenario,
    TimeBasedConcedingNegotiator,
    ToughNegotiator,
    UtilityFunction,
    VetoSTMechanism,
    World,
    load_genius_domain,
    load_genius_domain_from_folder,
    make_os,
    to_flat_dict,
)
from palaver.events import (
    EventSource,
)
from palaver.mechanisms import (
    GAMechanism,
    SAOResponse,
)
from palaver.negotiators import (
    ACCombi,
    BestOfferOrientedTBNegotiator,
    BoulwareTBNegotiator,
    CandidateEliminationModel,
    ConcederTBNegotiator,
    ConcessionRatioUFunModel,
    DistanceFun,
    FrequencyLinearUFunModel,
    FrequencyUFunModel,
    KDEWeightUFunModel,
    LastOfferOrientedTBNegotiator,
    LimitedOutcomesAcceptor,
    LimitedOutcomesNegotiator,
    LinearTBNegotiator,
    LuceProfileClassifierModel,
    NegotiatorEntry,
    NiceTitForTatNegotiator,
    NiceTitForTatOfferingPolicy,
    PeekingOpponentModel,
    SorterNegotiator,
    TimeBasedNegotiator,
    TopFractionNegotiator,
    UFunModel,
    ValueDifferenceUFunModel,
    ZeroSumModel,
    all_negotiator_types,
)
from palaver.outcomes import (
    DiscreteCartesianOutcomeSpace,
    dict2outcome,
    enumerate_issues,
    generate_issues,
    issues_from_outcomes,
    outcome_is_valid,
    unique_name,
)
from palaver.preferences import (
    DEFAULT_RESERVED_VALUE_PENALTY,
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
    AdaptiveInverseUtilityFunction,
    AffineFun,
    AffineMultiFun,
    AggregatingFun,
    AttributePlanningInverseUtilityFunction,
    BaseFun,
    BaseMultiFun,
    BiasedFun,
    BIDSInverseUtilityFunction,
    BilinearMultiFun,
    BruteForceInverseUtilityFunction,
    ConstFun,
    ConstUtilityFunction,
    CosFun,
    DefaultInverseUtilityFunction,
    ExponentialFun,
    GaussianFun,
    GLAUtilityFunction,
    IdentityFun,
    InverseUFun,
    LambdaFun,
    LambdaMultiFun,
    LinearFun,
    LinearMultiFun,
    LogFun,
    MCTSInverseUtilityFunction,
    MultiModalGaussianFun,
    MultiModalTrapezoidalFun,
    PolynomialFun,
    PolynomialMultiFun,
    PreferencesChange,
    PreferencesChangeType,
    PresortingInverseUtilityFunction,
    PresortingInverseUtilityFunctionBruteForce,
    PresortingLegacyInverseUtilityFunction,
    ProductMultiFun,
    QuadraticFun,
    QuadraticMultiFun,
    RandomUtilityFunction,
    RankOnlyUtilityFunction,
    SamplingInverseUtilityFunction,
    SinFun,
    Stability,
    TableFun,
    TableMultiFun,
    TrapezoidalFun,
    TriangularFun,
    WeightedUtilityFunction,
    correct_reserved_value,
    kalai_points,
    ks_points,
    max_relative_welfare_points,
    nash_points,
    normalize,
    outcome_in_range,
    scale_max,
)
from palaver.preferences.frontier_points import pareto_utilities as pareto_frontier
from palaver.preferences.frontier_points import welfare_points as max_welfare_points
from palaver.preferences.outcome_ranges import (
    OutcomeRange,
)
from palaver.preferences.wrappers import (
    AffineUtilityFunction,
)
from palaver.scenarios import (
    ScenarioStats,
)
from palaver.serialization import (
    dump,
    load,
)
from palaver.tournaments import (
    TournamentResults,
    run_tournament,
)
from palaver.tournaments.negotiation.negmas_call import (
    negmas_cartesian_tournament as cartesian_tournament,
)
from palaver.tournaments.negotiation.negmas_results import (
    SimpleTournamentResults,
)
from palaver.tournaments.negotiation.negmas_scores import (
    OPTIMALITY_COLS,
    make_scores,
)
from palaver.tournaments.play import (
    run_world,
)
from palaver.world import (
    BulletinBoard,
    RunningNegotiationInfo,
)

# isort: split
# compat14: NegMAS's helpers, NamedObject, warnings, Genius names, ContiguousIssue, ...
from palaver._util.warning_types import (
    NegmasBrdigeParsingWarning,
    NegmasBridgePathWarning,
    NegmasBridgeProcessWarning,
    NegmasCannotStartNegotiation,
    NegmasCaughtExceptionWarning,
    NegmasDoubleAssignmentWarning,
    NegmasIgnoredValueWarning,
    NegmasImportWarning,
    NegmasInfiniteNegotiationWarning,
    NegmasIOWarning,
    NegmasLoggingWarning,
    NegmasMemoryWarning,
    NegmasNoResponseWarning,
    NegmasNumericWarning,
    NegmasSarializationWarning,
    NegmasShutdownWarning,
    NegmasSlowOperation,
    NegmasSpeedWarning,
    NegmasStepAndTimeLimitWarning,
    NegmasUnexpectedValueWarning,
    NegmasUnusedValueWarning,
    NegmasVisualizationWarning,
    NegmasWarning,
    NegmasWorldConfigWarning,
    deprecated,
    warn,
)
from palaver.helpers import (
    ConfigReader,
    create_loggers,
    get_class,
    get_full_type_name,
    has_needed_files,
    import_by_name,
    instantiate,
    is_nonzero_file,
    pretty_string,
    shortest_unique_names,
)
from palaver.named import NamedObject
from palaver.negotiators.aliases import SAOCallNegotiator, SAOPRNegotiator
from palaver.negotiators.conceding import (
    AcceptBetterRational,
    AcceptNotWorseRational,
    CABNegotiator,
    CABOfferingPolicy,
    CANNegotiator,
    CARNegotiator,
    WABNegotiator,
    WANNegotiator,
    WARNegotiator,
    WAROfferingPolicy,
)
from palaver.negotiators.genius import (
    GENIUS_AGENTS,
    GENIUS_CATALOGUE_NAMES,
    GeniusBridge,
    GeniusNegotiator,
    genius_bridge_is_installed,
    genius_bridge_is_running,
    init_genius_bridge,
    refuse_catalogue_name,
)
from palaver.outcomes import (
    ContiguousIssue,
    ExtendedOutcome,
    SingletonOutcomeSpace,
)
from palaver.scenarios import issues_from_xml_str, issues_to_xml_str

# isort: split
# negmas15: discounted utility functions, EnumeratingOutcomeSpace and NegMAS's outcome helpers, ...
# NegMAS's make_issue makes integer ranges ContiguousIssues (values: (lo, hi)).
from palaver.outcomes.factory import make_negmas_issue as make_issue

# isort: split
from palaver.outcomes import (
    Constraint,
    DiscreteOutcomeSpace,
    EnumeratingOutcomeSpace,
    SingletonIssue,
    check_one_and_only,
    check_one_at_most,
    discretize_and_enumerate_issues,
    ensure_os,
    enumerate_discrete_issues,
    extract_data,
    extract_outcome,
    extract_text,
    num_outcomes,
    os_difference,
    os_intersection,
    os_or_none,
    os_union,
    outcome2dict,
    outcome_is_complete,
    outcome_types_are_ok,
    sample_issues,
    sample_outcomes,
)
from palaver.preferences.discounted import (
    DiscountedUtilityFunction,
    ExpDiscountedUFun,
    LinDiscountedUFun,
    make_discounted_ufun,
)

# isort: split
# negstyle15: NegMAS's outcome distances and optimality (negmas.preferences.ops), ...
from palaver.scenarios import (
    OutcomeDistances,
    OutcomeOptimality,
    calc_outcome_distances,
    calc_outcome_optimality,
    estimate_max_dist,
)

# isort: split
# negstyle16: NegMAS's NegotiatorDescriptor (the entries of mechanism.participants), ...
from palaver.mechanisms import NegotiatorDescriptor, TraceElement

# isort: split
# negstyle17: NegMAS's issue of listed numbers (make_issue([1, 5, 10])) and its base.
from palaver.outcomes import DiscreteCardinalIssue, DiscreteOrdinalIssue

# isort: split
# negsave18: NegMAS's saved negotiation (negmas.mechanisms.CompletedRun) and its
# atomic, retried file writer (negmas.helpers.inout.safe_write_file).
from palaver.mechanisms import CompletedRun
from palaver.tables import safe_write_file

# isort: split
# negtests18: NegMAS's modular negotiators (BOA components, make_boa, the Hybrid
# agent), its concession curves, its GBNegotiator base and ExtendedResponseType.
from palaver.mechanisms import ExtendedResponseType
from palaver.mechanisms.full_trace import TRACE_ELEMENT_MEMBERS
from palaver.negotiators import (
    AcceptancePolicy,
    AcceptAnyRational,
    AcceptImmediately,
    ACNext,
    ACTime,
    AdditiveFirstFollowingTBNegotiator,
    BOANegotiator,
    EndImmediately,
    ExpAspiration,
    GBNegotiator,
    GScalableBayesianModel,
    HybridNegotiator,
    HybridOfferingPolicy,
    NoneOfferingPolicy,
    OfferingPolicy,
    PolyAspiration,
    RandomOfferingPolicy,
    RejectAlways,
    TimeBasedOfferingPolicy,
    make_boa,
)
from palaver.outcomes import generate_values
from palaver.preferences import (
    calc_reserved_value,
    distance_to,
    is_rational,
    pareto_frontier_bf,
    pareto_frontier_numpy,
)
from palaver.scenarios import STATS_FILE_NAME

# metrics21: NegMAS's calc_scenario_stats keeps only the rational Pareto frontier
# (a tuple of utility tuples); Palaver's Scenario.stats keeps the whole one.
from palaver.scenarios.negmas_stats import negmas_scenario_stats as calc_scenario_stats
from palaver.strings import encode_params, shorten_keys, shorten_keys_in_string
from palaver.tables import DEFAULT_TABLE_STORAGE_FORMAT, TableStorageFormat, load_table, save_table

# isort: split
# world17: NegMAS's situated mixins and monitor bases, and two of its names for
# Palaver's classes (negmas.sao.SAONMI, negmas.situated.NegotiationRequestInfo).
from palaver.mechanisms import SAONMI
from palaver.world import (
    NegotiationRequestInfo,
    NoContractExecutionMixin,
    NoResponsesMixin,
    SimpleWorld,
    StatsMonitor,
    TimeInAgreementMixin,
    WorldMonitor,
)

# isort: split
# world19: NegMAS's situated negotiation evaluation (negmas.situated.neg) and its
# tournaments (negmas.tournaments.neg), built on Palaver's World.
from palaver.tournaments import (
    cartesian_neg_tournement,
    neg_tournament,
    random_discrete_scenarios,
    scenarios_from_list,
)
from palaver.world import PYTHON_CLASS_IDENTIFIER, Condition, NegAgent, NegWorld, save_stats

# isort: split
# world20: NegMAS's checkpoint browser (negmas.checkpoints.CheckpointRunner) and
# its process-isolated task runner (negmas.helpers.parallel.run_isolated_tasks).
from palaver.tournaments import (
    DEFAULT_MAX_TASKS_PER_WORKER,
    UnserializableTaskError,
    run_isolated_tasks,
)
from palaver.world import CheckpointRunner

# isort: split
# tour22: NegMAS's other task drivers (negmas.helpers.parallel).
from palaver.tournaments.task_drivers import (
    MAX_TASKS_PER_CHILD,
    TERMINATION_WAIT_TIME,
    make_process_executor,
    parse_parallelism,
    resolve_cpus,
    resolve_workers,
    run_parallel_tasks,
    run_serial_tasks,
    run_threaded_tasks,
)

# isort: split
# negprefs18: NegMAS's convex-hull (P-infinity) frontier, rank ufuns,
# outcome-based distance estimate, probabilistic utility functions and their
# (numpy) distributions, and its infinite/callable/optional issue kinds
# (names only: constructing one is refused).
from palaver.outcomes import (
    CallableIssue,
    ContinuousInfiniteIssue,
    CountableInfiniteIssue,
    InfiniteIssue,
    OptionalIssue,
)
from palaver.preferences import (
    ComplexNonlinearUtilityFunction,
    Distribution,
    NormalDistribution,
    ProbMappingUtilityFunction,
    ProbUtilityFunction,
    Real,
    ScipyDistribution,
    UFunConstraint,
    UniformDistribution,
    UtilityFunctionAdapter,
    dist_to_convex_hull_frontier,
    make_distribution,
    make_rank_ufun,
    pareto_frontier_convex_hull,
)
from palaver.scenarios import estimate_max_dist_using_outcomes

# isort: split
# negso23: NegMAS's bargaining solutions over mixtures of outcomes (negmas.preferences.ops).
from palaver.preferences import (
    kalai_point_convex_hull,
    ks_point_convex_hull,
    nash_point_convex_hull,
)

# isort: split
# negprefs19: NegMAS's names of distribution families (negmas.helpers.prob) and its
# polynomial aggregations of value functions (negmas.preferences.crisp.pa, .gpa), its
# discretizers (negmas.outcomes.discretizers), SubsetCartesianOutcomeSpace and its Pareto
# samplers (negmas.preferences.pareto_sampler); Rational, its base of entities that have
# preferences (negmas.types.Rational); IPUtilityFunction; its generators of utility
# functions (negmas.preferences.generators, distribute_integer_randomly).
from palaver.outcomes import (
    DEFAULT_LEVELS,
    DISCRETIZERS,
    BalancedOutcomeCountsInUFunBinsDiscretizer,
    BalancedOutcomeCountsInUFunsBinsDiscretizer,
    BalancedUFunsVarianceDiscretizer,
    BalancedUFunVarianceDiscretizer,
    BaseBalancedDiscretizer,
    BaseDiscretizer,
    DefaultDiscretizer,
    Discretizer,
    GridBasedDiscretizer,
    SubsetCartesianOutcomeSpace,
    get_discretizer,
)
from palaver.preferences import (
    GENERATOR_MAP,
    NORMAL,
    UNIFORM,
    AdaptiveParetoSampler,
    BruteForceParetoSampler,
    DefaultParetoSampler,
    GPAUtilityFunction,
    IPSParetoSampler,
    IPUtilityFunction,
    MOBANOSParetoSampler,
    NB3ParetoSampler,
    ParetoSampler,
    PAUtilityFunction,
    canonical_distribution_type,
    distribute_integer_randomly,
    generate_multi_issue_ufuns,
    generate_single_issue_ufuns,
    generate_ufuns_for,
    generate_utility_values,
    make_curve_pareto,
    make_endpoints,
    make_non_pareto,
    make_pareto,
    make_piecewise_linear_pareto,
    make_zero_sum_pareto,
    sample_between,
)
from palaver.rational import Rational

# isort: split
# negsao19: NegMAS's Genius BOA components (negmas.gb.components.genius):
# the G... acceptance conditions, offering strategies and opponent models;
# its meta-negotiators (negmas.negotiators.meta, negmas.sao.negotiators.meta);
# its command line's component specs (negmas.scripts.negotiate, negotiate_core).
from palaver.negotiators import (
    GFSEGA,
    GACCombi,
    GACCombiAvg,
    GACCombiBestAvg,
    GACCombiBestAvgDiscounted,
    GACCombiMax,
    GACCombiMaxInWindow,
    GACCombiMaxInWindowDiscounted,
    GACCombiProb,
    GACCombiProbDiscounted,
    GACCombiV2,
    GACCombiV3,
    GACCombiV4,
    GACConst,
    GACConstDiscounted,
    GACFalse,
    GACGap,
    GACNext,
    GACPrevious,
    GACTime,
    GACTrue,
    GAgentK,
    GAgentLG,
    GAgentSmith,
    GAgentX,
    GAgentXFrequencyModel,
    GBayesianModel,
    GBMetaNegotiator,
    GBoulware,
    GBoulwareOffering,
    GChoosingAllBids,
    GConceder,
    GConcederOffering,
    GCUHKAgent,
    GDefaultModel,
    GeniusAcceptancePolicy,
    GeniusOfferingPolicy,
    GeniusOpponentModel,
    GHardHeaded,
    GHardHeadedFrequencyModel,
    GHardliner,
    GHardlinerOffering,
    GLinear,
    GLinearOffering,
    GNashFrequencyModel,
    GNozomi,
    GOppositeModel,
    GPerfectModel,
    GRandom,
    GRandomOffering,
    GSmithFrequencyModel,
    GTimeDependentOffering,
    GUniformModel,
    GWorstModel,
    MAPNegotiator,
    MeanMetaNegotiator,
    MetaNegotiator,
    OSMeanMetaNegotiator,
    RandomAlwaysAcceptingNegotiator,
    RangeMetaNegotiator,
    SAOAggMetaNegotiator,
    SAOMetaNegotiator,
    get_component,
    get_negotiator,
    make_boa_negotiator,
    parse_component_spec,
)

# isort: split
# lead20: NegMAS's negotiation figure (negmas.plots.util), drawn with matplotlib
# by the report layer (matplotlib is imported only when a figure is drawn).
from palaver.report.negmas_plot import (
    DEFAULT_IMAGE_FORMAT,
    SUPPORTED_IMAGE_FORMATS,
    plot_mechanism_run,
    plot_offline_run,
)

# isort: split
# prefs20: NegMAS's compare_ufuns (negmas.preferences.ops).
from palaver.preferences import COMPARE_UFUN_METHOD_TYPE, compare_ufuns

# isort: split
# prefs20: NegMAS's registries (negmas.registry). ScenarioInfo is the registry's,
# as in NegMAS (it was the tournaments' internal per-scenario cache, which NegMAS
# does not have).
from palaver.registry import (
    ComponentInfo,
    MechanismInfo,
    NegotiatorInfo,
    Registry,
    RegistryInfo,
    component_registry,
    get_registered_class,
    mechanism_registry,
    negotiator_registry,
    register_component,
    register_mechanism,
    register_negotiator,
)
from palaver.registry_builtins import register_builtins
from palaver.registry_files import (
    DEFAULT_REGISTRY_PATH,
    clear_registry,
    load_registry,
    save_registry,
)
from palaver.scenarios.registry import (
    ScenarioInfo,
    ScenarioRegistry,
    register_all_scenarios,
    register_scenario,
    scenario_registry,
)

# isort: split
# tour20: NegMAS's tournament folder names, the callbacks' infos, and the
# helpers NegMAS's own code imports from negmas.tournaments.neg.simple.cartesian.
from palaver.tournaments.negotiation.negmas_folder import (
    CONFIG_FILE_NAME,
    RESULTS_DIR_NAME,
    TOURNAMENT_DIRS,
    TOURNAMENT_FILES,
    combine_configs,
    find_dataframe_file,
    json_columns,
    load_dataframe,
    save_dataframe,
)
from palaver.tournaments.negotiation.negmas_hooks import ConstructedNegInfo, RunInfo
from palaver.tournaments.negotiation.negmas_prepare import check_and_correct_reserved_values
from palaver.tournaments.negotiation.negmas_significance import (
    apply_corrections,
    normality_tests,
    pairwise_tests,
    significance_matrix,
)
from palaver.tournaments.negotiation.negmas_single import make_mechanism, run_negotiation

# isort: split
# tour21: NegMAS's continue_cartesian_tournament (negmas.tournaments.neg).
from palaver.tournaments.negotiation.negmas_continue import continue_cartesian_tournament

# isort: split
# negst23: NegMAS's session and per-negotiator metric columns of cartesian_tournament.
from palaver.tournaments.negotiation.negotiation_metrics import (
    NEGOTIATOR_METRIC_COLS,
    SESSION_METRIC_COLS,
)

# isort: split
# tour21: NegMAS's game-theoretic tournament analysis (negmas.tournaments.analysis);
# importing the figures registers them as the "tournament_analysis" plotter.
from palaver.report.tournament_analysis import (
    plot_deviation_graph,
    plot_payoff_heatmap,
    plot_ranking,
    plot_replicator_dynamics,
    plot_scores_bar,
)
from palaver.tournaments.analysis import (
    COMMON_COLUMNS,
    PayoffTable,
    PureNashResult,
    ReplicatorTrajectory,
    TournamentAnalysisReport,
    analyze_tournament,
    asymmetric_replicator_dynamics,
    build_payoff_table,
    egta_evaluation,
    final_mixed_strategy,
    iterated_elimination,
    load_records,
    mixed_nash_equilibria,
    nash_averaging_ranking,
    pure_symmetric_nash_equilibria,
    records_from_path,
    records_from_simple_results,
    records_from_situated,
    regret,
    sequential_elimination_ranking,
    symmetric_replicator_dynamics,
    tournament_evaluation_ranking,
)

# isort: split
# negs20: NegMAS's offer-following time-based negotiators (negmas.gb.negotiators.timebased)
# and the __all__ of NegMAS modules that code iterates.
from palaver._util.negmas_all import NEGMAS_MODULE_ALL

# negs20: NegMAS's metrics of a negotiation and of each party (negmas.preferences.ops).
# metrics21: NegMAS's bundle of every metric of a negotiation (negmas.preferences.ops).
from palaver.mechanisms import (
    FullMetrics,
    NegotiatorMetrics,
    SessionMetrics,
    calc_full_metrics,
    calc_negotiator_metrics,
    calc_session_metrics,
)

# negs20: NegMAS's synchronized SAO controllers (names only: making one is refused,
# Palaver has no WAIT), its shorten (negmas.helpers.strings).
# negs20: NegMAS's reservation-value, deadline and offering models (negmas.models).
from palaver.negotiators import (
    AdditiveLastOfferFollowingTBNegotiator,
    AdditiveParetoFollowingTBNegotiator,
    BayesianReservationValueModel,
    ConcessionExtrapolatingDeadlineModel,
    ConcessionExtrapolatingReservationModel,
    DeadlineModel,
    DerivativeOfferingModel,
    MarkovChainOfferingModel,
    MultiplicativeFirstFollowingTBNegotiator,
    MultiplicativeLastOfferFollowingTBNegotiator,
    MultiplicativeParetoFollowingTBNegotiator,
    OpponentOfferingModel,
    PolynomialOfferingModel,
    ReservationValueModel,
    SAORandomSyncController,
    SAOSingleAgreementAspirationController,
    SAOSingleAgreementController,
    SAOSingleAgreementRandomController,
    SAOSyncController,
)

# negs20: NegMAS's base of every utility function (negmas.preferences.base_ufun).
from palaver.preferences import UtilityFunction as BaseUtilityFunction

# negs20: NegMAS's standard information of a scenario (negmas.preferences.ops).
from palaver.scenarios.standard_info import calc_standard_info, opposition_level, rational_fraction
from palaver.strings import COMMON_NAME_PARTS, shorten

__all__ = [
    "DEFAULT_RESERVED_VALUE_PENALTY",
    "FIXED_RESERVED_VALUE",
    "NEGOTIATOR_METRIC_COLS",  # negst23
    "OPTIMALITY_COLS",
    "SCALE_INVARIANT",
    "SESSION_INDEPENDENT",
    "SESSION_METRIC_COLS",  # negst23
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
    "VOLATILE",
    "ACCombi",
    "Action",
    "AdaptiveInverseUtilityFunction",
    "AffineFun",
    "AffineMultiFun",
    "AffineUtilityFunction",
    "Agent",
    "AgentMechanismInterface",
    "AgentWorldInterface",
    "AggregatingFun",
    "AspirationNegotiator",
    "AttributePlanningInverseUtilityFunction",
    "BIDSInverseUtilityFunction",
    "BaseFun",
    "BaseMultiFun",
    "BestOfferOrientedTBNegotiator",
    "BiasedFun",
    "BilinearMultiFun",
    "BinaryComparatorNegotiator",
    "BoulwareTBNegotiator",
    "Breach",
    "BreachProcessing",
    "BruteForceInverseUtilityFunction",
    "BulletinBoard",
    "CandidateEliminationModel",
    "CartesianOutcomeSpace",
    "CategoricalIssue",
    "ConcederTBNegotiator",
    "ConcessionRatioUFunModel",
    "ConstFun",
    "ConstUtilityFunction",
    "ContinuousIssue",
    "Contract",
    "ControlledSAONegotiator",
    "CosFun",
    "DefaultInverseUtilityFunction",
    "DiscreteCartesianOutcomeSpace",
    "DistanceFun",
    "Event",
    "EventSink",
    "EventSource",
    "ExponentialFun",
    "FirstOfferOrientedTBNegotiator",
    "FrequencyLinearUFunModel",
    "FrequencyUFunModel",
    "GAMechanism",
    "GLAUtilityFunction",
    "GaussianFun",
    "HillClimbingSTMechanism",
    "HyperRectangleUtilityFunction",
    "IdentityFun",
    "InverseUFun",
    "Issue",
    "KDEWeightUFunModel",
    "LambdaFun",
    "LambdaMultiFun",
    "LastOfferOrientedTBNegotiator",
    "LimitedOutcomesAcceptor",
    "LimitedOutcomesNegotiator",
    "LinearAdditiveUtilityFunction",
    "LinearFun",
    "LinearMultiFun",
    "LinearTBNegotiator",
    "LinearUtilityFunction",
    "LogFun",
    "LuceProfileClassifierModel",
    "MCTSInverseUtilityFunction",
    "MappingUtilityFunction",
    "Mechanism",
    "MechanismState",
    "MechanismStepResult",
    "MiCRONegotiator",
    "MultiModalGaussianFun",
    "MultiModalTrapezoidalFun",
    "NaiveTitForTatNegotiator",
    "NegotiationInfo",
    "Negotiator",
    "NegotiatorEntry",
    "NegotiatorMechanismInterface",
    "NiceNegotiator",
    "NiceTitForTatNegotiator",
    "NiceTitForTatOfferingPolicy",
    "Operations",
    "Outcome",
    "OutcomeRange",
    "OutcomeSpace",
    "PeekingOpponentModel",
    "PolynomialFun",
    "PolynomialMultiFun",
    "Preferences",
    "PreferencesChange",
    "PreferencesChangeType",
    "PresortingInverseUtilityFunction",
    "PresortingInverseUtilityFunctionBruteForce",
    "PresortingLegacyInverseUtilityFunction",
    "ProductMultiFun",
    "QuadraticFun",
    "QuadraticMultiFun",
    "RandomNegotiator",
    "RandomUtilityFunction",
    "RankOnlyUtilityFunction",
    "RenegotiationRequest",
    "ResponseType",
    "RunningNegotiationInfo",
    "SAOController",
    "SAOMechanism",
    "SAONegotiator",
    "SAOResponse",
    "SAOState",
    "SamplingInverseUtilityFunction",
    "Scenario",
    "ScenarioInfo",
    "ScenarioStats",
    "SimpleTournamentResults",
    "SinFun",
    "SorterNegotiator",
    "Stability",
    "TableFun",
    "TableMultiFun",
    "TimeBasedConcedingNegotiator",
    "TimeBasedNegotiator",
    "TopFractionNegotiator",
    "ToughNegotiator",
    "TournamentResults",
    "TrapezoidalFun",
    "TriangularFun",
    "UFunModel",
    "UtilityFunction",
    "ValueDifferenceUFunModel",
    "VetoSTMechanism",
    "WeightedUtilityFunction",
    "World",
    "ZeroSumModel",
    "all_negotiator_types",
    "cartesian_tournament",
    "correct_reserved_value",
    "dict2outcome",
    "dump",
    "enumerate_issues",
    "generate_issues",
    "issues_from_outcomes",
    "kalai_points",
    "ks_points",
    "load",
    "load_genius_domain",
    "load_genius_domain_from_folder",
    "make_issue",
    "make_os",
    "make_scores",
    "max_relative_welfare_points",
    "max_welfare_points",
    "nash_points",
    "normalize",
    "outcome_in_range",
    "outcome_is_valid",
    "pareto_frontier",
    "run_tournament",
    "run_world",
    "scale_max",
    "to_flat_dict",
    "unique_name",
]

# compat14: the names of the block above.
__all__ += [
    "ConfigReader",
    "NamedObject",
    "NegmasBrdigeParsingWarning",
    "NegmasBridgePathWarning",
    "NegmasBridgeProcessWarning",
    "NegmasCannotStartNegotiation",
    "NegmasCaughtExceptionWarning",
    "NegmasDoubleAssignmentWarning",
    "NegmasIOWarning",
    "NegmasIgnoredValueWarning",
    "NegmasImportWarning",
    "NegmasInfiniteNegotiationWarning",
    "NegmasLoggingWarning",
    "NegmasMemoryWarning",
    "NegmasNoResponseWarning",
    "NegmasNumericWarning",
    "NegmasSarializationWarning",
    "NegmasShutdownWarning",
    "NegmasSlowOperation",
    "NegmasSpeedWarning",
    "NegmasStepAndTimeLimitWarning",
    "NegmasUnexpectedValueWarning",
    "NegmasUnusedValueWarning",
    "NegmasVisualizationWarning",
    "NegmasWarning",
    "NegmasWorldConfigWarning",
    "create_loggers",
    "deprecated",
    "get_class",
    "get_full_type_name",
    "has_needed_files",
    "import_by_name",
    "instantiate",
    "is_nonzero_file",
    "pretty_string",
    "shortest_unique_names",
    "warn",
    "GeniusBridge",
    "GeniusNegotiator",
    "genius_bridge_is_installed",
    "genius_bridge_is_running",
    "init_genius_bridge",
    "ContiguousIssue",
    "ExtendedOutcome",
    "SingletonOutcomeSpace",
    "issues_from_xml_str",
    "issues_to_xml_str",
    *GENIUS_AGENTS,
]
# negmas15: the names of the block above.
__all__ += [
    "Constraint",
    "DiscountedUtilityFunction",
    "DiscreteOutcomeSpace",
    "EnumeratingOutcomeSpace",
    "ExpDiscountedUFun",
    "LinDiscountedUFun",
    "SingletonIssue",
    "check_one_and_only",
    "check_one_at_most",
    "discretize_and_enumerate_issues",
    "ensure_os",
    "enumerate_discrete_issues",
    "extract_data",
    "extract_outcome",
    "extract_text",
    "make_discounted_ufun",
    "num_outcomes",
    "os_difference",
    "os_intersection",
    "os_or_none",
    "os_union",
    "outcome2dict",
    "outcome_is_complete",
    "outcome_types_are_ok",
    "sample_issues",
    "sample_outcomes",
]
# negstyle15: the names of the block above.
__all__ += [
    "OutcomeDistances",
    "OutcomeOptimality",
    "calc_outcome_distances",
    "calc_outcome_optimality",
    "estimate_max_dist",
]
# negstyle16: the names of the block above.
__all__ += ["NegotiatorDescriptor", "TraceElement"]
# negs21: NegMAS's propose/respond and __call__ negotiator bases.
__all__ += ["SAOCallNegotiator", "SAOPRNegotiator"]
# negs21: NegMAS's conceding / wasting negotiators and their policies.
__all__ += [
    "AcceptBetterRational",
    "AcceptNotWorseRational",
    "CABNegotiator",
    "CABOfferingPolicy",
    "CANNegotiator",
    "CARNegotiator",
    "WABNegotiator",
    "WANNegotiator",
    "WARNegotiator",
    "WAROfferingPolicy",
]
# negstyle17: the names of the block above.
__all__ += ["DiscreteCardinalIssue", "DiscreteOrdinalIssue"]
# negsave18: the names of the block above.
__all__ += ["CompletedRun", "safe_write_file"]
# world17: the names of the block above.
__all__ += [
    "SAONMI",
    "NegotiationRequestInfo",
    "NoContractExecutionMixin",
    "NoResponsesMixin",
    "SimpleWorld",
    "StatsMonitor",
    "TimeInAgreementMixin",
    "WorldMonitor",
]
# prefs20: compare_ufuns (imported just above __all__).
__all__ += ["COMPARE_UFUN_METHOD_TYPE", "compare_ufuns"]
# prefs20: the registries (imported just above __all__; ScenarioInfo was listed already).
__all__ += [
    "DEFAULT_REGISTRY_PATH",
    "ComponentInfo",
    "MechanismInfo",
    "NegotiatorInfo",
    "Registry",
    "RegistryInfo",
    "ScenarioRegistry",
    "clear_registry",
    "component_registry",
    "get_registered_class",
    "load_registry",
    "mechanism_registry",
    "negotiator_registry",
    "register_all_scenarios",
    "register_component",
    "register_mechanism",
    "register_negotiator",
    "register_scenario",
    "save_registry",
    "scenario_registry",
]
# negtests18: the names of the block above.
__all__ += [
    "DEFAULT_TABLE_STORAGE_FORMAT",
    "STATS_FILE_NAME",
    "TRACE_ELEMENT_MEMBERS",
    "ACNext",
    "ACTime",
    "AcceptAnyRational",
    "AcceptImmediately",
    "AcceptancePolicy",
    "AdditiveFirstFollowingTBNegotiator",
    "BOANegotiator",
    "EndImmediately",
    "ExpAspiration",
    "ExtendedResponseType",
    "GBNegotiator",
    "GScalableBayesianModel",
    "HybridNegotiator",
    "HybridOfferingPolicy",
    "NoneOfferingPolicy",
    "OfferingPolicy",
    "PolyAspiration",
    "RandomOfferingPolicy",
    "RejectAlways",
    "TableStorageFormat",
    "TimeBasedOfferingPolicy",
    "calc_reserved_value",
    "calc_scenario_stats",
    "distance_to",
    "encode_params",
    "generate_values",
    "is_rational",
    "load_table",
    "make_boa",
    "pareto_frontier_bf",
    "pareto_frontier_numpy",
    "save_table",
    "shorten_keys",
    "shorten_keys_in_string",
]
# negprefs18: the names of the block above.
__all__ += [
    "CallableIssue",
    "ComplexNonlinearUtilityFunction",
    "ContinuousInfiniteIssue",
    "CountableInfiniteIssue",
    "Distribution",
    "InfiniteIssue",
    "NormalDistribution",
    "OptionalIssue",
    "ProbMappingUtilityFunction",
    "ProbUtilityFunction",
    "Real",
    "ScipyDistribution",
    "UFunConstraint",
    "UniformDistribution",
    "UtilityFunctionAdapter",
    "dist_to_convex_hull_frontier",
    "estimate_max_dist_using_outcomes",
    "make_distribution",
    "make_rank_ufun",
    "pareto_frontier_convex_hull",
]
# negso23: NegMAS's bargaining solutions over mixtures of outcomes (negmas.preferences.ops).
__all__ += ["kalai_point_convex_hull", "ks_point_convex_hull", "nash_point_convex_hull"]
# world19: the names of the block above.
__all__ += [
    "PYTHON_CLASS_IDENTIFIER",
    "Condition",
    "NegAgent",
    "NegWorld",
    "cartesian_neg_tournement",
    "neg_tournament",
    "random_discrete_scenarios",
    "save_stats",
    "scenarios_from_list",
]
# world20: the names of the block above.
__all__ += [
    "DEFAULT_MAX_TASKS_PER_WORKER",
    "CheckpointRunner",
    "UnserializableTaskError",
    "run_isolated_tasks",
]
# tour22: negmas.helpers.parallel's task drivers.
__all__ += [
    "MAX_TASKS_PER_CHILD",
    "TERMINATION_WAIT_TIME",
    "make_process_executor",
    "parse_parallelism",
    "resolve_cpus",
    "resolve_workers",
    "run_parallel_tasks",
    "run_serial_tasks",
    "run_threaded_tasks",
]
# negprefs19: the names of the block above.
__all__ += [
    "DEFAULT_LEVELS",
    "DISCRETIZERS",
    "GENERATOR_MAP",
    "NORMAL",
    "UNIFORM",
    "AdaptiveParetoSampler",
    "BalancedOutcomeCountsInUFunBinsDiscretizer",
    "BalancedOutcomeCountsInUFunsBinsDiscretizer",
    "BalancedUFunVarianceDiscretizer",
    "BalancedUFunsVarianceDiscretizer",
    "BaseBalancedDiscretizer",
    "BaseDiscretizer",
    "BruteForceParetoSampler",
    "DefaultDiscretizer",
    "DefaultParetoSampler",
    "Discretizer",
    "GPAUtilityFunction",
    "GridBasedDiscretizer",
    "IPSParetoSampler",
    "IPUtilityFunction",
    "MOBANOSParetoSampler",
    "NB3ParetoSampler",
    "PAUtilityFunction",
    "ParetoSampler",
    "Rational",
    "SubsetCartesianOutcomeSpace",
    "canonical_distribution_type",
    "distribute_integer_randomly",
    "generate_multi_issue_ufuns",
    "generate_single_issue_ufuns",
    "generate_ufuns_for",
    "generate_utility_values",
    "get_discretizer",
    "make_curve_pareto",
    "make_endpoints",
    "make_non_pareto",
    "make_pareto",
    "make_piecewise_linear_pareto",
    "make_zero_sum_pareto",
    "sample_between",
]
# The Genius agents' classes (AgentK, Atlas3, ...): importable, not runnable.
globals().update(GENIUS_AGENTS)


#: NegMAS's package and module names (``negmas.sao``, ``negmas.preferences.value_fun``,
#: ``negmas.situated.world``, ...): under ``palaver.negmas`` each is this namespace.
__all__ += [
    "GFSEGA",
    "GACCombi",
    "GACCombiAvg",
    "GACCombiBestAvg",
    "GACCombiBestAvgDiscounted",
    "GACCombiMax",
    "GACCombiMaxInWindow",
    "GACCombiMaxInWindowDiscounted",
    "GACCombiProb",
    "GACCombiProbDiscounted",
    "GACCombiV2",
    "GACCombiV3",
    "GACCombiV4",
    "GACConst",
    "GACConstDiscounted",
    "GACFalse",
    "GACGap",
    "GACNext",
    "GACPrevious",
    "GACTime",
    "GACTrue",
    "GAgentK",
    "GAgentLG",
    "GAgentSmith",
    "GAgentX",
    "GAgentXFrequencyModel",
    "GBMetaNegotiator",
    "GBayesianModel",
    "GBoulware",
    "GBoulwareOffering",
    "GCUHKAgent",
    "GChoosingAllBids",
    "GConceder",
    "GConcederOffering",
    "GDefaultModel",
    "GHardHeaded",
    "GHardHeadedFrequencyModel",
    "GHardliner",
    "GHardlinerOffering",
    "GLinear",
    "GLinearOffering",
    "GNashFrequencyModel",
    "GNozomi",
    "GOppositeModel",
    "GPerfectModel",
    "GRandom",
    "GRandomOffering",
    "GSmithFrequencyModel",
    "GTimeDependentOffering",
    "GUniformModel",
    "GWorstModel",
    "GeniusAcceptancePolicy",
    "GeniusOfferingPolicy",
    "GeniusOpponentModel",
    "MAPNegotiator",
    "MeanMetaNegotiator",
    "MetaNegotiator",
    "OSMeanMetaNegotiator",
    "RandomAlwaysAcceptingNegotiator",
    "RangeMetaNegotiator",
    "SAOAggMetaNegotiator",
    "SAOMetaNegotiator",
    "get_component",
    "get_negotiator",
    "make_boa_negotiator",
    "parse_component_spec",
]
# negs20
__all__ += [
    "COMMON_NAME_PARTS",
    "AdditiveLastOfferFollowingTBNegotiator",
    "AdditiveParetoFollowingTBNegotiator",
    "BaseUtilityFunction",
    "BayesianReservationValueModel",
    "ConcessionExtrapolatingDeadlineModel",
    "ConcessionExtrapolatingReservationModel",
    "DeadlineModel",
    "DerivativeOfferingModel",
    "FullMetrics",
    "MarkovChainOfferingModel",
    "MultiplicativeFirstFollowingTBNegotiator",
    "MultiplicativeLastOfferFollowingTBNegotiator",
    "MultiplicativeParetoFollowingTBNegotiator",
    "NegotiatorMetrics",
    "OpponentOfferingModel",
    "PolynomialOfferingModel",
    "ReservationValueModel",
    "SAORandomSyncController",
    "SAOSingleAgreementAspirationController",
    "SAOSingleAgreementController",
    "SAOSingleAgreementRandomController",
    "SAOSyncController",
    "SessionMetrics",
    "calc_full_metrics",
    "calc_negotiator_metrics",
    "calc_session_metrics",
    "calc_standard_info",
    "opposition_level",
    "rational_fraction",
    "shorten",
]

__all__ += [
    "DEFAULT_IMAGE_FORMAT",
    "SUPPORTED_IMAGE_FORMATS",
    "plot_mechanism_run",
    "plot_offline_run",
]
# tour20: the names of the block above (NegMAS's tournament folder and callbacks).
__all__ += [
    "CONFIG_FILE_NAME",
    "RESULTS_DIR_NAME",
    "TOURNAMENT_DIRS",
    "TOURNAMENT_FILES",
    "ConstructedNegInfo",
    "RunInfo",
    "apply_corrections",
    "normality_tests",
    "pairwise_tests",
    "run_negotiation",  # tour22
    "significance_matrix",
]
# tour21: the names of the analysis block above, and continue_cartesian_tournament.
__all__ += [
    "COMMON_COLUMNS",
    "PayoffTable",
    "PureNashResult",
    "ReplicatorTrajectory",
    "TournamentAnalysisReport",
    "analyze_tournament",
    "asymmetric_replicator_dynamics",
    "build_payoff_table",
    "continue_cartesian_tournament",
    "egta_evaluation",
    "final_mixed_strategy",
    "iterated_elimination",
    "load_records",
    "mixed_nash_equilibria",
    "nash_averaging_ranking",
    "plot_deviation_graph",
    "plot_payoff_heatmap",
    "plot_ranking",
    "plot_replicator_dynamics",
    "plot_scores_bar",
    "pure_symmetric_nash_equilibria",
    "records_from_path",
    "records_from_simple_results",
    "records_from_situated",
    "regret",
    "sequential_elimination_ranking",
    "symmetric_replicator_dynamics",
    "tournament_evaluation_ranking",
]
#: tour20: NegMAS's private names that its users' code imports (``from
#: negmas.tournaments.neg.simple.cartesian import _combine_configs``): every
#: NegMAS module path gives them, not ``from palaver.negmas import *``.
_PRIVATE_NAMES: dict[str, object] = {
    "_check_and_correct_reserved_values": check_and_correct_reserved_values,
    "_combine_configs": combine_configs,
    "_convert_complex_columns_to_json": json_columns,
    "_find_dataframe_file": find_dataframe_file,
    "_load_dataframe": load_dataframe,
    "_make_mechanism": make_mechanism,  # tour22
    "_save_dataframe": save_dataframe,
}

_NEGMAS_MODULES = frozenset(
    {
        "acceptance",
        "action",
        "adapter",
        "adapters",
        "adaptive",
        "agent",
        "agent_specific",
        "anac2010",
        "anac2011",
        "anac2012",
        "anac2013",
        "anac2013_other",
        "analysis",
        "app",
        "attribute_planning",
        "awi",
        "balanced",
        "base",
        "base_conditions",
        "base_issue",
        "base_offering",
        "base_ufun",
        "baselines",
        "basic",
        "bayesian",
        "bids",
        "boa",
        "breaches",
        "bridge",
        "bruteforce",
        "bulletinboard",
        "cab",
        "callable_issue",
        "cardinal_issue",
        "cartesian",
        "categorical_issue",
        "chain",
        "checkpoints",
        "classifier",
        "combi",
        "combi_variants",
        "common",
        "complex",
        "component",
        "components",
        "concession",
        "concurrent",
        "config",
        "const",
        "constraints",
        "contiguous_issue",
        "continuous_issue",
        "contract",
        "controlled",
        "controller",
        "controllers",
        "crisp",
        "crisp_ufun",
        "deadline",
        "discounted",
        "discretizers",
        "dynamics",
        "entity",
        "equilibria",
        "evaluators",
        "events",
        "exceptions",
        "external",
        "frequency",
        "fun",
        "future",
        "ga",
        "gao",
        "gb",
        "gboa_negotiators",
        "generators",
        "generics",
        "genius",
        "ginfo",
        "gla",
        "gnegotiators",
        "gpa",
        "grid",
        "helpers",
        "heuristic",
        "hybrid",
        "independent",
        "infinite",
        "inout",
        "inv_ufun",
        "inverter",
        "ips",
        "issue_ops",
        "limited",
        "linear",
        "loaders",
        "locscale",
        "logging",
        "mapneg",
        "mapping",
        "mcts",
        "mechanism",
        "mechanismfactory",
        "mechanisms",
        "meta",
        "micro",
        "misc",
        "mixins",
        "mobanos",
        "models",
        "modular",
        "monitors",
        "mt",
        "named",
        "nb3",
        "neg",
        "negotiate",
        "negotiate_core",
        "negotiator",
        "negotiators",
        "nice",
        "nonlinear",
        "numba_checks",
        "numeric",
        "offering",
        "ops",
        "optional_issue",
        "ordinal_issue",
        "others",
        "outcome_ops",
        "outcome_space",
        "outcomes",
        "pa",
        "parallel",
        "pareto_sampler",
        "_protocol",
        "payoff",
        "persistence",
        "plots",
        "plotting",
        "preferences",
        "presorting",
        "presorting_legacy",
        "prob",
        "prob_ufun",
        "protocols",
        "quick",
        "rand",
        "randneg",
        "random_ufun",
        "range_issue",
        "ranking",
        "rankonly_ufun",
        "rational",
        "registry",
        "registry_init",
        "report",
        "reservation",
        "rfo",
        "rlo",
        "runnable",
        "sampling",
        "sao",
        "save",
        "scenarios",
        "scripts",
        "selectors",
        "serialization",
        "significance",
        "simple",
        "singleton_issue",
        "situated",
        "st",
        "stability",
        "strategy",
        "strings",
        "tau",
        "tauserial",
        "timebased",
        "timeout",
        "titfortat",
        "tough",
        "tournaments",
        "types",
        "ufun",
        "unique",
        "util",
        "utilbased",
        "utilities",
        "value_fun",
        "vendor",
        "war",
        "warnings",
        "weights",
        "world",
        "y2010",
        "y2011",
        "y2012",
        "y2013",
        "y2014",
        "y2015",
        "y2016",
        "y2017",
        "y2018",
        "y2019",
    }
)


class _SubPackages(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds ``palaver.negmas.<NegMAS module path>`` as a copy of this namespace."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: types.ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        head, _, rest = fullname.partition(__name__ + ".")
        if head or not rest or not set(rest.split(".")) <= _NEGMAS_MODULES:
            return None  # not NegMAS's: an ImportError as for any missing module
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
        return None  # a fresh module, filled by exec_module

    def exec_module(self, module: types.ModuleType) -> None:
        """Fill ``module`` with this namespace's names."""
        namespace = sys.modules[__name__]
        module.__dict__.update({name: getattr(namespace, name) for name in __all__})
        module.__dict__.update(_PRIVATE_NAMES)
        # negs20: a module whose own list code iterates lists NegMAS's names.
        own = NEGMAS_MODULE_ALL.get(module.__name__[len(__name__) + 1 :])
        names = list(__all__) if own is None else [n for n in own if n in module.__dict__]
        module.__all__ = names  # type: ignore[attr-defined]
        module.__doc__ = f"NegMAS's ``{module.__name__[len('palaver.') :]}``: palaver.negmas."
        module.__getattr__ = _submodule_of(module.__name__)  # type: ignore[method-assign]
        if module.__name__.endswith(".registry_init"):
            # registry21: importing (or reloading) NegMAS's registry_init
            # registers the built-ins again, putting back what was cleared.
            register_builtins()


def _submodule_of(package: str) -> Callable[[str], types.ModuleType]:
    """A module ``__getattr__`` (PEP 562) giving ``package.<NegMAS module name>``.

    negstyle17: NegMAS's package imports its subpackages, so code reaches them
    as attributes after ``import negmas`` alone (``negmas.sao.SAOMechanism``,
    ``negmas.preferences.value_fun.TableFun``); here they are imported on
    first use.
    """

    def submodule(name: str) -> types.ModuleType:
        if name in GENIUS_CATALOGUE_NAMES:
            # negs21: an ImportError (not AttributeError) keeps this message in
            # ``from palaver.negmas.genius.ginfo import get_anac_agents``.
            refuse_catalogue_name(package, name)
        if name not in _NEGMAS_MODULES:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return importlib.import_module(f"{package}.{name}")

    return submodule


__getattr__ = _submodule_of(__name__)


# An (empty) package path lets ``palaver.negmas.sao`` be imported at all; the
# finder answers for NegMAS's module names, once per process.
__path__: list[str] = []
# negmas15: a package to importlib.resources too (NegMAS's tests call
# files("negmas")): it reads the files beside this module, in palaver/.
if __spec__ is not None:
    __spec__.submodule_search_locations = __path__
if not any(isinstance(f, _SubPackages) for f in sys.meta_path):
    sys.meta_path.append(_SubPackages())

# registry21: NegMAS code finds its built-in classes registered once the
# registries are imported; here, once palaver.negmas is.
register_builtins()
