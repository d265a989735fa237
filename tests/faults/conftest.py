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
def _private_temp_root() -> Iterator[None]:
    """The bad-input cases make their folders with ``tempfile.mkdtemp`` when they
    run (they are built at collection, before any fixture): give them a root of
    their own and remove it at the end, so the suite leaves nothing in /tmp."""
    root = tempfile.mkdtemp(prefix="palaver-faults-")
    previous = tempfile.tempdir
    tempfile.tempdir = root
    try:
        yield
    finally:
        tempfile.tempdir = previous
        shutil.rmtree(root, ignore_errors=True)


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
