"""The ``palaver verify`` command: check a recording or a tournament results folder."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, NoReturn

import pyarrow as pa
import pyarrow.parquet as pq
import typer

from palaver._util.files import read_regular
from palaver.cli.errors import FAILURE, fail
from palaver.recording.verify import VerifyReport, verify

_TOURNAMENT_PARTS = ("worlds", "scores", "stats")


@dataclass
class _Report:
    path: Path
    kind: str
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    recordings: list[VerifyReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and all(r.ok for r in self.recordings)


def _recording(report: VerifyReport) -> dict[str, object]:
    return {
        "path": str(report.path),
        "ok": report.ok,
        "state": report.state,
        "status": report.status,
        "events": report.events,
        "missing": [
            {
                "start": m.start,
                "stop": m.stop,
                "steps": m.steps,
                "seqs": m.seqs,
                "files": list(m.files),
                "reason": m.reason,
            }
            for m in report.missing
        ],
        "problems": report.problems,
        "notes": report.notes,
    }


def _is_recording(path: Path) -> bool:
    return path.is_file() or (path / "events").is_dir()


def _tournament(path: Path) -> _Report:
    """Every results part readable with its page checksums, a scores part for
    every finished world, and every recording kept under ``recordings/``."""
    report = _Report(path, "tournament")
    manifest = path / "manifest.json"
    try:
        json.loads(read_regular(manifest).decode("utf-8"))
    except (OSError, ValueError) as exc:
        report.problems.append(f"{manifest} is missing or damaged ({exc})")
    tables: dict[str, dict[str, pa.Table]] = {part: {} for part in _TOURNAMENT_PARTS}
    for part in _TOURNAMENT_PARTS:
        for file in sorted((path / part).glob("*")):
            if file.suffix != ".parquet":
                report.problems.append(f"{file} does not belong to a results folder")
                continue
            try:
                tables[part][file.stem] = pq.read_table(file, page_checksum_verification=True)
            except (OSError, ValueError, pa.ArrowException) as exc:
                report.problems.append(f"{file} is damaged ({exc})")
    for world_id, table in tables["worlds"].items():
        statuses = table.column("status").to_pylist() if "status" in table.column_names else []
        if "done" in statuses and world_id not in tables["scores"]:
            report.problems.append(
                f"{path / 'scores' / (world_id + '.parquet')} is missing for finished world "
                f"{world_id}"
            )
    _add_resume_problems(report, path)
    recordings = path / "recordings"
    if recordings.is_dir():
        for folder in sorted(p for p in recordings.rglob("events") if p.is_dir()):
            report.recordings.append(verify(folder.parent))
    return report


def _print(report: VerifyReport, indent: str = "") -> None:
    state = report.state.upper()
    color = typer.colors.GREEN if report.ok else typer.colors.RED
    typer.secho(
        f"{indent}{state}  {report.path}: {report.events} events readable, status {report.status}",
        fg=color,
    )
    for missing in report.missing:
        typer.echo(f"{indent}  missing: {missing}")
    for problem in report.problems:
        typer.echo(f"{indent}  problem: {problem}")
    for note in report.notes:
        typer.echo(f"{indent}  note: {note}")


def verify_command(
    path: Annotated[
        Path,
        typer.Argument(
            help="A recording folder (or file, or the folder holding one), a tournament "
            "results folder or a negotiation tournament's folder."
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Check a recording or a tournament's folder completely; exit 1 if anything is wrong.

    Every checksum, every page, every index and every stored JSON text is read.

    Reading the recording with palaver.recording.open(path, strict=False) keeps
    every intact event and lists the missing ones.
    """
    if not path.exists():
        # Something asked for does not exist (a broken link too): a failure (1),
        # as inspect, report and export say.
        broken = " (a symbolic link to nothing)" if path.is_symlink() else ""
        typer.secho(f"error: nothing at {path}{broken}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)
    if path.is_dir() and not _is_recording(path) and not (path / "worlds").is_dir():
        from palaver.cli.negotiation_tournament import is_negotiation_folder

        if is_negotiation_folder(path):
            _finish(_negotiation_tournament(path), path, as_json)
        # The folder given to --record or to a recorder's output_dir, holding one recording.
        found = sorted(p for p in path.glob("simulation_*") if (p / "events").is_dir())
        if len(found) == 1:
            path = found[0]
        elif found:
            # Not "DAMAGED ... no events/ folder": nothing is wrong but the path given.
            listing = ", ".join(str(p) for p in found[:5]) + (" ..." if len(found) > 5 else "")
            fail(f"{path} holds {len(found)} recordings; name one of them: {listing}", FAILURE)
    if _is_recording(path) or not (path / "worlds").is_dir():
        single = verify(path)
        if as_json:
            typer.echo(json.dumps(_recording(single), indent=2))
        else:
            _print(single)
        raise typer.Exit(0 if single.ok else 1)
    _finish(_tournament(path), path, as_json)


def _finish(report: _Report, path: Path, as_json: bool) -> NoReturn:
    """Print a results folder's report and leave (status 1 when anything is wrong)."""
    if as_json:
        data = {
            "path": str(path),
            "kind": report.kind,
            "ok": report.ok,
            "problems": report.problems,
            "recordings": [_recording(r) for r in report.recordings],
        }
        typer.echo(json.dumps(data, indent=2))
    else:
        state = "OK" if report.ok else "DAMAGED"
        what = report.kind
        if report.kind == "tournament":
            what = f"tournament results, {len(report.recordings)} recordings"
        typer.secho(
            f"{state}  {path}: {what}",
            fg=typer.colors.GREEN if report.ok else typer.colors.RED,
        )
        for problem in report.problems:
            typer.echo(f"  problem: {problem}")
        for recording in report.recordings:
            _print(recording, indent="  ")
    raise typer.Exit(0 if report.ok else 1)


def _negotiation_tournament(path: Path) -> _Report:
    """Its setup readable, and every Parquet file of its batches (and the outcomes)
    readable with its page checksums."""
    report = _Report(path, "negotiation tournament")
    for name in ("tournament.json", "manifest.jsonl"):
        file = path / name
        if not file.is_file():
            if name == "tournament.json" or file.exists():
                report.problems.append(f"{file} is missing or not a file")
            continue
        try:
            text = file.read_bytes().decode("utf-8")
            if name == "tournament.json":
                json.loads(text)
        except (OSError, ValueError) as exc:
            report.problems.append(f"{file} is damaged ({exc})")
    files = [path / "outcomes.parquet"] if (path / "outcomes.parquet").exists() else []
    for part in ("negotiations", "parties", "offers"):
        files += sorted((path / part).glob("*")) if (path / part).is_dir() else []
    for file in files:
        try:
            if not file.is_file():
                raise OSError("not a regular file")
            pq.read_table(file, page_checksum_verification=True)
        except (OSError, ValueError, pa.ArrowException) as exc:
            report.problems.append(f"{file} is damaged ({exc})")
    _add_resume_problems(report, path)
    return report


def _add_resume_problems(report: _Report, path: Path) -> None:
    """Add what a resume would find wrong (checksums of the manifests, of their lines
    and of the parts they list): a tournament.json edited to another seed, or a part
    replaced by another valid one, read as OK."""
    from palaver.tournaments.verify import check_folder

    for piece, why in sorted(check_folder(path).items()):
        file = str(path / piece) if piece != str(path) else piece
        named = why.split(" ", 1)[0]
        if "/" in named and not Path(named).is_absolute():
            # A world's problem names its part ("scores/w000001.parquet is missing"):
            # that file is the piece, so a problem found above is not listed twice.
            file, why = str(path / named), f"{path / named} {why.split(' ', 1)[-1]}"
        if not any(problem.startswith(f"{file} ") for problem in report.problems):
            report.problems.append(why if why.startswith(file) else f"{file}: {why}")


def register(app: typer.Typer) -> None:
    """Add ``verify`` to ``app``."""
    app.command("verify")(verify_command)
