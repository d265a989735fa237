"""The results folder: a manifest plus one Parquet part per finished world.

Layout of a results folder::

    manifest.json          config, fingerprint, root seed, versions, runs (executor, counts)
    worlds/<world_id>.parquet   one row per world: position, seed, status, error, timing
    scores/<world_id>.parquet   one row per agent: competitor, agent id, score
    stats/<world_id>.parquet    the world's statistics, one row per (stat, step)
    recordings/<world_id>/      each world's full recording (only when asked for)

Parts are written to a temporary name and renamed, the world part last, so a
world counts as finished exactly when its world part exists; a tournament killed
at any moment resumes from the worlds that finished.

The world part also says how many score and stats rows the world produced, so
the folder knows what it must contain: a finished world whose scores or stats
part is missing, damaged or short counts as not finished (it is listed by
:meth:`TournamentResults.problems`, left out of the ranking, and run again on
resume) instead of silently shrinking the ranking.
"""

from __future__ import annotations

import os
import platform
import shutil
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from palaver._util import jsontext
from palaver._util.atomic import clean_leftovers
from palaver._util.optional import frame_library
from palaver.events import display
from palaver.tournaments.config import TournamentConfig
from palaver.tournaments.integrity import write_checked_json, write_part
from palaver.tournaments.parts import (
    FORMAT_VERSION,
    LOCK_NAME,
    MANIFEST,
    PARTS,
    SCHEMAS,
    SCORE_SCHEMA,
    STATS_SCHEMA,
    WORLD_SCHEMA,
    TournamentFolderError,
    read_manifest,
    read_part,
    worlds_and_problems,
)
from palaver.tournaments.plan import WorldTask
from palaver.tournaments.play import DONE, FAILED, TIMED_OUT, WorldResult
from palaver.tournaments.ranking import ranking, win_matrix
from palaver.tournaments.seeds import new_root_seed

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FORMAT_VERSION",
    "LOCK_NAME",
    "MANIFEST",
    "SCORE_SCHEMA",
    "STATS_SCHEMA",
    "WORLD_SCHEMA",
    "ResultStore",
    "TournamentFolderError",
    "TournamentResults",
    "load_results",
    "read_manifest",
    "read_part",
]


def _versions(extra: tuple[str, ...] = ()) -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for package in ("palaver", "numpy", "pyarrow", *extra):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return versions


class ResultStore:
    """Writes a tournament's results folder as worlds finish (the runner's side)."""

    def __init__(self, root: Path, manifest: dict[str, Any]) -> None:
        self.root = root
        self.manifest = manifest

    @property
    def root_seed(self) -> int:
        """The root seed the tournament's world seeds derive from."""
        return int(self.manifest["root_seed"])

    @classmethod
    def open(
        cls, root: str | Path, config: TournamentConfig, overwrite: bool = False
    ) -> ResultStore:
        """Create the folder for ``config``, or reopen it to resume the same tournament.

        A folder holding a different tournament (another fingerprint), or files
        that are not a tournament, is refused unless ``overwrite`` is true; then
        the old tournament's files are removed (other files are left alone).
        """
        root = Path(root)
        manifest_path = root / MANIFEST
        # Temporary files of writers killed mid-write (never a live writer's: the
        # folder lock is held) are removed before anything is read.
        for folder in (root, *(root / p for p in PARTS)):
            clean_leftovers(folder)
        if manifest_path.exists():
            manifest = read_manifest(root)
            if manifest.get("fingerprint") == config.fingerprint():
                return cls(root, manifest)
            if not overwrite:
                raise TournamentFolderError(
                    f"{root} holds another tournament ({manifest.get('name')!r}, fingerprint "
                    f"{manifest.get('fingerprint')}, this one is {config.fingerprint()}); "
                    "pass overwrite=True (--overwrite) to replace it or choose another folder"
                )
            cls._clear(root)
        elif root.exists() and (held := _other_palaver_folder(root)) is not None:
            # overwrite=True left such a folder's files in place beside the new
            # tournament's, and then show, report and verify read the other one.
            raise TournamentFolderError(
                f"{root} holds {held}; a tournament's results cannot be written into it "
                "(not even with overwrite=True): choose another folder"
            )
        elif root.exists() and any(p.name != LOCK_NAME for p in root.iterdir()) and not overwrite:
            raise TournamentFolderError(
                f"{root} is not empty and holds no tournament manifest; choose an empty "
                "folder or pass overwrite=True (--overwrite) to write into it anyway"
            )
        for part in PARTS:
            (root / part).mkdir(parents=True, exist_ok=True)
        manifest = {
            "format_version": FORMAT_VERSION,
            "name": config.name,
            "fingerprint": config.fingerprint(),
            "root_seed": config.seed if config.seed is not None else new_root_seed(),
            "config": config.to_dict(),
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "versions": _versions(),
            "runs": [],
        }
        write_checked_json(manifest_path, manifest)
        return cls(root, manifest)

    @staticmethod
    def _clear(root: Path) -> None:
        for name in (*PARTS, "recordings"):
            shutil.rmtree(root / name, ignore_errors=True)
        (root / MANIFEST).unlink()

    def statuses(self) -> dict[str, str]:
        """The status of every world that has a complete result, by world id (a world
        whose parts are missing or damaged is left out, so a resume runs it again)."""
        worlds, problems = worlds_and_problems(self.root)
        ids, statuses = worlds.column("world_id").to_pylist(), worlds.column("status").to_pylist()
        return {w: s for w, s in zip(ids, statuses, strict=True) if w not in problems}

    def start_run(self, n_worlds: int, n_pending: int, executor: dict[str, Any]) -> None:
        """Note in the manifest that a run (first or resumed) started."""
        self.manifest["n_worlds"] = n_worlds
        self.manifest["runs"].append(
            {
                "started": datetime.now(UTC).isoformat(timespec="seconds"),
                "pending": n_pending,
                "executor": executor,
                "versions": _versions(("ray",) if executor.get("name") == "ray" else ()),
            }
        )
        write_checked_json(self.root / MANIFEST, self.manifest)

    def finish_run(self, counts: dict[str, int]) -> None:
        """Note in the manifest how the current run ended."""
        run = self.manifest["runs"][-1]
        run["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
        run["counts"] = counts
        write_checked_json(self.root / MANIFEST, self.manifest)

    def write(self, task: WorldTask, result: WorldResult) -> None:
        """Store one world's result (scores and stats first, the world row last)."""
        name = f"{task.world_id}.parquet"
        digests: dict[str, str | None] = {"scores": None, "stats": None}
        if result.scores:
            table = self._score_table(task, result)
            digests["scores"] = write_part(table, self.root / "scores" / name)
        if result.stats:
            table = self._stats_table(task, result)
            digests["stats"] = write_part(table, self.root / "stats" / name)
        world = self._world_table(task, result, digests)
        write_part(world, self.root / "worlds" / name)

    @staticmethod
    def _world_table(task: WorldTask, r: WorldResult, digests: dict[str, str | None]) -> pa.Table:
        row = {
            "world_id": task.world_id,
            "index": task.index,
            "lineup_index": task.lineup_index,
            "config_index": task.config_index,
            "repetition": task.repetition,
            "lineup": list(task.lineup),
            "sweep_params": jsontext.dumps(task.sweep_params, sort_keys=True, default=repr),
            "seed": task.seed,
            "status": r.status,
            "error": r.error,
            "duration_s": r.duration,
            "n_steps": r.n_steps,
            "current_step": r.current_step,
            "finished_at": r.finished_at,
            "n_scores": len(r.scores),
            "n_stats": len(r.stats),
            "scores_sha256": digests["scores"],
            "stats_sha256": digests["stats"],
        }
        return pa.Table.from_pylist([row], schema=WORLD_SCHEMA)

    @staticmethod
    def _score_table(task: WorldTask, r: WorldResult) -> pa.Table:
        position = {
            "world_id": task.world_id,
            "lineup_index": task.lineup_index,
            "config_index": task.config_index,
            "repetition": task.repetition,
        }
        rows = [
            {
                **position,
                "slot": s.slot,
                "competitor": s.competitor,
                "copy": s.copy,
                "agent_id": s.agent_id,
                "score": s.score,
            }
            for s in r.scores
        ]
        return pa.Table.from_pylist(rows, schema=SCORE_SCHEMA)

    @staticmethod
    def _stats_table(task: WorldTask, r: WorldResult) -> pa.Table:
        rows = [
            {
                "world_id": task.world_id,
                "stat": s.stat,
                "step": s.step,
                "value": s.value,
                "text": s.text,
            }
            for s in r.stats
        ]
        return pa.Table.from_pylist(rows, schema=STATS_SCHEMA)


class TournamentResults:
    """A results folder, read: manifest, per-world and per-agent frames, ranking.

    Frames are pandas DataFrames (pandas is imported only when a frame is asked
    for: ``pip install palaver[frames]``); :meth:`table` gives Arrow tables.
    """

    def __init__(self, root: str | Path) -> None:
        if not isinstance(root, str | os.PathLike):
            # The class is public too: Path() said only "expected str, bytes or os.PathLike".
            raise TypeError(
                f"root must be a str or a path (os.PathLike) to a tournament results folder, "
                f"got {root!r:.80} ({type(root).__name__})"
            )
        self.root = Path(root)
        if not (self.root / MANIFEST).exists():
            # Say what the folder is instead (or that it is not there), with the call
            # that reads it, rather than only that a manifest is missing.
            other = _other_palaver_folder(self.root) if self.root.is_dir() else None
            if not self.root.exists():
                why = "it does not exist"
            elif other is not None and other.startswith("a negotiation"):
                why = (
                    f"it holds {other}: read it with "
                    "palaver.tournaments.negotiation.load_negotiation_results"
                )
            elif other is not None:
                why = f"it holds {other}: read it with palaver.recording.open"
            else:
                why = f"{MANIFEST} is missing"
            raise TournamentFolderError(f"{self.root} holds no tournament ({why})")
        self.manifest: dict[str, Any] = read_manifest(self.root)

    def table(self, part: str) -> pa.Table:
        """``"worlds"``, ``"scores"`` or ``"stats"`` as an Arrow table, sorted by world."""
        if not isinstance(part, str) or part not in SCHEMAS:  # a list: not "unhashable type"
            raise ValueError(f"part must be one of {sorted(SCHEMAS)}, got {part!r}")
        return read_part(self.root, part)

    def worlds(self) -> pd.DataFrame:
        """One row per world with a result: position, line-up, seed, status, error, timing."""
        frame_library("pandas", "results.worlds()", 'results.table("worlds") gives an Arrow table')
        return self.table("worlds").to_pandas()

    def scores(self) -> pd.DataFrame:
        """One row per agent of each finished world: competitor, agent id, score."""
        frame_library("pandas", "results.scores()", 'results.table("scores") gives an Arrow table')
        return self.table("scores").to_pandas()

    def stats(self) -> pd.DataFrame:
        """The statistics of each finished world, one row per (world, stat, step)."""
        frame_library("pandas", "results.stats()", 'results.table("stats") gives an Arrow table')
        return self.table("stats").to_pandas()

    def problems(self) -> dict[str, str]:
        """What is wrong with each world whose results are incomplete, by world id: a
        world part that cannot be read, or a finished world's scores or stats part
        missing, damaged or short. Such worlds count as missing and run again on resume."""
        return worlds_and_problems(self.root)[1]

    def counts(self) -> dict[str, int]:
        """How many worlds are planned, done, failed, timed out and still missing
        (a world with incomplete results counts as missing; see :meth:`problems`)."""
        worlds, problems = worlds_and_problems(self.root)
        ids, statuses = worlds.column("world_id").to_pylist(), worlds.column("status").to_pylist()
        kept = [s for w, s in zip(ids, statuses, strict=True) if w not in problems]
        planned = int(self.manifest.get("n_worlds", len(kept)))
        counts = {s: kept.count(s) for s in (DONE, FAILED, TIMED_OUT)}
        return {"planned": planned, **counts, "missing": planned - len(kept)}

    def ranking(self) -> pd.DataFrame:
        """Mean score per competitor with a 95% confidence interval, best first."""
        frame_library(
            "pandas",
            "results.ranking()",
            "palaver.tournaments.standings(results.table('scores')) ranks without it",
        )
        return ranking(self.table("scores"))

    def win_matrix(self) -> pd.DataFrame:
        """Share of shared worlds in which the row competitor beat the column one."""
        frame_library(
            "pandas",
            "results.win_matrix()",
            "palaver.tournaments.win_rates(results.table('scores')) computes it without pandas",
        )
        return win_matrix(self.table("scores"))

    def _repr_html_(self) -> str:
        """Notebook display: counts, ranking and its plot (drawn by palaver.report
        when installed; see palaver.events.display)."""
        return display.html("tournament", self)


def _other_palaver_folder(root: Path) -> str | None:
    """What else of Palaver's ``root`` holds (a negotiation tournament, a recording), if any."""
    from palaver.tournaments.negotiation.folder import is_negotiation_folder

    if is_negotiation_folder(root):
        return "a negotiation tournament (tournament.json)"
    if (root / "events").is_dir():
        return "a recording (events/)"
    held = next((p for p in root.glob("simulation_*") if (p / "events").is_dir()), None)
    return None if held is None else f"a recording ({held.name})"


def load_results(root: str | Path) -> TournamentResults:
    """Open a tournament results folder for reading (``TypeError`` naming ``root``
    when it is not a str or a path): ``TournamentResults(root)``."""
    return TournamentResults(root)
