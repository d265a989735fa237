"""Shared pieces of the fault-and-bad-input suite: a deterministic model, its
reference events, damaged copies of its recording, and the figures.

Size: ``PALAVER_FAULTS=large`` runs about ten times as many cases as the
default (which keeps the suite to seconds). ``PALAVER_FAULTS_REPORT=path``
writes the figures as JSON at the end of the session; they are also printed in
the terminal summary.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import palaver.recording as recording
from palaver.recording import CorruptRecordingError, RecordingWarning, SimulationRecorder

LARGE = os.environ.get("PALAVER_FAULTS", "fast") == "large"
SCALE = 10 if LARGE else 1

N_AGENTS = 5
N_STEPS = 12
EVENTS_PER_AGENT = 6
WINDOW = 100  # events per part: a dozen parts

Ref = dict[str, tuple[Any, ...]]
"""Events of a recording by event number (see :func:`key`)."""


class Ticker:
    """A model with a step counter whose agents record varied events each step."""

    def __init__(self, n_steps: int = N_STEPS, kill: Any = None) -> None:
        self.steps = 0
        self.max_steps = n_steps
        self.recorder: SimulationRecorder | None = None
        self._kill = kill

    def step(self) -> None:
        """One step: every agent records a few events (one mid-step kill point)."""
        self.steps += 1
        assert self.recorder is not None
        for agent in range(N_AGENTS):
            for i in range(EVENTS_PER_AGENT):
                if self._kill is not None:
                    self._kill()
                self.recorder.record_event(
                    ("offer", "action", "message")[i % 3],
                    {
                        "step": self.steps,
                        "i": i,
                        "text": "é" * (i % 4),
                        "nested": [agent, {"x": i}],
                    },
                    agent_id=agent,
                )
        self.recorder.record_event("stats", {"welfare": self.steps * 1.5, "deals": agent})


def record(folder: Path, n_steps: int = N_STEPS, close: bool = True) -> Path:
    """Record a Ticker run into ``folder``; return the recording folder."""
    model = Ticker(n_steps)
    rec = SimulationRecorder(model, output_dir=folder, memory_window=WINDOW, flush_every=64)
    model.recorder = rec
    for _ in range(n_steps):
        model.step()
    assert rec.folder is not None
    if close:
        rec.close()
        return rec.folder
    # What a killed run leaves (the log as the kernel has it), copied before the
    # recorder's finaliser closes the log.
    for i in range(3):
        rec.record_event("tail", {"i": i}, agent_id=0)
    rec._store.flush_to_log()  # never rolls: the log holds the last events
    return Path(shutil.copytree(rec.folder, rec.folder.with_name(rec.folder.name + "_killed")))


def key(event: Any) -> tuple[Any, ...]:
    """What must survive: everything but the wall-clock timestamp."""
    return (
        number(event.event_id),
        event.step,
        event.agent_id,
        event.event_type,
        json.dumps(event.content, sort_keys=True),
        json.dumps(event.metadata, sort_keys=True),
    )


def reference(folder: Path) -> dict[str, tuple[Any, ...]]:
    """The events of an intact recording, by event id (its number)."""
    with recording.open(folder) as reader:
        return {str(number(e.event_id)): key(e) for e in reader.events}


def number(event_id: str) -> int:
    """The index part of an event id."""
    return int(event_id.rsplit("_", 1)[1])


def recording_files(folder: Path) -> list[Path]:
    """Every file of a recording folder."""
    return sorted(p for p in folder.rglob("*") if p.is_file())


_copies = itertools.count()


def copy(folder: Path, into: Path) -> Path:
    """A copy of a recording folder (fresh name under ``into``)."""
    target = into / f"copy_{next(_copies):06d}"
    shutil.copytree(folder, target)
    return target


@dataclass
class Figures:
    """Cases tried, held and failed, by category."""

    tried: Counter[str] = field(default_factory=Counter)
    held: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    known: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)

    def case(
        self, category: str, ok: bool, detail: str = "", outcome: str = "", known: bool = False
    ) -> bool:
        """Count one case; remember what failed. ``known``: a failure already
        reported (its test is marked ``xfail``), counted apart from new ones."""
        self.tried[category] += 1
        if outcome:
            self.outcomes[f"{category}: {outcome}"] += 1
        if ok:
            self.held[category] += 1
        elif known:
            self.known[category] += 1
        else:
            self.failed[category] += 1
            self.failures.append(f"[{category}] {detail}")
        return ok

    def table(self) -> str:
        """The figures as text."""
        lines = [f"{'category':<40}{'tried':>7}{'held':>7}{'failed':>7}{'xfail':>7}"]
        for category in sorted(self.tried):
            lines.append(
                f"{category:<40}{self.tried[category]:>7}{self.held[category]:>7}"
                f"{self.failed[category]:>7}{self.known[category]:>7}"
            )
        total = sum(self.tried.values())
        lines.append(
            f"{'total':<40}{total:>7}{sum(self.held.values()):>7}"
            f"{sum(self.failed.values()):>7}{sum(self.known.values()):>7}"
        )
        if self.outcomes:
            lines.append("outcomes:")
            lines += [f"  {k}: {v}" for k, v in sorted(self.outcomes.items())]
        return "\n".join(lines)

    def as_json(self) -> dict[str, Any]:
        """The figures as plain data."""
        return {
            "size": "large" if LARGE else "fast",
            "tried": dict(self.tried),
            "held": dict(self.held),
            "failed": dict(self.failed),
            "xfail": dict(self.known),
            "outcomes": dict(self.outcomes),
            "failures": self.failures[:50],
        }


FIGURES = Figures()


def torn_tail_only(missing: list[Any], read: int) -> bool:
    """Whether ``missing`` is at most the torn log tail of a killed run: one
    range from event ``read`` (the first one not read) to an unknown end."""
    return not missing or (
        len(missing) == 1 and missing[0].start == read and missing[0].stop is None
    )


def check_reader(reader: Any, ref: dict[str, tuple[Any, ...]], prefix: bool = False) -> str | None:
    """What is wrong with what ``reader`` returns, compared with the reference
    (``None``: nothing). Every event read must be the reference's; every
    reference event not read must be in ``reader.missing``. With ``prefix``
    (a run killed before it recorded everything the reference holds) the events
    read must be the reference's first ones, with nothing missing but, at most,
    a torn log tail after them."""
    got = {}
    for event in reader.events:
        if event.event_type == "simulation_end" and str(number(event.event_id)) not in ref:
            continue  # the marker a reader adds to an unfinished run's export
        got[str(number(event.event_id))] = key(event)
    for eid, value in got.items():
        if ref.get(eid) != value:
            return f"event {eid} differs from the reference: {value} != {ref.get(eid)}"
    if prefix:
        if sorted(int(e) for e in got) != list(range(len(got))) or not torn_tail_only(
            reader.missing, len(got)
        ):
            return f"not a whole prefix of the run: {len(got)} events, missing {reader.missing}"
        ref = {e: v for e, v in ref.items() if int(e) < len(got)}
    lost = sorted(int(e) for e in ref if e not in got)
    uncovered = [
        i
        for i in lost
        if not any(m.start <= i and (m.stop is None or i < m.stop) for m in reader.missing)
    ]
    if uncovered:
        return f"{len(uncovered)} events lost without being reported (first {uncovered[0]})"
    agents = {}
    for eid, value in got.items():
        if value[2] is not None:
            agents.setdefault(value[2], []).append(eid)
    for agent, ids in agents.items():
        found = [str(number(e.event_id)) for e in reader.get_agent_events(agent)]
        if found != sorted(ids, key=int):
            return f"get_agent_events({agent!r}) gives {len(found)} events, expected {len(ids)}"
    count = reader.sql("SELECT count(*) FROM events").fetchall()[0][0]
    if count != len(reader):
        return f"sql counts {count} events, len() says {len(reader)}"
    reader.stats()
    return None


def write_figures(path: str | None) -> None:
    """Write the figures as JSON to ``path`` (when set)."""
    if path:
        Path(path).write_text(json.dumps(FIGURES.as_json(), indent=2))


def judge(category: str, folder: Path, ref: Ref, killed: bool, what: str) -> None:
    """Open the damaged copy both ways and count the case. Opened strictly, a
    recording must be whole, but for the torn log tail a ``killed`` run may
    have (reported in ``missing``)."""
    outcome = ""
    problem = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RecordingWarning)
            try:
                with recording.open(folder) as reader:
                    problem = check_reader(reader, ref)
                    if reader.missing and not (
                        killed and torn_tail_only(reader.missing, len(reader))
                    ):
                        problem = problem or f"strict open with events missing: {reader.missing}"
                    outcome = (
                        "strict: read whole" if not reader.warnings else "strict: read, warned"
                    )
            except CorruptRecordingError:
                outcome = "strict: refused"
            with recording.open(folder, strict=False) as reader:
                problem = problem or check_reader(reader, ref)
                if reader.missing:
                    outcome += ", salvage: missing reported"
    except CorruptRecordingError as exc:
        # Only when nothing can be salvaged (the events folder is gone).
        outcome += ", salvage: refused"
        if (folder / "events").is_dir():
            problem = f"strict=False raised {exc}"
    except Exception as exc:
        problem = f"raw error {type(exc).__name__}: {exc}"
    FIGURES.case(category, problem is None, f"{what}: {problem}", outcome)


#: Fragments of interpreter and dependency messages that must never reach a
#: user in place of an error naming the parameter.
RAW_MESSAGES = (
    "object is not iterable",
    "not supported between instances",
    "object has no attribute",
    "unhashable type",
    "expected non-negative integer",
    "object is not subscriptable",
    "object cannot be interpreted as an integer",
    "positional argument",
    "invalid literal for int()",
    "could not convert string to float",
    "Traceback (most recent call last)",
)


def refused(
    category: str,
    name: str,
    call: Any,
    error: type[BaseException] | tuple[type[BaseException], ...],
    fragments: tuple[str, ...],
    known: bool = False,
) -> None:
    """Run one bad-input row: ``call()`` must raise ``error`` whose message holds
    every fragment and no interpreter message; count it and fail the test if not."""
    problem = None
    try:
        call()
    except error as exc:
        message = str(exc)
        lacking = [f for f in fragments if f not in message]
        raw = [r for r in RAW_MESSAGES if r in message]
        if lacking or raw:
            problem = f"message {message!r} lacks {lacking} or is raw {raw}"
    except Exception as exc:
        problem = f"raised {type(exc).__name__}: {exc}"
    else:
        problem = "accepted"
    FIGURES.case(f"bad input: {category}", problem is None, f"{name}: {problem}", known=known)
    assert problem is None, f"{name}: {problem}"


def row_params(cases: list[tuple[Any, ...]], xfails: dict[str, str]) -> list[Any]:
    """``pytest.param`` rows (name first), marked ``xfail(strict=True)`` when
    ``xfails`` names them (value: the package and what is wrong)."""
    import pytest

    rows = []
    for name, *rest in cases:
        marks = [pytest.mark.xfail(strict=True, reason=xfails[name])] if name in xfails else []
        rows.append(pytest.param(name, *rest, name in xfails, id=name, marks=marks))
    return rows
