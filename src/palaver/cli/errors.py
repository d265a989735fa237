"""One-line errors for the command line, and the help screen's flag display."""

from __future__ import annotations

from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

#: Exit status of a refused input or an expected failure (a missing file, a bad config).
USAGE = 2
#: Exit status of an unexpected error, or of a run whose worlds failed.
FAILURE = 1

# Errors whose message already says what was wrong and where: shown as they are.
_EXPECTED: tuple[type[BaseException], ...] = (ValueError, TypeError, OSError, LookupError)


def print_error(message: str) -> None:
    """Print ``error: message`` on standard error, on one logical line."""
    Console(stderr=True, soft_wrap=True, highlight=False).print(f"[red]error:[/] {escape(message)}")


def fail(message: str, code: int = USAGE) -> NoReturn:
    """Print ``message`` as an error line and leave with ``code``."""
    print_error(message)
    raise typer.Exit(code)


def check_range(option: str, value: int | None, low: int, high: int | None = None) -> None:
    """Refuse ``value`` outside ``[low, high]`` with a line naming the option and the value."""
    if value is None:
        return
    if value < low or (high is not None and value > high):
        allowed = f"from {low} to {high}" if high is not None else f"of at least {low}"
        fail(f"{option} {value}: must be an integer {allowed}")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    if isinstance(exc, KeyError) and len(exc.args) == 1 and isinstance(exc.args[0], str):
        text = exc.args[0]
    return " ".join(text.split())


def report_exception(exc: BaseException) -> int:
    """Print an exception that escaped a command as one line; return the exit status."""
    from palaver.recording import RecordingError
    from palaver.tournaments import ExecutorUnavailableError, TournamentFolderError

    expected = (*_EXPECTED, RecordingError, TournamentFolderError, ExecutorUnavailableError)
    if isinstance(exc, expected):
        print_error(_first_line(exc))
        return USAGE
    print_error(
        f"unexpected {type(exc).__name__}: {_first_line(exc)} "
        "(run with PALAVER_DEBUG=1 to see the traceback)"
    )
    return FAILURE


def hide_flag_types() -> None:
    """Show no value type after on/off flags in ``--help`` (typer prints ``<bool>``,
    as if ``--record`` took a value)."""
    try:
        from typer.core import TyperOption
    except ImportError:  # an older typer: click formats the help and shows no type
        return
    original: Any = getattr(TyperOption, "display_type_rich", None)
    if original is None or getattr(original, "_palaver_flag_aware", False):
        return

    def display_type_rich(self: Any, ctx: Any) -> Any:
        if getattr(self, "is_flag", False) and getattr(self, "metavar", None) is None:
            return None
        return original(self, ctx)

    display_type_rich._palaver_flag_aware = True  # type: ignore[attr-defined]
    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]
