"""NegMAS's per-negotiation callbacks of ``cartesian_tournament``, on Palaver's run hooks.

- ``before_start_callback(info)`` gets a :class:`RunInfo` before the
  negotiation's mechanism is built;
- ``after_construction_callback(info)`` gets a :class:`ConstructedNegInfo`
  once the negotiators joined, before the first round;
- ``after_end_callback(record)`` or ``after_end_callback(record, config)``
  gets the negotiation's record (NegMAS's keys: ``agreement``,
  ``utilities``, ``partners``, ``reserved_values``, ``run_id``, ...) when it
  ended.

They run where the negotiation runs (the tournament's process with
``njobs=-1``, a worker otherwise: then they must pickle). Where Palaver
differs on purpose: NegMAS prints and ignores an exception a callback raises;
here it ends the negotiation as an ``error`` row with the traceback (nothing
silent), as an exception in ``neg_*_callback`` does. Whether a callback takes
``config`` is read from its signature (NegMAS retries on any ``TypeError``,
which calls twice a callback that raised one itself).
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from palaver.tournaments.negotiation.callbacks import NegotiationContext, NegotiationEnd

__all__ = ["ConstructedNegInfo", "NegmasRunHooks", "RunInfo", "call_with_config", "takes"]


@dataclass
class RunInfo:
    """What ``before_start_callback`` gets: the negotiation about to be built
    (NegMAS's fields; those Palaver has no counterpart for keep NegMAS's defaults).

    Attributes:
        s: The scenario (its utility functions in the scenario's order).
        run_id: The negotiation's id.
        partners: The negotiator class at each position.
        partner_names: The competitor's name at each position.
        partner_params: The competitor's parameters at each position.
        rep: The repetition (0-based).
        n_repetitions: How many repetitions the tournament plays.
        scenario_index: The scenario's index in the tournament.
        mechanism_params: The mechanism's options.
        config: The tournament's configuration (NegMAS's ``config``).
    """

    s: Any
    run_id: int | str
    partners: tuple[type, ...]
    partner_names: tuple[str, ...] | None = None
    partner_params: tuple[dict[str, Any], ...] | None = None
    rep: int = 0
    path: Path | None = None
    mechanism_type: type | None = None
    mechanism_params: dict[str, Any] | None = None
    full_names: bool = True
    verbosity: int = 0
    plot: bool = False
    plot_params: dict[str, Any] | None = None
    stats: Any = None
    annotation: dict[str, Any] | None = None
    private_infos: tuple[dict[str, Any] | None, ...] | None = None
    id_reveals_type: bool = False
    name_reveals_type: bool = True
    mask_scenario_name: bool = True
    ignore_exceptions: bool = False
    scored_indices: list[int] | None = None
    n_repetitions: int = 1
    scenario_index: int = 0
    config: dict[str, Any] = field(default_factory=dict)


@dataclass
class ConstructedNegInfo:
    """What ``after_construction_callback`` gets: the built mechanism, its
    negotiators joined, before the first round.

    Attributes:
        run_id: The negotiation's id.
        mechanism: The mechanism.
        failures: Construction failures (always empty: one ends the negotiation
            as an ``error`` row before this is called).
        scenario: The scenario played.
        real_scenario_name: The scenario's name.
        config: The tournament's configuration.
    """

    run_id: int | str | None
    mechanism: Any
    failures: dict[str, Any]
    scenario: Any
    real_scenario_name: str | None
    config: dict[str, Any] = field(default_factory=dict)


def takes(f: Callable[..., Any], n: int) -> bool:
    """Whether ``f`` accepts ``n`` positional arguments (by its signature;
    ``False`` when it has none to read)."""
    try:
        inspect.signature(f).bind(*range(n))
    except (TypeError, ValueError):
        return False
    return True


def call_with_config(f: Callable[..., Any], config: Mapping[str, Any], *args: Any) -> None:
    """Call ``f(*args, config)`` when its signature takes one more argument,
    else ``f(*args)`` (NegMAS's two signatures of ``after_end_callback`` and
    ``progress_callback``)."""
    if takes(f, len(args) + 1):
        f(*args, dict(config))
    else:
        f(*args)


@dataclass(frozen=True)
class NegmasRunHooks:
    """Palaver's :class:`~palaver.tournaments.negotiation.callbacks.RunHooks`
    calling NegMAS's three callbacks (any of them ``None``)."""

    before_start: Callable[[RunInfo], Any] | None
    after_construction: Callable[[ConstructedNegInfo], Any] | None
    after_end: Callable[..., Any] | None
    config: dict[str, Any]
    n_repetitions: int
    mechanism_params: dict[str, Any]

    def before(self, context: NegotiationContext) -> None:
        """Call ``before_start_callback`` with the negotiation's :class:`RunInfo`."""
        if self.before_start is None:
            return
        spec = context.spec
        self.before_start(
            RunInfo(
                s=context.scenario,
                run_id=spec.negotiation_id,
                partners=tuple(c.resolve() for c in context.competitors),
                partner_names=context.names,
                partner_params=tuple(dict(c.params) for c in context.competitors),
                rep=spec.repetition,
                mechanism_params=dict(self.mechanism_params),
                n_repetitions=self.n_repetitions,
                scenario_index=spec.scenario,
                config=dict(self.config),
            )
        )

    def constructed(self, context: NegotiationContext, mechanism: Any) -> None:
        """Call ``after_construction_callback`` with the built mechanism."""
        if self.after_construction is None:
            return
        name = context.scenario.name
        self.after_construction(
            ConstructedNegInfo(
                context.spec.negotiation_id,
                mechanism,
                {},
                context.scenario,
                name,
                dict(self.config),
            )
        )

    def after(self, context: NegotiationContext, end: NegotiationEnd) -> None:
        """Call ``after_end_callback`` with the negotiation's record."""
        if self.after_end is None:
            return
        call_with_config(self.after_end, self.config, negmas_record(context, end))


def negmas_record(context: NegotiationContext, end: NegotiationEnd) -> dict[str, Any]:
    """A negotiation's record with NegMAS's keys for what Palaver knows of it
    (per position: the competitor, its utility function's value of the
    agreement, or its reserved value without one)."""
    scenario = context.scenario
    ufuns = [scenario.ufuns[j] for j in context.ufun_of]
    reserved = [_reserved(u) for u in ufuns]
    if end.agreement is not None:
        utilities = [float(u(end.agreement)) for u in ufuns]
    else:
        utilities = list(reserved)
    ranges = [u.minmax() for u in ufuns]
    mech = end.mechanism
    ids = [n.id for n in mech.negotiators] if mech is not None else []
    spec = context.spec
    return {
        "run_id": spec.negotiation_id,
        "scenario": scenario.name,
        "effective_scenario_name": scenario.name,
        "rep": spec.repetition,
        "partners": list(context.names),
        "negotiator_names": list(context.names),
        "negotiator_ids": ids,
        "negotiator_types": [type_path(c.resolve()) for c in context.competitors],
        "params": [dict(c.params) or None for c in context.competitors],
        "agreement": end.agreement,
        "utilities": utilities,
        "reserved_values": reserved,
        "min_utils": [float(r[0]) for r in ranges],
        "max_utils": [float(r[1]) for r in ranges],
        "n_negotiators": len(context.names),
        "step": end.rounds,
        "last_step": end.rounds,
        "n_steps": spec.n_steps,
        "time_limit": spec.time_limit,
        "execution_time": end.wall,
        "started": mech is not None,
        "running": False,
        "broken": end.status == "failure",
        "timedout": end.status in ("timeout", "hung"),
        "has_error": end.status == "error",
        "error_details": end.error,
        "erred_negotiator": end.erred or "",
        "mechanism_name": type(mech).__name__ if mech is not None else "SAOMechanism",
        "mechanism_type": type_path(type(mech)) if mech is not None else "",
        "scored_indices": None,
    }


def type_path(t: type) -> str:
    """``module.Class`` of a class."""
    return f"{t.__module__}.{t.__qualname__}"


def _reserved(ufun: Any) -> float:
    r = getattr(ufun, "reserved_value", None)
    return float(r) if r is not None else -math.inf
