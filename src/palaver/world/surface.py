"""What a world tells about itself and NegMAS's World methods beyond the tutorial.

:class:`WorldSurface` is the base of :class:`~palaver.world.World` holding its
read-only reports (statistics, saved records, exception tables), the
checkpoint methods and NegMAS's extras (``register_listener``, ``times``,
``from_config``, the ``log*`` methods). Each is a delegation to a component
of the world's engine (``self._palaver``); none keeps state of its own.
"""

from __future__ import annotations

import builtins
import dataclasses
import importlib
import json
from collections.abc import Callable, Collection, Mapping, Sequence
from numbers import Integral
from pathlib import Path
from typing import Any, Generic, Literal, Protocol, Self, TypeVar, overload

import numpy as np

from palaver._util.checks import is_text
from palaver._util.files import read_regular
from palaver.events import Event, EventBus, plain
from palaver.preferences import UtilityFunctionLike
from palaver.world.agent import Agent
from palaver.world.agent_logs import AgentLogCalls
from palaver.world.checkpoint import load_checkpoint, read_sidecar
from palaver.world.compat import OptionView
from palaver.world.config import (
    CheckpointConfig,
    ExceptionConfig,
    LoggingConfig,
    NegotiationConfig,
    SaveConfig,
    SigningConfig,
)
from palaver.world.contracts import (
    Action,
    Breach,
    BreachProcessing,
    Contract,
    NegotiationInfo,
    NegotiationRecord,
    Operations,
)
from palaver.world.engine import Engine
from palaver.world.errors import NegotiationRequestError, WorldParameterError
from palaver.world.files import atomic_write
from palaver.world.graph import EDGE_KINDS
from palaver.world.request_checks import with_caller
from palaver.world.returns import own_negotiator_problem
from palaver.world.tables import ExceptionTables, RecordTables
from palaver.world.validate import check_event_type, check_file, check_user_event_type
from palaver.world.world_views import WorldViews

__all__ = ["WorldSurface"]

TAgent = TypeVar("TAgent", bound=Agent[Any])


class Listener(Protocol):
    """NegMAS's event listener."""

    def on_event(self, event: Event, sender: Any) -> None:
        """Called with every event it listens to."""


class _ListenerSink:
    """Forwards bus events to a NegMAS-style listener's ``on_event(event, sender)``."""

    def __init__(self, listener: Listener, event_type: str | None, sender: Any) -> None:
        self.listener = listener
        self.sender = sender
        self.event_types = None if event_type is None else frozenset((event_type,))

    def emit(self, event: Event) -> None:
        self.listener.on_event(event, self.sender)


class WorldSurface(RecordTables, ExceptionTables, AgentLogCalls, WorldViews, Generic[TAgent]):
    """What agents ask of a world, its reports and NegMAS's extras (a base of ``World``)."""

    _palaver: Engine
    name: str
    bus: EventBus
    negotiation_config: NegotiationConfig
    signing_config: SigningConfig
    logging_config: LoggingConfig
    save_config: SaveConfig
    exception_config: ExceptionConfig
    checkpoint_config: CheckpointConfig
    seed: int
    seeds_global_generators: bool
    n_steps: int
    time_limit: float | None
    operations: tuple[Operations, ...]
    breach_processing: BreachProcessing

    id = OptionView(
        lambda w: w._palaver.negmas.id or w.name,
        "The world's id (NegMAS's ``id=``; default: its name).",
    )

    @property
    def current_step(self) -> int:
        """The step being run (or the next one to run between steps)."""
        return self._palaver.clock.step

    # ------------------------------------------------- what agents ask for

    def request_negotiation_about(
        self,
        caller: TAgent,
        issues: list[Any],
        partners: list[str],
        req_id: str | None,
        roles: list[str | None] | None = None,
        annotation: dict[str, Any] | None = None,
        mechanism_name: str | None = None,
        mechanism_params: dict[str, Any] | None = None,
        group: str | None = None,
    ) -> bool:
        """Register a negotiation requested by ``caller``; ``True`` when registered.

        See :meth:`AgentWorldInterface.request_negotiation_about`.
        """
        if group is not None and not isinstance(group, str):
            raise NegotiationRequestError(
                f"agent {caller.id!r}: group must be a str or None; got {group!r:.80}"
            )
        engine = self._palaver
        neg = engine.desk.register(
            caller,
            issues,
            with_caller(caller, partners, roles),
            req_id,
            roles,
            annotation,
            mechanism_name,
            mechanism_params,
        )
        if neg is None:
            return False
        neg.group = group
        if self.negotiation_config.start_negotiations_immediately:
            engine.scheduler.negotiate(neg, engine.desk.speed)
        return True

    def run_negotiation(
        self,
        caller: TAgent,
        issues: list[Any],
        partners: list[str],
        negotiator: Any,
        ufun: UtilityFunctionLike | None = None,
        caller_role: str | None = None,
        roles: list[str | None] | None = None,
        annotation: dict[str, Any] | None = None,
        mechanism_name: str | None = None,
        mechanism_params: dict[str, Any] | None = None,
    ) -> tuple[Contract | None, Any]:
        """Register and run a negotiation to its end at once: ``(contract, nmi)``, the
        contract ``None`` without an agreement, both ``None`` when refused (the AWI's
        ``run_negotiation``, NegMAS's, returns ``None`` for both)."""
        _check_role(caller, "run_negotiation", "caller_role", caller_role)
        neg = self._palaver_register_own(
            caller, issues, partners, negotiator, ufun, caller_role, roles, annotation,
            mechanism_name, mechanism_params, what="run_negotiation",
        )  # fmt: skip
        if neg is None:
            return None, None
        # As in NegMAS, a contract run_negotiation(s) reaches is signed in this
        # step's next ContractSigning, whatever default_signing_delay is.
        contract = self._palaver.scheduler.negotiate(neg, None, immediate_signing=True)
        return contract, neg.mechanism.nmi

    def run_negotiations(
        self,
        caller: TAgent,
        issues: list[Any] | list[list[Any]],
        partners: list[list[str]],
        negotiators: list[Any],
        preferences: list[UtilityFunctionLike | None] | UtilityFunctionLike | None = None,
        caller_roles: list[str | None] | str | None = None,
        roles: list[list[str | None] | None] | None = None,
        annotations: list[dict[str, Any] | None] | dict[str, Any] | None = None,
        mechanism_names: list[str | None] | str | None = None,
        mechanism_params: list[dict[str, Any] | None] | dict[str, Any] | None = None,
        all_or_none: bool = False,
        *,
        ufuns: list[UtilityFunctionLike | None] | UtilityFunctionLike | None = None,
    ) -> list[tuple[Contract | None, Any]]:
        """Register several negotiations of ``caller``, then run each to its end
        (NegMAS's; see ``AWI.run_negotiations``)."""
        if not isinstance(partners, list | tuple):
            raise NegotiationRequestError(
                f"agent {caller.id!r}: run_negotiations' partners must be a list with one "
                "entry per negotiation (a list of partner ids, or a single partner id); "
                f"got {partners!r:.80}"
            )
        if not isinstance(all_or_none, bool | np.bool_):
            raise WorldParameterError(
                f"agent {caller.id!r}: run_negotiations' all_or_none must be True or False; "
                f"got {all_or_none!r:.80} ({type(all_or_none).__name__})"
            )
        n = len(partners)
        if not isinstance(negotiators, list | tuple) or len(negotiators) != n:
            raise ValueError(
                f"negotiators must be a list of one negotiator per negotiation ({n}), "
                f"got {negotiators!r:.80}"
            )
        if ufuns is not None and preferences is not None:
            raise ValueError("give preferences or ufuns (NegMAS's name), not both")
        roles_of_caller = _per_negotiation(caller_roles, "caller_roles", n)
        for role in roles_of_caller:
            _check_role(caller, "run_negotiations", "caller_roles", role)
        registered = [
            self._palaver_register_own(caller, *request, what="run_negotiations")
            for request in zip(
                _per_negotiation(issues, "issues", n, nested=True),
                # An entry is the partners of one negotiation: a list, or one
                # partner alone as run_negotiation takes it (list() of an id
                # split it into one-letter partners).
                [list(p) if isinstance(p, list | tuple) else p for p in partners],
                negotiators,
                _per_negotiation(ufuns if ufuns is not None else preferences, "preferences", n),
                roles_of_caller,
                _per_negotiation(roles, "roles", n, nested=True),
                _per_negotiation(annotations, "annotations", n),
                _per_negotiation(mechanism_names, "mechanism_names", n),
                _per_negotiation(mechanism_params, "mechanism_params", n),
                strict=True,
            )
        ]
        if all_or_none and any(neg is None for neg in registered):
            for neg in registered:
                if neg is not None:
                    self._palaver.desk.cancel(neg, "all_or_none: another request was refused")
            return []
        if all(neg is None for neg in registered):
            return []
        scheduler = self._palaver.scheduler
        return [
            (None, None)
            if neg is None
            else (scheduler.negotiate(neg, None, immediate_signing=True), neg.mechanism.nmi)
            for neg in registered
        ]

    def _palaver_register_own(
        self,
        caller: TAgent,
        issues: list[Any],
        partners: list[str],
        negotiator: Any,
        ufun: UtilityFunctionLike | None,
        caller_role: str | None,
        roles: list[str | None] | None,
        annotation: dict[str, Any] | None,
        mechanism_name: str | None,
        mechanism_params: dict[str, Any] | None,
        *,
        what: str,
    ) -> Any:
        # A negotiation the caller takes part in with its own negotiator,
        # registered (partners asked) but not run; None when refused.
        problem = own_negotiator_problem(
            f"agent {caller.id!r}: {what}'s", negotiator, "negotiator", none_ok=False
        )
        if problem is not None:
            raise NegotiationRequestError(problem)
        partners = with_caller(caller, partners, roles)
        # Anything but a list is left to the request's checks, which name it.
        if isinstance(partners, list) and caller.id not in partners:
            partners.append(caller.id)
            # Roles that are not a list are left to the request's checks too
            # (a text would have been split into one-letter roles).
            if isinstance(roles, list | tuple):
                roles = [*roles, caller_role]
        return self._palaver.desk.register(
            caller,
            issues,
            partners,
            None,
            roles,
            annotation,
            mechanism_name,
            mechanism_params,
            own=(negotiator, ufun),
        )

    def execute(
        self, action: Action, agent: TAgent, callback: Callable[..., Any] | None = None
    ) -> bool:
        """Execute ``action`` for ``agent`` via ``execute_action`` and record it."""
        return self._palaver.exchange.execute(action, agent, callback)

    def send_message(self, sender: TAgent, receiver: str, message: Any) -> None:
        """Deliver ``message`` from ``sender`` to agent ``receiver`` (recorded)."""
        self._palaver.exchange.send_message(sender, receiver, message)

    # ------------------------------------------------------- checkpoints

    def checkpoint(
        self,
        path: str | Path,
        extra: dict[str, Any] | None = None,
        *,
        file_name: str | None = None,
        info: dict[str, Any] | None = None,
        exist_ok: bool = True,
        single_checkpoint: bool = True,
    ) -> Path:
        """Save this world (between steps) so that it can be resumed; returns the file written.

        ``path`` is the file to write, or, when it is an existing folder, a new
        path without a suffix (created) or ``file_name`` is given, the folder to
        write it in (as NegMAS does). The
        file in a folder is ``file_name``, else ``<checkpoint_filename>.ckpt``
        (``<step>_<checkpoint_filename>.ckpt`` with ``single_checkpoint=False``).
        ``info`` is NegMAS's name for ``extra`` (written to ``<file>.json``).
        ``exist_ok=False`` refuses to overwrite an existing file
        (``FileExistsError``).
        """
        return self._palaver.checkpoints.save(
            self,
            check_file("path", path),
            extra,
            file_name=file_name,
            info=info,
            exist_ok=exist_ok,
            single_checkpoint=single_checkpoint,
        )

    @overload
    @classmethod
    def from_checkpoint(
        cls, path: str | Path, return_info: Literal[False] = False, *, recorder: Any = None
    ) -> Self: ...

    @overload
    @classmethod
    def from_checkpoint(
        cls, path: str | Path, return_info: Literal[True], *, recorder: Any = None
    ) -> tuple[Self, dict[str, Any]]: ...

    @classmethod
    def from_checkpoint(
        cls, path: str | Path, return_info: bool = False, *, recorder: Any = None
    ) -> Self | tuple[Self, dict[str, Any]]:
        """Load a world saved by :meth:`checkpoint` (trusted files only: it is a pickle).

        Event sinks are not part of a checkpoint: pass ``recorder`` (or add sinks
        to ``world.bus``) to observe the rest of the run. ``return_info=True``
        (NegMAS's) also returns :meth:`checkpoint_info`, as ``(world, info)``.
        """
        if not isinstance(return_info, bool):
            raise WorldParameterError(f"return_info must be True or False; got {return_info!r:.80}")
        if recorder is not None and not callable(getattr(recorder, "attach", None)):
            raise WorldParameterError(
                f"recorder must be an object with attach(world), or None; got {recorder!r:.80}"
            )
        info = cls.checkpoint_info(path) if return_info else None
        world = load_checkpoint(check_file("path", path))
        if not isinstance(world, cls):
            raise TypeError(f"{path} holds a {type(world).__name__}, not a {cls.__name__}")
        world._palaver.checkpoints.claim()
        world._palaver.log.check_resume()
        if recorder is not None:
            recorder.attach(world)
        return world if info is None else (world, info)

    # -------------------------------------------------------- annotations

    def agent_annotation(self, agent_id: str) -> dict[str, Any]:
        """What agent ``agent_id`` sees as ``awi.annotation``: the world's
        ``annotation`` with the one the agent joined with merged over it (a new
        dict; an id that never joined gets the world's alone)."""
        negmas = self._palaver.negmas
        own = self._palaver.roster.annotations.get(agent_id)
        return {**negmas.annotation, **own} if own else dict(negmas.annotation)

    @property
    def params(self) -> dict[str, Any]:
        """The world's settings by keyword (NegMAS's ``world.params``): ``n_steps``,
        ``time_limit``, ``operations``, ``breach_processing``, ``seed``,
        ``annotation`` and every option of the config groups. A new dict."""
        out: dict[str, Any] = {
            "n_steps": self.n_steps,
            "time_limit": self.time_limit,
            "operations": self.operations,
            "breach_processing": self.breach_processing,
            "seed": self.seed,
            "annotation": dict(self._palaver.negmas.annotation),
        }
        for config in (
            self.negotiation_config,
            self.signing_config,
            self.logging_config,
            self.save_config,
            self.exception_config,
            self.checkpoint_config,
        ):
            out.update((f.name, getattr(config, f.name)) for f in dataclasses.fields(config))
        return out

    # ------------------------------------------------------------ reports

    @property
    def stats(self) -> dict[str, list[Any]]:
        """Per-step statistics: name -> one value per completed step."""
        return dict(self._palaver.ledger.series)

    @property
    def totals(self) -> dict[str, float]:
        """Run totals of the built-in counters (steps completed so far)."""
        return dict(self._palaver.ledger.totals)

    def scores(self) -> dict[str, float]:
        """A score per agent for tournaments: by default the summed ``contract_size``
        of the contracts it executed without breach."""
        scores = self._palaver.ledger.scores
        return {aid: scores.get(aid, 0.0) for aid in self._palaver.roster.agents}

    @property
    def running_negotiations(self) -> list[NegotiationInfo]:
        """The negotiations registered and not ended, in registration order."""
        return [n.info for n in self._palaver.desk.active.values()]

    @property
    def saved_contracts(self) -> list[Contract]:
        """Signed contracts (``save_signed_contracts``; the most recent ``max_saved``)."""
        return list(self._palaver.ledger.saved_contracts)

    @property
    def cancelled_contracts(self) -> list[Contract]:
        """Cancelled contracts (``save_cancelled_contracts``)."""
        return list(self._palaver.ledger.cancelled_contracts)

    @property
    def saved_negotiations(self) -> list[NegotiationRecord]:
        """Finished negotiations (``save_negotiations``)."""
        return list(self._palaver.ledger.saved_negotiations)

    @property
    def resolved_breaches(self) -> list[Breach]:
        """Breaches resolved by breach processing (``save_resolved_breaches``)."""
        return list(self._palaver.ledger.resolved_breaches)

    @property
    def unresolved_breaches(self) -> list[Breach]:
        """Breaches left unresolved (``save_unresolved_breaches``)."""
        return list(self._palaver.ledger.unresolved_breaches)

    @property
    def saved_breaches(self) -> list[Breach]:
        """Resolved and unresolved saved breaches, by breach id order."""
        return self.breaches

    def draw(
        self,
        steps: int | Sequence[int] | None = None,
        what: Collection[str] = ("negotiation", "contract", "breach"),
        path: str | Path | None = None,
    ) -> str:
        """Render the negotiation/contract graph as Graphviz DOT (needs ``construct_graphs``).

        ``steps``: one step, several, or all (``None``). ``what``: edge kinds among
        ``request``, ``rejection``, ``negotiation``, ``contract``, ``breach``.
        Returns the DOT text and, with ``path``, also writes it there (render it
        with ``dot -Tpng``).
        """
        graph = self._palaver.graph
        if graph is None:
            raise RuntimeError("draw() needs construct_graphs=True when the world is created")
        chosen = None if steps is None else _drawn_steps(steps, self._palaver.clock.step)
        if isinstance(what, str | bytes) or not all(k in EDGE_KINDS for k in what):
            raise WorldParameterError(
                f"draw what={what!r:.80} must be a collection of edge kinds among "
                f"{list(EDGE_KINDS)}, e.g. ('contract',)"
            )
        dot = graph.to_dot(list(self._palaver.roster.agents), chosen, what, name=self.name)
        if path is not None:
            target = check_file("path", path)
            if target.is_dir():
                raise IsADirectoryError(
                    f"draw path={str(path)!r} is a folder; give the file to write, "
                    "e.g. graph.dot in it"
                )
            # Written whole: write_text() blocked for ever on a FIFO of that name.
            atomic_write(target, [dot.encode("utf-8")])
        return dot

    @classmethod
    def checkpoint_info(cls, file_name: str | Path) -> dict[str, Any]:
        """The information saved next to a checkpoint (``<file>.json``), as NegMAS returns it:
        ``type``, ``id``, ``name``, ``step``, ``time``, ``filename``, ``seed``,
        ``format_version`` and the checkpoint's ``extra`` / ``info`` keys.

        ``FileNotFoundError`` when there is no sidecar; ``CheckpointError`` naming
        it when it is damaged (it carries a checksum, checked here)."""
        info = read_sidecar(check_file("file_name", file_name))
        extra = info.get("extra") or {}
        return {**extra, **{k: v for k, v in info.items() if k != "extra"}}

    @classmethod
    def from_config(
        cls,
        config: Mapping[str, Any] | str | Path,
        section: str | None = None,
        ignore_children: bool = True,
        try_parsing_children: bool = True,
        scope: Any = None,
        **overrides: Any,
    ) -> Self:
        """A world built from a dict of its constructor's keyword arguments, or from a
        ``.json``, ``.yaml`` or ``.yml`` file holding one (NegMAS's ``from_config``,
        its arguments in its order). ``section`` takes that key of the config;
        ``ignore_children``, ``try_parsing_children`` and ``scope`` are accepted and
        unused: values are taken as they are, nothing is evaluated. ``overrides`` win.
        """
        if isinstance(config, str | Path):
            config = _read_world_config(Path(config))
        if not isinstance(config, Mapping):
            raise TypeError(f"a world config is a dict of keyword arguments; got {config!r}")
        if section is not None:
            if section not in config:
                raise ValueError(
                    f"section {section!r} is not in the world config; its keys are "
                    f"{sorted(map(str, config))}"
                )
            config = config[section]
            if not isinstance(config, Mapping):
                raise TypeError(
                    f"section {section!r} of the world config must be a dict of keyword "
                    f"arguments; got {config!r:.80}"
                )
        return cls(**{**dict(config), **overrides})

    # ------------------------------------------------- events and logging

    def register_listener(self, event_type: str | None, listener: Listener) -> None:
        """Call ``listener.on_event(event, world)`` for every event of ``event_type``
        (``None``: every event) this world's bus carries, as NegMAS's ``register_listener``.

        The event is a :class:`palaver.events.Event`: its ``payload`` holds what a
        NegMAS event keeps in ``data``.
        """
        if not callable(getattr(listener, "on_event", None)):
            raise TypeError(
                f"a listener needs an on_event(event, sender) method; got {type(listener)!r}"
            )
        if event_type is not None and not isinstance(event_type, str):
            raise TypeError(f"event_type must be an event type name or None; got {event_type!r}")
        if event_type is not None:
            check_event_type("event_type", event_type)
        self.bus.add_sink(_ListenerSink(listener, event_type, self))

    def record_event(
        self,
        type: str,
        payload: dict[str, Any],
        agent_id: str | None = None,
        negotiation_id: str | None = None,
        contract_id: str | None = None,
    ) -> None:
        """Emit a user event on the world's bus (the payload is copied).

        ``type`` may be any name but one this close to a built-in event type
        (``contract_signd``): that is a :class:`WorldParameterError`, as when
        listening to it.
        """
        if not isinstance(type, str) or not type:
            raise TypeError(f"an event type is a non-empty string; got {type!r}")
        for parameter, value in (
            ("type", type),
            ("agent_id", agent_id),
            ("negotiation_id", negotiation_id),
            ("contract_id", contract_id),
        ):
            # Checked here, where the value enters: a lone surrogate, or an id that
            # is not a str (negotiation_id=5), reaching a recorder made its every
            # later write fail inside pyarrow; an Agent was stored as its repr.
            if parameter != "type" and value is not None and not isinstance(value, str):
                hint = " (give agent.id, not the agent)" if isinstance(value, Agent) else ""
                raise WorldParameterError(
                    f"record_event {parameter}={value!r:.80} ({builtins.type(value).__name__}) "
                    f"must be a str or None{hint}"
                )
            if isinstance(value, str) and not is_text(value):
                raise WorldParameterError(
                    f"record_event {parameter}={value!r} is not valid text (it holds a "
                    "lone surrogate): give a str that can be written as UTF-8"
                )
        check_user_event_type(type)
        if not isinstance(payload, dict):
            raise TypeError(f"an event payload is a dict; got {payload!r}")
        if self.bus.active and self.bus.listens(type):
            self.bus.emit(
                type,
                plain(payload),
                agent_id=agent_id,
                negotiation_id=negotiation_id,
                contract_id=contract_id,
            )

    def log(self, message: str, level: int | str = "INFO") -> None:
        """Write ``message`` to the world's log (nowhere unless logging is set up)."""
        self._palaver.log.log(message, level)

    def logdebug(self, message: str) -> None:
        """Log at DEBUG level."""
        self.log(message, "DEBUG")

    def loginfo(self, message: str) -> None:
        """Log at INFO level."""
        self.log(message, "INFO")

    def logwarning(self, message: str) -> None:
        """Log at WARNING level."""
        self.log(message, "WARNING")

    def logerror(self, message: str) -> None:
        """Log at ERROR level."""
        self.log(message, "ERROR")


def _drawn_steps(steps: Any, n_done: int) -> list[int]:
    """``draw``'s ``steps`` (one step or several) as a list of steps that ran."""
    chosen = [steps] if isinstance(steps, Integral) else steps
    if isinstance(chosen, str | bytes) or not hasattr(chosen, "__iter__"):
        chosen = [chosen]
    chosen = list(chosen)
    for s in chosen:
        if isinstance(s, bool) or not isinstance(s, Integral) or not 0 <= int(s) < n_done:
            raise WorldParameterError(
                f"draw steps={steps!r:.80} must be None (all), or steps that ran: "
                f"integers 0..{n_done - 1}"
                if n_done
                else f"draw steps={steps!r:.80}: no step has run yet; use steps=None"
            )
    return [int(s) for s in chosen]


def _read_world_config(path: Path) -> Any:
    """The data of a world config file, read by its suffix (NegMAS's: JSON or YAML)."""
    suffix = path.suffix.lower()
    if suffix not in (".json", ".yaml", ".yml"):
        raise ValueError(
            f"cannot read a world config from {path}: a config file is .json, .yaml or .yml"
        )
    try:
        # Not read_text(): a FIFO would block for ever; it is refused at once.
        text = read_regular(path).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise ValueError(f"cannot read a world config from {path}: {e}") from e
    if suffix == ".json":
        try:
            return json.loads(text)
        except ValueError as e:
            raise ValueError(f"cannot read a world config from {path}: {e}") from e
    try:
        yaml = importlib.import_module("yaml")  # PyYAML: only for YAML configs
    except ImportError as e:
        raise ImportError(f"reading the YAML world config {path} needs PyYAML") from e
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise ValueError(f"cannot read a world config from {path}: {e}") from e


def _check_role(caller: Agent[Any], what: str, name: str, role: Any) -> None:
    """A role of the caller is a str or ``None`` (a mechanism refuses anything else
    only once the partners were asked)."""
    if role is not None and not isinstance(role, str):
        raise NegotiationRequestError(
            f"agent {caller.id!r}: {what}'s {name} must be a role (a str) or None; "
            f"got {role!r:.80} ({type(role).__name__})"
        )


def _per_negotiation(value: Any, name: str, n: int, nested: bool = False) -> list[Any]:
    """``value`` for each of ``n`` negotiations: a list of ``n`` values (of lists,
    when ``nested``) as it is, anything else repeated (NegMAS's rule)."""
    is_list = isinstance(value, list) and (
        not nested or (bool(value) and all(isinstance(v, list | type(None)) for v in value))
    )
    if not is_list:
        return [value] * n
    if len(value) != n:
        raise ValueError(
            f"{name} must be one value for all {n} negotiations or a list of {n}, got {value!r:.80}"
        )
    return list(value)
