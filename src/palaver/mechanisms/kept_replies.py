"""A naive tit-for-tat's kept replies, lent to the mechanism for one call.

:func:`~palaver.mechanisms.sao_duel_tft.play_tft_duel` plays a
:class:`~palaver.negotiators.NaiveTitForTat` inline against MiCRO from what
it lends (its ``kept_replies()``): the answers and proposals it keeps per
offer once its concession depends on the offer alone, and its own methods for
everything else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from palaver.mechanisms.responses import ResponseType
from palaver.outcomes import Outcome


@dataclass(slots=True)
class KeptReplies:
    """A naive tit-for-tat's memory of its replies, lent for one call.

    From round ``settled_from`` on, once one of its own calls has checked that
    its parameters are those the kept replies were computed with, its answer
    to an offer in ``answers`` is that answer, and its proposal after
    answering an offer in ``proposals`` is that proposal (its methods return
    them and change nothing but the last offer answered).

    Attributes:
        answers: Offer -> its answer (its own dict, filled by its calls).
        proposals: Offer answered -> its proposal next (its own dict).
        respond: Its ``respond``.
        propose: Its ``propose`` (it proposes after the offer it last answered).
        settled_from: The first round at which the kept replies may hold.
        index: Outcome -> position of the outcomes it proposes (its ranking's).
        last: The offer it last answered when lent.
        answered: Tells it the offer it last answered (for its ``propose``,
            and when the call returns).
    """

    answers: dict[Outcome, ResponseType]
    proposals: dict[Outcome | None, Outcome]
    respond: Callable[[Any, Outcome], ResponseType]
    propose: Callable[[Any], Outcome | None]
    settled_from: int
    index: dict[Outcome, int]
    last: Outcome | None
    answered: Callable[[Outcome | None], None]
