"""The pictures of docs/looking-at-results.md are drawn here, from the page's own runs.

Each image is rewritten when what the code draws changes (and only then), and
every image the page shows must be one this test draws: the guide's pictures
are never pasted by hand.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

import palaver.recording as recording
from palaver.examples.trips import build_trips
from palaver.mechanisms import SAOMechanism
from palaver.negotiators import AspirationNegotiator
from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences import LinearUtilityFunction
from palaver.recording import SimulationRecorder
from palaver.report import (
    negotiation_tournament_figures,
    plot_agent_values,
    plot_breaches_by_agent,
    plot_contract_graph,
    plot_contracts_per_step,
    plot_negotiation,
    plot_negotiations_per_step,
    plot_ranking,
    plot_win_matrix,
    summarize_world,
)
from palaver.scenarios.generators import anl_scenarios
from palaver.tournaments import Competitor, TournamentConfig, run_tournament
from palaver.tournaments.negotiation import cartesian_tournament

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGE = DOCS / "looking-at-results.md"


def save(figure: object, name: str) -> None:
    """Write docs/images/NAME when its content changed (no timestamps in the PNG)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=72, metadata={"Software": None})  # type: ignore[attr-defined]
    path = DOCS / "images" / name
    path.parent.mkdir(exist_ok=True)
    if not path.exists() or path.read_bytes() != buffer.getvalue():
        path.write_bytes(buffer.getvalue())


def draw_all(tmp: Path) -> set[str]:
    space = OutcomeSpace([make_issue((1, 10), "price"), make_issue((1, 5), "quantity")])
    seller = LinearUtilityFunction([1.0, 0.6], outcome_space=space).normalize()
    buyer = LinearUtilityFunction([-1.0, 0.4], outcome_space=space).normalize()
    mechanism = SAOMechanism(outcome_space=space, n_steps=60, seed=7)
    mechanism.add(AspirationNegotiator(name="seller", ufun=seller))
    mechanism.add(AspirationNegotiator(name="buyer", ufun=buyer, aspiration_type="linear"))
    mechanism.run()
    drawn = {"negotiation.png": plot_negotiation(mechanism)}

    recorder = SimulationRecorder(None, output_dir=tmp / "trips")
    build_trips(n_agents=10, n_steps=20, seed=1, recorder=recorder).run()
    recorder.close()
    with recording.open(recorder.folder) as reader:
        summary = summarize_world(reader)
    drawn |= {
        "world-negotiations.png": plot_negotiations_per_step(summary),
        "world-contracts.png": plot_contracts_per_step(summary),
        "world-agents.png": plot_agent_values(summary),
        "world-breaches.png": plot_breaches_by_agent(summary),
        "world-graph.png": plot_contract_graph(summary),
    }

    config = TournamentConfig(
        name="trips-small",
        world="palaver.examples.trips:TripsWorld",
        competitors=[
            Competitor("palaver.examples.trips:RandomPerson", name="random"),
            Competitor("palaver.examples.trips:SmartPerson", name="smart"),
        ],
        agents_per_competitor=2,
        world_params={"n_steps": 3},
        repetitions=3,
        seed=5,
    )
    results = run_tournament(config, tmp / "results", executor="serial", progress=False)
    drawn |= {
        "tournament-ranking.png": plot_ranking(results.ranking()),
        "tournament-wins.png": plot_win_matrix(results.win_matrix()),
    }
    league = cartesian_tournament(
        ["boulware", "conceder", "micro", "naivetitfortat"],
        anl_scenarios(2, n_outcomes=(30, 60), seed=7),
        n_repetitions=1,
        n_steps=30,
        path=tmp / "small-league",
        executor="serial",
        seed=1,
    )
    figures = negotiation_tournament_figures(league)
    drawn |= {
        "negotiation-tournament-advantage.png": figures["Advantage per competitor"],
        "negotiation-tournament-welfare.png": figures["Welfare per competitor"],
        "negotiation-tournament-pareto.png": figures["Distance to Pareto per competitor"],
        "negotiation-tournament-wins.png": figures["Win matrix"],
    }
    for name, figure in drawn.items():
        save(figure, name)
    return set(drawn)


def test_the_guide_shows_the_pictures_the_suite_draws(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    drawn = draw_all(tmp_path)
    shown = set(re.findall(r"\]\(images/([^)]+)\)", PAGE.read_text(encoding="utf-8")))
    assert shown == drawn
    for name in drawn:
        assert (DOCS / "images" / name).stat().st_size > 5_000
