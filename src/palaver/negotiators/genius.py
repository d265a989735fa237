"""NegMAS's Genius names: ``GeniusNegotiator``, the bridge, and the Genius agents' classes.

NegMAS runs Genius's Java agents through a bridge to a Java process
(``GeniusBridge``). Palaver has no Java bridge and cannot run them: the names
are here so that NegMAS code imports, and checks such as
``genius_bridge_is_running()`` answer ``False`` as NegMAS's do without a
bridge, but making a ``GeniusNegotiator`` (or any of the Genius agents'
classes, ``AgentK``, ``Atlas3``, ...) or starting the bridge raises
:class:`GeniusBridgeUnavailable`, which says so. Palaver's own strategies
(``AspirationNegotiator``, ``NiceTitForTatNegotiator``, the time-based
ones, ...) and Genius XML scenarios (``load_genius_domain_from_folder``)
work without Java.

NegMAS's catalogue of Genius agents (``negmas.genius.ginfo``:
``GENIUS_INFO``, ``get_anac_agents``, ``TESTED_NEGOTIATORS``, ...) is not
provided either: it pairs each ANAC competition's agents with the Java
classes that implement them in Genius, for starting them through the
bridge. Palaver cannot start them, and the catalogue's data is NegMAS's own
compilation, so asking for one of its names (:data:`GENIUS_CATALOGUE_NAMES`)
raises :class:`GeniusCatalogueUnavailable`, an ``ImportError`` saying so.
"""

from __future__ import annotations

from typing import Any, NoReturn

from palaver.negotiators.base import SAONegotiator

__all__ = [
    "DEFAULT_JAVA_PORT",
    "GENIUS_AGENTS",
    "GENIUS_AGENT_NAMES",
    "GENIUS_CATALOGUE_NAMES",
    "GeniusBridge",
    "GeniusBridgeUnavailable",
    "GeniusCatalogueUnavailable",
    "GeniusNegotiator",
    "genius_bridge_is_installed",
    "genius_bridge_is_running",
    "init_genius_bridge",
]

#: NegMAS's default port of the Genius bridge (kept for code that passes it on).
DEFAULT_JAVA_PORT = 25337


class GeniusBridgeUnavailable(NotImplementedError):
    """Palaver cannot run Genius (Java) agents: it has no Java bridge."""


class GeniusCatalogueUnavailable(ImportError):
    """Palaver does not carry NegMAS's catalogue of Genius agents (see the module notes)."""


#: The names of NegMAS's catalogue of Genius agents (``negmas.genius.ginfo``),
#: each refused with :class:`GeniusCatalogueUnavailable` by ``palaver.negmas``.
GENIUS_CATALOGUE_NAMES: frozenset[str] = frozenset(
    {
        "AGENT_BASED_NEGOTIATORS",
        "ALL_ANAC_AGENTS",
        "ALL_GENIUS_AMOP_NEGOTIATORS",
        "ALL_GENIUS_BASIC_NEGOTIATORS",
        "ALL_GENIUS_FEEDBACK_MEDIATOR_NEGOTIATORS",
        "ALL_GENIUS_INVALID_NEGOTIATORS",
        "ALL_GENIUS_NEGOTIATORS",
        "ALL_GENIUS_NEGOTIATORS_SET",
        "ALL_GENIUS_SIMPLE_MEDIATOR_NEGOTIATORS",
        "ALL_NEGOTIATORS",
        "ALL_NON_SAOP_GENIUS_NEGOTIATORS",
        "ALL_PASSING_NEGOTIATORS",
        "ALL_PASSING_NEGOTIATORS_NO_UNCERTAINTY",
        "ANAC_INFO",
        "CLASS_NAME_MAP",
        "CLASS_NAME_MAP_SIMPLE",
        "GENIUS10_NEGOTIATORS",
        "GENIUS_INFO",
        "NAME_CLASS_MAP",
        "PARTICIPANT_NEGOTIATORS",
        "PARTY_BASED_NEGOTIATORS",
        "TESTED_NEGOTIATORS",
        "TEST_FAILING_NEGOTIATORS",
        "get_anac_agents",
        "get_java_class",
        "get_name",
    }
)


def refuse_catalogue_name(module: str, name: str) -> NoReturn:
    """Raise :class:`GeniusCatalogueUnavailable` for ``module.name``, one of
    :data:`GENIUS_CATALOGUE_NAMES`."""
    raise GeniusCatalogueUnavailable(
        f"{module}.{name} is part of NegMAS's catalogue of Genius agents (negmas.genius.ginfo), "
        "which Palaver does not provide: the catalogue names the Java classes that start "
        "Genius agents through NegMAS's bridge, and Palaver cannot run Genius agents. The "
        "agents' class names are in palaver.negotiators.genius.GENIUS_AGENT_NAMES (making one "
        "raises GeniusBridgeUnavailable); for Palaver's own strategies see "
        "palaver.negotiators.all_negotiator_types()."
    )


def _unavailable(what: str) -> NoReturn:
    raise GeniusBridgeUnavailable(
        f"{what} needs NegMAS's Java bridge to Genius, which Palaver does not provide: "
        "Palaver cannot run Genius agents. Use one of Palaver's negotiators "
        "(palaver.negotiators.all_negotiator_types()) or run this agent under NegMAS."
    )


def genius_bridge_is_running(port: int = DEFAULT_JAVA_PORT) -> bool:
    """Always ``False``: Palaver has no Genius bridge (NegMAS's answer without one)."""
    return False


def genius_bridge_is_installed() -> bool:
    """Always ``False``: Palaver has no Genius bridge."""
    return False


def init_genius_bridge(*args: Any, **kwargs: Any) -> NoReturn:
    """Raises :class:`GeniusBridgeUnavailable` (NegMAS starts the Java bridge here)."""
    _unavailable("init_genius_bridge()")


class GeniusBridge:
    """NegMAS's handle on the Genius bridge: here it reports no bridge and cannot start one."""

    @classmethod
    def is_running(cls, port: int = DEFAULT_JAVA_PORT) -> bool:
        """Always ``False``."""
        return False

    @classmethod
    def is_installed(cls) -> bool:
        """Always ``False``."""
        return False

    @classmethod
    def start(cls, *args: Any, **kwargs: Any) -> NoReturn:
        """Raises :class:`GeniusBridgeUnavailable`."""
        _unavailable("GeniusBridge.start()")

    @classmethod
    def connect(cls, *args: Any, **kwargs: Any) -> NoReturn:
        """Raises :class:`GeniusBridgeUnavailable`."""
        _unavailable("GeniusBridge.connect()")


class GeniusNegotiator(SAONegotiator):
    """A Genius (Java) agent in NegMAS: making one raises :class:`GeniusBridgeUnavailable`.

    The class exists so that NegMAS code importing it (and the Genius
    agents' classes, its subclasses) loads; see the module docstring.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        java = kwargs.get("java_class_name") or getattr(type(self), "java_class_name", None)
        _unavailable(f"{type(self).__name__}" + (f" ({java})" if java else ""))


#: The Genius agents' class names of NegMAS 0.16 (``negmas.genius.gnegotiators``).
GENIUS_AGENT_NAMES: tuple[str, ...] = (
    "ABMPAgent2",
    "AI2014Group2",
    "Agent33",
    "Agent36",
    "AgentBuyog",
    "AgentF",
    "AgentFSEGA",
    "AgentGG",
    "AgentGP",
    "AgentH",
    "AgentHP",
    "AgentHP2",
    "AgentHerb",
    "AgentI",
    "AgentK",
    "AgentK2",
    "AgentKF",
    "AgentKN",
    "AgentLG",
    "AgentLarry",
    "AgentLight",
    "AgentM",
    "AgentMR",
    "AgentNP1",
    "AgentNeo",
    "AgentQuest",
    "AgentSmith",
    "AgentSmith2016",
    "AgentTD",
    "AgentTRP",
    "AgentW",
    "AgentX",
    "AgentYK",
    "AgreeableAgent2018",
    "AnacSampleAgent",
    "AresParty",
    "ArisawaYaki",
    "Aster",
    "AteamAgent",
    "Ateamagent",
    "Atlas",
    "Atlas3",
    "Atlas32016",
    "BayesianAgent",
    "BetaOne",
    "Betaone",
    "BoulwareNegotiationParty",
    "BramAgent",
    "BramAgent2",
    "BraveCat",
    "CUHKAgent",
    "CUHKAgent2015",
    "Caduceus",
    "CaduceusDC16",
    "ClockworkAgent",
    "ConDAgent",
    "ConcederNegotiationParty",
    "DandikAgent",
    "DoNA",
    "DrageKnight",
    "E2Agent",
    "EAgent",
    "ExpRubick",
    "FSEGA2019",
    "Farma",
    "Farma17",
    "Farma2017",
    "Flinch",
    "FullAgent",
    "FunctionalAcceptor",
    "FuzzyAgent",
    "GAgent",
    "Gahboninho",
    "Gangester",
    "Gangster",
    "GaravelAgent",
    "GeneKing",
    "Gin",
    "GrandmaAgent",
    "Gravity",
    "Group1",
    "Group10",
    "Group11",
    "Group12",
    "Group13",
    "Group14",
    "Group15",
    "Group16",
    "Group17",
    "Group18",
    "Group19",
    "Group1BOA",
    "Group2",
    "Group20",
    "Group21",
    "Group22",
    "Group3",
    "Group3Q2015",
    "Group4",
    "Group5",
    "Group6",
    "Group7",
    "Group8",
    "Group9",
    "GroupY",
    "HardDealer",
    "HardHeaded",
    "IAMcrazyHaggler",
    "IAMhaggler",
    "IAMhaggler2011",
    "IAMhaggler2012",
    "IQSun2018",
    "Imitator",
    "ImmediateAcceptor",
    "InoxAgent",
    "JonnyBlack",
    "KAgent",
    "KGAgent",
    "KakeSoba",
    "Kawaii",
    "Lancelot",
    "Libra",
    "MINF",
    "MadAgent",
    "Mamenchis",
    "MaxOops",
    "MeanBot",
    "MengWan",
    "Mercury",
    "MetaAgent",
    "MetaAgent2012",
    "MetaAgent2013",
    "Mosa",
    "MyAgent",
    "Ngent",
    "NiceTitForTat",
    "Nozomi",
    "OMACagent",
    "OptimalBidderSimple",
    "PNegotiator",
    "ParsAgent",
    "ParsAgent2",
    "ParsAgent3",
    "ParsCat",
    "ParsCat2",
    "PhoenixParty",
    "PodAgent",
    "PokerFace",
    "PonPokoAgent",
    "PonPokoRampage",
    "Q12015Group2",
    "RandomCounterOfferNegotiationParty",
    "RandomDance",
    "RandomParty",
    "RandomParty2",
    "Rubick",
    "SACRA",
    "SAGA",
    "SENGOKU",
    "SMACAgent",
    "SYAgent",
    "Seto",
    "ShahAgent",
    "Shiboy",
    "SimilarityAgent",
    "Simpatico",
    "SimpleAgent",
    "SimpleAgent2017",
    "SlavaAgent",
    "Sobut",
    "SolverAgent",
    "Sontag",
    "SouthamptonAgent",
    "TMFAgent",
    "TUDMixedStrategyAgent",
    "TUDelftGroup2",
    "TaxiBox",
    "Terra",
    "TheFawkes",
    "TheNegotiator",
    "TheNegotiatorReloaded",
    "TheNewDeal",
    "TimeDependentAgentBoulware",
    "TimeDependentAgentConceder",
    "TimeDependentAgentHardliner",
    "TimeDependentAgentLinear",
    "TucAgent",
    "UtilityBasedAcceptor",
    "ValueModelAgent",
    "WhaleAgent",
    "WinkyAgent",
    "XianFaAgent",
    "Y2015Group2",
    "YXAgent",
    "Yeela",
    "Yushu",
)

#: One subclass of :class:`GeniusNegotiator` per name (each raises when made).
GENIUS_AGENTS: dict[str, type[GeniusNegotiator]] = {
    name: type(
        name,
        (GeniusNegotiator,),
        {"__module__": __name__, "__doc__": f"NegMAS's Genius agent {name}: not runnable here."},
    )
    for name in GENIUS_AGENT_NAMES
}
globals().update(GENIUS_AGENTS)
