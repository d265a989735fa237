"""Every way a contract ends reaches a recording kept at the coarse detail levels."""

from __future__ import annotations

from pathlib import Path

import pytest

from palaver.examples.trips import build_trips
from palaver.recording import SimulationRecorder

ENDS = ("executed", "breached", "cancelled", "nullified", "erred", "unexecuted")


@pytest.mark.parametrize("detail", ["contracts", "negotiations"])
def test_contract_ends_match_the_world_stats(tmp_path: Path, detail: str) -> None:
    world = build_trips(n_agents=6, n_steps=6, seed=3)
    rec = SimulationRecorder(world, output_dir=tmp_path, detail=detail)
    world.run()
    rec.close()
    totals = world.totals
    recorded = {end: len(rec.get_events_by_type(f"contract_{end}")) for end in ENDS}
    expected = {end: int(totals[f"n_contracts_{end}"]) for end in ENDS}
    assert recorded == expected
    # The run leaves contracts still due: the end state this test guards.
    assert recorded["unexecuted"] > 0


def test_a_recorded_negotiation_is_completed_once_it_ended(tmp_path: Path) -> None:
    from palaver import AspirationNegotiator, LinearUtilityFunction, SAOMechanism, make_issue
    from palaver.recording import open as open_recording

    session = SAOMechanism(issues=[make_issue(10, "price")], n_steps=20, seed=7)
    session.add(AspirationNegotiator(name="seller", ufun=LinearUtilityFunction([1.0])))
    session.add(AspirationNegotiator(name="buyer", ufun=LinearUtilityFunction([-1.0], bias=9)))
    rec = SimulationRecorder(session, output_dir=tmp_path)
    assert rec.get_stats()["total_events"] == 0
    session.run()
    rec.close()
    assert open_recording(rec.folder).status == "completed"
