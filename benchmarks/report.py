"""Result tables: rows of (metric, Palaver, peer, ratio, bar, verdict), printed and saved.

Tables print with rich when it is importable (it is in Palaver's environment)
and as aligned plain text otherwise. Every run is also written as JSON to
``benchmarks/results/``.
"""

from __future__ import annotations

import json
import os
import platform
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

Value = float | int | str | None


@dataclass
class Row:
    """One line of a table.

    ``ratio`` is Palaver's advantage (how many times faster, or smaller):
    above 1 means Palaver is better. ``ok`` is the verdict against ``bar``
    (``None`` when the row has no bar or a side is missing).
    """

    metric: str
    palaver: Value = None
    peer: Value = None
    fmt: str = "{:,.2f}"
    ratio: float | None = None
    bar: str = ""
    ok: bool | None = None


@dataclass
class Section:
    """One table: a title, the name of the peer, rows and notes (errors, caveats)."""

    title: str
    peer_name: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, row: Row) -> Row:
        """Append a row and return it."""
        self.rows.append(row)
        return row


def fmt(value: Value, spec: str) -> str:
    """A cell: numbers with ``spec``, strings as they are, a dash for missing."""
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    return spec.format(value)


def verdict(ok: bool | None) -> str:
    """The verdict cell."""
    return {True: "holds", False: "FAILS", None: ""}[ok]


def cells(section: Section, row: Row) -> list[str]:
    """The printed cells of one row."""
    ratio = "-" if row.ratio is None else f"{row.ratio:,.1f}x"
    return [
        row.metric,
        fmt(row.palaver, row.fmt),
        fmt(row.peer, row.fmt),
        ratio,
        row.bar,
        verdict(row.ok),
    ]


def headers(section: Section) -> list[str]:
    """Column titles."""
    return ["metric", "Palaver", section.peer_name, "Palaver advantage", "bar", "verdict"]


def render(section: Section) -> None:
    """Print one section as a table."""
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:
        _render_plain(section)
        return
    table = Table(title=section.title, title_justify="left")
    for i, name in enumerate(headers(section)):
        table.add_column(name, justify="left" if i == 0 else "right")
    for row in section.rows:
        style = "red" if row.ok is False else None
        table.add_row(*cells(section, row), style=style)
    console = Console(width=max(Console().width, 120))
    console.print(table)
    for note in section.notes:
        console.print(f"  note: {note}", markup=False)


def _render_plain(section: Section) -> None:
    lines = [headers(section), *(cells(section, r) for r in section.rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    print(f"\n{section.title}")
    for line in lines:
        print(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(line, widths, strict=True))
            )
        )
    for note in section.notes:
        print(f"  note: {note}")


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "system": platform.platform(),
    }


def save(
    folder: Path, args: dict[str, Any], sections: list[Section], raw: list[dict[str, Any]]
) -> Path:
    """Write the run (tables and every side's raw result) as one JSON file; return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    path = folder / f"bench-{stamp}.json"
    doc = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        "machine": machine(),
        "args": args,
        "sections": [asdict(s) for s in sections],
        "raw": raw,
    }
    path.write_text(json.dumps(doc, indent=1, default=str))
    path.with_suffix(".md").write_text(to_markdown(sections))
    return path


def to_markdown(sections: list[Section]) -> str:
    """The tables as Markdown (for benchmarks/README.md)."""
    out = [f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {_machine_line()}."]
    for section in sections:
        out += ["", f"**{section.title}**", ""]
        head = headers(section)
        out.append("| " + " | ".join(head) + " |")
        out.append("| " + " | ".join(["---"] + ["---:"] * (len(head) - 1)) + " |")
        out += ["| " + " | ".join(cells(section, row)) + " |" for row in section.rows]
        out += [f"\nNote: {note}" for note in section.notes]
    return "\n".join(out) + "\n"


def _machine_line() -> str:
    m = machine()
    return f"{m['cores']} cores ({m['cpu']}), Python {m['python']}"
