"""The scenario and YAML files of a saved :class:`~palaver.mechanisms.CompletedRun`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from palaver._util.serialization import dump, load
from palaver.scenarios import Scenario, ScenarioError

__all__ = ["optional_yaml", "read_scenario", "write_scenario"]


def write_scenario(scenario: Scenario, folder: Path, stats: bool, frontier: bool) -> None:
    """The scenario as Palaver JSON in ``folder`` and, with ``stats``, NegMAS's ``_stats.yaml``."""
    try:
        scenario.dumpas(folder, type="json")
    except ScenarioError:
        # a ufun Palaver cannot write (a custom one on a continuous space): the
        # outcome space at least, as NegMAS does then
        dump({"outcome_space": str(scenario.outcome_space)}, folder / "outcome_space.yaml")
        return
    if stats:
        dump(scenario.stats.to_dict(frontier), folder / "_stats.yaml")


def optional_yaml(path: Path) -> dict[str, Any]:
    """The dict in a YAML file of a saved run, ``{}`` when it is missing or empty."""
    if not path.exists():
        return {}
    data = load(path)
    return dict(data) if data else {}


def read_scenario(folder: Path, metadata: dict[str, Any], stats: bool) -> Scenario | None:
    """The scenario saved in ``folder/scenario`` (else at ``metadata["scenario_path"]``),
    ``None`` when there is none or Palaver cannot read it; with ``stats`` computed."""
    where = folder / "scenario"
    if not where.exists() and metadata.get("scenario_path"):
        where = Path(metadata["scenario_path"])
    if not where.exists():
        return None
    try:
        scenario = Scenario.load(where)
    except ScenarioError:  # a scenario folder Palaver cannot read: the run still loads
        return None
    if stats:
        scenario.calc_stats()
    return scenario
