"""Figures of the fault suite, printed at the end of the session."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fault_helpers import FIGURES, record, reference, write_figures


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the fault suite's figures when any of its cases ran."""
    if FIGURES.tried:
        terminalreporter.write_sep("=", "fault suite figures")
        terminalreporter.write_line(FIGURES.table())
    write_figures(os.environ.get("PALAVER_FAULTS_REPORT"))


@pytest.fixture(autouse=True, scope="session")
def _remove_bad_input_folders() -> Iterator[None]:
    """The bad-input cases make their folders with ``tempfile.mkdtemp(prefix=
    "palaver-bad-...")`` when they run (they are built at collection, before any
    fixture): remove the ones this session made, so the suite leaves nothing in
    the temporary folder (not by moving ``tempfile.tempdir``: multiprocessing
    keeps its own folder there until the interpreter exits)."""
    root = Path(tempfile.gettempdir())
    before = set(root.glob("palaver-bad-*"))
    yield
    for folder in set(root.glob("palaver-bad-*")) - before:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def intact(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, tuple[object, ...]]]:
    """A closed recording of several parts, and its events."""
    folder = record(tmp_path_factory.mktemp("intact"))
    return folder, reference(folder)


@pytest.fixture(scope="session")
def killed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, tuple[object, ...]]]:
    """A recording whose recorder was never closed (parts and an open log)."""
    folder = record(tmp_path_factory.mktemp("killed"), close=False)
    return folder, reference(folder)
