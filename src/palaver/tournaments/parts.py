"""The files of a results folder: their schemas, and reading them with integrity checks.

See :mod:`palaver.tournaments.results` for the layout. Reading never trusts a
file blindly: a part that cannot be read is named, and a finished world whose
scores or stats part is missing, damaged or short is reported as incomplete.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from palaver.tournaments.play import DONE

MANIFEST = "manifest.json"
LOCK_NAME = ".lock"
FORMAT_VERSION = 1
PARTS = ("worlds", "scores", "stats")

WORLD_SCHEMA = pa.schema(
    [
        ("world_id", pa.string()),
        ("index", pa.int64()),
        ("lineup_index", pa.int32()),
        ("config_index", pa.int32()),
        ("repetition", pa.int32()),
        ("lineup", pa.list_(pa.string())),
        ("sweep_params", pa.string()),
        ("seed", pa.int64()),
        ("status", pa.string()),
        ("error", pa.string()),
        ("duration_s", pa.float64()),
        ("n_steps", pa.int64()),
        ("current_step", pa.int64()),
        ("finished_at", pa.string()),
        ("n_scores", pa.int64()),
        ("n_stats", pa.int64()),
    ]
)
"""Columns of ``worlds/`` (``sweep_params`` is the JSON of the swept parameters;
``n_scores`` / ``n_stats`` the rows its other parts hold, null in folders written
before they were recorded)."""

SCORE_SCHEMA = pa.schema(
    [
        ("world_id", pa.string()),
        ("lineup_index", pa.int32()),
        ("config_index", pa.int32()),
        ("repetition", pa.int32()),
        ("slot", pa.int32()),
        ("competitor", pa.string()),
        ("copy", pa.int32()),
        ("agent_id", pa.string()),
        ("score", pa.float64()),
    ]
)
"""Columns of ``scores/``: one row per agent of a finished world."""

STATS_SCHEMA = pa.schema(
    [
        ("world_id", pa.string()),
        ("stat", pa.string()),
        ("step", pa.int32()),
        ("value", pa.float64()),
        ("text", pa.string()),
    ]
)
"""Columns of ``stats/``: ``step`` is -1 for a statistic that is a single value."""


class TournamentFolderError(RuntimeError):
    """The results folder holds something else than this tournament."""


SCHEMAS = {"worlds": WORLD_SCHEMA, "scores": SCORE_SCHEMA, "stats": STATS_SCHEMA}


def read_files(root: Path, part: str) -> tuple[pa.Table, dict[str, str]]:
    """The readable rows of one part and, by world id, the files that could not be read."""
    found = sorted((root / part).glob("*.parquet"))
    schema = SCHEMAS[part]
    # A FIFO or a device in a part would block the read forever: named, never opened.
    damaged = {f.stem: f"{part}/{f.name} is not a regular file" for f in found if not f.is_file()}
    files = [f for f in found if f.is_file()]
    if not damaged:
        try:
            dataset = ds.dataset([str(f) for f in files], schema=schema, format="parquet")
            return dataset.to_table(), {}
        except (pa.ArrowException, OSError):
            pass  # one file at a time, to name the damaged ones and keep the rest
    tables = []
    for f in files:
        try:
            tables.append(ds.dataset(str(f), schema=schema, format="parquet").to_table())
        except (pa.ArrowException, OSError) as exc:
            damaged[f.stem] = f"{part}/{f.name} cannot be read ({type(exc).__name__})"
    table = pa.concat_tables(tables) if tables else schema.empty_table()
    return table, damaged


def worlds_and_problems(root: Path) -> tuple[pa.Table, dict[str, str]]:
    """The readable world rows and what is wrong with each incomplete world, by id."""
    worlds, problems = read_files(root, "worlds")
    data = worlds.select(["world_id", "status", "n_scores", "n_stats"]).to_pydict()
    for world, status, n_scores, n_stats in zip(*data.values(), strict=True):
        if status != DONE:
            continue
        for part, expected in (("scores", n_scores), ("stats", n_stats)):
            if not expected:  # none written, or a folder from before the counts were kept
                continue
            path = root / part / f"{world}.parquet"
            if path.exists() and not path.is_file():
                problems[world] = f"{part}/{path.name} is not a regular file"
                break
            try:
                rows = pq.read_metadata(path).num_rows
            except FileNotFoundError:
                problems[world] = f"{part}/{path.name} is missing"
                break
            except (pa.ArrowException, OSError) as exc:
                problems[world] = f"{part}/{path.name} cannot be read ({type(exc).__name__})"
                break
            if rows != expected:
                problems[world] = f"{part}/{path.name} holds {rows} rows, not {expected}"
                break
    return worlds, problems


def read_part(root: str | Path, part: str, columns: list[str] | None = None) -> pa.Table:
    """All readable rows of one kind (``"worlds"``, ``"scores"`` or ``"stats"``) as an
    Arrow table, sorted by world; scores and stats only of worlds whose results are
    complete (see :meth:`TournamentResults.problems`)."""
    root = Path(root)
    if part == "worlds":
        table, _ = read_files(root, part)
    else:
        worlds, problems = worlds_and_problems(root)
        table, _ = read_files(root, part)
        complete = [
            w
            for w, s in zip(
                worlds.column("world_id").to_pylist(),
                worlds.column("status").to_pylist(),
                strict=True,
            )
            if s == DONE and w not in problems
        ]
        table = table.filter(pc.is_in(table["world_id"], pa.array(complete, pa.string())))
    if columns is not None:
        table = table.select(columns)
    return table.sort_by("world_id") if "world_id" in table.column_names else table


def read_manifest(root: Path) -> dict[str, Any]:
    """A results folder's manifest, or :class:`TournamentFolderError` saying what it is instead."""
    path = root / MANIFEST
    if not path.is_file():
        raise TournamentFolderError(f"{root} holds no tournament ({MANIFEST} is missing)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise TournamentFolderError(f"{path} cannot be read ({exc})") from None
    if not isinstance(manifest, dict):
        raise TournamentFolderError(f"{path} is not a tournament manifest")
    if "simulation_id" in manifest:
        raise TournamentFolderError(
            f"{root} is a recording, not a tournament results folder; use: palaver inspect {root}"
        )
    missing = [k for k in ("name", "fingerprint", "root_seed") if k not in manifest]
    if missing:
        raise TournamentFolderError(f"{path} is not a tournament manifest (no {missing})")
    return manifest
