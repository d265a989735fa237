"""What a world tells about itself and NegMAS's World methods beyond the tutorial.

:class:`WorldSurface` is the base of :class:`~palaver.world.World` holding its
read-only reports (statistics, saved records, exception tables), the
checkpoint methods and NegMAS's extras (``register_listener``, ``times``,
``from_config``, the ``log*`` methods). Each is a delegation to a component
of the world's engine (``self._palaver``); none keeps state of its own. The
longer parts live beside it: ``run_negotiation(s)`` in
:mod:`palaver.world.own_negotiations`, the listeners and user-event checks in
:mod:`palaver.world.user_events`, reading a config in
:mod:`palaver.world.config_files`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import Any, Generic, Literal, Self, TypeVar, overload

from palaver.events import EventBus, plain
from palaver.preferences import UtilityFunctionLike
from palaver.world import own_negotiations
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
from palaver.world.config_files import world_config
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
from palaver.world.graph import EDGE_KINDS, drawn_steps
from palaver.world.request_checks import with_caller
from palaver.world.tables import ExceptionTables, RecordTables
from palaver.world.user_events import Listener, check_user_event, listener_sink
from palaver.world.validate import check_file
from palaver.world.world_views import WorldViews

__all__ = ["WorldSurface"]

TAgent = TypeVar("TAgent", bound=Agent[Any])


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
        return own_negotiations.run_negotiation(
            self._palaver, caller, issues, partners, negotiator, ufun, caller_role, roles,
            annotation, mechanism_name, mechanism_params,
        )  # fmt: skip

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
        return own_negotiations.run_negotiations(
            self._palaver, caller, issues, partners, negotiators, preferences, caller_roles,
            roles, annotations, mechanism_names, mechanism_params, all_or_none, ufuns,
        )  # fmt: skip

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
        chosen = None if steps is None else drawn_steps(steps, self._palaver.clock.step)
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
        return cls(**{**world_config(config, section), **overrides})

    # ------------------------------------------------- events and logging

    def register_listener(self, event_type: str | None, listener: Listener) -> None:
        """Call ``listener.on_event(event, world)`` for every event of ``event_type``
        (``None``: every event) this world's bus carries, as NegMAS's ``register_listener``.

        The event is a :class:`palaver.events.Event`: its ``payload`` holds what a
        NegMAS event keeps in ``data``.
        """
        self.bus.add_sink(listener_sink(event_type, listener, self))

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
        check_user_event(type, payload, agent_id, negotiation_id, contract_id)
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
