"""A recorded negotiation's distances need an outcome space: given, or the utility
functions' own; without one they are NaN (docs/looking-at-results.md)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import palaver.recording as recording
from palaver.examples.trips import build_trips
from palaver.outcomes import OutcomeSpace, make_issue
from palaver.recording import SimulationRecorder
from palaver.report import negotiation_trace


def test_distances_of_a_world_negotiation_need_its_outcome_space(tmp_path: Path) -> None:
    recorder = SimulationRecorder(None, output_dir=tmp_path)
    world = build_trips(n_agents=5, n_steps=4, seed=11, recorder=recorder)
    world.run()
    recorder.close()
    with recording.open(recorder.folder) as reader:
        [(negotiation, started)] = reader.sql(
            "SELECT s.negotiation_id, s.content FROM events s JOIN events e USING "
            "(negotiation_id) WHERE s.event_type = 'negotiation_started' AND "
            "e.event_type = 'negotiation_ended' AND "
            "json_extract_string(e.content, '$.result') = 'agreement' "
            "ORDER BY s.index LIMIT 1"
        ).fetchall()
        agents = json.loads(started)["agents"]
        ufuns = {a: world.agents[a].ufun for a in agents}
        assert all(u.outcome_space is None for u in ufuns.values())
        without = negotiation_trace(reader, negotiation, ufuns=ufuns).distances()
        assert all(math.isnan(d) for d in without.values())
        space = OutcomeSpace(
            [
                make_issue((0.0, 1.0), "cost"),
                make_issue(2, "active"),
                make_issue((1, 7), "duration"),
            ]
        )
        given = negotiation_trace(reader, negotiation, ufuns=ufuns, outcome_space=space)
        assert all(math.isfinite(d) for d in given.distances().values())
