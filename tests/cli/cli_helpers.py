"""Running the command line as a user would, in process, capturing what it prints."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass

import pytest

from palaver.cli.app import main


@dataclass
class Outcome:
    """What one invocation printed and returned."""

    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def palaver(
    *args: str, columns: int = 200, monkeypatch: pytest.MonkeyPatch | None = None
) -> Outcome:
    """Run ``palaver ARGS`` through the console script's entry point, in process.

    An exception escaping ``main`` fails the test (that would be a traceback).
    """
    out, err = io.StringIO(), io.StringIO()
    patch = monkeypatch or pytest.MonkeyPatch()
    patch.setenv("COLUMNS", str(columns))
    patch.setenv("TERM", "dumb")
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main(list(args))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        if monkeypatch is None:
            patch.undo()
    return Outcome(code, out.getvalue(), err.getvalue())
