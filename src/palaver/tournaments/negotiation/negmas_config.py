"""The configuration NegMAS's ``cartesian_tournament`` records (``results.config``).

It holds every keyword of the call that is data (callbacks are recorded as
``has_<name>`` flags, scenarios by count), NegMAS's derived entries
(``n_scenarios``, ``n_competitors``, ``competitor_names``,
``competitor_type_map``, ``n_opponents``, ...) and, over them, Palaver's
setup of the tournament (the checked values it ran with: ``seed``,
``mechanism_params`` without the limits given as keywords, ``n_steps``
``None`` for unlimited, ...), all as plain data (a function by its name).
The same configuration is passed to the
callbacks that take one and written to ``config.yaml`` with a ``path``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from palaver.tournaments.negotiation.negmas_folder import plain_data
from palaver.tournaments.negotiation.negmas_hooks import call_with_config

__all__ = ["CALLBACKS", "negmas_config", "report_progress"]

#: NegMAS's callback keywords and the flag each is recorded as.
CALLBACKS = {
    "before_start_callback": "has_before_start_callback",
    "after_construction_callback": "has_after_construction_callback",
    "after_end_callback": "has_after_end_callback",
    "progress_callback": "has_progress_callback",
    "neg_progress_callback": "has_neg_progress_callback",
    "neg_start_callback": "has_start_callback",
    "neg_end_callback": "has_end_callback",
}

_NOT_RECORDED = {"competitors", "scenarios", "opponents", *CALLBACKS}


def negmas_config(given: Mapping[str, Any], setup: Mapping[str, Any]) -> dict[str, Any]:
    """The configuration of a call whose keywords are ``given`` (NegMAS's
    names) and that Palaver ran with ``setup`` (see module doc)."""
    config = {k: v for k, v in given.items() if k not in _NOT_RECORDED}
    for name, flag in CALLBACKS.items():
        config[flag] = given.get(name) is not None
    names = list(setup.get("competitors", ()))
    types = list(setup.get("competitor_types", ()))
    opponents = list(setup.get("opponents", ()))
    config.update(
        n_scenarios=len(setup.get("scenarios", ())),
        n_competitors=len(names),
        competitor_names=names,
        competitor_type_map=dict(zip(names, types, strict=True)),
        opponents=opponents or None,
        n_opponents=len(opponents),
        opponent_names=opponents,
        opponent_type_map=dict(zip(opponents, setup.get("opponent_types", ()), strict=True)),
        path=None if given.get("path") is None else str(given["path"]),
    )
    config.update(setup)
    config["final_score"] = list(given.get("final_score", setup.get("final_score", ())))
    config["metadata"] = dict(given.get("metadata") or {})
    # Plain data, as NegMAS serializes it: functions (aggregated metrics) by
    # name, so the configuration pickles to workers and writes as YAML.
    plain: dict[str, Any] = plain_data(config)
    return plain


def report_progress(
    callback: Callable[..., Any] | None, config: Mapping[str, Any], stage: int, message: str
) -> None:
    """Call NegMAS's ``progress_callback(message, stage, 4[, config])``: stages
    1 (competitors loaded), 2 (each scenario processed), 3 (negotiations
    starting) and 4 (all completed), as NegMAS reports them."""
    if callback is not None:
        call_with_config(callback, config, message, stage, 4)
