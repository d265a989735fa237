"""The built-in registrations of NegMAS's registries (NegMAS's ``negmas.registry_init``).

NegMAS fills :data:`~palaver.registry.mechanism_registry`,
:data:`~palaver.registry.negotiator_registry` and
:data:`~palaver.registry.component_registry` with its concrete classes, tagged
so that users can pick them (``negotiator_registry.query(tags={"anac-2019"})``).
:func:`register_builtins` does the same for every one of those classes that
``palaver.negmas`` provides, under NegMAS's name (``short_name``; the class
may be Palaver's under another name, e.g. ``MiCRONegotiator`` is
:class:`palaver.negotiators.micro.MiCRO`) with ``source="negmas"`` (the set
NegMAS code finds built in) and ``full_type_name`` the class's true dotted
path in Palaver. A NegMAS name Palaver does not provide (``TAUMechanism``,
...) is not registered: the registry lists only what can be looked up.

Tags: the provenance tag comes from where the class lives (``"genius"`` for
Genius's agents and BOA parts, ``"builtin"`` for the others), ``"propose"``
and ``"respond"`` from the negotiator's methods; the rest (protocol,
strategy kind, ANAC year) are facts about each class, kept in the tables
below with NegMAS's spelling (the BOA components' years are ``"anac2010"``,
the agents' ``"anac-2010"``, as in NegMAS; NegMAS's ``"ai-generated"`` and
``"genius-translated"``, which say how NegMAS's own BOA code was written, are
not given to Palaver's). Genius's Java agents (``AgentK``,
...) are registered with their ANAC year, as in NegMAS, and carry
``"java-bridge"``: making one raises
:class:`~palaver.negotiators.genius.GeniusBridgeUnavailable`, as it does
without the registry.

NegMAS also registers the scenarios it ships; Palaver ships none of them, so
:data:`~palaver.scenarios.registry.scenario_registry` starts empty.

``import palaver.negmas`` calls :func:`register_builtins` (as NegMAS fills
its registries when they are first imported); Palaver code that uses
:mod:`palaver.registry` without ``palaver.negmas`` calls it itself.
``import palaver`` registers nothing.
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any

from palaver.registry import (
    Registry,
    component_registry,
    mechanism_registry,
    negotiator_registry,
)

__all__ = ["BUILTIN_SOURCE", "register_builtins"]

#: The ``source`` of the built-in registrations (NegMAS's, for NegMAS's queries).
BUILTIN_SOURCE = "negmas"

# Each table maps the tags of a group of classes (besides the derived ones) to
# their NegMAS names, separated by spaces.
_MECHANISMS: dict[str, str] = {
    "sao requires-deadline propose respond": "SAOMechanism",
    "gb requires-deadline propose respond": "ParallelGBMechanism SerialGBMechanism",
    "gb tau propose respond": "TAUMechanism SerialTAUMechanism",
    "st requires-deadline": "HillClimbingSTMechanism VetoSTMechanism",
}

_NEGOTIATORS: dict[str, str] = {
    "sao aspiration time-based": "AspirationNegotiator",
    "sao aspiration": "ToughNegotiator NiceNegotiator",
    "sao random": "RandomNegotiator RandomAlwaysAcceptingNegotiator",
    "sao limited-outcomes": "LimitedOutcomesNegotiator LimitedOutcomesAcceptor",
    "sao tit-for-tat": "NaiveTitForTatNegotiator SimpleTitForTatNegotiator",
    "sao tit-for-tat nash opponent-modeling": "NiceTitForTatNegotiator",
    "sao time-based": "TimeBasedNegotiator TimeBasedConcedingNegotiator",
    "sao time-based boulware": "BoulwareTBNegotiator",
    "sao time-based conceder": "ConcederTBNegotiator",
    "sao time-based linear": "LinearTBNegotiator",
    "sao utility-based": "UtilBasedNegotiator TopFractionNegotiator",
    "sao cab-family learning": "CABNegotiator CANNegotiator CARNegotiator",
    "sao wab-family learning": "WABNegotiator WANNegotiator WARNegotiator",
    "sao micro learning": "MiCRONegotiator FastMiCRONegotiator",
    "sao time-based following": "AdditiveFirstFollowingTBNegotiator "
    "AdditiveLastOfferFollowingTBNegotiator AdditiveParetoFollowingTBNegotiator "
    "MultiplicativeFirstFollowingTBNegotiator MultiplicativeLastOfferFollowingTBNegotiator "
    "MultiplicativeParetoFollowingTBNegotiator",
    "sao time-based offer-oriented": "BestOfferOrientedTBNegotiator "
    "FirstOfferOrientedTBNegotiator LastOfferOrientedTBNegotiator",
    "sao hybrid": "HybridNegotiator",
    "sao elicitation": "BinaryComparatorNegotiator NLevelsComparatorNegotiator "
    "RealComparatorNegotiator RankerNegotiator RankerWithWeightsNegotiator SorterNegotiator",
    "sao meta ensemble": "RangeMetaNegotiator MeanMetaNegotiator OSMeanMetaNegotiator",
    # Genius's agents rebuilt from BOA components.
    "boa gb time-based boulware": "GBoulware",
    "boa gb time-based conceder": "GConceder",
    "boa gb time-based linear": "GLinear",
    "boa gb time-based hardliner": "GHardliner",
    "boa gb anac anac-2010 time-based opponent-modeling": "GAgentK GAgentSmith GNozomi",
    "boa gb anac anac-2010 time-based conceder opponent-modeling": "GFSEGA",
    "boa gb anac anac-2011 time-based opponent-modeling": "GHardHeaded",
    "boa gb anac anac-2012 time-based opponent-modeling": "GCUHKAgent GAgentLG",
    "boa gb anac anac-2015 time-based opponent-modeling": "GAgentX",
    "boa gb random": "GRandom",
    # Genius's Java agents, by ANAC year (NegMAS's basic and TU Delft course agents apart).
    "java-bridge basic": "ABMPAgent2 BayesianAgent BoulwareNegotiationParty "
    "ConcederNegotiationParty FunctionalAcceptor FuzzyAgent ImmediateAcceptor "
    "OptimalBidderSimple RandomCounterOfferNegotiationParty RandomParty RandomParty2 "
    "SimilarityAgent SimpleAgent TimeDependentAgentBoulware TimeDependentAgentConceder "
    "TimeDependentAgentHardliner TimeDependentAgentLinear UtilityBasedAcceptor",
    "java-bridge tudelft": "AI2014Group2 Group1 Group10 Group11 Group12 Group13 Group14 "
    "Group15 Group16 Group17 Group18 Group19 Group20 Group21 Group22 Group3Q2015 Group4 "
    "Group5 Group6 Group7 Group8 Group9 Q12015Group2",
    "java-bridge anac anac-2010": "AgentFSEGA AgentK AgentSmith IAMcrazyHaggler IAMhaggler "
    "Nozomi SouthamptonAgent Yushu",
    "java-bridge anac anac-2011": "AgentK2 BramAgent BramAgent2 Gahboninho HardHeaded "
    "IAMhaggler2011 NiceTitForTat TheNegotiator ValueModelAgent",
    "java-bridge anac anac-2012": "AgentLG AgentMR CUHKAgent IAMhaggler2012 MetaAgent "
    "MetaAgent2012 OMACagent TheNegotiatorReloaded",
    "java-bridge anac anac-2013": "AgentI AgentKF GAgent InoxAgent MetaAgent2013 SlavaAgent "
    "TMFAgent TheFawkes",
    "java-bridge anac anac-2014": "AgentM AgentQuest AgentTD AgentTRP AgentYK AnacSampleAgent "
    "ArisawaYaki Aster Atlas BraveCat DoNA E2Agent Flinch Gangester Gangster KGAgent "
    "Simpatico Sobut TUDelftGroup2 WhaleAgent",
    "java-bridge anac anac-2015": "AgentBuyog AgentH AgentHP AgentNeo AgentW AgentX AresParty "
    "Atlas3 CUHKAgent2015 DrageKnight Group2 JonnyBlack Kawaii MeanBot Mercury ParsAgent "
    "PhoenixParty PNegotiator PokerFace RandomDance SENGOKU TUDMixedStrategyAgent "
    "XianFaAgent Y2015Group2",
    "java-bridge anac anac-2016": "AgentHP2 AgentLight AgentSmith2016 Atlas32016 Caduceus "
    "ClockworkAgent Farma GrandmaAgent MaxOops MyAgent Ngent ParsAgent2 ParsCat ParsCat2 "
    "SYAgent Terra YXAgent",
    "java-bridge anac anac-2017": "AgentF AgentKN CaduceusDC16 Farma17 Farma2017 GeneKing Gin "
    "Group3 Imitator MadAgent Mamenchis Mosa ParsAgent3 PonPokoAgent Rubick ShahAgent "
    "SimpleAgent2017 TaxiBox TucAgent",
    "java-bridge anac anac-2018": "Agent33 Agent36 AgentHerb AgentNP1 AgreeableAgent2018 "
    "AteamAgent Ateamagent BetaOne Betaone ConDAgent ExpRubick FullAgent GroupY IQSun2018 "
    "Lancelot Libra MengWan PonPokoRampage Seto Shiboy SMACAgent Sontag Yeela",
    "java-bridge anac anac-2019": "AgentGG AgentGP AgentLarry DandikAgent EAgent FSEGA2019 "
    "GaravelAgent Gravity Group1BOA HardDealer KAgent KakeSoba MINF PodAgent SACRA SAGA "
    "SolverAgent TheNewDeal WinkyAgent",
}

# "<component type>: <tags>" -> names; the type is also a tag (as register() does).
_COMPONENTS: dict[str, str] = {
    "acceptance: sao adaptive tit-for-tat combined": "ACCombi",
    "acceptance: sao simple": "AcceptImmediately RejectAlways EndImmediately",
    "acceptance: sao rational": "AcceptAnyRational AcceptBetterRational AcceptNotWorseRational",
    "acceptance: sao threshold": "AcceptAbove AcceptBetween AcceptAround ACConst",
    "acceptance: sao optimal": "AcceptBest AcceptTop",
    "acceptance: sao time-based": "AcceptAfter ACTime AcceptFinalOffer",
    "acceptance: sao random": "RandomAcceptancePolicy",
    "acceptance: sao adaptive": "ACNext ACLast ACLastKReceived ACLastFractionReceived",
    "acceptance: sao micro": "MiCROAcceptancePolicy",
    "acceptance: sao tit-for-tat": "TFTAcceptancePolicy",
    "offering: sao random": "RandomOfferingPolicy",
    "offering: sao simple": "NoneOfferingPolicy",
    "offering: sao optimal": "OfferBest OfferTop",
    "offering: sao time-based": "TimeBasedOfferingPolicy",
    "offering: sao tit-for-tat nash opponent-modeling": "NiceTitForTatOfferingPolicy",
    "offering: sao rational": "CABOfferingPolicy WAROfferingPolicy",
    "offering: sao micro": "MiCROOfferingPolicy FastMiCROOfferingPolicy",
    "offering: sao hybrid": "HybridOfferingPolicy",
    "offering: sao tit-for-tat": "TFTOfferingPolicy",
    "model: sao zero-sum": "ZeroSumModel",
    "model: sao frequency learning": "FrequencyUFunModel",
    "model: sao frequency learning linear": "FrequencyLinearUFunModel",
    "model: sao oracle testing": "PeekingOpponentModel",
    "model: sao learning linear issue-weights survey": "ConcessionRatioUFunModel "
    "ValueDifferenceUFunModel",
    "model: sao learning linear issue-weights kde survey": "KDEWeightUFunModel",
    "model: sao learning bayesian classification survey": "LuceProfileClassifierModel",
    "model: sao learning heuristic ordinal survey": "CandidateEliminationModel",
    "reservation-model: survey regression concession": "ConcessionExtrapolatingReservationModel",
    "reservation-model: survey bayesian": "BayesianReservationValueModel",
    "deadline-model: survey regression concession": "ConcessionExtrapolatingDeadlineModel",
    "offering-model: survey gaussian-process regression": "TimeSeriesOfferingModel",
    "offering-model: survey regression polynomial": "PolynomialOfferingModel",
    "offering-model: survey time-series derivatives": "DerivativeOfferingModel",
    "offering-model: survey time-series markov-chain": "MarkovChainOfferingModel",
    # Genius's BOA parts.
    "acceptance: boa gb adaptive": "GACNext GACPrevious GACGap",
    "acceptance: boa gb threshold": "GACConst",
    "acceptance: boa gb time-based": "GACTime",
    "acceptance: boa gb combined": "GACCombi GACCombiAvg GACCombiBestAvg GACCombiMax GACCombiV2 "
    "GACCombiV3 GACCombiV4",
    "acceptance: boa gb combined windowed": "GACCombiMaxInWindow",
    "acceptance: boa gb simple": "GACTrue GACFalse",
    "acceptance: boa gb threshold discounted": "GACConstDiscounted",
    "acceptance: boa gb combined discounted": "GACCombiBestAvgDiscounted",
    "acceptance: boa gb combined windowed discounted": "GACCombiMaxInWindowDiscounted",
    "acceptance: boa gb combined probabilistic": "GACCombiProb",
    "acceptance: boa gb combined probabilistic discounted": "GACCombiProbDiscounted",
    "acceptance: boa gb anac2010": "GACABMP GACAgentK GACAgentFSEGA GACIAMCrazyHaggler GACYushu "
    "GACNozomi GACIAMHaggler2010 GACAgentSmith",
    "acceptance: boa gb anac2011": "GACHardHeaded GACAgentK2 GACBRAMAgent GACGahboninho "
    "GACTheNegotiator GACValueModelAgent GACIAMHaggler2011",
    "acceptance: boa gb anac2011 tit-for-tat": "GACNiceTitForTat",
    "acceptance: boa gb anac2012": "GACCUHKAgent GACOMACagent GACAgentLG GACAgentMR "
    "GACBRAMAgent2 GACIAMHaggler2012 GACTheNegotiatorReloaded",
    "acceptance: boa gb anac2013": "GACTheFawkes GACInoxAgent GACInoxAgentOneIssue",
    "acceptance: boa gb uncertainty": "GACUncertain",
    "acceptance: boa gb multi-attribute": "GACMAC",
    "offering: boa gb time-based": "GTimeDependentOffering",
    "offering: boa gb random": "GRandomOffering",
    "offering: boa gb time-based boulware": "GBoulwareOffering",
    "offering: boa gb time-based conceder": "GConcederOffering",
    "offering: boa gb time-based linear": "GLinearOffering",
    "offering: boa gb hardliner": "GHardlinerOffering",
    "offering: boa gb exhaustive": "GChoosingAllBids",
    "offering: boa gb anac2010 hardliner": "GIAMCrazyHagglerOffering",
    "offering: boa gb anac2010 adaptive": "GAgentKOffering GAgentFSEGAOffering GNozomiOffering",
    "offering: boa gb anac2010 time-based": "GAgentSmithOffering",
    "offering: boa gb anac2010 sigmoid": "GYushuOffering",
    "offering: boa gb anac2010 conservative": "GIAMhaggler2010Offering",
    "offering: boa gb anac2011 conservative": "GHardHeadedOffering GIAMhaggler2011Offering",
    "offering: boa gb anac2011 adaptive": "GAgentK2Offering GGahboninhoOffering",
    "offering: boa gb anac2011 opponent-modeling": "GBRAMAgentOffering",
    "offering: boa gb anac2011 tit-for-tat": "GNiceTitForTatOffering",
    "offering: boa gb anac2011 piecewise": "GTheNegotiatorOffering",
    "offering: boa gb anac2011 value-modeling": "GValueModelAgentOffering",
    "offering: boa gb anac2012 adaptive": "GCUHKAgentOffering",
    "offering: boa gb anac2012 prediction": "GOMACagentOffering",
    "offering: boa gb anac2012 learning": "GAgentLGOffering",
    "offering: boa gb anac2012 risk-based": "GAgentMROffering",
    "offering: boa gb anac2012 opponent-modeling": "GBRAMAgent2Offering",
    "offering: boa gb anac2012 conservative": "GIAMHaggler2012Offering",
    "offering: boa gb anac2012 piecewise": "GTheNegotiatorReloadedOffering",
    "offering: boa gb anac2013 prediction": "GFawkesOffering",
    "offering: boa gb anac2013 adaptive": "GInoxAgentOffering",
    "model: boa gb frequency learning": "GHardHeadedFrequencyModel GSmithFrequencyModel "
    "GAgentXFrequencyModel",
    "model: boa gb simple": "GDefaultModel GUniformModel GOppositeModel",
    "model: boa gb frequency learning nash": "GNashFrequencyModel",
    "model: boa gb bayesian learning": "GBayesianModel GIAMhagglerBayesianModel",
    "model: boa gb bayesian learning scalable": "GScalableBayesianModel",
    "model: boa gb anac2010 bayesian learning": "GFSEGABayesianModel",
    "model: boa gb anac2012 frequency learning": "GCUHKFrequencyModel",
    "model: boa gb anac2012 learning": "GAgentLGModel",
    "model: boa gb anac2013 learning": "GTheFawkesModel GInoxAgentModel",
    "model: boa gb simple pessimistic": "GWorstModel",
    "model: boa gb oracle testing": "GPerfectModel",
}


def _provenance(cls: type) -> str:
    """``"genius"`` for a class of Palaver's Genius modules, else ``"builtin"``."""
    module = cls.__module__.rpartition(".")[2]
    return "genius" if module.startswith("genius") else "builtin"


def _capabilities(cls: type) -> set[str]:
    """``"propose"``/``"respond"`` for a negotiator that has those methods."""
    return {name for name in ("propose", "respond") if callable(getattr(cls, name, None))}


def _registered(registry: Registry[Any], cls: type, name: str) -> bool:
    """Whether ``cls`` has a built-in registration under ``name`` already."""
    return any(
        info.short_name == name and info.source == BUILTIN_SOURCE
        for info in registry.get_all_by_class(cls)
    )


def _register_table(
    registry: Registry[Any], table: dict[str, str], namespace: Any, kind: str
) -> int:
    added = 0
    for group, names in table.items():
        component_type, _, tag_text = group.rpartition(": ")
        for name in names.split():
            cls = getattr(namespace, name, None)
            if not isinstance(cls, type) or _registered(registry, cls, name):
                continue
            tags = set(tag_text.split()) | {_provenance(cls)}
            if kind == "negotiators":
                tags |= _capabilities(cls)
            options: dict[str, Any] = {}
            if component_type:
                options["component_type"] = component_type
            registry.register(
                cls,
                short_name=name,
                source=BUILTIN_SOURCE,
                description=inspect.getdoc(cls) or name,
                tags=tags,
                **options,
            )
            added += 1
    return added


def register_builtins() -> dict[str, int]:
    """Register every built-in class ``palaver.negmas`` provides and that is not
    registered yet (so calling it again, e.g. after ``clear_registry()``, puts
    back what was removed and never duplicates); how many of each kind were
    added (keys ``"mechanisms"``, ``"negotiators"``, ``"components"``)."""
    namespace = importlib.import_module("palaver.negmas")
    return {
        "mechanisms": _register_table(mechanism_registry, _MECHANISMS, namespace, "mechanisms"),
        "negotiators": _register_table(negotiator_registry, _NEGOTIATORS, namespace, "negotiators"),
        "components": _register_table(component_registry, _COMPONENTS, namespace, "components"),
    }
