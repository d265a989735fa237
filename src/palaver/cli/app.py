"""The ``palaver`` console script: assembles the command modules into one typer app."""

from __future__ import annotations

import typer

from palaver import __version__
from palaver.cli import inspect, negotiate, run, tournament, verify

app = typer.Typer(
    name="palaver",
    help="Negotiation-driven multi-agent simulations, recorded end to end.",
    no_args_is_help=True,
    add_completion=False,
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


for _module in (negotiate, run, inspect, tournament, verify):
    _module.register(app)


def main() -> None:
    """Entry point of the ``palaver`` console script."""
    app()
