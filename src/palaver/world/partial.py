"""A step under way: where it stands between the operations, and NegMAS's
partial stepping (``world.step(n_neg_steps=k, n_mechanisms=m)``).

A step that pauses at a ``Negotiations`` operation keeps its progress here
between calls: the next operation to run, the stages ``simulation_step`` and
the statistics hooks have reached, the negotiations the paused operation runs
and the rounds each has had in it. A call steps those negotiations a few
rounds (all of them, or the next ``m`` in turn), never beyond the
``negotiation_speed`` rounds a whole step gives each, so the parts of a step
add up to the whole step. A negotiation whose mechanism ended is settled
(contract or failure, callbacks) at a later call that reaches it, so that the
caller sees every negotiation's final state before the world acts on it, and
in the operation's order (after those before it), so that contracts come as
in a whole step.
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
        used: The rounds each negotiation of the batch has had in this operation.
    """

    registered_before: int
    op: int = 0
    sim_stage: int = 0
    stats_stage: int = 0
    batch: list[str] | None = None
    turn: set[str] = field(default_factory=set)
    used: dict[str, int] = field(default_factory=dict)

    def next_operation(self) -> None:
        """The paused ``Negotiations`` operation is over: move past it."""
        self.op += 1
        self.batch = None
        self.turn = set()
        self.used = {}

    def wants_a_call(self, neg: ActiveNegotiation, speed: int | None) -> bool:
        """Whether open negotiation ``neg`` needs more of this operation: it ended
        (and awaits settling), or it has rounds left of the ``speed`` per step."""
        return neg.mechanism.state.ended or speed is None or self.used.get(neg.id, 0) < speed

    def budget(self, neg: ActiveNegotiation, rounds: int | None, speed: int | None) -> int | None:
        """The rounds to give ``neg`` now (``None``: to its end), counted as used."""
        if speed is None:
            return rounds
        used = self.used.get(neg.id, 0)
        give = speed - used if rounds is None else min(rounds, speed - used)
        self.used[neg.id] = used + give
        return give


def next_batch(
    progress: StepProgress,
    active: dict[str, ActiveNegotiation],
    n_mechanisms: int | None,
    speed: int | None,
) -> list[ActiveNegotiation]:
    """The negotiations of the paused operation to step in this call: all that
    want a call (see :meth:`StepProgress.wants_a_call`), or the next
    ``n_mechanisms`` of them in turn (a turn ends when each was stepped once)."""
    assert progress.batch is not None
    open_ = [
        active[i] for i in progress.batch if i in active and progress.wants_a_call(active[i], speed)
    ]
    if n_mechanisms is None:
        return open_
    picked = [n for n in open_ if n.id not in progress.turn][:n_mechanisms]
    if not picked:
        progress.turn = set()
        picked = open_[:n_mechanisms]
    progress.turn.update(n.id for n in picked)
    return picked
