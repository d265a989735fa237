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
