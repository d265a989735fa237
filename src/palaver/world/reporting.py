"""Statistics, scores, saved items, the log, graphs and state-change events (a World mixin)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from palaver.events import EventType, plain
from palaver.world.contracts import Breach, Contract, NegotiationRecord
from palaver.world.errors import SimulationError, WorldError

__all__ = ["ReportingMixin"]


class ReportingMixin:
    """What a world tells about itself. Mixed into :class:`~palaver.world.World`."""

    @property
    def stats(self) -> dict[str, list[Any]]:
        """Per-step statistics: name -> one value per completed step."""
        return dict(self._palaver_ledger.series)

    @property
    def totals(self) -> dict[str, float]:
        """Run totals of the built-in counters (steps completed so far)."""
        return dict(self._palaver_ledger.totals)

    def _palaver_update_stats(self, stage: int) -> None:
        hook = self.pre_step_stats if stage == 0 else self.post_step_stats
        try:
            hook()
        except WorldError:
            raise
        except Exception as e:
            if not self.exception_config.safe_stats_monitoring:
                raise SimulationError(hook.__name__, e) from e
            self._palaver_guard.record(hook.__name__, e, kind="stats")

    def _palaver_monitor(self, row: dict[str, Any]) -> None:
        for monitor in self._palaver_ledger.monitors:
            try:
                monitor(row, self)
            except Exception as e:
                if not self.exception_config.safe_stats_monitoring:
                    raise SimulationError("stats monitor", e) from e
                self._palaver_guard.record("stats monitor", e, kind="stats")

    def _palaver_write_stats(self, final: bool = False) -> None:
        try:
            self._palaver_log.write_stats(self._palaver_ledger.series, final)
        except Exception as e:
            if not self.exception_config.safe_stats_monitoring:
                raise SimulationError("writing stats", e) from e
            self._palaver_guard.record("writing stats", e, kind="stats")

    def scores(self) -> dict[str, float]:
        """A score per agent for tournaments: by default the summed ``contract_size``
        of the contracts it executed without breach."""
        return {aid: self._palaver_ledger.scores.get(aid, 0.0) for aid in self.agents}

    @property
    def saved_contracts(self) -> list[Contract]:
        """Signed contracts (``save_signed_contracts``; the most recent ``max_saved``)."""
        return list(self._palaver_ledger.saved_contracts)

    @property
    def cancelled_contracts(self) -> list[Contract]:
        """Cancelled contracts (``save_cancelled_contracts``)."""
        return list(self._palaver_ledger.cancelled_contracts)

    @property
    def saved_negotiations(self) -> list[NegotiationRecord]:
        """Finished negotiations (``save_negotiations``)."""
        return list(self._palaver_ledger.saved_negotiations)

    @property
    def resolved_breaches(self) -> list[Breach]:
        """Breaches resolved by breach processing (``save_resolved_breaches``)."""
        return list(self._palaver_ledger.resolved_breaches)

    @property
    def unresolved_breaches(self) -> list[Breach]:
        """Breaches left unresolved (``save_unresolved_breaches``)."""
        return list(self._palaver_ledger.unresolved_breaches)

    @property
    def saved_breaches(self) -> list[Breach]:
        """Resolved and unresolved saved breaches, by breach id order."""
        both = [*self._palaver_ledger.resolved_breaches, *self._palaver_ledger.unresolved_breaches]
        return sorted(both, key=lambda b: int(b.id[1:]) if b.id[1:].isdigit() else 0)

    def log(self, message: str, level: int | str = "INFO") -> None:
        """Write ``message`` to the world's log (nowhere unless logging is set up)."""
        self._palaver_log.log(message, level)

    def draw(
        self,
        steps: int | Sequence[int] | None = None,
        what: Collection[str] = ("negotiation", "contract", "breach"),
        path: str | Path | None = None,
    ) -> str:
        """Render the negotiation/contract graph as Graphviz DOT (needs ``construct_graphs``).

        ``steps``: one step, several, or all (``None``). ``what``: edge kinds among
        ``request``, ``rejection``, ``negotiation``, ``contract``, ``breach``.
        Returns the DOT text and, with ``path``, also writes it there (render it
        with ``dot -Tpng``).
        """
        if self._palaver_graph is None:
            raise RuntimeError("draw() needs construct_graphs=True when the world is created")
        chosen = [steps] if isinstance(steps, int) else steps
        dot = self._palaver_graph.to_dot(list(self.agents), chosen, what, name=self.name)
        if path is not None:
            Path(path).write_text(dot, encoding="utf-8")
        return dot

    def _palaver_emit_state_changes(self) -> None:
        """Emit ``state_change`` for each agent whose private state changed this step."""
        last = self._palaver_last_states
        for aid, agent in self.agents.items():
            new = plain(self._palaver_guard.world(self.get_private_state, agent))
            old = last.get(aid)
            if new == old:
                continue
            last[aid] = new
            if isinstance(new, dict) and isinstance(old, dict | None):
                before = old or {}
                changes = {
                    k: {"old": before.get(k), "new": v}
                    for k, v in new.items()
                    if before.get(k) != v
                }
            else:
                changes = {"state": {"old": old, "new": new}}
            self.bus.emit(EventType.STATE_CHANGE, {"changes": changes}, agent_id=aid)
