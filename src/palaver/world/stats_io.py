"""``save_stats``: a finished world's tables written to a folder, as NegMAS's does."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from palaver.world.contracts import to_flat_dict

if TYPE_CHECKING:
    from palaver.world.world import World

__all__ = ["save_stats"]


def _plain(value: Any) -> Any:
    """A JSON value for ``value``: non-finite numbers as text (strict JSON), others by ``str``."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(_plain(value), indent=2), encoding="utf-8")


def _write_rows(path: Path, rows: list[dict[str, Any]]) -> None:
    import pandas as pd

    if rows:
        pd.DataFrame(rows).to_csv(path, index=True, index_label="index")
    else:
        path.write_text("", encoding="utf-8")  # NegMAS writes an empty file too


def save_stats(
    world: World[Any, Any],
    log_dir: str | os.PathLike[str],
    params: dict[str, Any] | None = None,
    stats_file_name: str | None = None,
) -> None:
    """Write ``world``'s statistics and records into ``log_dir`` (created if needed).

    The files are NegMAS's: ``agents.json`` (per agent: ``id``, ``name``,
    ``type``, ``short_type``, ``negs_initiated``, ``neg_requests_sent``),
    ``params.json`` (``params``, default the world's ``params`` with every
    value made JSON), ``info.json`` (``world.info``), ``<stats_file_name>.csv``
    (default ``stats``: one row per step), ``negotiations.csv``,
    ``contracts.csv`` (signed, then cancelled) and ``breaches.csv`` (each
    empty when nothing was kept). Needs pandas.
    """
    folder = Path(log_dir)
    folder.mkdir(parents=True, exist_ok=True)
    initiated, sent = world.negs_initiated, world.neg_requests_sent
    agents = {
        aid: {
            "id": a.id,
            "name": a.name,
            "type": a.type_name,
            "short_type": a.short_type_name,
            "negs_initiated": initiated[aid],
            "neg_requests_sent": sent[aid],
        }
        for aid, a in world.agents.items()
    }
    _write_json(folder / "agents.json", agents)
    _write_json(folder / "params.json", world.params if params is None else params)
    if world.info:
        _write_json(folder / "info.json", world.info)
    world.stats_df.to_csv(folder / f"{stats_file_name or 'stats'}.csv", index_label="index")
    _write_rows(folder / "negotiations.csv", [to_flat_dict(n) for n in world.saved_negotiations])
    contracts = [*world.saved_contracts, *world.cancelled_contracts]
    _write_rows(folder / "contracts.csv", [world.contract_record(c) for c in contracts])
    _write_rows(folder / "breaches.csv", [world.breach_record(b) for b in world.saved_breaches])
