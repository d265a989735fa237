"""One-line errors for the command line, and the help screen's flag display."""

from __future__ import annotations

import contextlib
import stat
import warnings
from collections.abc import Iterator
from pathlib import Path
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
    """Print ``error: message`` on standard error, on one logical line (a message
    quoting a library's multi-line text is joined into one)."""
    message = " ".join(message.split())
    Console(stderr=True, soft_wrap=True, highlight=False).print(f"[red]error:[/] {escape(message)}")


def print_warning(message: str) -> None:
    """Print ``warning: message`` on standard error, on one logical line."""
    Console(stderr=True, soft_wrap=True, highlight=False).print(
        f"[yellow]warning:[/] {escape(message)}"
    )


@contextlib.contextmanager
def warnings_as_lines() -> Iterator[None]:
    """Show each warning raised meanwhile as one ``warning:`` line, once (Python shows
    the file, the line number and the source line of the code that warned)."""
    seen: set[str] = set()

    def show(message: Any, *args: Any, **kwargs: Any) -> None:
        text = " ".join(str(message).split())
        if text not in seen:
            seen.add(text)
            print_warning(text)

    with warnings.catch_warnings():
        warnings.showwarning = show
        yield


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


def _usage_line(exc: Any) -> str:
    """One line for a usage error typer found (a value of the wrong type, a missing
    or unknown option): typer prints a boxed panel, and its message for a value that
    is not a number does not name the value."""
    message = " ".join(str(exc.format_message()).split())
    cause = exc.__cause__
    errors = getattr(cause, "errors", None)
    param = getattr(exc, "param", None)
    if callable(errors) and param is not None:
        found = errors()
        kind = str(found[0].get("type", "")) if found else ""
        value = found[0].get("input") if found else None
        hint = " / ".join(getattr(param, "opts", None) or [str(param.name)])
        wanted = {"int_parsing": "an integer", "float_parsing": "a number"}.get(kind)
        if wanted is not None:
            message = f"{hint} {value!r}: must be {wanted}"
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        message += f" (see: {ctx.command_path} --help)"
    return message


def one_line_usage_errors() -> None:
    """Print typer's usage errors as one ``error:`` line naming the value (no panel)."""
    try:
        from typer import rich_utils
    except ImportError:  # pragma: no cover - typer without rich prints plain lines
        return
    if getattr(rich_utils.rich_format_error, "_palaver_one_line", False):
        return

    def rich_format_error(exc: Any) -> None:
        if type(exc).__name__ == "NoArgsIsHelpError":
            return
        print_error(_usage_line(exc))

    rich_format_error._palaver_one_line = True  # type: ignore[attr-defined]
    rich_utils.rich_format_error = rich_format_error  # type: ignore[assignment]


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


def output_file(option: str, path: Path, example: str) -> Path:
    """The regular file to write for ``option PATH``, or one error line and exit 2
    (``example``: a file name the message suggests when PATH is a folder).

    A symbolic link is written through: the file it points to is replaced and the
    link stays (as a shell redirection would do; replacing the link itself with a
    file would silently cut it). A folder, a FIFO, a socket or a device is refused:
    writing one would block or replace something that is not a file.
    """
    target = path.resolve() if path.is_symlink() else path
    via = f" (the link points to {target})" if target != path else ""
    if target.is_dir():
        fail(f"{option} {path}: is a folder{via}; give a file name, e.g. {path / example}")
    if target.exists() and not target.is_file():
        mode = target.stat().st_mode
        kind = "a FIFO" if stat.S_ISFIFO(mode) else "a socket or device"
        fail(f"{option} {path}: is {kind}{via}, not a regular file")
    if not target.parent.is_dir():
        what = "is a file, not a folder" if target.parent.exists() else "does not exist"
        fail(f"{option} {path}: {target.parent} {what}{via}")
    return target


MAX_SEED = 2**63 - 1
"""The largest ``--seed`` every command takes (numpy seeds are unsigned 64-bit;
a tournament's are 63-bit)."""
