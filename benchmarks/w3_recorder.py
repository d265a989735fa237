"""Workload 3: one recorder takes the common event stream, saves JSON, answers queries.

``--side mesa-llm`` uses mesa-llm 0.2.0's ``SimulationRecorder`` (peer
environment); ``--side palaver`` uses ``palaver.recording.SimulationRecorder``
(Palaver's environment). Both record the stream of ``recorder_load`` on the
same Mesa model with the same arguments (the seed's defaults, so
``record_state_changes=True``: Palaver compares every agent's observable state
once per step, mesa-llm's flag does nothing), then ``save(format="json")``, then time
``get_agent_events`` for one agent, both as returned and read in full (a list of
events on both sides). Palaver's side also reports its Parquet recording's size.
``--side null`` drives a recorder that does nothing: the cost of producing the
stream itself, to subtract from both sides' recording time.

``--model plain`` (Palaver's side only) drives the same stream from a model
that does not import Mesa: mesa-llm's recorder is a Mesa extension and needs a
Mesa model, Palaver's takes any model with a step counter, so this is the
process a Palaver user recording their own model would run. The result says
whether Mesa and pandas were imported.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import Meter, current_rss_mb, peak_rss_mb, run_side
from recorder_load import MODEL_KINDS, make_model, steps_for


class NullRecorder:
    """Takes every event and keeps only a placeholder for it."""

    def __init__(self, model: Any, **kwargs: Any) -> None:
        self.model = model
        self.events: list[Any] = []

    def record_event(self, event_type: str, content: Any = None, **kwargs: Any) -> None:
        """Count the event."""
        self.events.append(None)

    def record_model_event(self, event_type: str, content: Any) -> None:
        """Count the event."""
        self.events.append(None)


def recorder_class(side: str) -> type:
    """The recorder class of one side."""
    if side == "mesa-llm":
        from mesa_llm.recording.simulation_recorder import SimulationRecorder
    elif side == "palaver":
        from palaver.recording import SimulationRecorder
    else:
        return NullRecorder
    return SimulationRecorder


def tree_bytes(folder: Path, suffix: str = "", skip: Path | None = None) -> int:
    """Total size of the files under ``folder`` ending with ``suffix`` (except ``skip``)."""
    return sum(
        p.stat().st_size
        for p in folder.rglob(f"*{suffix}")
        if p.is_file() and (skip is None or p != skip)
    )


def time_queries(recorder: Any, agent_id: int, n: int, read: bool) -> tuple[list[float], int]:
    """``n`` timings (s) of ``get_agent_events(agent_id)``, read into a list if ``read``."""
    timings = []
    found = 0
    for _ in range(n):
        t0 = time.perf_counter()
        events = recorder.get_agent_events(agent_id)
        found = len(list(events) if read else events)
        timings.append(time.perf_counter() - t0)
    return timings, found


def record(recorder: Any, model: Any, n_steps: int, result: dict[str, Any]) -> None:
    """Run the model with ``recorder`` attached; add the recording figures to ``result``."""
    model.recorder = recorder
    with Meter() as meter:
        for _ in range(n_steps):
            model.step()
    result.update(
        record_s=meter.wall_s,
        record_cpu_s=meter.cpu_s,
        rss_before_mb=meter.rss_before_mb,
        rss_after_record_mb=current_rss_mb(),
        peak_rss_record_mb=peak_rss_mb(),
        events=len(recorder.events),
    )


def save_and_query(recorder: Any, args: argparse.Namespace, result: dict[str, Any]) -> Path:
    """Export JSON and time the queries; add the figures to ``result``; return the JSON path."""
    with Meter() as save:
        path = Path(recorder.save(filename="w3.json", format="json"))
    view, found = time_queries(recorder, args.query_agent, args.queries, read=False)
    full, _ = time_queries(recorder, args.query_agent, args.queries, read=True)
    result.update(
        save_s=save.wall_s,
        save_cpu_s=save.cpu_s,
        json_mb=path.stat().st_size / 1e6,
        query_first_ms=view[0] * 1e3,
        query_median_ms=statistics.median(view) * 1e3,
        query_read_first_ms=full[0] * 1e3,
        query_read_median_ms=statistics.median(full) * 1e3,
        query_events=found,
    )
    return path


def main(args: argparse.Namespace) -> dict[str, Any]:
    """Record, save and query; return the figures."""
    if args.model != "mesa" and args.side == "mesa-llm":
        raise ValueError("mesa-llm's recorder is a Mesa extension: it needs --model mesa")
    cls = recorder_class(args.side)
    n_steps = steps_for(args.events, args.agents)
    model = make_model(args.agents, n_steps, kind=args.model)
    result: dict[str, Any] = {
        "side": args.side,
        "model": args.model,
        "steps": n_steps,
        "agents": args.agents,
    }
    with tempfile.TemporaryDirectory(prefix=f"w3-{args.side}-") as tmp:
        out = Path(tmp)
        # The seed's defaults (record_state_changes=True), as its users run it.
        recorder = cls(model, output_dir=str(out))
        record(recorder, model, n_steps, result)
        if args.side != "null":
            path = save_and_query(recorder, args, result)
            close = getattr(recorder, "close", None)
            if callable(close):
                close()
            if args.side == "palaver":
                result["parquet_mb"] = tree_bytes(out, ".parquet") / 1e6
                result["recording_mb"] = tree_bytes(out, skip=path) / 1e6
    result["events_per_s"] = result["events"] / result["record_s"]
    result["events_per_cpu_s"] = result["events"] / result["record_cpu_s"]
    result["peak_rss_mb"] = peak_rss_mb()
    result["imported_mesa"] = "mesa" in sys.modules
    result["imported_pandas"] = "pandas" in sys.modules
    return result


def parser() -> argparse.ArgumentParser:
    """Command-line arguments of this side script."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--side", choices=["palaver", "mesa-llm", "null"], required=True)
    p.add_argument(
        "--model",
        choices=MODEL_KINDS,
        default="mesa",
        help="the model driving the stream: a Mesa model (both sides) or a plain one "
        "that never imports Mesa (Palaver's side)",
    )
    p.add_argument("--events", type=int, default=1_000_000)
    p.add_argument("--agents", type=int, default=100)
    p.add_argument("--queries", type=int, default=7)
    p.add_argument("--query-agent", type=int, default=42)
    return p


if __name__ == "__main__":
    run_side(main, parser())
