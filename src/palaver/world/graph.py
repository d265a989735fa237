"""The negotiation/contract graph kept with ``construct_graphs`` and rendered as Graphviz DOT."""

from __future__ import annotations

from collections.abc import Iterable
from numbers import Integral
from typing import Any

from palaver.world.errors import WorldParameterError

__all__ = ["EDGE_KINDS", "GraphRecorder", "drawn_steps"]

#: Edge kinds and their colours in the drawing.
EDGE_KINDS: dict[str, str] = {
    "request": "gray",
    "rejection": "orange",
    "negotiation": "blue",
    "contract": "darkgreen",
    "breach": "red",
}


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class GraphRecorder:
    """Directed edges between agents, counted per step and kind.

    ``request``: initiator -> partner; ``rejection``: refusing partner ->
    initiator; ``negotiation``: initiator -> partner of a started negotiation;
    ``contract``: between the partners of a concluded contract (first partner ->
    others); ``breach``: perpetrator -> victim.
    """

    def __init__(self) -> None:
        self.edges: dict[int, dict[tuple[str, str, str], int]] = {}

    def add(self, step: int, kind: str, src: str, dst: str) -> None:
        """Count one edge of ``kind`` from ``src`` to ``dst`` at ``step``."""
        per_step = self.edges.setdefault(step, {})
        key = (kind, src, dst)
        per_step[key] = per_step.get(key, 0) + 1

    def totals(
        self, steps: Iterable[int] | None = None, kinds: Iterable[str] | None = None
    ) -> dict[tuple[str, str, str], int]:
        """Edge counts summed over ``steps`` (all when ``None``) for ``kinds``."""
        wanted = set(kinds) if kinds is not None else set(EDGE_KINDS)
        chosen = sorted(self.edges) if steps is None else [s for s in steps if s in self.edges]
        out: dict[tuple[str, str, str], int] = {}
        for s in chosen:
            for key, n in self.edges[s].items():
                if key[0] in wanted:
                    out[key] = out.get(key, 0) + n
        return out

    def to_dot(
        self,
        nodes: Iterable[str],
        steps: Iterable[int] | None = None,
        kinds: Iterable[str] | None = None,
        name: str = "world",
    ) -> str:
        """A Graphviz DOT digraph: one node per agent, one edge per (kind, src, dst).

        Edge labels carry the counts; colours follow :data:`EDGE_KINDS`.
        """
        lines = [f"digraph {_quote(name)} {{", "  rankdir=LR;", "  node [shape=ellipse];"]
        lines.extend(f"  {_quote(n)};" for n in nodes)
        for (kind, src, dst), n in sorted(self.totals(steps, kinds).items()):
            color = EDGE_KINDS.get(kind, "black")
            label = _quote(f"{kind} x{n}" if n > 1 else kind)
            lines.append(f"  {_quote(src)} -> {_quote(dst)} [label={label}, color={color}];")
        lines.append("}")
        return "\n".join(lines) + "\n"


def drawn_steps(steps: Any, n_done: int) -> list[int]:
    """``draw``'s ``steps`` (one step or several) as a list of steps that ran."""
    chosen = [steps] if isinstance(steps, Integral) else steps
    if isinstance(chosen, str | bytes) or not hasattr(chosen, "__iter__"):
        chosen = [chosen]
    chosen = list(chosen)
    for s in chosen:
        if isinstance(s, bool) or not isinstance(s, Integral) or not 0 <= int(s) < n_done:
            raise WorldParameterError(
                f"draw steps={steps!r:.80} must be None (all), or steps that ran: "
                f"integers 0..{n_done - 1}"
                if n_done
                else f"draw steps={steps!r:.80}: no step has run yet; use steps=None"
            )
    return [int(s) for s in chosen]
