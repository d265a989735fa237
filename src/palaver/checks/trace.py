"""Comparable traces of a world's events and the lifecycle audit over them."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from palaver.events import Event, EventType

_SKIP_KEYS = frozenset({"path", "traceback"})


def canonical_trace(events: list[Event]) -> list[tuple[Any, ...]]:
    """The events without wall-clock fields, checkpoint paths and tracebacks.

    Paths and tracebacks name files and lines, which legitimately differ
    between two runs; everything else, negotiator ids included, must match.
    """
    return [
        (
            str(e.type),
            e.step,
            e.agent_id,
            e.negotiation_id,
            e.contract_id,
            {k: v for k, v in e.payload.items() if k not in _SKIP_KEYS},
        )
        for e in events
    ]


def lifecycle_problems(events: list[Event]) -> list[str]:
    """Every request, negotiation and contract of the run that has no final event."""
    requested: dict[str, int] = {}
    # Ids as the events carry them: an event without one is audited under None.
    answered: set[object] = set()
    started: dict[str, int] = {}
    ended: set[str] = set()
    concluded: dict[str | None, int] = {}
    signed: dict[str | None, int] = {}
    closed: set[str | None] = set()
    finished: set[str | None] = set()
    for e in events:
        t = e.type
        if t == EventType.NEGOTIATION_REQUESTED and e.payload.get("request_id") is not None:
            requested[e.payload["request_id"]] = e.seq
        elif t in (EventType.NEGOTIATION_ACCEPTED, EventType.NEGOTIATION_REJECTED):
            answered.add(e.payload.get("request_id"))
            if t == EventType.NEGOTIATION_ACCEPTED and e.negotiation_id is not None:
                started[e.negotiation_id] = e.seq
        elif t == EventType.NEGOTIATION_ENDED and e.negotiation_id is not None:
            ended.add(e.negotiation_id)
        elif t == EventType.CONTRACT_CONCLUDED:
            concluded[e.contract_id] = e.seq
        elif t == EventType.CONTRACT_SIGNED:
            signed[e.contract_id] = e.seq
        elif t == EventType.CONTRACT_CANCELLED:
            closed.add(e.contract_id)
            finished.add(e.contract_id)
        elif t in (
            EventType.CONTRACT_EXECUTED,
            EventType.CONTRACT_BREACHED,
            EventType.CONTRACT_NULLIFIED,
            EventType.CONTRACT_ERRED,
            EventType.CONTRACT_UNEXECUTED,
        ):
            finished.add(e.contract_id)
    problems = [
        f"request {r!r} (event {seq}) was never accepted or rejected"
        for r, seq in requested.items()
        if r not in answered
    ]
    problems += [
        f"negotiation {n!r} (accepted at event {seq}) never ended"
        for n, seq in started.items()
        if n not in ended
    ]
    problems += [
        f"contract {c!r} (concluded at event {seq}) was neither signed nor cancelled"
        for c, seq in concluded.items()
        if c not in signed and c not in closed
    ]
    problems += [
        f"contract {c!r} (signed at event {seq}) was never executed, breached or cancelled"
        for c, seq in signed.items()
        if c not in finished
    ]
    return problems


def order_problems(events: list[Event]) -> list[str]:
    """Where sequence numbers, steps, or the start/end markers are out of order."""
    problems: list[str] = []
    if not events:
        return ["the run emitted no events"]
    if events[0].type != EventType.SIMULATION_START:
        problems.append(f"first event is {str(events[0].type)!r}, not simulation_start")
    if events[-1].type != EventType.SIMULATION_END:
        problems.append(f"last event is {str(events[-1].type)!r}, not simulation_end")
    for before, after in pairwise(events):
        if after.seq != before.seq + 1:
            problems.append(f"sequence jumps from {before.seq} to {after.seq}")
            break
        if after.step < before.step:
            problems.append(f"step goes back from {before.step} to {after.step} at {after.seq}")
            break
    return problems
