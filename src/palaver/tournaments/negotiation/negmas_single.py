"""One negotiation of a NegMAS-style cartesian tournament, run on its own.

NegMAS's ``run_negotiation`` and its helper ``_make_mechanism`` (which NegMAS
users' code imports from ``negmas.tournaments.neg.simple.cartesian``): build
a mechanism with one negotiator per partner on a scenario, run it, and return
the negotiation's record with NegMAS's keys (the ones
:func:`~palaver.tournaments.negotiation.negmas_hooks.negmas_record` gives a
tournament's ``after_end_callback``). With a ``path``, the history goes to
``negotiations/<run_id>.<format>`` and the record to
``results/<run_id>.json``, as in a NegMAS tournament folder.

A tournament does not run its negotiations through here (its workers build
whole batches of them); these are for code that runs one negotiation the
NegMAS way. The caller's ``mechanism_params`` and ``annotation`` are never
changed, so concurrent calls can share them.
"""

from __future__ import annotations

import json
import time
import traceback
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from palaver.mechanisms import SAOMechanism
from palaver.tournaments.negotiation.callbacks import NegotiationContext, NegotiationEnd
from palaver.tournaments.negotiation.competitors import NegotiationCompetitor
from palaver.tournaments.negotiation.negmas_folder import (
    optimization_level,
    plain_data,
    storage_format_of,
)
from palaver.tournaments.negotiation.negmas_hooks import negmas_record, type_path
from palaver.tournaments.negotiation.plan import NegotiationSpec

__all__ = ["make_mechanism", "run_negotiation"]

#: NegMAS's ``run_negotiation`` keywords this one does not support, with their
#: defaults (any other value is refused: what it asks for would not happen).
_UNSUPPORTED: dict[str, Any] = {
    "plot": False,
    "plot_params": None,
    "stats": None,
    "before_start_callback": None,
    "after_construction_callback": None,
    "after_end_callback": None,
    "neg_start_callback": None,
    "neg_end_callback": None,
    "neg_progress_callback": None,
    "save_negotiations_as_folders": False,
    "opponent_modeling_metrics": (),
}
#: Keywords accepted because they cannot change what happens here.
_NO_EFFECT = frozenset(
    {"n_repetitions", "config", "image_format", "distribute_opponent_modeling_scores"}
)
_FOLDERS = ("negotiations", "plots", "results")


def _negotiator_name(negotiator: Any, full_names: bool) -> str:
    name = negotiator.type_name if full_names else negotiator.short_type_name
    return str(name or type_path(type(negotiator)))


def make_mechanism(
    s: Any,
    partners: Sequence[type],
    partner_names: Sequence[str] | None = None,
    partner_params: Sequence[Mapping[str, Any] | None] | None = None,
    rep: int = 0,
    path: Path | str | None = None,
    mechanism_type: type | None = None,
    mechanism_params: Mapping[str, Any] | None = None,
    full_names: bool = True,
    verbosity: int = 0,
    run_id: int | str | None = None,
    annotation: Mapping[str, Any] | None = None,
    private_infos: Sequence[Mapping[str, Any] | None] | None = None,
    id_reveals_type: bool = False,
    name_reveals_type: bool = True,
    mask_scenario_name: bool = True,
    ignore_exceptions: bool = False,
) -> tuple[Any, dict[str, Any], Any, str | None]:
    """A mechanism on scenario ``s`` with one new negotiator per class in ``partners``.

    Returns NegMAS's ``(mechanism, failures, scenario, scenario_name)``.
    ``failures`` is empty, or (with ``ignore_exceptions``, when a negotiator
    could not be built) holds ``erred_negotiator``, ``error_details`` and
    ``has_error``, and no negotiator joined. With ``mask_scenario_name`` the
    mechanism is named after ``run_id`` rather than the scenario.
    Negotiators are named ``<name>@<position>`` (their id too), unless neither
    ``id_reveals_type`` nor ``name_reveals_type``: then ``n<position>@<run_id>``.
    ``annotation`` (a copy) gets ``rep``; ``verbosity`` has no effect.
    """
    if path is not None:
        for folder in _FOLDERS:
            (Path(path) / folder).mkdir(parents=True, exist_ok=True)
    real_name = getattr(s.outcome_space, "name", None)
    run_id = str(run_id) if run_id else f"run{time.time_ns()}"
    n = len(partners)
    params = [dict(p or {}) for p in (partner_params or [None] * n)]
    infos = [dict(i or {}) for i in (private_infos or [None] * n)]
    options = {
        **(getattr(s, "mechanism_params", None) or {}),
        **(mechanism_params or {}),
        "name": run_id if mask_scenario_name else real_name,
        "annotation": {**(annotation or {}), "rep": rep},
    }
    mechanism = (mechanism_type or SAOMechanism)(outcome_space=s.outcome_space, **options)
    negotiators = []
    for cls, p, info in zip(partners, params, infos, strict=True):
        try:
            negotiators.append(cls(**p, private_info=info))
        except Exception as e:
            if not ignore_exceptions:
                raise
            failure = {
                "erred_negotiator": type_path(cls),
                "error_details": str(e),
                "has_error": True,
            }
            return mechanism, failure, s, real_name
    names = list(partner_names or [_negotiator_name(x, full_names) for x in negotiators])
    for position, (negotiator, name, ufun) in enumerate(
        zip(negotiators, names, s.ufuns, strict=True)
    ):
        revealing = id_reveals_type or name_reveals_type
        negotiator.id = negotiator.name = (
            f"{name}@{position}" if revealing else f"n{position}@{run_id}"
        )
        if not mechanism.add(negotiator, ufun=ufun):
            raise RuntimeError(f"negotiator {negotiator.id!r} refused to join")
    return mechanism, {}, s, real_name


def run_negotiation(
    s: Any,
    partners: Sequence[type],
    run_id: int | str,
    partner_names: Sequence[str] | None = None,
    partner_params: Sequence[Mapping[str, Any] | None] | None = None,
    rep: int = 0,
    path: Path | str | None = None,
    mechanism_type: type | None = None,
    mechanism_params: Mapping[str, Any] | None = None,
    full_names: bool = True,
    verbosity: int = 0,
    annotation: Mapping[str, Any] | None = None,
    private_infos: Sequence[Mapping[str, Any] | None] | None = None,
    id_reveals_type: bool = False,
    name_reveals_type: bool = True,
    mask_scenario_name: bool = True,
    ignore_exceptions: bool = False,
    scored_indices: Sequence[int] | None = None,
    scenario_index: int = 0,
    storage_optimization: str = "space",
    storage_format: str | None = None,
    **negmas_options: Any,
) -> dict[str, Any]:
    """Run one negotiation of ``partners`` on ``s`` and return its NegMAS record.

    The arguments are :func:`make_mechanism`'s; ``storage_optimization`` and
    ``storage_format`` choose the history's file format (NegMAS's names). An
    exception while running ends the negotiation with ``has_error`` when
    ``ignore_exceptions``, and is raised otherwise. NegMAS's plotting, stats
    and callback keywords are refused (``ValueError``) unless left at their
    defaults.
    """
    for key, value in negmas_options.items():
        if key in _NO_EFFECT:
            continue
        if key not in _UNSUPPORTED:
            raise TypeError(f"run_negotiation() got an unexpected keyword argument {key!r}")
        if value != _UNSUPPORTED[key]:
            raise ValueError(f"run_negotiation: {key}={value!r} is not supported; leave it out")
    level = optimization_level("storage_optimization", storage_optimization)
    file_format = storage_format_of(storage_format, level)
    params = dict(mechanism_params or {})
    if ignore_exceptions:
        params.setdefault("ignore_negotiator_exceptions", True)
    mechanism, failure, s, real_name = make_mechanism(
        s, partners, partner_names, partner_params, rep, path, mechanism_type, params,
        full_names, verbosity, run_id, annotation, private_infos, id_reveals_type,
        name_reveals_type, mask_scenario_name, ignore_exceptions,
    )  # fmt: skip
    names = tuple(partner_names or [n.name.rpartition("@")[0] for n in mechanism.negotiators])
    start = time.perf_counter()
    status, error, erred = (
        "error",
        failure.get("error_details", ""),
        failure.get("erred_negotiator"),
    )
    if not failure:
        try:
            state = mechanism.run()
            status, error, erred = state.result, state.error_details, state.erred_negotiator or None
        except Exception:
            if not ignore_exceptions:
                raise
            error = traceback.format_exc(limit=-4)
    state = mechanism.state
    agreement = state.agreement if status != "error" else None
    end = NegotiationEnd(
        status, agreement, state.step, error, erred, time.perf_counter() - start, mechanism
    )
    limits = mechanism.nmi
    spec = NegotiationSpec(
        str(run_id), 0, scenario_index, 0, tuple(range(len(partners))), rep,
        limits.n_steps, limits.time_limit if limits.time_limit != float("inf") else None, 0,
    )  # fmt: skip
    competitors = tuple(
        NegotiationCompetitor(cls, dict(p or {}), name)
        for cls, p, name in zip(
            partners, partner_params or [None] * len(partners), names, strict=False
        )
    )
    context = NegotiationContext(spec, s, names, competitors, tuple(range(len(partners))))
    record = negmas_record(context, end)
    record.update(
        scenario=real_name,
        effective_scenario_name=mechanism.name,
        scored_indices=None if scored_indices is None else list(scored_indices),
    )
    if path is not None:
        root = Path(path)
        if mechanism.negotiators:
            mechanism.save(
                root / "negotiations", str(run_id), single_file=True, storage_format=file_format
            )
        (root / "results" / f"{run_id}.json").write_text(json.dumps(plain_data(record), indent=2))
    return record
