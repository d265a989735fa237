"""The ``palaver report`` command: one self-contained HTML page of a recording or tournament."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from palaver.cli.errors import fail, output_file
from palaver.cli.inspect import resolve_recording


def register(app: typer.Typer) -> None:
    """Add ``report`` to ``app``."""

    @app.command("report")
    def report(
        path: Annotated[
            Path,
            typer.Argument(
                help="A recording folder (or a folder holding one), a tournament results "
                "folder or a negotiation tournament's folder."
            ),
        ],
        out: Annotated[Path, typer.Option("--out", "-o", help="The HTML file to write.")] = Path(
            "report.html"
        ),
    ) -> None:
        """Write a self-contained HTML report: summary, plots, agents, step player.

        The page opens in any browser without a network. An --out that is a
        symbolic link is written through (the link stays); a FIFO is refused."""
        try:
            from palaver.report import ReportDependencyError, ReportError, write_report
        except ImportError as exc:  # pragma: no cover - the report package ships with palaver
            fail(f"the report needs palaver's plotting extra ({exc})")
        if out.suffix.lower() not in (".html", ".htm") and not out.is_dir():
            fail(f"--out {out}: a report is an HTML file; use a name ending in .html")
        target = output_file("--out", out, "report.html")
        from palaver.report.html import results_kind

        source = path if results_kind(path) else resolve_recording(path)
        try:
            written = write_report(source, target)
        except ReportDependencyError as exc:
            fail(str(exc))
        except ReportError as exc:
            fail(str(exc))
        size = written.stat().st_size
        typer.echo(f"wrote {written} ({size / 1e6:.1f} MB)")
