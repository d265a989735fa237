"""The tournament's progress bar: worlds done / failed / timed out, elapsed, remaining."""

from __future__ import annotations

from collections import Counter
from types import TracebackType
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from palaver.tournaments.play import DONE, FAILED, TIMED_OUT


class TournamentProgress:
    """A rich progress bar over all worlds; worlds finished by earlier runs start it off.

    With ``show=False`` it only counts. Used as a context manager around a run.
    """

    def __init__(self, name: str, total: int, previous: Counter[str], show: bool) -> None:
        self.counts: Counter[str] = Counter(previous)
        self.run_counts: Counter[str] = Counter()
        self._progress = (
            Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn(
                    "[green]{task.fields[done]} done[/] [red]{task.fields[failed]} failed[/] "
                    "[yellow]{task.fields[timed_out]} timed out[/]"
                ),
                TextColumn("elapsed"),
                TimeElapsedColumn(),
                TextColumn("left"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
            )
            if show
            else None
        )
        self._task = (
            self._progress.add_task(name, total=total, completed=previous.total(), **self._fields())
            if self._progress is not None
            else None
        )

    def _fields(self) -> dict[str, Any]:
        return {
            "done": self.counts[DONE],
            "failed": self.counts[FAILED],
            "timed_out": self.counts[TIMED_OUT],
        }

    def __enter__(self) -> TournamentProgress:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    def advance(self, status: str) -> None:
        """Count one more finished world with ``status``."""
        self.counts[status] += 1
        self.run_counts[status] += 1
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, advance=1, **self._fields())
