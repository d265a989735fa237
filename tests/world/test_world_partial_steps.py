"""NegMAS's partial steps (``world.step(n_neg_steps=k, n_mechanisms=m)``) add up
to whole steps: the same events, statistics and totals in every golden world."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from golden_worlds import golden_run, trace_line

from palaver.events import ListSink

NAMES = ("trips", "bazaar_none", "bazaar_vtp", "bazaar_meta")


def _run(name: str, folder: Path, part: dict[str, Any] | None) -> tuple[Any, Counter[str]]:
    """Run golden world ``name`` in whole steps (``part`` None) or in parts; the
    world and its events as trace lines without the sequence number (the events
    of negotiations stepped side by side interleave)."""
    world = golden_run(name, folder)
    sink = ListSink()
    world.bus.add_sink(sink)
    if part is None:
        world.run()
    else:
        while world.step(**part):
            pass
    lines: Counter[str] = Counter()
    for event in sink.events:
        row = json.loads(trace_line(event))
        lines[json.dumps(row[1:], sort_keys=True)] += 1
    return world, lines


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    "part", [{"n_neg_steps": 1}, {"n_neg_steps": 2, "n_mechanisms": 1}], ids=["k1", "k2m1"]
)
def test_partial_steps_make_the_same_run_as_whole_steps(
    tmp_path: Path, name: str, part: dict[str, Any]
) -> None:
    whole, whole_events = _run(name, tmp_path / "whole", None)
    parts, part_events = _run(name, tmp_path / "parts", part)
    assert parts.status == whole.status == "completed"
    assert parts.totals == whole.totals
    assert parts.stats == whole.stats
    assert part_events == whole_events
    assert [c.id for c in parts.saved_contracts] == [c.id for c in whole.saved_contracts]
