"""How NegMAS's ``cartesian_tournament`` keywords that Palaver does not do are
handled: accepted because they cannot change a result here (:data:`NO_EFFECT`,
each with the reason), or refused unless left at NegMAS's default
(:data:`REFUSED`, each with the default and the reason); see
:mod:`~palaver.tournaments.negotiation.negmas_call`."""

from __future__ import annotations

from typing import Any

__all__ = ["NO_EFFECT", "REFUSED"]

#: Keywords accepted with any value because they cannot change a result here.
NO_EFFECT: dict[str, str] = {
    "rotate_private_infos": "no private information is given to negotiators (see private_infos)",
    "process_isolation": "each batch of negotiations already runs in its own worker",
    "allow_inline_fallback": "a worker that dies is recorded negotiation by negotiation",
    "max_tasks_per_worker": "workers are Palaver's; the count cannot change a result",
    "sort_runs": "every negotiation's seed comes from its position, not its run order",
    "shorten_names": "deprecated in NegMAS (a DeprecationWarning says so): give competitor_names",
    "save_scenario_figs": "scenario figures are drawn by palaver.report, not while running",
    "image_format": "scenario figures are drawn by palaver.report, not while running",
    "recalculate_stats": "statistics are computed from the scenarios as given",
    "raise_exceptions": "a negotiator's exception ends its negotiation as an error row",
    "mask_scenario_names": "negotiators are not told the scenario's name",
    "memory_optimization": "the frames are built in memory when the tournament ends",
    "save_negotiations_as_folders": "with detail='offers' every offer is in one table",
    "python_class_identifier": "competitors are stored as module:Class paths",
    "metadata": "kept in the results' config",
}

#: Keywords refused unless given NegMAS's default: (default, why).
REFUSED: dict[str, tuple[Any, str]] = {
    "private_infos": (None, "private information per scenario is not passed to negotiators"),
    "plot_fraction": (0.0, "negotiations are not plotted while running; see palaver.report"),
    "plot_params": (None, "negotiations are not plotted while running; see palaver.report"),
}
