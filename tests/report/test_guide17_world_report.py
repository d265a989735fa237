"""The step player names the partners of every contract it lists, a breached one's
too (docs/looking-at-results.md: "the contracts signed, executed, breached or
cancelled"); a negotiation id the recording lacks is named with the closest."""

from __future__ import annotations

from pathlib import Path

import pytest

import palaver.recording as recording
from palaver.report import negotiation_trace, plot_negotiation, summarize_world


def test_a_breached_contract_in_the_step_player_names_its_partners(
    demo_recording: Path,
) -> None:
    with recording.open(demo_recording) as reader:
        summary = summarize_world(reader)
        signed = {
            contract: list(partners)
            for detail in summary.step_details
            for contract, state, partners in detail["contracts"]
            if state == "signed"
        }
    breached = [
        (contract, partners)
        for detail in summary.step_details
        for contract, state, partners in detail["contracts"]
        if state == "breached"
    ]
    assert breached, "the demo run has breaches"
    for contract, partners in breached:
        assert partners and partners == signed[contract]


def test_an_unknown_negotiation_id_names_the_closest(demo_recording: Path) -> None:
    with recording.open(demo_recording) as reader:
        for call in (plot_negotiation, negotiation_trace):
            with pytest.raises(KeyError, match=r"no negotiation 'n1x'.*did you mean 'n1.*it holds"):
                call(reader, "n1x")


def test_an_agent_whose_value_never_changes_is_drawn(tmp_path: Path) -> None:
    # "Agents over time" left out an agent whose value never changed (it has no
    # state_change event) unless every other agent had started from its value.
    mesa = pytest.importorskip("mesa")
    from palaver.recording import SimulationRecorder

    class Saver(mesa.Agent):
        def __init__(self, model: mesa.Model, wealth: int) -> None:
            super().__init__(model)
            self.wealth = wealth

        def step(self) -> None:
            if self.unique_id != 3:
                self.wealth += 1

    class Town(mesa.Model):
        def __init__(self) -> None:
            super().__init__(seed=1)
            for wealth in (1, 1, 5):
                Saver(self, wealth)

        def step(self) -> None:
            self.agents.do("step")

    model = Town()
    recorder = SimulationRecorder(model, output_dir=tmp_path)
    model.step()
    model.step()
    recorder.close()
    values = summarize_world(recorder.folder).agent_values
    assert values is not None and values.name == "wealth"
    assert {a: list(v) for a, v in values.values.items()} == {
        "1": [2.0, 3.0],
        "2": [2.0, 3.0],
        "3": [5.0, 5.0],
    }
