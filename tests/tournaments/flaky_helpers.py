"""A negotiator that fails while a class switch is on (for the rerun tests)."""

from __future__ import annotations

from palaver.mechanisms import MechanismState
from palaver.negotiators import AspirationNegotiator


class Flaky(AspirationNegotiator):
    """Raises on its first proposal on a space of ``size`` outcomes while ``fail`` is set."""

    fail = False
    size = 25

    def propose(self, state: MechanismState) -> tuple | None:
        if Flaky.fail and self.nmi.outcome_space.cardinality == Flaky.size:
            raise RuntimeError("flaky")
        return super().propose(state)
