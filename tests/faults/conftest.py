"""Figures of the fault suite, printed at the end of the session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fault_helpers import FIGURES, record, reference, write_figures


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the fault suite's figures when any of its cases ran."""
    if FIGURES.tried:
        terminalreporter.write_sep("=", "fault suite figures")
        terminalreporter.write_line(FIGURES.table())
    write_figures(os.environ.get("PALAVER_FAULTS_REPORT"))


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
