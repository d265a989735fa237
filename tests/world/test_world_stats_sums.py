"""Every counter's per-step series sums to its run total, whatever ends the run.

What is counted while a run closes (negotiations cancelled, contracts left
unsigned or unexecuted) is folded into the last step's row, before that row's
``stats`` event: the series, the recorded stats and the totals agree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from golden_worlds import build_bazaar
from world_helpers import LedgerWorld, Trader

from palaver.events import EventType, ListSink
from palaver.examples.trips import build_trips
from palaver.world import World
from palaver.world.stats import COUNTERS


def _assert_sums(world: World[Any, Any], sink: ListSink) -> None:
    rows = [e.payload for e in sink.of_type(EventType.STATS)]
    for name in COUNTERS:
        assert sum(world.stats[name]) == world.totals[name], name
        assert sum(r[name] for r in rows) == world.totals[name], name
    n = len(world.stats["n_negotiations_requested"])
    assert all(len(v) == n for v in world.stats.values())
    # Open negotiations balance in every row, the last one too: those the end
    # of the run cancels are in its failures, so none is open after it.
    for r in rows:
        opened = r["n_registered_negotiations_before"] + r["n_negotiations_accepted"]
        closed = r["n_negotiations_succeeded"] + r["n_negotiations_failed"]
        after = r["n_registered_negotiations_after"]
        assert opened - closed == after == r["n_running_negotiations"]
    assert rows[-1]["n_running_negotiations"] == 0 == len(world.running_negotiations)


@pytest.mark.parametrize(
    "build",
    [
        lambda: build_trips(n_agents=6, n_steps=5, seed=1),
        lambda: build_bazaar("NONE", negotiation_speed=3),
        lambda: build_bazaar("META_NEGOTIATION", seed=5, start_negotiations_immediately=True),
    ],
    ids=["trips", "bazaar_none", "bazaar_meta"],
)
def test_series_sum_to_totals_when_the_run_completes(build: Any) -> None:
    world = build()
    sink = ListSink()
    world.bus.add_sink(sink)
    world.run()
    assert world.status == "completed"
    # The closing counts are there to be summed (the regression: they were left out).
    assert world.totals["n_negotiations_cancelled"] + world.totals["n_contracts_unexecuted"] > 0
    _assert_sums(world, sink)
    last = sink.of_type(EventType.STATS)[-1]
    closing = sink.of_type(EventType.CONTRACT_UNEXECUTED) + [
        e for e in sink.of_type(EventType.NEGOTIATION_ENDED) if e.payload["result"] == "cancelled"
    ]
    assert closing and all(e.seq < last.seq for e in closing)


def test_series_sum_to_totals_when_the_time_limit_fires_between_steps() -> None:
    world = build_trips(n_agents=6, n_steps=50, seed=1)
    world.step()
    world.step()
    world.time_limit = 1e-9  # used up before the next step starts
    assert world.step() is False
    assert world.status == "timed_out"
    assert world.totals["n_negotiations_cancelled"] > 0
    for name in COUNTERS:
        assert sum(world.stats[name]) == world.totals[name], name
    assert len(world.stats["n_negotiations_requested"]) == 2


class Crashing(Trader):
    def step(self) -> None:
        super().step()
        if self.awi.current_step == 2:
            raise RuntimeError("boom")


def test_series_sum_to_totals_when_an_exception_stops_the_run(tmp_path: Path) -> None:
    world = LedgerWorld(n_steps=6, seed=7)
    world.join(Crashing(targets=["seller"], per_step=2, id="buyer"))
    world.join(Trader(buyer=False, id="seller"))
    with pytest.raises(Exception, match="boom"):
        world.run()
    assert world.status == "error"
    for name in COUNTERS:
        assert sum(world.stats[name]) == world.totals[name], name


def test_a_stat_appended_on_some_steps_is_padded_at_the_end_in_stats_df() -> None:
    """Documented (docs/world.md, Statistics): stats_df pads a short column at the
    end, as NegMAS does; the stats events carry each value at its own step."""
    pytest.importorskip("pandas")

    class Sparse(LedgerWorld):
        def post_step_stats(self) -> None:
            if self.current_step % 2 == 0:
                self._stats["even"].append(self.current_step)

    world = Sparse(n_steps=5, seed=1)
    world.join(Trader(targets=["seller"], per_step=1, id="buyer"))
    world.join(Trader(buyer=False, id="seller"))
    sink = ListSink()
    world.bus.add_sink(sink)
    world.run()
    assert world.stats["even"] == [0, 2, 4]
    assert world.stats_df["even"].tolist()[:3] == [0, 2, 4]
    assert world.stats_df["even"].isna().tolist() == [False, False, False, True, True]
    by_step = [e.payload.get("even") for e in sink.of_type(EventType.STATS)]
    assert by_step == [0, None, 2, None, 4]
