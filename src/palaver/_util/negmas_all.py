"""What some of NegMAS's modules list in ``__all__``, for ``palaver.negmas.<module>``.

Every ``palaver.negmas.<module>`` holds all of ``palaver.negmas``'s names, so a
NegMAS import from any module works. Code that *iterates* a module's
``__all__`` (NegMAS's tests make one negotiator of each class in
``negmas.sao.negotiators.timebased.__all__``) needs that module's own list:
these are NegMAS's lists (names only), keeping the names Palaver has. A module
not listed here exposes all of ``palaver.negmas``'s names.
"""

from __future__ import annotations

__all__ = ["NEGMAS_MODULE_ALL"]

_TIMEBASED = (
    "TimeBasedNegotiator",
    "TimeBasedConcedingNegotiator",
    "BoulwareTBNegotiator",
    "LinearTBNegotiator",
    "ConcederTBNegotiator",
    "AspirationNegotiator",
    "FirstOfferOrientedTBNegotiator",
    "LastOfferOrientedTBNegotiator",
    "BestOfferOrientedTBNegotiator",
    "AdditiveParetoFollowingTBNegotiator",
    "MultiplicativeParetoFollowingTBNegotiator",
    "MultiplicativeLastOfferFollowingTBNegotiator",
    "AdditiveLastOfferFollowingTBNegotiator",
    "MultiplicativeFirstFollowingTBNegotiator",
    "AdditiveFirstFollowingTBNegotiator",
)
_TITFORTAT = ("NaiveTitForTatNegotiator", "SimpleTitForTatNegotiator", "NiceTitForTatNegotiator")
_SAO_NEGOTIATORS = (
    # base, hybrid, limited, tough, utilbased
    "SAONegotiator",
    "SAOPRNegotiator",
    "SAOCallNegotiator",
    "HybridNegotiator",
    "LimitedOutcomesNegotiator",
    "LimitedOutcomesAcceptor",
    "ToughNegotiator",
    "TopFractionNegotiator",
    "UtilBasedNegotiator",
    *_TIMEBASED,
    *_TITFORTAT,
    # randneg, nice, cab, war, micro, controlled, meta
    "RandomNegotiator",
    "RandomAlwaysAcceptingNegotiator",
    "NiceNegotiator",
    "CABNegotiator",
    "CARNegotiator",
    "CANNegotiator",
    "WABNegotiator",
    "WARNegotiator",
    "WANNegotiator",
    "MiCRONegotiator",
    "FastMiCRONegotiator",
    "ControlledSAONegotiator",
    "SAOMetaNegotiator",
    "SAOAggMetaNegotiator",
    "RangeMetaNegotiator",
    "MeanMetaNegotiator",
    "OSMeanMetaNegotiator",
)

#: NegMAS module path (after ``negmas.``) -> the names its ``__all__`` lists.
NEGMAS_MODULE_ALL: dict[str, tuple[str, ...]] = {
    "sao.negotiators": _SAO_NEGOTIATORS,
    "sao.negotiators.timebased": _TIMEBASED,
    "sao.negotiators.titfortat": _TITFORTAT,
    "gb.negotiators.timebased": _TIMEBASED,
    "gb.negotiators.titfortat": _TITFORTAT,
}
