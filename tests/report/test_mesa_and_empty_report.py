"""Reports of recordings without negotiations: a Mesa model's, and an empty one.

Only the plots that have data are drawn, and the page says first what the
recording holds (the world plots used to be drawn empty, "no negotiations").
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from report_helpers import embedded_plots, ink  # this folder is on sys.path (rootdir mode)

import palaver.recording as recording
from palaver.recording import SimulationRecorder
from palaver.report import report_html, summarize_world, world_figures

MESA_PLOTS = {"Agents over time", "Events per step", "Events by type", "Events per agent"}


def test_a_mesa_recording_shows_its_events_agents_and_state(mesa_recording: Path) -> None:
    page = report_html(mesa_recording)
    holdings = re.search(r'<p id="holdings">(.*?)</p>', page)
    assert holdings is not None
    assert "observation 30" in holdings.group(1) and "message 6" in holdings.group(1)
    assert "from 5 agent(s)" in holdings.group(1)
    assert "no negotiations and no contracts" in holdings.group(1)
    plots = embedded_plots(page)
    assert set(plots) == MESA_PLOTS
    for title, png in plots.items():
        assert ink(png) > 0.02, title
    assert "Negotiations per step" not in page and "Contract graph" not in page
    # The agents' last state: every agent with its food after 6 steps.
    state = re.search(r'<table id="agent-state">(.*?)</table>', page)
    assert state is not None and "<th>food</th>" in state.group(1)
    assert state.group(1).count("<tr>") == 1 + 5
    assert '<td class="num">30</td>' in state.group(1)  # agent 5: 5 food per step, 6 steps
    # The step player shows events by type and state changes, not empty negotiation lists.
    assert 'data-world="0"' in page
    data = re.search(r'<script type="application/json" id="step-data">(.*?)</script>', page)
    assert data is not None
    steps = json.loads(data.group(1))
    assert steps[0]["types"]["observation"] == 5
    assert [s[0] for s in steps[0]["states"]] == ["1", "2", "3", "4", "5"]
    assert steps[0]["states"][1][1] == "food 0 -> 2"


def test_world_figures_are_those_with_data(
    mesa_recording: Path, demo_reader: recording.RecordingReader
) -> None:
    with recording.open(mesa_recording) as reader:
        summary = summarize_world(reader)
    assert not summary.has_negotiations and not summary.has_contracts and summary.has_activity
    assert set(world_figures(summary)) == MESA_PLOTS
    assert set(world_figures(demo_reader)) == {
        "Negotiations per step",
        "Contracts per step",
        "Agents over time",
        "Breaches by agent",
        "Contract graph",
        "Events per step",
    }


def test_an_empty_recording_says_there_is_nothing_to_plot(tmp_path: Path) -> None:
    mesa = pytest.importorskip("mesa")

    class Idle(mesa.Agent):
        pass

    model = mesa.Model(seed=1)
    Idle.create_agents(model, 3)
    recorder = SimulationRecorder(model, output_dir=tmp_path)
    recorder.close()
    page = report_html(recorder.folder)
    assert "nothing to plot" in page and "<img" not in page
    assert 'id="step-slider"' not in page and "<h2>Plots</h2>" not in page
    # What it does hold: its agents' state when recording started.
    state = re.search(r'<table id="agent-state">(.*?)</table>', page)
    assert state is not None and state.group(1).count("<tr>") == 1 + 3
    import palaver.report.notebook  # noqa: F401  (registers the renderers)

    with recording.open(recorder.folder) as reader:
        shown = reader._repr_html_()
    assert 'id="recording"' in shown and "<img" not in shown  # no empty plot
