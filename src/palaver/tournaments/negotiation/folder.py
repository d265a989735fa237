"""The folder of a negotiation tournament, and what it must contain.

Layout::

    tournament.json          the arguments (setup) and the metrics' rules
                             (metrics_version), with the SHA-256 of its content
    manifest.jsonl           one line per finished batch: its files, their SHA-256,
                             and the SHA-256 of the line itself
    negotiations/<batch>.parquet, parties/<batch>.parquet, offers/<batch>.parquet
    outcomes.parquet         every outcome of every scenario (detail="offers")

A batch counts as finished only when its manifest line is intact and every file
it lists is there with the recorded SHA-256; anything else (a line cut by a
crash, a flipped bit in a line or a part, a deleted part) makes the batch
unfinished: reading leaves it out and lists it in ``problems``, resuming runs it
again (with a :class:`~palaver.tournaments.TournamentWarning`). A damaged
``tournament.json`` is refused, naming it. ``outcomes.parquet`` is derived from
the scenarios: a resume rewrites it when it is not exactly what they give.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from palaver._util.atomic import clean_leftovers, write_bytes
from palaver._util.files import blocking_file, read_regular
from palaver.tournaments.integrity import (
    content_digest,
    file_digest,
    read_checked_json,
    write_checked_json,
)
from palaver.tournaments.negotiation.play import TABLES, BatchResult
from palaver.tournaments.negotiation.results import TournamentResultsError
from palaver.tournaments.negotiation.scenario_info import (
    METRICS_VERSION,
    parties_the_metrics_rule_changed,
)

__all__ = [
    "MANIFEST",
    "OUTCOMES",
    "SETUP",
    "entry_line",
    "file_problem",
    "is_negotiation_folder",
    "prepare",
    "read_entries",
    "read_setup",
]

MANIFEST = "manifest.jsonl"
SETUP = "tournament.json"
OUTCOMES = "outcomes.parquet"
#: The setup key holding each scenario's content digest (absent in older folders).
FINGERPRINTS = "scenario_fingerprints"
#: The setup key naming the rules the metrics follow (absent in older folders: rules 1).
VERSION = "metrics_version"

_ENTRY_KEYS = {"batch", "files", "negotiations", "status", "sha256", "check"}
#: What a manifest line of a folder written before the checksums holds.
_LEGACY_KEYS = {"batch", "files", "negotiations", "status"}
_SETUP_KEYS = {
    "kind", "competitors", "competitor_types", "competitor_params", "scenarios",
    "scenario_fingerprints",
    "n_repetitions", "n_steps", "time_limit", "n_steps_per", "rotate_ufuns", "self_play",
    "seed", "detail", "hang_timeout", "final_score", "mechanism_params", "n_batches",
    "n_negotiations",
}  # fmt: skip
#: The keys of the first setup files, written without a checksum: a file without
#: one lacking any of these is damaged, not older (``{"kind": "negotiation"}``
#: passed, and failed later with a bare ``KeyError``).
_FIRST_SETUP_KEYS = _SETUP_KEYS - {"scenario_fingerprints", "n_steps_per"}


def _older(setup: dict[str, Any]) -> bool:
    return _FIRST_SETUP_KEYS <= set(setup) <= _SETUP_KEYS


def is_negotiation_folder(root: Path) -> bool:
    """Whether ``root`` holds a negotiation tournament, damaged or not.

    Its ``tournament.json`` says so (``"kind": "negotiation"``). One that is
    there but cannot say so (not a regular file, not JSON, not an object, or
    an object without that kind beside the tournament's own ``manifest.jsonl``
    or parts) is a damaged negotiation tournament, so that reading the folder
    names the damage: such a folder was taken for a recording, or for a world
    tournament missing its manifest ("holds no Palaver recording", "no events/
    folder"), whatever the damage was. A folder holding ``events/`` is a
    recording's.
    """
    setup = root / SETUP
    if not setup.exists() and not setup.is_symlink():
        return False
    if (root / "events").is_dir():
        return False
    try:
        # Not read_text(): a FIFO in its place would block for ever.
        data = json.loads(read_regular(setup).decode("utf-8"))
    except (OSError, ValueError):
        return True  # there but unreadable: reading the folder names it
    if not isinstance(data, dict):
        return True
    if data.get("kind") == "negotiation":
        return True
    return (root / MANIFEST).exists() or any((root / table).is_dir() for table in TABLES)


def read_setup(root: Path) -> dict[str, Any]:
    """The setup in ``root/tournament.json``, its checksum verified
    (:class:`TournamentResultsError` naming the file when damaged or missing)."""
    path = root / SETUP
    if not path.exists():
        raise TournamentResultsError(f"{root} is not a negotiation tournament folder (no {SETUP})")
    return read_checked_json(path, TournamentResultsError, legacy=_older)


def entry_line(result: BatchResult) -> str:
    """The manifest line of a finished batch (with the SHA-256 of its content)."""
    entry: dict[str, Any] = {
        "batch": result.world_id,
        "files": result.files,
        "negotiations": result.n_negotiations,
        "status": result.status,
        "sha256": result.sha256,
    }
    entry["check"] = _line_digest(entry)
    return json.dumps(entry) + "\n"


def _line_digest(entry: dict[str, Any]) -> str:
    """The SHA-256 of a manifest line's canonical JSON, its ``check`` left out."""
    rest = {k: v for k, v in entry.items() if k != "check"}
    text = json.dumps(rest, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _entry(raw: bytes) -> dict[str, Any] | None:
    """A manifest line as an entry, or ``None`` when it is damaged."""
    try:
        entry = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(entry, dict) or not isinstance(entry.get("batch"), str):
        return None
    if "check" in entry:
        if set(entry) - _ENTRY_KEYS or entry["check"] != _line_digest(entry):
            return None
    elif set(entry) - _LEGACY_KEYS:
        return None
    files, digests = entry.get("files"), entry.get("sha256", {})
    if not isinstance(files, dict) or not isinstance(digests, dict):
        return None
    return entry


def read_entries(root: Path) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """The finished batches whose files are intact (batch id -> manifest entry), and
    what is wrong elsewhere (the damaged line or file -> why).

    A manifest that is a folder, a FIFO, a socket or a device is a
    :class:`TournamentResultsError` naming it (a FIFO would block for ever).
    """
    problems: dict[str, str] = {}
    latest: dict[str, dict[str, Any]] = {}
    path = root / MANIFEST
    try:
        data = read_regular(path, TournamentResultsError)
    except FileNotFoundError:
        data = b""
    checked = False  # whether a line with a checksum was seen yet
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        entry = _entry(raw)
        # Lines without a checksum come from a Palaver older than every checked line,
        # so one after a checked line is damage (it overrode its batch unchecked).
        if entry is None or (checked and "check" not in entry):
            problems[f"{MANIFEST} line {number}"] = "damaged or cut short; its batch runs again"
            continue
        checked = checked or "check" in entry
        latest[entry["batch"]] = entry  # a batch run again: its last line counts
    done = {}
    for batch, entry in latest.items():
        problem = None
        for table, rel in entry["files"].items():
            if not isinstance(rel, str) or Path(rel).is_absolute() or ".." in Path(rel).parts:
                problem = f"the manifest lists {rel!r}, not a file of the folder"
            else:
                problem = file_problem(root / rel, entry.get("sha256", {}).get(table))
            if problem is not None:
                problems[str(rel)] = problem
                break
        if problem is None:
            done[batch] = entry
    return done, problems


#: The results whose batches ``rerun`` may run again on resume.
RERUNNABLE = ("error", "hung", "timeout")


def batches_to_rerun(root: Path, done: set[str], results: Sequence[str]) -> set[str]:
    """The finished batches of ``done`` holding a negotiation whose ``result`` is
    one of ``results`` (each batch is read from its ``negotiations`` file)."""
    import pyarrow.parquet as pq

    entries, _ = read_entries(root)
    wanted = set(results)
    out = set()
    for batch in sorted(done):
        table = pq.read_table(root / entries[batch]["files"]["negotiations"], columns=["result"])
        if wanted & set(table.column("result").to_pylist()):
            out.add(batch)
    return out


def file_problem(path: Path, digest: str | None) -> str | None:
    """What is wrong with a part of the folder that should have SHA-256 ``digest``
    (``None``: a manifest line written before checksums), or ``None``."""
    try:
        if digest is None:
            return None if path.is_file() else "missing"
        return None if file_digest(path) == digest else "damaged (checksum mismatch)"
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"


def prepare(root: Path, setup: dict[str, Any], outcomes: Any, scenarios: Sequence[Any]) -> set[str]:
    """Create the folder, or check that a resumed one holds the same tournament
    (played on ``scenarios``); return the finished batches. ``outcomes`` makes
    ``outcomes.parquet`` when the tournament records offers (``None``: it does not)."""
    if (root / SETUP).exists() or (root / SETUP).is_symlink():
        _check_same(root, read_setup(root), setup, scenarios)
    else:
        _check_unused(root)
        root.mkdir(parents=True, exist_ok=True)
        write_checked_json(root / SETUP, setup)
    for folder in (root, *(root / t for t in TABLES)):
        clean_leftovers(folder)
    done, problems = read_entries(root)
    if problems:
        from palaver.tournaments.runner import TournamentWarning

        listing = "; ".join(f"{k}: {v}" for k, v in sorted(problems.items())[:10])
        warnings.warn(
            f"{root}: {len(problems)} damaged or missing piece(s), their batches run again: "
            f"{listing}",
            TournamentWarning,
            stacklevel=3,
        )
    manifest = root / MANIFEST
    if manifest.exists():
        text = manifest.read_bytes()
        if text and not text.endswith(b"\n"):
            # A line cut short by a crash: later lines must start on a line of their own.
            with open(manifest, "ab") as f:
                f.write(b"\n")
    kept = {rel for entry in done.values() for rel in entry["files"].values()}
    # Files of batches that are not finished are leftovers of a crash or damaged.
    for table in TABLES:
        folder = root / table
        if folder.is_dir():
            for part in folder.iterdir():
                if str(part.relative_to(root)) not in kept:
                    part.unlink()
    if outcomes is not None:
        _write_outcomes(root / OUTCOMES, outcomes)
    return set(done)


def _check_unused(root: Path) -> None:
    """Refuse a ``path`` that is not a folder, or a folder holding something else (a
    world tournament, a recording, any files): resuming deletes the files of its
    ``negotiations/``, ``parties/`` and ``offers/`` folders that no batch lists."""
    if root.exists() and not root.is_dir():
        raise ValueError(f"path {str(root)!r} is not a folder; give a new or empty folder")
    problem = blocking_file(root)
    if problem is not None:
        raise ValueError(
            f"path {str(root)!r} cannot be made a folder ({problem}); give a new or empty folder"
        )
    if root.is_dir() and any(root.iterdir()):
        raise ValueError(
            f"path {str(root)!r} is not empty and holds no negotiation tournament (no {SETUP}); "
            "give a new or empty folder (or the folder of the tournament to resume)"
        )


def _check_same(
    root: Path, previous: dict[str, Any], setup: dict[str, Any], scenarios: Sequence[Any]
) -> None:
    """Refuse a folder holding another tournament, naming what differs (a scenario
    whose contents changed by name). A folder written before scenario fingerprints
    is accepted when the rest agrees, and gets them (with a warning: what its
    scenarios held then cannot be checked). A folder whose metrics follow other
    rules (:data:`METRICS_VERSION`) is refused when the rules disagree on one of
    its scenarios and a batch is recorded: its tables would mix the two."""
    key = FINGERPRINTS
    legacy = key not in previous
    if legacy:
        previous = {**previous, key: setup[key]}
    version = previous.get(VERSION, 1)  # a folder without the key: the first rules
    if version != METRICS_VERSION:
        _check_rules(root, version, scenarios)
        previous = {**previous, VERSION: METRICS_VERSION}
    if content_digest(previous) == content_digest(setup):
        if version != METRICS_VERSION:
            write_checked_json(root / SETUP, setup)
        if legacy:
            from palaver.tournaments.runner import TournamentWarning

            warnings.warn(
                f"{root}: {SETUP} has no scenario fingerprints (written by an older Palaver); "
                "the scenarios' contents cannot be checked against its results. Resuming "
                "with these scenarios, their fingerprints are recorded now",
                TournamentWarning,
                stacklevel=4,
            )
            write_checked_json(root / SETUP, setup)
        return
    # Over both setups' keys: one only the folder's has (its fixed opponents, say)
    # differs too.
    changed = sorted(k for k in {*setup, *previous} if k != key and previous.get(k) != setup.get(k))
    reasons = [f"differs in {changed}"] if changed else []
    if previous.get("scenarios") == setup["scenarios"]:
        edited = [
            name
            for name, old, new in zip(setup["scenarios"], previous[key], setup[key], strict=False)
            if old != new
        ]
        reasons += [
            f"scenario {name!r} has other contents (issues, utility functions, reserved values "
            "or discount factors) than when the folder was written"
            for name in edited
        ]
    why = "; ".join(reasons or [f"differs in {[key]}"])
    raise ValueError(
        f"{root} holds another tournament ({why}); use another path or delete the folder"
    )


def _check_rules(root: Path, version: Any, scenarios: Sequence[Any]) -> None:
    """Refuse to resume a folder whose recorded metrics follow rules ``version``
    when they differ from this Palaver's on a scenario (nothing recorded: nothing
    to mix)."""
    if version not in (1, METRICS_VERSION) or isinstance(version, bool):
        raise ValueError(
            f"{root}: {SETUP} says metrics_version {version!r}, which this Palaver does not "
            f"know (it computes version {METRICS_VERSION}: written by a newer Palaver?); use "
            "another path or delete the folder"
        )
    done, _ = read_entries(root)
    if not done:
        return
    changed = {s.name: parties_the_metrics_rule_changed(s) for s in scenarios}
    listing = "; ".join(f"{name!r} ({', '.join(p)})" for name, p in changed.items() if p)
    if listing:
        raise ValueError(
            f"{root}: {SETUP} has no metrics_version: its {len(done)} recorded batch(es) were "
            "scored by an older Palaver, whose rules for a reserved value of -inf or at or "
            "above a party's best utility differ from this one's (advantage, welfare and "
            f"distances), and these scenarios and parties have one: {listing}. Resuming would "
            "mix the two rules in one table; run the tournament again in a new folder (or "
            "delete this one)"
        )


def _write_outcomes(path: Path, table: Any) -> None:
    """Write ``outcomes.parquet`` unless it already holds exactly ``table``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from palaver.tournaments.integrity import encode_part

    try:
        if pq.read_table(path, page_checksum_verification=True).equals(table):
            return
    except (OSError, ValueError, pa.ArrowException):
        pass  # missing or damaged: written again below
    data, _ = encode_part(table)
    write_bytes(path, data)
