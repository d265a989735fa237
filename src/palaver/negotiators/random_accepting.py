"""NegMAS's ``RandomAlwaysAcceptingNegotiator``: random, but it accepts at the deadline.

It offers outcomes drawn uniformly, as
:class:`~palaver.negotiators.RandomNegotiator` does, and answers an offer by
one draw ``r`` from its generator: it accepts when ``r`` falls in the first
``p_acceptance + p_ending`` of ``[0, 1)`` (NegMAS's policy, "random or
around the deadline", takes a random ending for an acceptance too), else it
accepts from the relative time ``accept_around`` on (within ``eps``; with
``accept_around <= 1`` also in the last step of a negotiation with
``n_steps``), and rejects otherwise. So two of them always agree by the
deadline of a negotiation with a number of steps.
"""

from __future__ import annotations

from typing import Any

from palaver._util.checks import check_bool, check_real
from palaver.mechanisms import MechanismState, ResponseType
from palaver.negotiators.base import offer_of
from palaver.negotiators.simple import RandomNegotiator
from palaver.outcomes import Outcome

__all__ = ["RandomAlwaysAcceptingNegotiator"]


class RandomAlwaysAcceptingNegotiator(RandomNegotiator):
    """A random negotiator that accepts around the deadline (see the module doc).

    Args:
        p_acceptance: The chance of accepting at random (default 0.15).
        p_rejection: NegMAS's chance of rejecting (default 0.75; the rest rejects too).
        p_ending: NegMAS's chance of ending, taken as accepting (default 0.1).
        can_propose: ``False``: it never proposes (default ``True``).
        accept_around: The relative time from which it accepts (default 1.0).
        eps: How close to ``accept_around`` counts as there (default 0.001).
        **kwargs: As for :class:`~palaver.negotiators.RandomNegotiator`.
    """

    def __init__(
        self,
        p_acceptance: float = 0.15,
        p_rejection: float = 0.75,
        p_ending: float = 0.1,
        can_propose: bool = True,
        accept_around: float = 1.0,
        eps: float = 0.001,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            p_acceptance=p_acceptance, p_ending=p_ending, p_rejection=p_rejection, **kwargs
        )
        self.can_propose = check_bool("can_propose", can_propose)
        self.accept_around = check_real("accept_around", accept_around)
        self.eps = check_real("eps", eps)
        if self.eps < 0:
            raise ValueError(f"eps must be a non-negative number, got {eps!r}")

    def propose(self, state: MechanismState, dest: str | None = None) -> Outcome | None:
        """An outcome drawn uniformly (``None`` with ``can_propose=False``)."""
        return super().propose(state, dest) if self.can_propose else None

    def respond(self, state: MechanismState, offer: Outcome) -> ResponseType:
        """Accept at random or around the deadline; else reject."""
        if offer.__class__ is not tuple:  # NegMAS: super().respond(state, source)
            offer = offer_of(state, offer)
        if float(self.random.random()) < self.p_acceptance + self.p_ending:
            return ResponseType.ACCEPT_OFFER
        around = self.accept_around
        nmi = self.nmi
        n_steps = None if nmi is None else nmi.n_steps
        if around <= 1.0 and n_steps is not None and state.step >= n_steps - 1:
            return ResponseType.ACCEPT_OFFER
        t = state.relative_time
        if t >= around or around - t < self.eps:
            return ResponseType.ACCEPT_OFFER
        return ResponseType.REJECT_OFFER
