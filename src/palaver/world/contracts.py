"""The data a world passes around: contracts, breaches, requests, actions, enums."""

from __future__ import annotations

import dataclasses
import enum
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from numbers import Real
from typing import Any

__all__ = [
    "Action",
    "Breach",
    "BreachProcessing",
    "Contract",
    "NegotiationInfo",
    "NegotiationRecord",
    "NegotiationRequest",
    "Operations",
    "RenegotiationRequest",
    "to_flat_dict",
]


class Operations(enum.Enum):
    """The operations a world runs, in an order of its choosing, in every step."""

    StatsUpdate = "stats_update"
    SimulationStep = "simulation_step"
    Negotiations = "negotiations"
    ContractSigning = "contract_signing"
    ContractExecution = "contract_execution"
    AgentSteps = "agent_steps"


class BreachProcessing(enum.Enum):
    """What the world does with the breaches of a contract.

    ``NONE``: breaches are recorded (and posted on the bulletin board) and the
    partners informed. ``VICTIM_THEN_PERPETRATOR``: the victims, then the
    perpetrators, may each propose a resolution (a new agreement) that every
    other partner accepts or refuses. ``META_NEGOTIATION`` (alias
    ``RENEGOTIATION``): a full negotiation over an agenda set by the first party
    that proposes one decides the resolution.
    """

    NONE = 0
    VICTIM_THEN_PERPETRATOR = 1
    META_NEGOTIATION = 2
    RENEGOTIATION = 2


@dataclass(eq=False)
class Contract:
    """An agreement between partners, binding once every partner signed it.

    Identity semantics (``eq=False``): two contracts are the same only if they are
    the same object, so contracts can live in sets and dict keys.

    Attributes:
        partners: The ids of the agents bound by the contract.
        agreement: The agreed outcome as a dict keyed by issue name (``None`` for
            an empty contract).
        annotation: Free information from the negotiation request.
        issues: The issues the agreement is about.
        id: Unique within a world (``"c1"``, ``"c2"``, ...).
        concluded_at: The step the agreement was reached.
        to_be_signed_at: The step the contract is (to be) signed at.
        signed_at: The step it became binding, ``None`` while unsigned.
        signatures: Partner id -> signature (the signer's id) of those who signed.
        mechanism_id: The negotiation that produced it, if any.
        mechanism_state: The final state of that negotiation, if any.
        nullified_at: The step it was cancelled or nullified, if it was.
        executed_at: The step it was executed (with or without breaches), if it was.
    """

    partners: tuple[str, ...]
    agreement: dict[str, Any] | None
    annotation: dict[str, Any] = field(default_factory=dict)
    issues: list[Any] = field(default_factory=list)
    id: str = ""
    concluded_at: int = -1
    to_be_signed_at: int = -1
    signed_at: int | None = None
    signatures: dict[str, str] = field(default_factory=dict)
    mechanism_id: str | None = None
    mechanism_state: Any = None
    nullified_at: int | None = None
    executed_at: int | None = None

    def __post_init__(self) -> None:
        # Checked here, where a world or a user builds one: a text was split
        # into one-letter partners, and an agreement that is not a dict failed
        # later in whatever read it by issue name (the tutorial's ufun call).
        partners = self.partners
        kind: Any = type(partners)
        # A list or a tuple (what worlds pass) is neither text nor a mapping.
        if (kind is not list and kind is not tuple) and (
            isinstance(partners, str | bytes | Mapping) or not hasattr(partners, "__iter__")
        ):
            raise TypeError(
                f"Contract partners={partners!r:.80} must be a list or tuple of agent ids (str)"
            )
        self.partners = tuple(partners)
        for p in self.partners:
            if not isinstance(p, str):
                raise TypeError(
                    f"Contract partners holds {p!r:.80} ({type(p).__name__}); it must hold "
                    "agent ids (str; agent.id for an agent)"
                )
        agreement = self.agreement
        if (
            agreement is not None
            and type(agreement) is not dict
            and not isinstance(agreement, Mapping)
        ):
            raise TypeError(
                f"Contract agreement={agreement!r:.80} ({type(agreement).__name__}) must be "
                "a dict keyed by issue name or None (outcome_space.to_dict(outcome) makes "
                "one from a tuple)"
            )


@dataclass(eq=False)
class Breach:
    """A failure of ``perpetrator`` to honour ``contract``.

    Identity semantics (``eq=False``) so breaches can be collected in sets, as
    the tutorial's ``start_contract_execution`` does. The world orders the
    breaches it receives by (perpetrator, type, level) so a set's arbitrary
    iteration order never leaks into a run.

    Attributes:
        contract: The breached contract.
        perpetrator: The id of the agent that breached it.
        type: A world-defined kind of breach (e.g. ``"breach"``, ``"payment"``).
        victims: The ids of the agents harmed (default: nobody named).
        level: How severe the breach is, conventionally in [0, 1].
        step: The step it happened (filled in by the world when left ``None``).
        resolved: Whether a resolution was agreed (set by the world).
        id: Unique within a world (filled in by the world when left empty).
    """

    contract: Contract
    perpetrator: str
    type: str
    victims: list[str] = field(default_factory=list)
    level: float = 1.0
    step: int | None = None
    resolved: bool = False
    id: str = ""

    def __post_init__(self) -> None:
        # Checked here, where a world builds it, not later inside the breach
        # desk or a log line: a wrong argument names itself.
        if not isinstance(self.contract, Contract):
            raise TypeError(f"Breach contract={self.contract!r:.80} must be a Contract")
        for name, what in (("perpetrator", "an agent id"), ("type", "a kind of breach")):
            value = getattr(self, name)
            if not isinstance(value, str):
                raise TypeError(f"Breach {name}={value!r:.80} must be a str ({what})")
        victims = self.victims
        if isinstance(victims, str | bytes) or not hasattr(victims, "__iter__"):
            raise TypeError(f"Breach victims={victims!r:.80} must be a list of agent ids")
        self.victims = list(victims)
        for v in self.victims:
            if not isinstance(v, str):
                raise TypeError(f"Breach victims holds {v!r:.80}; it must hold agent ids (str)")
        level = self.level
        if isinstance(level, bool) or not isinstance(level, Real):
            raise TypeError(f"Breach level={level!r:.80} must be a number >= 0")
        if not math.isfinite(level) or level < 0:
            raise ValueError(f"Breach level={level!r} must be a finite number >= 0")
        if type(level) not in (int, float):
            self.level = float(level)  # numpy numbers are stored as plain ones


@dataclass
class RenegotiationRequest:
    """An agenda for resolving a breached contract.

    Attributes:
        publisher: The id of the agent proposing the agenda.
        issues: The issues to (re)negotiate about.
        annotation: Free information for the partners.
        proposal: Under ``VICTIM_THEN_PERPETRATOR``, the proposed resolution (an
            outcome over ``issues``, tuple or dict). Ignored under
            ``META_NEGOTIATION``, where the resolution is negotiated.
    """

    publisher: str
    issues: list[Any]
    annotation: dict[str, Any] = field(default_factory=dict)
    proposal: Any = None

    def __post_init__(self) -> None:
        # Checked where an agent's set_renegotiation_agenda builds it: the breach
        # desk read these fields only after the other partners were asked.
        if not isinstance(self.publisher, str):
            raise TypeError(
                f"RenegotiationRequest publisher={self.publisher!r:.80} must be an agent id (str)"
            )
        issues = self.issues
        if isinstance(issues, str | bytes | Mapping) or not hasattr(issues, "__iter__"):
            raise TypeError(
                f"RenegotiationRequest issues={issues!r:.80} must be a list of issues "
                "(empty: the contract's issues)"
            )
        if not isinstance(self.annotation, Mapping):
            raise TypeError(
                f"RenegotiationRequest annotation={self.annotation!r:.80} must be a dict"
            )


@dataclass
class Action:
    """Something an agent asks the world to do (``world.execute_action``).

    Attributes:
        type: The world-defined kind of action.
        params: Its parameters.
    """

    type: str
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # A world's execute_action dispatches on type and reads params by key:
        # anything else failed there, blamed on the world's callback.
        if not isinstance(self.type, str):
            raise TypeError(
                f"Action type={self.type!r:.80} ({type(self.type).__name__}) must be a str "
                "(the world-defined kind of action)"
            )
        if not isinstance(self.params, Mapping):
            raise TypeError(
                f"Action params={self.params!r:.80} ({type(self.params).__name__}) must be "
                "a dict of the action's parameters"
            )


@dataclass
class NegotiationRequest:
    """An agent's own record of a negotiation it asked for (see ``Agent.negotiation_requests``).

    Attributes:
        partners: The agents that would negotiate.
        issues: The negotiation issues.
        annotation: Free information passed to the partners.
        negotiator: The negotiator that represents the requester, if any.
        extra: Free information the requester keeps for itself.
        requested_at: The step of the request.
        id: The request id (unique per agent).
    """

    partners: list[str]
    issues: list[Any]
    annotation: dict[str, Any]
    negotiator: Any
    extra: dict[str, Any]
    requested_at: int
    id: str

    @property
    def uuid(self) -> str:
        """NegMAS's name for :attr:`id` (its ``NegotiationRequestInfo.uuid``)."""
        return self.id

    @property
    def requested(self) -> bool:
        """Always ``True``: this agent made the request (NegMAS's ``requested`` field)."""
        return True


@dataclass
class NegotiationInfo:
    """A negotiation the world registered (see ``Agent.negotiations``).

    Attributes:
        mechanism: The negotiation's mechanism interface (``NMI``).
        partners: The agents taking part.
        annotation: Free information from the request.
        issues: The negotiation issues.
        requested_at: The step it was requested.
        caller: The id of the requester.
        rejectors: Partners that refused (only non-empty under ``at_least_two``).
        id: The negotiation (mechanism) id.
    """

    mechanism: Any
    partners: list[str]
    annotation: dict[str, Any]
    issues: list[Any]
    requested_at: int
    caller: str
    rejectors: list[str]
    id: str


@dataclass(frozen=True, slots=True)
class NegotiationRecord:
    """What the world keeps about a finished negotiation when ``save_negotiations``.

    Attributes:
        id: The negotiation id.
        partners: The agents that took part.
        caller: The requester.
        requested_at: The step it was requested.
        started_at: The step its first round ran (``None`` if it never ran).
        ended_at: The step it ended.
        result: ``agreement``, ``failure``, ``timeout``, ``error`` or ``cancelled``.
        agreement: The agreement (dict by issue name) or ``None``.
        rounds: The number of rounds it took.
        contract_id: The contract it produced, if any.
        error: What went wrong, for ``error`` and ``cancelled``.
    """

    id: str
    partners: tuple[str, ...]
    caller: str
    requested_at: int
    started_at: int | None
    ended_at: int
    result: str
    agreement: dict[str, Any] | None
    rounds: int
    contract_id: str | None
    error: str | None


def _flat_value(value: Any) -> Any:
    if isinstance(value, str | int | float | bool | type(None)):
        return value
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, Contract):
        return value.id
    if isinstance(value, list | tuple):
        return [_flat_value(v) for v in value]
    name = getattr(value, "name", None)
    if isinstance(name, str) and hasattr(value, "cardinality"):
        return name
    tolist = getattr(value, "tolist", None)
    if callable(tolist):
        return tolist()
    return str(value)


def _flatten(prefix: str, value: Any, out: dict[str, Any], sep: str, deep: bool) -> None:
    kind = type(value)
    if kind is str or kind is float or kind is int or kind is bool or value is None:
        out[prefix] = value  # a plain value (most of them): no dataclass or Mapping check
        return
    if deep and dataclasses.is_dataclass(value) and not isinstance(value, type | Contract):
        value = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if type(value) is dict or isinstance(value, Mapping):
        for k, v in value.items():
            _flatten(f"{prefix}{sep}{k}" if prefix else str(k), v, out, sep, deep)
        return
    out[prefix] = _flat_value(value)


#: The key NegMAS's ``to_flat_dict(..., add_type_field=True)`` stores the type under.
PYTHON_CLASS_IDENTIFIER = "__python_class__"


def to_flat_dict(
    value: Any,
    deep: bool = True,
    add_type_field: bool = False,
    shorten_type_field: bool = False,
    python_class_identifier: str = PYTHON_CLASS_IDENTIFIER,
    *,
    sep: str = "_",
) -> dict[str, Any]:
    """A one-level dict of plain values describing ``value`` (for logs and tables).

    Dataclasses (``Contract``, ``Breach``, ...) and mappings are flattened with
    nested keys joined by ``sep`` (``agreement_cost``); a contract referenced
    from another record (a breach's contract) becomes its id; issues become their
    names; enums their names; anything else that is not a plain scalar or list
    becomes its string form. A contract's ``mechanism_state`` is left out (the
    record keeps ``mechanism_id``).

    NegMAS's keywords are accepted in its order: ``deep=False`` keeps a nested
    dataclass as one value (its string form) instead of expanding its fields
    (mappings are flattened either way, as NegMAS's ``json_normalize`` does);
    ``add_type_field=True`` adds the value's type under
    ``python_class_identifier`` (its class name alone with
    ``shorten_type_field=True``, else its module and name).
    """
    kind = type(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if not isinstance(value, Mapping):
        raise TypeError(f"to_flat_dict needs a dataclass or a mapping; got {type(value).__name__}")
    out: dict[str, Any] = {}
    for k, v in value.items():
        if k == "mechanism_state":
            continue
        _flatten(str(k), v, out, sep, deep)
    if add_type_field:
        name = kind.__name__ if shorten_type_field else f"{kind.__module__}.{kind.__qualname__}"
        out[python_class_identifier] = name
    return out
