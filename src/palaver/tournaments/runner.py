"""``run_tournament``: validate, plan, skip what is finished, run the rest, record as it goes."""

from __future__ import annotations

import os
import sys
import warnings
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from palaver.tournaments.config import TournamentConfig, TournamentConfigError, as_config
from palaver.tournaments.executors import EXECUTORS, Executor, make_executor
from palaver.tournaments.lock import FolderLock
from palaver.tournaments.parts import worlds_and_problems
from palaver.tournaments.plan import WorldTask, plan_worlds
from palaver.tournaments.play import DONE, Job, WorldResult
from palaver.tournaments.progress import TournamentProgress
from palaver.tournaments.results import ResultStore, TournamentResults
from palaver.tournaments.vetting import VettingError, check_allowed_packages


class TournamentWarning(UserWarning):
    """Something in the results folder needed repair (the message says what)."""


def _check_recorder() -> None:
    try:
        from palaver.recording import SimulationRecorder  # noqa: F401
    except ImportError as exc:
        raise RuntimeError(
            f"recordings were asked for but palaver.recording cannot be imported ({exc})"
        ) from exc


def run_tournament(
    config: TournamentConfig | str | Path,
    out: str | Path,
    *,
    executor: str | Executor = "process",
    workers: int | None = None,
    address: str | None = None,
    overwrite: bool = False,
    record: bool = False,
    retry_failed: bool = False,
    progress: bool | None = None,
    allowed_packages: Sequence[str] | None = None,
) -> TournamentResults:
    """Run a tournament into the results folder ``out`` and return its results.

    ``config`` is a :class:`TournamentConfig`, a TOML file or a dotted name.
    ``executor`` is ``"serial"``, ``"process"`` (default; ``workers`` processes,
    default all CPUs) or ``"ray"`` (``address`` of a cluster, default a local Ray
    instance), or an executor object. Re-running on the same folder skips the
    worlds that already have a result (``retry_failed`` re-runs failed and timed
    out ones); a folder holding a different tournament is refused unless
    ``overwrite``. ``record`` keeps each world's full recording under
    ``out/recordings/``. ``progress`` shows a progress bar (default: when
    standard error is a terminal). ``allowed_packages`` restricts the names the
    config may use to those packages (and Palaver's own): a config is code.

    Everything is validated before any world runs. One run at a time may use a
    results folder: a second one raises :class:`TournamentFolderError` naming the
    process that holds it. Worlds whose results are incomplete (a part missing or
    damaged) are reported with a :class:`TournamentWarning` and run again.
    """
    for flag, value in (
        ("overwrite", overwrite),
        ("record", record),
        ("retry_failed", retry_failed),
    ):
        if not isinstance(value, bool):
            raise TournamentConfigError(f"{flag} must be True or False, got {value!r}")
    if progress is not None and not isinstance(progress, bool):
        raise TournamentConfigError(f"progress must be True, False or None, got {progress!r}")
    if not isinstance(out, str | os.PathLike):
        raise TournamentConfigError(f"out must be a folder path, got {out!r}")
    if allowed_packages is not None:
        try:
            check_allowed_packages(allowed_packages)
        except VettingError as exc:
            raise TournamentConfigError(str(exc)) from None
    config = as_config(config, allowed_packages)
    config.validate(allowed_packages)
    if record:
        _check_recorder()
    if isinstance(executor, str):
        try:
            runner = make_executor(executor, workers, address)
        except ValueError as exc:
            # The documented error of every argument (the CLI's exit status 2).
            raise TournamentConfigError(str(exc)) from None
    elif callable(getattr(executor, "run", None)) and callable(getattr(executor, "describe", None)):
        given: dict[str, int | str | None] = {"workers": workers, "address": address}
        for name, setting in given.items():
            if setting is not None:
                # An executor object carries its own; this one would be ignored.
                raise TournamentConfigError(
                    f"{name}={setting!r} is for a named executor ({', '.join(EXECUTORS)}); "
                    f"the executor object {executor!r} carries its own {name}: set it there"
                )
        runner = executor
    else:
        raise TournamentConfigError(
            f"executor must be one of {EXECUTORS} or an executor object (with run() and "
            f"describe()), got {executor!r}"
        )
    with FolderLock(out):
        return _run_locked(config, Path(out), runner, overwrite, record, retry_failed, progress)


def _warn_unrecorded(root: Path, finished: list[str]) -> None:
    """Say which finished worlds, not run again, have no recording although
    ``record=True`` asks for one each (a resume with ``--record`` of a tournament
    run without it recorded only the worlds still to run, without a word)."""
    missing = [w for w in finished if not (root / "recordings" / w).is_dir()]
    if missing:
        listing = ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
        warnings.warn(
            f"record=True: {len(missing)} world(s) of {root} finished earlier without a "
            f"recording and are not run again, so they have none ({listing}); run into a "
            "new folder to record every world (the same config gives the same worlds)",
            TournamentWarning,
            stacklevel=4,
        )


def _run_locked(
    config: TournamentConfig,
    out: Path,
    runner: Executor,
    overwrite: bool,
    record: bool,
    retry_failed: bool,
    progress: bool | None,
) -> TournamentResults:
    store = ResultStore.open(out, config, overwrite=overwrite)
    _, problems = worlds_and_problems(store.root)
    tasks = plan_worlds(config, store.root_seed)
    planned = {t.world_id for t in tasks}
    for again, what in ((True, "have incomplete results and run again"), (False, "are left out")):
        # A world the tournament does not plan (a part copied from another) is
        # never run: it is only left out of the results.
        listed = sorted((w, why) for w, why in problems.items() if (w in planned) is again)
        if listed:
            listing = "; ".join(f"{w}: {why}" for w, why in listed[:10])
            more = f" (and {len(listed) - 10} more)" if len(listed) > 10 else ""
            warnings.warn(
                f"{len(listed)} world(s) in {store.root} {what}: {listing}{more}",
                TournamentWarning,
                stacklevel=3,
            )
    finished = {
        world: status
        for world, status in store.statuses().items()
        if status == DONE or not retry_failed
    }
    pending = [t for t in tasks if t.world_id not in finished]
    if record:
        _warn_unrecorded(store.root, sorted(finished))
    previous = Counter(finished.values())
    # Absolute: workers may run in another directory (fork server, Ray worker).
    job = Job(config, str((store.root / "recordings").resolve()) if record else None)
    store.start_run(len(tasks), len(pending), runner.describe())
    show = sys.stderr.isatty() if progress is None else progress
    with TournamentProgress(config.name, len(tasks), previous, show) as bar:

        def on_result(task: WorldTask, result: WorldResult) -> None:
            store.write(task, result)
            bar.advance(result.status)

        try:
            runner.run(job, pending, on_result)
        finally:
            store.finish_run(dict(bar.run_counts))
    return TournamentResults(store.root)
