"""A step under way: where it stands between the operations, and NegMAS's
partial stepping (``world.step(n_neg_steps=k, n_mechanisms=m)``).

A step that pauses at a ``Negotiations`` operation keeps its progress here
between calls: the next operation to run, the stages ``simulation_step`` and
the statistics hooks have reached, and the negotiations the paused operation
runs. A call steps those negotiations a few rounds (all of them, or the next
``m`` in turn); a negotiation whose mechanism ended is settled (contract or
failure, callbacks) at the next call that reaches it, so that the caller sees
every negotiation's final state before the world acts on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from palaver.world.negotiations import ActiveNegotiation

__all__ = ["StepProgress", "next_batch"]


@dataclass(slots=True)
class StepProgress:
    """How far the current step has gone.

    Attributes:
        op: The index of the next operation to run.
        sim_stage: The ``stage`` the next ``simulation_step`` call gets.
        stats_stage: The number of ``StatsUpdate`` operations run so far.
        registered_before: The negotiations registered when the step started.
        batch: The ids of the negotiations the paused ``Negotiations``
            operation runs, in their order (``None`` until it is reached).
        turn: The ids of that batch already stepped in the current turn of
            ``n_mechanisms`` stepping.
    """

    registered_before: int
    op: int = 0
    sim_stage: int = 0
    stats_stage: int = 0
    batch: list[str] | None = None
    turn: set[str] = field(default_factory=set)


def next_batch(
    progress: StepProgress,
    active: dict[str, ActiveNegotiation],
    n_mechanisms: int | None,
) -> list[ActiveNegotiation]:
    """The negotiations of the paused operation to step in this call: all that
    are still open, or the next ``n_mechanisms`` of them in turn (a turn ends when
    each open one was stepped once)."""
    assert progress.batch is not None
    open_ = [active[i] for i in progress.batch if i in active]
    if n_mechanisms is None:
        return open_
    picked = [n for n in open_ if n.id not in progress.turn][:n_mechanisms]
    if not picked:
        progress.turn = set()
        picked = open_[:n_mechanisms]
    progress.turn.update(n.id for n in picked)
    return picked
