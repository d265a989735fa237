"""The files of a results folder: their schemas, and reading them with integrity checks.

See :mod:`palaver.tournaments.results` for the layout. Reading never trusts a
file blindly: a part that cannot be read is named, and a finished world whose
scores or stats part is missing, damaged or short is reported as incomplete.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from palaver.tournaments.integrity import SCAN, file_digest, read_checked_json
from palaver.tournaments.play import DONE

MANIFEST = "manifest.json"
LOCK_NAME = ".lock"
FORMAT_VERSION = 2
#: Versions this Palaver reads (1: no checksums yet).
READABLE_VERSIONS = (1, 2)
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
        ("scores_sha256", pa.string()),
        ("stats_sha256", pa.string()),
    ]
)
"""Columns of ``worlds/`` (``sweep_params`` is the JSON of the swept parameters;
``n_scores`` / ``n_stats`` the rows its other parts hold and ``scores_sha256`` /
``stats_sha256`` their SHA-256, null in folders written before they were recorded)."""

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
    fmt = ds.ParquetFileFormat(default_fragment_scan_options=SCAN)
    # A FIFO or a device in a part would block the read forever: named, never opened.
    damaged = {f.stem: f"{part}/{f.name} is not a regular file" for f in found if not f.is_file()}
    files = [f for f in found if f.is_file()]
    if not damaged:
        try:
            table = ds.dataset([str(f) for f in files], schema=schema, format=fmt).to_table()
            return _own_rows(table, part, files), {}
        except (pa.ArrowException, OSError, ValueError):
            pass  # one file at a time, to name the damaged ones and keep the rest
    tables = []
    for f in files:
        try:
            one = ds.dataset(str(f), schema=schema, format=fmt).to_table()
        except (pa.ArrowException, OSError, ValueError) as exc:
            damaged[f.stem] = f"{part}/{f.name} cannot be read ({type(exc).__name__})"
            continue
        try:
            tables.append(_own_rows(one, part, [f]))
        except ValueError as exc:
            damaged[f.stem] = str(exc)
    table = pa.concat_tables(tables) if tables else schema.empty_table()
    return table, damaged


def _own_rows(table: pa.Table, part: str, files: list[Path]) -> pa.Table:
    """``table`` when every row belongs to the world its file is named after (a
    damaged world id would otherwise pass for another world's result)."""
    if len(files) == 1 and table.num_rows:
        ids = set(table.column("world_id").to_pylist())
        if ids != {files[0].stem}:
            raise ValueError(
                f"{part}/{files[0].name} holds rows of {sorted(map(str, ids))}, not of "
                f"{files[0].stem} (a copy of another world's part, or a damaged world id)"
            )
    elif table.num_rows:
        ids = table.column("world_id").to_pylist()
        # Every file holds rows of its own world only: a copy of one world's part
        # under another name passed the subset test and counted that world twice
        # ("2 done" of 1 planned, "-1 not run yet"). One file at a time names it.
        if set(ids) != {f.stem for f in files} or (part == "worlds" and len(ids) != len(files)):
            raise ValueError(f"{part}: a part holds rows of another world")
    return table


def worlds_and_problems(root: Path) -> tuple[pa.Table, dict[str, str]]:
    """The readable world rows and what is wrong with each incomplete world, by id.

    A world the tournament does not plan (its manifest's ``n_worlds``; a part
    copied from a larger tournament) is listed too, and so left out: it was
    counted as done ("2 done" of 1 planned, "-1 not run yet") and ranked.
    """
    worlds, problems = read_files(root, "worlds")
    planned = _planned(root)
    columns = ["world_id", "status", "n_scores", "n_stats", "scores_sha256", "stats_sha256"]
    data = worlds.select(columns).to_pydict()
    for world, status, n_scores, n_stats, h_scores, h_stats in zip(*data.values(), strict=True):
        if planned is not None and world not in planned:
            problems[world] = (
                f"worlds/{world}.parquet is not a world of this tournament (it plans "
                f"{len(planned)}: {_span(planned)}); it is left out of the results"
            )
            continue
        if status != DONE:
            continue
        for part, expected, digest in (("scores", n_scores, h_scores), ("stats", n_stats, h_stats)):
            if not expected:  # none written, or a folder from before the counts were kept
                continue
            problem = _part_problem(root / part / f"{world}.parquet", part, expected, digest)
            if problem is not None:
                problems[world] = problem
                break
    return worlds, problems


def _planned(root: Path) -> set[str] | None:
    """The ids of the worlds the manifest plans (``None``: it does not say yet)."""
    try:
        n = read_manifest(root).get("n_worlds")
    except (TournamentFolderError, OSError, ValueError):
        return None  # named by whatever reads the manifest itself
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        return None
    return {f"w{i:06d}" for i in range(n)}


def _span(ids: set[str]) -> str:
    return f"{min(ids)} to {max(ids)}" if ids else "none"


def _part_problem(path: Path, part: str, expected: int, digest: str | None) -> str | None:
    """What is wrong with a finished world's scores or stats part (``None``: nothing)."""
    name = f"{part}/{path.name}"
    if path.exists() and not path.is_file():
        return f"{name} is not a regular file"
    try:
        if digest is not None:
            if file_digest(path) != digest:
                return f"{name} is damaged (checksum mismatch)"
            return None
        rows = pq.read_metadata(path).num_rows
    except FileNotFoundError:
        return f"{name} is missing"
    except (pa.ArrowException, OSError) as exc:
        return f"{name} cannot be read ({type(exc).__name__})"
    if rows != expected:
        return f"{name} holds {rows} rows, not {expected}"
    return None


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


def _unchecked(manifest: dict[str, Any]) -> bool:
    """A manifest without a checksum that is reported as what it is below (a
    version 1 results folder's, a recording's, or no results manifest at all),
    not as a damaged one."""
    return manifest.get("format_version", 1) == 1 or "simulation_id" in manifest


def read_manifest(root: Path) -> dict[str, Any]:
    """A results folder's manifest, or :class:`TournamentFolderError` saying what it is instead."""
    path = root / MANIFEST
    if not path.exists():
        raise TournamentFolderError(f"{root} holds no tournament ({MANIFEST} is missing)")
    manifest = read_checked_json(path, TournamentFolderError, legacy=_unchecked)
    if "simulation_id" in manifest:
        raise TournamentFolderError(
            f"{root} is a recording, not a tournament results folder; use: palaver inspect {root}"
        )
    if manifest.get("format_version") not in READABLE_VERSIONS:
        raise TournamentFolderError(
            f"{path} is not a tournament manifest this Palaver reads (format version "
            f"{manifest.get('format_version')!r}; it reads {list(READABLE_VERSIONS)})"
        )
    missing = [k for k in ("name", "fingerprint", "root_seed") if k not in manifest]
    if missing:
        raise TournamentFolderError(f"{path} is not a tournament manifest (no {missing})")
    return manifest
