"""Small typed groups of the World's options, and the routing of flat keywords to them.

A ``World`` takes the tutorial's flat keyword arguments (``neg_n_steps=50``,
``force_signing=True``, ...) *or* these groups (``negotiation=NegotiationConfig(...)``);
flat keywords override the fields of a group given alongside them.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from palaver.world.contracts import BreachProcessing, Operations
from palaver.world.errors import WorldParameterError
from palaver.world.validate import normalise

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

__all__ = [
    "DEFAULT_OPERATIONS",
    "CheckpointConfig",
    "ExceptionConfig",
    "LoggingConfig",
    "NegotiationConfig",
    "SaveConfig",
    "SigningConfig",
    "parse_breach_processing",
    "parse_operation",
    "split_options",
]

DEFAULT_MECHANISMS: dict[str, dict[str, Any]] = {"SAOMechanism": {}}


@dataclass(frozen=True)
class NegotiationConfig:
    """How negotiations are requested, started and run.

    Attributes:
        negotiation_speed: Mechanism rounds per world step; ``None`` runs every
            negotiation to its end within one step. With a number, a negotiation
            may span several steps.
        neg_n_steps: The maximum rounds of a negotiation (``None``: no round
            limit, then ``neg_time_limit`` must be set).
        neg_step_time_limit: Wall-clock seconds allowed per round (``None``: none).
        neg_time_limit: Wall-clock seconds allowed per negotiation (``None``: none).
        negotiator_time_limit: Wall-clock seconds a single negotiator call may take
            (``None``: none).
        negotiation_quota_per_step: Negotiations an agent may request per step.
        negotiation_quota_per_simulation: Negotiations an agent may request in a run.
        start_negotiations_immediately: Run a negotiation's first rounds (all of
            them when ``negotiation_speed`` is ``None``) inside the request call;
            otherwise it starts in the next step's ``Negotiations`` operation.
        mechanisms: The mechanism types allowed, name -> default parameters. The
            first is the world's default; a requester may choose another. Names
            may be ``"SAOMechanism"``, ``"palaver.mechanisms.SAOMechanism"``, the
            tutorial's ``"negmas.sao.SAOMechanism"``, any importable dotted path,
            or a class.
        acceptance: ``"all"`` starts a negotiation only when every partner accepts;
            ``"at_least_two"`` starts it with the partners that accepted when they
            are two or more.
    """

    negotiation_speed: int | None = None
    neg_n_steps: int | None = 100
    neg_step_time_limit: float | None = None
    neg_time_limit: float | None = None
    negotiator_time_limit: float | None = None
    negotiation_quota_per_step: float = math.inf
    negotiation_quota_per_simulation: float = math.inf
    start_negotiations_immediately: bool = False
    mechanisms: Mapping[Any, Mapping[str, Any]] = field(
        default_factory=lambda: dict(DEFAULT_MECHANISMS)
    )
    acceptance: Literal["all", "at_least_two"] = "all"

    def __post_init__(self) -> None:
        normalise(self)
        if self.neg_n_steps is None and self.neg_time_limit is None:
            raise WorldParameterError(
                "neg_n_steps=None with neg_time_limit=None: a negotiation needs a limit; "
                "set neg_n_steps (rounds) or neg_time_limit (seconds)"
            )
        if self.acceptance not in ("all", "at_least_two"):
            raise WorldParameterError(
                f"acceptance must be 'all' or 'at_least_two'; got {self.acceptance!r}"
            )
        if not isinstance(self.mechanisms, Mapping) or not self.mechanisms:
            raise WorldParameterError(
                "mechanisms must be a dict of mechanism name -> parameters allowing at "
                f"least one mechanism; got {self.mechanisms!r}"
            )


@dataclass(frozen=True)
class SigningConfig:
    """How agreements become binding contracts.

    Attributes:
        default_signing_delay: Steps between concluding and signing a contract
            (ignored when ``force_signing``).
        force_signing: Contracts are signed by everyone the moment they are
            concluded; agents are not asked.
        batch_signing: Ask each agent once per signing round to sign all its
            pending contracts (``sign_all_contracts``) instead of one call per
            contract (``sign_contract``).
    """

    default_signing_delay: int = 1
    force_signing: bool = False
    batch_signing: bool = True

    def __post_init__(self) -> None:
        normalise(self)


@dataclass(frozen=True)
class LoggingConfig:
    """Logging. Nothing is written to disk unless ``log_folder`` is set.

    Attributes:
        log_folder: Folder for the log file, the stats and the contract/breach
            records. ``None`` (the default) writes nothing. A folder holding
            another run's files is refused unless ``exist_ok``.
        log_to_file: Write the text log (``log_file_name``) under ``log_folder`` (the
            record files are written there either way, as in NegMAS).
        log_file_name: Name of the log file inside ``log_folder``.
        log_file_level: Level of messages written to the file.
        log_ufuns: Log each agent's utility function when it joins.
        log_negotiations: Write every negotiation event (offers, responses,
            results) to ``negotiations.jsonl`` in ``log_folder``.
        log_to_screen: Also log to standard error.
        log_screen_level: Level of messages shown on screen.
        no_logs: Disable all logging whatever the other options say.
        log_stats_every: When positive, append the new steps' stats to
            ``stats.jsonl`` every that many steps (and at the end); 0 writes
            it only at the end. ``stats.json`` (the whole series) is written
            once, when the run ends.
        construct_graphs: Keep the per-step request/negotiation/contract/breach
            edges that ``World.draw`` renders.
    """

    log_folder: str | None = None
    log_to_file: bool = True
    log_file_name: str = "log.txt"
    log_file_level: int | str = "DEBUG"
    log_ufuns: bool = False
    log_negotiations: bool = False
    log_to_screen: bool = False
    log_screen_level: int | str = "ERROR"
    no_logs: bool = False
    log_stats_every: int = 0
    construct_graphs: bool = False

    def __post_init__(self) -> None:
        normalise(self)


@dataclass(frozen=True)
class SaveConfig:
    """What finished items the world keeps in memory.

    Each list keeps at most ``max_saved`` of the most recent items, so memory
    stays bounded however long the run (``None``: unbounded).

    Attributes:
        save_signed_contracts: Keep signed contracts (``World.saved_contracts``).
        save_cancelled_contracts: Keep cancelled contracts (``World.cancelled_contracts``).
        save_negotiations: Keep a compact record of each finished negotiation
            (``World.saved_negotiations``).
        save_resolved_breaches: Keep resolved breaches (``World.resolved_breaches``).
        save_unresolved_breaches: Keep unresolved breaches (``World.unresolved_breaches``).
        max_saved: The bound on each list.
    """

    save_signed_contracts: bool = True
    save_cancelled_contracts: bool = True
    save_negotiations: bool = True
    save_resolved_breaches: bool = True
    save_unresolved_breaches: bool = True
    max_saved: int | None = 100_000

    def __post_init__(self) -> None:
        normalise(self)


@dataclass(frozen=True)
class ExceptionConfig:
    """What happens when user code raises.

    Attributes:
        ignore_agent_exceptions: Record an agent callback's exception and go on
            (the callback counts as refusing / doing nothing); otherwise the run
            stops with ``AgentError``. Also makes mechanisms tolerate exceptions
            raised by negotiators (the negotiation ends with an error).
        ignore_mechanism_exceptions: Record a mechanism's exception and end that
            negotiation with an error; otherwise the run stops with ``MechanismCrashError``.
        ignore_simulation_exceptions: Record an exception from the world's own
            callbacks (``simulation_step``, ``executable_contracts``, ...) and go
            on; otherwise the run stops with ``SimulationError``.
        ignore_contract_execution_exceptions: Record an exception raised while
            executing a contract (the contract ends as erred) and go on;
            otherwise the run stops with ``SimulationError``.
        safe_stats_monitoring: Never stop the run because ``pre_step_stats`` /
            ``post_step_stats``, a stats monitor or writing the stats failed.
    """

    ignore_agent_exceptions: bool = False
    ignore_mechanism_exceptions: bool = False
    ignore_simulation_exceptions: bool = False
    ignore_contract_execution_exceptions: bool = False
    safe_stats_monitoring: bool = False

    def __post_init__(self) -> None:
        normalise(self)


@dataclass(frozen=True)
class CheckpointConfig:
    """Periodic checkpoints (off unless both ``checkpoint_every`` > 0 and a folder are set).

    Attributes:
        checkpoint_every: Checkpoint after every that many completed steps.
        checkpoint_folder: Folder for the checkpoint files.
        checkpoint_filename: Base name; files are ``<step>_<name>.ckpt`` (the
            step being the next one to run), or ``<name>.ckpt`` with ``single_checkpoint``.
        single_checkpoint: Keep only the most recent checkpoint.
        extra_checkpoint_info: Extra JSON-able information written next to each
            checkpoint in ``<file>.json``.
        exist_ok: Allow overwriting a file that existed before this run (the
            checkpoints, and the record files of ``log_folder``).
    """

    checkpoint_every: int = 0
    checkpoint_folder: str | None = None
    checkpoint_filename: str = "world"
    single_checkpoint: bool = True
    extra_checkpoint_info: dict[str, Any] | None = None
    exist_ok: bool = False

    def __post_init__(self) -> None:
        normalise(self)


GROUPS: dict[str, type[DataclassInstance]] = {
    "negotiation": NegotiationConfig,
    "signing": SigningConfig,
    "logging": LoggingConfig,
    "save": SaveConfig,
    "exceptions": ExceptionConfig,
    "checkpoints": CheckpointConfig,
}

_FIELD_GROUP: dict[str, str] = {
    f.name: group for group, cls in GROUPS.items() for f in dataclasses.fields(cls)
}


def split_options(
    groups: Mapping[str, Any], flat: Mapping[str, Any], also: Iterable[str] = ()
) -> dict[str, Any]:
    """Build every config group from the groups given and the flat keywords.

    ``groups`` maps group names (``"negotiation"``, ...) to a config object or
    ``None``; ``flat`` holds the tutorial's flat keywords. Returns group name ->
    config object. Raises ``TypeError`` for a keyword no group knows (with the
    closest valid name, among the groups' fields and the names in ``also``:
    the caller's other keywords) and ``ValueError`` for an invalid value.
    """
    per_group: dict[str, dict[str, Any]] = {g: {} for g in GROUPS}
    for key, value in flat.items():
        group = _FIELD_GROUP.get(key)
        if group is None:
            # The World's own keywords too: n_step=5 suggested 'neg_n_steps', and
            # seeds=1 or operation=[...] nothing at all.
            close = difflib.get_close_matches(key, [*_FIELD_GROUP, *also], n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise TypeError(f"World got an unexpected keyword argument {key!r}{hint}")
        per_group[group][key] = value
    result: dict[str, Any] = {}
    for group, cls in GROUPS.items():
        base = groups.get(group)
        if base is None:
            base = cls()
        elif not isinstance(base, cls):
            raise WorldParameterError(
                f"{group}={base!r}: must be a {cls.__name__} (or None); got a {type(base).__name__}"
            )
        result[group] = dataclasses.replace(base, **per_group[group]) if per_group[group] else base
    return result


#: The default order of operations in a step: NegMAS 0.16's, so that a world
#: ported from NegMAS keeps its timing (contracts executed after the agents
#: step; contracts signed right after the negotiations and again at the end).
DEFAULT_OPERATIONS: tuple[Operations, ...] = (
    Operations.StatsUpdate,
    Operations.Negotiations,
    Operations.ContractSigning,
    Operations.AgentSteps,
    Operations.ContractExecution,
    Operations.SimulationStep,
    Operations.ContractSigning,
    Operations.StatsUpdate,
)


def parse_operation(op: Operations | str) -> Operations:
    """The Operations member for ``op`` (a member, its name or its value)."""
    if isinstance(op, Operations):
        return op
    for member in Operations:
        if op in (member.name, member.value):
            return member
    raise WorldParameterError(
        f"operations: unknown operation {op!r}; each is an Operations member or one of "
        f"the names {[m.name for m in Operations]}"
    )


def parse_breach_processing(value: BreachProcessing | str | int) -> BreachProcessing:
    """The BreachProcessing member for ``value`` (a member, its name or its value)."""
    if isinstance(value, BreachProcessing):
        return value
    if isinstance(value, str):
        try:
            return BreachProcessing[value.upper()]
        except KeyError:
            pass
    elif not isinstance(value, bool):  # True would be read as the member numbered 1
        try:
            return BreachProcessing(value)
        except ValueError:
            pass
    names = [m.name for m in BreachProcessing]
    raise WorldParameterError(
        f"unknown breach_processing {value!r}; use a BreachProcessing member or its name {names}"
    )
