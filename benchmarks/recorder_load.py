"""The Workload 3 event stream, identical for every recorder that takes it.

A minimal model with ``n_agents`` agents whose ``step()`` feeds a recorder
exactly the events a language-model agent simulation would: per step a
``step_start`` and a ``step_end`` model event, and per agent turn an
observation, a plan, an action, a message to two recipients and a state change.
Content is small plain data built fresh for each event; the recorder is any
object with mesa-llm's ``record_event`` / ``record_model_event`` methods.

The model comes in two kinds driving the same stream (same events, content,
agent ids 1..n and step numbers 1..n_steps): ``"mesa"``, a Mesa 3 model (what
mesa-llm's recorder needs: it is a Mesa extension), and ``"plain"``, a plain
class that never imports Mesa (or pandas) and exposes only what Palaver's
recorder reads from a model: ``steps``, ``max_steps``, ``agents``, ``seed``
and ``step()``.
"""

from __future__ import annotations

from typing import Any

EVENTS_PER_TURN = 5
MODEL_EVENTS_PER_STEP = 2


def steps_for(n_events: int, n_agents: int) -> int:
    """The number of model steps that yields at least ``n_events`` events."""
    per_step = n_agents * EVENTS_PER_TURN + MODEL_EVENTS_PER_STEP
    return -(-n_events // per_step)


def record_turn(recorder: Any, agent_id: int, step: int, n_agents: int) -> None:
    """Record one agent's turn: five events."""
    a = agent_id
    left = (a - 2) % n_agents + 1
    right = a % n_agents + 1
    energy = 100 - (step + a) % 50
    recorder.record_event(
        "observation",
        {"position": [a % 10, step % 10], "neighbors": [left, right], "energy": energy},
        agent_id=a,
    )
    recorder.record_event(
        "plan", {"plan": f"meet agent {right} next", "horizon": 3, "confidence": 0.75}, agent_id=a
    )
    recorder.record_event(
        "action", {"action": "move", "target": [right % 10, step % 10], "success": True}, agent_id=a
    )
    recorder.record_event(
        "message",
        f"agent {a} to {left} and {right}: shall we meet at step {step + 1}?",
        agent_id=a,
        recipient_ids=[left, right],
    )
    recorder.record_event(
        "state_change", {"energy": {"old": energy, "new": energy - 1}}, agent_id=a
    )


MODEL_KINDS = ("mesa", "plain")
"""The kinds of model :func:`make_model` builds."""


def make_model(n_agents: int, n_steps: int, seed: int = 1, kind: str = "mesa") -> Any:
    """A model whose ``step()`` records one step of the stream into ``model.recorder``.

    ``kind`` is ``"mesa"`` (a Mesa 3 model) or ``"plain"`` (no Mesa import).
    """
    if kind == "plain":
        return PlainModel(n_agents, n_steps, seed)
    if kind != "mesa":
        raise ValueError(f"unknown model kind {kind!r}; use one of {MODEL_KINDS}")
    import mesa  # only here: the plain model must not pay for Mesa and pandas

    class LoadModel(mesa.Model):
        """Just agents and a recorder; ``max_steps`` lets recorders report completion."""

        def __init__(self) -> None:
            super().__init__(seed=seed)
            self.max_steps = n_steps
            self.recorder: Any = None
            for _ in range(n_agents):
                mesa.Agent(self)
            self.agent_ids = sorted(agent.unique_id for agent in self.agents)

        def step(self) -> None:
            rec = self.recorder
            rec.record_model_event("step_start", {"step": self.steps})
            for aid in self.agent_ids:
                record_turn(rec, aid, self.steps, n_agents)
            rec.record_model_event("step_end", {"step": self.steps, "agents": n_agents})

    return LoadModel()


class PlainAgent:
    """An agent of the plain model: just its id, numbered from 1 as Mesa does."""

    def __init__(self, unique_id: int) -> None:
        self.unique_id = unique_id


class PlainModel:
    """The Mesa model's twin without Mesa.

    Mesa's ``Model`` adds 1 to ``steps`` before running the user's ``step``;
    this does the same, so every event carries the same step number as on the
    Mesa model.
    """

    def __init__(self, n_agents: int, n_steps: int, seed: int) -> None:
        self.seed = seed
        self.steps = 0
        self.max_steps = n_steps
        self.recorder: Any = None
        self.n_agents = n_agents
        self.agents = [PlainAgent(i) for i in range(1, n_agents + 1)]
        self.agent_ids = [agent.unique_id for agent in self.agents]

    def step(self) -> None:
        """Advance one step and record its events."""
        self.steps += 1
        rec = self.recorder
        rec.record_model_event("step_start", {"step": self.steps})
        for aid in self.agent_ids:
            record_turn(rec, aid, self.steps, self.n_agents)
        rec.record_model_event("step_end", {"step": self.steps, "agents": self.n_agents})
