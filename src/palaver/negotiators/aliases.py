"""NegMAS's names for the built-in strategies, and ``all_negotiator_types``.

Code written after NegMAS's documentation imports its class names
(``NaiveTitForTatNegotiator``, ``MiCRONegotiator``, ``BoulwareTBNegotiator``,
...); each is the Palaver class implementing that strategy, the very same
class object, so ``isinstance`` and ``type(...) is`` agree under both names.
"""

from __future__ import annotations

from abc import ABCMeta, abstractmethod

from palaver.mechanisms import MechanismState, SAOResponse
from palaver.negotiators.aspiration import (
    AspirationNegotiator,
    BoulwareNegotiator,
    ConcederNegotiator,
    LinearNegotiator,
)
from palaver.negotiators.base import SAONegotiator
from palaver.negotiators.limited import LimitedOutcomesNegotiator, TopFractionNegotiator
from palaver.negotiators.micro import MiCRO
from palaver.negotiators.nice_tit_for_tat import NiceTitForTatNegotiator
from palaver.negotiators.simple import NiceNegotiator, RandomNegotiator, ToughNegotiator
from palaver.negotiators.titfortat import NaiveTitForTat

#: NegMAS's name of :class:`NaiveTitForTat`.
NaiveTitForTatNegotiator = NaiveTitForTat
#: NegMAS's name of :class:`MiCRO`.
MiCRONegotiator = MiCRO
#: NegMAS's time-based Boulware negotiator: :class:`BoulwareNegotiator`.
BoulwareTBNegotiator = BoulwareNegotiator
#: NegMAS's time-based conceder negotiator: :class:`ConcederNegotiator`.
ConcederTBNegotiator = ConcederNegotiator
#: NegMAS's time-based linear negotiator: :class:`LinearNegotiator`.
LinearTBNegotiator = LinearNegotiator

#: NegMAS's name of a negotiator that implements ``propose`` and ``respond``:
#: :class:`SAONegotiator` itself.
SAOPRNegotiator = SAONegotiator


class SAOCallNegotiator(SAONegotiator, metaclass=ABCMeta):
    """NegMAS's negotiator that is written as one ``__call__(state, dest=None)``
    returning an :class:`~palaver.mechanisms.SAOResponse` (an answer to the
    standing offer and, with a rejection, a counter-offer).

    A subclass must define ``__call__`` (one that does not cannot be made,
    as in NegMAS). Palaver's mechanisms ask it through ``__call__`` as they
    ask any :class:`SAONegotiator` that overrides it: the reply's response
    answers the offer and its outcome is the next offer, and
    ``super().__call__(state, dest)`` gives the answer of
    :class:`SAONegotiator`'s ``respond`` / ``propose``.
    """

    @abstractmethod
    def __call__(self, state: MechanismState, dest: str | None = None) -> SAOResponse:
        """The answer to ``state.current_offer`` and, on rejection, the next offer
        (a subclass's override may hand on here: :class:`SAONegotiator`'s answer)."""
        return SAONegotiator.__call__(self, state, dest)


_BUILT_IN: tuple[type[SAONegotiator], ...] = (
    AspirationNegotiator,
    BoulwareNegotiator,
    ConcederNegotiator,
    LinearNegotiator,
    NaiveTitForTat,
    NiceTitForTatNegotiator,
    MiCRO,
    RandomNegotiator,
    ToughNegotiator,
    NiceNegotiator,
    TopFractionNegotiator,
    LimitedOutcomesNegotiator,
)


_NEGMAS_NAMES: dict[type, str] = {
    NaiveTitForTat: "NaiveTitForTatNegotiator",
    MiCRO: "MiCRONegotiator",
    BoulwareNegotiator: "BoulwareTBNegotiator",
    ConcederNegotiator: "ConcederTBNegotiator",
    LinearNegotiator: "LinearTBNegotiator",
}


def negmas_name(cls: type) -> str:
    """The name NegMAS gives the strategy ``cls`` (its class name there):
    ``"MiCRONegotiator"`` for :class:`MiCRO`, a class's own name when NegMAS
    calls it the same (``"AspirationNegotiator"``) or it is not NegMAS's.

    NegMAS's tournaments label a competitor with its class name, and code
    written for them selects rows by it; the NegMAS names above are the very
    Palaver classes, whose ``__name__`` is Palaver's.
    """
    if not isinstance(cls, type):
        raise TypeError(f"negmas_name: cls must be a class, got {cls!r:.80} ({type(cls).__name__})")
    return _NEGMAS_NAMES.get(cls, cls.__name__)


def all_negotiator_types() -> list[type[SAONegotiator]]:
    """Every built-in SAO strategy that can be made without arguments (NegMAS's function).

    Each class appears once (under its Palaver name) and negotiates when
    made with no argument but a utility function (``LimitedOutcomesNegotiator``
    needs none: without its lists it may accept or propose any outcome).
    """
    return list(_BUILT_IN)


__all__ = [
    "BoulwareTBNegotiator",
    "ConcederTBNegotiator",
    "LinearTBNegotiator",
    "MiCRONegotiator",
    "NaiveTitForTatNegotiator",
    "SAOCallNegotiator",
    "SAOPRNegotiator",
    "all_negotiator_types",
    "negmas_name",
]
