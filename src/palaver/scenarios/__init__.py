"""Negotiation scenarios: an outcome space with one utility function per party.

:class:`Scenario` holds the scenario, its cached statistics (Pareto frontier,
Nash, Kalai, Kalai-Smorodinsky and max-welfare points, opposition), role
rotation and normalisation, and reads and writes Genius XML, GeniusWeb JSON
and Palaver's own JSON format; NegMAS's ``calc_outcome_distances`` and
``calc_outcome_optimality`` grade an agreement against the statistics.
:mod:`palaver.scenarios.generators` makes the scenario families of the ANL
competitions.
"""

from palaver.preferences.wrappers import AffineUtilityFunction
from palaver.scenarios import ufun_xml  # noqa: F401  (registers the Genius methods of ufuns)
from palaver.scenarios.errors import ScenarioError, ScenarioWarning
from palaver.scenarios.io import STATS_FILE_NAME
from palaver.scenarios.loaders import load_genius_domain, load_genius_domain_from_folder
from palaver.scenarios.negmas_stats import RationalFrontierStats
from palaver.scenarios.optimality import (
    OutcomeDistances,
    OutcomeOptimality,
    calc_outcome_distances,
    calc_outcome_optimality,
    estimate_max_dist,
    estimate_max_dist_using_outcomes,
)
from palaver.scenarios.scenario import MAX_OUTCOMES, Scenario
from palaver.scenarios.stats import ScenarioStats, calc_scenario_stats
from palaver.scenarios.xml_text import issues_from_xml_str, issues_to_xml_str

__all__ = [
    "MAX_OUTCOMES",
    "STATS_FILE_NAME",
    "AffineUtilityFunction",
    "OutcomeDistances",
    "OutcomeOptimality",
    "RationalFrontierStats",
    "Scenario",
    "ScenarioError",
    "ScenarioStats",
    "ScenarioWarning",
    "calc_outcome_distances",
    "calc_outcome_optimality",
    "calc_scenario_stats",
    "estimate_max_dist",
    "estimate_max_dist_using_outcomes",
    "issues_from_xml_str",
    "issues_to_xml_str",
    "load_genius_domain",
    "load_genius_domain_from_folder",
]
