"""``write_report``: one self-contained HTML file for a recording or a tournament folder."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from palaver.report import page
from palaver.report.style import expect
from palaver.report.world_data import summarize_world

#: Rows of the most-active-agents table.
TOP_AGENTS = 15


class ReportError(ValueError):
    """The path given to the report is neither a recording nor a tournament folder."""


def recording_summary(reader: Any, n_steps: int) -> list[tuple[str, Any]]:
    """The manifest's facts as (label, value) rows: ids, seed, status, counts, versions."""
    manifest = reader.manifest
    meta = reader.simulation_metadata
    params = manifest.get("parameters") or {}
    counts = manifest.get("counts") or {}
    rows: list[tuple[str, Any]] = [
        ("simulation id", reader.simulation_id),
        ("run id", manifest.get("run_id", "-")),
        ("model", manifest.get("model_class") or "-"),
        ("seed", manifest.get("seed", params.get("seed", "-"))),
        ("status", reader.status),
        ("completion", reader.completion_status),
        ("events", len(reader)),
        ("steps", counts.get("steps", n_steps)),
        ("agents", counts.get("agents", len(reader.counts()[0]))),
        ("started", meta.get("start_time", "-")),
        ("ended", meta.get("end_time", "-")),
        ("versions", ", ".join(f"{k} {v}" for k, v in (manifest.get("versions") or {}).items())),
    ]
    rows.extend((f"parameter {k}", v) for k, v in params.items() if k != "agents")
    if reader.warnings:
        rows.append(("warnings", "; ".join(str(w) for w in reader.warnings)))
    return rows


def recording_report(reader: Any, title: str | None = None) -> str:
    """The HTML page of a recording (a reader from ``palaver.recording.open``): what it
    holds, the plots that have data, its agents and their last state, a step player."""
    expect(
        "reader",
        reader,
        ("manifest", "counts"),
        "a recording reader (palaver.recording.open(path))",
    )
    from palaver.report.contents import holdings, last_agent_states
    from palaver.report.negotiation import plot_negotiation
    from palaver.report.world import world_figures

    summary = summarize_world(reader)
    body = [
        "<h2>Summary</h2>",
        f'<p id="holdings">{page.esc(holdings(summary))}</p>',
        page.key_value_table(recording_summary(reader, len(summary.steps))),
    ]
    figures = world_figures(summary)
    if figures:
        body += ["<h2>Plots</h2>", page.figures(figures)]
    if summary.busiest_negotiation is not None:
        figure = plot_negotiation(reader, summary.busiest_negotiation)
        body += [
            "<h2>The longest negotiation that reached an agreement</h2>",
            '<p class="muted">Offered values per issue and round (a recording holds outcomes, '
            "not utility functions; <code>plot_negotiation(reader, id, ufuns=...)</code> "
            "draws them in utility space).</p>",
            page.figures({f"Negotiation {summary.busiest_negotiation}": figure}),
        ]
    if summary.agents:
        header = ["agent", "events", "requested", "offers", "contracts signed", "breaches"]
        if not (summary.has_negotiations or summary.has_contracts):
            header = ["agent", "events"]
        rows = [[a[h] for h in header] for a in summary.agents[:TOP_AGENTS]]
        body += [
            f"<h2>Most active agents (top {min(TOP_AGENTS, len(summary.agents))} "
            f"of {len(summary.agents)})</h2>",
            page.table(header, rows, "agents"),
        ]
    states = last_agent_states(reader)
    if states is not None:
        header, rows, caption = states
        body += [
            "<h2>Agent state</h2>",
            f'<p class="muted">{page.esc(caption)}</p>',
            page.table(header, rows, "agent-state") if rows else "",
        ]
    if summary.has_activity:
        body += [
            "<h2>Step by step</h2>",
            '<p class="muted">Move the slider to see what happened at each step.</p>',
            page.step_player(
                summary.step_details, world=summary.has_negotiations or summary.has_contracts
            ),
        ]
    return page.document(title or f"Recording {reader.simulation_id}", "".join(body))


def tournament_report(results: Any, title: str | None = None) -> str:
    """The HTML page of a tournament's results folder."""
    expect(
        "results",
        results,
        ("manifest", "counts", "table"),
        "a tournament's results (load a folder with palaver.tournaments.load_results(path))",
    )
    from palaver.report.tournament import tournament_figures
    from palaver.tournaments import standings

    manifest = results.manifest
    counts = results.counts()
    config = manifest.get("config") or {}
    summary_rows: list[tuple[str, Any]] = [
        ("name", manifest.get("name")),
        ("folder", str(results.root)),
        ("fingerprint", manifest.get("fingerprint")),
        ("root seed", manifest.get("root_seed")),
        ("created", manifest.get("created")),
        *((f"worlds {k}", v) for k, v in counts.items()),
        ("world", config.get("world")),
        ("competitors", ", ".join(str(c.get("name")) for c in config.get("competitors") or [])),
        ("assignment", config.get("assignment")),
        ("repetitions", config.get("repetitions")),
        ("sweep", config.get("sweep")),
        ("versions", ", ".join(f"{k} {v}" for k, v in (manifest.get("versions") or {}).items())),
        ("runs", len(manifest.get("runs") or [])),
    ]
    scores = results.table("scores")
    ranked = standings(scores) if scores.num_rows else []
    header = ["rank", "competitor", "mean", "95% CI low", "95% CI high", "worlds", "agents"]
    rows = [
        [i, s.competitor, s.mean, s.ci_low, s.ci_high, s.n_worlds, s.n_agents]
        for i, s in enumerate(ranked, start=1)
    ]
    worlds = results.table("worlds").to_pydict()
    failed = [
        [w, st, (e or "").strip().splitlines()[-1] if (e or "").strip() else ""]
        for w, st, e in zip(worlds["world_id"], worlds["status"], worlds["error"], strict=True)
        if st != "done"
    ]
    body = [
        "<h2>Summary</h2>",
        page.key_value_table(summary_rows),
        "<h2>Ranking</h2>",
        page.table(header, rows, "ranking"),
        "<h2>Plots</h2>",
        page.figures(tournament_figures(results)),
    ]
    if failed:
        body += [
            "<h2>Worlds that did not finish</h2>",
            page.table(["world", "status", "error"], failed, "failed"),
        ]
    problems = results.problems()
    if problems:
        body += [
            "<h2>Worlds with incomplete results (not ranked)</h2>",
            page.table(["world", "problem"], sorted(problems.items()), "incomplete"),
        ]
    return page.document(title or f"Tournament {manifest.get('name')}", "".join(body))


def _is_negotiation_tournament(path: Path) -> bool:
    # Damage in its tournament.json is named when the folder is loaded.
    from palaver.tournaments.negotiation.folder import is_negotiation_folder

    return is_negotiation_folder(path)


def results_kind(path: str | os.PathLike[str]) -> str | None:
    """``"tournament"`` for a world tournament's results folder, ``"negotiation
    tournament"`` for a negotiation tournament's folder, ``None`` otherwise (a
    recording, a folder holding one, or anything else)."""
    path = Path(path)
    if not path.is_dir():
        return None
    if _is_negotiation_tournament(path):
        return "negotiation tournament"
    return "tournament" if _is_tournament(path) else None


def _is_tournament(path: Path) -> bool:
    manifest = path / "manifest.json"
    if not manifest.is_file():
        # A FIFO or a folder in its place, next to worlds/: damage, named when the
        # folder is loaded (taken for a recording, the folder was said to hold none).
        return manifest.exists() and (path / "worlds").is_dir()
    if (path / "worlds").is_dir():
        # A results folder whose manifest is damaged is still a tournament: loading it
        # names the damaged manifest (read as a recording, it said "no events/ folder").
        return True
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "fingerprint" in data and "root_seed" in data


def report_html(path: str | os.PathLike[str]) -> str:
    """The report page of a recording folder (or events Parquet file), a tournament
    results folder or a negotiation tournament's folder. Raises :class:`ReportError`
    naming the path (or the damaged file) when it is none of them, ``TypeError``
    when ``path`` is not a str or path."""
    path = _path("path", path)
    if not path.exists():
        raise ReportError(f"{path} does not exist")
    if not path.is_dir() and not path.is_file():
        # A FIFO or a device: reading one would wait for a writer forever.
        raise ReportError(f"{path} is not a file or a folder (a FIFO, socket or device)")
    kind = results_kind(path)
    if kind == "negotiation tournament":
        from palaver.report.negotiation_tournament import negotiation_tournament_report
        from palaver.tournaments.negotiation import (
            NegotiationTournamentResults,
            TournamentResultsError,
        )

        try:
            return negotiation_tournament_report(NegotiationTournamentResults.load(path))
        except TournamentResultsError as exc:
            raise ReportError(str(exc)) from None
    if kind == "tournament":
        from palaver.tournaments import TournamentFolderError, load_results

        try:
            results = load_results(path)
        except TournamentFolderError as exc:
            raise ReportError(str(exc)) from None
        return tournament_report(results)
    import palaver.recording as recording

    try:
        reader = recording.open(path)
    except recording.RecordingError as exc:
        if "is not a Palaver recording" not in str(exc):
            # A recording, damaged: the error names the damaged file and what to do.
            raise ReportError(" ".join(str(exc).split())) from None
        raise ReportError(
            f"{path} is neither a Palaver recording nor a tournament results folder ({exc})"
        ) from None
    with reader:
        return recording_report(reader)


def write_report(path: str | os.PathLike[str], out: str | os.PathLike[str]) -> Path:
    """Write the report of ``path`` (see :func:`report_html`) to the HTML file ``out``.

    The file is written to a temporary name in the same folder and renamed, so
    ``out`` is either the old file or the complete new one. A symbolic link is
    written through (the file it points to is replaced, the link stays); a FIFO,
    socket or device is refused. Returns the file written. ``TypeError`` when
    ``path`` or ``out`` is not a str or path.
    """
    out = _path("out", out)
    _path("path", path)
    if out.is_symlink():
        out = out.resolve()
    if out.exists() and not out.is_dir() and not out.is_file():
        raise ReportError(f"cannot write {out}: it is a FIFO, socket or device, not a file")
    if out.is_dir():
        raise ReportError(
            f"{out} is a folder; give the report's file name, e.g. {out / 'report.html'}"
        )
    if not out.parent.is_dir():
        what = "is a file, not a folder" if out.parent.exists() else "does not exist"
        raise ReportError(f"cannot write {out}: {out.parent} {what}")
    text = report_html(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        # mkstemp makes the file private (0600); a report is for sharing, so it gets
        # the permissions any new file would (0644 under the usual umask).
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


def _path(name: str, value: Any) -> Path:
    """``value`` as a ``Path``; a ``TypeError`` naming the parameter when it is not a
    non-empty str or path-like (Python's own error names none)."""
    if isinstance(value, str | os.PathLike):
        text = os.fspath(value)
        if isinstance(text, str) and text:
            return Path(text)
    raise TypeError(
        f"{name} must be a str or a path (os.PathLike), got {value!r:.80} ({type(value).__name__})"
    )
