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
