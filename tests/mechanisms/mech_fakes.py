"""Negotiators written against the structural protocol only (no palaver.negotiators)."""

from __future__ import annotations

import time
from typing import Any

from palaver.mechanisms import MechanismState, ResponseType
from palaver.outcomes import OutcomeSpace, make_issue

A = ResponseType.ACCEPT_OFFER
R = ResponseType.REJECT_OFFER
E = ResponseType.END_NEGOTIATION
N = ResponseType.NO_RESPONSE


def small_space() -> OutcomeSpace:
    """Two integer issues 0..4."""
    return OutcomeSpace([make_issue(5, "a"), make_issue(5, "b")])


class Scripted:
    """Proposes and responds from scripts (the last entry repeats); can fail or dawdle on cue."""

    def __init__(
        self,
        id: str,
        proposals: list[Any] | None = None,
        responses: list[Any] | None = None,
        fail_in: str | None = None,
        sleep_in: str | None = None,
        sleep: float = 0.0,
        owner_id: str | None = None,
        verdict: bool | None = True,
    ) -> None:
        self.id = id
        self.owner_id = owner_id
        self.proposals = proposals or [(0, 0)]
        self.responses = responses or [R]
        self.fail_in = fail_in
        self.sleep_in = sleep_in
        self.sleep = sleep
        self.verdict = verdict
        self.nmi: Any = None
        self.ufun: Any = None
        self.role: str | None = None
        self.n_proposed = 0
        self.n_responded = 0
        self.seen: list[tuple] = []
        self.times: list[float] = []
        self.started = False
        self.end_state: MechanismState | None = None

    def _maybe(self, where: str) -> None:
        if self.fail_in == where:
            raise RuntimeError(f"boom in {where}")
        if self.sleep_in == where:
            time.sleep(self.sleep)

    def join(self, nmi: Any, ufun: Any, role: str | None) -> bool:
        self._maybe("join")
        self.nmi, self.ufun, self.role = nmi, ufun, role
        return True

    def on_negotiation_start(self, state: MechanismState) -> None:
        self._maybe("on_negotiation_start")
        self.started = True

    def on_negotiation_end(self, state: MechanismState) -> None:
        self.end_state = state.copy()
        self._maybe("on_negotiation_end")

    def propose(self, state: MechanismState) -> Any:
        self._maybe("propose")
        self.times.append(state.relative_time)
        p = self.proposals[min(self.n_proposed, len(self.proposals) - 1)]
        self.n_proposed += 1
        return p

    def respond(self, state: MechanismState, offer: tuple) -> Any:
        self._maybe("respond")
        self.seen.append(offer)
        r = self.responses[min(self.n_responded, len(self.responses) - 1)]
        self.n_responded += 1
        return r

    def is_better(self, first: tuple, second: tuple) -> bool | None:
        self._maybe("is_better")
        return self.verdict
