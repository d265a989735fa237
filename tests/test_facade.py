"""The top-level names are pinned: the facade changes only on purpose (as httpx does).

The top level holds what a first world, negotiation or recording is written
with; everything else is imported from its sub-package. Adding or removing a
top-level name means editing ``EXPECTED`` here, in the same commit.
"""

from __future__ import annotations

import importlib
import inspect

import pytest

import palaver

EXPECTED = {
    # a world (the tutorial's names)
    "Action",
    "Agent",
    "AgentError",
    "AgentWorldInterface",
    "Breach",
    "BreachProcessing",
    "CheckpointConfig",
    "Contract",
    "ExceptionConfig",
    "LoggingConfig",
    "NegotiationConfig",
    "NegotiationInfo",
    "Operations",
    "RenegotiationRequest",
    "SaveConfig",
    "SigningConfig",
    "SimulationError",
    "World",
    "to_flat_dict",
    # a negotiation
    "NMI",
    "AgentMechanismInterface",
    "Mechanism",
    "MechanismState",
    "MechanismStepResult",  # what a NegMAS-style Mechanism subclass's __call__ returns
    "NegotiatorMechanismInterface",
    "ResponseType",
    "SAOMechanism",
    "SAOState",
    "STVetoMechanism",
    "VetoSTMechanism",  # NegMAS's single-text mechanisms (negmas.st), not STVetoMechanism
    "HillClimbingSTMechanism",
    "load_genius_domain",  # NegMAS's Genius loaders (negmas.inout, at its top level)
    "load_genius_domain_from_folder",
    "AspirationNegotiator",
    "BinaryComparatorNegotiator",  # NegMAS's, for the two above
    "BoulwareNegotiator",
    "ConcederNegotiator",
    "LinearNegotiator",
    "MiCRO",
    "MiCRONegotiator",  # NegMAS's name (from negmas import ...), the same class
    "NaiveTitForTat",
    "NaiveTitForTatNegotiator",  # NegMAS's name, the same class
    "Negotiator",
    "NiceNegotiator",
    "RandomNegotiator",
    "SAONegotiator",
    "TimeBasedConcedingNegotiator",  # NegMAS's getting-started import
    "ToughNegotiator",
    "CartesianOutcomeSpace",  # NegMAS's name, the same class
    "SAOController",  # NegMAS's controller of several negotiators (from negmas import ...)
    "ControlledSAONegotiator",
    "FirstOfferOrientedTBNegotiator",  # NegMAS's, at its top level too
    "CategoricalIssue",
    "ContinuousIssue",
    "IntegerIssue",
    "Issue",
    "Outcome",
    "OutcomeSpace",
    "make_issue",
    "make_os",
    "HyperRectangleUtilityFunction",
    "LinearAdditiveUtilityFunction",
    "LinearUtilityFunction",
    "MappingUtilityFunction",
    "Preferences",
    "UtilityFunction",
    "kalai_point",
    "max_welfare_points",
    "nash_point",
    "pareto_frontier",
    "Scenario",
    # events and a recording
    "Event",
    "EventBus",
    "EventSink",
    "EventType",
    "ListSink",
    "RecordingReader",
    "SimulationEvent",
    "SimulationRecorder",
    "__version__",
}

#: Names that left the top level, and the sub-package that keeps them.
MOVED = {
    "palaver.world": [
        "BulletinBoard",
        "COUNTERS",
        "CheckpointError",
        "DEFAULT_OPERATIONS",
        "FORMAT_VERSION",
        "MechanismCrashError",
        "MechanismParameterError",
        "NegotiationRecord",
        "NegotiationRequest",
        "NegotiationRequestError",
        "UnknownMechanismError",
        "WorldError",
        "load_checkpoint",
        "resolve_mechanism",
        "save_checkpoint",
    ],
    "palaver.mechanisms": [
        "InvalidOfferError",
        "MechanismError",
        "MechanismFacts",
        "NegotiatorError",
        "NegotiatorProtocol",
        "OutcomeTable",
        "SAONegotiatorProtocol",
        "STNegotiatorProtocol",
        "STState",
        "outcome_table",
    ],
    "palaver.negotiators": [
        "ASPIRATION_EXPONENTS",
        "DEFAULT_N_LEVELS",
        "IdCounter",
        "OutcomeGrid",
        "OutcomeRanking",
        "aspiration_exponent",
        "negotiator_id_scope",
        "outcome_grid",
    ],
    "palaver.outcomes": ["DiscretizedIssue", "InvalidIssueError", "OutcomeSpaceError"],
    "palaver.preferences": [
        "NormalizedUtilityFunction",
        "Outcomes",
        "SolutionPoint",
        "ValueFunction",
        "evaluate",
        "pareto_indices",
    ],
    "palaver.events": ["plain"],
    "palaver.recording": [
        "DETAIL_LEVELS",
        "EVENT_SCHEMA",
        "STATS_SCHEMA",
        "CorruptRecordingError",
        "EventView",
        "RecordingError",
        "RecordingWarning",
        "observable_state",
    ],
    "palaver.tournaments": ["run_tournament", "TournamentConfig", "load_results", "ranking"],
    "palaver.checks": ["check_world", "check_agent", "check_negotiator", "CheckReport"],
}


def test_the_top_level_names_are_pinned() -> None:
    assert set(palaver.__all__) == EXPECTED
    assert len(palaver.__all__) == len(EXPECTED)


def test_dir_shows_only_public_names() -> None:
    shown = set(dir(palaver))
    for leaked in ("Any", "TYPE_CHECKING", "annotations", "import_module", "typing"):
        assert leaked not in shown
        assert not hasattr(palaver, leaked) or leaked in EXPECTED
    assert shown == EXPECTED


def test_star_import_gives_exactly_the_pinned_names() -> None:
    namespace: dict[str, object] = {}
    exec("from palaver import *", namespace)
    assert set(namespace) - {"__builtins__"} == EXPECTED


@pytest.mark.parametrize("module", sorted(MOVED))
def test_moved_names_live_in_their_sub_package(module: str) -> None:
    package = importlib.import_module(module)
    for name in MOVED[module]:
        assert name in package.__all__, f"{module}.{name}"
        assert name not in palaver.__all__
    with pytest.raises(AttributeError, match=MOVED[module][0]):
        getattr(palaver, MOVED[module][0])


@pytest.mark.parametrize("module", sorted(MOVED))
def test_every_sub_package_name_is_documented(module: str) -> None:
    package = importlib.import_module(module)
    for name in package.__all__:
        obj = getattr(package, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert inspect.getdoc(obj), f"{module}.{name} has no docstring"
