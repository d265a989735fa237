"""Every plot draws its data, with labelled axes, from each kind of source."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import palaver.recording as recording
from palaver.mechanisms import SAOMechanism, STVetoMechanism
from palaver.negotiators import AspirationNegotiator, NaiveTitForTat
from palaver.outcomes import OutcomeSpace, make_issue
from palaver.preferences import LinearUtilityFunction
from palaver.recording import SimulationRecorder
from palaver.report import (
    PALETTE,
    negotiation_trace,
    plot_agent_values,
    plot_breaches_by_agent,
    plot_contract_graph,
    plot_contracts_per_step,
    plot_metric_per_competitor,
    plot_negotiation,
    plot_negotiations_per_step,
    plot_ranking,
    plot_score_distributions,
    plot_win_matrix,
    summarize_world,
    tournament_figures,
    world_figures,
)
from palaver.report.style import to_png
from palaver.report.world_data import CONTRACT_SERIES
from palaver.tournaments import load_results


def ink(figure: object) -> float:
    """The share of the rendered figure's pixels that are not background."""
    from matplotlib.image import imread

    pixels = imread(io.BytesIO(to_png(figure, dpi=50)))  # type: ignore[arg-type]
    return float((pixels[..., :3].mean(axis=2) < 0.97).mean())


def data_axes(figure: object) -> list:
    return [a for a in figure.axes if a.get_label() != "<colorbar>"]  # type: ignore[attr-defined]


def assert_readable(figure: object, min_ink: float = 0.03) -> None:
    assert ink(figure) > min_ink
    for axes in data_axes(figure):
        if axes.axison:
            assert axes.get_xlabel() and axes.get_ylabel(), axes.get_title()
        assert axes.get_title() or figure._suptitle is not None  # type: ignore[attr-defined]


def bilateral() -> SAOMechanism:
    space = OutcomeSpace([make_issue((0, 9), "price"), make_issue((1, 4), "quantity")])
    seller = LinearUtilityFunction([1.0, 0.5], outcome_space=space).normalize()
    buyer = LinearUtilityFunction([-1.0, 0.3], outcome_space=space).normalize()
    mechanism = SAOMechanism(outcome_space=space, n_steps=40, seed=3)
    mechanism.add(AspirationNegotiator(name="seller", ufun=seller))
    mechanism.add(NaiveTitForTat(name="buyer", ufun=buyer))
    return mechanism


def test_a_live_then_finished_bilateral_negotiation() -> None:
    mechanism = bilateral()
    for _ in range(5):
        mechanism.step()
    live = negotiation_trace(mechanism)
    assert live.result == "running" and live.n_offers == 10 and live.agreement is None
    assert live.frontier is not None and live.nash is not None and live.kalai is not None
    assert_readable(plot_negotiation(mechanism))
    mechanism.run()
    done = negotiation_trace(mechanism)
    assert done.n_offers > live.n_offers and done.result == mechanism.state.result
    figure = plot_negotiation(mechanism)
    assert_readable(figure)
    left = figure.axes[0]
    labels = left.get_legend_handles_labels()[1]
    assert {"Pareto frontier", "Nash", "Kalai", "offers by seller", "offers by buyer"} <= set(
        labels
    )
    if done.agreement is not None:
        assert "agreement" in labels
        # On a frontier computed from the same space, a Pareto-optimal agreement is at 0.
        assert done.distances()["pareto"] >= 0


def test_a_multilateral_negotiation_draws_each_party_over_time() -> None:
    space = OutcomeSpace([make_issue((0, 5), "a"), make_issue((0, 5), "b")])
    mechanism = SAOMechanism(outcome_space=space, n_steps=15, seed=1)
    for i, weights in enumerate(([1.0, 0.2], [-1.0, 0.4], [0.3, -1.0])):
        ufun = LinearUtilityFunction(weights, outcome_space=space).normalize()
        mechanism.add(AspirationNegotiator(name=f"p{i}", ufun=ufun))
    mechanism.run()
    figure = plot_negotiation(mechanism)
    assert_readable(figure)
    assert "own offers" in figure.axes[0].get_title()
    assert len(figure.axes[0].get_lines()) == 3


def test_a_recorded_negotiation_by_id_with_and_without_ufuns(tmp_path: Path) -> None:
    mechanism = bilateral()
    recorder = SimulationRecorder(mechanism, output_dir=tmp_path)
    mechanism.run()
    recorder.close()
    with recording.open(recorder.folder) as reader:
        ufuns = {n.id: n.ufun for n in mechanism.negotiators}
        recorded = negotiation_trace(reader, mechanism.id, ufuns=ufuns)
        live = negotiation_trace(mechanism)
        assert recorded.outcomes == live.outcomes
        np.testing.assert_allclose(recorded.utilities, live.utilities)
        assert recorded.agreement == live.agreement
        assert_readable(plot_negotiation(reader, mechanism.id, ufuns=ufuns))
        bare = plot_negotiation(reader, mechanism.id)
        assert_readable(bare)
        assert [a.get_title() for a in bare.axes] == ["Offered price", "Offered quantity"]
        with pytest.raises(KeyError, match="no negotiation 'nope'"):
            plot_negotiation(reader, "nope")
        # A typo, a forgotten party or a value that is no utility function drew
        # the per-issue picture (or raised "'int' object is not callable").
        (first, ufun), (second, _) = ufuns.items()
        with pytest.raises(ValueError, match=r"ufuns names \['sellr'\], not parties"):
            plot_negotiation(reader, mechanism.id, ufuns={first: ufun, "sellr": ufun})
        with pytest.raises(ValueError, match=rf"no utility function for \['{second}'\]"):
            plot_negotiation(reader, mechanism.id, ufuns={first: ufun})
        with pytest.raises(TypeError, match=rf"ufuns\['{second}'\] must be a utility function"):
            negotiation_trace(reader, mechanism.id, ufuns={first: ufun, second: 5})
        # The message names the negotiations there are to choose from.
        with pytest.raises(ValueError, match=f"negotiation_id is required.*'{mechanism.id}'"):
            plot_negotiation(reader)
    with pytest.raises(TypeError, match="mechanism, a recording reader"):
        plot_negotiation(42)


def test_a_recorded_single_text_negotiation_has_its_negotiators_as_parties(
    tmp_path: Path,
) -> None:
    # The mediator's proposals are recorded with negotiator null; they were
    # taken for a party named 'None', so ufuns for both negotiators were refused.
    space = OutcomeSpace([make_issue((0, 9), "price"), make_issue((1, 4), "quantity")])
    seller = LinearUtilityFunction([1.0, 0.5], outcome_space=space).normalize()
    buyer = LinearUtilityFunction([-1.0, 0.3], outcome_space=space).normalize()
    mechanism = STVetoMechanism(outcome_space=space, n_steps=20, seed=2)
    recorder = SimulationRecorder(mechanism, output_dir=tmp_path)
    mechanism.add(AspirationNegotiator(name="seller", ufun=seller))
    mechanism.add(AspirationNegotiator(name="buyer", ufun=buyer))
    mechanism.run()
    recorder.close()
    live = negotiation_trace(mechanism)
    with recording.open(recorder.folder) as reader:
        bare = negotiation_trace(reader, mechanism.id)
        assert bare.parties == ["seller", "buyer"] and bare.n_offers == 20
        assert set(bare.proposers.tolist()) == {-1} == set(live.proposers.tolist())
        recorded = negotiation_trace(reader, mechanism.id, ufuns={"seller": seller, "buyer": buyer})
        assert recorded.agreement == live.agreement and recorded.outcomes == live.outcomes
        np.testing.assert_allclose(recorded.utilities, live.utilities)
        assert recorded.distances() == live.distances()
        drawn = plot_negotiation(reader, mechanism.id, ufuns={"seller": seller, "buyer": buyer})
        assert_readable(drawn)
        assert "offers by the mediator" in drawn.axes[0].get_legend_handles_labels()[1]


def test_world_summary_matches_the_recording(demo_reader: recording.RecordingReader) -> None:
    summary = summarize_world(demo_reader)
    _, per_type = demo_reader.counts()
    assert summary.negotiations["requested"].sum() == per_type["negotiation_requested"]
    assert summary.negotiations["started"].sum() == per_type["negotiation_started"]
    ended = summary.negotiations["agreed"].sum() + summary.negotiations["failed"].sum()
    assert ended == per_type["negotiation_ended"]
    for kind in CONTRACT_SERIES:
        assert summary.contracts[kind].sum() == per_type.get(f"contract_{kind}", 0)
    assert sum(summary.edges.values()) == per_type["contract_signed"]
    assert sum(summary.breaches_by_agent.values()) >= per_type["contract_breached"]
    assert len(summary.step_details) == len(summary.steps) == 20
    values = summary.agent_values
    assert values is not None and len(values.values) == 10
    assert values.name == "total_utility"
    # A total utility never decreases in the TripsWorld.
    assert all((np.diff(v) >= -1e-9).all() for v in values.values.values())


def test_world_plots(demo_reader: recording.RecordingReader) -> None:
    summary = summarize_world(demo_reader)
    for make in (
        plot_negotiations_per_step,
        plot_contracts_per_step,
        plot_agent_values,
        plot_breaches_by_agent,
        plot_contract_graph,
    ):
        assert_readable(make(summary))
    lines = plot_negotiations_per_step(summary).axes[0].get_lines()
    assert [line.get_label() for line in lines] == ["requested", "started", "agreed", "failed"]
    assert [line.get_color().upper() for line in lines] == list(PALETTE[:4])
    figures = world_figures(demo_reader)
    assert len(figures) == 6


def test_tournament_plots_take_plain_tables(trips_results: Path) -> None:
    results = load_results(trips_results)
    ranking = results.ranking()
    as_dict = {k: list(ranking[k]) for k in ranking.columns}
    for table in (ranking, pa.Table.from_pandas(ranking), as_dict):
        assert_readable(plot_ranking(table))
    assert_readable(plot_score_distributions(results.scores()))
    assert_readable(plot_win_matrix(results.win_matrix()))
    frame = pd.DataFrame(
        {"competitor": ["a", "a", "b", "b", "b"], "advantage": [0.1, 0.3, 0.5, 0.6, 0.4]}
    )
    figure = plot_metric_per_competitor(frame, "advantage")
    assert_readable(figure)
    assert figure.axes[0].get_xlabel() == "advantage"
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['welfare'\]"):
        plot_metric_per_competitor(frame, "welfare")
    assert set(tournament_figures(results)) == {"Ranking", "Score distributions", "Win matrix"}


def test_empty_inputs_say_so() -> None:
    empty = {"competitor": [], "mean": [], "ci_low": [], "ci_high": []}
    figure = plot_ranking(empty)
    assert "no finished world" in figure.axes[0].texts[0].get_text()
    figure = plot_win_matrix(np.empty((0, 0)), [])
    assert figure.axes[0].texts


@pytest.mark.parametrize("detail", ["contracts", "offers"])
def test_world_summary_counts_negotiations_as_the_world_does(tmp_path: Path, detail: str) -> None:
    # At detail="contracts" the report said 0 negotiations and 5 of 6 agents:
    # the series come from the world's own per-step counters (which leave
    # renegotiations out, as world.stats does), the agents from the run's start.
    from palaver.examples.trips import build_trips

    world = build_trips(n_agents=6, n_steps=5, seed=1)
    rec = SimulationRecorder(world, output_dir=tmp_path, detail=detail)
    world.run()
    rec.close()
    summary = summarize_world(recording.open(rec.folder))
    totals = world.totals
    assert summary.negotiations["requested"].sum() == totals["n_negotiations_requested"] > 0
    assert summary.negotiations["started"].sum() == totals["n_negotiations_started"]
    assert summary.negotiations["agreed"].sum() == totals["n_negotiations_succeeded"]
    assert summary.negotiations["failed"].sum() == totals["n_negotiations_failed"]
    assert summary.has_negotiations
    assert summary.n_agents == len(world.agents) == 6


def test_world_summary_of_a_path_and_bad_arguments(demo_reader: recording.RecordingReader) -> None:
    by_path = summarize_world(str(demo_reader.path))
    assert by_path.event_totals == summarize_world(demo_reader).event_totals
    with pytest.raises(TypeError, match="reader must be a recording reader"):
        summarize_world(5)
    negotiation = demo_reader.sql(
        "SELECT negotiation_id FROM events WHERE event_type = 'negotiation_ended' LIMIT 1"
    ).fetchall()[0][0]
    with pytest.raises(TypeError, match="ufuns must be a mapping"):
        plot_negotiation(demo_reader, negotiation, ufuns=5)  # type: ignore[arg-type]
    # It failed inside the frontier computation: 'int' object has no attribute 'is_discrete'.
    with pytest.raises(TypeError, match=r"outcome_space must be an outcome space .* got 5 \(int\)"):
        plot_negotiation(demo_reader, negotiation, outcome_space=5)


@pytest.mark.parametrize(
    ("top", "error", "message"),
    [(0, ValueError, "got 0"), (-1, ValueError, "got -1"), (1.5, TypeError, "got 1.5")],
)
def test_a_top_that_is_not_a_positive_integer_is_refused(
    demo_reader: recording.RecordingReader, top: object, error: type, message: str
) -> None:
    # -1 dropped the last event type without a word; 1.5 failed inside a slice.
    from palaver.report.world import (
        plot_events_by_type,
        plot_events_per_agent,
        plot_events_per_step,
    )

    for plot in (plot_events_per_step, plot_events_by_type, plot_events_per_agent):
        with pytest.raises(error, match=f"top must be an integer >= 1, {message}"):
            plot(demo_reader, top=top)  # type: ignore[arg-type]


def test_a_win_matrix_that_does_not_fit_its_names_is_refused() -> None:
    # Drawn with the wrong labels, or failed deep in numpy.
    with pytest.raises(ValueError, match=r"matrix must be 1 x 1, .* got shape \(2, 2\)"):
        plot_win_matrix([[0.0, 1.0], [1.0, 0.0]], names=["a"])
    with pytest.raises(TypeError, match="a DataFrame indexed by competitor, or an array with"):
        plot_win_matrix([0.5, 0.5])
    with pytest.raises(TypeError, match="square table of numbers"):
        plot_win_matrix([["x", "y"], ["z", "w"]], names=["a", "b"])
    assert plot_win_matrix([[np.nan, 1.0], [0.0, np.nan]], names=["a", "b"]) is not None
