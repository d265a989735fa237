"""The ``palaver`` console script: assembles the command modules into one typer app.

No command shows a Python traceback: bad input is refused with one line naming
the option and the value (typer's checks, or :func:`palaver.cli.errors.fail`),
and an error raised inside a command becomes one ``error:`` line and a non-zero
exit (set ``PALAVER_DEBUG=1`` to see the traceback).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

try:
    # Loading the commands takes a second or two (numpy, Arrow, the tournaments): a
    # Ctrl-C meanwhile ends quietly like one during a command, not in a traceback.
    import typer

    from palaver import __version__
    from palaver.cli import errors, inspect, negotiate, report, run, tournament, verify
except KeyboardInterrupt:
    sys.stderr.write("error: interrupted\n")
    sys.exit(130)

app = typer.Typer(
    name="palaver",
    help="Negotiation-driven multi-agent simulations, recorded end to end.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"palaver {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Negotiation-driven multi-agent simulations, recorded end to end."""


for _module in (negotiate, run, inspect, tournament, report, verify):
    _module.register(app)

errors.hide_flag_types()
errors.one_line_usage_errors()


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``palaver`` console script (``argv``: the arguments, for tests)."""
    try:
        with errors.warnings_as_lines():
            app(args=list(argv) if argv is not None else None, prog_name="palaver")
    except SystemExit as exc:
        if exc.code == 130:  # typer turns a Ctrl-C inside a command into exit 130, silently
            errors.print_error("interrupted")
        raise
    except KeyboardInterrupt:
        errors.print_error("interrupted")
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("PALAVER_DEBUG"):
            raise
        sys.exit(errors.report_exception(exc))


if __name__ == "__main__":
    main()
