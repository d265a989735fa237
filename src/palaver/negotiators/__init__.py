"""Negotiator base classes and the built-in strategies.

Every strategy is deterministic given the mechanism's seed: the random ones
draw only from the generator the mechanism hands them (``negotiator.random``).
Strategies that enumerate outcomes discretize continuous issues explicitly into
``n_levels`` values (default :data:`DEFAULT_N_LEVELS`).
"""

from palaver.negotiators.aliases import (
    BoulwareTBNegotiator,
    ConcederTBNegotiator,
    LinearTBNegotiator,
    MiCRONegotiator,
    NaiveTitForTatNegotiator,
    all_negotiator_types,
)
from palaver.negotiators.aspiration import (
    ASPIRATION_EXPONENTS,
    AspirationNegotiator,
    BoulwareNegotiator,
    ConcederNegotiator,
    LinearNegotiator,
    aspiration_exponent,
)
from palaver.negotiators.base import (
    GBNegotiator,
    IdCounter,
    Negotiator,
    SAONegotiator,
    negotiator_id_scope,
)
from palaver.negotiators.boa import BOANegotiator, make_boa
from palaver.negotiators.comparator import BinaryComparatorNegotiator, SorterNegotiator
from palaver.negotiators.components import (
    AcceptancePolicy,
    AcceptAnyRational,
    AcceptImmediately,
    ACNext,
    ACTime,
    EndImmediately,
    NoneOfferingPolicy,
    OfferingPolicy,
    RandomOfferingPolicy,
    RejectAlways,
    TimeBasedOfferingPolicy,
)
from palaver.negotiators.controller import (
    ControlledSAONegotiator,
    NegotiatorEntry,
    SAOController,
    resolve_negotiator_type,
)
from palaver.negotiators.curves import ExpAspiration, PolyAspiration
from palaver.negotiators.genius_models import GScalableBayesianModel
from palaver.negotiators.hybrid import HybridNegotiator, HybridOfferingPolicy
from palaver.negotiators.issue_weight_models import (
    ConcessionRatioUFunModel,
    KDEWeightUFunModel,
    ValueDifferenceUFunModel,
)
from palaver.negotiators.limited import (
    LimitedOutcomesAcceptor,
    LimitedOutcomesNegotiator,
    TopFractionNegotiator,
)
from palaver.negotiators.micro import MiCRO
from palaver.negotiators.nice_policies import NICE_TARGETS, ACCombi, NiceTitForTatOfferingPolicy
from palaver.negotiators.nice_tit_for_tat import NiceTitForTatNegotiator
from palaver.negotiators.offer_oriented import (
    AdditiveFirstFollowingTBNegotiator,
    BestOfferOrientedTBNegotiator,
    DistanceFun,
    FirstOfferOrientedTBNegotiator,
    LastOfferOrientedTBNegotiator,
)
from palaver.negotiators.opponent_models import (
    AdditiveFrequencyModel,
    FrequencyLinearUFunModel,
    FrequencyUFunModel,
    PeekingOpponentModel,
    UFunModel,
    ZeroSumModel,
)
from palaver.negotiators.profile_models import (
    CandidateEliminationModel,
    LuceProfileClassifierModel,
)
from palaver.negotiators.ranking import (
    DEFAULT_N_LEVELS,
    OutcomeGrid,
    OutcomeRanking,
    RankingCache,
    outcome_grid,
    ranking_cache,
    ranking_for,
)
from palaver.negotiators.simple import NiceNegotiator, RandomNegotiator, ToughNegotiator
from palaver.negotiators.timebased import TimeBasedConcedingNegotiator, TimeBasedNegotiator
from palaver.negotiators.titfortat import NaiveTitForTat

__all__ = [
    "ASPIRATION_EXPONENTS",
    "DEFAULT_N_LEVELS",
    "NICE_TARGETS",
    "ACCombi",
    "ACNext",
    "ACTime",
    "AcceptAnyRational",
    "AcceptImmediately",
    "AcceptancePolicy",
    "AdditiveFirstFollowingTBNegotiator",
    "AdditiveFrequencyModel",
    "AspirationNegotiator",
    "BOANegotiator",
    "BestOfferOrientedTBNegotiator",
    "BinaryComparatorNegotiator",
    "BoulwareNegotiator",
    "BoulwareTBNegotiator",
    "CandidateEliminationModel",
    "ConcederNegotiator",
    "ConcederTBNegotiator",
    "ConcessionRatioUFunModel",
    "ControlledSAONegotiator",
    "DistanceFun",
    "EndImmediately",
    "ExpAspiration",
    "FirstOfferOrientedTBNegotiator",
    "FrequencyLinearUFunModel",
    "FrequencyUFunModel",
    "GBNegotiator",
    "GScalableBayesianModel",
    "HybridNegotiator",
    "HybridOfferingPolicy",
    "IdCounter",
    "KDEWeightUFunModel",
    "LastOfferOrientedTBNegotiator",
    "LimitedOutcomesAcceptor",
    "LimitedOutcomesNegotiator",
    "LinearNegotiator",
    "LinearTBNegotiator",
    "LuceProfileClassifierModel",
    "MiCRO",
    "MiCRONegotiator",
    "NaiveTitForTat",
    "NaiveTitForTatNegotiator",
    "Negotiator",
    "NegotiatorEntry",
    "NiceNegotiator",
    "NiceTitForTatNegotiator",
    "NiceTitForTatOfferingPolicy",
    "NoneOfferingPolicy",
    "OfferingPolicy",
    "OutcomeGrid",
    "OutcomeRanking",
    "PeekingOpponentModel",
    "PolyAspiration",
    "RandomNegotiator",
    "RandomOfferingPolicy",
    "RankingCache",
    "RejectAlways",
    "SAOController",
    "SAONegotiator",
    "SorterNegotiator",
    "TimeBasedConcedingNegotiator",
    "TimeBasedNegotiator",
    "TimeBasedOfferingPolicy",
    "TopFractionNegotiator",
    "ToughNegotiator",
    "UFunModel",
    "ValueDifferenceUFunModel",
    "ZeroSumModel",
    "all_negotiator_types",
    "aspiration_exponent",
    "make_boa",
    "negotiator_id_scope",
    "outcome_grid",
    "ranking_cache",
    "ranking_for",
    "resolve_negotiator_type",
]
